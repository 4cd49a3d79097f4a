// End-to-end check of the Inbox against a running Cartie with its Telegram
// sandbox (the dev runtime connects @DemoMotorsBot to the demo workspace):
// a buyer writes through the sandbox, the conversation shows up by polling,
// a manager answers with text, a photo and a voice note, and the sandbox
// confirms Telegram got them.
//
//   CARTIE_URL=http://127.0.0.1:18080 CARTIE_SANDBOX_URL=http://127.0.0.1:18081 \
//   CARTIE_DEMO_EMAIL=... CARTIE_DEMO_PASSWORD=... node e2e/inbox.e2e.mjs
//
// CARTIE_SANDBOX_URL defaults to CARTIE_URL's port + 1 (where `cartie dev` puts it).
// Prints `N passed, M failed` last; exits 1 on any failure.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE, EMAIL, PASSWORD, RESULTS_DIR, SANDBOX, collectConsoleErrors, createRun, launchBrowser, makePng } from './lib.mjs';

const STEP_TIMEOUT = 15_000;
const TOTAL_TIMEOUT = 110_000;
const BUYER = { id: 4242, first_name: 'Playwright', username: 'pw_buyer' };
const QUESTION = 'Is the Audi A4 still available?';

const consoleErrors = [];
const { check, fail, Stop, watchdog, exit } = createRun(TOTAL_TIMEOUT);

async function sandbox(path, init) {
  const res = await fetch(`${SANDBOX}/sandbox/api${path}`, {
    ...init,
    headers: { 'Content-Type': 'application/json', ...(init?.headers ?? {}) },
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`sandbox ${init?.method ?? 'GET'} ${path} answered ${res.status}: ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : null;
}

/** Polls `fn` until it returns something truthy. */
async function eventually(what, fn, timeout = STEP_TIMEOUT) {
  const until = Date.now() + timeout;
  let last;
  while (Date.now() < until) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${what}: not seen within ${timeout / 1000} s`);
}



const tmp = mkdtempSync(join(tmpdir(), 'cartie-e2e-'));
const photoPath = join(tmp, 'showroom.png');
writeFileSync(photoPath, makePng(160, 120));
const stamp = Date.now().toString(36);
const REPLY = `Yes, it is! Come for a test drive 🚗 (${stamp})`;
const CAPTION = `Audi A4, front view (${stamp})`;

// A fake microphone, so the voice note can be recorded headless.
const browser = await launchBrowser(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream']);
let botId;
let voiceSent = false;

try {
  const context = await browser.newContext({ viewport: { width: 1366, height: 860 } });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  page.setDefaultNavigationTimeout(STEP_TIMEOUT);
  collectConsoleErrors(page, consoleErrors);

  await check(`the sandbox at ${SANDBOX} has @DemoMotorsBot`, async () => {
    const bots = await sandbox('/bots');
    const bot = bots.find((b) => b.username === 'DemoMotorsBot');
    if (!bot) throw new Error(`bots there: ${bots.map((b) => '@' + b.username).join(', ') || 'none'}`);
    botId = bot.id;
  });

  await check('logging in and opening the Inbox', async () => {
    await page.goto(`${BASE}/login`, { waitUntil: 'domcontentloaded' });
    await page.getByLabel('E-mail').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((u) => u.pathname === '/').catch(async () => {
      const alert = await page.getByRole('alert').first().textContent({ timeout: 500 }).catch(() => null);
      throw new Error(`still on ${new URL(page.url()).pathname}${alert ? ` — the page says: ${alert}` : ''}`);
    });
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Inbox' }).click();
    await page.waitForURL((u) => u.pathname === '/inbox');
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    await page.getByRole('combobox', { name: 'Bot' }).waitFor();
    // Marks this page load: a reload would lose it.
    await page.evaluate(() => {
      window.__inboxE2e = true;
    });
  });

  const item = page.locator('.conv-item', { hasText: 'Playwright' }).filter({ hasText: QUESTION });

  await check('a buyer\'s message appears in the open Inbox without a reload', async () => {
    await sandbox(`/bots/${botId}/messages`, { method: 'POST', body: JSON.stringify({ from: BUYER, text: QUESTION }) });
    await item.first().waitFor({ timeout: STEP_TIMEOUT });
    if (!(await page.evaluate(() => window.__inboxE2e === true))) throw new Error('the page was reloaded');
  });

  await check('opening the conversation shows the message and marks it read', async () => {
    await item.first().click();
    await page.waitForURL((u) => u.pathname === `/inbox/${botId}:${BUYER.id}` || u.pathname === `/inbox/${botId}%3A${BUYER.id}`);
    const chat = page.getByRole('region', { name: 'Conversation' });
    await chat.getByRole('heading', { name: 'Playwright' }).waitFor();
    await chat.locator('.bubble-row.in', { hasText: QUESTION }).first().waitFor();
    await page.locator('.conv-item.active .unread-badge').waitFor({ state: 'detached' });
  });

  await check('sending a text (Enter) shows it in the chat', async () => {
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill(REPLY);
    await box.press('Enter');
    await page.locator('.bubble-row.out', { hasText: REPLY }).waitFor();
    if ((await box.inputValue()) !== '') throw new Error('the composer was not cleared');
  });

  await check('attaching and sending a photo with a caption shows it in the chat', async () => {
    await page.locator('input[data-attach="photo"]').setInputFiles(photoPath);
    await page.getByLabel('Caption').fill(CAPTION);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const bubble = page.locator('.bubble-row.out', { hasText: CAPTION });
    await bubble.waitFor();
    // The picture itself, fetched with the session token into a blob: URL.
    await eventually('the sent photo rendered', () =>
      bubble.locator('img').evaluate((img) => img.src.startsWith('blob:') && img.complete && img.naturalWidth > 0).catch(() => false),
    );
  });

  await check('Telegram (the sandbox) received the text and the photo', async () => {
    await eventually('sendMessage and sendPhoto in the outbox', async () => {
      const out = await sandbox(`/bots/${botId}/outbox?chat_id=${BUYER.id}`);
      const text = out.find((m) => m.method === 'sendMessage' && m.message?.text === REPLY);
      const photo = out.find((m) => m.method === 'sendPhoto' && m.message?.caption === CAPTION);
      return text && photo;
    });
  });

  await check(
    'recording a voice note sends OGG/Opus that Telegram accepts as a voice message',
    async () => {
      await page.getByRole('button', { name: 'Record a voice message' }).click();
      await page.getByText(/Recording 0:0[1-9]/).waitFor({ timeout: 5_000 });
      await page.getByRole('button', { name: 'Stop' }).click();
      await page.getByLabel('Voice message preview').waitFor();
      const sentBefore = (await sandbox(`/bots/${botId}/outbox?chat_id=${BUYER.id}`)).filter((m) => m.method === 'sendVoice').length;
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await page.locator('.bubble-row.out [data-testid="message-voice"], .bubble-row.out:has(.bubble-audio)').last().waitFor();
      await eventually('sendVoice in the outbox', async () => {
        const out = await sandbox(`/bots/${botId}/outbox?chat_id=${BUYER.id}`);
        return out.filter((m) => m.method === 'sendVoice').length > sentBefore;
      });
      voiceSent = true;
    },
    { critical: false },
  );

  await check('the conversation list shows the latest reply as the preview', async () => {
    const latest = voiceSent ? 'Voice message' : CAPTION;
    await page.locator('.conv-item.active .conv-preview', { hasText: 'You:' }).filter({ hasText: latest }).waitFor();
    mkdirSync(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: join(RESULTS_DIR, 'inbox.png') });
  }, { critical: false });

  await check('no console errors or uncaught exceptions', async () => {
    await page.waitForTimeout(500);
    if (consoleErrors.length) throw new Error(`${consoleErrors.length} error(s):\n  ${consoleErrors.join('\n  ')}`);
  }, { critical: false });
} catch (err) {
  if (!(err instanceof Stop)) fail('unexpected error', err);
  if (consoleErrors.length) console.log(`console errors seen so far:\n  ${consoleErrors.join('\n  ')}`);
} finally {
  await browser.close().catch(() => undefined);
  rmSync(tmp, { recursive: true, force: true });
  clearTimeout(watchdog);
}

exit();
