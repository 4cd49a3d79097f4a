import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { setToken } from '../../api/client';
import type { TelegramAccountView, TelegramChannelView } from '../../api/types';
import { jsonResponse } from '../../test/http';
import { inboxBackend } from '../../test/inbox';
import { renderApp } from '../../test/renderApp';

const LIST = '/api/telegram-accounts';

function account(over: Partial<TelegramAccountView> = {}): TelegramAccountView {
  return {
    id: 'A1',
    phone: '+380507770001',
    first_name: 'Olga',
    username: 'olga_cars',
    tg_user_id: 5001,
    state: 'online',
    password_hint: null,
    flood_wait_until: null,
    last_error: null,
    state_changed_at: '2026-03-12T09:00:00Z',
    created_at: '2026-03-01T09:00:00Z',
    sources: 0,
    ...over,
  };
}

const channel = (over: Partial<TelegramChannelView> = {}): TelegramChannelView => ({ id: -100123, title: 'Cars UA', username: 'cars_ua', kind: 'channel', source: false, ...over });

const fieldErrorOf = (input: HTMLElement) =>
  input
    .getAttribute('aria-describedby')
    ?.split(' ')
    .map((id) => document.getElementById(id))
    .find((el) => el?.classList.contains('field-error'))?.textContent;

/** The logged-in user's workspace is in `zone` (the fake backend's other answers stay). */
function inWorkspaceZone(zone: string) {
  const backend = globalThis.fetch;
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const res = await backend(input, init);
    if (String(input) !== '/api/auth/me') return res;
    return jsonResponse(200, { ...(await res.json()), time_zone: zone });
  });
}

const bodyOf = (init: RequestInit | undefined) => JSON.parse(String(init?.body)) as unknown;

describe('Telegram accounts list', () => {
  it("shows each account's state in colour, with what to do about it", async () => {
    setToken('tok');
    // Only the clock is faked (not the timers the queries use): "until" is later today, in the workspace's zone.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-12T10:00:00Z'));
    inboxBackend('owner', (url) =>
      url === LIST
        ? jsonResponse(200, {
            items: [
              account({ sources: 2 }),
              account({ id: 'A2', first_name: 'Taras', username: null, phone: '+380671112233', state: 'reconnecting' }),
              account({ id: 'A3', first_name: 'Ira', username: null, phone: '+380931112233', state: 'needs_login', last_error: 'The session was revoked' }),
              account({ id: 'A4', first_name: 'Max', username: null, phone: '+380661112233', state: 'flood_wait', flood_wait_until: '2026-03-12T12:05:00Z' }),
              account({ id: 'A5', first_name: null, username: null, tg_user_id: null, phone: '+380991112233', state: 'awaiting_code' }),
            ],
          })
        : undefined,
    );
    inWorkspaceZone('Europe/Kyiv');
    const view = renderApp('/telegram?tab=accounts');
    await waitFor(() => expect(view.url()).toBe('/telegram/accounts'));
    expect(screen.getByRole('link', { name: 'Accounts' }).getAttribute('aria-current')).toBe('page');

    const row = (id: string) => document.querySelector<HTMLElement>(`[data-account="${id}"]`)!;
    const chip = (id: string) => row(id).querySelector('.tg-state')!;
    await screen.findByRole('heading', { name: 'Olga' });
    expect(chip('A1').textContent).toBe('Online');
    expect(chip('A1').className).toContain('tg-state-ok');
    expect(within(row('A1')).getByText('@olga_cars ·')).toBeTruthy();
    expect(within(row('A1')).getByText('2 stock sources')).toBeTruthy();
    expect(within(row('A1')).getByRole('link', { name: 'Channels of Olga' }).getAttribute('href')).toBe('/telegram/accounts/A1');

    expect(chip('A2').textContent).toBe('Reconnecting…');
    expect(chip('A2').className).toContain('tg-state-warn');

    expect(chip('A3').textContent).toBe('Needs login');
    expect(chip('A3').className).toContain('tg-state-danger');
    expect(within(row('A3')).getByText('Last error: The session was revoked')).toBeTruthy();
    expect(within(row('A3')).getByRole('button', { name: 'Log in again as Ira' })).toBeTruthy();
    // A session that ended keeps its channels; a login never finished has none yet.
    expect(within(row('A3')).getByRole('link', { name: 'Channels of Ira' })).toBeTruthy();

    expect(chip('A4').textContent).toBe('Paused by Telegram until 02:05 PM');
    expect(chip('A4').className).toContain('tg-state-warn');

    expect(chip('A5').textContent).toBe('Waiting for the code');
    expect(within(row('A5')).getByRole('heading', { name: '+380991112233' })).toBeTruthy();
    // A number with no name yet is not written twice.
    expect(within(row('A5')).getAllByText('+380991112233')).toHaveLength(1);
    expect(within(row('A5')).getByRole('button', { name: 'Finish logging in as +380991112233' })).toBeTruthy();
    expect(within(row('A5')).queryByRole('link', { name: /Channels of/ })).toBeNull();
    expect(screen.getAllByRole('button', { name: /^Remove / })).toHaveLength(5);
  });

  it('shows a placeholder while loading, a retry when the list fails, and what accounts are for when there is none', async () => {
    setToken('tok');
    let answer: (r: Response) => void = () => undefined;
    let calls = 0;
    inboxBackend('owner', (url) => {
      if (url !== LIST) return undefined;
      calls += 1;
      if (calls === 1) return new Promise<Response>((r) => (answer = r));
      if (calls === 2) return jsonResponse(200, { items: [] });
      return undefined;
    });
    renderApp('/telegram/accounts');
    expect(await screen.findByText('Loading your Telegram accounts…')).toBeTruthy();
    expect(document.querySelector('.tg-skeleton-card')).toBeTruthy();
    answer(jsonResponse(403, { error: { code: 'forbidden', message: 'no', field: null } }));
    expect(await screen.findByText('Could not load the Telegram accounts')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('No Telegram accounts yet')).toBeTruthy();
    expect(screen.getByText('Connect one to reply to buyers from your own account and follow car channels.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Connect an account' })).toBeTruthy();
  });

  it('shows a viewer the accounts without the actions', async () => {
    setToken('tok');
    inboxBackend('viewer', (url) => (url === LIST ? jsonResponse(200, { items: [account({ state: 'needs_login' })] }) : undefined));
    renderApp('/telegram/accounts');
    await screen.findByRole('heading', { name: 'Olga' });
    expect(screen.queryByRole('button', { name: 'Connect an account' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Log in again/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Remove/ })).toBeNull();
    expect(screen.getByText(/Only admins and owners/)).toBeTruthy();
  });

  it('asks before removing an account, then forgets it', async () => {
    setToken('tok');
    let items = [account()];
    const fetchMock = inboxBackend('owner', (url, init) => {
      if (url === '/api/telegram-accounts/A1' && init?.method === 'DELETE') {
        items = [];
        return new Response(null, { status: 204 });
      }
      if (url === LIST) return jsonResponse(200, { items });
      return undefined;
    });
    renderApp('/telegram/accounts');
    fireEvent.click(await screen.findByRole('button', { name: 'Remove Olga' }));
    const dialog = screen.getByRole('dialog', { name: 'Remove this account?' });
    expect(within(dialog).getByText(/logs/).textContent).toContain('Olga');
    expect(fetchMock.mock.calls.some(([, i]) => i?.method === 'DELETE')).toBe(false);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove' }));
    expect(await screen.findByText('No Telegram accounts yet')).toBeTruthy();
    expect(fetchMock.mock.calls.filter(([, i]) => i?.method === 'DELETE').map(([u]) => u)).toEqual(['/api/telegram-accounts/A1']);
  });
});

describe('Connecting a Telegram account', () => {
  it('goes phone → code → two-step password → online, with loading on each button', async () => {
    setToken('tok');
    let items: TelegramAccountView[] = [];
    const posts: [string, unknown][] = [];
    let release: () => void = () => undefined;
    const step = (view: TelegramAccountView) => {
      items = [view];
      return jsonResponse(200, view);
    };
    inboxBackend('owner', (url, init) => {
      if (init?.method === 'POST') posts.push([url, bodyOf(init)]);
      if (url === LIST && init?.method === 'POST') {
        const view = account({ first_name: null, username: null, tg_user_id: null, state: 'awaiting_code' });
        items = [view];
        return new Promise<Response>((r) => (release = () => r(jsonResponse(201, view))));
      }
      if (url === '/api/telegram-accounts/A1/code') return step(account({ first_name: null, username: null, tg_user_id: null, state: 'awaiting_password', password_hint: 'the usual' }));
      if (url === '/api/telegram-accounts/A1/password') return step(account());
      if (url === LIST) return jsonResponse(200, { items });
      return undefined;
    });
    renderApp('/telegram/accounts');
    fireEvent.click(await screen.findByRole('button', { name: 'Connect an account' }));
    const dialog = screen.getByRole('dialog', { name: 'Connect a Telegram account' });
    expect(within(dialog).getByText(/not by SMS/)).toBeTruthy();
    expect(within(dialog).getByText(/never stores it/)).toBeTruthy();

    fireEvent.change(within(dialog).getByLabelText('Phone number'), { target: { value: '+380 50 777 0001' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Send the code' }));
    const sending = await within(dialog).findByRole('button', { name: 'Sending the code…' });
    expect((sending as HTMLButtonElement).disabled).toBe(true);
    release();

    const code = await within(dialog).findByLabelText('Login code');
    expect(within(dialog).getByText(/logged in with \+380507770001/)).toBeTruthy();
    // The half-made login shows behind the wizard.
    expect(document.querySelector('[data-account="A1"] .tg-state')?.textContent).toBe('Waiting for the code');
    fireEvent.change(code, { target: { value: '12 345' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Log in' }));

    const password = await within(dialog).findByLabelText('Two-step verification password');
    expect(password.getAttribute('type')).toBe('password');
    expect(password.getAttribute('autocomplete')).toBe('off');
    const hint = within(dialog).getByText('Hint: the usual');
    // The hint comes before the field.
    expect(hint.compareDocumentPosition(password) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(within(dialog).getByRole('listitem', { current: 'step' }).textContent).toBe('Password');
    fireEvent.change(password, { target: { value: 'sandbox-2fa' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Log in' }));

    expect(await within(dialog).findByText('Olga is connected.')).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    const row = document.querySelector('[data-account="A1"]')!;
    expect(row.getAttribute('data-state')).toBe('online');
    expect(row.querySelector('.tg-state')?.textContent).toBe('Online');
    expect(posts).toEqual([
      [LIST, { phone: '+380507770001' }],
      ['/api/telegram-accounts/A1/code', { code: '12345' }],
      ['/api/telegram-accounts/A1/password', { password: 'sandbox-2fa' }],
    ]);
  });

  it('checks the number before sending it', async () => {
    setToken('tok');
    const fetchMock = inboxBackend('owner', (url) => (url === LIST ? jsonResponse(200, { items: [] }) : undefined));
    renderApp('/telegram/accounts');
    fireEvent.click(await screen.findByRole('button', { name: 'Connect an account' }));
    const phone = screen.getByLabelText('Phone number');
    fireEvent.change(phone, { target: { value: '050 777 0001' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send the code' }));
    expect(fieldErrorOf(phone)).toMatch(/with its country code/);
    expect(phone.getAttribute('aria-invalid')).toBe('true');
    expect(fetchMock.mock.calls.some(([, i]) => i?.method === 'POST')).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it("shows the server's refusal of the phone under it", async () => {
    setToken('tok');
    inboxBackend('owner', (url, init) => {
      if (url === LIST && init?.method === 'POST') return jsonResponse(422, { error: { code: 'validation', field: 'phone', message: 'telegram does not know this number' } });
      if (url === LIST) return jsonResponse(200, { items: [] });
      return undefined;
    });
    renderApp('/telegram/accounts');
    fireEvent.click(await screen.findByRole('button', { name: 'Connect an account' }));
    const phone = screen.getByLabelText('Phone number');
    fireEvent.change(phone, { target: { value: '+380 50 777 0001' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send the code' }));
    await waitFor(() => expect(fieldErrorOf(phone)).toBe('Telegram does not know this number'));
  });

  it('shows a wrong code under the field, and offers a new code when it has expired', async () => {
    setToken('tok');
    let attempt = 0;
    const waiting = account({ first_name: null, username: null, tg_user_id: null, state: 'awaiting_code' });
    const fetchMock = inboxBackend('owner', (url, init) => {
      if (url === '/api/telegram-accounts/A1/code') {
        attempt += 1;
        return attempt === 1
          ? jsonResponse(422, { error: { code: 'code_invalid', field: 'code', message: 'the code is wrong' } })
          : jsonResponse(422, { error: { code: 'code_expired', field: 'code', message: 'the code has expired' } });
      }
      if (url === '/api/telegram-accounts/A1/resend' && init?.method === 'POST') return jsonResponse(200, waiting);
      if (url === LIST) return jsonResponse(200, { items: [waiting] });
      return undefined;
    });
    renderApp('/telegram/accounts');
    // A login left half-way is finished from its row.
    fireEvent.click(await screen.findByRole('button', { name: 'Finish logging in as +380507770001' }));
    const code = await screen.findByLabelText('Login code');
    fireEvent.change(code, { target: { value: '11111' } });
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    await waitFor(() => expect(fieldErrorOf(code)).toBe('The code is wrong'));
    expect(code.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('No code?')).toBeTruthy();

    fireEvent.change(code, { target: { value: '22222' } });
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    await waitFor(() => expect(fieldErrorOf(code)).toBe('The code has expired'));
    expect(screen.getByText('Ask Telegram for a new code:')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Send a new code' }));
    expect(await screen.findByText('A new code is on its way to the Telegram app.')).toBeTruthy();
    expect(fieldErrorOf(code)).toBeUndefined();
    expect(fetchMock.mock.calls.filter(([u]) => u === '/api/telegram-accounts/A1/resend')).toHaveLength(1);
  });

  it("says how long Telegram asks to wait, and when the account service is down", async () => {
    setToken('tok');
    let attempt = 0;
    inboxBackend('owner', (url, init) => {
      if (url === LIST && init?.method === 'POST') {
        attempt += 1;
        return attempt === 1
          ? new Response(JSON.stringify({ error: { code: 'flood_wait', message: 'A wait of 180 seconds is required', field: null } }), {
              status: 429,
              headers: { 'Content-Type': 'application/json', 'Retry-After': '180' },
            })
          : jsonResponse(503, { error: { code: 'no_host', message: 'no host', field: null } });
      }
      if (url === LIST) return jsonResponse(200, { items: [] });
      return undefined;
    });
    renderApp('/telegram/accounts');
    fireEvent.click(await screen.findByRole('button', { name: 'Connect an account' }));
    fireEvent.change(screen.getByLabelText('Phone number'), { target: { value: '+380 50 777 0001' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send the code' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Telegram asks to wait 3 minutes before trying again.');
    fireEvent.click(screen.getByRole('button', { name: 'Send the code' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('The account service is not running; try again in a minute.'));
  });

  it('"Log in again" starts a new login with the same number', async () => {
    setToken('tok');
    const bodies: unknown[] = [];
    inboxBackend('owner', (url, init) => {
      if (url === LIST && init?.method === 'POST') {
        bodies.push(bodyOf(init));
        return jsonResponse(201, account({ state: 'awaiting_code' }));
      }
      if (url === LIST) return jsonResponse(200, { items: [account({ state: 'needs_login', last_error: 'Logged out from another device' })] });
      return undefined;
    });
    renderApp('/telegram/accounts');
    fireEvent.click(await screen.findByRole('button', { name: 'Log in again as Olga' }));
    const dialog = await screen.findByRole('dialog', { name: 'Connect a Telegram account' });
    expect(await within(dialog).findByLabelText('Login code')).toBeTruthy();
    expect(bodies).toEqual([{ phone: '+380507770001' }]);
    expect(document.querySelector('[data-account="A1"] .tg-state')?.textContent).toBe('Waiting for the code');
  });
});

describe("An account's channels", () => {
  it('opens from a deep link and turns a channel into a stock source', async () => {
    setToken('tok');
    const puts: [string, unknown][] = [];
    inboxBackend('owner', (url, init) => {
      if (url === LIST) return jsonResponse(200, { items: [account()] });
      if (url === '/api/telegram-accounts/A1/channels')
        return jsonResponse(200, { items: [channel(), channel({ id: -100456, title: 'Dealers chat', username: null, kind: 'group', source: true })] });
      if (url.startsWith('/api/telegram-accounts/A1/channels/') && init?.method === 'PUT') {
        puts.push([url, bodyOf(init)]);
        return jsonResponse(200, channel({ source: true }));
      }
      return undefined;
    });
    renderApp('/telegram/accounts/A1');
    expect(await screen.findByRole('heading', { name: 'Channels of Olga' })).toBeTruthy();
    const toggle = await screen.findByRole('switch', { name: 'Use posts of Cars UA as stock source' });
    expect((toggle as HTMLInputElement).checked).toBe(false);
    expect((screen.getByRole('switch', { name: 'Use posts of Dealers chat as stock source' }) as HTMLInputElement).checked).toBe(true);
    expect(screen.getByText('Group')).toBeTruthy();
    expect(screen.getByRole('link', { name: '@cars_ua' }).getAttribute('href')).toBe('https://t.me/cars_ua');
    expect(screen.getByText(/2 channels and groups/)).toBeTruthy();

    fireEvent.click(toggle);
    await waitFor(() => expect(puts).toEqual([['/api/telegram-accounts/A1/channels/-100123', { source: true }]]));
    await waitFor(() => expect((screen.getByRole('switch', { name: 'Use posts of Cars UA as stock source' }) as HTMLInputElement).checked).toBe(true));
    expect(screen.getByText(/2 stock sources/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'All accounts' }).getAttribute('href')).toBe('/telegram/accounts');
  });

  it('shows a refused toggle, an account with no channels, and an account that is gone', async () => {
    setToken('tok');
    inboxBackend('owner', (url, init) => {
      if (url === LIST) return jsonResponse(200, { items: [account(), account({ id: 'A2', first_name: 'Taras' })] });
      if (url === '/api/telegram-accounts/A1/channels') return jsonResponse(200, { items: [channel()] });
      if (url === '/api/telegram-accounts/A2/channels') return jsonResponse(200, { items: [] });
      if (init?.method === 'PUT') return jsonResponse(403, { error: { code: 'forbidden', message: 'no', field: null } });
      return undefined;
    });
    const view = renderApp('/telegram/accounts/A1');
    fireEvent.click(await screen.findByRole('switch', { name: 'Use posts of Cars UA as stock source' }));
    expect(await screen.findByText('Could not save: You do not have permission to do this.')).toBeTruthy();
    expect((screen.getByRole('switch', { name: 'Use posts of Cars UA as stock source' }) as HTMLInputElement).checked).toBe(false);

    view.go('/telegram/accounts/A2');
    expect(await screen.findByText('This account follows no channels or groups')).toBeTruthy();
    view.go('/telegram/accounts/A9');
    expect(await screen.findByText('This account is not connected')).toBeTruthy();
  });

  it("opens from a notification's link (/accounts?account=)", async () => {
    setToken('tok');
    inboxBackend('owner', (url) =>
      url === LIST ? jsonResponse(200, { items: [account()] }) : url === '/api/telegram-accounts/A1/channels' ? jsonResponse(200, { items: [] }) : undefined,
    );
    const view = renderApp('/accounts?account=A1');
    await waitFor(() => expect(view.url()).toBe('/telegram/accounts/A1'));
    expect(await screen.findByRole('heading', { name: 'Channels of Olga' })).toBeTruthy();
  });
});
