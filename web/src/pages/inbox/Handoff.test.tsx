import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { setToken } from '../../api/client';
import { jsonResponse } from '../../test/http';
import { conversation, etagged, inboxBackend, message, stubBlobUrls } from '../../test/inbox';
import { renderApp } from '../../test/renderApp';

const CHAT = '/api/inbox/conversations/1%3A42';

describe('Inbox → hand-off', () => {
  it('flags a conversation a scenario handed over, and hands it back to the bot', async () => {
    setToken('tok');
    stubBlobUrls();
    const handedOff = { ...conversation(42), handoff_until: '9999-12-31T23:59:59Z' };
    const fetchMock = inboxBackend('manager', (url, init) => {
      if (url === `${CHAT}/release` && init?.method === 'POST') return jsonResponse(200, { ...handedOff, handoff_until: null });
      if (url.startsWith('/api/inbox/conversations?')) return etagged({ items: [handedOff], next_cursor: null }, '"l"');
      if (url === CHAT) return jsonResponse(200, handedOff);
      if (url === `${CHAT}/messages?limit=50`) return etagged({ items: [message({ message_id: 1, text: 'Call me' })], next_cursor: null }, '"m"');
      return undefined;
    });
    renderApp('/inbox/1:42');
    expect(await screen.findByText('needs a person')).toBeTruthy();
    expect(await screen.findByText(/until you hand it back/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Hand back to the bot' }));
    expect(await screen.findByText(/Handed back to the bot/)).toBeTruthy();
    await waitFor(() => expect(screen.queryByText(/until you hand it back/)).toBeNull());
    expect(fetchMock.mock.calls.some(([u, i]) => u === `${CHAT}/release` && i?.method === 'POST')).toBe(true);
  });
});
