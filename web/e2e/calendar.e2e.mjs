// End-to-end check of the Content calendar against a running Cartie with
// its Telegram sandbox. A channel is made in the sandbox with @DemoMotorsBot
// as its admin, and a car is added through the API. In the browser, in
// English, the owner connects the channel, gives it weekly posting slots
// (Mon, Wed, Fri at 07:45), queues a post with "Next free slot" and sees it
// on the next slot day, writes a post template with a
// variable chip, opens the car in Inventory and presses "Post this car",
// schedules it from the template for tomorrow at 10:00 in the workspace's
// time zone, drags it to another day on the month grid (or, when that day
// is not on the grid, to 15:00 in the week view), schedules a second post
// 20 minutes from it and sees the clash warned about (never blocked),
// publishes the first one now (the sandbox's channel has it, filled with
// the car's details), marks the car sold in Inventory and sees the post
// marked (the sandbox's post edited with the label). Then, in Ukrainian
// on a phone, the calendar is a list, the post says what happened, and the
// page does not scroll sideways.
//
//   CARTIE_URL=http://127.0.0.1:18080 CARTIE_SANDBOX_URL=http://127.0.0.1:18081 \
//   CARTIE_DEMO_EMAIL=... CARTIE_DEMO_PASSWORD=... node e2e/calendar.e2e.mjs
//
// Prints `N passed, M failed` last; exits 1 on any failure. Not in run.mjs
// yet: it waits for the calendar's API and the sandbox's channel hooks.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, EMAIL, PASSWORD, RESULTS_DIR, SANDBOX, collectConsoleErrors, createRun, eventually, launchBrowser, logIn, notWider } from './lib.mjs';

const STEP_TIMEOUT = 20_000;
/** Publishing and the sold-car job go through the worker: allow them time. */
const JOB_TIMEOUT = 60_000;
const TOTAL_TIMEOUT = 300_000;
const stamp = Date.now().toString(36);
/** Sandbox usernames: 5-32 of A-Za-z0-9_, a letter first. */
const channelUsername = `cal_${stamp}`;
const channelTitle = `Demo Motors deals ${stamp}`;
const templateName = `Car of the day ${stamp}`;
const model = `Octavia ${stamp}`;
const CAR = {
  make: 'Skoda',
  model,
  year: 2021,
  price: 18900,
  currency: 'EUR',
  mileage: 64000,
  mileage_unit: 'km',
  fuel: 'petrol',
  transmission: 'manual',
  description: `Added by the calendar e2e run ${stamp}.`,
  photos: [],
  status: 'available',
};
/** The label a sold car's posts get (set below, with the conflict window). */
const SOLD_LABEL = 'SOLD';
const CONFLICT_WINDOW = 30;

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

// ---- the sandbox's channel hooks: adjust here if they change ---------------

/**
 * A public channel `@username` titled `title` with the bot as an
 * administrator having `rights` ({post, edit, delete, pin}); its chat id.
 * (`POST /sandbox/api/bots/{bot_id}/channels {title, username, kind,
 * membership}` → 201 `ChannelInfo {id, …}`.)
 */
async function createSandboxChannel(botId, { username, title, rights }) {
  const created = await sandbox(`/bots/${botId}/channels`, {
    method: 'POST',
    body: JSON.stringify({
      kind: 'channel',
      title,
      username,
      membership: {
        status: 'administrator',
        can_post_messages: rights.post,
        can_edit_messages: rights.edit,
        can_delete_messages: rights.delete,
        can_pin_messages: rights.pin,
      },
    }),
  });
  return created.id;
}

/** The channel's messages as they are now (`GET /sandbox/api/channels/{chat_id}/posts`), without deleted and service ones. */
async function sandboxPosts(chatId) {
  const posts = await sandbox(`/channels/${chatId}/posts`);
  return posts.filter((p) => !p.deleted && !p.service && p.bot_id != null);
}
const textOf = (p) => p.text ?? p.caption ?? '';

// ---- dates in the workspace's zone --------------------------------------------

/** `YYYY-MM-DD` in `zone` at `ms`. */
const dayIn = (zone, ms) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));
function addDays(day, n) {
  const d = new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000);
  return d.toISOString().slice(0, 10);
}
/** The days the month grid of `day` shows: whole weeks, Monday first. */
function monthGrid(day) {
  const first = `${day.slice(0, 8)}01`;
  const weekday = (d) => (new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7;
  const last = addDays(`${addDays(first, 32).slice(0, 8)}01`, -1);
  return { start: addDays(first, -weekday(first)), end: addDays(last, 6 - weekday(last)) };
}

const postIdOf = (page) => decodeURIComponent(new URL(page.url()).pathname.split('/').pop());

/** The posting slots set on the channel: Mon, Wed, Fri at an hour no other step uses. */
const SLOT_DAYS = ['mon', 'wed', 'fri'];
const SLOT_TIME = '07:45';
/** The day (`YYYY-MM-DD` in `zone`) of the first slot after now: today if its time is still to come. */
function nextSlotDay(zone, now = Date.now()) {
  const today = dayIn(zone, now);
  const clock = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(now));
  const names = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  for (let n = 0; n <= 7; n++) {
    const day = addDays(today, n);
    const weekday = names[(new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7];
    if (SLOT_DAYS.includes(weekday) && (n > 0 || clock < SLOT_TIME)) return day;
  }
  throw new Error('no slot day in a week');
}

const browser = await launchBrowser();

try {
  let botId = null;
  let chatId = null;
  let carId = null;
  let zone = 'UTC';

  await check('a sandbox channel with @DemoMotorsBot as admin, a car, and the calendar rules', async () => {
    ownerToken = (await api('/api/auth/login', { method: 'POST', body: JSON.stringify({ email: EMAIL, password: PASSWORD }) })).token;
    const me = await api('/api/auth/me');
    zone = me.time_zone || 'UTC';
    const bots = await sandbox('/bots');
    botId = bots.find((b) => b.username === 'DemoMotorsBot')?.id;
    if (!botId) throw new Error(`bots there: ${bots.map((b) => '@' + b.username).join(', ') || 'none'}`);
    chatId = await createSandboxChannel(botId, { username: channelUsername, title: channelTitle, rights: { post: true, edit: true, delete: true, pin: true } });
    carId = (await api('/api/inventory', { method: 'POST', body: JSON.stringify(CAR) })).id;
    await api('/api/calendar/settings', {
      method: 'PUT',
      body: JSON.stringify({ sold_action: 'edit', sold_label: SOLD_LABEL, conflict_window_minutes: CONFLICT_WINDOW }),
    });
  });

  // ---- English, desktop ----------------------------------------------------
  const desktop = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-US', timezoneId: zone });
  const page = await desktop.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  collectConsoleErrors(page, consoleErrors);

  await check('the owner connects the channel by its @username and sees the bot’s rights', async () => {
    await logIn(page);
    await page.goto(`${BASE}/calendar/channels`);
    await page.getByRole('heading', { name: 'Content calendar' }).waitFor();
    const bot = page.getByRole('combobox', { name: 'Bot' });
    await page.locator(`option[value="${botId}"]`).waitFor({ state: 'attached' });
    await bot.selectOption(String(botId));
    await page.getByRole('textbox', { name: 'Channel or group' }).fill(`@${channelUsername}`);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByRole('status').filter({ hasText: `${channelTitle} is connected` }).waitFor();
    const row = page.locator(`li[data-channel="${chatId}"]`);
    for (const right of ['Posts', 'Edits posts', 'Deletes posts', 'Pins posts']) await row.getByText(right, { exact: true }).waitFor();
  });

  await check('weekly posting slots (Mon, Wed, Fri at 07:45) are set on the channel, with its next free slots', async () => {
    const slots = page.locator(`li[data-channel="${chatId}"]`).getByRole('region', { name: 'Posting slots' });
    await slots.getByText('No posting slots yet.').waitFor();
    await slots.getByRole('button', { name: 'Add a slot' }).click();
    const first = slots.getByRole('group', { name: 'Slot 1' });
    for (const day of ['Monday', 'Wednesday', 'Friday']) await first.getByRole('checkbox', { name: day }).check();
    await slots.getByLabel('Time', { exact: true }).fill(SLOT_TIME);
    const shownZone = await slots.getByRole('combobox', { name: 'Time zone' }).inputValue();
    if (shownZone !== zone) throw new Error(`the slots' zone is ${shownZone}, the workspace's ${zone}`);
    await slots.getByRole('button', { name: 'Save slots' }).click();
    await slots.getByRole('status').filter({ hasText: 'Posting slots saved: 3 posts a week.' }).waitFor();
    await slots.getByText(/^Next free slots: /).waitFor();
    const saved = (await api('/api/channels')).items.find((c) => c.id === chatId);
    if (JSON.stringify(saved?.slots) !== JSON.stringify([{ days: SLOT_DAYS, time: SLOT_TIME }]) || saved?.slot_time_zone !== zone) {
      throw new Error(`the API has ${JSON.stringify({ slots: saved?.slots, zone: saved?.slot_time_zone })}`);
    }
    if (saved.next_slots[0]?.local !== `${nextSlotDay(zone)}T${SLOT_TIME}`) throw new Error(`the next free slot is ${JSON.stringify(saved.next_slots[0])}`);
  });

  let queuedId = null;
  await check('“Next free slot” schedules a post at the channel’s next slot; the calendar shows it on that day', async () => {
    await page.goto(`${BASE}/calendar/new?channel=${encodeURIComponent(String(chatId))}`);
    await page.getByRole('textbox', { name: 'Message text' }).fill(`Queued offers (${stamp})`);
    const next = page.getByRole('radio', { name: 'Next free slot' });
    await next.check();
    await page.getByText(/the channel's next free slot\.$/).waitFor();
    await page.getByRole('button', { name: 'Add to queue' }).click();
    await page.getByRole('status').filter({ hasText: 'Scheduled for' }).waitFor();
    await page.waitForURL((u) => u.pathname.startsWith('/calendar/posts/'));
    queuedId = postIdOf(page);
    const day = nextSlotDay(zone);
    const saved = await api(`/api/posts/${encodeURIComponent(queuedId)}`);
    if (saved.status !== 'scheduled' || saved.send_at?.slice(0, 16) !== `${day}T${SLOT_TIME}` || saved.time_zone !== zone) {
      throw new Error(`the API has ${JSON.stringify({ status: saved.status, send_at: saved.send_at, time_zone: saved.time_zone })}, the next slot is ${day}`);
    }
    await page.goto(`${BASE}/calendar?date=${day}`);
    await page.locator(`td[data-day="${day}"] [data-post="${queuedId}"]`).waitFor();
    // The slot is taken now: the channel's next free one is later.
    const channel = (await api('/api/channels')).items.find((c) => c.id === chatId);
    if (channel.next_slots[0]?.local <= `${day}T${SLOT_TIME}`) throw new Error(`the taken slot is still offered: ${JSON.stringify(channel.next_slots[0])}`);
  });

  await check('a post template, its price put in with a variable chip', async () => {
    await page.getByRole('link', { name: 'Templates' }).click();
    await page.waitForURL((u) => u.pathname === '/calendar/templates');
    await page.getByRole('button', { name: 'New template' }).first().click();
    await page.getByRole('textbox', { name: 'Template name' }).fill(templateName);
    const text = page.getByRole('textbox', { name: 'Message text' });
    await text.fill('{make} {model} {year}, only ');
    await text.press('End');
    await page.getByRole('group', { name: 'Variables' }).getByRole('button', { name: 'Price' }).click();
    const value = await text.inputValue();
    if (value !== '{make} {model} {year}, only {price}') throw new Error(`the text is "${value}"`);
    await page.getByRole('button', { name: 'Save template' }).click();
    await page.getByRole('status').filter({ hasText: `Template “${templateName}” saved.` }).waitFor();
    await page.locator(`li[data-template="${templateName}"]`).waitFor();
  });

  const tomorrow = addDays(dayIn(zone, Date.now()), 1);
  let postId = null;
  await check('“Post this car” in Inventory opens the form with the car; scheduled from the template for tomorrow 10:00', async () => {
    await page.goto(`${BASE}/inventory/${encodeURIComponent(carId)}`);
    await page.getByRole('link', { name: 'Post this car' }).click();
    await page.waitForURL((u) => u.pathname === '/calendar/new' && u.searchParams.get('car') === carId);
    await page.getByRole('link', { name: `Skoda ${model} 2021` }).waitFor();
    await page.locator(`option[value="${chatId}"]`).waitFor({ state: 'attached' });
    await page.getByRole('combobox', { name: 'Channel' }).selectOption(String(chatId));
    await page.getByRole('combobox', { name: 'Template' }).selectOption({ label: templateName });
    await page.getByText("When you save, the car's details fill the variables.").waitFor();
    await page.getByRole('textbox', { name: 'Date and time' }).fill(`${tomorrow}T10:00`);
    const shownZone = await page.getByRole('combobox', { name: 'Time zone' }).inputValue();
    if (shownZone !== zone) throw new Error(`the form's zone is ${shownZone}, the workspace's ${zone}`);
    await page.getByRole('button', { name: 'Save and schedule' }).click();
    await page.getByRole('status').filter({ hasText: 'Scheduled for' }).waitFor();
    await page.waitForURL((u) => u.pathname.startsWith('/calendar/posts/'));
    postId = postIdOf(page);
    const saved = await api(`/api/posts/${encodeURIComponent(postId)}`);
    if (saved.status !== 'scheduled' || saved.send_at?.slice(0, 16) !== `${tomorrow}T10:00` || saved.time_zone !== zone || saved.car_id !== carId) {
      throw new Error(`the API has ${JSON.stringify({ status: saved.status, send_at: saved.send_at, time_zone: saved.time_zone, car_id: saved.car_id })}`);
    }
    if (!saved.content.text?.includes(`Skoda ${model} 2021`)) throw new Error(`the template was not filled: "${saved.content.text}"`);
  });

  let movedDay = tomorrow;
  let movedTime = '10:00';
  await check('dragged on the calendar, it moves (PUT with the new time) and says when it goes', async () => {
    const target = addDays(tomorrow, 1);
    const grid = monthGrid(tomorrow);
    const chip = () => page.locator(`[data-post="${postId}"]`).first();
    if (target <= grid.end) {
      await page.goto(`${BASE}/calendar?date=${tomorrow}`);
      await page.locator(`td[data-day="${tomorrow}"] [data-post="${postId}"]`).waitFor();
      await chip().dragTo(page.locator(`td[data-day="${target}"]`));
      movedDay = target;
    } else {
      // Tomorrow ends the grid (the last day of a month, a Sunday): move it within the day in the week view.
      await page.goto(`${BASE}/calendar?view=week&date=${tomorrow}`);
      await page.locator(`td[data-day="${tomorrow}"][data-hour="10"] [data-post="${postId}"]`).waitFor();
      await chip().dragTo(page.locator(`td[data-day="${tomorrow}"][data-hour="15"]`));
      movedTime = '15:00';
    }
    await page.getByRole('status').filter({ hasText: 'Moved: it goes on' }).waitFor();
    await page.locator(`td[data-day="${movedDay}"] [data-post="${postId}"]`).first().waitFor();
    const moved = await api(`/api/posts/${encodeURIComponent(postId)}`);
    if (moved.send_at?.slice(0, 16) !== `${movedDay}T${movedTime}`) throw new Error(`the API has send_at ${moved.send_at}`);
  });

  let secondId = null;
  let thirdId = null;
  await check('a second post 20 minutes from it is saved, with the clash warned about in the form and on the calendar', async () => {
    await page.goto(`${BASE}/calendar/new?channel=${encodeURIComponent(String(chatId))}`);
    await page.getByRole('textbox', { name: 'Message text' }).fill(`Open day this week (${stamp})`);
    const [h, m] = movedTime.split(':').map(Number);
    const close = `${movedDay}T${String(h).padStart(2, '0')}:${String(m + 20).padStart(2, '0')}`;
    await page.getByRole('textbox', { name: 'Date and time' }).fill(close);
    await page.getByRole('button', { name: 'Save and schedule' }).click();
    await page.waitForURL((u) => u.pathname.startsWith('/calendar/posts/'));
    secondId = postIdOf(page);
    await page.getByRole('link', { name: /Another post to this channel is 20 min away/ }).waitFor();
    await page.goto(`${BASE}/calendar?date=${movedDay}`);
    await page.locator(`td[data-day="${movedDay}"] [data-post="${secondId}"]`).getByRole('img', { name: 'Close to another post to this channel' }).waitFor();
    mkdirSync(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: join(RESULTS_DIR, 'calendar-month-en.png'), fullPage: true });
  });

  await check('“Publish now” sends the first post to the channel at once, filled with the car’s details', async () => {
    await page.goto(`${BASE}/calendar/posts/${encodeURIComponent(postId)}`);
    await page.getByRole('button', { name: 'Publish now' }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish this post now?' });
    await dialog.getByRole('button', { name: 'Publish now' }).click();
    await page.locator('.page-header .post-status').filter({ hasText: 'Posted' }).waitFor({ timeout: JOB_TIMEOUT });
    await page.getByRole('button', { name: 'Edit text' }).waitFor();
    const posts = await eventually('the post in the sandbox channel', async () => {
      const all = await sandboxPosts(chatId);
      return all.find((p) => textOf(p).includes(`Skoda ${model} 2021`)) ?? null;
    });
    if (!textOf(posts).includes('18')) throw new Error(`the price is not in "${textOf(posts)}"`);
  });

  await check('marked sold in Inventory, the car’s post is edited with the label and says so', async () => {
    await page.goto(`${BASE}/inventory/${encodeURIComponent(carId)}`);
    await page.getByRole('combobox', { name: 'Status' }).selectOption('sold');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Changes saved.' }).waitFor();
    await eventually(
      'the post marked sold',
      async () => (await api(`/api/posts/${encodeURIComponent(postId)}`)).sold_action === 'edit',
      JOB_TIMEOUT,
    );
    const edited = await eventually('the channel post edited', async () => {
      const all = await sandboxPosts(chatId);
      return all.find((p) => textOf(p).startsWith(SOLD_LABEL) && textOf(p).includes(model)) ?? null;
    });
    if (!edited) throw new Error('no edited post');
    await page.goto(`${BASE}/calendar/posts/${encodeURIComponent(postId)}`);
    await page.getByText('The car sold: the post was edited to say so.').waitFor();
    // "Post this car" is not offered for a sold car.
    await page.goto(`${BASE}/inventory/${encodeURIComponent(carId)}`);
    await page.getByRole('button', { name: 'Save changes' }).waitFor();
    if (await page.getByRole('link', { name: 'Post this car' }).count()) throw new Error('a sold car still offers "Post this car"');
  });
  await desktop.close();

  // ---- Ukrainian, phone ----------------------------------------------------
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'uk-UA', timezoneId: zone });
  await phone.addInitScript(() => localStorage.setItem('cartie.language', 'uk'));
  const ukPage = await phone.newPage();
  ukPage.setDefaultTimeout(STEP_TIMEOUT);
  collectConsoleErrors(ukPage, consoleErrors);

  await check('in Ukrainian on a phone: the calendar is a list, without dragging, not wider than the screen', async () => {
    await logIn(ukPage);
    await ukPage.goto(`${BASE}/calendar?date=${movedDay}`);
    await ukPage.getByRole('heading', { name: 'Контент-календар' }).waitFor();
    const list = ukPage.getByRole('button', { name: 'Список' });
    if ((await list.getAttribute('aria-pressed')) !== 'true') throw new Error('the list is not the view on a phone');
    const row = ukPage.locator(`li.cal-row[data-post="${postId}"]`);
    await row.getByText('Опубліковано').waitFor();
    await row.getByText('Авто продано: допис відредаговано, щоб це було видно.').waitFor();
    await ukPage.locator(`li.cal-row[data-post="${secondId}"]`).getByText('Заплановано').waitFor();
    if (await ukPage.locator('[draggable="true"]').count()) throw new Error('posts can be dragged on a phone');
    await notWider(ukPage);
    await ukPage.screenshot({ path: join(RESULTS_DIR, 'calendar-list-uk-phone.png'), fullPage: true });
  });

  await check('in Ukrainian: the second post warns of a third 20 minutes later, the tabs speak Ukrainian', async () => {
    // The first post went out (its time is now its posting time): a third, near the second, makes the clash.
    const second = await api(`/api/posts/${encodeURIComponent(secondId)}`);
    const [d, hm] = second.send_at.split('T');
    const [h, m] = hm.split(':').map(Number);
    const later = `${d}T${String(h + (m + 20 >= 60 ? 1 : 0)).padStart(2, '0')}:${String((m + 20) % 60).padStart(2, '0')}`;
    const third = await api('/api/posts', {
      method: 'POST',
      body: JSON.stringify({ channel_id: chatId, content: { text: `Third (${stamp})` }, send_at: later, time_zone: second.time_zone }),
    });
    thirdId = third.id;
    await ukPage.goto(`${BASE}/calendar/posts/${encodeURIComponent(secondId)}`);
    await ukPage.getByRole('link', { name: /Інший допис у цей канал — за 20 хв від цього/ }).waitFor();
    await ukPage.getByRole('button', { name: 'Зберегти й запланувати' }).waitFor();
    await notWider(ukPage);
    await ukPage.goto(`${BASE}/calendar/channels`);
    const slots = ukPage.locator(`li[data-channel="${chatId}"]`).getByRole('region', { name: 'Слоти публікацій' });
    await slots.getByRole('group', { name: 'Слот 1' }).getByRole('checkbox', { name: 'середа' }).waitFor();
    await slots.getByText(/^Найближчі вільні слоти: /).waitFor();
    await slots.getByRole('button', { name: 'Зберегти слоти' }).waitFor();
    await notWider(ukPage);
    await ukPage.goto(`${BASE}/calendar/templates`);
    await ukPage.getByRole('heading', { name: 'Шаблони дописів' }).waitFor();
    await ukPage.locator(`li[data-template="${templateName}"]`).getByRole('link', { name: 'Використати' }).waitFor();
    await notWider(ukPage);
  });
  await phone.close();

  await check('the scheduled second, third and queued posts are deleted (cleanup)', async () => {
    await api(`/api/posts/${encodeURIComponent(secondId)}`, { method: 'DELETE' });
    if (thirdId) await api(`/api/posts/${encodeURIComponent(thirdId)}`, { method: 'DELETE' });
    if (queuedId) await api(`/api/posts/${encodeURIComponent(queuedId)}`, { method: 'DELETE' });
  });

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
