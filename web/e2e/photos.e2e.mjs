// Car photos end to end, in English and in Ukrainian: three photos written
// to disk are uploaded to a new car through the file picker (straight to
// the file store's bucket through presigned URLs), reordered by dragging
// and with the keyboard, saved; the order is checked in the API and after a
// reload, the resized variants appear, and the public Mini App shows the
// photos in that order with links that download without a login.
//
//   CARTIE_URL=http://127.0.0.1:18080 CARTIE_DEMO_EMAIL=... CARTIE_DEMO_PASSWORD=... node e2e/photos.e2e.mjs
//
// Prints `N passed, M failed` last; exits 1 on any failure.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE, EMAIL, PASSWORD, RESULTS_DIR, collectConsoleErrors, createRun, launchBrowser, makePng } from './lib.mjs';

const STEP_TIMEOUT = 20_000;
const TOTAL_TIMEOUT = 170_000;
const { check, fail, Stop, watchdog, exit } = createRun(TOTAL_TIMEOUT);

const stamp = Date.now().toString(36).slice(-5);
const dir = mkdtempSync(join(tmpdir(), 'cartie-photos-'));
const consoleErrors = [];

/** The words each run needs, in its language. */
const TEXT = {
  en: { added: 'Car added to your inventory.', moveDown: (n) => `Move photo ${n} down`, login: 'Log in', email: 'E-mail', password: 'Password' },
  uk: { added: 'Авто додано до наявності.', moveDown: (n) => `Перемістити фото ${n} нижче`, login: 'Увійти', email: 'Електронна пошта', password: 'Пароль' },
};

/** Three photos on disk, each its own colour. */
function photosOnDisk(lang) {
  return [
    ['front', [200, 40, 40]],
    ['side', [40, 160, 60]],
    ['rear', [40, 70, 200]],
  ].map(([name, rgb]) => {
    const path = join(dir, `${name}-${lang}.png`);
    writeFileSync(path, makePng(900, 600, rgb));
    return path;
  });
}

async function api(token, path) {
  const res = await fetch(`${BASE}${path}`, { headers: { Accept: 'application/json', Authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET ${path} answered ${res.status}`);
  return res.json();
}

const fileIdOf = (url) => /\/([0-9A-Z]{26})\/(?:original|w\d+\.jpg)/.exec(url ?? '')?.[1] ?? null;

const browser = await launchBrowser();

/** One full run in `lang`. */
async function photosIn(lang) {
  const T = TEXT[lang];
  const locale = lang === 'uk' ? 'uk-UA' : 'en-US';
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  collectConsoleErrors(page, consoleErrors);
  const model = `X3 ${lang.toUpperCase()}${stamp}`;
  let token = null;
  let carId = null;
  let order = null;

  await check(`${lang}: log in and open the add-car form`, async () => {
    await page.goto(`${BASE}/inventory/new`, { waitUntil: 'domcontentloaded' });
    await page.waitForURL((u) => u.pathname === '/login');
    await page.getByLabel(T.email).fill(EMAIL);
    await page.getByLabel(T.password).fill(PASSWORD);
    await page.getByRole('button', { name: T.login }).click();
    await page.waitForURL((u) => u.pathname === '/inventory/new');
    await page.locator('form.listing-form').waitFor();
    token = await page.evaluate(() => localStorage.getItem('cartie.token'));
    const lang = await page.evaluate(() => document.documentElement.lang);
    if (lang !== (locale.startsWith('uk') ? 'uk' : 'en')) throw new Error(`<html lang> is ${lang}`);
  });

  await check(`${lang}: three photos from disk upload with progress, straight to the bucket`, async () => {
    const form = page.locator('form.listing-form');
    await form.locator('input[name=make]').fill('BMW');
    await form.locator('input[name=model]').fill(model);
    await form.locator('input[name=year]').fill('2021');
    await form.locator('input[name=price]').fill('28900');
    await form.locator('input[name=mileage]').fill('31000');
    const puts = [];
    page.on('request', (r) => {
      if (r.method() === 'PUT') puts.push(new URL(r.url()).origin);
    });
    await page.locator('.photo-drop input[type=file]').setInputFiles(photosOnDisk(lang));
    await page.locator('.photo-row').nth(2).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.photo-row[data-upload="ready"]').length === 3, null, { timeout: STEP_TIMEOUT });
    if (puts.length !== 3 || puts.some((o) => o === new URL(BASE).origin)) throw new Error(`the bytes went to ${puts.join(', ')}, not the bucket`);
  });

  const names = () => page.locator('.photo-name [translate="no"]').allInnerTexts();

  await check(`${lang}: reordered by dragging, then with the keyboard`, async () => {
    const rows = page.locator('.photo-row');
    await rows.nth(2).dragTo(rows.nth(0));
    let now = await names();
    if (now.join() !== [`rear-${lang}.png`, `front-${lang}.png`, `side-${lang}.png`].join()) throw new Error(`after dragging: ${now.join(', ')}`);
    await page.getByRole('button', { name: T.moveDown(2) }).focus();
    await page.keyboard.press('Enter');
    now = await names();
    order = [`rear-${lang}.png`, `side-${lang}.png`, `front-${lang}.png`];
    if (now.join() !== order.join()) throw new Error(`after Move down: ${now.join(', ')}`);
  });

  await check(`${lang}: saved in that order (the API and a reload agree)`, async () => {
    await page.locator('form.listing-form button[type=submit]').click();
    await page.getByText(T.added).waitFor();
    carId = new URL(page.url()).pathname.split('/').pop();
    const car = await api(token, `/api/inventory/${carId}`);
    const ids = car.photos.map((p) => p.file_id);
    const saved = [];
    for (const id of ids) saved.push((await api(token, `/api/files/${id}`)).name);
    if (saved.join() !== order.join()) throw new Error(`the API has ${saved.join(', ')}`);
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.locator('.photo-row img').nth(2).waitFor();
    const shown = await page.locator('.photo-row img').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('src')));
    if (shown.map(fileIdOf).join() !== ids.join()) throw new Error(`after a reload the editor shows ${shown.join(', ')}`);
    order = ids;
  });

  await check(`${lang}: the resized variants are made off the request path`, async () => {
    const deadline = Date.now() + STEP_TIMEOUT;
    for (const id of order) {
      for (;;) {
        const f = await api(token, `/api/files/${id}`);
        if (f.variants.length === 2) break;
        if (Date.now() > deadline) throw new Error(`${id} has variants ${JSON.stringify(f.variants)}`);
        await new Promise((r) => setTimeout(r, 300));
      }
    }
  });

  await check(`${lang}: the Mini App shows them in order, links that download without a login`, async () => {
    const me = await api(token, '/api/auth/me');
    const slug = me.workspace.slug;
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale, isMobile: true, hasTouch: true });
    const buyer = await phone.newPage();
    buyer.setDefaultTimeout(STEP_TIMEOUT);
    collectConsoleErrors(buyer, consoleErrors);
    await buyer.goto(`${BASE}/m/${encodeURIComponent(slug)}/${carId}`, { waitUntil: 'domcontentloaded' });
    const imgs = buyer.locator('.ma-gallery-strip img');
    await imgs.nth(2).waitFor({ state: 'attached' });
    const srcs = await imgs.evaluateAll((list) => list.map((i) => i.getAttribute('src')));
    if (srcs.map(fileIdOf).join() !== order.join()) throw new Error(`the Mini App shows ${srcs.join(', ')}`);
    if (!srcs.every((s) => s.includes('/w1280.jpg'))) throw new Error(`not the large variants: ${srcs.join(', ')}`);
    await buyer.waitForFunction(() => {
      const first = document.querySelector('.ma-gallery-strip img');
      return first && first.complete && first.naturalWidth > 0;
    });
    for (const src of srcs) {
      const res = await fetch(src);
      const type = res.headers.get('content-type');
      if (!res.ok || type !== 'image/jpeg') throw new Error(`${src} answered ${res.status} ${type}`);
    }
    await buyer.goto(`${BASE}/m/${encodeURIComponent(slug)}?q=${encodeURIComponent(model)}`, { waitUntil: 'domcontentloaded' });
    const cover = buyer.locator(`[data-car="${carId}"] img`);
    await cover.waitFor();
    const src = await cover.getAttribute('src');
    if (fileIdOf(src) !== order[0] || !src.includes('/w320.jpg')) throw new Error(`the list's cover is ${src}`);
    mkdirSync(RESULTS_DIR, { recursive: true });
    await buyer.screenshot({ path: join(RESULTS_DIR, `photos-miniapp-${lang}.png`) });
    await phone.close();
  });

  await check(`${lang}: the car is removed again (its photos with it)`, async () => {
    const res = await fetch(`${BASE}/api/inventory/${carId}`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } });
    if (res.status !== 204) throw new Error(`DELETE answered ${res.status}`);
    const gone = await fetch(`${BASE}/api/files/${order[0]}`, { headers: { Authorization: `Bearer ${token}` } });
    if (gone.status !== 404) throw new Error(`the photo is still there (${gone.status})`);
  });
  await context.close();
}

try {
  await photosIn('en');
  await photosIn('uk');
  await check('no console errors or uncaught exceptions', async () => {
    if (consoleErrors.length) throw new Error(consoleErrors.join('\n'));
  });
} catch (err) {
  if (!(err instanceof Stop)) fail('unexpected error', err);
} finally {
  clearTimeout(watchdog);
  rmSync(dir, { recursive: true, force: true });
  await browser.close();
  exit();
}
