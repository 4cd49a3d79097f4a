import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { setToken } from './api/client';
import { jsonResponse, mockFetch } from './test/http';
import { renderApp } from './test/renderApp';

const ws = { id: 'ws1', name: 'Demo Motors', slug: 'demo', created_at: '2025-01-01T00:00:00Z' };
const owner = { email: 'owner@demo.test', name: 'Olga Owner', role: 'owner', workspace: ws };
const superadmin = { email: 'root@cartie.test', name: 'Sam Super', role: 'superadmin', workspace: null };
const version = { git_sha: 'dev', build_time: '2025-01-01T00:00:00Z', schema_version: 1 };

function backend(me: unknown, extra: Record<string, unknown> = {}) {
  return mockFetch((url) => {
    if (url === '/api/auth/me') return jsonResponse(200, me);
    if (url === '/api/version') return jsonResponse(200, version);
    if (url in extra) return jsonResponse(200, extra[url]);
    return jsonResponse(404, { error: { code: 'not_found', message: 'Not found', field: null } });
  });
}

describe('App', () => {
  it('shows the dashboard KPIs as links, and the layout around them', async () => {
    setToken('tok');
    backend(owner, {
      '/api/dashboard': {
        workspace: ws,
        kpis: [
          { key: 'team_members', label: 'Team members', value: 3, link: '/settings?tab=team' },
          { key: 'stock', label: 'Cars on sale', value: 12, link: '/inventory' },
        ],
      },
    });
    renderApp('/');
    const kpi = await screen.findByRole('link', { name: /3\s*Team members/ });
    expect(kpi.getAttribute('href')).toBe('/settings?tab=team');
    expect(screen.getByRole('link', { name: /12\s*Cars on sale/ }).getAttribute('href')).toBe('/inventory');
    expect(screen.getByRole('heading', { name: 'Getting started' })).toBeTruthy();
    expect(screen.getByText('Olga Owner')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Log out' })).toBeTruthy();
    expect(screen.getByText(/build/).textContent).toMatch(/build\s*\S+/);
  });

  it('offers a retry when the dashboard fails to load', async () => {
    setToken('tok');
    mockFetch((url) => {
      if (url === '/api/auth/me') return jsonResponse(200, owner);
      if (url === '/api/version') return jsonResponse(200, version);
      return jsonResponse(500, { error: { code: 'internal', message: 'The database is unavailable.', field: null } });
    });
    renderApp('/');
    expect(await screen.findByText('The server had a problem. Please try again.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeTruthy();
  });

  it('shows a not-found page with a way home for an unknown path', async () => {
    setToken('tok');
    backend(owner);
    renderApp('/no/such/page');
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Go to the dashboard' }).getAttribute('href')).toBe('/');
  });

  it('names the module and what it will do on pages not built yet', async () => {
    setToken('tok');
    backend(owner);
    renderApp('/integrations');
    expect(await screen.findByRole('heading', { name: 'Integrations' })).toBeTruthy();
    expect(screen.getByText(/outgoing webhooks on events/i)).toBeTruthy();
  });

  it('sends the superadmin from / to Admin → Workspaces', async () => {
    setToken('tok');
    backend(superadmin, { '/api/admin/workspaces': { workspaces: [ws] } });
    renderApp('/');
    expect(await screen.findByRole('heading', { name: 'Workspaces' })).toBeTruthy();
    expect(await screen.findByRole('cell', { name: 'Demo Motors' })).toBeTruthy();
  });

  it('drops an expired session and asks to log in again', async () => {
    setToken('expired');
    mockFetch(() => jsonResponse(401, { error: { code: 'invalid_token', message: 'Session expired.', field: null } }));
    renderApp('/settings?tab=team');
    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeTruthy();
    expect(localStorage.getItem('cartie.token')).toBeNull();
  });
});
