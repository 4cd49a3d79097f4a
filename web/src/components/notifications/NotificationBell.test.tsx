import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { setToken } from '../../api/client';
import type { NotificationView } from '../../api/types';
import { setLanguage } from '../../i18n';
import { jsonResponse } from '../../test/http';
import { conversation, etagged, headerOf, inboxBackend } from '../../test/inbox';
import { renderApp } from '../../test/renderApp';
import { BELL_POLL_MS } from './NotificationBell';

const UNREAD = '/api/notifications/unread';
const PANEL = '/api/notifications?limit=8';

function assigned(over: Partial<NotificationView> = {}): NotificationView {
  return {
    id: '1740830400000-0123456789abcdef0123',
    notice: { kind: 'lead_assigned', params: { bot_id: 1, chat_id: 42, buyer: 'Pat Buyer', by: 'Olga Owner' } },
    link: '/inbox/1:42',
    at: new Date(Date.now() - 5 * 60_000).toISOString(),
    read: false,
    sent_to_telegram: true,
    ...over,
  };
}

const lead: NotificationView = {
  id: '1740830000000-fedcba9876543210fedc',
  notice: { kind: 'new_lead', params: { bot_id: 1, chat_id: 43, buyer: 'Ann', bot: 'DemoMotorsBot' } },
  link: '/inbox/1:43',
  at: new Date(Date.now() - 2 * 3600_000).toISOString(),
  read: true,
  sent_to_telegram: false,
};

describe('the notification bell', () => {
  it('shows the unread count, polls it with its ETag, and opens a notification where it leads, marking it read', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    setToken('tok');
    let unread = 1;
    const sentEtags: (string | undefined)[] = [];
    const marked: string[] = [];
    inboxBackend('manager', (url, init) => {
      if (url === UNREAD) {
        const sent = headerOf(init, 'If-None-Match');
        sentEtags.push(sent);
        const etag = `"u${unread}"`;
        return sent === etag ? new Response(null, { status: 304, headers: { ETag: etag } }) : etagged({ unread }, etag);
      }
      if (url === PANEL) return etagged({ items: [assigned({ read: unread === 0 }), lead], next_cursor: null, unread }, `"p${unread}"`);
      if (url.startsWith('/api/notifications/') && url.endsWith('/read') && init?.method === 'POST') {
        marked.push(url);
        unread = 0;
        return jsonResponse(200, { unread });
      }
      if (url === '/api/inbox/conversations/1%3A42') return jsonResponse(200, conversation(42));
      if (url.startsWith('/api/inbox/conversations')) return etagged({ items: [], next_cursor: null }, '"i"');
      return undefined;
    });
    const app = renderApp('/');

    const bell = await screen.findByRole('button', { name: 'Notifications: 1 unread' });
    expect(bell.textContent).toBe('1');
    await act(() => vi.advanceTimersByTimeAsync(BELL_POLL_MS + 100));
    expect(sentEtags.slice(0, 2)).toEqual([undefined, '"u1"']);

    fireEvent.click(bell);
    const panel = await screen.findByRole('dialog', { name: 'Notifications' });
    const items = await within(panel).findAllByRole('link', { name: /assigned you|New lead/ });
    expect(items.map((a) => a.textContent)).toEqual([
      expect.stringContaining('Olga Owner assigned you the conversation with Pat Buyer'),
      expect.stringContaining('New lead: Ann wrote to @DemoMotorsBot'),
    ]);
    expect(within(items[0]).getByText('5 minutes ago')).toBeTruthy();
    expect(within(items[0]).getByRole('img', { name: 'Unread' })).toBeTruthy();
    expect(within(items[0]).getByRole('img', { name: 'Also sent to your Telegram' })).toBeTruthy();
    expect(within(items[1]).queryByRole('img', { name: 'Unread' })).toBeNull();

    fireEvent.click(items[0]);
    await waitFor(() => expect(app.url()).toBe('/inbox/1:42'));
    expect(marked).toEqual(['/api/notifications/1740830400000-0123456789abcdef0123/read']);
    expect(screen.queryByRole('dialog', { name: 'Notifications' })).toBeNull();
    expect(await screen.findByRole('button', { name: 'Notifications' })).toBeTruthy();
  });

  it('marks everything read from the panel, and says when there is nothing', async () => {
    setToken('tok');
    let unread = 2;
    inboxBackend('viewer', (url, init) => {
      if (url === UNREAD) return etagged({ unread }, `"u${unread}"`);
      if (url === PANEL) {
        const items = unread ? [assigned(), assigned({ id: '1740830300000-0123456789abcdef0124' })] : [];
        return etagged({ items, next_cursor: null, unread }, `"p${unread}"`);
      }
      if (url === '/api/notifications/read' && init?.method === 'POST') {
        unread = 0;
        return jsonResponse(200, { unread });
      }
      return undefined;
    });
    renderApp('/');
    fireEvent.click(await screen.findByRole('button', { name: 'Notifications: 2 unread' }));
    const panel = await screen.findByRole('dialog', { name: 'Notifications' });
    fireEvent.click(await within(panel).findByRole('button', { name: 'Mark all read' }));
    expect(await within(panel).findByText('No notifications yet')).toBeTruthy();
    expect(await screen.findByRole('button', { name: 'Notifications' })).toBeTruthy();
    // Escape closes it.
    fireEvent.keyDown(document, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Notifications' })).toBeNull());
  });

  it('offers a retry when the panel cannot load', async () => {
    setToken('tok');
    let fail = true;
    inboxBackend('viewer', (url) => {
      if (url === UNREAD) return etagged({ unread: 1 }, '"u1"');
      if (url === PANEL) {
        return fail ? jsonResponse(500, { error: { code: 'internal', message: 'down', field: null } }) : etagged({ items: [assigned()], next_cursor: null, unread: 1 }, '"p"');
      }
      return undefined;
    });
    renderApp('/');
    fireEvent.click(await screen.findByRole('button', { name: 'Notifications: 1 unread' }));
    const panel = await screen.findByRole('dialog', { name: 'Notifications' });
    expect(await within(panel).findByText('Could not load your notifications')).toBeTruthy();
    fail = false;
    fireEvent.click(within(panel).getByRole('button', { name: 'Retry' }));
    expect(await within(panel).findByText(/assigned you the conversation/)).toBeTruthy();
  });

  it('speaks Ukrainian: the count, the text and the time', async () => {
    setToken('tok');
    await setLanguage('uk', false);
    inboxBackend('manager', (url) => {
      if (url === UNREAD) return etagged({ unread: 3 }, '"u3"');
      if (url === PANEL) return etagged({ items: [assigned()], next_cursor: null, unread: 3 }, '"p"');
      return undefined;
    });
    renderApp('/');
    const bell = await screen.findByRole('button', { name: 'Сповіщення: 3 непрочитані' });
    fireEvent.click(bell);
    const panel = await screen.findByRole('dialog', { name: 'Сповіщення' });
    const item = await within(panel).findByRole('link', { name: /передає вам розмову/ });
    expect(item.textContent).toContain('Olga Owner передає вам розмову: Pat Buyer');
    expect(item.textContent).toContain('5 хвилин тому');
    expect(within(panel).getByRole('button', { name: 'Позначити все прочитаним' })).toBeTruthy();
  });
});

describe('the notifications page', () => {
  it('lists them newest first and loads older pages by cursor', async () => {
    setToken('tok');
    const first = Array.from({ length: 2 }, (_, i) => assigned({ id: `174083040000${i}-0123456789abcdef0123`, read: i > 0 }));
    inboxBackend('manager', (url) => {
      if (url === UNREAD) return etagged({ unread: 1 }, '"u1"');
      if (url === '/api/notifications?limit=20') return etagged({ items: first.slice().reverse(), next_cursor: 'c2', unread: 1 }, '"f"');
      if (url === '/api/notifications?limit=20&cursor=c2') return jsonResponse(200, { items: [lead], next_cursor: null, unread: 1 });
      return undefined;
    });
    renderApp('/notifications');
    expect(await screen.findByRole('heading', { name: 'Notifications' })).toBeTruthy();
    expect(await screen.findByText('1 unread')).toBeTruthy();
    const list = within(screen.getByRole('main')).getByRole('list');
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
    fireEvent.click(screen.getByRole('button', { name: 'Load older notifications' }));
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(3));
    expect(within(list).getAllByRole('link').map((a) => a.getAttribute('href'))).toEqual(['/inbox/1:42', '/inbox/1:42', '/inbox/1:43']);
    expect(screen.queryByRole('button', { name: 'Load older notifications' })).toBeNull();
  });

  it('says so when there are none', async () => {
    setToken('tok');
    inboxBackend('viewer', (url) => {
      if (url === UNREAD) return etagged({ unread: 0 }, '"u0"');
      if (url === '/api/notifications?limit=20') return etagged({ items: [], next_cursor: null, unread: 0 }, '"e"');
      return undefined;
    });
    renderApp('/notifications');
    expect(await screen.findByText('No notifications yet')).toBeTruthy();
    expect(screen.getByText('All caught up')).toBeTruthy();
  });
});

describe('Settings → Notifications', () => {
  const bots = [{ bot_id: 1, username: 'DemoMotorsBot' }];
  const kinds = ['lead_assigned', 'new_lead', 'offer_received', 'campaign_finished', 'post_failed', 'account_needs_login', 'partner_invitation'];

  it('links Telegram with a one-time deep link, then saves which kinds go there', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    setToken('tok');
    let link: Record<string, unknown> | null = null;
    let telegram: string[] = [];
    const puts: unknown[] = [];
    inboxBackend('manager', (url, init) => {
      if (url === UNREAD) return etagged({ unread: 0 }, '"u0"');
      if (url === '/api/notifications/telegram' && (init?.method ?? 'GET') === 'GET') {
        return etagged({ bots, link, kinds, telegram }, `"s${link ? 1 : 0}${telegram.length}"`);
      }
      if (url === '/api/notifications/telegram/link' && init?.method === 'POST') {
        return jsonResponse(201, { url: 'https://t.me/DemoMotorsBot?start=cartie_abc', bot_username: 'DemoMotorsBot', expires_at: new Date(Date.now() + 600_000).toISOString() });
      }
      if (url === '/api/notifications/telegram/preferences' && init?.method === 'PUT') {
        const body = JSON.parse(String(init.body)) as { telegram: string[] };
        puts.push(body);
        telegram = body.telegram;
        return jsonResponse(200, { bots, link, kinds, telegram });
      }
      return undefined;
    });
    renderApp('/settings?tab=notifications');
    expect(await screen.findByText('Link Telegram to choose.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Link Telegram' }));
    const open = await screen.findByRole('link', { name: 'Open Telegram' });
    expect(open.getAttribute('href')).toBe('https://t.me/DemoMotorsBot?start=cartie_abc');

    // The member presses Start in Telegram; the page notices by itself.
    link = { bot_id: 1, bot_username: 'DemoMotorsBot', telegram_name: 'Mia', telegram_username: 'mia_tg', linked_at: new Date().toISOString(), broken: false };
    telegram = [...kinds];
    await act(() => vi.advanceTimersByTimeAsync(2_100));
    expect(await screen.findByText('Telegram linked.')).toBeTruthy();
    expect(screen.getByText('Linked to Mia (@mia_tg)')).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Open Telegram' })).toBeNull();

    const assignedBox = screen.getByRole('checkbox', { name: 'A conversation is assigned to me' }) as HTMLInputElement;
    expect(assignedBox.checked).toBe(true);
    fireEvent.click(assignedBox);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Saved.')).toBeTruthy();
    expect(puts).toEqual([{ telegram: kinds.filter((k) => k !== 'lead_assigned') }]);
    expect((screen.getByRole('checkbox', { name: 'A conversation is assigned to me' }) as HTMLInputElement).checked).toBe(false);
  });

  it('shows a broken link and sends those without bots to the Telegram hub', async () => {
    setToken('tok');
    inboxBackend('viewer', (url) => {
      if (url === UNREAD) return etagged({ unread: 0 }, '"u0"');
      if (url === '/api/notifications/telegram') {
        const link = { bot_id: 9, bot_username: null, telegram_name: 'Vic', telegram_username: null, linked_at: '2025-03-01T10:00:00Z', broken: true };
        return etagged({ bots: [], link, kinds, telegram: kinds }, '"b"');
      }
      return undefined;
    });
    renderApp('/settings?tab=notifications');
    expect(await screen.findByText(/Telegram stopped delivering to this account/)).toBeTruthy();
    expect(screen.getByText('through a bot that is no longer connected')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Open the Telegram hub' }).getAttribute('href')).toBe('/telegram');
  });
});
