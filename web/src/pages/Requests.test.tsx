import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { setToken } from '../api/client';
import { jsonResponse } from '../test/http';
import { inboxBackend } from '../test/inbox';
import { renderApp } from '../test/renderApp';

describe('Requests', () => {
  it('lists the requests with a link to the chat they came from', async () => {
    setToken('tok');
    inboxBackend('viewer', (url) =>
      url === '/api/requests'
        ? jsonResponse(200, {
            requests: [
              {
                id: 'r1',
                make: 'Audi',
                model: 'A4',
                year_from: 2018,
                year_to: 2021,
                budget: 25000,
                currency: 'EUR',
                priority: 'urgent',
                status: 'open',
                conversation: '1:42',
                created_by: 'mia@demo.test',
                created_at: '2025-03-01T12:00:00Z',
              },
            ],
          })
        : undefined,
    );
    renderApp('/requests');
    const row = (await screen.findByText('Audi')).closest('tr')!;
    expect(within(row).getByText('A4')).toBeTruthy();
    expect(within(row).getByText('2018–2021')).toBeTruthy();
    expect(within(row).getByText(/25,000/)).toBeTruthy();
    expect(within(row).getByText('Urgent')).toBeTruthy();
    expect(within(row).getByText('by Mia Manager')).toBeTruthy();
    expect(within(row).getByRole('link', { name: 'Open chat' }).getAttribute('href')).toBe('/inbox/1:42');
    expect(screen.getByText(/partners' offers are coming/)).toBeTruthy();
  });

  it('says how to create one when there are none', async () => {
    setToken('tok');
    inboxBackend('viewer', (url) => (url === '/api/requests' ? jsonResponse(200, { requests: [] }) : undefined));
    renderApp('/requests');
    expect(await screen.findByText('No requests yet')).toBeTruthy();
  });
});
