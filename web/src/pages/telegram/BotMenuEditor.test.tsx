import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { setToken } from '../../api/client';
import type { Role } from '../../api/types';
import { jsonResponse } from '../../test/http';
import { bot, inboxBackend } from '../../test/inbox';
import { renderApp } from '../../test/renderApp';
import type { BotMenu, BotMenuView } from './menu';

const APPLIED = '2025-03-05T09:30:00Z';
const MINIAPP_URL = 'https://cartie.test/m/demo';

/** A backend with bot 1 whose menu is `menu`; PUTs are answered by `put` (default: saved and applied). */
function menuBackend(menu: unknown, put?: (body: BotMenu) => Response, role: Role = 'admin') {
  const bodies: BotMenu[] = [];
  const fetchMock = inboxBackend(role, (url, init) => {
    if (url === '/api/bots/1/menu' && init?.method === 'PUT') {
      const body = JSON.parse(init.body as string) as BotMenu;
      bodies.push(body);
      return put ? put(body) : jsonResponse(200, { ...body, bot_id: 1, applied_at: APPLIED, miniapp_url: MINIAPP_URL });
    }
    if (url === '/api/bots/1/menu') return menu instanceof Response ? menu : jsonResponse(200, menu);
    return undefined;
  });
  return { bodies, fetchMock };
}

const input = (name: string) => screen.getByRole('textbox', { name }) as HTMLInputElement;
const radio = (name: string) => screen.getByRole('radio', { name: new RegExp(`^${name}`) }) as HTMLInputElement;

describe('Bot menu editor', () => {
  it('opens from the bot card, and shows a bot that has no menu as an empty one', async () => {
    setToken('tok');
    // Only the bot id: every other field missing.
    menuBackend({ bot_id: 1 });
    const app = renderApp('/telegram');
    fireEvent.click(await screen.findByRole('link', { name: 'Menu of @DemoMotorsBot' }));
    expect(app.url()).toBe('/telegram?tab=menu&bot=1');

    const form = await screen.findByRole('form', { name: 'Menu of @DemoMotorsBot' });
    expect(within(form).getByText('No commands yet.')).toBeTruthy();
    expect(within(form).getByText('No keyboard.')).toBeTruthy();
    expect(radio('Default').checked).toBe(true);
    expect(within(form).getByText('Not applied in Telegram yet')).toBeTruthy();
    expect((screen.getByLabelText('Bot') as HTMLSelectElement).value).toBe('1');
  });

  it('treats a 404 menu and a malformed one as empty', async () => {
    setToken('tok');
    menuBackend(jsonResponse(404, { error: { code: 'not_found', message: 'no menu', field: null } }));
    renderApp('/telegram?tab=menu');
    expect(await screen.findByText('No commands yet.')).toBeTruthy();
  });

  it('survives missing and odd fields', async () => {
    setToken('tok');
    menuBackend({ bot_id: 1, commands: [{ command: 'start' }], menu_button: { kind: 'web_app' }, keyboard: [['Hi', null], null] });
    renderApp('/telegram?tab=menu&bot=1');
    expect((await screen.findByRole('textbox', { name: 'Command 1' }) as HTMLInputElement).value).toBe('start');
    expect(input('Description 1').value).toBe('');
    expect(radio('Mini App showcase').checked).toBe(true);
    expect(input('Row 1, button 1').value).toBe('Hi');
    expect(input('Row 1, button 2').value).toBe('');
    expect(screen.getByRole('listitem', { name: 'Row 2' })).toBeTruthy();
  });

  it('adds a command (slash stripped, lower case) and saves the whole menu', async () => {
    setToken('tok');
    const { bodies } = menuBackend({ bot_id: 1, commands: [], menu_button: { kind: 'default' }, keyboard: [], applied_at: null });
    renderApp('/telegram?tab=menu&bot=1');
    fireEvent.click(await screen.findByRole('button', { name: 'Add command' }));
    fireEvent.change(input('Command 1'), { target: { value: '/Cars' } });
    expect(input('Command 1').value).toBe('cars');
    fireEvent.change(input('Description 1'), { target: { value: ' Our stock ' } });
    expect(screen.getByText('Unsaved changes')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save menu' }));

    expect(await screen.findByText('Saved and applied in Telegram.')).toBeTruthy();
    expect(screen.getByText(/^Applied in Telegram at /)).toBeTruthy();
    expect(bodies).toEqual([{ commands: [{ command: 'cars', description: 'Our stock' }], menu_button: { kind: 'default' }, keyboard: [] }]);
  });

  it('reorders and removes commands and edits the keyboard rows', async () => {
    setToken('tok');
    const { bodies } = menuBackend({
      bot_id: 1,
      commands: [
        { command: 'start', description: 'Start' },
        { command: 'cars', description: 'Our cars' },
        { command: 'old', description: 'Old one' },
      ],
      menu_button: { kind: 'commands' },
      keyboard: [['Stock']],
      applied_at: APPLIED,
    });
    renderApp('/telegram?tab=menu&bot=1');
    fireEvent.click(await screen.findByRole('button', { name: 'Move command 2 up' }));
    expect(input('Command 1').value).toBe('cars');
    fireEvent.click(screen.getByRole('button', { name: 'Remove command 3' }));
    expect(screen.queryByRole('textbox', { name: 'Command 3' })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Add a button to row 1' }));
    fireEvent.change(input('Row 1, button 2'), { target: { value: 'Call me' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add row' }));
    fireEvent.change(input('Row 2, button 1'), { target: { value: 'Trade-in' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add row' }));
    fireEvent.click(screen.getByRole('button', { name: 'Remove row 3' }));

    fireEvent.click(screen.getByRole('button', { name: 'Save menu' }));
    await waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0]).toEqual({
      commands: [
        { command: 'cars', description: 'Our cars' },
        { command: 'start', description: 'Start' },
      ],
      menu_button: { kind: 'commands' },
      keyboard: [['Stock', 'Call me'], ['Trade-in']],
    });
  });

  it("shows the server's field errors next to the right input, and Telegram's refusal as a banner", async () => {
    setToken('tok');
    let attempt = 0;
    menuBackend(
      { bot_id: 1, commands: [{ command: 'start', description: 'Start' }, { command: 'cars', description: 'Cars' }], keyboard: [['A', 'B']] },
      () => {
        attempt += 1;
        if (attempt === 1) return jsonResponse(422, { error: { code: 'validation', message: 'Telegram reserves this command', field: 'commands[1].command' } });
        if (attempt === 2) return jsonResponse(422, { error: { code: 'validation', message: 'too long for a button', field: 'keyboard[0][1]' } });
        return jsonResponse(502, { error: { code: 'telegram_error', message: 'Bad Request: BOT_COMMAND_INVALID', field: null } });
      },
    );
    renderApp('/telegram?tab=menu&bot=1');
    fireEvent.click(await screen.findByRole('button', { name: 'Save menu' }));

    const second = input('Command 2');
    await waitFor(() => expect(second.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById(second.getAttribute('aria-describedby')!)!.textContent).toBe('Telegram reserves this command');
    expect(input('Command 1').getAttribute('aria-invalid')).toBeNull();
    expect(document.activeElement).toBe(second);
    // Editing the field clears its error.
    fireEvent.change(second, { target: { value: 'stock' } });
    expect(second.getAttribute('aria-invalid')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Save menu' }));
    const key = input('Row 1, button 2');
    await waitFor(() => expect(key.getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText('Too long for a button')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Save menu' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Telegram did not accept the menu: Bad Request: BOT_COMMAND_INVALID');
  });

  it('checks the commands before saving', async () => {
    setToken('tok');
    const { bodies } = menuBackend({ bot_id: 1, commands: [{ command: 'cars', description: 'Cars' }] });
    renderApp('/telegram?tab=menu&bot=1');
    fireEvent.click(await screen.findByRole('button', { name: 'Add command' }));
    fireEvent.change(input('Command 2'), { target: { value: 'our cars!' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save menu' }));
    expect(await screen.findByText('Use 1–32 characters: a–z, 0–9 and _.')).toBeTruthy();
    expect(screen.getByText('Enter what the command does.')).toBeTruthy();
    fireEvent.change(input('Command 2'), { target: { value: 'cars' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save menu' }));
    expect(await screen.findByText('/cars is already in the list.')).toBeTruthy();
    expect(bodies).toEqual([]);
  });

  it('needs an https address for a web page button', async () => {
    setToken('tok');
    const { bodies } = menuBackend({ bot_id: 1, menu_button: { kind: 'default' }, miniapp_url: MINIAPP_URL });
    renderApp('/telegram?tab=menu&bot=1');
    fireEvent.click(await screen.findByRole('radio', { name: /^Web page/ }));
    fireEvent.change(input('Button text'), { target: { value: 'Website' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save menu' }));
    expect(await screen.findByText("Enter the page's address.")).toBeTruthy();
    const url = screen.getByLabelText('Web page address') as HTMLInputElement;
    expect(url.getAttribute('aria-invalid')).toBe('true');

    fireEvent.change(url, { target: { value: 'http://dealer.test/cars' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save menu' }));
    expect(await screen.findByText(/Use an https:\/\/ address/)).toBeTruthy();
    expect(bodies).toEqual([]);

    fireEvent.change(url, { target: { value: 'https://dealer.test/cars' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save menu' }));
    await waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0].menu_button).toEqual({ kind: 'url', text: 'Website', url: 'https://dealer.test/cars' });
  });

  it('offers the Mini App showcase with its address', async () => {
    setToken('tok');
    const { bodies } = menuBackend({ bot_id: 1, menu_button: { kind: 'default' }, miniapp_url: MINIAPP_URL });
    renderApp('/telegram?tab=menu&bot=1');
    fireEvent.click(await screen.findByRole('radio', { name: /^Mini App showcase/ }));
    expect(screen.getByText(MINIAPP_URL)).toBeTruthy();
    expect(input('Button text').value).toBe('Our cars');
    expect(screen.queryByLabelText('Web page address')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Save menu' }));
    await waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0].menu_button).toEqual({ kind: 'web_app', text: 'Our cars', url: '' });
  });

  it('shows a manager the menu without letting them change it', async () => {
    setToken('tok');
    menuBackend({ bot_id: 1, commands: [{ command: 'cars', description: 'Cars' }], keyboard: [['Hi']] } satisfies BotMenuView, undefined, 'manager');
    renderApp('/telegram?tab=menu&bot=1');
    // Disabled by its fieldset.
    expect((await screen.findByRole('textbox', { name: 'Command 1' })).matches(':disabled')).toBe(true);
    expect(input('Row 1, button 1').matches(':disabled')).toBe(true);
    expect(screen.queryByRole('button', { name: 'Save menu' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Add command' })).toBeNull();
    expect(screen.getByText(/only admins and owners can change/i)).toBeTruthy();
  });

  it('says when the bot of the link is not connected', async () => {
    setToken('tok');
    inboxBackend('admin', (url) => (url === '/api/bots' ? jsonResponse(200, { bots: [bot] }) : undefined));
    const app = renderApp('/telegram?tab=menu&bot=99');
    expect(await screen.findByText('This bot is not connected')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Bot'), { target: { value: '1' } });
    expect(app.url()).toBe('/telegram?tab=menu&bot=1');
  });

  it('sends to the Bots tab when no bot is connected', async () => {
    setToken('tok');
    inboxBackend('admin', (url) => (url === '/api/bots' ? jsonResponse(200, { bots: [] }) : undefined));
    renderApp('/telegram?tab=menu');
    expect(await screen.findByText('No bots connected yet')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Connect a bot' }).getAttribute('href')).toBe('/telegram?tab=bots');
  });
});
