import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { getToken, setToken } from '../../api/client';
import { jsonResponse, mockFetch } from '../../test/http';
import { renderApp } from '../../test/renderApp';

const ws = { id: 'ws1', name: 'Demo Motors', slug: 'demo', created_at: '2025-01-01T00:00:00Z', time_zone: 'Europe/Kyiv' };
const me = { email: 'mia@demo.test', name: 'Mia Manager', role: 'manager', workspace: ws, language: 'en', time_zone: 'Europe/Kyiv' };

function backend() {
  return mockFetch((url, init) => {
    if (url === '/api/auth/me' && (init?.method ?? 'GET') === 'GET') return jsonResponse(200, me);
    if (url === '/api/version') return jsonResponse(200, { git_sha: 'dev', build_time: '', schema_version: 1 });
    if (url === '/api/auth/password' && init?.method === 'POST') {
      const body = JSON.parse(String(init.body)) as { current_password: string; new_password: string };
      if (body.current_password !== 'old-password-1')
        return jsonResponse(422, { error: { code: 'wrong_password', message: 'the current password is wrong', field: 'current_password' } });
      return jsonResponse(200, { token: 'fresh-token', expires_at: '2030-01-01T00:00:00Z', me });
    }
    if (url === '/api/auth/me' && init?.method === 'PATCH') return jsonResponse(200, { ...me, ...JSON.parse(String(init.body)) });
    return jsonResponse(404, { error: { code: 'not_found', message: 'Not found', field: null } });
  });
}

const fill = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe('Settings → Account', () => {
  it('names each wrong field before sending, and the wrong current password after', async () => {
    setToken('tok');
    const fetchMock = backend();
    renderApp('/settings?tab=account');
    await screen.findByRole('heading', { name: 'Password' });
    fill('New password', 'short');
    fill('New password again', 'different');
    fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('Enter your current password.')).toBeTruthy();
    expect(screen.getByText('Use at least 10 characters.')).toBeTruthy();
    expect(screen.getByText('The two passwords differ.')).toBeTruthy();
    expect(fetchMock.mock.calls.some(([u]) => u === '/api/auth/password')).toBe(false);

    fill('Current password', 'not-my-password');
    fill('New password', 'brand-new-password');
    fill('New password again', 'brand-new-password');
    fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('The current password is wrong.')).toBeTruthy();
    expect(screen.getByLabelText('Current password').getAttribute('aria-invalid')).toBe('true');
    expect(getToken()).toBe('tok');
  });

  it('changes the password and carries on with the fresh session', async () => {
    setToken('tok');
    const fetchMock = backend();
    renderApp('/settings?tab=account');
    await screen.findByRole('heading', { name: 'Password' });
    fill('Current password', 'old-password-1');
    fill('New password', 'brand-new-password');
    fill('New password again', 'brand-new-password');
    fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText(/Your password was changed/)).toBeTruthy();
    expect(getToken()).toBe('fresh-token');
    const call = fetchMock.mock.calls.find(([u]) => u === '/api/auth/password')!;
    expect(JSON.parse(String(call[1]?.body))).toEqual({ current_password: 'old-password-1', new_password: 'brand-new-password' });
    expect((screen.getByLabelText('Current password') as HTMLInputElement).value).toBe('');
  });

  it('stores the chosen language on the account', async () => {
    setToken('tok');
    const fetchMock = backend();
    renderApp('/settings?tab=account');
    fireEvent.change(await screen.findByLabelText('Your language'), { target: { value: 'uk' } });
    await waitFor(() =>
      expect(fetchMock.mock.calls.some(([u, init]) => u === '/api/auth/me' && init?.method === 'PATCH' && String(init.body) === '{"language":"uk"}')).toBe(true),
    );
    expect(await screen.findByRole('heading', { name: 'Мова' })).toBeTruthy();
  });
});
