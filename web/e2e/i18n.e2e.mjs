// Every page in two languages, as a person sees it.
//
// 1. The pseudo-locale (`?pseudo=1`): every translated text and every
//    formatted date or number is wrapped in ⟦…⟧. On each page, any visible
//    text, placeholder, label, title or alt text with letters outside the
//    marks fails the walk, unless it is data the API sent (car names, bot
//    names, e-mails…) or marked `translate="no"` (codes, initials).
// 2. Ukrainian (a browser whose language is uk): the same pages, with
//    `<html lang="uk">`, Ukrainian in the navigation, no console errors (a
//    text missing from a language logs one) and text contrast of at least
//    4.5:1 (3:1 for large text).
//
// Runs last in run.mjs, so the other scripts' cars, chats and bots exist.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, EMAIL, PASSWORD, RESULTS_DIR, createRun, launchBrowser, makePng } from './lib.mjs';

const STEP_TIMEOUT = 15_000;
const TOTAL_TIMEOUT = 360_000;
const { check, fail, Stop, watchdog, exit } = createRun(TOTAL_TIMEOUT);

/** Names a translation keeps (brands), and the flow library's own link: allowed unmarked. */
const BRANDS = ['React Flow attribution', 'React Flow', 'Cartie'];

async function apiLogin(request, email, password) {
  const res = await request.post(`${BASE}/api/auth/login`, { data: { email, password } });
  if (!res.ok()) throw new Error(`login as ${email} answered ${res.status()}`);
  return res.json();
}

async function apiGet(request, token, path) {
  const res = await request.get(`${BASE}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  return res.ok() ? res.json() : null;
}

/** Every string in an API answer (what the page may show as data). */
function collectStrings(value, into) {
  if (typeof value === 'string') {
    if (value.trim().length >= 2) into.add(value.trim());
  } else if (Array.isArray(value)) value.forEach((v) => collectStrings(v, into));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => collectStrings(v, into));
}

/** Keeps every JSON answer of the API the page receives, as data it may show. */
function watchApiData(page, into) {
  page.on('response', async (res) => {
    if (!res.url().includes('/api/')) return;
    if (!(res.headers()['content-type'] ?? '').includes('json')) return;
    try {
      collectStrings(await res.json(), into);
    } catch {
      /* no body (304, 204) */
    }
  });
}

/** What the page shows: visible text (in document order, joined) and user-facing attributes. */
async function visibleText(page) {
  return page.evaluate(() => {
    const skip = (el) => !!el.closest('[translate="no"], script, style, noscript, template, iframe, svg');
    const visible = (el) => {
      const s = getComputedStyle(el);
      if (s.visibility === 'hidden' || s.display === 'none' || Number(s.opacity) === 0) return false;
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0;
    };
    const parts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      let shown = !!el && !skip(el);
      if (shown && el.tagName === 'OPTION') shown = !!el.closest('select') && visible(el.closest('select'));
      else if (shown) shown = visible(el);
      // Text nodes are kept apart (\u0002) so two pieces of data never read as one; a mark may still span them.
      parts.push(shown ? n.nodeValue : '\u0001', '\u0002');
    }
    const attrs = [];
    for (const el of document.querySelectorAll('[placeholder], [aria-label], [title], img[alt]')) {
      if (skip(el) || !visible(el)) continue;
      for (const a of ['placeholder', 'aria-label', 'title', 'alt']) {
        const v = el.getAttribute(a);
        if (v) attrs.push(`${a}="${v}"`);
      }
    }
    return { text: parts.join(''), attrs, title: document.title };
  });
}

/** Removes the marked parts (innermost first); what is left is text that bypassed translation. */
function unmarked(s) {
  let prev;
  do {
    prev = s;
    s = s.replace(/⟦[^⟦⟧]*⟧/g, '\u0001');
  } while (s !== prev);
  return s;
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The leftover fragments with letters that are not API data or a brand: a
 * fragment that is part of one data string (a name, a shortened message) is
 * data; otherwise every data string is taken out as whole words, and what
 * still has letters was not translated.
 */
function untranslated(s, data) {
  const known = [...data, ...BRANDS].filter((d) => d.length >= 2).sort((a, b) => b.length - a.length);
  const bad = [];
  for (const raw of unmarked(s).split(/[\u0001\u0002]/)) {
    if (!/\p{L}/u.test(raw)) continue;
    const core = raw.replace(/^[\s\p{P}\p{S}]+|[\s…]+$/gu, '');
    if (core.length >= 3 && known.some((d) => d.includes(core))) continue;
    let frag = raw;
    for (const d of known) {
      if (frag.includes(d)) frag = frag.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escape(d)}(?![\\p{L}\\p{N}])`, 'gu'), ' ');
    }
    if (/\p{L}/u.test(frag)) bad.push(raw.trim().slice(0, 80));
  }
  return bad;
}

/** Waits until the page has drawn its data (no spinner, network quiet). */
async function settle(page) {
  await page.waitForLoadState('networkidle', { timeout: STEP_TIMEOUT }).catch(() => undefined);
  await page
    .waitForFunction(() => !document.querySelector('.spinner, .ma-skel, .sc-save.is-saving'), null, { timeout: STEP_TIMEOUT })
    .catch(() => undefined);
  await page.waitForTimeout(300);
}

/** Text elements whose colour against their background is below WCAG AA. */
async function lowContrast(page) {
  return page.evaluate(() => {
    const parse = (c) => {
      const m = c.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return { r, g, b, a };
    };
    const lum = ({ r, g, b }) => {
      const f = (v) => {
        v /= 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el) => {
      let layers = [];
      for (let e = el; e; e = e.parentElement) {
        const s = getComputedStyle(e);
        if (s.backgroundImage !== 'none') return null; // a picture or gradient: not measurable here
        const c = parse(s.backgroundColor);
        if (c && c.a > 0) {
          layers.push(c);
          if (c.a >= 1) break;
        }
      }
      let out = { r: 255, g: 255, b: 255 };
      for (const c of layers.reverse()) out = { r: c.r * c.a + out.r * (1 - c.a), g: c.g * c.a + out.g * (1 - c.a), b: c.b * c.a + out.b * (1 - c.a) };
      return out;
    };
    const seen = new Set();
    const bad = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || seen.has(el) || !/\p{L}|\d/u.test(n.nodeValue)) continue;
      seen.add(el);
      if (el.closest('svg, iframe, option, .react-flow__attribution, :disabled, [aria-disabled="true"]')) continue;
      const s = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      if (s.visibility === 'hidden' || r.width === 0 || r.height === 0) continue;
      let opacity = 1;
      for (let e = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
      const fg = parse(s.color);
      const bg = background(el);
      if (!fg || !bg) continue;
      const a = fg.a * opacity;
      const shown = { r: fg.r * a + bg.r * (1 - a), g: fg.g * a + bg.g * (1 - a), b: fg.b * a + bg.b * (1 - a) };
      const [l1, l2] = [lum(shown), lum(bg)].sort((x, y) => y - x);
      const ratio = (l1 + 0.05) / (l2 + 0.05);
      const size = parseFloat(s.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) bad.push(`${ratio.toFixed(2)}:1 "${n.nodeValue.trim().slice(0, 40)}" (${el.className || el.tagName.toLowerCase()})`);
    }
    return bad;
  });
}

const browser = await launchBrowser();
let scenarioId = null;
let ownerToken = null;

try {
  // ---- what to walk -----------------------------------------------------------
  const setupContext = await browser.newContext();
  const owner = await apiLogin(setupContext.request, EMAIL, PASSWORD);
  ownerToken = owner.token;
  const slug = owner.me.workspace?.slug;
  const cars = await apiGet(setupContext.request, ownerToken, '/api/inventory?limit=1');
  const convs = await apiGet(setupContext.request, ownerToken, '/api/inbox/conversations?bot_id=all&limit=1');
  const contacts = await apiGet(setupContext.request, ownerToken, '/api/contacts?limit=1');
  const campaigns = await apiGet(setupContext.request, ownerToken, '/api/campaigns?limit=1');
  const requests = await apiGet(setupContext.request, ownerToken, '/api/requests');
  const partnerRequests = await apiGet(setupContext.request, ownerToken, '/api/partner-requests');
  const showcase = slug ? await apiGet(setupContext.request, null, `/api/miniapp/${encodeURIComponent(slug)}`) : null;
  const created = await setupContext.request.post(`${BASE}/api/scenarios`, {
    headers: { Authorization: `Bearer ${ownerToken}` },
    data: { name: 'i18n walk', template: 'lead_generation', bot_ids: [] },
  });
  if (created.ok()) scenarioId = (await created.json()).id;

  const PAGES = [
    '/',
    '/inbox',
    ...(convs?.items?.[0] ? [`/inbox/${encodeURIComponent(convs.items[0].id)}`] : []),
    '/requests',
    '/requests?status=open',
    '/requests/new',
    ...(requests?.requests?.[0] ? [`/requests/${encodeURIComponent(requests.requests[0].id)}`] : []),
    '/notifications',
    '/telegram',
    '/telegram?tab=menu',
    '/telegram?tab=campaigns',
    '/inventory',
    '/inventory?year_min=1990',
    '/inventory/new',
    '/inventory/import',
    ...(cars?.items?.[0] ? [`/inventory/${encodeURIComponent(cars.items[0].id)}`] : []),
    '/parser',
    '/scenarios',
    ...(scenarioId ? [`/scenarios/${encodeURIComponent(scenarioId)}`] : []),
    '/miniapp',
    '/settings?tab=team',
    '/settings?tab=company',
    '/settings?tab=account',
    '/settings?tab=notifications',
    '/settings?tab=dictionaries',
    '/settings?tab=parser',
    '/settings?tab=versions',
    '/contacts',
    '/contacts?blocked=false&active_days=30',
    ...(contacts?.items?.[0] ? [`/contacts/${encodeURIComponent(contacts.items[0].id)}`] : []),
    '/partners',
    '/partners/requests',
    '/partners/invite',
    '/partners/company',
    ...(partnerRequests?.items?.[0]
      ? [`/partners/requests/${encodeURIComponent(partnerRequests.items[0].partner_id)}/${encodeURIComponent(partnerRequests.items[0].request.id)}`]
      : []),
    '/campaigns',
    '/campaigns/new',
    ...(campaigns?.items?.[0] ? [`/campaigns/${encodeURIComponent(campaigns.items[0].id)}`] : []),
    '/calendar',
    '/calendar?view=week',
    '/calendar?view=list',
    '/calendar/new',
    '/calendar/channels',
    '/calendar/templates',
    '/calendar/settings',
    '/telegram/accounts',
    '/integrations',
    '/entities',
    '/templates',
    '/no-such-page',
  ];
  const PUBLIC_PAGES = [
    '/invite/not-a-real-invite',
    '/reset/not-a-real-link',
    ...(slug ? [`/m/${encodeURIComponent(slug)}`] : []),
    ...(slug && showcase?.items?.[0] ? [`/m/${encodeURIComponent(slug)}/${encodeURIComponent(showcase.items[0].id)}`] : []),
  ];
  /** Dialogs opened on top of a page, walked like pages. */
  const DIALOGS = [
    { path: '/scenarios', open: (p) => p.locator('.page-actions button').first().click() },
    // The bell's panel of notifications, over any page.
    { path: '/', open: (p) => p.locator('.bell-button').click() },
    // The wizard that connects a Telegram account (its first step).
    { path: '/telegram/accounts', open: (p) => p.locator('.tg-accounts button.btn-primary').first().click() },
    ...(convs?.items?.[0]
      ? [{ path: `/inbox/${encodeURIComponent(convs.items[0].id)}`, open: (p) => p.locator('.chat-create-request').click() }]
      : []),
  ];
  /** Pages in a state a visit alone does not show, walked like pages. */
  const STATES = [
    ...(convs?.items?.[0]
      ? [
          {
            name: 'the contact panel beside a chat',
            path: `/inbox/${encodeURIComponent(convs.items[0].id)}`,
            open: async (p) => {
              await p.locator('.chat-contact-toggle').click();
              await p.locator('.contact-drawer h4').first().waitFor();
            },
          },
        ]
      : []),
    {
      name: 'the car photo editor with an upload done and a file refused',
      path: '/inventory/new',
      open: async (p) => {
        await p.locator('.photo-drop input[type=file]').setInputFiles([
          { name: 'walk.png', mimeType: 'image/png', buffer: makePng(64, 48) },
          { name: 'walk.txt', mimeType: 'text/plain', buffer: Buffer.from('not a photo') },
        ]);
        await p.locator('.photo-row[data-upload="ready"]').waitFor();
        await p.locator('.photo-row[data-upload="failed"]').waitFor();
      },
    },
  ];
  await setupContext.close();

  // ---- 1. pseudo-locale ---------------------------------------------------------
  const pseudo = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-US' });
  const page = await pseudo.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  const data = new Set([EMAIL, owner.me.name, owner.me.workspace?.name ?? ''].filter(Boolean));
  watchApiData(page, data);
  const pseudoErrors = [];
  page.on('pageerror', (e) => pseudoErrors.push(e.message));

  const audit = async (where) => {
    await settle(page);
    const { text, attrs, title } = await visibleText(page);
    const bad = [
      ...untranslated(text, data),
      ...attrs.flatMap((a) => untranslated(a.replace(/^[\w-]+="|"$/g, ''), data).map(() => a.slice(0, 100))),
      ...untranslated(title, data).map((f) => `title: ${f}`),
    ];
    if (bad.length) throw new Error(`${where}: text not through translation: ${[...new Set(bad)].slice(0, 12).join(' | ')}`);
  };

  await check('pseudo: the login page is fully translated', async () => {
    await page.goto(`${BASE}/login?pseudo=1`, { waitUntil: 'domcontentloaded' });
    await page.locator('form.auth-card').waitFor();
    if (!(await page.locator('h1').innerText()).startsWith('⟦')) throw new Error('the heading is not marked: is the pseudo-locale on?');
    await audit('/login');
  });

  await page.evaluate((t) => localStorage.setItem('cartie.token', t), ownerToken);
  for (const path of [...PAGES, ...PUBLIC_PAGES]) {
    await check(
      `pseudo: ${path}`,
      async () => {
        if (path.startsWith('/invite/')) await page.evaluate(() => localStorage.removeItem('cartie.token'));
        await page.goto(`${BASE}${path}`, { waitUntil: 'domcontentloaded' });
        await audit(path);
        if (path.startsWith('/invite/')) await page.evaluate((t) => localStorage.setItem('cartie.token', t), ownerToken);
      },
      { critical: false },
    );
  }
  for (const d of DIALOGS) {
    await check(
      `pseudo: the dialog on ${d.path}`,
      async () => {
        await page.goto(`${BASE}${d.path}`, { waitUntil: 'domcontentloaded' });
        await settle(page);
        await d.open(page);
        await page.getByRole('dialog').waitFor();
        await audit(`${d.path} (dialog)`);
      },
      { critical: false },
    );
  }
  for (const st of STATES) {
    await check(
      `pseudo: ${st.name}`,
      async () => {
        await page.goto(`${BASE}${st.path}`, { waitUntil: 'domcontentloaded' });
        await settle(page);
        await st.open(page);
        await audit(`${st.path} (${st.name})`);
      },
      { critical: false },
    );
  }
  await check('pseudo: no page error', async () => {
    if (pseudoErrors.length) throw new Error(pseudoErrors.slice(0, 5).join(' | '));
  });
  await pseudo.close();

  // ---- 2. Ukrainian -------------------------------------------------------------
  const uk = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'uk-UA' });
  const ukPage = await uk.newPage();
  ukPage.setDefaultTimeout(STEP_TIMEOUT);
  const errors = [];
  ukPage.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  ukPage.on('console', (m) => {
    // A 4xx the page expects (an invite that does not exist, a bot without a menu) is logged by the browser, not the app.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`console: ${m.text()}`);
  });
  const contrast = [];

  await check('uk: the login page follows the browser language', async () => {
    await ukPage.goto(`${BASE}/login`, { waitUntil: 'domcontentloaded' });
    await ukPage.getByRole('heading', { name: 'Вхід' }).waitFor();
    const lang = await ukPage.evaluate(() => document.documentElement.lang);
    if (lang !== 'uk') throw new Error(`<html lang> is "${lang}"`);
    contrast.push(...(await lowContrast(ukPage)).map((c) => `/login ${c}`));
  });

  await ukPage.evaluate((t) => localStorage.setItem('cartie.token', t), ownerToken);
  for (const path of [...PAGES, ...PUBLIC_PAGES]) {
    await check(
      `uk: ${path}`,
      async () => {
        const before = errors.length;
        if (path.startsWith('/invite/')) await ukPage.evaluate(() => localStorage.removeItem('cartie.token'));
        await ukPage.goto(`${BASE}${path}`, { waitUntil: 'domcontentloaded' });
        await settle(ukPage);
        // Public pages (the Mini App showcase, an invite, a reset link) have no app menu.
        if (!PUBLIC_PAGES.includes(path)) {
          await ukPage.getByRole('navigation', { name: 'Головне меню' }).getByRole('link', { name: 'Вхідні' }).waitFor();
        }
        contrast.push(...(await lowContrast(ukPage)).map((c) => `${path} ${c}`));
        if (path.startsWith('/invite/')) await ukPage.evaluate((t) => localStorage.setItem('cartie.token', t), ownerToken);
        if (errors.length > before) throw new Error(errors.slice(before).join(' | '));
      },
      { critical: false },
    );
  }
  for (const st of STATES) {
    await check(
      `uk: ${st.name}`,
      async () => {
        const before = errors.length;
        await ukPage.goto(`${BASE}${st.path}`, { waitUntil: 'domcontentloaded' });
        await settle(ukPage);
        await st.open(ukPage);
        contrast.push(...(await lowContrast(ukPage)).map((c) => `${st.path} ${c}`));
        if (errors.length > before) throw new Error(errors.slice(before).join(' | '));
      },
      { critical: false },
    );
  }
  mkdirSync(RESULTS_DIR, { recursive: true });
  await ukPage.goto(`${BASE}/`, { waitUntil: 'domcontentloaded' });
  await settle(ukPage);
  await ukPage.screenshot({ path: join(RESULTS_DIR, 'dashboard-uk.png'), fullPage: true });

  await check('uk: text contrast is at least 4.5:1 (3:1 for large text) on every page', async () => {
    const unique = [...new Set(contrast.map((c) => c.replace(/^\S+ /, '')))];
    if (unique.length) throw new Error(`${unique.length} low-contrast texts, e.g. ${unique.slice(0, 8).join(' | ')}`);
  });

  await check('uk: switching to English in the header changes the page and <html lang>', async () => {
    await ukPage.getByRole('combobox', { name: 'Мова' }).selectOption('en');
    await ukPage.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Inbox' }).waitFor();
    const lang = await ukPage.evaluate(() => document.documentElement.lang);
    if (lang !== 'en') throw new Error(`<html lang> is "${lang}"`);
    await ukPage.reload({ waitUntil: 'domcontentloaded' });
    await ukPage.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Inbox' }).waitFor();
  });
  await uk.close();
} catch (err) {
  if (!(err instanceof Stop)) fail('unexpected', err);
} finally {
  if (scenarioId && ownerToken) {
    const ctx = await browser.newContext();
    await ctx.request
      .delete(`${BASE}/api/scenarios/${encodeURIComponent(scenarioId)}`, { headers: { Authorization: `Bearer ${ownerToken}` } })
      .catch(() => undefined);
    await ctx.close();
  }
  clearTimeout(watchdog);
  await browser.close();
}
exit();
