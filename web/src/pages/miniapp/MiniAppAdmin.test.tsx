import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setToken } from '../../api/client';
import type { Role } from '../../api/types';
import { jsonResponse } from '../../test/http';
import { bot, inboxBackend, ws } from '../../test/inbox';
import { renderApp } from '../../test/renderApp';
import type { BotMenu } from '../telegram/menu';

const other = { ...bot, id: 2, username: 'SecondBot', first_name: 'Second' };
const menu1 = {
  bot_id: 1,
  commands: [{ command: 'cars', description: 'Our stock' }],
  menu_button: { kind: 'commands' },
  keyboard: [['Call me']],
  applied_at: null,
  miniapp_url: 'https://cartie.test/m/demo',
};
const menu2 = { bot_id: 2, commands: [], menu_button: { kind: 'web_app', text: 'Cars', url: 'https://cartie.test/m/demo' }, keyboard: [] };

function backend(role: Role, put?: (body: BotMenu) => Response) {
  const bodies: BotMenu[] = [];
  const fetchMock = inboxBackend(role, (url, init) => {
    if (url === '/api/workspace') return jsonResponse(200, ws);
    if (url === '/api/bots') return jsonResponse(200, { bots: [bot, other] });
    if (url === '/api/bots/1/menu' && init?.method === 'PUT') {
      const body = JSON.parse(init.body as string) as BotMenu;
      bodies.push(body);
      return put ? put(body) : jsonResponse(200, { ...body, bot_id: 1, applied_at: '2025-03-05T09:30:00Z', miniapp_url: menu1.miniapp_url });
    }
    if (url === '/api/bots/1/menu') return jsonResponse(200, menu1);
    if (url === '/api/bots/2/menu') return jsonResponse(200, menu2);
    return undefined;
  });
  return { bodies, fetchMock };
}

afterEach(() => {
  delete (navigator as { clipboard?: unknown }).clipboard;
});

describe('Mini App admin page', () => {
  it('shows the showcase link to copy and open, and a phone-sized preview', async () => {
    setToken('tok');
    backend('manager');
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    renderApp('/miniapp');

    const link = (await screen.findByRole('textbox', { name: 'Showcase link' })) as HTMLInputElement;
    const url = `${window.location.origin}/m/demo`;
    expect(link.value).toBe(url);
    expect(screen.getByRole('link', { name: 'Open' }).getAttribute('href')).toBe(url);
    fireEvent.click(screen.getByRole('button', { name: 'Copy' }));
    expect(await screen.findByRole('button', { name: 'Copied' })).toBeTruthy();
    expect(writeText).toHaveBeenCalledWith(url);

    expect(screen.getByTitle('Showcase preview').getAttribute('src')).toBe('/m/demo');
  });

  it("tells which bots open the Mini App, and switches a bot's menu button keeping its commands and keyboard", async () => {
    setToken('tok');
    const { bodies } = backend('admin');
    renderApp('/miniapp');

    const second = (await screen.findByRole('link', { name: '@SecondBot' })).closest('li')!;
    expect(await within(second).findByText('Menu button opens the Mini App')).toBeTruthy();
    expect(within(second).queryByRole('button', { name: "Use as this bot's menu button" })).toBeNull();

    const first = screen.getByRole('link', { name: '@DemoMotorsBot' }).closest('li')!;
    expect(await within(first).findByText('Menu button: Commands list')).toBeTruthy();
    expect(within(first).getByRole('link', { name: 'Edit menu' }).getAttribute('href')).toBe('/telegram?tab=menu&bot=1');
    fireEvent.click(within(first).getByRole('button', { name: "Use as this bot's menu button" }));

    expect(await within(first).findByText('Menu button opens the Mini App')).toBeTruthy();
    expect(within(first).getByRole('status').textContent).toMatch(/now opens your showcase/);
    expect(bodies).toEqual([
      {
        commands: [{ command: 'cars', description: 'Our stock' }],
        keyboard: [['Call me']],
        menu_button: { kind: 'web_app', text: 'Our cars', url: '' },
      },
    ]);
  });

  it("shows Telegram's refusal", async () => {
    setToken('tok');
    backend('admin', () => jsonResponse(502, { error: { code: 'telegram_error', message: 'Bad Request: WEB_APP_URL_INVALID', field: null } }));
    renderApp('/miniapp');
    const first = (await screen.findByRole('link', { name: '@DemoMotorsBot' })).closest('li')!;
    fireEvent.click(await within(first).findByRole('button', { name: "Use as this bot's menu button" }));
    expect((await within(first).findByRole('alert')).textContent).toBe('Telegram did not accept it: Bad Request: WEB_APP_URL_INVALID');
    expect(within(first).getByText('Menu button: Commands list')).toBeTruthy();
  });

  it('does not offer the switch to a manager', async () => {
    setToken('tok');
    backend('manager');
    renderApp('/miniapp');
    const first = (await screen.findByRole('link', { name: '@DemoMotorsBot' })).closest('li')!;
    expect(await within(first).findByText('Menu button: Commands list')).toBeTruthy();
    expect(screen.queryByRole('button', { name: "Use as this bot's menu button" })).toBeNull();
    expect(screen.getByText(/only admins and owners can change/i)).toBeTruthy();
  });

  it('offers a retry when the workspace cannot be loaded', async () => {
    setToken('tok');
    let attempt = 0;
    inboxBackend('owner', (url) => {
      if (url !== '/api/workspace') return undefined;
      attempt += 1;
      // The first load and its two automatic retries fail; the page then offers its own Retry.
      return attempt <= 3 ? jsonResponse(500, { error: { code: 'internal', message: 'Boom.', field: null } }) : jsonResponse(200, ws);
    });
    renderApp('/miniapp');
    expect(await screen.findByText('The server had a problem. Please try again.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect((screen.getByRole('textbox', { name: 'Showcase link' }) as HTMLInputElement).value).toMatch(/\/m\/demo$/));
  });
});
