// Inventory end to end: add a car through the form, find it with the
// filters (deep-linked), open it again. Same setup as login.e2e.mjs.
//
//   CARTIE_URL=http://127.0.0.1:18080 CARTIE_DEMO_EMAIL=... CARTIE_DEMO_PASSWORD=... npm run e2e
//
// Prints `N passed, M failed` last; exits 1 on any failure.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, EMAIL, PASSWORD, RESULTS_DIR, collectConsoleErrors, createRun, launchBrowser } from './lib.mjs';

const STEP_TIMEOUT = 10_000;
const TOTAL_TIMEOUT = 55_000;

const consoleErrors = [];
const { check, fail, Stop, watchdog, exit } = createRun(TOTAL_TIMEOUT);


const browser = await launchBrowser();
const stamp = Date.now().toString(36).slice(-5);
const MODEL = `Octavia E2E ${stamp}`;

try {
  const context = await browser.newContext({ viewport: { width: 1366, height: 860 } });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  page.setDefaultNavigationTimeout(STEP_TIMEOUT);
  collectConsoleErrors(page, consoleErrors);

  await check('log in and open the add-car form', async () => {
    await page.goto(`${BASE}/inventory/new`, { waitUntil: 'domcontentloaded' });
    await page.waitForURL((u) => u.pathname === '/login');
    await page.getByLabel('E-mail').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((u) => u.pathname === '/inventory/new');
    await page.getByRole('form', { name: 'Add car' }).waitFor();
  });

  await check('a car is added through the form', async () => {
    await page.getByRole('textbox', { name: 'Make', exact: true }).fill('Skoda');
    await page.getByRole('textbox', { name: 'Model', exact: true }).fill(MODEL);
    await page.getByRole('textbox', { name: 'Year', exact: true }).fill('2021');
    await page.getByRole('textbox', { name: 'Price', exact: true }).fill('23900');
    await page.getByRole('textbox', { name: 'Mileage', exact: true }).fill('41000');
    await page.getByRole('button', { name: 'Add car' }).click();
    await page.getByText('Car added to your inventory.').waitFor();
    if (!/^\/inventory\/[0-9A-Z]{26}$/.test(new URL(page.url()).pathname)) throw new Error(`unexpected address ${page.url()}`);
  });

  await check('the filters find it from a deep link', async () => {
    await page.goto(`${BASE}/inventory?make=Skoda&year_min=2020&price_max=30000`, { waitUntil: 'domcontentloaded' });
    await page.getByText(MODEL).first().waitFor();
    await mkdirSync(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: join(RESULTS_DIR, 'inventory.png'), fullPage: true });
  });

  await check('filters that exclude it do not show it', async () => {
    await page.goto(`${BASE}/inventory?make=Skoda&year_min=2022`, { waitUntil: 'domcontentloaded' });
    await page.getByRole('search', { name: 'Search cars' }).waitFor();
    await page.waitForLoadState('networkidle');
    if (await page.getByText(MODEL).count()) throw new Error('a 2021 car is listed for year_min=2022');
  });

  await check('no console errors or uncaught exceptions', async () => {
    if (consoleErrors.length) throw new Error(consoleErrors.join('\n'));
  });
} catch (err) {
  if (!(err instanceof Stop)) fail('unexpected error', err);
} finally {
  clearTimeout(watchdog);
  await browser.close();
  exit();
}
