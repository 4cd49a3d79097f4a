// What the e2e scripts share: the browser they launch (Debian's Chromium
// through playwright-core; no browser download) and how a page's console
// errors are collected.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { chromium } from 'playwright-core';

/** Where screenshots go (web/test-results, ignored by git). */
export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results');
/** The app under test, the Telegram sandbox (CARTIE_URL's port + 1 by default, where `cartie dev` puts it), and the demo login. */
export const BASE = (process.env.CARTIE_URL || 'http://127.0.0.1:18080').replace(/\/+$/, '');
export const SANDBOX = (
  process.env.CARTIE_SANDBOX_URL ||
  (() => {
    const u = new URL(BASE);
    u.port = String(Number(u.port || (u.protocol === 'https:' ? 443 : 80)) + 1);
    return u.origin;
  })()
).replace(/\/+$/, '');
export const EMAIL = process.env.CARTIE_DEMO_EMAIL;
export const PASSWORD = process.env.CARTIE_DEMO_PASSWORD;

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches Chromium (`CHROMIUM` or /usr/bin/chromium) with the shared flags plus `extraArgs`. */
export function launchBrowser(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}

/** Collects the page's console errors and uncaught exceptions into `into`. */
export function collectConsoleErrors(page, into) {
  page.on('console', (m) => {
    if (m.type() === 'error') into.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => into.push(`pageerror: ${e.message}`));
  return into;
}

/**
 * The counting every e2e script shares: `check` runs one named step (a
 * failure stops the run unless `critical` is false), a watchdog ends a run
 * that hangs, and `exit` prints the closing `N passed, M failed` line.
 * Refuses to start without the demo login in the environment.
 */
export function createRun(totalTimeout) {
  let passed = 0;
  let failed = 0;
  class Stop extends Error {}
  const fail = (name, err) => {
    failed += 1;
    const msg = err instanceof Error ? (process.env.E2E_CALL_LOG ? err.message : err.message.split('\nCall log:')[0].trim()) : String(err);
    console.log(`FAIL - ${name}: ${msg}`);
  };
  const summary = () => console.log(`${passed} passed, ${failed} failed`);
  const exit = () => {
    summary();
    process.exit(failed > 0 ? 1 : 0);
  };
  const check = async (name, fn, { critical = true } = {}) => {
    try {
      await fn();
      passed += 1;
      console.log(`ok   - ${name}`);
      return true;
    } catch (err) {
      fail(name, err);
      if (critical) throw new Stop();
      return false;
    }
  };
  const watchdog = setTimeout(() => {
    fail('whole run', new Error(`did not finish within ${totalTimeout / 1000} s`));
    exit();
  }, totalTimeout);
  if (!process.env.CARTIE_DEMO_EMAIL || !process.env.CARTIE_DEMO_PASSWORD) {
    fail('configuration', new Error('set CARTIE_DEMO_EMAIL and CARTIE_DEMO_PASSWORD (and CARTIE_URL, CARTIE_SANDBOX_URL)'));
    exit();
  }
  return { check, fail, Stop, watchdog, exit };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A valid `w`×`h` RGB PNG made here (no fixture files): one colour, or a gradient without `rgb`. */
export function makePng(w, h, rgb) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const px = rgb ?? [Math.round((255 * x) / w), Math.round((255 * y) / h), 180];
      raw.set(px, y * (w * 3 + 1) + 1 + x * 3);
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Polls `fn` until it answers something truthy (errors count as not yet); throws after `timeout` ms. */
export async function eventually(what, fn, timeout = 20_000) {
  const until = Date.now() + timeout;
  let last = null;
  while (Date.now() < until) {
    const v = await fn().catch((e) => {
      last = e;
      return null;
    });
    if (v) return v;
    await new Promise((r) => setTimeout(r, 400));
  }
  throw new Error(`${what}: not seen within ${timeout / 1000} s${last ? ` (last error: ${last.message})` : ''}`);
}

/** Logs the demo owner in through the login page. */
export async function logIn(page) {
  await page.goto(`${BASE}/login`, { waitUntil: 'domcontentloaded' });
  await page.locator('input[type="email"]').fill(EMAIL);
  await page.locator('input[type="password"]').fill(PASSWORD);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL((u) => u.pathname === '/');
}

/** The page does not scroll sideways (a phone's screen). */
export async function notWider(page) {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (wide > 1) throw new Error(`the page is ${wide}px wider than the screen`);
}
