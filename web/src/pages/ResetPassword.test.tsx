import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { getToken } from '../api/client';
import { jsonResponse, mockFetch } from '../test/http';
import { renderApp } from '../test/renderApp';

const ws = { id: 'ws1', name: 'Demo Motors', slug: 'demo', created_at: '2025-01-01T00:00:00Z' };
const me = { email: 'mia@demo.test', name: 'Mia Manager', role: 'manager', workspace: ws };
const gone = () => jsonResponse(404, { error: { code: 'not_found', message: 'this link is unknown, used or expired', field: null } });

describe('/reset/:token', () => {
  it('sets a new password and logs in', async () => {
    const fetchMock = mockFetch((url, init) => {
      if (url === '/api/password-resets/tok123' && (init?.method ?? 'GET') === 'GET') return jsonResponse(200, { email: 'mia@demo.test', expires_at: '2030-01-01T10:00:00Z' });
      if (url === '/api/password-resets/tok123' && init?.method === 'POST')
        return jsonResponse(200, { token: 'session-token', expires_at: '2030-01-01T00:00:00Z', me });
      if (url === '/api/auth/me') return jsonResponse(200, me);
      if (url === '/api/version') return jsonResponse(200, { git_sha: 'dev', build_time: '', schema_version: 1 });
      if (url === '/api/dashboard') return jsonResponse(200, { workspace: ws, kpis: [] });
      return jsonResponse(404, { error: { code: 'not_found', message: 'Not found', field: null } });
    });
    renderApp('/reset/tok123');
    expect(await screen.findByText('mia@demo.test')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('New password'), { target: { value: 'a-new-password' } });
    fireEvent.change(screen.getByLabelText('New password again'), { target: { value: 'a-new-passwrd' } });
    fireEvent.click(screen.getByRole('button', { name: 'Set password and log in' }));
    expect(await screen.findByText('The two passwords differ.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('New password again'), { target: { value: 'a-new-password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Set password and log in' }));
    await waitFor(() => expect(getToken()).toBe('session-token'));
    const call = fetchMock.mock.calls.find(([u, init]) => u === '/api/password-resets/tok123' && init?.method === 'POST')!;
    expect(JSON.parse(String(call[1]?.body))).toEqual({ password: 'a-new-password' });
  });

  it('says plainly when the link was used or has expired', async () => {
    mockFetch((url) => (url.startsWith('/api/password-resets/') ? gone() : jsonResponse(404, { error: { code: 'not_found', message: '', field: null } })));
    renderApp('/reset/used-token');
    expect(await screen.findByText('This reset link no longer works')).toBeTruthy();
    expect(screen.getByText(/already been used or it has expired/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Go to login' })).toBeTruthy();
    expect(screen.queryByLabelText('New password')).toBeNull();
  });
});
