// End-to-end check of Contacts against a running Cartie with its Telegram
// sandbox: two buyers write to @DemoMotorsBot and become contacts; the
// owner, in the browser, finds them by search, tags both from the list and
// filters by that tag, saves the filter as a segment (counted: 2), opens one
// contact (its deep link), then in Ukrainian on a phone-sized screen filters
// by the tag through the filter panel, removes it from one of them and
// counts the segment again (1). The tag filter is exported as CSV too; a CSV
// import shows its per-row report, the imported contact is erased, and the
// Inbox search finds both chats by a word of their messages.
//
//   CARTIE_URL=http://127.0.0.1:18080 CARTIE_SANDBOX_URL=http://127.0.0.1:18081 \
//   CARTIE_DEMO_EMAIL=... CARTIE_DEMO_PASSWORD=... node e2e/contacts.e2e.mjs
//
// Prints `N passed, M failed` last; exits 1 on any failure.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, EMAIL, PASSWORD, RESULTS_DIR, SANDBOX, collectConsoleErrors, createRun, eventually, launchBrowser, logIn } from './lib.mjs';

const STEP_TIMEOUT = 15_000;
const TOTAL_TIMEOUT = 150_000;
const stamp = Date.now().toString(36);
/** Both buyers share this family name, so one search finds exactly them. */
const family = `Tkach${stamp}`;
const tag = `spring ${stamp}`;
const segmentName = `Spring buyers ${stamp}`;

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

async function sandbox(path, init) {
  const res = await fetch(`${SANDBOX}/sandbox/api${path}`, { ...init, headers: { 'Content-Type': 'application/json' } });
  const text = await res.text();
  if (!res.ok) throw new Error(`sandbox ${init?.method ?? 'GET'} ${path} answered ${res.status}: ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : null;
}



const rows = (page) => page.locator('table.contacts-table tbody tr');

async function expectRows(page, n, what) {
  await eventually(`${what}: ${n} rows`, async () => (await rows(page).count()) === n);
}

const browser = await launchBrowser();

try {
  const buyers = [
    { id: 7_300_000 + (Date.now() % 100_000), first_name: 'Zoryana', last_name: family, username: `zoryana_${stamp}` },
    { id: 7_400_000 + (Date.now() % 100_000), first_name: 'Taras', last_name: family, username: `taras_${stamp}` },
  ];
  await check('two buyers write to @DemoMotorsBot and become contacts', async () => {
    ownerToken = (await api('/api/auth/login', { method: 'POST', body: JSON.stringify({ email: EMAIL, password: PASSWORD }) })).token;
    const bots = await sandbox('/bots');
    const botId = bots.find((b) => b.username === 'DemoMotorsBot')?.id;
    if (!botId) throw new Error(`bots there: ${bots.map((b) => '@' + b.username).join(', ') || 'none'}`);
    for (const b of buyers) {
      await sandbox(`/bots/${botId}/messages`, { method: 'POST', body: JSON.stringify({ from: b, text: `Hello, any SUVs? (${stamp})` }) });
    }
    await eventually('both contacts searchable', async () => (await api(`/api/contacts?q=${encodeURIComponent(family)}`)).items.length === 2);
  });

  // ---- English, desktop ----------------------------------------------------
  const desktop = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'en-US' });
  const page = await desktop.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  collectConsoleErrors(page, consoleErrors);
  await check('the owner searches Contacts by the family name and sees both buyers', async () => {
    await logIn(page);
    await page.goto(`${BASE}/contacts`);
    await page.getByRole('heading', { name: 'Contacts' }).waitFor();
    await page.getByRole('searchbox', { name: 'Search' }).fill(family.toLowerCase());
    await page.getByRole('search').getByRole('button', { name: 'Search' }).first().click();
    await expectRows(page, 2, 'the search');
  });
  await check('selecting both and adding a tag changes two contacts', async () => {
    await page.getByRole('checkbox', { name: 'Select all shown' }).check();
    await page.getByText('2 selected').waitFor();
    await page.getByRole('textbox', { name: 'Tag' }).fill(tag);
    await page.getByRole('button', { name: 'Add tag' }).click();
    await page.getByRole('status').filter({ hasText: '2 contacts changed' }).waitFor();
  });
  await check('filtering by the tag (a deep link) lists both, and a contact page shows it', async () => {
    await page.goto(`${BASE}/contacts?tag=${encodeURIComponent(tag)}`);
    await expectRows(page, 2, 'the tag filter');
    await page.getByRole('link', { name: `Zoryana ${family}` }).click();
    await page.waitForURL((u) => u.pathname === `/contacts/${buyers[0].id}`);
    await page.getByRole('heading', { name: `Zoryana ${family}` }).waitFor();
    await page.getByText(tag, { exact: true }).waitFor();
    await page.getByRole('link', { name: 'Open chat' }).waitFor();
    mkdirSync(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: join(RESULTS_DIR, 'contact-en.png') });
  });
  await check('the tag filter saved as a segment is counted (2) and opens the list filtered', async () => {
    await page.goto(`${BASE}/contacts?tag=${encodeURIComponent(tag)}`);
    await expectRows(page, 2, 'the tag filter');
    await page.getByRole('textbox', { name: 'Segment name' }).fill(segmentName);
    await page.getByRole('button', { name: 'Save filters as a segment' }).click();
    const row = page.locator(`li.segment[data-segment="${segmentName}"]`);
    await row.getByText(/^2 contacts as of /).waitFor();
    await row.locator('button[aria-current="true"]').waitFor();
    await page.goto(`${BASE}/contacts`);
    await page.locator(`li.segment[data-segment="${segmentName}"] .segment-open`).click();
    await page.waitForURL((u) => u.searchParams.get('tag') === tag);
    await expectRows(page, 2, 'the segment opened');
  });
  await check('exporting the tag filter as CSV gives a file with both buyers', async () => {
    await page.goto(`${BASE}/contacts?tag=${encodeURIComponent(tag)}`);
    await expectRows(page, 2, 'the tag filter');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const link = page.getByRole('link', { name: /^Download contacts-.*\.csv \(2 contacts\)$/ });
    await link.waitFor();
    const res = await fetch(await link.getAttribute('href'));
    const csv = await res.text();
    if (!res.ok || !csv.startsWith('id,name,')) throw new Error(`the file answered ${res.status}: ${csv.slice(0, 120)}`);
    for (const b of buyers) if (!csv.includes(`${b.first_name} ${family}`)) throw new Error(`${b.first_name} is not in the file`);
  });
  await check('importing a CSV shows each row: a new contact no bot can reach yet, and a refused row with its column', async () => {
    await page.goto(`${BASE}/contacts`);
    await page.getByRole('link', { name: 'Import CSV' }).click();
    await page.waitForURL((u) => u.pathname === '/contacts/import');
    const csv = `phone;first_name;last_name;tags\n+380 67 ${String(Date.now() % 10_000_000).padStart(7, '0')};Ostap;${family};${tag}\n;Nobody;${family};\n`;
    await page.getByLabel('CSV file').setInputFiles({ name: 'crm.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { name: 'Import finished' }).waitFor();
    await page.getByText('a row needs a Telegram id, a username or a phone').waitFor();
    await page.getByRole('link', { name: 'Open contact' }).click();
    await page.getByRole('heading', { name: `Ostap ${family}` }).waitFor();
    await page.getByText('no bot can write to them until they start one').first().waitFor();
  });
  await check('erasing the imported contact removes it from the list at once', async () => {
    await page.getByRole('button', { name: 'Erase contact' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Erase for good' }).click();
    await page.getByRole('status').filter({ hasText: `Ostap ${family} was erased.` }).waitFor();
    await page.goto(`${BASE}/contacts?q=${encodeURIComponent(family.toLowerCase())}`);
    await expectRows(page, 2, 'the two buyers, without the erased one');
  });
  await desktop.close();

  // ---- Ukrainian, phone ----------------------------------------------------
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'uk-UA' });
  await phone.addInitScript(() => localStorage.setItem('cartie.language', 'uk'));
  const ukPage = await phone.newPage();
  ukPage.setDefaultTimeout(STEP_TIMEOUT);
  collectConsoleErrors(ukPage, consoleErrors);
  await check('in Ukrainian on a phone: the filter panel filters by the tag', async () => {
    await logIn(ukPage);
    await ukPage.goto(`${BASE}/contacts`);
    await ukPage.getByRole('heading', { name: 'Контакти' }).waitFor();
    await ukPage.getByRole('button', { name: 'Фільтри', exact: true }).click();
    await ukPage.getByRole('textbox', { name: 'Мітка' }).fill(tag);
    await ukPage.getByRole('search').getByRole('button', { name: 'Шукати' }).last().click();
    await expectRows(ukPage, 2, 'the tag filter in Ukrainian');
    const wide = await ukPage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (wide > 1) throw new Error(`the page is ${wide}px wider than the phone's screen`);
  });
  await check('in Ukrainian: removing the tag from one contact leaves one with it', async () => {
    await ukPage.getByRole('checkbox', { name: `Вибрати: Taras ${family}` }).check();
    await ukPage.getByText('Вибрано 1').waitFor();
    await ukPage.locator('.bulk-tags input[type="text"]').fill(tag);
    await ukPage.getByRole('button', { name: 'Зняти мітку' }).click();
    await ukPage.getByRole('status').filter({ hasText: 'Змінено 1 контакт' }).waitFor();
    await expectRows(ukPage, 1, 'after removing the tag');
  });
  await check('in Ukrainian: the segment counted again holds one contact', async () => {
    const row = ukPage.locator(`li.segment[data-segment="${segmentName}"]`);
    await row.getByRole('button', { name: 'Порахувати знову' }).click();
    await row.getByText(/^1 контакт станом на /).waitFor();
    await ukPage.screenshot({ path: join(RESULTS_DIR, 'contacts-uk-phone.png') });
  });
  await check('in Ukrainian: the Inbox search finds both chats by a word of their messages', async () => {
    await ukPage.goto(`${BASE}/inbox`);
    await ukPage.getByRole('searchbox', { name: 'Пошук розмов' }).fill(stamp);
    await ukPage.getByRole('search', { name: 'Пошук розмов' }).getByRole('button', { name: 'Шукати' }).click();
    await ukPage.getByText(`Розмови, що відповідають «${stamp}»`).waitFor();
    await eventually('two conversations found', async () => (await ukPage.locator('.conv-list li').count()) === 2);
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
