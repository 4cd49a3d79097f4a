import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { setToken } from '../../api/client';
import type { ChannelView, PostTemplateView, PostView, Role } from '../../api/types';
import { setLanguage } from '../../i18n';
import { jsonResponse, mockFetch } from '../../test/http';
import { bot, team, version, ws } from '../../test/inbox';
import { listing } from '../../test/inventory';
import { renderApp } from '../../test/renderApp';
import { addDays, daysOf, instantOf, movedSendAt, rangeOf, requestOf, step, wallAt } from './calendar';

const ZONE = 'Europe/Kyiv';

function post(over: Partial<PostView> = {}): PostView {
  return {
    id: 'P1',
    channel_id: -1001,
    channel_title: 'Demo Motors Channel',
    bot_id: 1,
    content: { text: 'BMW 320d 2019 for €25,000', media: [], buttons: [] },
    car_id: null,
    status: 'scheduled',
    send_at: '2026-03-12T10:00',
    time_zone: ZONE,
    due_at: '2026-03-12T08:00:00Z',
    dst_shift: null,
    message_ids: [],
    posted_at: null,
    error: null,
    auto_delete_hours: null,
    auto_delete_at: null,
    pinned: false,
    sold_action: null,
    conflicts: [],
    created_by: 'mia@demo.test',
    updated_at: '2026-03-01T10:00:00Z',
    ...over,
  };
}

const channel: ChannelView = {
  id: -1001,
  bot_id: 1,
  bot_username: 'DemoMotorsBot',
  title: 'Demo Motors Channel',
  username: 'demo_motors',
  kind: 'channel',
  rights: { post: true, edit: true, delete: false, pin: true },
  problems: ['cannot delete posts'],
  connected_at: '2026-03-01T10:00:00Z',
  slots: [],
  slot_time_zone: null,
  next_slots: [],
};

/** The channel with Mon/Wed/Fri 10:00 Kyiv slots, the next two free. */
const slotted: ChannelView = {
  ...channel,
  slots: [{ days: ['mon', 'wed', 'fri'], time: '10:00' }],
  slot_time_zone: ZONE,
  next_slots: [
    { at: '2026-03-16T08:00:00Z', local: '2026-03-16T10:00', dst_shift: null },
    { at: '2026-03-18T08:00:00Z', local: '2026-03-18T10:00', dst_shift: null },
  ],
};

const template: PostTemplateView = {
  id: 'T1',
  name: 'Car of the day',
  content: { text: '{make} {model} {year} for {price}', media: [], buttons: [] },
  updated_at: '2026-03-01T10:00:00Z',
};

type Route = (url: string, init: RequestInit | undefined) => Response | Promise<Response> | undefined;

/** The logged-in `role` in a workspace whose time zone is `tz`, the shared routes, and `route` for the rest (404 otherwise). */
function backend(route: Route, { role = 'manager', tz = ZONE }: { role?: Role; tz?: string } = {}) {
  return mockFetch((url, init) => {
    if (url === '/api/auth/me') return jsonResponse(200, { email: `${role}@demo.test`, name: 'Me', role, workspace: ws, time_zone: tz });
    if (url === '/api/version') return jsonResponse(200, version);
    const r = route(url, init);
    if (r) return r;
    if (url === '/api/channels') return jsonResponse(200, { items: [channel] });
    if (url === '/api/post-templates') return jsonResponse(200, { items: [template] });
    if (url === '/api/bots') return jsonResponse(200, { bots: [bot] });
    if (url === '/api/team') return jsonResponse(200, team);
    if (url === '/api/inbox/counts') return jsonResponse(200, { open: 0, mine: 0, unassigned: 0, unread: 0, snoozed: 0, resolved: 0, total: 0 });
    return jsonResponse(404, { error: { code: 'not_found', message: `Not found: ${url}`, field: null } });
  });
}

const body = (init: RequestInit | undefined) => JSON.parse(String(init?.body)) as Record<string, unknown>;
const cell = (day: string) => document.querySelector<HTMLElement>(`td[data-day="${day}"]`)!;

/** The error text shown for the control labelled `label`. */
function errorUnder(label: string): string | null {
  const input = screen.getByLabelText(label);
  const ids = input.getAttribute('aria-describedby')?.split(' ') ?? [];
  return ids.map((id) => document.getElementById(id)).find((e) => e?.classList.contains('field-error'))?.textContent ?? null;
}

/** A phone's screen (or not) for the calendar's media query. */
function screenWidth(narrow: boolean) {
  vi.stubGlobal(
    'matchMedia',
    vi.fn((query: string) => ({ matches: narrow, media: query, addEventListener: vi.fn(), removeEventListener: vi.fn(), onchange: null })),
  );
}

describe('zone arithmetic', () => {
  it('reads wall clocks in a zone, across its clock changes', () => {
    const iso = (ms: number) => new Date(ms).toISOString();
    expect(iso(instantOf('2026-12-08T10:00', 'America/New_York'))).toBe('2026-12-08T15:00:00.000Z');
    // 03:30 does not exist in Kyiv on 29 March 2026: the first minute after the jump (04:00 EEST).
    expect(iso(instantOf('2026-03-29T03:30', ZONE))).toBe('2026-03-29T01:00:00.000Z');
    // 03:30 happens twice on 25 October 2026: the first one (EEST).
    expect(iso(instantOf('2026-10-25T03:30', ZONE))).toBe('2026-10-25T00:30:00.000Z');
    expect(wallAt(Date.parse('2026-03-11T23:30:00Z'), ZONE)).toEqual({ date: '2026-03-12', time: '01:30' });
  });

  it('lays out whole weeks, Monday first, and asks for their instants in the zone', () => {
    const month = daysOf('month', '2026-03-15');
    expect([month[0], month[month.length - 1], month.length]).toEqual(['2026-02-23', '2026-04-05', 42]);
    expect(daysOf('week', '2026-03-15')[0]).toBe('2026-03-09');
    expect(rangeOf(daysOf('week', '2026-03-15'), ZONE)).toEqual({ from: '2026-03-08T22:00:00.000Z', to: '2026-03-15T22:00:00.000Z' });
    expect(step('month', '2026-12-15', 1)).toBe('2027-01-01');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
  });

  it('moves a post by whole days in its own zone, or to an hour of the calendar', () => {
    const p = post();
    expect(movedSendAt(p, ZONE, '2026-03-14')).toBe('2026-03-14T10:00');
    expect(movedSendAt(p, ZONE, '2026-03-12')).toBeNull();
    expect(movedSendAt(p, ZONE, '2026-03-13', 15)).toBe('2026-03-13T15:00');
    // Seen from New York (08:00Z is 04:00 there), dropped at 09:00 on the 13th: 13:00Z, 15:00 in Kyiv.
    expect(movedSendAt(p, 'America/New_York', '2026-03-13', 9)).toBe('2026-03-13T15:00');
    expect(requestOf(post({ auto_delete_hours: 24, auto_delete_at: '2026-03-13T08:00:00Z' }), '2026-03-14T10:00')).toEqual({
      channel_id: -1001,
      content: p.content,
      car_id: null,
      send_at: '2026-03-14T10:00',
      time_zone: ZONE,
      auto_delete_hours: 24,
    });
  });
});

describe('Content calendar: month', () => {
  it("puts posts on their days in the workspace's time zone, with status and a link", async () => {
    setToken('tok');
    screenWidth(false);
    const asked: string[] = [];
    backend((url) => {
      // Drafts have no day: they are asked for on their own.
      if (url === '/api/posts?status=draft') {
        return jsonResponse(200, { items: [post({ id: 'P3', status: 'draft', send_at: null, due_at: null, content: { text: 'Spring sale draft' } })] });
      }
      if (url.startsWith('/api/posts?')) {
        asked.push(url);
        return jsonResponse(200, {
          items: [
            // 23:30 UTC on the 11th is 01:30 on the 12th in Kyiv.
            post({ id: 'P1', send_at: '2026-03-12T01:30', due_at: '2026-03-11T23:30:00Z' }),
            post({ id: 'P2', status: 'posted', channel_title: 'Second channel', send_at: '2026-03-20T10:00', due_at: '2026-03-20T08:00:00Z', posted_at: '2026-03-20T08:00:03Z' }),
          ],
        });
      }
      return undefined;
    });
    renderApp('/calendar?date=2026-03-12');
    expect(await screen.findByRole('heading', { name: 'Content calendar' })).toBeTruthy();
    expect(await screen.findByRole('heading', { name: 'March 2026' })).toBeTruthy();
    await waitFor(() => expect(cell('2026-03-12').querySelector('[data-post="P1"]')).toBeTruthy());
    expect(cell('2026-03-11').querySelector('[data-post]')).toBeNull();
    const first = within(cell('2026-03-12')).getByRole('link', { name: /01:30 AM.*Demo Motors Channel.*Scheduled/ });
    expect(first.getAttribute('href')).toBe('/calendar/posts/P1');
    expect(within(cell('2026-03-20')).getByRole('link', { name: /10:00 AM.*Second channel.*Posted/ })).toBeTruthy();
    // A draft has no day: it is listed under the calendar.
    expect(await screen.findByRole('heading', { name: 'Drafts (no time yet)' })).toBeTruthy();
    expect(screen.getByText('Spring sale draft')).toBeTruthy();
    expect(screen.getByText(/Times in Europe\/Kyiv/)).toBeTruthy();
    // The grid's weeks, from Monday 23 February to Sunday 5 April, midnight to midnight in Kyiv.
    const q = new URL(asked[0], 'http://x').searchParams;
    expect([q.get('from'), q.get('to')]).toEqual(['2026-02-22T22:00:00.000Z', '2026-04-05T21:00:00.000Z']);
  });

  it('moves a scheduled post dragged to another day (same time of day) and warns of a post close to it', async () => {
    setToken('tok');
    screenWidth(false);
    const other = post({ id: 'P9', channel_title: 'Demo Motors Channel', send_at: '2026-03-14T10:20', due_at: '2026-03-14T08:20:00Z' });
    let moving = post();
    const puts: Record<string, unknown>[] = [];
    backend((url, init) => {
      if (url.startsWith('/api/posts?')) return jsonResponse(200, { items: [moving, other] });
      if (url === '/api/posts/P1' && init?.method === 'PUT') {
        const b = body(init);
        puts.push(b);
        moving = post({ send_at: String(b.send_at), due_at: '2026-03-14T08:00:00Z', conflicts: ['P9'] });
        return jsonResponse(200, moving);
      }
      return undefined;
    });
    renderApp('/calendar?date=2026-03-12');
    const chip = await waitFor(() => {
      const el = cell('2026-03-12').querySelector<HTMLElement>('[data-post="P1"]');
      expect(el).toBeTruthy();
      return el!;
    });
    expect(chip.getAttribute('draggable')).toBe('true');
    // A post that went out cannot be dragged; this one can.
    fireEvent.dragStart(chip);
    fireEvent.dragOver(cell('2026-03-14'));
    fireEvent.drop(cell('2026-03-14'));

    await waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]).toEqual({ channel_id: -1001, content: moving.content, car_id: null, send_at: '2026-03-14T10:00', time_zone: ZONE, auto_delete_hours: null });
    expect(await screen.findByText(/Moved: it goes on Mar 14, 2026, 10:00 AM/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Another post to this channel is 20 min away (at 10:20 AM).' }).getAttribute('href')).toBe('/calendar/posts/P9');
    await waitFor(() => expect(cell('2026-03-14').querySelector('[data-post="P1"]')).toBeTruthy());
    expect(within(cell('2026-03-14')).getAllByRole('img', { name: 'Close to another post to this channel' }).length).toBeGreaterThan(0);
  });

  it('moves a post to another hour in the week view, and filters by channel and status in the address', async () => {
    setToken('tok');
    screenWidth(false);
    const asked: string[] = [];
    const puts: Record<string, unknown>[] = [];
    backend((url, init) => {
      if (url.startsWith('/api/posts?')) {
        asked.push(url);
        return jsonResponse(200, { items: [post()] });
      }
      if (url === '/api/posts/P1' && init?.method === 'PUT') {
        puts.push(body(init));
        return jsonResponse(200, post({ send_at: String(body(init).send_at), due_at: '2026-03-13T13:00:00Z' }));
      }
      return undefined;
    });
    const view = renderApp('/calendar?view=week&date=2026-03-12');
    const chip = await waitFor(() => {
      const el = document.querySelector<HTMLElement>('td[data-day="2026-03-12"][data-hour="10"] [data-post="P1"]');
      expect(el).toBeTruthy();
      return el!;
    });
    const slot = document.querySelector<HTMLElement>('td[data-day="2026-03-13"][data-hour="15"]')!;
    fireEvent.dragStart(chip);
    fireEvent.dragOver(slot);
    fireEvent.drop(slot);
    await waitFor(() => expect(puts[0]?.send_at).toBe('2026-03-13T15:00'));

    fireEvent.change(await screen.findByRole('combobox', { name: 'Channel' }), { target: { value: '-1001' } });
    await waitFor(() => expect(view.url()).toBe('/calendar?view=week&date=2026-03-12&channel=-1001'));
    fireEvent.change(screen.getByRole('combobox', { name: 'Status' }), { target: { value: 'failed' } });
    await waitFor(() => expect(asked.some((u) => u.includes('channel_id=-1001') && u.includes('status=failed'))).toBe(true));
  });

  it('says why the clocks moved a post, and what a failed or unknown one needs', async () => {
    setToken('tok');
    screenWidth(false);
    backend((url) => {
      if (url.startsWith('/api/posts?')) {
        return jsonResponse(200, {
          items: [
            post({ id: 'D1', send_at: '2026-03-29T03:30', due_at: '2026-03-29T01:00:00Z', dst_shift: 'skipped_gap' }),
            post({ id: 'F1', status: 'failed', error: 'Bad Request: chat not found', send_at: '2026-03-20T09:00', due_at: '2026-03-20T07:00:00Z' }),
            post({ id: 'U1', status: 'unknown', send_at: '2026-03-21T09:00', due_at: '2026-03-21T07:00:00Z' }),
          ],
        });
      }
      return undefined;
    });
    renderApp('/calendar?view=list&date=2026-03-12');
    expect(
      await screen.findByText('03:30 AM does not exist on March 29 in Europe/Kyiv (the clocks go forward): it goes at 04:00 AM.'),
    ).toBeTruthy();
    expect(screen.getByText('Bad Request: chat not found')).toBeTruthy();
    expect(screen.getByText('Check the channel: Cartie could not confirm it was posted. It is never sent again by itself.')).toBeTruthy();
    const failed = document.querySelector('li[data-post="F1"]')!;
    expect(within(failed as HTMLElement).getByText('Failed').className).toContain('post-status-failed');
  });

  it('is a list on a small screen, without dragging', async () => {
    setToken('tok');
    screenWidth(true);
    backend((url) => (url.startsWith('/api/posts?') ? jsonResponse(200, { items: [post(), post({ id: 'P2', send_at: '2026-03-15T18:00', due_at: '2026-03-15T16:00:00Z' })] }) : undefined));
    renderApp('/calendar?date=2026-03-12');
    const list = await waitFor(() => {
      const el = document.querySelector<HTMLElement>('.cal-list');
      expect(el).toBeTruthy();
      return el!;
    });
    expect(document.querySelector('.cal-month')).toBeNull();
    expect(within(list).getByRole('heading', { name: 'Thursday, March 12' })).toBeTruthy();
    expect(within(list).getByRole('heading', { name: 'Sunday, March 15' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'List' }).getAttribute('aria-pressed')).toBe('true');
    expect(document.querySelector('[draggable="true"]')).toBeNull();
    expect(screen.queryByText(/Drag a scheduled post/)).toBeNull();
  });

  it('shows its times in the post’s own zone and in the workspace’s when they differ', async () => {
    setToken('tok');
    screenWidth(false);
    backend((url) =>
      url.startsWith('/api/posts?')
        ? jsonResponse(200, { items: [post({ send_at: '2026-03-12T10:00', time_zone: 'Europe/Warsaw', due_at: '2026-03-12T09:00:00Z' })] })
        : undefined,
    );
    renderApp('/calendar?view=list&date=2026-03-12');
    const row = await waitFor(() => {
      const el = document.querySelector<HTMLElement>('li[data-post="P1"]');
      expect(el).toBeTruthy();
      return el!;
    });
    expect(within(row).getByText('Mar 12, 2026, 10:00 AM')).toBeTruthy();
    expect(within(row).getByText('Europe/Warsaw')).toBeTruthy();
    expect(within(row).getByText('Mar 12, 2026, 11:00 AM in Europe/Kyiv (your workspace)')).toBeTruthy();
  });

  it('offers a retry when the posts cannot be loaded', async () => {
    setToken('tok');
    screenWidth(false);
    let fail = true;
    backend((url) =>
      url.startsWith('/api/posts?')
        ? fail
          ? jsonResponse(403, { error: { code: 'forbidden', message: 'no', field: null } })
          : jsonResponse(200, { items: [] })
        : undefined,
    );
    renderApp('/calendar?view=list&date=2026-03-12');
    expect(await screen.findByText('Could not load the posts')).toBeTruthy();
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('No posts this month')).toBeTruthy();
  });
});

describe('Content calendar: posts', () => {
  it('opens the form from “Post this car” with the car, fills it from a template, and warns of a close post after saving', async () => {
    setToken('tok');
    screenWidth(false);
    const car = listing({ id: 'L7', make: 'BMW', model: '320d', year: 2019, price: 25000, currency: 'EUR' });
    const posts: Record<string, unknown>[] = [];
    const close = post({ id: 'P9', send_at: '2026-03-13T10:30', due_at: '2026-03-13T08:30:00Z' });
    backend((url, init) => {
      if (url === '/api/inventory/L7') return jsonResponse(200, car);
      if (url === '/api/posts' && init?.method === 'POST') {
        posts.push(body(init));
        return jsonResponse(
          201,
          post({ id: 'N1', car_id: 'L7', send_at: '2026-03-13T10:00', due_at: '2026-03-13T08:00:00Z', content: { text: 'BMW 320d 2019 for €25,000' }, conflicts: ['P9'] }),
        );
      }
      if (url === '/api/posts/P9') return jsonResponse(200, close);
      if (url === '/api/posts/N1') return jsonResponse(200, post({ id: 'N1', car_id: 'L7', send_at: '2026-03-13T10:00', due_at: '2026-03-13T08:00:00Z', conflicts: ['P9'] }));
      return undefined;
    });

    // The car's page leads here.
    const view = renderApp('/inventory/L7');
    fireEvent.click(await screen.findByRole('link', { name: 'Post this car' }));
    await waitFor(() => expect(view.url()).toBe('/calendar/new?car=L7'));
    expect(await screen.findByRole('heading', { name: 'New post' })).toBeTruthy();
    expect(await screen.findByRole('link', { name: 'BMW 320d 2019' })).toBeTruthy();
    // The only channel is chosen.
    await waitFor(() => expect((screen.getByRole('combobox', { name: 'Channel' }) as HTMLSelectElement).value).toBe('-1001'));
    fireEvent.change(await screen.findByRole('combobox', { name: 'Template' }), { target: { value: 'T1' } });
    expect((screen.getByRole('textbox', { name: 'Message text' }) as HTMLTextAreaElement).value).toBe('{make} {model} {year} for {price}');
    expect(screen.getByText("When you save, the car's details fill the variables.")).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Date and time'), { target: { value: '2026-03-13T10:00' } });
    expect((screen.getByRole('combobox', { name: 'Time zone' }) as HTMLSelectElement).value).toBe(ZONE);
    fireEvent.click(screen.getByRole('button', { name: 'Save and schedule' }));

    expect(await screen.findByText('Scheduled for Mar 13, 2026, 10:00 AM (Europe/Kyiv).')).toBeTruthy();
    expect(posts[0]).toEqual({
      channel_id: -1001,
      content: { text: '{make} {model} {year} for {price}', media: [], buttons: [] },
      template_id: 'T1',
      car_id: 'L7',
      send_at: '2026-03-13T10:00',
      time_zone: ZONE,
      auto_delete_hours: null,
    });
    await waitFor(() => expect(view.url()).toBe('/calendar/posts/N1'));
    // The form stays, with what the server made of the template and the warning.
    expect((screen.getByRole('textbox', { name: 'Message text' }) as HTMLTextAreaElement).value).toBe('BMW 320d 2019 for €25,000');
    expect(await screen.findByRole('link', { name: 'Another post to this channel is 30 min away (at 10:30 AM).' })).toBeTruthy();
    expect(screen.getByText('Scheduled for Mar 13, 2026, 10:00 AM (Europe/Kyiv).')).toBeTruthy();
  });

  it('asks for a channel before saving, and publishes a saved post now after confirming', async () => {
    setToken('tok');
    screenWidth(false);
    let saved = post({ id: 'N2', status: 'draft', send_at: null, due_at: null, content: { text: 'Open day on Saturday' } });
    const calls: string[] = [];
    backend((url, init) => {
      if (url === '/api/channels') return jsonResponse(200, { items: [channel, { ...channel, id: -1002, title: 'Second channel', username: null }] });
      if (url === '/api/posts' && init?.method === 'POST') {
        calls.push(`POST ${JSON.stringify(body(init))}`);
        return jsonResponse(201, saved);
      }
      if (url === '/api/posts/N2/publish' && init?.method === 'POST') {
        calls.push('publish');
        saved = { ...saved, status: 'posted', posted_at: '2026-03-12T08:00:00Z', message_ids: [42] };
        return jsonResponse(200, saved);
      }
      if (url === '/api/posts/N2') return jsonResponse(200, saved);
      return undefined;
    });
    renderApp('/calendar/new');
    const text = await screen.findByRole('textbox', { name: 'Message text' });
    fireEvent.change(text, { target: { value: 'Open day on Saturday' } });
    fireEvent.click(screen.getByRole('radio', { name: 'Keep as a draft' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save draft' }));
    expect(await screen.findByText('Choose the channel to post in.')).toBeTruthy();
    expect(calls).toEqual([]);

    fireEvent.change(screen.getByRole('combobox', { name: 'Channel' }), { target: { value: '-1002' } });
    fireEvent.click(screen.getByRole('button', { name: 'Publish now' }));
    const dialog = await screen.findByRole('dialog', { name: 'Publish this post now?' });
    expect(JSON.parse(calls[0].slice(5))).toMatchObject({ channel_id: -1002, send_at: null, content: { text: 'Open day on Saturday' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Publish now' }));
    expect(await screen.findByRole('button', { name: 'Edit text' })).toBeTruthy();
    expect(calls).toContain('publish');
    expect(document.querySelector('.page-header .post-status')?.textContent).toBe('Posted');
  });

  it('offers “Next free slot” only for a channel with posting slots, and sends queue: true', async () => {
    setToken('tok');
    screenWidth(false);
    const bodies: Record<string, unknown>[] = [];
    backend((url, init) => {
      if (url === '/api/channels') return jsonResponse(200, { items: [slotted, { ...channel, id: -1002, title: 'Second channel', username: null }] });
      if (url === '/api/posts' && init?.method === 'POST') {
        bodies.push(body(init));
        return jsonResponse(201, post({ id: 'Q1', content: { text: 'Spring offers' }, send_at: '2026-03-16T10:00', due_at: '2026-03-16T08:00:00Z' }));
      }
      if (url === '/api/posts/Q1') return jsonResponse(200, post({ id: 'Q1', content: { text: 'Spring offers' }, send_at: '2026-03-16T10:00', due_at: '2026-03-16T08:00:00Z' }));
      return undefined;
    });
    const view = renderApp('/calendar/new');
    fireEvent.change(await screen.findByRole('textbox', { name: 'Message text' }), { target: { value: 'Spring offers' } });
    const next = screen.getByRole('radio', { name: 'Next free slot' }) as HTMLInputElement;
    // No channel yet: nothing to queue into.
    expect(next.disabled).toBe(true);
    expect(screen.getByText('Choose a channel to post at its next free slot.')).toBeTruthy();
    const select = await screen.findByRole('combobox', { name: 'Channel' });
    await waitFor(() => expect(within(select).getAllByRole('option')).toHaveLength(3));
    fireEvent.change(select, { target: { value: '-1002' } });
    expect(next.disabled).toBe(true);
    expect(screen.getByText('This channel has no posting slots.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Add them in Channels' }).getAttribute('href')).toBe('/calendar/channels');

    fireEvent.change(select, { target: { value: '-1001' } });
    expect(next.disabled).toBe(false);
    fireEvent.click(next);
    expect(screen.getByText('It goes on Mon, Mar 16, 10:00 AM (Europe/Kyiv), the channel\'s next free slot.')).toBeTruthy();
    expect(screen.queryByLabelText('Date and time')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Add to queue' }));
    expect(await screen.findByText('Scheduled for Mar 16, 2026, 10:00 AM (Europe/Kyiv).')).toBeTruthy();
    expect(bodies).toEqual([
      {
        channel_id: -1001,
        content: { text: 'Spring offers', media: [], buttons: [] },
        template_id: null,
        car_id: null,
        send_at: null,
        time_zone: ZONE,
        auto_delete_hours: null,
        queue: true,
      },
    ]);
    await waitFor(() => expect(view.url()).toBe('/calendar/posts/Q1'));
  });

  it('shows a refused queue under the choice: the channel has no free slot', async () => {
    setToken('tok');
    screenWidth(false);
    backend((url, init) => {
      if (url === '/api/channels') return jsonResponse(200, { items: [slotted] });
      if (url === '/api/posts' && init?.method === 'POST') {
        return jsonResponse(422, { error: { code: 'validation', message: 'this channel has no posting slots: add them in Channels', field: 'queue' } });
      }
      return undefined;
    });
    renderApp('/calendar/new');
    fireEvent.change(await screen.findByRole('textbox', { name: 'Message text' }), { target: { value: 'Spring offers' } });
    const next = screen.getByRole('radio', { name: 'Next free slot' }) as HTMLInputElement;
    await waitFor(() => expect(next.disabled).toBe(false));
    fireEvent.click(next);
    fireEvent.click(screen.getByRole('button', { name: 'Add to queue' }));
    expect(await screen.findByText('This channel has no posting slots: add them in Channels')).toBeTruthy();
    expect(next.getAttribute('aria-invalid')).toBe('true');
  });

  it('opens a failed post in the form with Telegram’s refusal, to give it a new time; a saved post keeps its car', async () => {
    setToken('tok');
    screenWidth(false);
    const car = listing({ id: 'L8', make: 'Audi', model: 'A4', year: 2018 });
    const puts: Record<string, unknown>[] = [];
    backend((url, init) => {
      if (url === '/api/inventory/L8') return jsonResponse(200, car);
      if (url === '/api/posts/F1' && init?.method === 'PUT') {
        puts.push(body(init));
        return jsonResponse(422, { error: { code: 'validation', message: 'is in the past: pick a later time, or publish now', field: 'send_at' } });
      }
      if (url === '/api/posts/F1') {
        return jsonResponse(200, post({ id: 'F1', status: 'failed', car_id: 'L8', auto_delete_hours: 5, error: 'Bad Request: need administrator rights in the channel chat' }));
      }
      return undefined;
    });
    renderApp('/calendar/posts/F1');
    expect(await screen.findByText('Telegram refused it: Bad Request: need administrator rights in the channel chat')).toBeTruthy();
    expect(await screen.findByRole('link', { name: 'Audi A4 2018' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Remove car' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Save and schedule' }));
    await waitFor(() => expect(errorUnder('Date and time')).toBe('Is in the past: pick a later time, or publish now'));
    // Its auto-delete hours are kept (the field, not a difference of two times: it has not gone out).
    expect(puts[0]).toMatchObject({ car_id: 'L8', send_at: '2026-03-12T10:00', time_zone: ZONE, auto_delete_hours: 5 });
    expect(screen.getByRole('button', { name: 'Publish now' })).toBeTruthy();
  });

  it('shows the server’s refusal to delete a post older than 48 hours, and edits and pins a posted one', async () => {
    setToken('tok');
    screenWidth(false);
    let current = post({
      id: 'P5',
      status: 'posted',
      posted_at: '2026-03-01T08:00:00Z',
      message_ids: [7],
      content: { text: 'Old text' },
      sold_action: 'edit',
      auto_delete_hours: 2,
      auto_delete_at: '2026-03-01T10:00:00Z',
    });
    const edits: unknown[] = [];
    backend((url, init) => {
      if (url === '/api/posts/P5' && init?.method === 'DELETE') {
        return jsonResponse(409, { error: { code: 'conflict', message: 'posted more than 48 hours ago: Telegram no longer lets the bot delete it', field: null } });
      }
      if (url === '/api/posts/P5/edit' && init?.method === 'POST') {
        edits.push(body(init));
        current = { ...current, content: { text: 'New text' } };
        return jsonResponse(200, current);
      }
      if (url === '/api/posts/P5/pin' && init?.method === 'POST') {
        current = { ...current, pinned: true };
        return jsonResponse(200, current);
      }
      if (url === '/api/posts/P5') return jsonResponse(200, current);
      return undefined;
    });
    renderApp('/calendar/posts/P5');
    expect(await screen.findByText('The car sold: the post was edited to say so.')).toBeTruthy();
    expect(screen.getByText('Mar 1, 2026, 12:00 PM (2 hours after posting)')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Delete from the channel' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete this post?' });
    // The bot lacks the right to delete there: the dialog says so.
    expect(within(dialog).getByText('Cannot delete posts')).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete from the channel' }));
    expect(await screen.findByText('Posted more than 48 hours ago: Telegram no longer lets the bot delete it')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Edit text' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Message text' }), { target: { value: 'New text' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save in the channel' }));
    expect(await screen.findByText('The post was changed in the channel.')).toBeTruthy();
    expect(edits).toEqual([{ text: 'New text' }]);
    fireEvent.click(screen.getByRole('button', { name: 'Pin in the channel' }));
    expect(await screen.findByText('Pinned in the channel.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Pin in the channel' })).toBeNull();
  });
});

describe('Content calendar: channels, templates, settings', () => {
  it('shows why a channel cannot be connected under the chat field', async () => {
    setToken('tok');
    const bodies: unknown[] = [];
    backend(
      (url, init) => {
        if (url === '/api/channels' && init?.method === 'POST') {
          bodies.push(body(init));
          return jsonResponse(422, { error: { code: 'validation', message: 'the bot is not an admin of @demo_motors', field: 'chat' } });
        }
        if (url === '/api/channels') return jsonResponse(200, { items: [] });
        return undefined;
      },
      { role: 'admin' },
    );
    renderApp('/calendar/channels');
    expect(await screen.findByText('No channels yet')).toBeTruthy();
    fireEvent.click(await screen.findByRole('button', { name: 'Connect' }));
    expect(errorUnder('Channel or group')).toBe("Enter the channel's @username or id.");
    fireEvent.change(screen.getByRole('textbox', { name: 'Channel or group' }), { target: { value: '@demo_motors' } });
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    await waitFor(() => expect(errorUnder('Channel or group')).toBe('The bot is not an admin of @demo_motors'));
    expect(bodies).toEqual([{ bot_id: 1, chat: '@demo_motors' }]);
    expect(screen.getByRole('textbox', { name: 'Channel or group' }).getAttribute('aria-invalid')).toBe('true');
  });

  it("lists a channel's rights, and hides connecting from a manager", async () => {
    setToken('tok');
    backend(() => undefined);
    renderApp('/calendar/channels');
    const row = await waitFor(() => {
      const el = document.querySelector<HTMLElement>('li[data-channel="-1001"]');
      expect(el).toBeTruthy();
      return el!;
    });
    expect(within(row).getByText('Cannot delete posts')).toBeTruthy();
    expect(within(row).getByText('Pins posts')).toBeTruthy();
    expect(screen.getByText('Only admins can connect and disconnect channels.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Disconnect' })).toBeNull();
  });

  it("saves a channel's posting slots (days, time, zone) and shows its next free slots", async () => {
    setToken('tok');
    const puts: unknown[] = [];
    let current = channel;
    backend((url, init) => {
      if (url === '/api/channels/-1001/slots' && init?.method === 'PUT') {
        puts.push(body(init));
        if (puts.length === 1) return jsonResponse(422, { error: { code: 'validation', message: 'another slot already has this day and time', field: 'slots[0].time' } });
        current = slotted;
        return jsonResponse(200, slotted);
      }
      if (url === '/api/channels') return jsonResponse(200, { items: [current] });
      return undefined;
    });
    renderApp('/calendar/channels');
    const row = await waitFor(() => {
      const el = document.querySelector<HTMLElement>('li[data-channel="-1001"]');
      expect(el).toBeTruthy();
      return el!;
    });
    const slots = within(row).getByRole('region', { name: 'Posting slots' });
    expect(within(slots).getByText('No posting slots yet.')).toBeTruthy();
    fireEvent.click(within(slots).getByRole('button', { name: 'Add a slot' }));
    // A slot needs a day.
    fireEvent.click(within(slots).getByRole('button', { name: 'Save slots' }));
    expect(await within(slots).findByText('Choose at least one day.')).toBeTruthy();
    expect(puts).toEqual([]);

    const first = within(slots).getByRole('group', { name: 'Slot 1' });
    for (const day of ['Friday', 'Monday', 'Wednesday']) fireEvent.click(within(first).getByRole('checkbox', { name: day }));
    fireEvent.change(within(slots).getByLabelText('Time'), { target: { value: '10:00' } });
    // The workspace's zone unless another is chosen.
    expect((within(slots).getByRole('combobox', { name: 'Time zone' }) as HTMLSelectElement).value).toBe(ZONE);
    fireEvent.click(within(slots).getByRole('button', { name: 'Save slots' }));
    // The server's refusal shows under the field it names.
    await waitFor(() => expect(within(slots).getByText('Another slot already has this day and time')).toBeTruthy());
    fireEvent.click(within(slots).getByRole('button', { name: 'Save slots' }));
    expect(await within(slots).findByText('Posting slots saved: 3 posts a week.')).toBeTruthy();
    expect(puts[1]).toEqual({ time_zone: ZONE, slots: [{ days: ['mon', 'wed', 'fri'], time: '10:00' }] });
    expect(within(slots).getByText('Next free slots: Mon, Mar 16, 10:00 AM, Wed, Mar 18, 10:00 AM (Europe/Kyiv).')).toBeTruthy();
    // A second slot can be added and removed again.
    fireEvent.click(within(slots).getByRole('button', { name: 'Add a slot' }));
    expect(within(slots).getAllByRole('group')).toHaveLength(2);
    fireEvent.click(within(slots).getByRole('button', { name: 'Remove slot 2' }));
    expect(within(slots).getAllByRole('group')).toHaveLength(1);
  });

  it('creates a template with a variable chip', async () => {
    setToken('tok');
    const bodies: unknown[] = [];
    const kept: PostTemplateView[] = [];
    backend((url, init) => {
      if (url === '/api/post-templates' && init?.method === 'POST') {
        bodies.push(body(init));
        kept.push({ id: 'T2', name: 'Price drop', content: body(init).content as PostTemplateView['content'], updated_at: '2026-03-12T10:00:00Z' });
        return jsonResponse(201, kept[0]);
      }
      if (url === '/api/post-templates') return jsonResponse(200, { items: kept });
      return undefined;
    });
    renderApp('/calendar/templates');
    expect(await screen.findByText('No templates yet')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'New template' }));
    fireEvent.change(await screen.findByRole('textbox', { name: 'Template name' }), { target: { value: 'Price drop' } });
    const text = screen.getByRole('textbox', { name: 'Message text' }) as HTMLTextAreaElement;
    fireEvent.change(text, { target: { value: 'New price: ' } });
    text.setSelectionRange(text.value.length, text.value.length);
    const chips = screen.getByRole('group', { name: 'Variables' });
    expect(within(chips).getAllByRole('button').map((b) => b.textContent)).toEqual(['Make', 'Model', 'Year', 'Price', 'Mileage', 'Link', 'Company']);
    fireEvent.click(within(chips).getByRole('button', { name: 'Price' }));
    await waitFor(() => expect(text.value).toBe('New price: {price}'));
    fireEvent.click(screen.getByRole('button', { name: 'Save template' }));
    expect(await screen.findByText('Template “Price drop” saved.')).toBeTruthy();
    expect(bodies).toEqual([{ name: 'Price drop', content: { text: 'New price: {price}', media: [], buttons: [] } }]);
    const row = await waitFor(() => {
      const el = document.querySelector<HTMLElement>('li[data-template="Price drop"]');
      expect(el).toBeTruthy();
      return el!;
    });
    expect(within(row).getByRole('link', { name: 'Use' }).getAttribute('href')).toBe('/calendar/new?template=T2');
  });

  it('saves what happens when a car sells', async () => {
    setToken('tok');
    const puts: unknown[] = [];
    backend(
      (url, init) => {
        if (url === '/api/calendar/settings' && init?.method === 'PUT') {
          puts.push(body(init));
          return jsonResponse(200, body(init));
        }
        if (url === '/api/calendar/settings') return jsonResponse(200, { sold_action: 'edit', sold_label: 'SOLD', conflict_window_minutes: 30 });
        return undefined;
      },
      { role: 'admin' },
    );
    renderApp('/calendar/settings');
    fireEvent.click(await screen.findByRole('radio', { name: 'Delete them' }));
    fireEvent.change(screen.getByRole('spinbutton', { name: /Warn when two posts/ }), { target: { value: '45' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Settings saved.')).toBeTruthy();
    expect(puts).toEqual([{ sold_action: 'delete', sold_label: 'SOLD', conflict_window_minutes: 45 }]);
  });

  it('opens from the old address of the announced module', async () => {
    setToken('tok');
    screenWidth(false);
    backend((url) => (url.startsWith('/api/posts?') ? jsonResponse(200, { items: [] }) : undefined));
    const view = renderApp('/content');
    await waitFor(() => expect(view.url()).toBe('/calendar'));
    expect(await screen.findByRole('heading', { name: 'Content calendar' })).toBeTruthy();
  });
});

describe('Content calendar in Ukrainian', () => {
  it('speaks Ukrainian on the calendar and on a post', async () => {
    setToken('tok');
    screenWidth(false);
    await setLanguage('uk', false);
    backend((url) => {
      if (url.startsWith('/api/posts?')) return jsonResponse(200, { items: [post({ status: 'unknown' })] });
      if (url === '/api/posts/P1') return jsonResponse(200, post({ dst_shift: 'first_of_two', send_at: '2026-10-25T03:30', due_at: '2026-10-25T00:30:00Z', conflicts: [] }));
      return undefined;
    });
    const view = renderApp('/calendar?date=2026-03-12');
    expect(await screen.findByRole('heading', { name: 'Контент-календар' })).toBeTruthy();
    expect(await screen.findByRole('heading', { name: /березень 2026/i })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Місяць' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Новий допис' })).toBeTruthy();
    expect(await screen.findByRole('link', { name: /Перевірте канал/ })).toBeTruthy();
    view.go('/calendar/posts/P1');
    expect(await screen.findByText(/25 жовтня у поясі Europe\/Kyiv час 03:30 настає двічі \(годинники переводять назад\): допис вийде першого разу, UTC\+03:00\./)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Зберегти й запланувати' })).toBeTruthy();
  });

  it('shows a channel’s posting slots in Ukrainian, with the plural form for the count', async () => {
    setToken('tok');
    await setLanguage('uk', false);
    backend((url) => (url === '/api/channels' ? jsonResponse(200, { items: [slotted] }) : undefined), { role: 'viewer' });
    renderApp('/calendar/channels');
    const slots = await screen.findByRole('region', { name: 'Слоти публікацій' });
    expect(within(slots).getByText('пн, ср, пт о 10:00')).toBeTruthy();
    expect(within(slots).getByText('3 дописи на тиждень, час — у поясі Europe/Kyiv.')).toBeTruthy();
    expect(within(slots).getByText('Найближчі вільні слоти: пн, 16 бер., 10:00, ср, 18 бер., 10:00 (Europe/Kyiv).')).toBeTruthy();
    expect(within(slots).queryByRole('button', { name: 'Зберегти слоти' })).toBeNull();
  });
});
