// End-to-end check of the deployed web app against a running API (the local
// dev stack or a real deployment). Plain Node + playwright-core, driving the
// system's Chromium; no browser download.
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

try {
  const context = await browser.newContext({ viewport: { width: 1366, height: 860 } });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  page.setDefaultNavigationTimeout(STEP_TIMEOUT);
  collectConsoleErrors(page, consoleErrors);

  const path = () => new URL(page.url()).pathname;

  await check('a deep link without a session goes to /login', async () => {
    const res = await page.goto(`${BASE}/inbox`, { waitUntil: 'domcontentloaded' });
    if (!res || !res.ok()) throw new Error(`GET ${BASE}/inbox answered ${res ? res.status() : 'nothing'}`);
    await page.waitForURL((u) => u.pathname === '/login');
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
  });

  await check('logging in returns to the deep-linked page', async () => {
    await page.getByLabel('E-mail').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((u) => u.pathname === '/inbox').catch(async () => {
      const alert = await page.getByRole('alert').first().textContent({ timeout: 500 }).catch(() => null);
      throw new Error(`still on ${path()}${alert ? ` — the page says: ${alert}` : ''}`);
    });
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
  });

  await check('the dashboard shows the "Team members" KPI', async () => {
    await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/');
    await page.locator('.kpi-card', { hasText: 'Team members' }).first().waitFor();
    mkdirSync(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: join(RESULTS_DIR, 'dashboard.png'), fullPage: true });
  });

  await check("Settings → Team lists the demo owner's e-mail", async () => {
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Team' }).click();
    await page.waitForURL((u) => u.pathname === '/settings' && u.searchParams.get('tab') === 'team');
    await page.getByRole('cell', { name: EMAIL, exact: true }).first().waitFor();
  });

  await check('no console errors or uncaught exceptions', async () => {
    // Let late requests (version poll...) settle before judging.
    await page.waitForLoadState('networkidle', { timeout: 3_000 }).catch(() => undefined);
    if (consoleErrors.length) throw new Error(`${consoleErrors.length} error(s):\n  ${consoleErrors.join('\n  ')}`);
  }, { critical: false });
} catch (err) {
  if (!(err instanceof Stop)) fail('unexpected error', err);
  if (consoleErrors.length) console.log(`console errors seen so far:\n  ${consoleErrors.join('\n  ')}`);
} finally {
  await browser.close().catch(() => undefined);
  clearTimeout(watchdog);
}

exit();
