import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { setToken } from '../../api/client';
import { jsonResponse, mockFetch } from '../../test/http';
import { renderApp } from '../../test/renderApp';

// 23:30 UTC on 1 March: already 2 March in Kyiv, still 1 March in New York.
const ws = { id: 'ws1', name: 'Demo Motors', slug: 'demo', created_at: '2025-03-01T23:30:00Z', time_zone: 'America/New_York' };

function backend(role: string) {
  let zone = ws.time_zone;
  return mockFetch((url, init) => {
    const workspace = { ...ws, time_zone: zone };
    if (url === '/api/auth/me') return jsonResponse(200, { email: 'o@demo.test', name: 'O', role, workspace, time_zone: zone });
    if (url === '/api/version') return jsonResponse(200, { git_sha: 'dev', build_time: '', schema_version: 1 });
    if (url === '/api/workspace' && init?.method === 'PATCH') {
      zone = (JSON.parse(String(init.body)) as { time_zone: string }).time_zone;
      return jsonResponse(200, { ...ws, time_zone: zone });
    }
    if (url === '/api/workspace') return jsonResponse(200, workspace);
    return jsonResponse(404, { error: { code: 'not_found', message: 'Not found', field: null } });
  });
}

describe('Settings → Company: time zone', () => {
  it('lets an owner find and save a zone, and dates follow it', async () => {
    setToken('tok');
    const fetchMock = backend('owner');
    renderApp('/settings?tab=company');
    expect(await screen.findByText('Mar 1, 2025')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Find a zone'), { target: { value: 'kyiv' } });
    expect(screen.getByText('1 zone found')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Time zone'), { target: { value: 'Europe/Kyiv' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save time zone' }));
    expect(await screen.findByText('Saved: times are now shown in Europe/Kyiv.')).toBeTruthy();
    const call = fetchMock.mock.calls.find(([u, init]) => u === '/api/workspace' && init?.method === 'PATCH')!;
    expect(JSON.parse(String(call[1]?.body))).toEqual({ time_zone: 'Europe/Kyiv' });
    // The company's creation date, shown in the new zone: already the next day in Kyiv.
    await waitFor(() => expect(screen.getByText('Mar 2, 2025')).toBeTruthy());
  });

  it('shows others the zone without a way to change it', async () => {
    setToken('tok');
    backend('manager');
    renderApp('/settings?tab=company');
    expect(await screen.findByText('Only an owner can change the time zone.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Save time zone' })).toBeNull();
  });
});
