// End-to-end check of Campaigns against a running Cartie with its Telegram
// sandbox: two buyers write to @DemoMotorsBot and become contacts, are
// tagged and saved as a segment (counted: 2). In the browser, in English,
// the owner composes a campaign to that segment through the demo bot — a
// photo uploaded from disk, the caption "Hi {first_name}, spring offers",
// a link button — saves it, sends it now after the confirmation, and
// watches it reach 100 % and "Finished"; the sandbox shows each buyer got
// exactly one photo, with their own first name and the button. Then, in
// Ukrainian on a phone, a text-only campaign with quiet hours that cover
// the current hour starts but waits: it is paused, resumed and cancelled,
// and its recipients (both buyers) are still waiting.
//
//   CARTIE_URL=http://127.0.0.1:18080 CARTIE_SANDBOX_URL=http://127.0.0.1:18081 \
//   CARTIE_DEMO_EMAIL=... CARTIE_DEMO_PASSWORD=... node e2e/campaigns.e2e.mjs
//
// Prints `N passed, M failed` last; exits 1 on any failure.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE, EMAIL, PASSWORD, RESULTS_DIR, SANDBOX, collectConsoleErrors, createRun, eventually, launchBrowser, logIn, makePng, notWider } from './lib.mjs';

const STEP_TIMEOUT = 20_000;
/** A campaign goes through the jobs worker (the snapshot) and the sender: allow it time. */
const SEND_TIMEOUT = 60_000;
const TOTAL_TIMEOUT = 240_000;
const stamp = Date.now().toString(36);
/** Both buyers share this family name, so one search finds exactly them. */
const family = `Promo${stamp}`;
const tag = `campaign ${stamp}`;
const segmentName = `Campaign buyers ${stamp}`;
const firstName = `Spring offers ${stamp}`;
const secondName = `Тихі години ${stamp}`;
/** The phone's time zone, and the one the second campaign's quiet hours are in. */
const ZONE = 'Europe/Kyiv';

const consoleErrors = [];
const { check, fail, Stop, watchdog, exit } = createRun(TOTAL_TIMEOUT);
const dir = mkdtempSync(join(tmpdir(), 'cartie-campaigns-'));

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

async function sandbox(path, init) {
  const res = await fetch(`${SANDBOX}/sandbox/api${path}`, { ...init, headers: { 'Content-Type': 'application/json' } });
  const text = await res.text();
  if (!res.ok) throw new Error(`sandbox ${init?.method ?? 'GET'} ${path} answered ${res.status}: ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : null;
}




/** The hour now in `zone`, 0-23. */
function hourIn(zone) {
  return Number(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
}

/** The campaign's id from the page's address (`/campaigns/<id>`). */
const campaignIdOf = (page) => new URL(page.url()).pathname.split('/').pop();

/** The bot's messages in a chat of the sandbox. */
async function botMessages(botId, chatId) {
  const t = await sandbox(`/bots/${botId}/chats/${chatId}`);
  return t.messages.filter((m) => m.sender === 'bot' && !m.deleted).map((m) => m.message);
}

const browser = await launchBrowser();

try {
  const buyers = [
    { id: 7_500_000 + (Date.now() % 100_000), first_name: 'Oksana', last_name: family, username: `oksana_${stamp}` },
    { id: 7_600_000 + (Date.now() % 100_000), first_name: 'Bohdan', last_name: family, username: `bohdan_${stamp}` },
  ];
  let botId = null;
  let segmentId = null;
  /** What the bot had sent to each buyer before the campaign (its auto-reply, a scenario). */
  const before = {};

  await check('two buyers write to @DemoMotorsBot and become contacts', async () => {
    ownerToken = (await api('/api/auth/login', { method: 'POST', body: JSON.stringify({ email: EMAIL, password: PASSWORD }) })).token;
    const bots = await sandbox('/bots');
    botId = bots.find((b) => b.username === 'DemoMotorsBot')?.id;
    if (!botId) throw new Error(`bots there: ${bots.map((b) => '@' + b.username).join(', ') || 'none'}`);
    for (const b of buyers) {
      await sandbox(`/bots/${botId}/messages`, { method: 'POST', body: JSON.stringify({ from: b, text: `Any spring deals? (${stamp})` }) });
    }
    await eventually('both contacts searchable', async () => (await api(`/api/contacts?q=${encodeURIComponent(family)}`)).items.length === 2);
  });

  await check('tagged through the API and saved as a segment that counts 2', async () => {
    const found = await api(`/api/contacts?q=${encodeURIComponent(family)}`);
    await api('/api/contacts/tags', { method: 'POST', body: JSON.stringify({ ids: found.items.map((c) => c.id), add: [tag] }) });
    segmentId = (await api('/api/segments', { method: 'POST', body: JSON.stringify({ name: segmentName, filter: { tag } }) })).id;
    await eventually('the segment counted', async () => {
      const s = await api(`/api/segments/${encodeURIComponent(segmentId)}`);
      return !s.counting && s.count === 2;
    });
    // Let the bot's own answers to their messages arrive before counting what the campaign adds.
    await new Promise((r) => setTimeout(r, 1500));
    const d = await sandbox(`/bots/${botId}/deliveries`);
    for (const b of buyers) before[b.id] = d.chats[String(b.id)] ?? 0;
  });

  // ---- English, desktop ----------------------------------------------------
  const desktop = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-US' });
  const page = await desktop.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  collectConsoleErrors(page, consoleErrors);
  const photo = join(dir, 'spring.png');
  writeFileSync(photo, makePng(320, 240, [30, 140, 90]));

  await check('the owner composes a campaign: segment, bot, a photo from disk, a caption with a variable, a link button', async () => {
    await logIn(page);
    await page.goto(`${BASE}/campaigns`);
    await page.getByRole('heading', { name: 'Campaigns' }).waitFor();
    await page.getByRole('link', { name: 'New campaign' }).first().click();
    await page.waitForURL((u) => u.pathname === '/campaigns/new');
    await page.getByRole('textbox', { name: 'Campaign name' }).fill(firstName);
    await page.getByLabel('Add photo').setInputFiles(photo);
    await page.locator('.campaign-media-item[data-upload="ready"]').waitFor();
    await page.getByRole('img', { name: 'File 1' }).waitFor();
    await page.getByRole('textbox', { name: 'Caption' }).fill('Hi ');
    await page.getByRole('button', { name: 'First name' }).click();
    await page.getByRole('textbox', { name: 'Caption' }).press('End');
    await page.getByRole('textbox', { name: 'Caption' }).pressSequentially(', spring offers');
    const caption = await page.getByRole('textbox', { name: 'Caption' }).inputValue();
    if (caption !== 'Hi {first_name}, spring offers') throw new Error(`the caption is "${caption}"`);
    await page.getByRole('button', { name: 'Add button' }).click();
    await page.getByRole('textbox', { name: 'Button 1 text' }).fill('See the cars');
    await page.getByRole('textbox', { name: 'Button 1 link' }).fill('https://demo-motors.example/spring');
    const segment = page.getByRole('combobox', { name: 'Send to' });
    await page.locator(`option[value="${segmentId}"]`).waitFor({ state: 'attached' });
    await segment.selectOption(segmentId);
    const shown = await segment.locator('option:checked').innerText();
    if (shown !== `${segmentName} · 2 contacts`) throw new Error(`the segment reads "${shown}"`);
    await page.getByRole('checkbox', { name: '@DemoMotorsBot' }).check();
  });

  let firstId = null;
  await check('saved as a draft, it keeps its own address', async () => {
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByRole('status').filter({ hasText: 'Draft saved.' }).waitFor();
    await page.waitForURL((u) => /^\/campaigns\/[^/]+$/.test(u.pathname) && !u.pathname.endsWith('/new'));
    firstId = campaignIdOf(page);
    const saved = await api(`/api/campaigns/${encodeURIComponent(firstId)}`);
    if (saved.status !== 'draft' || saved.content.media.length !== 1 || saved.content.media[0].kind !== 'photo') {
      throw new Error(`the API has ${JSON.stringify({ status: saved.status, media: saved.content.media })}`);
    }
    if (saved.content.buttons[0]?.url !== 'https://demo-motors.example/spring') throw new Error(`buttons: ${JSON.stringify(saved.content.buttons)}`);
  });

  await check('"Send now" asks first, naming the audience count, then sends', async () => {
    await page.getByRole('button', { name: 'Send now' }).click();
    const dialog = page.getByRole('dialog', { name: `Send “${firstName}” now?` });
    await dialog.getByText(`It goes to 2 contacts in “${segmentName}”`, { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Send now' }).click();
    await page.locator('.campaign-progress').waitFor();
  });

  await check('the progress reaches 100 % and the campaign is finished', async () => {
    await page.getByRole('heading', { name: 'Finished', exact: true }).waitFor({ timeout: SEND_TIMEOUT });
    const pct = await page.locator('.campaign-progress [role="progressbar"]').getAttribute('aria-valuenow');
    if (pct !== '100') throw new Error(`the bar is at ${pct} %`);
    await page.getByText('2 of 2 sent').waitFor();
    await page.locator('.campaign-recipients tbody tr[data-outcome="sent"]').nth(1).waitFor();
    mkdirSync(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: join(RESULTS_DIR, 'campaign-finished-en.png'), fullPage: true });
  });

  await check('each buyer got exactly one photo, with their own first name and the button', async () => {
    const d = await sandbox(`/bots/${botId}/deliveries`);
    for (const b of buyers) {
      const got = (d.chats[String(b.id)] ?? 0) - before[b.id];
      if (got !== 1) throw new Error(`${b.first_name} got ${got} messages from the campaign`);
      const photos = (await botMessages(botId, b.id)).filter((m) => m.photo);
      if (photos.length !== 1) throw new Error(`${b.first_name} has ${photos.length} photos`);
      const m = photos[0];
      if (m.caption !== `Hi ${b.first_name}, spring offers`) throw new Error(`${b.first_name}'s caption is "${m.caption}"`);
      const button = m.reply_markup?.inline_keyboard?.flat()?.[0];
      if (button?.text !== 'See the cars' || button?.url !== 'https://demo-motors.example/spring') {
        throw new Error(`${b.first_name}'s buttons: ${JSON.stringify(m.reply_markup)}`);
      }
    }
  });

  await check('the list shows it finished, 2 of 2 sent', async () => {
    await page.goto(`${BASE}/campaigns`);
    const row = page.locator(`tr[data-campaign="${firstName}"]`);
    await row.getByText('Finished').waitFor();
    await row.getByText('2 of 2 sent').waitFor();
  });
  await desktop.close();

  // ---- Ukrainian, phone ----------------------------------------------------
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'uk-UA', timezoneId: ZONE });
  await phone.addInitScript(() => localStorage.setItem('cartie.language', 'uk'));
  const ukPage = await phone.newPage();
  ukPage.setDefaultTimeout(STEP_TIMEOUT);
  collectConsoleErrors(ukPage, consoleErrors);
  const hour = hourIn(ZONE);
  // Quiet from an hour ago until two hours on: the hour now is inside whatever minute it is.
  const quietFrom = (hour + 23) % 24;
  const quietTo = (hour + 2) % 24;
  const hh = (h) => `${String(h).padStart(2, '0')}:00`;

  await check('in Ukrainian on a phone: a text campaign with quiet hours over the hour now', async () => {
    await logIn(ukPage);
    await ukPage.goto(`${BASE}/campaigns/new`);
    await ukPage.getByRole('heading', { name: 'Нова розсилка' }).waitFor();
    await ukPage.getByRole('textbox', { name: 'Назва розсилки' }).fill(secondName);
    await ukPage.getByRole('textbox', { name: 'Текст повідомлення' }).fill('Вітаємо, {first_name}! Весняні пропозиції вже тут.');
    await ukPage.locator(`option[value="${segmentId}"]`).waitFor({ state: 'attached' });
    await ukPage.getByRole('combobox', { name: 'Кому' }).selectOption(segmentId);
    await ukPage.getByRole('checkbox', { name: '@DemoMotorsBot' }).check();
    await ukPage.getByRole('checkbox', { name: 'Тихі години: не надсилати вночі' }).check();
    const zone = await ukPage.getByRole('combobox', { name: 'Часовий пояс' }).inputValue();
    if (zone !== ZONE) throw new Error(`the time zone is ${zone}, not the phone's ${ZONE}`);
    await ukPage.getByRole('combobox', { name: 'З', exact: true }).selectOption({ label: hh(quietFrom) });
    await ukPage.getByRole('combobox', { name: 'До', exact: true }).selectOption({ label: hh(quietTo) });
    await ukPage.getByText('Зараз там тихі години').waitFor();
    await notWider(ukPage);
  });

  let secondId = null;
  await check('in Ukrainian: sent now, it starts but waits for the quiet hours to end', async () => {
    await ukPage.getByRole('button', { name: 'Надіслати зараз' }).click();
    const dialog = ukPage.getByRole('dialog', { name: `Надіслати «${secondName}» зараз?` });
    await dialog.getByText('Її отримають 2 контакти', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Надіслати зараз' }).click();
    await ukPage.locator('.campaign-progress').waitFor();
    secondId = campaignIdOf(ukPage);
    await ukPage.getByRole('heading', { name: 'Надсилається', exact: true }).waitFor({ timeout: SEND_TIMEOUT });
    await ukPage.getByText('Тихі години: надсилання чекає їх завершення.').waitFor();
    const c = await api(`/api/campaigns/${encodeURIComponent(secondId)}`);
    if (c.status !== 'running' || c.progress.sent !== 0 || c.progress.total !== 2) throw new Error(`the API has ${c.status}, ${c.progress.sent} of ${c.progress.total} sent`);
    await notWider(ukPage);
    await ukPage.screenshot({ path: join(RESULTS_DIR, 'campaign-quiet-uk-phone.png'), fullPage: true });
  });

  await check('in Ukrainian: Pause → paused, Resume → sending again', async () => {
    await ukPage.getByRole('button', { name: 'Призупинити' }).click();
    await ukPage.getByRole('heading', { name: 'На паузі', exact: true }).waitFor();
    await ukPage.getByRole('button', { name: 'Продовжити' }).click();
    await ukPage.getByRole('heading', { name: 'Надсилається', exact: true }).waitFor();
    await ukPage.getByRole('button', { name: 'Призупинити' }).waitFor();
  });

  await check('in Ukrainian: Cancel, confirmed, ends it; both buyers are still waiting', async () => {
    await ukPage.getByRole('button', { name: 'Скасувати розсилку' }).click();
    const dialog = ukPage.getByRole('dialog', { name: `Скасувати «${secondName}»?` });
    await dialog.getByText('2 одержувачі, які ще чекають', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Скасувати розсилку' }).click();
    await ukPage.getByRole('heading', { name: 'Скасовано', exact: true }).waitFor();
    await ukPage.getByRole('combobox', { name: 'Показати' }).selectOption('pending');
    await ukPage.waitForURL((u) => u.searchParams.get('outcome') === 'pending');
    const rows = ukPage.locator('.campaign-recipients tbody tr');
    await eventually('two waiting recipients', async () => (await rows.count()) === 2);
    for (const b of buyers) {
      const row = rows.filter({ hasText: `${b.first_name} ${family}` });
      await row.getByText('Очікує').waitFor();
    }
    const c = await api(`/api/campaigns/${encodeURIComponent(secondId)}`);
    if (c.status !== 'cancelled' || c.progress.sent !== 0) throw new Error(`the API has ${c.status} with ${c.progress.sent} sent`);
    await notWider(ukPage);
  });

  await check('in Ukrainian: the list on a phone shows both campaigns without scrolling sideways', async () => {
    await ukPage.goto(`${BASE}/campaigns`);
    await ukPage.getByRole('heading', { name: 'Розсилки' }).waitFor();
    await ukPage.locator(`tr[data-campaign="${secondName}"]`).getByText('Скасовано').waitFor();
    await ukPage.locator(`tr[data-campaign="${firstName}"]`).getByText('Завершено').waitFor();
    await notWider(ukPage);
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
  rmSync(dir, { recursive: true, force: true });
}

exit();
