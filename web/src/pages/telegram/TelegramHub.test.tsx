import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { setToken } from '../../api/client';
import { jsonResponse } from '../../test/http';
import { bot, inboxBackend } from '../../test/inbox';
import { renderApp } from '../../test/renderApp';

const other = { ...bot, id: 2, username: 'SecondBot', first_name: 'Second', auto_reply: 'Hello!' };

describe('Telegram hub', () => {
  it('lists the bots with their webhook and who connected them', async () => {
    setToken('tok');
    inboxBackend('admin', (url) => (url === '/api/bots' ? jsonResponse(200, { bots: [bot, other] }) : undefined));
    renderApp('/telegram');
    const card = (await screen.findByRole('link', { name: '@DemoMotorsBot' })).closest('li')!;
    expect(within(card).getByText('https://cartie.test/tg/1')).toBeTruthy();
    expect(within(card).getByText(/by owner@demo\.test/)).toBeTruthy();
    expect(screen.getByText('2 in total')).toBeTruthy();
    expect(screen.getByRole('link', { name: /Bot menu/ })).toBeTruthy();
  });

  it('shows a bad token under the input, and adds a connected bot', async () => {
    setToken('tok');
    let attempt = 0;
    inboxBackend('owner', (url, init) => {
      if (url === '/api/bots' && init?.method === 'POST') {
        attempt += 1;
        return attempt === 1
          ? jsonResponse(422, { error: { code: 'validation', message: 'Telegram does not accept this token: check it in @BotFather', field: 'token' } })
          : jsonResponse(201, other);
      }
      if (url === '/api/bots') return jsonResponse(200, { bots: [] });
      return undefined;
    });
    renderApp('/telegram');
    expect(await screen.findByText('No bots connected yet')).toBeTruthy();
    const input = screen.getByLabelText('Bot token');
    fireEvent.change(input, { target: { value: '123:bad' } });
    fireEvent.click(screen.getByRole('button', { name: 'Connect bot' }));
    expect(await screen.findByText(/does not accept this token/)).toBeTruthy();
    expect(input.getAttribute('aria-invalid')).toBe('true');

    fireEvent.change(input, { target: { value: '7000000002:AAJGwkpu6kEYd-NvjOIKWGtil2vhJQUPS95' } });
    fireEvent.click(screen.getByRole('button', { name: 'Connect bot' }));
    expect(await screen.findByRole('link', { name: '@SecondBot' })).toBeTruthy();
    expect(screen.getByText(/is connected/)).toBeTruthy();
  });

  it('saves and clears the auto-reply', async () => {
    setToken('tok');
    const bodies: unknown[] = [];
    inboxBackend('admin', (url, init) => {
      if (url === '/api/bots/1' && init?.method === 'PATCH') {
        const body = JSON.parse(init.body as string);
        bodies.push(body);
        return jsonResponse(200, { ...bot, auto_reply: body.auto_reply, auto_reply_uk: body.auto_reply_uk });
      }
      if (url === '/api/bots') return jsonResponse(200, { bots: [bot] });
      return undefined;
    });
    renderApp('/telegram');
    const box = await screen.findByLabelText('Auto-reply');
    fireEvent.change(box, { target: { value: '  Thanks! A manager answers soon.  ' } });
    fireEvent.change(screen.getByLabelText('Auto-reply in Ukrainian'), { target: { value: 'Дякуємо! Менеджер скоро відповість.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save auto-reply' }));
    expect(await screen.findByText('Auto-reply saved.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Clear' }));
    expect(await screen.findByText('Auto-reply turned off.')).toBeTruthy();
    expect(bodies).toEqual([
      { auto_reply: 'Thanks! A manager answers soon.', auto_reply_uk: 'Дякуємо! Менеджер скоро відповість.' },
      { auto_reply: null, auto_reply_uk: null },
    ]);
  });

  it('asks before disconnecting a bot', async () => {
    setToken('tok');
    const fetchMock = inboxBackend('owner', (url, init) => {
      if (url === '/api/bots/1' && init?.method === 'DELETE') return new Response(null, { status: 204 });
      if (url === '/api/bots') return jsonResponse(200, { bots: [bot] });
      return undefined;
    });
    renderApp('/telegram');
    fireEvent.click(await screen.findByRole('button', { name: 'Disconnect' }));
    const dialog = screen.getByRole('dialog', { name: 'Disconnect bot?' });
    expect(fetchMock.mock.calls.some(([, i]) => i?.method === 'DELETE')).toBe(false);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Disconnect' }));
    await waitFor(() => expect(screen.queryByRole('link', { name: '@DemoMotorsBot' })).toBeNull());
    expect(screen.getByText('No bots connected yet')).toBeTruthy();
  });

  it('shows a manager the bots without admin actions', async () => {
    setToken('tok');
    inboxBackend('manager', (url) => (url === '/api/bots' ? jsonResponse(200, { bots: [other] }) : undefined));
    renderApp('/telegram');
    expect(await screen.findByText('Hello!')).toBeTruthy();
    expect(screen.queryByLabelText('Bot token')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Disconnect' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Save auto-reply' })).toBeNull();
    expect(screen.getByText(/only admins and owners/i)).toBeTruthy();
  });

  it('offers a retry when the bots cannot be loaded', async () => {
    setToken('tok');
    inboxBackend('viewer', (url) =>
      url === '/api/bots' ? jsonResponse(503, { error: { code: 'unavailable', message: 'Try later.', field: null } }) : undefined,
    );
    renderApp('/telegram');
    expect(await screen.findByText('The service is unavailable for a moment. Please try again.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeTruthy();
  });
});
