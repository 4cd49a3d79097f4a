// End-to-end check of Telegram user accounts against a running Cartie with
// its Telegram sandbox and an MTProto host: the fake MTProto server gets an
// account (+380 50 777 0001, login code 12345, two-step password
// "sandbox-2fa" with the hint "the usual"). In the browser, in English, the
// owner opens the Telegram hub, connects it through the wizard (phone →
// code → password, the hint shown above the field) and sees its row turn
// Online; switched to Ukrainian, the row reads
// "У мережі" and the tab fits a phone's screen. A buyer then writes to the
// account in the sandbox, and the Inbox shows the conversation marked
// "через акаунт" in the list and in the chat's header. The owner's stored
// language is put back at the end.
//
//   CARTIE_URL=http://127.0.0.1:18080 CARTIE_SANDBOX_URL=http://127.0.0.1:18081 \
//   CARTIE_DEMO_EMAIL=... CARTIE_DEMO_PASSWORD=... node e2e/tgaccounts.e2e.mjs
//
// Prints `N passed, M failed` last; exits 1 on any failure.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, EMAIL, PASSWORD, RESULTS_DIR, SANDBOX, collectConsoleErrors, createRun, eventually, launchBrowser, logIn, notWider } from './lib.mjs';

const STEP_TIMEOUT = 20_000;
/** A login goes through the API, the commands table and the host holding the account: allow it time. */
const LOGIN_TIMEOUT = 45_000;
const TOTAL_TIMEOUT = 240_000;
const stamp = Date.now().toString(36);

/** The account in the fake MTProto server, as the dealer types its number. */
const PHONE_TYPED = '+380 50 777 0001';
const PHONE = '+380507770001';
const PHONE_DIGITS = PHONE.slice(1);
const CODE = '12345';
const TWO_FA = 'sandbox-2fa';
const HINT = 'the usual';
const ACCOUNT_NAME = 'Olena';
const buyerText = `Is the Passat still for sale? (${stamp})`;

const consoleErrors = [];
const { check, fail, Stop, watchdog, exit } = createRun(TOTAL_TIMEOUT);

let ownerToken = null;
async function api(path, init = {}) {
  const res = await fetch(`${BASE}${path}`, {
    ...init,
    headers: {
      Accept: 'application/json',
      ...(init.body ? { 'Content-Type': 'application/json' } : {}),
      ...(ownerToken ? { Authorization: `Bearer ${ownerToken}` } : {}),
    },
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

/** The fake MTProto server's hooks (`/sandbox/api/mtproto/...`); `ok` lists the statuses that are fine besides 2xx. */
async function mtproto(path, init, { ok = [] } = {}) {
  const res = await fetch(`${SANDBOX}/sandbox/api/mtproto${path}`, { ...init, headers: { 'Content-Type': 'application/json' } });
  const text = await res.text();
  if (!res.ok && !ok.includes(res.status)) throw new Error(`sandbox ${init?.method ?? 'GET'} /mtproto${path} answered ${res.status}: ${text.slice(0, 200)}`);
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}



/**
 * Ukrainian for this browser. A language stored on the account wins over
 * the browser's, so then the header's switch stores the new one (put back at
 * the end); without one, the browser's own choice is enough — the API can
 * set a stored language but not clear it, and the scripts after this one
 * expect the owner to have none.
 */
async function switchToUkrainian(page) {
  if (languageBefore) {
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/auth/me') && r.request().method() === 'PATCH');
    await page.locator('.topbar .lang-switch select').selectOption('uk');
    await saved;
  } else {
    await page.evaluate(() => localStorage.setItem('cartie.language', 'uk'));
    await page.reload({ waitUntil: 'domcontentloaded' });
  }
}


const browser = await launchBrowser();
/** The owner's stored language before this run ("en", "uk" or null). */
let languageBefore;

try {
  await check('the fake MTProto server has the account, and Cartie does not have it yet', async () => {
    const me = await api('/api/auth/login', { method: 'POST', body: JSON.stringify({ email: EMAIL, password: PASSWORD }) });
    ownerToken = me.token;
    languageBefore = (await api('/api/auth/me')).language ?? null;
    // Known from an earlier run: the account is there already (409).
    await mtproto(
      '/accounts',
      { method: 'POST', body: JSON.stringify({ phone: PHONE, first_name: ACCOUNT_NAME, code: CODE, password: TWO_FA, hint: HINT }) },
      { ok: [409] },
    );
    // An earlier run left it connected: forget it, so the wizard starts from the phone.
    const { items } = await api('/api/telegram-accounts');
    for (const a of items.filter((x) => x.phone === PHONE)) await api(`/api/telegram-accounts/${encodeURIComponent(a.id)}`, { method: 'DELETE' });
  });

  const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-US' });
  const page = await ctx.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  collectConsoleErrors(page, consoleErrors);
  const row = page.locator('li.tg-account').filter({ hasText: PHONE });

  await check('the owner opens the Telegram hub and its Accounts tab', async () => {
    await logIn(page);
    await page.goto(`${BASE}/telegram`);
    await page.getByRole('heading', { name: 'Telegram hub' }).waitFor();
    await page.getByRole('navigation', { name: 'Telegram hub sections' }).getByRole('link', { name: 'Accounts' }).click();
    await page.waitForURL((u) => u.pathname === '/telegram/accounts');
    await page.getByRole('heading', { name: 'Telegram accounts' }).waitFor();
  });

  await check('step 1: the phone number; Telegram sends the code', async () => {
    await page.getByRole('button', { name: 'Connect an account' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Connect a Telegram account' });
    await dialog.getByText('never stores it', { exact: false }).waitFor();
    await dialog.getByLabel('Phone number').fill(PHONE_TYPED);
    await dialog.getByRole('button', { name: 'Send the code' }).click();
    await dialog.getByLabel('Login code').waitFor({ timeout: LOGIN_TIMEOUT });
    await dialog.getByText(`logged in with ${PHONE}`, { exact: false }).waitFor();
  });

  await check('step 2: the code; the account asks for its two-step password, with its hint above the field', async () => {
    const dialog = page.getByRole('dialog', { name: 'Connect a Telegram account' });
    await dialog.getByLabel('Login code').fill(CODE);
    await dialog.getByRole('button', { name: 'Log in' }).click();
    const password = dialog.getByLabel('Two-step verification password');
    await password.waitFor({ timeout: LOGIN_TIMEOUT });
    await dialog.getByText(`Hint: ${HINT}`).waitFor();
    const attrs = await password.evaluate((el) => ({ type: el.getAttribute('type'), autocomplete: el.getAttribute('autocomplete') }));
    if (attrs.type !== 'password' || attrs.autocomplete !== 'off') throw new Error(`the password field is ${JSON.stringify(attrs)}`);
  });

  await check('step 3: the password; the account is connected', async () => {
    const dialog = page.getByRole('dialog', { name: 'Connect a Telegram account' });
    await dialog.getByLabel('Two-step verification password').fill(TWO_FA);
    await dialog.getByRole('button', { name: 'Log in' }).click();
    await dialog.getByText(`${ACCOUNT_NAME} is connected.`).waitFor({ timeout: LOGIN_TIMEOUT });
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  await check('its row turns Online (connecting first, then the host brings it online)', async () => {
    await row.locator('.tg-state', { hasText: 'Online' }).waitFor({ timeout: LOGIN_TIMEOUT });
    if ((await row.getAttribute('data-state')) !== 'online') throw new Error(`the row is ${await row.getAttribute('data-state')}`);
    const { items } = await api('/api/telegram-accounts');
    const a = items.find((x) => x.phone === PHONE);
    if (a?.state !== 'online' || a.first_name !== ACCOUNT_NAME) throw new Error(`the API has ${JSON.stringify(a)}`);
    mkdirSync(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: join(RESULTS_DIR, 'tgaccounts-online-en.png'), fullPage: true });
  });

  await check('in Ukrainian, the row reads “У мережі” and fits a phone’s screen', async () => {
    await switchToUkrainian(page);
    await page.getByRole('heading', { name: 'Акаунти Телеграму' }).waitFor();
    await row.locator('.tg-state', { hasText: 'У мережі' }).waitFor();
    await row.getByRole('link', { name: `Канали акаунта ${ACCOUNT_NAME}` }).waitFor();
    await page.setViewportSize({ width: 390, height: 844 });
    await notWider(page);
    await page.screenshot({ path: join(RESULTS_DIR, 'tgaccounts-online-uk-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1366, height: 900 });
  });

  await check('a buyer writes to the account: the Inbox shows the conversation “через акаунт”', async () => {
    const buyer = await mtproto('/users', { method: 'POST', body: JSON.stringify({ first_name: `Petro ${stamp}`, username: `petro_${stamp}` }) });
    if (!buyer?.id) throw new Error(`the sandbox made no user: ${JSON.stringify(buyer)}`);
    await mtproto(`/accounts/${PHONE_DIGITS}/messages`, { method: 'POST', body: JSON.stringify({ from_user_id: buyer.id, text: buyerText }) });
    await page.goto(`${BASE}/inbox`);
    const item = page.locator('a.conv-item').filter({ hasText: buyerText });
    await item.waitFor({ timeout: LOGIN_TIMEOUT });
    await item.locator('.via-account-badge', { hasText: 'через акаунт' }).waitFor();
    await item.click();
    const header = page.locator('.chat-header');
    await header.getByRole('heading', { name: `Petro ${stamp}` }).waitFor();
    await header.locator('.via-account-badge', { hasText: 'через акаунт' }).waitFor();
    await page.screenshot({ path: join(RESULTS_DIR, 'tgaccounts-inbox-uk.png'), fullPage: true });
  });

  await ctx.close();

  await check('no console errors', async () => {
    if (consoleErrors.length) throw new Error(consoleErrors.join('\n'));
  });
} catch (err) {
  if (!(err instanceof Stop)) fail('unexpected error', err);
  if (consoleErrors.length) console.log(`console errors seen so far:\n  ${consoleErrors.join('\n  ')}`);
} finally {
  // The scripts after this one expect the owner's language as it was.
  if (ownerToken && languageBefore) {
    await api('/api/auth/me', { method: 'PATCH', body: JSON.stringify({ language: languageBefore }) }).catch((e) => console.log(`could not restore the language: ${e.message}`));
  }
  await browser.close().catch(() => undefined);
  clearTimeout(watchdog);
}

exit();
