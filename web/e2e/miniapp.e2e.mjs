// Mini App end to end, against a running Cartie with its Telegram sandbox
// (the dev runtime connects @DemoMotorsBot to "Demo Motors"): a car is added
// through the API, a buyer opens the showcase the way Telegram would (signed
// initData from the sandbox in the address's hash) on a phone-sized screen,
// finds the car, taps "I'm interested", and the dealer sees the lead in the
// Inbox; then the dealer's Mini App page and the bot menu editor.
//
//   CARTIE_URL=http://127.0.0.1:18080 CARTIE_SANDBOX_URL=http://127.0.0.1:18081 \
//   CARTIE_DEMO_EMAIL=... CARTIE_DEMO_PASSWORD=... node e2e/miniapp.e2e.mjs
//
// CARTIE_SANDBOX_URL defaults to CARTIE_URL's port + 1 (where `cartie dev` puts it).
// Prints `N passed, M failed` last; exits 1 on any failure.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, EMAIL, PASSWORD, RESULTS_DIR, SANDBOX, collectConsoleErrors, createRun, launchBrowser } from './lib.mjs';

const STEP_TIMEOUT = 15_000;
const TOTAL_TIMEOUT = 110_000;
const BUYER = { user_id: 777000123, first_name: 'Mini' };

const consoleErrors = { buyer: [], dealer: [] };
const { check, fail, Stop, watchdog, exit } = createRun(TOTAL_TIMEOUT);

const stamp = Date.now().toString(36).slice(-6);
const MODEL = `Kodiaq MA${stamp}`;
const CAR = {
  make: 'Skoda',
  model: MODEL,
  year: 2022,
  price: 31900,
  currency: 'EUR',
  mileage: 27000,
  mileage_unit: 'km',
  fuel: 'diesel',
  transmission: 'automatic',
  description: `Seven seats, one owner. Added by the Mini App e2e run ${stamp}.`,
  photos: [],
  status: 'available',
};

/** A JSON call to Cartie's API (with the session token once logged in). */
let token = null;
async function apiCall(path, init = {}) {
  const res = await fetch(`${BASE}${path}`, {
    ...init,
    headers: {
      Accept: 'application/json',
      ...(init.body ? { 'Content-Type': 'application/json' } : {}),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(init.headers ?? {}),
    },
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

async function sandbox(path) {
  const res = await fetch(`${SANDBOX}/sandbox/api${path}`, { headers: { Accept: 'application/json' } });
  const text = await res.text();
  if (!res.ok) throw new Error(`sandbox GET ${path} answered ${res.status}: ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : null;
}

/** Fails a step with the page's console errors so far, then forgets them (each page is checked on its own). */
function assertNoConsoleErrors(which) {
  const errs = consoleErrors[which].splice(0);
  if (errs.length) throw new Error(`${errs.length} console error(s) on the ${which} page:\n  ${errs.join('\n  ')}`);
}

const browser = await launchBrowser();
let car;
let slug;
let botId;
let initData;

try {
  await check('log in through the API and add an available car', async () => {
    const session = await apiCall('/api/auth/login', { method: 'POST', body: JSON.stringify({ email: EMAIL, password: PASSWORD }) });
    token = session.token;
    if (!token) throw new Error('the login answer has no token');
    car = await apiCall('/api/inventory', { method: 'POST', body: JSON.stringify(CAR) });
    if (!car?.id) throw new Error(`the new car has no id: ${JSON.stringify(car).slice(0, 200)}`);
  });

  await check('the workspace has a showcase slug and a connected bot', async () => {
    const ws = await apiCall('/api/workspace');
    slug = ws.slug;
    if (!slug) throw new Error(`no slug in ${JSON.stringify(ws)}`);
    const { bots } = await apiCall('/api/bots');
    const bot = bots.find((b) => b.username === 'DemoMotorsBot') ?? bots[0];
    if (!bot) throw new Error('no bot is connected to the workspace');
    botId = bot.id;
  });

  await check(`the sandbox at ${SANDBOX} signs Mini App init data for a buyer`, async () => {
    const q = new URLSearchParams({ user_id: String(BUYER.user_id), first_name: BUYER.first_name });
    const r = await sandbox(`/bots/${botId}/webapp?${q}`);
    initData = r?.init_data;
    if (!initData || !/hash=/.test(initData)) throw new Error(`unexpected answer ${JSON.stringify(r).slice(0, 200)}`);
  });

  // --- the buyer, in Telegram (a phone) ------------------------------------
  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'en-US',
  });
  const buyer = await phone.newPage();
  buyer.setDefaultTimeout(STEP_TIMEOUT);
  buyer.setDefaultNavigationTimeout(STEP_TIMEOUT);
  collectConsoleErrors(buyer, consoleErrors.buyer);

  await check('the showcase opens like Telegram opens it, and lists the new car', async () => {
    const hash = `tgWebAppData=${encodeURIComponent(initData)}&tgWebAppVersion=7.0&tgWebAppPlatform=web`;
    await buyer.goto(`${BASE}/m/${encodeURIComponent(slug)}#${hash}`, { waitUntil: 'domcontentloaded' });
    await buyer.getByRole('heading', { level: 1 }).waitFor();
    // The newest cars come first; narrow to the make in case the stock is long.
    // (Waiting for the filtered answer: until then the unfiltered list may still be on screen.)
    const filtered = buyer.waitForResponse((r) => r.url().includes('/api/miniapp/') && new URL(r.url()).searchParams.get('make') === 'Skoda');
    await buyer.getByLabel('Make').selectOption('Skoda');
    await buyer.waitForURL((u) => u.searchParams.get('make') === 'Skoda');
    const answer = await filtered;
    if (!answer.ok()) throw new Error(`the filtered showcase answered ${answer.status()}`);
    await buyer.locator(`a.ma-card[data-car="${car.id}"]`).filter({ hasText: `2022 Skoda ${MODEL}` }).waitFor();
    const hasTelegram = await buyer.evaluate(() => typeof window.Telegram?.WebApp?.initData === 'string' && window.Telegram.WebApp.initData.length > 0);
    if (!hasTelegram) throw new Error('Telegram.WebApp.initData is empty: the hash was not read');
    mkdirSync(RESULTS_DIR, { recursive: true });
    await buyer.screenshot({ path: join(RESULTS_DIR, 'miniapp-list.png') });
  });

  await check("the car's page shows its details", async () => {
    await buyer.locator(`a.ma-card[data-car="${car.id}"]`).click();
    await buyer.waitForURL((u) => u.pathname === `/m/${slug}/${car.id}`);
    await buyer.getByRole('heading', { name: `2022 Skoda ${MODEL}` }).waitFor();
    await buyer.getByText('27,000 km').first().waitFor();
    await buyer.getByText(`Added by the Mini App e2e run ${stamp}.`, { exact: false }).waitFor();
  });

  await check('"I\'m interested" is confirmed by the dealer\'s message', async () => {
    await buyer.getByRole('button', { name: "I'm interested" }).click();
    const done = buyer.locator('.ma-interest-done');
    await done.waitFor();
    const text = (await done.textContent())?.trim();
    if (!text) throw new Error('the confirmation is empty');
    const problem = await buyer.locator('.ma-notice-error').count();
    if (problem) throw new Error(`an error is shown: ${await buyer.locator('.ma-notice-error').first().textContent()}`);
    await buyer.screenshot({ path: join(RESULTS_DIR, 'miniapp-car.png') });
  });

  await check('"All cars" goes back to the filtered list', async () => {
    await buyer.getByRole('link', { name: 'All cars' }).click();
    await buyer.waitForURL((u) => u.pathname === `/m/${slug}` && u.searchParams.get('make') === 'Skoda');
    await buyer.locator(`a.ma-card[data-car="${car.id}"]`).waitFor();
  });

  await check('no console errors in the showcase', async () => {
    await buyer.waitForTimeout(300);
    assertNoConsoleErrors('buyer');
  }, { critical: false });

  // --- the dealer ------------------------------------------------------------
  const desk = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-US' });
  const dealer = await desk.newPage();
  dealer.setDefaultTimeout(STEP_TIMEOUT);
  dealer.setDefaultNavigationTimeout(STEP_TIMEOUT);
  collectConsoleErrors(dealer, consoleErrors.dealer);

  await check('the dealer logs in and sees the lead from "Mini" in the Inbox', async () => {
    await dealer.goto(`${BASE}/inbox`, { waitUntil: 'domcontentloaded' });
    await dealer.waitForURL((u) => u.pathname === '/login');
    await dealer.getByLabel('E-mail').fill(EMAIL);
    await dealer.getByLabel('Password').fill(PASSWORD);
    await dealer.getByRole('button', { name: 'Log in' }).click();
    await dealer.waitForURL((u) => u.pathname === '/inbox');
    // A conversation is `{bot}:{chat}`; the buyer's private chat is their user id.
    const item = dealer.locator(`.conv-item[data-conversation="${botId}:${BUYER.user_id}"]`);
    await item.locator('.conv-name', { hasText: BUYER.first_name }).waitFor();
    await item.click();
    const chat = dealer.getByRole('region', { name: 'Conversation' });
    await chat.getByText(MODEL, { exact: false }).first().waitFor();
    await dealer.screenshot({ path: join(RESULTS_DIR, 'miniapp-inbox.png') });
  });

  await check('no console errors in the Inbox', async () => assertNoConsoleErrors('dealer'), { critical: false });

  await check('the Mini App page shows the showcase link and the bot', async () => {
    await dealer.goto(`${BASE}/miniapp`, { waitUntil: 'domcontentloaded' });
    const link = dealer.getByRole('textbox', { name: 'Showcase link' });
    await link.waitFor();
    const value = await link.inputValue();
    if (!value.endsWith(`/m/${slug}`)) throw new Error(`the link is ${value}`);
    await dealer.locator(`.miniapp-bot[data-bot="${botId}"]`).getByText(/^Menu button/).waitFor();
    await dealer.frameLocator('iframe[title="Showcase preview"]').getByRole('heading', { level: 1 }).waitFor();
  });

  await check("the Mini App becomes the bot's menu button", async () => {
    const row = dealer.locator(`.miniapp-bot[data-bot="${botId}"]`);
    const use = row.getByRole('button', { name: "Use as this bot's menu button" });
    if (await use.count()) await use.click();
    await row.getByText('Menu button opens the Mini App').waitFor();
    await dealer.screenshot({ path: join(RESULTS_DIR, 'miniapp-admin.png'), fullPage: true });
  }, { critical: false });

  await check('no console errors on the Mini App page', async () => {
    await dealer.waitForTimeout(300);
    assertNoConsoleErrors('dealer');
  }, { critical: false });

  await check('the bot menu editor saves /cars and Telegram applies it', async () => {
    await dealer.goto(`${BASE}/telegram?tab=menu&bot=${botId}`, { waitUntil: 'domcontentloaded' });
    const form = dealer.getByRole('form', { name: /^Menu of @/ });
    await form.waitFor();
    // A rerun finds /cars already there: then only its description is set.
    const commands = form.locator('input[data-command]');
    const n = await commands.count();
    let index = -1;
    for (let i = 0; i < n; i++) if ((await commands.nth(i).inputValue()) === 'cars') index = i;
    if (index < 0) {
      await form.getByRole('button', { name: 'Add command' }).click();
      index = n;
      await form.getByRole('textbox', { name: `Command ${index + 1}`, exact: true }).fill('/cars');
    }
    const command = form.getByRole('textbox', { name: `Command ${index + 1}`, exact: true });
    if ((await command.inputValue()) !== 'cars') throw new Error(`the command reads "${await command.inputValue()}", not "cars"`);
    await form.getByRole('textbox', { name: `Description ${index + 1}`, exact: true }).fill('Our stock');
    await form.getByRole('button', { name: 'Save menu' }).click();
    await form.getByRole('status').filter({ hasText: 'Saved and applied in Telegram.' }).waitFor();
    await form.getByText(/^Applied in Telegram at /).waitFor();
    const alert = await form.getByRole('alert').count();
    if (alert) throw new Error(`the editor shows: ${await form.getByRole('alert').first().textContent()}`);
  });

  await check('the saved menu is there after a reload', async () => {
    await dealer.reload({ waitUntil: 'domcontentloaded' });
    const form = dealer.getByRole('form', { name: /^Menu of @/ });
    await form.waitFor();
    const values = await form.locator('input[data-command]').evaluateAll((els) => els.map((e) => e.value));
    if (!values.includes('cars')) throw new Error(`the commands are ${JSON.stringify(values)}`);
    await dealer.screenshot({ path: join(RESULTS_DIR, 'miniapp-menu.png'), fullPage: true });
  });

  await check('no console errors in the Telegram hub', async () => {
    await dealer.waitForTimeout(300);
    assertNoConsoleErrors('dealer');
  }, { critical: false });
} catch (err) {
  if (!(err instanceof Stop)) fail('unexpected error', err);
  const left = [...consoleErrors.buyer, ...consoleErrors.dealer];
  if (left.length) console.log(`console errors seen so far:\n  ${left.join('\n  ')}`);
} finally {
  await browser.close().catch(() => undefined);
  clearTimeout(watchdog);
}

exit();
