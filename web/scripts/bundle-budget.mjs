// After `vite build`: how much gzipped JavaScript a first visit downloads to
// render /login, /inbox and the dashboard `/` (each with the larger of its
// languages' texts; the dashboard's charts load after it, in their own chunk),
// printed and checked against the budgets (docs/web.md).
//
// What a route needs is read from Vite's manifest: the entry's static
// imports, then each chunk the route loads (the app shell, the page) with
// its static imports, then the route's text files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const DIST = new URL('../dist/', import.meta.url).pathname;
const KB = 1024;
const LANGUAGES = ['en', 'uk'];

const ROUTES = [
  { path: '/login', budgetKb: 100, chunks: [], namespaces: ['common', 'auth'] },
  {
    path: '/inbox',
    budgetKb: 180,
    chunks: ['src/AppRoot.tsx', 'src/components/Layout.tsx', 'src/pages/inbox/Inbox.tsx'],
    namespaces: ['common', 'inbox'],
  },
  {
    path: '/',
    budgetKb: 180,
    chunks: ['src/AppRoot.tsx', 'src/components/Layout.tsx', 'src/pages/Dashboard.tsx'],
    namespaces: ['common', 'dashboard'],
  },
];

const manifest = JSON.parse(readFileSync(join(DIST, '.vite/manifest.json'), 'utf8'));

function closure(key, into) {
  const chunk = manifest[key];
  if (!chunk) throw new Error(`bundle-budget: ${key} is not in the build manifest`);
  if (into.has(chunk.file)) return into;
  into.add(chunk.file);
  for (const dep of chunk.imports ?? []) closure(dep, into);
  return into;
}

const gzipped = new Map();
function gz(file) {
  if (!gzipped.has(file)) gzipped.set(file, gzipSync(readFileSync(join(DIST, file)), { level: 9 }).length);
  return gzipped.get(file);
}

let failed = false;
for (const route of ROUTES) {
  const code = new Set();
  closure('index.html', code);
  for (const c of route.chunks) closure(c, code);
  const codeBytes = [...code].reduce((n, f) => n + gz(f), 0);
  let worst = { lang: '', bytes: -1 };
  for (const lang of LANGUAGES) {
    const texts = new Set();
    for (const ns of route.namespaces) closure(`src/locales/${lang}/${ns}.json`, texts);
    for (const f of code) texts.delete(f);
    const bytes = [...texts].reduce((n, f) => n + gz(f), 0);
    if (bytes > worst.bytes) worst = { lang, bytes };
  }
  const total = (codeBytes + worst.bytes) / KB;
  const ok = total <= route.budgetKb;
  if (!ok) failed = true;
  console.log(
    `${route.path.padEnd(8)} ${total.toFixed(1).padStart(6)} KB gzipped JS (code ${(codeBytes / KB).toFixed(1)} KB in ${code.size} files + ${worst.lang} texts ${(worst.bytes / KB).toFixed(1)} KB), budget ${route.budgetKb} KB: ${ok ? 'ok' : 'OVER BUDGET'}`,
  );
}
if (failed) {
  console.error('bundle-budget: a route is over its budget (see docs/web.md)');
  process.exit(1);
}
