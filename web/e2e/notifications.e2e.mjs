// End-to-end check of the notification centre against a running Cartie with
// its Telegram sandbox: a buyer writes to @DemoMotorsBot, the owner (through
// the API) assigns the conversation to a manager who just joined, and the
// manager — logged in in the browser — sees the bell count 1, opens the
// notification from the bell and lands in that conversation. Once in
// English on a desktop, once in Ukrainian on a phone-sized screen.
//
//   CARTIE_URL=http://127.0.0.1:18080 CARTIE_SANDBOX_URL=http://127.0.0.1:18081 \
//   CARTIE_DEMO_EMAIL=... CARTIE_DEMO_PASSWORD=... node e2e/notifications.e2e.mjs
//
// Prints `N passed, M failed` last; exits 1 on any failure.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, EMAIL, PASSWORD, RESULTS_DIR, SANDBOX, collectConsoleErrors, createRun, eventually, launchBrowser } from './lib.mjs';

const STEP_TIMEOUT = 15_000;
/** The bell asks every 10 s and the jobs worker polls its queue: allow for both. */
const BELL_TIMEOUT = 40_000;
const TOTAL_TIMEOUT = 170_000;
const stamp = Date.now().toString(36);

const consoleErrors = [];
const { check, fail, Stop, watchdog, exit } = createRun(TOTAL_TIMEOUT);

let ownerToken = null;
/** A JSON call to Cartie's API as `token` (the owner's by default). */
async function api(path, init = {}, token = ownerToken) {
  const res = await fetch(`${BASE}${path}`, {
    ...init,
    headers: {
      Accept: 'application/json',
      ...(init.body ? { 'Content-Type': 'application/json' } : {}),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

async function sandbox(path, init) {
  const res = await fetch(`${SANDBOX}/sandbox/api${path}`, { ...init, headers: { 'Content-Type': 'application/json' } });
  const text = await res.text();
  if (!res.ok) throw new Error(`sandbox ${init?.method ?? 'GET'} ${path} answered ${res.status}: ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : null;
}


/**
 * A buyer's first message, then a manager who joins after it (so the new
 * lead is not theirs: their only notification is the assignment), then
 * the owner assigns the conversation to them. Returns the conversation id
 * and the manager's login.
 */
async function assignedConversation(botId, buyer, managerName) {
  await sandbox(`/bots/${botId}/messages`, { method: 'POST', body: JSON.stringify({ from: buyer, text: `Is the Škoda Octavia still for sale? (${stamp})` }) });
  const conv = `${botId}:${buyer.id}`;
  await eventually('the conversation in the Inbox', () => api(`/api/inbox/conversations/${encodeURIComponent(conv)}`));
  // The owner has heard of the new lead: its event is delivered.
  await eventually(
    'the new-lead notification delivered',
    async () => (await api('/api/notifications?limit=20')).items.some((n) => n.notice.kind === 'new_lead' && n.link === `/inbox/${conv}`),
    30_000,
  );
  const email = `${managerName.toLowerCase().replace(/\W+/g, '.')}.${stamp}@cartie.local`;
  const password = `pw-${stamp}-manager`;
  const invite = await api('/api/team/invites', { method: 'POST', body: JSON.stringify({ email, role: 'manager' }) });
  const token = invite.link_path.replace(/^\/invite\//, '');
  await api(`/api/invites/${encodeURIComponent(token)}/accept`, { method: 'POST', body: JSON.stringify({ name: managerName, password }) }, null);
  await api(`/api/inbox/conversations/${encodeURIComponent(conv)}`, { method: 'PATCH', body: JSON.stringify({ assignee: email }) });
  return { conv, email, password };
}

async function logIn(page, email, password) {
  await page.goto(`${BASE}/login`, { waitUntil: 'domcontentloaded' });
  await page.locator('input[type="email"]').fill(email);
  await page.locator('input[type="password"]').fill(password);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL((u) => u.pathname === '/');
}

/** Waits for `what`, failing with its name. */
async function expectTo(what, promise) {
  try {
    return await promise;
  } catch (e) {
    throw new Error(`${what}: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
  }
}

/** The bell with one unread, opened; the notification in it clicked; the conversation open. */
async function openFromBell(page, { bellLabel, bellEmpty, text, conv, buyerName, shot }) {
  const bell = page.getByRole('button', { name: bellLabel });
  await expectTo(`the bell labelled "${bellLabel}"`, bell.waitFor({ timeout: BELL_TIMEOUT }));
  const count = (await bell.textContent())?.trim();
  if (count !== '1') throw new Error(`the bell shows "${count}"`);
  await bell.click();
  const item = page.getByRole('dialog').getByRole('link', { name: text });
  await expectTo('the notification in the panel', item.waitFor());
  mkdirSync(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: join(RESULTS_DIR, `${shot}.png`) });
  await item.click();
  await expectTo(`the address /inbox/${conv}`, page.waitForURL((u) => decodeURIComponent(u.pathname) === `/inbox/${conv}`));
  await expectTo(`the conversation with ${buyerName}`, page.getByRole('region').getByRole('heading', { name: buyerName }).first().waitFor());
  // Opened means read: the bell goes quiet.
  await expectTo(`the bell back to "${bellEmpty}"`, page.getByRole('button', { name: bellEmpty, exact: true }).waitFor({ timeout: BELL_TIMEOUT }));
}

const browser = await launchBrowser();
let botId;

try {
  await check(`the owner logs in through the API and the sandbox at ${SANDBOX} has @DemoMotorsBot`, async () => {
    ownerToken = (await api('/api/auth/login', { method: 'POST', body: JSON.stringify({ email: EMAIL, password: PASSWORD }) }, null)).token;
    const bots = await sandbox('/bots');
    botId = bots.find((b) => b.username === 'DemoMotorsBot')?.id;
    if (!botId) throw new Error(`bots there: ${bots.map((b) => '@' + b.username).join(', ') || 'none'}`);
  });

  // ---- English, desktop ---------------------------------------------------
  let en;
  await check('a buyer writes, a new manager joins, and the owner assigns the conversation to them', async () => {
    en = await assignedConversation(botId, { id: 7_100_000 + (Date.now() % 100_000), first_name: 'Pavlo', username: `pavlo_${stamp}` }, 'Marta Manager');
  });
  const desktop = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'en-US' });
  const page = await desktop.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  collectConsoleErrors(page, consoleErrors);
  await check('the manager logs in and the bell shows 1', async () => {
    await logIn(page, en.email, en.password);
    await page.getByRole('button', { name: 'Notifications: 1 unread' }).waitFor({ timeout: BELL_TIMEOUT });
  });
  await check('clicking the notification in the bell opens that conversation, and the bell empties', async () => {
    await openFromBell(page, {
      bellLabel: 'Notifications: 1 unread',
      bellEmpty: 'Notifications',
      text: /assigned you the conversation with Pavlo/,
      conv: en.conv,
      buyerName: 'Pavlo',
      shot: 'notifications-en',
    });
  });
  await check('the notifications page lists it as read', async () => {
    await page.goto(`${BASE}/notifications`);
    await page.getByRole('heading', { name: 'Notifications' }).waitFor();
    const item = page.locator('.notif', { hasText: 'assigned you the conversation with Pavlo' });
    await item.waitFor();
    if ((await item.getAttribute('class'))?.includes('unread')) throw new Error('still unread');
    await page.getByText('All caught up').waitFor();
  });
  await desktop.close();

  // ---- Ukrainian, phone ------------------------------------------------------
  let uk;
  await check('a second buyer, a second manager, assigned by the owner', async () => {
    uk = await assignedConversation(botId, { id: 7_200_000 + (Date.now() % 100_000), first_name: 'Оксана', username: `oksana_${stamp}` }, 'Ірина Менеджер');
  });
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'uk-UA' });
  await phone.addInitScript(() => localStorage.setItem('cartie.language', 'uk'));
  const ukPage = await phone.newPage();
  ukPage.setDefaultTimeout(STEP_TIMEOUT);
  collectConsoleErrors(ukPage, consoleErrors);
  await check('in Ukrainian on a phone: the bell shows 1 and its notification opens the conversation', async () => {
    await logIn(ukPage, uk.email, uk.password);
    await openFromBell(ukPage, {
      bellLabel: 'Сповіщення: 1 непрочитане',
      bellEmpty: 'Сповіщення',
      text: /передає вам розмову: Оксана/,
      conv: uk.conv,
      buyerName: 'Оксана',
      shot: 'notifications-uk-phone',
    });
  });
  await check('in Ukrainian: Settings → Notifications offers to link Telegram through the bot', async () => {
    await ukPage.goto(`${BASE}/settings?tab=notifications`);
    await ukPage.getByRole('heading', { name: 'Сповіщення в Telegram' }).waitFor();
    await ukPage.getByRole('button', { name: 'Підключити Telegram' }).click();
    const open = ukPage.getByRole('link', { name: 'Відкрити Telegram' });
    await open.waitFor();
    const href = await open.getAttribute('href');
    if (!/^https:\/\/t\.me\/DemoMotorsBot\?start=cartie_[A-Za-z0-9_-]+$/.test(href ?? '')) throw new Error(`the deep link is ${href}`);
  });
  await phone.close();

  await check('no console errors', async () => {
    if (consoleErrors.length) throw new Error(consoleErrors.join('\n'));
  });
} catch (err) {
  if (!(err instanceof Stop)) fail('unexpected error', err);
  if (consoleErrors.length) console.log(`console errors seen so far:\n  ${consoleErrors.join('\n  ')}`);
} finally {
  await browser.close().catch(() => undefined);
  clearTimeout(watchdog);
}

exit();
