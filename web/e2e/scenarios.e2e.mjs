// Scenarios end to end: create an empty scenario, build a three-step
// conversation in the visual editor (palette + properties panel, no drag),
// give it a /start trigger, publish it, and talk to it in the test chat.
// The scenario is deleted at the end, so the demo bot's /start is left alone.
// Same setup as login.e2e.mjs.
//
//   CARTIE_URL=http://127.0.0.1:18080 CARTIE_DEMO_EMAIL=... CARTIE_DEMO_PASSWORD=... npm run e2e
//
// Prints `N passed, M failed` last; exits 1 on any failure.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, EMAIL, PASSWORD, RESULTS_DIR, collectConsoleErrors, createRun, launchBrowser } from './lib.mjs';

const STEP_TIMEOUT = 10_000;
const TOTAL_TIMEOUT = 90_000;

const consoleErrors = [];
const { check, fail, Stop, watchdog, exit } = createRun(TOTAL_TIMEOUT);

const browser = await launchBrowser();
const stamp = Date.now().toString(36).slice(-5);
const NAME = `E2E greeting ${stamp}`;

let scenarioId = null;
let deleted = false;
let page = null;

try {
  const context = await browser.newContext({ viewport: { width: 1366, height: 860 } });
  page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  page.setDefaultNavigationTimeout(STEP_TIMEOUT);
  collectConsoleErrors(page, consoleErrors);

  /** The properties panel of the selected step (it carries the step's id). */
  const stepPanel = () => page.locator('.sc-panel[data-node-id]');

  /** Adds a step from the palette; the editor selects it. Returns its id. */
  const addStep = async (kind, known) => {
    await page.getByRole('button', { name: `Add ${kind}`, exact: true }).click();
    const id = await stepPanel().getAttribute('data-node-id');
    if (!id || known.includes(id)) throw new Error(`"Add ${kind}" did not select a new step (the panel shows ${id})`);
    await page.getByTestId(`node-${id}`).waitFor();
    return id;
  };

  /** Clicks a step on the canvas and waits for its properties. */
  const selectStep = async (id) => {
    await page.getByTestId(`node-${id}`).click();
    await page.locator(`.sc-panel[data-node-id="${id}"]`).waitFor();
  };

  await check('log in and open the scenarios', async () => {
    await page.goto(`${BASE}/scenarios`, { waitUntil: 'domcontentloaded' });
    await page.waitForURL((u) => u.pathname === '/login');
    await page.getByLabel('E-mail').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((u) => u.pathname === '/scenarios');
    await page.getByRole('heading', { name: 'Scenarios', exact: true }).waitFor();
  });

  await check('a new empty scenario opens in the editor', async () => {
    await page.getByRole('button', { name: 'New scenario', exact: true }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New scenario' });
    await dialog.getByLabel('Name', { exact: true }).fill(NAME);
    await dialog.getByLabel('Starter template').selectOption('');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await page.waitForURL((u) => /^\/scenarios\/[^/]+$/.test(u.pathname));
    scenarioId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
    await page.getByRole('heading', { name: NAME }).waitFor();
    await page.locator('.react-flow').waitFor();
  });

  const ids = [];
  await check('three steps are built with the palette and the properties panel', async () => {
    ids.push(await addStep('message', ids));
    await stepPanel().getByLabel('Text', { exact: true }).fill('Hi! Looking for a car?');

    ids.push(await addStep('question', ids));
    await stepPanel().getByLabel('Text', { exact: true }).fill('Which make?');
    await stepPanel().getByLabel('Variable', { exact: true }).fill('make');

    ids.push(await addStep('message', ids));
    await stepPanel().getByLabel('Text', { exact: true }).fill('Great, we have {make} in stock');

    const [hello, ask, answer] = ids;
    await page.getByRole('button', { name: 'Fit view', exact: true }).click();
    await selectStep(hello);
    await stepPanel().getByLabel('Next step', { exact: true }).selectOption(ask);
    await selectStep(ask);
    await stepPanel().getByLabel('Next step', { exact: true }).selectOption(answer);
    await page.getByTestId(`node-${hello}`).getByText(`→ ${ask}`).waitFor();
    await page.getByTestId(`node-${ask}`).getByText(`→ ${answer}`).waitFor();
    await page.getByTestId(`node-${ask}`).getByText('→ {make} · text').waitFor();
  });

  await check('a /start trigger points at the first step', async () => {
    await page.getByRole('button', { name: 'Scenario settings', exact: true }).click();
    await page.getByRole('button', { name: 'Add trigger', exact: true }).click();
    await page.getByLabel('Trigger 1 kind', { exact: true }).selectOption('start');
    await page.getByLabel('Trigger 1 start step', { exact: true }).selectOption(ids[0]);
    await page.getByTestId(`node-${ids[0]}`).getByText('/start', { exact: true }).waitFor();
  });

  await check('the draft is autosaved', async () => {
    await page.getByText('Saved', { exact: true }).waitFor();
  });

  await check('Publish makes version 1', async () => {
    const publish = page.getByRole('button', { name: 'Publish', exact: true });
    try {
      await publish.click();
    } catch (err) {
      const toggle = page.locator('.sc-problems-toggle');
      if (await toggle.count()) {
        await toggle.click();
        throw new Error(`Publish stayed disabled: ${(await page.locator('#sc-problems').innerText()).replace(/\s+/g, ' ')}`);
      }
      throw err;
    }
    await page.getByText('Published version 1', { exact: false }).waitFor();
  });

  await check('the test chat runs the scenario', async () => {
    await page.getByRole('tab', { name: 'Test chat', exact: true }).click();
    await page.getByRole('button', { name: 'Restart', exact: true }).click();
    const log = page.getByRole('log', { name: 'Test chat messages' });
    await log.getByText('Hi! Looking for a car?', { exact: true }).waitFor();
    await log.getByText('Which make?', { exact: true }).waitFor();
    await page.getByLabel('Message as buyer', { exact: true }).fill('BMW');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await log.getByText('Great, we have BMW in stock', { exact: true }).waitFor();
    mkdirSync(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: join(RESULTS_DIR, 'scenarios.png'), fullPage: true });
  });

  await check(
    'the e2e scenario is deleted from the list',
    async () => {
      await page.getByRole('link', { name: 'Back to the scenarios' }).click();
      await page.waitForURL((u) => u.pathname === '/scenarios');
      await page.getByRole('button', { name: `Delete ${NAME}`, exact: true }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete scenario', exact: true }).click();
      await page.getByRole('link', { name: NAME, exact: true }).waitFor({ state: 'detached' });
      deleted = true;
    },
    { critical: false },
  );

  await check('no console errors or uncaught exceptions', async () => {
    if (consoleErrors.length) throw new Error(consoleErrors.join('\n'));
  });
} catch (err) {
  if (!(err instanceof Stop)) fail('unexpected error', err);
} finally {
  // A run that stopped half-way must not leave a published /start scenario behind.
  if (page && scenarioId && !deleted) {
    await page
      .evaluate(async (id) => {
        const token = localStorage.getItem('cartie.token');
        await fetch(`/api/scenarios/${encodeURIComponent(id)}`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } });
      }, scenarioId)
      .catch(() => {});
  }
  clearTimeout(watchdog);
  await browser.close();
  exit();
}
