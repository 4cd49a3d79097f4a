import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { setToken } from '../../api/client';
import { jsonResponse } from '../../test/http';
import { conversation, etagged, fileResponse, headerOf, inboxBackend, message, stubBlobUrls } from '../../test/inbox';
import { renderApp } from '../../test/renderApp';

const LIST = '/api/inbox/conversations?bot_id=all&tab=all&status=open&limit=30';
const CHAT = '/api/inbox/conversations/1%3A42';

describe('Inbox → conversation list', () => {
  it('searches every conversation by name, phone or words, and clears the search', async () => {
    setToken('tok');
    const SEARCH = '/api/inbox/conversations?bot_id=all&tab=all&status=any&q=rav4%20%D0%B1%D1%96%D0%BB%D0%B8%D0%B9';
    inboxBackend('manager', (url) => {
      if (url === LIST) return jsonResponse(200, { items: [conversation(1, { preview: 'Hello' })], next_cursor: null });
      if (url === SEARCH) return jsonResponse(200, { items: [conversation(7, { preview: 'Шукаю RAV4 білий' })], next_cursor: null });
      return undefined;
    });
    renderApp('/inbox');
    await screen.findByText('Hello');
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search conversations' }), { target: { value: ' rav4 білий ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    expect(await screen.findByText('Шукаю RAV4 білий')).toBeTruthy();
    expect(screen.getByText(/Conversations matching “rav4 білий”/)).toBeTruthy();
    expect(screen.queryByRole('navigation', { name: 'Inbox views' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Clear search' }));
    expect(await screen.findByText('Hello')).toBeTruthy();
  });

  it('shows names, previews, unread badges and assignees, and loads older pages', async () => {
    setToken('tok');
    const first = [
      conversation(1, { unread: 3, preview: 'Is the Audi A4 still available?' }),
      conversation(2, { assignee: 'mia@demo.test', last_direction: 'out', preview: 'Yes, come by' }),
    ];
    const older = [conversation(3, { preview: 'Old question' })];
    const fetchMock = inboxBackend('manager', (url) => {
      if (url === LIST) return etagged({ items: first, next_cursor: 'c2' }, '"p1"');
      if (url === `${LIST}&cursor=c2`) return jsonResponse(200, { items: older, next_cursor: null });
      if (url === '/api/inbox/counts') return jsonResponse(200, { open: 3, mine: 0, unassigned: 2, unread: 1, snoozed: 0, resolved: 4, total: 7 });
      return undefined;
    });
    renderApp('/inbox');

    const list = await within(await screen.findByRole('complementary', { name: 'Conversations' })).findByRole('list');
    expect(await within(list).findByText('Buyer1')).toBeTruthy();
    expect(within(list).getByText('Is the Audi A4 still available?')).toBeTruthy();
    expect(within(list).getByLabelText('3 unread').textContent).toBe('3');
    expect(within(list).getByText('→ Mia Manager')).toBeTruthy();
    expect(within(list).getByText('You:')).toBeTruthy();
    expect(within(list).getAllByRole('link').map((a) => a.getAttribute('href'))).toEqual(['/inbox/1:1', '/inbox/1:2']);
    // The subtitle and the views count conversations (the counters), not messages.
    expect(await screen.findByText('1 unread')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Unassigned 2' })).toBeTruthy();
    expect(screen.getByRole('option', { name: 'Resolved (4)' })).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Load older conversations' }));
    expect(await within(list).findByText('Old question')).toBeTruthy();
    expect(within(list).getAllByRole('link')).toHaveLength(3);
    expect(screen.queryByRole('button', { name: 'Load older conversations' })).toBeNull();
    expect(fetchMock.mock.calls.some(([u]) => u === `${LIST}&cursor=c2`)).toBe(true);
  });

  it('polls with If-None-Match and shows a new conversation without a reload', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    setToken('tok');
    let items = [conversation(1)];
    const seenEtags: (string | undefined)[] = [];
    inboxBackend('viewer', (url, init) => {
      if (url !== LIST) return undefined;
      const sent = headerOf(init, 'If-None-Match');
      seenEtags.push(sent);
      const etag = `"v${items.length}"`;
      if (sent === etag) return new Response(null, { status: 304, headers: { ETag: etag } });
      return etagged({ items, next_cursor: null }, etag);
    });
    renderApp('/inbox');
    await screen.findByText('Buyer1');

    await act(() => vi.advanceTimersByTimeAsync(3100)); // unchanged: a 304
    expect(seenEtags).toEqual([undefined, '"v1"']);
    expect(screen.getAllByText(/^Buyer/)).toHaveLength(1);

    items = [conversation(0, { contact: { id: 7, first_name: 'Playwright', username: 'pw_buyer' }, unread: 1 }), ...items];
    await act(() => vi.advanceTimersByTimeAsync(3100));
    expect(await screen.findByText('Playwright')).toBeTruthy();
    expect(seenEtags[2]).toBe('"v1"');
  });

  it('offers a retry when the list cannot be loaded, and an empty state when there is nothing', async () => {
    setToken('tok');
    let fail = true;
    inboxBackend('viewer', (url) => {
      if (url !== LIST) return undefined;
      return fail
        ? jsonResponse(500, { error: { code: 'internal', message: 'The database is unavailable.', field: null } })
        : etagged({ items: [], next_cursor: null }, '"e"');
    });
    renderApp('/inbox');
    expect(await screen.findByText('The server had a problem. Please try again.')).toBeTruthy();
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('No conversations yet')).toBeTruthy();
  });
});

describe('Inbox → conversations through a Telegram account', () => {
  it('marks them "via account" in the list and the chat header, named by the account\'s label', async () => {
    setToken('tok');
    const viaAccount = conversation(42, { via: 'account', bot_username: 'Olga (+380507770001)', preview: 'Is the Golf still for sale?' });
    inboxBackend('viewer', (url) => {
      if (url === LIST) return etagged({ items: [viaAccount, conversation(7, { preview: 'Hi bot' })], next_cursor: null }, '"a"');
      if (url === CHAT) return jsonResponse(200, viaAccount);
      if (url === `${CHAT}/messages?limit=50`) return etagged({ items: [message({ message_id: 1, text: 'Is the Golf still for sale?' })], next_cursor: null }, '"m"');
      return undefined;
    });
    renderApp('/inbox');
    const list = await within(await screen.findByRole('complementary', { name: 'Conversations' })).findByRole('list');
    const account = (await within(list).findByText('Is the Golf still for sale?')).closest('a')!;
    expect(within(account).getByText('via account')).toBeTruthy();
    expect(within(account).getByText('Olga (+380507770001)')).toBeTruthy();
    // A conversation without `via` came through a bot.
    const bot = within(list).getByText('Hi bot').closest('a')!;
    expect(within(bot).queryByText('via account')).toBeNull();
    expect(within(bot).getByText('@DemoMotorsBot')).toBeTruthy();

    fireEvent.click(account);
    const header = (await screen.findByRole('heading', { name: 'Buyer42', level: 2 })).closest('header')!;
    expect(within(header).getByText(/via Olga \(\+380507770001\)/)).toBeTruthy();
    expect(within(header).getByText('via account')).toBeTruthy();
  });
});

describe('Inbox → chat', () => {
  it('shows an album as one bubble, marks the chat read, and lets a viewer only read', async () => {
    setToken('tok');
    const blobs = stubBlobUrls();
    const msgs = [
      message({ message_id: 3, kind: 'photo', file_id: 'ph2', media_group_id: 'alb1' }),
      message({ message_id: 2, kind: 'photo', file_id: 'ph1', media_group_id: 'alb1', caption: 'Two angles' }),
      message({ message_id: 1, kind: 'text', text: 'Look at these' }),
    ];
    let unread = 2;
    const fetchMock = inboxBackend('viewer', (url, init) => {
      if (url === `${CHAT}/read` && init?.method === 'POST') {
        unread = 0;
        return new Response(null, { status: 204 });
      }
      if (url === LIST) return etagged({ items: [conversation(42, { unread })], next_cursor: null }, `"l${unread}"`);
      if (url === CHAT) return jsonResponse(200, conversation(42));
      if (url === `${CHAT}/messages?limit=50`) return etagged({ items: msgs, next_cursor: null }, '"m"');
      if (url.startsWith('/api/inbox/files/1/')) return fileResponse('image/png');
      return undefined;
    });
    renderApp('/inbox/1:42');

    const album = await screen.findByTestId('album');
    expect(screen.getAllByTestId('album')).toHaveLength(1);
    await waitFor(() => expect(within(album).getAllByRole('img')).toHaveLength(2));
    expect(within(album).getByText('Two angles')).toBeTruthy();
    expect(screen.queryAllByTestId('message-photo')).toHaveLength(0);
    expect(screen.getByText('Look at these')).toBeTruthy();
    expect(blobs.create).toHaveBeenCalledTimes(2);

    await waitFor(() =>
      expect(fetchMock.mock.calls.some(([u, i]) => u === `${CHAT}/read` && i?.method === 'POST')).toBe(true),
    );
    await waitFor(() => expect(screen.queryByLabelText('2 unread')).toBeNull());
    expect(screen.getByText(/managers and above can reply/i)).toBeTruthy();
    expect(screen.queryByRole('textbox', { name: 'Message' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Create request' })).toBeNull();
  });

  it('renders every kind of message', async () => {
    setToken('tok');
    stubBlobUrls();
    const msgs = [
      message({ message_id: 1, kind: 'location', latitude: 52.52, longitude: 13.405 }),
      message({ message_id: 2, kind: 'contact', contact_name: 'Pat Buyer', contact_phone: '+491701234567' }),
      message({ message_id: 0, kind: 'callback', callback_data: 'test_drive', seq: 900 }),
      message({ message_id: 4, kind: 'document', file_id: 'doc1', file_name: 'offer.pdf', file_size: 123_456, mime_type: 'application/pdf' }),
      message({ message_id: 5, kind: 'voice', file_id: 'v1', duration: 7 }),
      message({ message_id: 6, kind: 'sticker', file_id: 'st1' }),
      message({
        message_id: 7,
        kind: 'text',
        direction: 'out',
        text: 'Pick a time',
        sent_by: 'mia@demo.test',
        reply_to: 1,
        edited_at_ms: Date.UTC(2025, 2, 1, 13, 0),
        reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'Today', callback_data: 'today' }, { text: 'Site', url: 'https://x.test' }]] }),
      }),
    ].reverse();
    inboxBackend('manager', (url) => {
      if (url === LIST) return etagged({ items: [conversation(42)], next_cursor: null }, '"l"');
      if (url === CHAT) return jsonResponse(200, conversation(42));
      if (url === `${CHAT}/messages?limit=50`) return etagged({ items: msgs, next_cursor: null }, '"m"');
      if (url.startsWith('/api/inbox/files/1/')) return fileResponse('image/webp');
      return undefined;
    });
    renderApp('/inbox/1:42');

    const osm = await screen.findByRole('link', { name: 'Open in OpenStreetMap' });
    expect(osm.getAttribute('href')).toContain('openstreetmap.org/?mlat=52.52000&mlon=13.40500');
    expect(screen.getByText('52.52000, 13.40500')).toBeTruthy();
    expect(screen.getByRole('link', { name: '+491701234567' })).toBeTruthy();
    expect(screen.getByText(/pressed: test_drive/)).toBeTruthy();
    expect(screen.getByText('offer.pdf')).toBeTruthy();
    expect(screen.getByText(/121 KB/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Download' })).toBeTruthy();
    expect(await screen.findByLabelText('Voice message')).toBeTruthy(); // the <audio> player
    expect(screen.getByRole('button', { name: /send this back/i })).toBeTruthy();
    const out = screen.getByText('Pick a time').closest('.bubble-row') as HTMLElement;
    expect(within(out).getByText('Mia Manager')).toBeTruthy();
    expect(within(out).getByText('edited')).toBeTruthy();
    expect(within(out).getByText('Location')).toBeTruthy(); // the reply quote
    const today = within(out).getByRole('button', { name: 'Today' }) as HTMLButtonElement;
    expect(today.disabled).toBe(true);
  });

  it('creates a request from the chat, with field errors, and assigns the chat', async () => {
    setToken('tok');
    let attempt = 0;
    const bodies: unknown[] = [];
    inboxBackend('manager', (url, init) => {
      if (url === `${CHAT}/requests` && init?.method === 'POST') {
        bodies.push(JSON.parse(init.body as string));
        attempt += 1;
        return attempt === 1
          ? jsonResponse(422, { error: { code: 'validation', message: 'Must be a year between 1950 and 2100', field: 'year_from' } })
          : jsonResponse(201, {
              id: 'r1', make: 'Audi', model: 'A4', year_from: 2018, year_to: null, budget: 25000, currency: 'EUR',
              priority: 'high', status: 'open', conversation: '1:42', created_by: 'manager@demo.test', created_at: '2025-03-01T12:00:00Z',
            });
      }
      if (url === CHAT && init?.method === 'PATCH') {
        bodies.push(JSON.parse(init.body as string));
        return jsonResponse(200, conversation(42, { assignee: 'mia@demo.test' }));
      }
      if (url === LIST) return etagged({ items: [conversation(42)], next_cursor: null }, '"l"');
      if (url === CHAT) return jsonResponse(200, conversation(42));
      if (url === `${CHAT}/messages?limit=50`) return etagged({ items: [message({ message_id: 1, text: 'Hi' })], next_cursor: null }, '"m"');
      return undefined;
    });
    renderApp('/inbox/1:42');

    const assignee = (await screen.findByRole('combobox', { name: 'Assignee' })) as HTMLSelectElement;
    await waitFor(() => expect(within(assignee).getByRole('option', { name: 'Mia Manager' })).toBeTruthy());
    fireEvent.change(assignee, { target: { value: 'mia@demo.test' } });
    await waitFor(() => expect(assignee.value).toBe('mia@demo.test'));

    fireEvent.click(screen.getByRole('button', { name: 'Create request' }));
    const dialog = screen.getByRole('dialog', { name: 'Create request' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create request' }));
    expect(within(dialog).getByText(/enter the make/i)).toBeTruthy();

    fireEvent.change(within(dialog).getByLabelText('Make'), { target: { value: 'Audi' } });
    fireEvent.change(within(dialog).getByLabelText('Model'), { target: { value: 'A4' } });
    fireEvent.change(within(dialog).getByLabelText('Year from'), { target: { value: '1900' } });
    fireEvent.change(within(dialog).getByLabelText('Budget'), { target: { value: '25 000' } });
    fireEvent.change(within(dialog).getByLabelText('Priority'), { target: { value: 'high' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create request' }));
    expect(await within(dialog).findByText('Must be a year between 1950 and 2100')).toBeTruthy();
    expect(within(dialog).getByLabelText('Year from').getAttribute('aria-invalid')).toBe('true');

    fireEvent.change(within(dialog).getByLabelText('Year from'), { target: { value: '2018' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create request' }));
    expect(await screen.findByText(/Request for Audi A4 created/)).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(bodies[0]).toEqual({ assignee: 'mia@demo.test' });
    expect(bodies[2]).toEqual({ make: 'Audi', model: 'A4', year_from: 2018, year_to: null, budget: 25000, currency: 'EUR', priority: 'high' });
  });

  it('loads earlier messages with the cursor and keeps the newest at the bottom', async () => {
    setToken('tok');
    const fetchMock = inboxBackend('viewer', (url) => {
      if (url === LIST) return etagged({ items: [conversation(42)], next_cursor: null }, '"l"');
      if (url === CHAT) return jsonResponse(200, conversation(42));
      if (url === `${CHAT}/messages?limit=50`)
        return etagged({ items: [message({ message_id: 3, text: 'Newest' }), message({ message_id: 2, text: 'Middle' })], next_cursor: 'm2' }, '"m"');
      if (url === `${CHAT}/messages?limit=50&cursor=m2`) return jsonResponse(200, { items: [message({ message_id: 1, text: 'Oldest' })], next_cursor: null });
      return undefined;
    });
    renderApp('/inbox/1:42');
    await screen.findByText('Newest');
    expect(screen.queryByText('Oldest')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Load earlier messages' }));
    expect(await screen.findByText('Oldest')).toBeTruthy();
    const texts = Array.from(document.querySelectorAll('.chat-messages .bubble-text')).map((e) => e.textContent);
    expect(texts).toEqual(['Oldest', 'Middle', 'Newest']);
    expect(screen.queryByRole('button', { name: 'Load earlier messages' })).toBeNull();
    expect(screen.getByText('The beginning of the conversation')).toBeTruthy();
    expect(fetchMock.mock.calls.some(([u]) => u === `${CHAT}/messages?limit=50&cursor=m2`)).toBe(true);
  });

  it('shows the Mine tab and the Unread view from the address, and resolves the open chat', async () => {
    setToken('tok');
    const VIEW = '/api/inbox/conversations?bot_id=all&tab=mine&status=open&unread=true&limit=30';
    let status = 'open';
    const fetchMock = inboxBackend('manager', (url, init) => {
      if (url === VIEW) return etagged({ items: [conversation(42, { unread: 1, assignee: 'manager@demo.test' })], next_cursor: null }, '"v"');
      if (url === CHAT) return jsonResponse(200, conversation(42, { status: status as 'open' }));
      if (url.startsWith(`${CHAT}/messages`)) return etagged({ items: [], next_cursor: null }, '"m"');
      if (url === `${CHAT}/status` && init?.method === 'POST') {
        status = JSON.parse(String(init.body)).status;
        return jsonResponse(200, conversation(42, { status: status as 'resolved' }));
      }
      return undefined;
    });
    renderApp('/inbox/1:42?tab=mine&unread=1');
    const list = await within(await screen.findByRole('complementary', { name: 'Conversations' })).findByRole('list');
    expect(await within(list).findByText('Buyer42')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Mine 0' }).getAttribute('aria-current')).toBe('page');
    expect((screen.getByRole('checkbox') as HTMLInputElement).checked).toBe(true);
    fireEvent.click(await screen.findByRole('button', { name: 'Resolve' }));
    expect(await screen.findByRole('button', { name: 'Reopen' })).toBeTruthy();
    expect(status).toBe('resolved');
    expect(fetchMock.mock.calls.some(([u]) => u === VIEW)).toBe(true);
  });
});
