import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { setToken } from '../../api/client';
import type { CarRequestView, MatchView, PartnerRequestView, PartnerView } from '../../api/types';
import { jsonResponse } from '../../test/http';
import { inboxBackend } from '../../test/inbox';
import { renderApp } from '../../test/renderApp';

const company = { slug: 'demo', workspace_id: 'ws1', profile: { name: 'Demo Motors', city: 'Lviv', region: null, address: null, phone: null, telegram: null, about: null } };

function partner(over: Partial<PartnerView> & { partner_id: string }): PartnerView {
  return {
    slug: over.partner_id,
    status: 'active',
    profile: { name: `Dealer ${over.partner_id}`, city: 'Kyiv', phone: '+380 67 123 4567', telegram: '@kyiv_cars' },
    invited_by: 'owner@demo.test',
    updated_at: '2025-03-01T12:00:00Z',
    ...over,
  };
}

describe('Partners → Invite', () => {
  it('takes the slug from a partner’s invite link /partners/connect/{slug} and sends the invitation', async () => {
    setToken('tok');
    const posts: unknown[] = [];
    inboxBackend('owner', (url, init) => {
      if (url === '/api/company') return jsonResponse(200, company);
      if (url === '/api/partners' && init?.method === 'POST') {
        posts.push(JSON.parse(String(init.body)));
        return jsonResponse(201, partner({ partner_id: 'ws2', slug: 'kyiv-cars', status: 'invited', profile: { name: 'Kyiv Cars' } }));
      }
      if (url === '/api/partners') return jsonResponse(200, { items: [] });
      return undefined;
    });
    renderApp('/partners/connect/kyiv-cars');
    const input = (await screen.findByRole('textbox', { name: 'Company short name or invite link' })) as HTMLInputElement;
    expect(input.value).toBe('kyiv-cars');
    expect(screen.getByText(/You opened the invite link of “kyiv-cars”/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Invite' }).getAttribute('aria-current')).toBe('page');
    fireEvent.click(screen.getByRole('button', { name: 'Send invitation' }));
    expect(await screen.findByText(/Invitation sent to Kyiv Cars/)).toBeTruthy();
    expect(posts).toEqual([{ slug: 'kyiv-cars' }]);

    // My own link, to send to others.
    const mine = (await screen.findByRole('textbox', { name: 'Your invite link' })) as HTMLInputElement;
    expect(mine.value).toBe(`${window.location.origin}/partners/connect/demo`);
  });

  it('reads the slug out of a pasted link, and shows the server’s word on a wrong one under the field', async () => {
    setToken('tok');
    const posts: unknown[] = [];
    inboxBackend('owner', (url, init) => {
      if (url === '/api/company') return jsonResponse(200, company);
      if (url === '/api/partners' && init?.method === 'POST') {
        posts.push(JSON.parse(String(init.body)));
        return jsonResponse(400, { error: { code: 'validation', message: 'No company uses this slug', field: 'slug' } });
      }
      return undefined;
    });
    renderApp('/partners/invite');
    const input = await screen.findByRole('textbox', { name: 'Company short name or invite link' });
    fireEvent.change(input, { target: { value: 'https://cartie.example/partners/connect/odesa-motors' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send invitation' }));
    expect(await screen.findByText('No company uses this slug')).toBeTruthy();
    expect(posts).toEqual([{ slug: 'odesa-motors' }]);
  });
});

describe('Partners → list', () => {
  it('shows each status, accepts an invitation and removes a partner after confirming', async () => {
    setToken('tok');
    let items = [
      partner({ partner_id: 'ws2', status: 'pending', profile: { name: 'Kyiv Cars', city: 'Kyiv' } }),
      partner({ partner_id: 'ws3', status: 'active', profile: { name: 'Odesa Motors', phone: '+380 48 700 0000', telegram: '@odesa_motors' } }),
      partner({ partner_id: 'ws4', status: 'invited', profile: { name: 'Lutsk Auto' } }),
      partner({ partner_id: 'ws5', status: 'declined', profile: { name: 'Rivne Cars' } }),
    ];
    const calls: string[] = [];
    inboxBackend('owner', (url, init) => {
      const method = init?.method ?? 'GET';
      if (method !== 'GET') calls.push(`${method} ${url}`);
      if (url === '/api/partners/ws2/accept' && method === 'POST') {
        items = items.map((p) => (p.partner_id === 'ws2' ? { ...p, status: 'active' } : p));
        return jsonResponse(200, items[0]);
      }
      if (url === '/api/partners/ws3' && method === 'DELETE') {
        items = items.filter((p) => p.partner_id !== 'ws3');
        return new Response(null, { status: 204 });
      }
      if (url === '/api/partners') return jsonResponse(200, { items });
      if (url === '/api/partner-requests') return jsonResponse(200, { items: [] });
      return undefined;
    });
    renderApp('/partners?invitation=ws2');
    const card = (id: string) => document.querySelector(`[data-partner="${id}"]`) as HTMLElement;
    await screen.findByText('Kyiv Cars');
    expect(card('ws2').classList.contains('b2b-highlight')).toBe(true);
    expect(within(card('ws2')).getByText('Invites you')).toBeTruthy();
    expect(within(card('ws3')).getByText('Partner')).toBeTruthy();
    expect(within(card('ws3')).getByRole('link', { name: 'Write to @odesa_motors in Telegram' }).getAttribute('href')).toBe('https://t.me/odesa_motors');
    expect(within(card('ws4')).getByText('Invitation sent')).toBeTruthy();
    expect(within(card('ws4')).getByRole('button', { name: 'Withdraw invitation' })).toBeTruthy();
    expect(within(card('ws5')).getByText('Declined')).toBeTruthy();
    expect(within(card('ws5')).getByRole('button', { name: 'Invite again' })).toBeTruthy();

    fireEvent.click(within(card('ws2')).getByRole('button', { name: 'Accept' }));
    expect(await screen.findByText('You and Kyiv Cars are now partners.')).toBeTruthy();
    await within(card('ws2')).findByText('Partner');

    fireEvent.click(within(card('ws3')).getByRole('button', { name: 'Remove partner' }));
    const dialog = await screen.findByRole('dialog', { name: 'Remove Odesa Motors as a partner?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove partner' }));
    expect(await screen.findByText('Odesa Motors is no longer a partner.')).toBeTruthy();
    expect(calls).toEqual(['POST /api/partners/ws2/accept', 'DELETE /api/partners/ws3']);
    expect(screen.queryByText('Odesa Motors')).toBeNull();
  });

  it('lets a viewer look but not change anything', async () => {
    setToken('tok');
    inboxBackend('viewer', (url) =>
      url === '/api/partners' ? jsonResponse(200, { items: [partner({ partner_id: 'ws2', status: 'pending', profile: { name: 'Kyiv Cars' } })] }) : undefined,
    );
    renderApp('/partners');
    await screen.findByText('Kyiv Cars');
    expect(screen.queryByRole('button', { name: 'Accept' })).toBeNull();
  });
});

describe('Partners → company card', () => {
  it('saves the card partners see', async () => {
    setToken('tok');
    const puts: unknown[] = [];
    inboxBackend('owner', (url, init) => {
      if (url === '/api/company' && init?.method === 'PUT') {
        const body = JSON.parse(String(init.body)) as { telegram: string };
        puts.push(body);
        return jsonResponse(200, { ...company, profile: { ...body, telegram: '@demo_motors' } });
      }
      if (url === '/api/company') return jsonResponse(200, company);
      return undefined;
    });
    renderApp('/partners/company');
    const form = (await screen.findByRole('textbox', { name: 'Company name' })).closest('form') as HTMLElement;
    fireEvent.change(within(form).getByLabelText('Phone'), { target: { value: '+380 32 000 1111' } });
    fireEvent.change(within(form).getByLabelText('Telegram'), { target: { value: 't.me/demo_motors' } });
    fireEvent.change(within(form).getByLabelText('About'), { target: { value: 'Toyota and Lexus, since 2005.' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Company card saved.')).toBeTruthy();
    expect(puts).toEqual([
      { name: 'Demo Motors', city: 'Lviv', region: null, address: null, phone: '+380 32 000 1111', telegram: 't.me/demo_motors', about: 'Toyota and Lexus, since 2005.', logo_file_id: null },
    ]);
    expect((within(form).getByLabelText('Telegram') as HTMLInputElement).value).toBe('@demo_motors');
  });
});

const wanted: CarRequestView = {
  id: 'r7',
  make: 'Toyota',
  model: 'RAV4',
  year_from: 2019,
  year_to: 2021,
  budget: 25000,
  currency: 'EUR',
  max_mileage_km: null,
  transmission: 'automatic',
  priority: 'high',
  status: 'open',
  shared: true,
  created_by: '',
  created_at: '2025-03-04T08:00:00Z',
  updated_at: '2025-03-04T08:00:00Z',
  offers: 0,
  matched_at: '2025-03-04T08:00:02Z',
  deadline: '2026-12-31',
  notes: 'White or grey preferred.',
};

const myMatch = {
  car_id: 'car-1',
  partner_id: 'ws1',
  partner_name: null,
  car: { make: 'Toyota', model: 'RAV4', year: 2020, price: 24500, currency: 'EUR', mileage_km: 61000, fuel: 'hybrid', transmission: 'automatic' },
  score: 100,
  reasons: [
    { criterion: 'make', outcome: 'met', by: null, note: 'Toyota' },
    { criterion: 'year', outcome: 'met', by: null, note: '2020, within 2019–2021' },
  ],
  found_at: '2025-03-04T08:00:02Z',
} as unknown as MatchView;

describe('A partner’s request', () => {
  it('lists shared requests newest first, each linking to its page', async () => {
    setToken('tok');
    inboxBackend('manager', (url) =>
      url === '/api/partner-requests'
        ? jsonResponse(200, {
            items: [
              { partner_id: 'ws2', partner_name: 'Kyiv Cars', request: { ...wanted, id: 'old', make: 'Audi', model: 'A6', created_at: '2025-01-01T00:00:00Z' } },
              { partner_id: 'ws2', partner_name: 'Kyiv Cars', request: wanted },
            ],
          })
        : undefined,
    );
    renderApp('/partners/requests');
    await screen.findByRole('link', { name: 'Toyota RAV4' });
    const links = screen.getAllByRole('link').filter((a) => a.getAttribute('href')?.startsWith('/partners/requests/'));
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['/partners/requests/ws2/r7', '/partners/requests/ws2/old']);
  });

  it('offers a matching car with the form filled from it, then shows the offer', async () => {
    setToken('tok');
    let view: PartnerRequestView = { partner_id: 'ws2', partner_name: 'Kyiv Cars', request: wanted, my_matches: [myMatch], my_offers: [] };
    const posts: unknown[] = [];
    inboxBackend('manager', (url, init) => {
      if (url === '/api/partner-requests/ws2/r7/offers' && init?.method === 'POST') {
        posts.push(JSON.parse(String(init.body)));
        view = {
          ...view,
          my_offers: [
            {
              id: 'o1',
              partner_id: 'ws1',
              partner_name: 'Demo Motors',
              car_id: 'car-1',
              car: myMatch.car,
              price: 24000,
              currency: 'EUR',
              status: 'sent',
              created_at: '2025-03-04T09:00:00Z',
              comments: [{ author: 'manager@demo.test', company: 'Demo Motors', mine: true, text: 'Ready to go.', at: '2025-03-04T09:00:00Z' }],
            },
          ],
        };
        return jsonResponse(201, view);
      }
      if (url === '/api/partner-requests/ws2/r7') return jsonResponse(200, view);
      return undefined;
    });
    renderApp('/partners/requests/ws2/r7');
    expect(await screen.findByRole('heading', { name: 'Toyota RAV4 · 2019–2021' })).toBeTruthy();
    expect(screen.getByText(/from Kyiv Cars/)).toBeTruthy();
    expect(screen.getByText('White or grey preferred.')).toBeTruthy();
    expect(screen.getByText('Dec 31, 2026')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Offer this car' }));
    const form = (await screen.findByRole('heading', { name: 'Offer a car' })).closest('section') as HTMLElement;
    expect((within(form).getByRole('combobox', { name: 'Car' }) as HTMLSelectElement).value).toBe('car-1');
    const price = within(form).getByRole('textbox', { name: 'Your price' }) as HTMLInputElement;
    expect(price.value).toBe('24500');
    expect((within(form).getByRole('combobox', { name: 'Currency' }) as HTMLSelectElement).value).toBe('EUR');
    fireEvent.change(price, { target: { value: '24 000' } });
    fireEvent.change(within(form).getByRole('textbox', { name: 'Comment' }), { target: { value: 'Ready to go.' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Send offer' }));

    expect(await screen.findByText('Offer sent: Toyota RAV4 2020 to Kyiv Cars.')).toBeTruthy();
    expect(posts).toEqual([{ car_id: 'car-1', price: 24000, currency: 'EUR', comment: 'Ready to go.' }]);
    const offer = document.querySelector('[data-offer="o1"]') as HTMLElement;
    expect(within(offer).getByText('Awaiting answer')).toBeTruthy();
    expect(within(offer).getByText('€24,000')).toBeTruthy();
    expect(within(offer).getByText('Ready to go.')).toBeTruthy();
    expect(screen.getByText('You offered this car.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Offer this car' })).toBeNull();
  });
});
