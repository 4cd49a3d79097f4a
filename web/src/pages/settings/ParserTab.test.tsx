import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { setToken } from '../../api/client';
import { jsonResponse, mockFetch } from '../../test/http';
import { renderApp } from '../../test/renderApp';

const ws = { id: 'ws1', name: 'Demo Motors', slug: 'demo', created_at: '2025-01-01T00:00:00Z' };
const rule = { field: 'price', from: null, selector: '.price', fixed: null };

function backend(role: string) {
  let mappings = [
    { domain: 'mobile.de', path_prefix: null, rules: [rule], updated_at: '2025-03-01T12:00:00Z' },
    { domain: 'mobile.de', path_prefix: '/auto/', rules: [rule, { ...rule, field: 'color' }], updated_at: '2025-03-02T12:00:00Z' },
  ];
  return mockFetch((url, init) => {
    if (url === '/api/auth/me') return jsonResponse(200, { email: `${role}@demo.test`, name: 'Me', role, workspace: ws });
    if (url === '/api/version') return jsonResponse(200, { git_sha: 'dev', build_time: '', schema_version: 1 });
    if (url === '/api/parser/mappings') return jsonResponse(200, { mappings });
    if (url === '/api/parser/mappings/mobile.de?path_prefix=%2Fauto%2F' && init?.method === 'DELETE') {
      mappings = mappings.filter((m) => m.path_prefix !== '/auto/');
      return new Response(null, { status: 204 });
    }
    return jsonResponse(404, { error: { code: 'not_found', message: 'Not found', field: null } });
  });
}

describe('Settings → Parser', () => {
  it('lists saved mappings per site and section, and forgets one after confirming', async () => {
    setToken('tok');
    const fetchMock = backend('manager');
    renderApp('/settings?tab=parser');
    const table = await screen.findByRole('table', { name: 'Saved site mappings' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(within(rows[1]).getByText('whole site')).toBeTruthy();
    expect(within(rows[2]).getByText('/auto/…')).toBeTruthy();
    fireEvent.click(within(rows[2]).getByRole('button', { name: 'Forget' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Forget' }));
    expect(await screen.findByText(/Forgot the mapping for mobile.de\/auto\//)).toBeTruthy();
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Saved site mappings' })).getAllByRole('row')).toHaveLength(2));
    expect(fetchMock.mock.calls.some(([u, i]) => String(u).includes('path_prefix=%2Fauto%2F') && i?.method === 'DELETE')).toBe(true);
  });

  it('shows viewers the list without the Forget buttons', async () => {
    setToken('tok');
    backend('viewer');
    renderApp('/settings?tab=parser');
    await screen.findByRole('table', { name: 'Saved site mappings' });
    expect(screen.queryByRole('button', { name: 'Forget' })).toBeNull();
  });
});
