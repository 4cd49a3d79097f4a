// End-to-end check of B2B between two dealers against a running Cartie
// (`cartie dev`, whose jobs worker does the matching). The superadmin
// creates a second workspace ("Kyiv Cars …") and its owner joins through
// the API. In the browser, in English: the demo owner shows their invite
// link; the partner opens it and sends the invitation; the demo owner opens
// the notification and accepts. The demo owner posts a request (a Toyota
// RAV4 2019–2021 for at most 25 000 EUR, automatic); the partner fills in
// their company card and adds a RAV4 listed at 26 000 EUR through the API.
// The request's page finds it ("Stock of Kyiv Cars …", 1 000 EUR over
// budget); the partner opens the shared request, offers the car at
// 25 000 EUR with a comment; the demo owner comments back and accepts it:
// the request is won, and the partner's offer shows accepted. Then the key
// pages again in Ukrainian (the partner switches in the header; the demo
// owner on a 390 px phone), not wider than the screen, and no console
// errors anywhere.
//
//   CARTIE_URL=http://127.0.0.1:18080 CARTIE_DEMO_EMAIL=... CARTIE_DEMO_PASSWORD=... \
//   CARTIE_SUPERADMIN_EMAIL=... CARTIE_SUPERADMIN_PASSWORD=... node e2e/b2b.e2e.mjs
//
// Prints `N passed, M failed` last; exits 1 on any failure.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, EMAIL, PASSWORD, RESULTS_DIR, collectConsoleErrors, createRun, eventually, launchBrowser, logIn, notWider } from './lib.mjs';

const STEP_TIMEOUT = 20_000;
/** Matching runs in the jobs worker: allow it time. */
const JOB_TIMEOUT = 60_000;
const TOTAL_TIMEOUT = 360_000;
const stamp = Date.now().toString(36);
const PARTNER = { name: `Kyiv Cars ${stamp}`, slug: `kyiv-cars-${stamp}`, email: `owner-${stamp}@kyiv-cars.test`, owner: 'Ivan Kyiv', password: `kyiv-pass-${stamp}` };
const NOTES = `Buyer wants a hybrid if possible (b2b e2e ${stamp}).`;
const CAR = {
  make: 'Toyota',
  model: 'RAV4',
  year: 2020,
  price: 26000,
  currency: 'EUR',
  mileage: 61000,
  mileage_unit: 'km',
  fuel: 'hybrid',
  transmission: 'automatic',
  body: 'SUV',
  color: 'white',
  description: `Added by the b2b e2e run ${stamp}.`,
  photos: [],
  status: 'available',
};
const COMMENT = `Service book, one owner; can deliver on Friday (${stamp}).`;

const consoleErrors = [];
const { check, fail, Stop, watchdog, exit } = createRun(TOTAL_TIMEOUT);

async function api(token, path, init = {}) {
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
const login = async (email, password) => (await api(null, '/api/auth/login', { method: 'POST', body: JSON.stringify({ email, password }) })).token;

/** Logs in through the login page as someone other than the demo owner. */
async function logInAs(page, email, password) {
  await page.goto(`${BASE}/login`, { waitUntil: 'domcontentloaded' });
  await page.locator('input[type="email"]').fill(email);
  await page.locator('input[type="password"]').fill(password);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL((u) => u.pathname === '/');
}

const browser = await launchBrowser();

try {
  let demoToken = null;
  let partnerToken = null;
  let demo = null; // CompanyView of the demo workspace
  let partner = null; // CompanyView of the partner's
  let requestId = null;
  let carId = null;

  await check('a second workspace made by the superadmin, its owner joined', async () => {
    const adminEmail = process.env.CARTIE_SUPERADMIN_EMAIL;
    const adminPassword = process.env.CARTIE_SUPERADMIN_PASSWORD;
    if (!adminEmail || !adminPassword) throw new Error('set CARTIE_SUPERADMIN_EMAIL and CARTIE_SUPERADMIN_PASSWORD');
    const root = await login(adminEmail, adminPassword);
    const created = await api(root, '/api/admin/workspaces', {
      method: 'POST',
      body: JSON.stringify({ name: PARTNER.name, slug: PARTNER.slug, owner_email: PARTNER.email, time_zone: 'Europe/Kyiv' }),
    });
    const token = created.owner_invite.link_path.split('/').pop();
    const joined = await api(null, `/api/invites/${encodeURIComponent(token)}/accept`, {
      method: 'POST',
      body: JSON.stringify({ name: PARTNER.owner, password: PARTNER.password }),
    });
    partnerToken = joined.token;
    demoToken = await login(EMAIL, PASSWORD);
    demo = await api(demoToken, '/api/company');
    partner = await api(partnerToken, '/api/company');
    if (partner.slug !== PARTNER.slug) throw new Error(`the partner's slug is ${partner.slug}`);
  });

  // ---- English, desktop: two browsers, one per dealer ------------------------
  const demoCtx = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-US' });
  const partnerCtx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  await partnerCtx.addInitScript(() => localStorage.setItem('cartie.language', 'en'));
  const page = await demoCtx.newPage();
  const other = await partnerCtx.newPage();
  for (const p of [page, other]) {
    p.setDefaultTimeout(STEP_TIMEOUT);
    collectConsoleErrors(p, consoleErrors);
  }
  const inviteLink = () => `${BASE}/partners/connect/${encodeURIComponent(demo.slug)}`;

  await check('the demo owner sees their own invite link under Partners → Invite', async () => {
    await logIn(page);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Partners' }).click();
    await page.getByRole('heading', { name: 'Partners', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Invite', exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/partners/invite');
    const link = page.getByRole('textbox', { name: 'Your invite link' });
    await eventually('the invite link', async () => (await link.inputValue()) === inviteLink());
  });

  await check('the partner opens that link: the form is filled with the slug, one click sends the invitation', async () => {
    await logInAs(other, PARTNER.email, PARTNER.password);
    await other.goto(inviteLink());
    const slug = other.getByRole('textbox', { name: 'Company short name or invite link' });
    await slug.waitFor();
    if ((await slug.inputValue()) !== demo.slug) throw new Error(`the slug field says "${await slug.inputValue()}"`);
    await other.getByRole('button', { name: 'Send invitation' }).click();
    await other.getByRole('status').filter({ hasText: `Invitation sent to ${demo.profile.name}` }).waitFor();
    await other.goto(`${BASE}/partners`);
    await other.locator(`[data-partner="${demo.workspace_id}"]`).getByText('Invitation sent', { exact: true }).waitFor();
  });

  await check('the demo owner opens the invitation from the notifications and accepts it', async () => {
    await page.goto(`${BASE}/notifications`);
    await page.getByRole('link', { name: new RegExp(`${PARTNER.name} invites your company to become partners`) }).first().click();
    await page.waitForURL((u) => u.pathname === '/partners' && u.searchParams.get('invitation') === partner.workspace_id);
    const card = page.locator(`[data-partner="${partner.workspace_id}"]`);
    await card.getByText('Invites you', { exact: true }).waitFor();
    if (!(await card.evaluate((el) => el.classList.contains('b2b-highlight')))) throw new Error('the invitation is not marked');
    await card.getByRole('button', { name: 'Accept' }).click();
    await page.getByRole('status').filter({ hasText: `You and ${PARTNER.name} are now partners.` }).waitFor();
    await card.getByText('Partner', { exact: true }).waitFor();
    await other.reload();
    await other.locator(`[data-partner="${demo.workspace_id}"]`).getByText('Partner', { exact: true }).waitFor();
  });

  await check('the partner fills in its company card', async () => {
    await other.goto(`${BASE}/partners/company`);
    await other.getByRole('textbox', { name: 'City' }).fill('Kyiv');
    await other.getByRole('textbox', { name: 'Phone' }).fill('+380 44 123 4567');
    await other.getByRole('textbox', { name: 'Telegram' }).fill(`https://t.me/kyiv_${stamp}`);
    await other.getByRole('button', { name: 'Save', exact: true }).click();
    await other.getByRole('status').filter({ hasText: 'Company card saved.' }).waitFor();
    const tg = await other.getByRole('textbox', { name: 'Telegram' }).inputValue();
    if (tg !== `@kyiv_${stamp}`) throw new Error(`the Telegram field says "${tg}"`);
  });

  await check('the demo owner posts a request: Toyota RAV4 2019–2021, at most 25 000 EUR, automatic', async () => {
    await page.goto(`${BASE}/requests`);
    await page.getByRole('link', { name: 'New request' }).first().click();
    await page.waitForURL((u) => u.pathname === '/requests/new');
    const form = page.getByRole('form', { name: 'New request' });
    await form.getByRole('textbox', { name: 'Make' }).fill('Toyota');
    await form.getByRole('textbox', { name: 'Model' }).fill('RAV4');
    await form.getByRole('textbox', { name: 'Year from' }).fill('2019');
    await form.getByRole('textbox', { name: 'Year to' }).fill('2021');
    await form.getByRole('textbox', { name: 'Budget' }).fill('25000');
    await form.getByRole('textbox', { name: 'Mileage up to, km' }).fill('80000');
    await form.getByRole('combobox', { name: 'Gearbox' }).selectOption('automatic');
    await form.getByRole('textbox', { name: 'Notes' }).fill(NOTES);
    if (!(await form.getByRole('checkbox', { name: 'Share with partners' }).isChecked())) throw new Error('a new request is not shared');
    await form.getByRole('button', { name: 'Post request' }).click();
    await page.waitForURL((u) => /^\/requests\/[^/]+$/.test(u.pathname) && !u.pathname.endsWith('/new'));
    requestId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
    await page.getByRole('status').filter({ hasText: 'Request posted.' }).waitFor();
    await page.getByRole('heading', { name: 'Toyota RAV4 · 2019–2021' }).waitFor();
    await page.getByText(NOTES).waitFor();
    // The first matching runs in the worker; the page says so, then shows its result.
    await page.getByText('Matching…').waitFor({ state: 'detached', timeout: JOB_TIMEOUT });
    await page.goto(`${BASE}/requests?status=open`);
    await page.locator(`tr[data-request="${requestId}"]`).getByText('Open', { exact: true }).waitFor();
  });

  await check('the partner adds a RAV4 listed at 26 000 EUR, and it appears among the request’s matches, 1 000 EUR over budget', async () => {
    carId = (await api(partnerToken, '/api/inventory', { method: 'POST', body: JSON.stringify(CAR) })).id;
    await page.goto(`${BASE}/requests/${encodeURIComponent(requestId)}`);
    // The page asks again by itself while the request is live.
    const card = page.locator(`li.b2b-match[data-car="${carId}"]`);
    await card.waitFor({ timeout: JOB_TIMEOUT });
    await card.getByText(`Stock of ${PARTNER.name}`).waitFor();
    await card.getByText('€1,000 over budget').waitFor();
    if ((await card.locator('[data-criterion="price"]').getAttribute('data-outcome')) !== 'missed') throw new Error('the price is not missed');
    for (const c of ['make', 'model', 'year', 'mileage', 'transmission']) {
      const o = await card.locator(`[data-criterion="${c}"]`).getAttribute('data-outcome');
      if (o !== 'met') throw new Error(`${c} is ${o}`);
    }
    const score = Number(await card.getAttribute('data-score'));
    if (!(score >= 50 && score < 100)) throw new Error(`the score is ${score}`);
    await card.getByText(`${score}/100`).waitFor();
  });

  let offerPrice = '25000';
  await check('the partner opens the shared request and offers the car at 25 000 EUR with a comment', async () => {
    await other.goto(`${BASE}/partners/requests`);
    const link = other.locator(`a[href="/partners/requests/${encodeURIComponent(demo.workspace_id)}/${encodeURIComponent(requestId)}"]`);
    await link.click();
    await other.getByRole('heading', { name: 'Toyota RAV4 · 2019–2021' }).waitFor();
    await other.getByText(NOTES).waitFor();
    const match = other.locator(`li.b2b-match[data-car="${carId}"]`);
    await match.getByRole('button', { name: 'Offer this car' }).click();
    const form = other.locator('#offer-form');
    const price = form.getByRole('textbox', { name: 'Your price' });
    if ((await price.inputValue()) !== '26000') throw new Error(`the price is prefilled with "${await price.inputValue()}"`);
    await price.fill(offerPrice);
    await form.getByRole('textbox', { name: 'Comment' }).fill(COMMENT);
    await form.getByRole('button', { name: 'Send offer' }).click();
    await other.getByRole('status').filter({ hasText: `Offer sent: Toyota RAV4 2020 to ${demo.profile.name}.` }).waitFor();
    const offer = other.locator('li.b2b-offer').first();
    await offer.getByText('Awaiting answer').waitFor();
    await offer.getByText(COMMENT).waitFor();
    await match.getByText('You offered this car.').waitFor();
  });

  await check('the demo owner sees the offer beside the matches, answers in its thread and accepts it: the request is won', async () => {
    await page.goto(`${BASE}/requests/${encodeURIComponent(requestId)}`);
    const offer = page.locator('li.b2b-offer').filter({ hasText: PARTNER.name });
    await offer.getByText(COMMENT).waitFor({ timeout: JOB_TIMEOUT });
    await offer.getByText('€25,000').waitFor();
    await offer.getByRole('textbox', { name: 'Your comment' }).fill('Deal if you deliver on Friday.');
    await offer.getByRole('button', { name: 'Comment', exact: true }).click();
    await offer.getByText('Deal if you deliver on Friday.').waitFor();
    await offer.getByRole('button', { name: 'Accept' }).click();
    const dialog = page.getByRole('dialog', { name: 'Accept this offer?' });
    await dialog.getByText(`${PARTNER.name} offers Toyota RAV4 2020 for €25,000.`, { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Accept' }).click();
    await page.getByRole('status').filter({ hasText: `Offer from ${PARTNER.name} accepted: the request is won.` }).waitFor();
    await offer.getByText('Accepted', { exact: true }).waitFor();
    await page.locator('.page-header .b2b-status-won').getByText('Won').waitFor();
    await page.getByText(`Offer received from ${PARTNER.name}`).waitFor();
    await page.getByText(`Offer from ${PARTNER.name} accepted`, { exact: true }).waitFor();
    await page.getByRole('group', { name: 'Change the status' }).getByRole('button', { name: 'Reopen' }).waitFor();
    mkdirSync(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: join(RESULTS_DIR, 'b2b-request-en.png'), fullPage: true });
    await page.goto(`${BASE}/requests?status=won`);
    await page.locator(`tr[data-request="${requestId}"]`).getByText('Won', { exact: true }).waitFor();
  });

  await check('the partner sees the offer accepted, and is told in the notifications', async () => {
    await other.goto(`${BASE}/partners/requests/${encodeURIComponent(demo.workspace_id)}/${encodeURIComponent(requestId)}`);
    await other.locator('li.b2b-offer').first().getByText('Accepted', { exact: true }).waitFor();
    await other.getByText('Deal if you deliver on Friday.').waitFor();
    await other.getByText('This request is closed: it takes no more offers.').waitFor();
    await other.goto(`${BASE}/notifications`);
    await other.getByRole('link', { name: new RegExp(`${demo.profile.name} accepted your offer for the request`) }).first().click();
    await other.waitForURL((u) => u.pathname === `/partners/requests/${demo.workspace_id}/${requestId}`);
  });

  await check(
    'a request the partner shares shows under the demo owner’s Partner requests, with its page',
    async () => {
      const shared = await api(partnerToken, '/api/requests', {
        method: 'POST',
        body: JSON.stringify({ make: 'Skoda', model: 'Octavia', year_from: 2018, budget: 15000, currency: 'EUR', notes: `Shared by the partner (${stamp}).` }),
      });
      await page.goto(`${BASE}/partners/requests`);
      const row = page.locator(`tr[data-request="${shared.request.id}"]`);
      await row.getByText(PARTNER.name).waitFor();
      // The make is written as the dictionary knows it (Škoda).
      await row.getByRole('link', { name: /Octavia/ }).click();
      await page.getByRole('heading', { name: /Octavia · from 2018$/ }).waitFor();
      await page.getByText(`Shared by the partner (${stamp}).`).waitFor();
      await page.getByRole('heading', { name: /Your matching cars/ }).waitFor();
    },
    { critical: false },
  );

  await check('no console errors in English', async () => {
    if (consoleErrors.length) throw new Error(consoleErrors.slice(0, 5).join(' | '));
  });

  // ---- Ukrainian -----------------------------------------------------------
  await check('uk: the partner switches to Ukrainian in the header; its pages speak Ukrainian', async () => {
    const before = consoleErrors.length;
    await other.goto(`${BASE}/partners`);
    await other.getByRole('combobox', { name: 'Language' }).selectOption('uk');
    await other.getByRole('heading', { name: 'Партнери', exact: true }).waitFor();
    await other.locator(`[data-partner="${demo.workspace_id}"]`).getByText('Партнер', { exact: true }).waitFor();
    await other.getByRole('link', { name: 'Запити партнерів', exact: true }).click();
    // The won request is no longer listed (only live ones are): the list or its empty state, in Ukrainian.
    await other.getByRole('columnheader', { name: 'Партнер' }).or(other.getByText('Запитів від партнерів немає')).first().waitFor();
    await other.goto(`${BASE}/partners/requests/${encodeURIComponent(demo.workspace_id)}/${encodeURIComponent(requestId)}`);
    await other.getByRole('heading', { name: 'Ваші відповідні авто' }).waitFor();
    await other.locator('li.b2b-offer').first().getByText('Прийнято', { exact: true }).waitFor();
    await other.getByText('Цей запит закрито: пропозиції більше не приймаються.').waitFor();
    await other.locator(`li.b2b-match[data-car="${carId}"]`).getByText(/^на \D*1\s000\D* більше за бюджет$/).waitFor();
    await other.goto(`${BASE}/partners/invite`);
    await other.getByRole('heading', { name: 'Ваше посилання-запрошення' }).waitFor();
    await other.goto(`${BASE}/partners/company`);
    await other.getByRole('heading', { name: 'Картка компанії', exact: true }).waitFor();
    if (consoleErrors.length > before) throw new Error(consoleErrors.slice(before).join(' | '));
  });

  await demoCtx.close();
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'uk-UA' });
  await phone.addInitScript(() => localStorage.setItem('cartie.language', 'uk'));
  const ukPage = await phone.newPage();
  ukPage.setDefaultTimeout(STEP_TIMEOUT);
  collectConsoleErrors(ukPage, consoleErrors);

  await check('uk, 390 px: the requests, the won request and the partners fit the phone', async () => {
    const before = consoleErrors.length;
    await logIn(ukPage);
    await ukPage.goto(`${BASE}/requests`);
    await ukPage.getByRole('heading', { name: 'Запити', exact: true }).waitFor();
    await ukPage.locator(`tr[data-request="${requestId}"]`).getByText('Успішний').waitFor();
    await notWider(ukPage);
    await ukPage.goto(`${BASE}/requests/${encodeURIComponent(requestId)}`);
    await ukPage.getByRole('heading', { name: 'Збіги' }).waitFor();
    const card = ukPage.locator(`li.b2b-match[data-car="${carId}"]`);
    await card.getByText(`Склад компанії ${PARTNER.name}`).waitFor();
    await card.locator('[data-criterion="year"]').getByText('2020, у межах 2019–2021').waitFor();
    await ukPage.locator('li.b2b-offer').filter({ hasText: PARTNER.name }).getByText('Прийнято', { exact: true }).waitFor();
    await ukPage.getByText(`Пропозицію від ${PARTNER.name} прийнято`, { exact: true }).waitFor();
    await notWider(ukPage);
    await ukPage.screenshot({ path: join(RESULTS_DIR, 'b2b-request-uk-phone.png'), fullPage: true });
    await ukPage.goto(`${BASE}/requests/new`);
    await ukPage.getByRole('button', { name: 'Опублікувати запит' }).waitFor();
    await notWider(ukPage);
    for (const path of ['/partners', '/partners/requests', '/partners/invite', '/partners/company']) {
      await ukPage.goto(`${BASE}${path}`);
      await ukPage.getByRole('heading', { name: 'Партнери', exact: true }).waitFor();
      await ukPage.locator('.spinner').first().waitFor({ state: 'detached' });
      await notWider(ukPage);
    }
    await ukPage.screenshot({ path: join(RESULTS_DIR, 'b2b-partners-uk-phone.png'), fullPage: true });
    if (consoleErrors.length > before) throw new Error(consoleErrors.slice(before).join(' | '));
  });

  await check('no console errors anywhere', async () => {
    if (consoleErrors.length) throw new Error(consoleErrors.slice(0, 5).join(' | '));
  });
  await phone.close();
  await partnerCtx.close();
} catch (err) {
  if (!(err instanceof Stop)) fail('unexpected', err);
} finally {
  clearTimeout(watchdog);
  await browser.close();
}
exit();
