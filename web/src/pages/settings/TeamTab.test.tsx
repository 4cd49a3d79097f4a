import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { setToken } from '../../api/client';
import { jsonResponse, mockFetch } from '../../test/http';
import { renderApp } from '../../test/renderApp';

const ws = { id: 'ws1', name: 'Demo Motors', slug: 'demo', created_at: '2025-01-01T00:00:00Z' };
const team = {
  members: [
    { email: 'owner@demo.test', name: 'Olga Owner', role: 'owner', joined_at: '2025-01-01T00:00:00Z' },
    { email: 'mia@demo.test', name: 'Mia Manager', role: 'manager', joined_at: '2025-02-01T00:00:00Z' },
  ],
  invites: [],
};

function backend(role: string) {
  return mockFetch((url, init) => {
    if (url === '/api/auth/me') return jsonResponse(200, { email: `${role}@demo.test`, name: 'Me', role, workspace: ws });
    if (url === '/api/version') return jsonResponse(200, { git_sha: 'dev', build_time: '', schema_version: 1 });
    if (url === '/api/team') return jsonResponse(200, team);
    if (url === '/api/team/invites' && init?.method === 'POST')
      return jsonResponse(201, {
        id: 'inv1',
        email: 'new@demo.test',
        role: 'manager',
        invited_by: 'owner@demo.test',
        created_at: '2025-03-01T00:00:00Z',
        expires_at: '2025-03-08T00:00:00Z',
        link_path: '/invite/secret-token',
      });
    if (url === '/api/team/members/mia%40demo.test/password-reset' && init?.method === 'POST')
      return jsonResponse(201, { email: 'mia@demo.test', link_path: '/reset/reset-secret', expires_at: '2025-03-02T00:00:00Z' });
    if (url === '/api/team/members/mia%40demo.test' && init?.method === 'DELETE') return new Response(null, { status: 204 });
    return jsonResponse(404, { error: { code: 'not_found', message: 'Not found', field: null } });
  });
}

describe('Settings → Team', () => {
  it('lets an owner invite someone and shows the one-time link', async () => {
    setToken('tok');
    backend('owner');
    renderApp('/settings?tab=team');
    await screen.findByRole('cell', { name: 'mia@demo.test' });
    fireEvent.change(screen.getByLabelText('E-mail'), { target: { value: 'new@demo.test' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send invite' }));
    const link = (await screen.findByLabelText('Invite link')) as HTMLInputElement;
    expect(link.value).toBe(`${window.location.origin}/invite/secret-token`);
    expect(screen.getByRole('button', { name: 'Copy' })).toBeTruthy();
    expect(screen.getByText(/will not be shown again/i)).toBeTruthy();
    expect(screen.getByRole('cell', { name: 'new@demo.test' })).toBeTruthy();
  });

  it('asks for confirmation before removing a member', async () => {
    setToken('tok');
    const fetchMock = backend('owner');
    renderApp('/settings?tab=team');
    const row = (await screen.findByRole('cell', { name: 'mia@demo.test' })).closest('tr')!;
    fireEvent.click(within(row).getByRole('button', { name: 'Remove' }));
    const dialog = screen.getByRole('dialog', { name: 'Remove member?' });
    expect(fetchMock.mock.calls.some(([, init]) => init?.method === 'DELETE')).toBe(false);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(screen.queryByRole('cell', { name: 'mia@demo.test' })).toBeNull());
    expect(fetchMock.mock.calls.some(([u, init]) => u === '/api/team/members/mia%40demo.test' && init?.method === 'DELETE')).toBe(true);
  });

  it('gives an owner a one-time reset link for a member, with its expiry', async () => {
    setToken('tok');
    backend('owner');
    renderApp('/settings?tab=team');
    const row = (await screen.findByRole('cell', { name: 'mia@demo.test' })).closest('tr')!;
    // Not for oneself: one's own password changes in Settings → Account.
    const ownRow = screen.getByRole('cell', { name: 'owner@demo.test' }).closest('tr')!;
    expect(within(ownRow).queryByRole('button', { name: /reset link/i })).toBeNull();
    fireEvent.click(within(row).getByRole('button', { name: 'Password reset link for mia@demo.test' }));
    const link = (await screen.findByLabelText('Password reset link')) as HTMLInputElement;
    expect(link.value).toBe(`${window.location.origin}/reset/reset-secret`);
    expect(screen.getByText(/sets a new password once, until Mar 2, 2025/)).toBeTruthy();
  });

  it('shows a viewer the team without any management actions', async () => {
    setToken('tok');
    backend('viewer');
    renderApp('/settings?tab=team');
    await screen.findByRole('cell', { name: 'mia@demo.test' });
    expect(screen.queryByRole('button', { name: 'Send invite' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Remove' })).toBeNull();
    expect(screen.queryByRole('button', { name: /reset link/i })).toBeNull();
    expect(screen.queryByRole('combobox', { name: /^Role of/ })).toBeNull();
    expect(screen.getByText(/only admins and owners/i)).toBeTruthy();
  });
});

