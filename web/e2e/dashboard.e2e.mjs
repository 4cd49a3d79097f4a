// The dashboard end to end: a buyer writes to @DemoMotorsBot through the
// Telegram sandbox and a car goes on sale, then the demo owner opens `/`,
// sees the figures, what the cars are worth and the charts, and clicks EVERY
// figure to land on the page state it counts (the address and the filter or
// tab shown); then the same in Ukrainian, switched in the header, with no
// console errors; and the page fits a 390 px phone.
//
// The header's switch stores the language on the account, and a stored
// language cannot be unset (it would then beat the browser's language in
// i18n.e2e.mjs): the Ukrainian round is an admin the demo owner invites here.
//
//   CARTIE_URL=http://127.0.0.1:18080 CARTIE_SANDBOX_URL=http://127.0.0.1:18081 \
//   CARTIE_DEMO_EMAIL=... CARTIE_DEMO_PASSWORD=... node e2e/dashboard.e2e.mjs
//
// Prints `N passed, M failed` last; exits 1 on any failure.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, EMAIL, PASSWORD, RESULTS_DIR, SANDBOX, collectConsoleErrors, createRun, eventually, launchBrowser, logIn, notWider } from './lib.mjs';

const STEP_TIMEOUT = 15_000;
const TOTAL_TIMEOUT = 180_000;

const consoleErrors = [];
const { check, fail, Stop, watchdog, exit } = createRun(TOTAL_TIMEOUT);

const stamp = Date.now().toString(36);
const BUYER = { id: 5_000_000 + Math.floor(Math.random() * 1_000_000), first_name: 'Dashboard', username: `dash_${stamp}` };
const MEMBER = { email: `dashboard-${stamp}@demo.test`, name: `Dashboard Tester ${stamp}`, password: `dash-pass-${stamp}-123` };

/** The words a check needs in each language (the rest is read from values and attributes). */
const WORDS = {
  en: {
    dashboard: 'Dashboard',
    nav: 'Main navigation',
    language: 'Language',
    stock: 'Cars on sale',
    worth: 'Worth',
    leads: 'New leads per day',
    messages: 'Messages per day',
    campaigns: 'Campaign delivery',
    requests: 'Requests',
    inbox: 'Inbox',
  },
  uk: {
    dashboard: 'Головна',
    nav: 'Головне меню',
    language: 'Мова',
    stock: 'Авто в продажу',
    worth: 'На суму',
    leads: 'Нові ліди за днями',
    messages: 'Повідомлення за днями',
    campaigns: 'Доставка розсилок',
    requests: 'Запити',
    inbox: 'Вхідні',
  },
};

/** Waits until `locator` (a select or input) has `value`. */
async function hasValue(locator, value, what) {
  await locator.first().waitFor();
  await eventually(`${what} is "${value}"`, async () => (await locator.first().inputValue()) === value, STEP_TIMEOUT);
}

/** The current tab of a page's `nav.tabs` leads to `href`. */
async function currentTab(page, href) {
  await page.locator(`nav.tabs a[aria-current="page"][href="${href}"]`).waitFor();
}

const ACTIVE = new Set(['scheduled', 'starting', 'running', 'paused']);

/**
 * Every figure: the address it must open (null: the card's own link) and the
 * state that page shows for it. `w` is the language's words.
 */
const FIGURES = {
  leads_today: { state: (p) => hasValue(p.locator('select[name="active_days"]'), '1', 'Contacts: last active') },
  leads_week: { state: (p) => hasValue(p.locator('select[name="active_days"]'), '7', 'Contacts: last active') },
  unread_conversations: {
    state: async (p) => {
      const box = p.locator('.inbox-unread-filter input[type="checkbox"]');
      await box.waitFor();
      await eventually('Inbox: the unread-only box is ticked', () => box.isChecked(), STEP_TIMEOUT);
    },
  },
  open_conversations: {
    state: async (p) => {
      await hasValue(p.locator('.inbox-list-header select'), 'open', 'Inbox: status');
      if (await p.locator('.inbox-unread-filter input[type="checkbox"]').isChecked()) throw new Error('Inbox: unread-only is ticked for the open conversations');
    },
  },
  conversations: {
    state: async (p, w) => {
      await p.getByRole('heading', { name: w.inbox, exact: true }).waitFor();
      await p.locator('.inbox-tabs [data-tab="all"][aria-current="page"]').waitFor();
    },
  },
  active_campaigns: {
    state: async (p) => {
      await hasValue(p.locator('.campaigns-filter select[name="status"]'), 'active', 'Campaigns: status filter');
      await p.waitForLoadState('networkidle').catch(() => undefined);
      const shown = await p.locator('tr[data-status]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
      const other = shown.filter((s) => !ACTIVE.has(s));
      if (other.length) throw new Error(`Campaigns: the active filter lists ${other.join(', ')}`);
    },
  },
  scheduled_posts: {
    state: async (p) => {
      // The views are Month, Week, List: List is pressed; the status filter says scheduled.
      await p.locator('.cal-views button').nth(2).and(p.locator('[aria-pressed="true"]')).waitFor();
      await hasValue(p.locator('.cal-filters select').nth(1), 'scheduled', 'Calendar: status');
    },
  },
  open_requests: { state: (p, w) => p.getByRole('heading', { name: w.requests, exact: true }).waitFor() },
  new_offers: { state: (p, w) => p.getByRole('heading', { name: w.requests, exact: true }).waitFor() },
  stock: {
    state: async (p) => {
      await hasValue(p.locator('form[role="search"] select[name="status"]'), 'available', 'Inventory: status filter');
      await p.locator('form[role="search"] button[aria-expanded="true"]').waitFor();
    },
  },
  bots: { state: (p) => currentTab(p, '/telegram?tab=bots') },
  // `?tab=accounts` is the hub's own address for the tab.
  accounts_online: { url: '/telegram/accounts', state: (p) => currentTab(p, '/telegram/accounts') },
  team_members: { state: (p) => currentTab(p, '/settings?tab=team') },
  pending_invites: { state: (p) => currentTab(p, '/settings?tab=team') },
};

/** Logs `who` in through the login page. */
async function logInAs(page, who) {
  await page.goto(`${BASE}/login`, { waitUntil: 'domcontentloaded' });
  await page.locator('input[type="email"]').fill(who.email);
  await page.locator('input[type="password"]').fill(who.password);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL((u) => u.pathname === '/');
}

async function apiLogin(request) {
  const res = await request.post(`${BASE}/api/auth/login`, { data: { email: EMAIL, password: PASSWORD } });
  if (!res.ok()) throw new Error(`login answered ${res.status()}`);
  return (await res.json()).token;
}

async function sandbox(path, init) {
  const res = await fetch(`${SANDBOX}/sandbox/api${path}`, { ...init, headers: { 'Content-Type': 'application/json' } });
  const text = await res.text();
  if (!res.ok) throw new Error(`sandbox ${init?.method ?? 'GET'} ${path} answered ${res.status}: ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : null;
}

const browser = await launchBrowser();
let token = null;

/** Opens `/` and waits for the figures and the charts. */
async function openDashboard(page, w) {
  await page.goto(`${BASE}/`, { waitUntil: 'domcontentloaded' });
  await page.getByRole('heading', { name: w.dashboard, exact: true }).waitFor();
  await page.locator('.kpi-grid .kpi-card').first().waitFor();
  await page.locator('.dash-charts').waitFor();
}

/** Clicks every figure on `/` in turn and checks where it leads. */
async function everyFigure(page, lang) {
  const w = WORDS[lang];
  await openDashboard(page, w);
  const keys = await page.locator('.kpi-card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-kpi')));
  const missing = Object.keys(FIGURES).filter((k) => !keys.includes(k));
  if (missing.length) throw new Error(`figures missing from the dashboard: ${missing.join(', ')}`);
  for (const key of keys) {
    const figure = FIGURES[key];
    if (!figure) throw new Error(`a figure this script does not know: ${key}`);
    await check(`${lang}: the "${key}" card opens what it counts`, async () => {
      const before = consoleErrors.length;
      await openDashboard(page, w);
      const card = page.locator(`.kpi-card[data-kpi="${key}"]`);
      const href = await card.getAttribute('href');
      await card.click();
      const want = figure.url ?? href;
      await page.waitForURL((u) => u.pathname + u.search === want, { timeout: STEP_TIMEOUT }).catch(() => {
        throw new Error(`at ${new URL(page.url()).pathname}${new URL(page.url()).search}, not ${want}`);
      });
      await page.getByRole('navigation', { name: w.nav }).waitFor();
      await figure.state(page, w);
      if (consoleErrors.length > before) throw new Error(consoleErrors.slice(before).join(' | '));
    }, { critical: false });
  }
}

try {
  // ---- what the dashboard will count --------------------------------------------
  const setup = await browser.newContext();
  token = await apiLogin(setup.request);
  const auth = { Authorization: `Bearer ${token}` };

  await check('a car goes on sale and a new buyer writes to @DemoMotorsBot', async () => {
    const car = await setup.request.post(`${BASE}/api/inventory`, {
      headers: auth,
      data: { make: 'Skoda', model: `Kodiaq ${stamp}`, year: 2022, price: 31900, currency: 'EUR', mileage: 18000, mileage_unit: 'km', status: 'available' },
    });
    if (!car.ok()) throw new Error(`adding a car answered ${car.status()}: ${(await car.text()).slice(0, 200)}`);
    const bots = await sandbox('/bots');
    const bot = bots.find((b) => b.username === 'DemoMotorsBot');
    if (!bot) throw new Error('the sandbox has no @DemoMotorsBot');
    await sandbox(`/bots/${bot.id}/messages`, { method: 'POST', body: JSON.stringify({ from: BUYER, text: `Is the Kodiaq still for sale? (${stamp})` }) });
    await eventually(
      'the dashboard counts the lead, the unread chat and the car',
      async () => {
        const res = await setup.request.get(`${BASE}/api/dashboard`, { headers: auth });
        if (!res.ok()) return false;
        const d = await res.json();
        const kpi = (k) => d.kpis.find((x) => x.key === k)?.value ?? 0;
        return kpi('leads_today') >= 1 && kpi('unread_conversations') >= 1 && kpi('stock') >= 1 && d.stock_value.length > 0;
      },
      STEP_TIMEOUT,
    );
  });

  await check('the demo owner invites an admin for the Ukrainian round', async () => {
    const invite = await setup.request.post(`${BASE}/api/team/invites`, { headers: auth, data: { email: MEMBER.email, role: 'admin' } });
    if (!invite.ok()) throw new Error(`invite answered ${invite.status()}`);
    const link = (await invite.json()).link_path.split('/').pop();
    const joined = await setup.request.post(`${BASE}/api/invites/${link}/accept`, { data: { name: MEMBER.name, password: MEMBER.password } });
    if (!joined.ok()) throw new Error(`accepting answered ${joined.status()}`);
  });
  await setup.close();

  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  page.setDefaultNavigationTimeout(STEP_TIMEOUT);
  collectConsoleErrors(page, consoleErrors);

  await check('en: log in and see the figures, what the cars are worth and the charts', async () => {
    await logIn(page);
    await openDashboard(page, WORDS.en);
    const stock = page.locator('.kpi-card[data-kpi="stock"]');
    await stock.getByText(WORDS.en.stock).waitFor();
    const worth = await stock.locator('[data-stock-value]').innerText();
    if (!/^Worth .*€/.test(worth)) throw new Error(`the stock card says "${worth}"`);
    for (const h of ['leads', 'messages', 'campaigns']) await page.getByRole('heading', { name: WORDS.en[h], exact: true }).waitFor();
    // The new buyer's lead is a bar of the bot's series, named as the bot is.
    const leads = page.locator('.dash-chart[data-chart="leads"]');
    await leads.locator('.recharts-bar-rectangle').first().waitFor();
    await leads.locator('.chart-legend-text', { hasText: '@DemoMotorsBot' }).waitFor();
    await page.locator('.dash-chart[data-chart="messages"] .recharts-line-curve').first().waitFor();
    const campaigns = page.locator('.dash-chart[data-chart="campaigns"]');
    await campaigns.locator('.dash-campaigns-table, .dash-chart-empty').first().waitFor();
    mkdirSync(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: join(RESULTS_DIR, 'dashboard.png'), fullPage: true });
  });

  await check('en: a campaign in the delivery chart opens its page (when there is one)', async () => {
    const link = page.locator('.dash-campaigns-table a[href^="/campaigns?campaign="]').first();
    if (!(await link.count())) return;
    const id = decodeURIComponent((await link.getAttribute('href')).split('campaign=')[1]);
    await link.click();
    await page.waitForURL((u) => decodeURIComponent(u.pathname) === `/campaigns/${id}`);
  });

  await everyFigure(page, 'en');
  await context.close();

  const ukContext = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-US' });
  const ukPage = await ukContext.newPage();
  ukPage.setDefaultTimeout(STEP_TIMEOUT);
  ukPage.setDefaultNavigationTimeout(STEP_TIMEOUT);
  collectConsoleErrors(ukPage, consoleErrors);

  await check('uk: switching the language in the header speaks Ukrainian on the dashboard', async () => {
    const page = ukPage;
    await logInAs(page, MEMBER);
    await openDashboard(page, WORDS.en);
    // Stored on the server too (it wins at the next load): wait for that.
    const stored = page.waitForResponse((r) => r.url().endsWith('/api/auth/me') && r.request().method() === 'PATCH');
    await page.getByRole('combobox', { name: WORDS.en.language }).selectOption('uk');
    if (!(await stored).ok()) throw new Error('the language was not stored');
    await page.getByRole('navigation', { name: WORDS.uk.nav }).waitFor();
    await page.getByRole('heading', { name: WORDS.uk.dashboard, exact: true }).waitFor();
    const stock = page.locator('.kpi-card[data-kpi="stock"]');
    await stock.getByText(WORDS.uk.stock).waitFor();
    const worth = await stock.locator('[data-stock-value]').innerText();
    if (!worth.startsWith(WORDS.uk.worth)) throw new Error(`the stock card says "${worth}"`);
    for (const h of ['leads', 'messages', 'campaigns']) await page.getByRole('heading', { name: WORDS.uk[h], exact: true }).waitFor();
    const lang = await page.evaluate(() => document.documentElement.lang);
    if (lang !== 'uk') throw new Error(`<html lang> is "${lang}"`);
  });

  await everyFigure(ukPage, 'uk');

  await check('uk: back to English in the header', async () => {
    await openDashboard(ukPage, WORDS.uk);
    const stored = ukPage.waitForResponse((r) => r.url().endsWith('/api/auth/me') && r.request().method() === 'PATCH');
    await ukPage.getByRole('combobox', { name: WORDS.uk.language }).selectOption('en');
    await stored;
    await ukPage.getByRole('navigation', { name: WORDS.en.nav }).waitFor();
  });
  await ukContext.close();

  await check('a 390 px phone: the dashboard fits, charts included', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US' });
    const p = await phone.newPage();
    p.setDefaultTimeout(STEP_TIMEOUT);
    collectConsoleErrors(p, consoleErrors);
    await p.goto(`${BASE}/login`, { waitUntil: 'domcontentloaded' });
    await p.evaluate((t) => localStorage.setItem('cartie.token', t), token);
    await openDashboard(p, WORDS.en);
    await p.locator('.dash-chart[data-chart="leads"] .recharts-bar-rectangle').first().waitFor();
    await p.waitForLoadState('networkidle').catch(() => undefined);
    await notWider(p);
    const box = await p.locator('.dash-chart[data-chart="leads"] .dash-chart-box').boundingBox();
    if (!box || box.width < 200 || box.width > 390) throw new Error(`the leads chart is ${box?.width}px wide`);
    await p.screenshot({ path: join(RESULTS_DIR, 'dashboard-390.png'), fullPage: true });
    await phone.close();
  });

  await check('no console errors or uncaught exceptions', async () => {
    if (consoleErrors.length) throw new Error(consoleErrors.join('\n'));
  });
} catch (err) {
  if (!(err instanceof Stop)) fail('unexpected error', err);
} finally {
  clearTimeout(watchdog);
  await browser.close();
  exit();
}
