// The user-visible promises of issue 11 the pages share: which language the
// app speaks, dates in the user's language and the workspace's zone, API
// errors by code, and the first steps a new dealer is shown.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiError, setToken } from '../api/client';
import { errorMessage } from '../api/errors';
import { jsonResponse, mockFetch } from '../test/http';
import { inboxBackend } from '../test/inbox';
import { renderApp } from '../test/renderApp';
import { currentLanguage, i18n, miniappLanguage, setLanguage } from './index';
import { dayLabel, formatMoney, listTime, setTimeZone } from './format';

const ws = { id: 'ws1', name: 'Demo Motors', slug: 'demo', created_at: '2025-01-01T00:00:00Z' };

function meBackend(me: Record<string, unknown>, extra: (url: string, init?: RequestInit) => Response | undefined = () => undefined) {
  return mockFetch((url, init) => {
    if (url === '/api/auth/me' && (!init?.method || init.method === 'GET')) return jsonResponse(200, { email: 'o@d.test', name: 'Olga', role: 'owner', workspace: ws, ...me });
    if (url === '/api/version') return jsonResponse(200, { git_sha: 'dev', build_time: '', schema_version: 1 });
    return extra(url, init) ?? jsonResponse(404, { error: { code: 'not_found', message: 'Not found', field: null } });
  });
}

describe('the language', () => {
  it("follows the user's stored choice over the browser's, and the header switch stores a new one", async () => {
    setToken('tok');
    const fetchMock = meBackend({ language: 'uk' }, (url, init) =>
      url === '/api/auth/me' && init?.method === 'PATCH' ? jsonResponse(200, {}) : undefined,
    );
    renderApp('/settings?tab=versions');
    expect(await screen.findByRole('heading', { name: 'Налаштування' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('uk');

    fireEvent.change(screen.getByRole('combobox', { name: 'Мова' }), { target: { value: 'en' } });
    expect(await screen.findByRole('heading', { name: 'Settings' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('en');
    expect(localStorage.getItem('cartie.language')).toBe('en');
    const patch = fetchMock.mock.calls.find(([u, i]) => u === '/api/auth/me' && i?.method === 'PATCH');
    expect(JSON.parse(String(patch?.[1]?.body))).toEqual({ language: 'en' });
  });

  it('still switches when an older server has no PATCH /api/auth/me', async () => {
    setToken('tok');
    meBackend({}, (_url, init) => (init?.method === 'PATCH' ? jsonResponse(405, { error: { code: 'method_not_allowed', message: 'no', field: null } }) : undefined));
    renderApp('/settings?tab=versions');
    fireEvent.change(await screen.findByRole('combobox', { name: 'Language' }), { target: { value: 'uk' } });
    expect(await screen.findByRole('heading', { name: 'Налаштування' })).toBeTruthy();
    expect(currentLanguage()).toBe('uk');
  });

  it("is the buyer's Telegram language in the Mini App: uk is Ukrainian, anything else English", () => {
    const launch = (code: string) => new URLSearchParams({ user: JSON.stringify({ id: 1, language_code: code }), hash: 'x' }).toString();
    expect(miniappLanguage(launch('uk'))).toBe('uk');
    expect(miniappLanguage(launch('de'))).toBe('en');
    expect(miniappLanguage(launch('ru'))).toBe('en');
  });
});

describe('dates, numbers and money', () => {
  const now = new Date('2026-03-12T15:00:00Z'); // a Thursday

  it('shows the time today, the weekday this week, and the date with its year otherwise', () => {
    setTimeZone('UTC');
    expect(listTime('2026-03-12T09:05:00Z', now)).toBe('09:05 AM');
    expect(listTime('2026-03-09T09:05:00Z', now)).toBe('Mon');
    expect(listTime('2025-03-09T09:05:00Z', now)).toBe('Mar 9, 2025');
  });

  it("counts days in the workspace's time zone", () => {
    // 23:30 UTC on the 11th is already the 12th in Kyiv.
    setTimeZone('Europe/Kyiv');
    expect(listTime('2026-03-11T23:30:00Z', now)).toBe('01:30 AM');
    setTimeZone('UTC');
    expect(listTime('2026-03-11T23:30:00Z', now)).toBe('Wed');
  });

  it('speaks Ukrainian: relative days, dates and hryvnias', async () => {
    setTimeZone('UTC');
    await setLanguage('uk', false);
    expect(dayLabel(Date.parse('2026-03-11T10:00:00Z'), now)).toBe('Учора');
    expect(listTime('2025-03-09T09:05:00Z', now)).toMatch(/9 бер\. 2025/);
    expect(formatMoney(1234567, 'UAH').replace(/\s/g, ' ')).toMatch(/1 234 567 ₴|1 234 567 грн/);
  });
});

describe('API errors', () => {
  it('are translated by code, with the English message as the fallback for an unknown code', async () => {
    await setLanguage('uk', false);
    expect(errorMessage(new ApiError(401, 'invalid_credentials', 'the e-mail or the password is wrong'))).toBe('Неправильний e-mail або пароль.');
    expect(errorMessage(new ApiError(422, 'validation', 'must be an e-mail', 'email'))).toBe(
      'Перевірте поле «електронна пошта»: це значення не підходить.',
    );
    expect(errorMessage(new ApiError(418, 'teapot', 'I am a teapot'))).toBe('I am a teapot');
    await setLanguage('en', false);
    // In English, a validation error keeps the server's precise words.
    expect(errorMessage(new ApiError(422, 'validation', 'Must be an e-mail', 'email'))).toBe('Must be an e-mail');
    expect(i18n.t('common:errors.codes.internal')).toBe('The server had a problem. Please try again.');
  });
});

describe('getting started', () => {
  const dashboard = (kpis: Record<string, number>) => ({
    workspace: ws,
    kpis: Object.entries(kpis).map(([key, value]) => ({ key, label: key, value, link: '/' })),
  });

  it("ticks off what the workspace already has, and can be put away", async () => {
    setToken('tok');
    inboxBackend('owner', (url) => {
      if (url === '/api/dashboard') return jsonResponse(200, dashboard({ bots: 1, team_members: 1, pending_invites: 0 }));
      if (url === '/api/inventory?limit=1') return jsonResponse(200, { items: [], next_cursor: null });
      if (url === '/api/scenarios') return jsonResponse(200, { scenarios: [] });
      return undefined;
    });
    renderApp('/');
    const list = (await screen.findByRole('heading', { name: 'Getting started' })).closest('section')!;
    await waitFor(() => expect(within(list).getByText('1 of 4 done')).toBeTruthy());
    expect(list.querySelector('[data-step="bot"]')!.getAttribute('data-done')).toBe('true');
    expect(list.querySelector('[data-step="car"]')!.getAttribute('data-done')).toBe('false');
    fireEvent.click(within(list).getByRole('button', { name: 'Hide the getting-started list' }));
    expect(screen.queryByRole('heading', { name: 'Getting started' })).toBeNull();
    expect(localStorage.getItem('cartie.gettingStarted.dismissed.ws1')).toBe('1');
  });

  it('goes away by itself once every step is done', async () => {
    setToken('tok');
    inboxBackend('owner', (url) => {
      if (url === '/api/dashboard') return jsonResponse(200, dashboard({ bots: 2, team_members: 3, pending_invites: 0 }));
      if (url === '/api/inventory?limit=1') return jsonResponse(200, { items: [{ id: 'c1' }], next_cursor: null });
      if (url === '/api/scenarios')
        return jsonResponse(200, { scenarios: [{ id: 's', name: 'S', bot_ids: [], published_version: 1, has_unpublished_changes: false, updated_at: '' }] });
      return undefined;
    });
    renderApp('/');
    await screen.findByRole('link', { name: /2\s*Connected bots/ });
    await waitFor(() => expect(screen.queryByRole('heading', { name: 'Getting started' })).toBeNull());
  });
});

describe('the parser', () => {
  it('adds https:// to an address typed without it', async () => {
    setToken('tok');
    const fetchMock = inboxBackend('manager', (url, init) =>
      url === '/api/parser/preview' && init?.method === 'POST'
        ? jsonResponse(400, { error: { code: 'url_dns', message: 'no such host', field: 'url' } })
        : undefined,
    );
    renderApp('/parser');
    fireEvent.change(await screen.findByLabelText('Car page URL'), { target: { value: 'auto.ria.com/uk/auto_bmw_x5_1.html' } });
    fireEvent.click(screen.getByRole('button', { name: 'Fetch' }));
    // The dealer's words under the address, not the fetcher's.
    expect(await screen.findByText('This site could not be found. Check the address for typos.')).toBeTruthy();
    const sent = fetchMock.mock.calls.find(([u]) => u === '/api/parser/preview')!;
    expect(JSON.parse(String(sent[1]?.body))).toEqual({ url: 'https://auto.ria.com/uk/auto_bmw_x5_1.html' });
    expect((screen.getByLabelText('Car page URL') as HTMLInputElement).value).toBe('https://auto.ria.com/uk/auto_bmw_x5_1.html');
  });
});
