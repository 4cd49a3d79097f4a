// End-to-end check of Inbox triage against a running Cartie with its
// Telegram sandbox, once in English and once in Ukrainian (a browser whose
// language is uk; every label is read from the app's own locale files): a
// buyer writes a phone number, the manager saves it to the contact in one
// click, writes a private note (the sandbox gets nothing), adds a canned
// reply and sends it with /shortcut ({first_name} filled in), and resolves
// the conversation.
//
//   CARTIE_URL=http://127.0.0.1:18080 CARTIE_DEMO_EMAIL=... CARTIE_DEMO_PASSWORD=... node e2e/triage.e2e.mjs
//
// Prints `N passed, M failed` last; exits 1 on any failure.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE, EMAIL, PASSWORD, SANDBOX, collectConsoleErrors, createRun, launchBrowser } from './lib.mjs';

const STEP_TIMEOUT = 15_000;
const here = dirname(fileURLToPath(import.meta.url));
const texts = (lang) => JSON.parse(readFileSync(join(here, '..', 'src', 'locales', lang, 'inbox.json'), 'utf8'));
const common = (lang) => JSON.parse(readFileSync(join(here, '..', 'src', 'locales', lang, 'common.json'), 'utf8'));

const consoleErrors = [];
const { check, Stop, watchdog, exit } = createRun(170_000);

async function sandbox(path, init) {
  const res = await fetch(`${SANDBOX}/sandbox/api${path}`, { ...init, headers: { 'Content-Type': 'application/json' } });
  const text = await res.text();
  if (!res.ok) throw new Error(`sandbox ${path} answered ${res.status}: ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : null;
}

const browser = await launchBrowser();
try {
  let botId;
  let token;
  await check(`the sandbox at ${SANDBOX} has @DemoMotorsBot, and the demo login works`, async () => {
    const bot = (await sandbox('/bots')).find((b) => b.username === 'DemoMotorsBot');
    if (!bot) throw new Error('no @DemoMotorsBot in the sandbox');
    botId = bot.id;
    const res = await fetch(`${BASE}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: EMAIL, password: PASSWORD }) });
    if (!res.ok) throw new Error(`login answered ${res.status}`);
    token = (await res.json()).token;
  });

  const stamp = Date.now().toString(36);
  for (const [lang, locale, buyerId] of [['en', 'en-US', 5101], ['uk', 'uk-UA', 5102]]) {
    const t = texts(lang);
    const c = common(lang);
    const buyer = { id: buyerId + (Date.now() % 1000) * 10, first_name: lang === 'en' ? 'Tess' : 'Тарас' };
    const shortcut = `${lang}${stamp}`.toLowerCase();
    const note = `${lang} note ${stamp}: can pay 9000`;
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale });
    await context.addInitScript((tok) => localStorage.setItem('cartie.token', tok), token);
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT);
    collectConsoleErrors(page, consoleErrors);
    const conv = `${botId}:${buyer.id}`;

    await check(`${lang}: the buyer's phone number shows as a link and is saved to the contact in one click`, async () => {
      await sandbox(`/bots/${botId}/messages`, { method: 'POST', body: JSON.stringify({ from: buyer, text: `Call me: 067 123 45 67 (${stamp})` }) });
      // The update goes webhook -> queue -> worker: open the chat once it is stored (on a busy machine that takes a while).
      for (const until = Date.now() + STEP_TIMEOUT; ; ) {
        const res = await fetch(`${BASE}/api/inbox/conversations/${conv}/messages`, { headers: { Authorization: `Bearer ${token}` } });
        if (res.ok && JSON.stringify(await res.json()).includes(stamp)) break;
        if (Date.now() > until) throw new Error('the buyer\'s message never reached the Inbox');
        await new Promise((r) => setTimeout(r, 250));
      }
      await page.goto(`${BASE}/inbox/${conv}`, { waitUntil: 'domcontentloaded' });
      const bubble = page.locator('.bubble-row.in', { hasText: stamp });
      await bubble.locator('a[href="tel:0671234567"]').waitFor();
      await bubble.getByRole('button', { name: t.triage.savePhone }).click();
      await page.getByTestId('contact-phone').filter({ hasText: '+380671234567' }).waitFor();
    });

    await check(`${lang}: a private note shows in the timeline and never reaches Telegram`, async () => {
      const before = (await sandbox(`/bots/${botId}/outbox?chat_id=${buyer.id}`)).length;
      await page.getByRole('tab', { name: t.triage.mode.note }).click();
      await page.getByRole('textbox', { name: t.triage.note }).fill(note);
      await page.getByRole('button', { name: t.triage.addNote }).click();
      await page.getByTestId('note').filter({ hasText: note }).waitFor();
      await new Promise((r) => setTimeout(r, 1500));
      const out = await sandbox(`/bots/${botId}/outbox?chat_id=${buyer.id}`);
      if (out.length !== before || out.some((m) => JSON.stringify(m).includes(note))) throw new Error('the sandbox got something for the note');
    });

    await check(`${lang}: a canned reply added in the library is sent with /${shortcut}`, async () => {
      await page.goto(`${BASE}/inbox?tab=all`, { waitUntil: 'domcontentloaded' });
      await page.getByRole('button', { name: t.canned.title }).click();
      const dialog = page.getByRole('dialog', { name: t.canned.title });
      await dialog.getByRole('button', { name: t.canned.add }).click();
      await dialog.getByLabel(t.canned.shortcut).fill(shortcut);
      await dialog.getByLabel(t.canned.text).fill(`Hi {first_name}, see you at 10 (${stamp})`);
      await dialog.getByRole('button', { name: c.actions.save }).click();
      await dialog.locator(`[data-canned="${shortcut}"]`).waitFor();
      await dialog.getByRole('button', { name: c.actions.close }).click();
      await page.goto(`${BASE}/inbox/${conv}`, { waitUntil: 'domcontentloaded' });
      // The buyer's name fills {first_name}: wait for the conversation, as a person would see it.
      await page.locator('.chat-title h2', { hasText: buyer.first_name }).waitFor();
      const box = page.getByRole('textbox', { name: t.message });
      await box.fill(`/${shortcut}`);
      await page.getByRole('listbox', { name: t.canned.suggestions }).waitFor();
      await box.press('Enter');
      const filled = `Hi ${buyer.first_name}, see you at 10 (${stamp})`;
      if ((await box.inputValue()) !== filled) throw new Error(`the composer holds "${await box.inputValue()}"`);
      await box.press('Enter');
      const until = Date.now() + STEP_TIMEOUT;
      for (;;) {
        const out = await sandbox(`/bots/${botId}/outbox?chat_id=${buyer.id}`);
        if (out.some((m) => m.message?.text === filled)) break;
        if (Date.now() > until) throw new Error('Telegram did not get the canned reply');
        await new Promise((r) => setTimeout(r, 300));
      }
    });

    await check(`${lang}: "Create request" opens filled in from the buyer's words`, async () => {
      const wish = lang === 'en' ? `Looking for a Toyota RAV4 2019-2021 under $25k (${stamp})` : `Шукаю рав4 з 2018 по 2020, бюджет до 22 тис $ (${stamp})`;
      await sandbox(`/bots/${botId}/messages`, { method: 'POST', body: JSON.stringify({ from: buyer, text: wish }) });
      await page.goto(`${BASE}/inbox/${conv}`, { waitUntil: 'domcontentloaded' });
      await page.locator('.bubble-row.in', { hasText: wish }).waitFor();
      await page.locator('.chat-create-request').click();
      const dialog = page.getByRole('dialog');
      await dialog.locator('.request-draft').waitFor();
      const want = lang === 'en' ? { make: 'Toyota', model: 'RAV4', year_from: '2019', year_to: '2021', budget: '25000', currency: 'USD' } : { make: 'Toyota', model: 'RAV4', year_from: '2018', year_to: '2020', budget: '22000', currency: 'USD' };
      for (const [name, value] of Object.entries(want)) {
        const got = await dialog.locator(`[name="${name}"]`).inputValue();
        if (got !== value) throw new Error(`${name} is "${got}", not "${value}"`);
      }
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
    });

    await check(`${lang}: the contact panel beside the chat shows the buyer and the phone saved from the message`, async () => {
      await page.getByRole('button', { name: t.panel.open, exact: true }).click();
      const panel = page.getByRole('complementary', { name: t.panel.title });
      await panel.getByRole('link', { name: '+380671234567' }).waitFor();
      await panel.getByRole('link', { name: buyer.first_name }).waitFor();
      await page.keyboard.press('Escape');
      await panel.waitFor({ state: 'detached' });
    });

    await check(`${lang}: resolving the conversation takes it out of the open list`, async () => {
      await page.getByRole('button', { name: t.triage.resolve }).click();
      await page.getByRole('button', { name: t.triage.reopen }).waitFor();
      await page.goto(`${BASE}/inbox?status=resolved`, { waitUntil: 'domcontentloaded' });
      await page.locator(`[data-conversation="${conv}"]`).waitFor();
      await page.goto(`${BASE}/inbox`, { waitUntil: 'domcontentloaded' });
      await page.locator('.conv-list, .state').first().waitFor();
      if (await page.locator(`[data-conversation="${conv}"]`).count()) throw new Error('still in the open list');
      await page.getByRole('button', { name: t.canned.title }).waitFor();
      // Leave the library as it was.
      await fetch(`${BASE}/api/inbox/canned/${encodeURIComponent(shortcut)}`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } });
    });
    await context.close();
  }

  await check('no console errors', async () => {
    if (consoleErrors.length) throw new Error(consoleErrors.join('\n'));
  });
} catch (e) {
  if (!(e instanceof Stop)) throw e;
} finally {
  clearTimeout(watchdog);
  await browser.close();
}
exit();
