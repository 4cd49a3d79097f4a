import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { setToken } from '../../api/client';
import type { CarRequestView, MatchView, OfferView, RequestDetailView } from '../../api/types';
import { jsonResponse } from '../../test/http';
import { inboxBackend } from '../../test/inbox';
import { renderApp } from '../../test/renderApp';

function request(over: Partial<CarRequestView> = {}): CarRequestView {
  return {
    id: 'r1',
    make: 'Toyota',
    model: 'RAV4',
    year_from: 2019,
    year_to: 2021,
    budget: 25000,
    currency: 'EUR',
    max_mileage_km: 80000,
    fuel: null,
    transmission: 'automatic',
    body: null,
    color: null,
    region: null,
    deadline: null,
    notes: null,
    priority: 'normal',
    status: 'open',
    shared: true,
    conversation: null,
    created_by: 'mia@demo.test',
    created_at: '2025-03-01T12:00:00Z',
    updated_at: '2025-03-01T12:00:00Z',
    offers: 0,
    matched_at: '2025-03-01T12:00:05Z',
    ...over,
  };
}

const car = { make: 'Toyota', model: 'RAV4', year: 2018, price: 27000, currency: 'EUR', mileage_km: 82000, fuel: 'hybrid' as const, transmission: 'automatic' as const, photo_url: null };

/** A partner's RAV4: a year older, 2 000 EUR over budget, 2 000 km over. */
const partnerMatch = {
  car_id: 'c9',
  partner_id: 'ws2',
  partner_name: 'Kyiv Cars',
  car,
  score: 69,
  reasons: [
    { criterion: 'make', outcome: 'met', by: null, note: 'Toyota' },
    { criterion: 'model', outcome: 'met', by: null, note: 'RAV4' },
    { criterion: 'year', outcome: 'missed', by: 1, note: '1 year older' },
    { criterion: 'price', outcome: 'missed', by: 2000, note: '2 000 EUR over budget' },
    { criterion: 'mileage', outcome: 'missed', by: 2000, note: '2 000 km over' },
    { criterion: 'transmission', outcome: 'met', by: null, note: 'automatic' },
  ],
  found_at: '2025-03-01T12:00:05Z',
} as unknown as MatchView;

const ownMatch = {
  car_id: 'c1',
  partner_id: null,
  partner_name: null,
  car: { ...car, year: 2020, price: 24000, mileage_km: 60000 },
  score: 100,
  reasons: [
    { criterion: 'make', outcome: 'met', by: null, note: 'Toyota' },
    { criterion: 'model', outcome: 'met', by: null, note: 'RAV4' },
    { criterion: 'year', outcome: 'met', by: null, note: '2020, within 2019–2021' },
    { criterion: 'price', outcome: 'met', by: null, note: '24 000 EUR, within budget' },
    { criterion: 'mileage', outcome: 'met', by: null, note: '60 000 km' },
    { criterion: 'transmission', outcome: 'unknown', by: null, note: 'transmission not given' },
  ],
  found_at: '2025-03-01T12:00:05Z',
} as unknown as MatchView;

const offer: OfferView = {
  id: 'o1',
  partner_id: 'ws2',
  partner_name: 'Kyiv Cars',
  car_id: 'c9',
  car,
  price: 26000,
  currency: 'EUR',
  status: 'sent',
  created_at: '2025-03-02T09:00:00Z',
  comments: [{ author: 'ivan@kyiv.test', company: 'Kyiv Cars', mine: false, text: 'One owner, full service history.', at: '2025-03-02T09:00:00Z' }],
};

function detail(over: Partial<RequestDetailView> = {}, req: Partial<CarRequestView> = {}): RequestDetailView {
  return {
    request: request(req),
    matches: [partnerMatch, ownMatch],
    offers: [],
    history: [
      { at: '2025-03-01T12:00:00Z', by: 'mia@demo.test', change: { kind: 'created' } },
      { at: '2025-03-01T13:00:00Z', by: 'mia@demo.test', change: { kind: 'edited', fields: ['budget', 'max_mileage_km'] } },
    ],
    ...over,
  };
}

describe('Requests list', () => {
  it('filters by status in the address and links each request to its page', async () => {
    setToken('tok');
    inboxBackend('manager', (url) =>
      url === '/api/requests'
        ? jsonResponse(200, {
            requests: [request(), request({ id: 'r2', make: 'Audi', model: 'A4', status: 'draft', matched_at: null, priority: 'urgent' })],
          })
        : undefined,
    );
    const app = renderApp('/requests?status=open');
    const link = await screen.findByRole('link', { name: 'Toyota RAV4' });
    expect(link.getAttribute('href')).toBe('/requests/r1');
    expect(screen.queryByText('Audi A4')).toBeNull();
    const filters = screen.getByRole('navigation', { name: 'Filter by status' });
    expect(within(filters).getByRole('button', { name: /Open/ }).getAttribute('aria-pressed')).toBe('true');

    fireEvent.click(within(filters).getByRole('button', { name: /Draft/ }));
    expect(await screen.findByRole('link', { name: 'Audi A4' })).toBeTruthy();
    expect(app.url()).toBe('/requests?status=draft');
    expect(screen.queryByRole('link', { name: 'Toyota RAV4' })).toBeNull();

    fireEvent.click(within(filters).getByRole('button', { name: /All/ }));
    expect(await screen.findByRole('link', { name: 'Toyota RAV4' })).toBeTruthy();
    expect(app.url()).toBe('/requests');
    expect(screen.getByRole('link', { name: 'New request' }).getAttribute('href')).toBe('/requests/new');
  });

  it('says how to start when there are none', async () => {
    setToken('tok');
    inboxBackend('viewer', (url) => (url === '/api/requests' ? jsonResponse(200, { requests: [] }) : undefined));
    renderApp('/requests');
    expect(await screen.findByText('No requests yet')).toBeTruthy();
    // A viewer cannot post one.
    expect(screen.queryByRole('link', { name: 'New request' })).toBeNull();
  });
});

describe('New request', () => {
  it('sends every field it was given, shared and open by default, then opens the request', async () => {
    setToken('tok');
    const posts: unknown[] = [];
    inboxBackend('manager', (url, init) => {
      if (url === '/api/requests' && init?.method === 'POST') {
        posts.push(JSON.parse(String(init.body)));
        return jsonResponse(201, detail({ matches: [] }, { matched_at: null }));
      }
      if (url === '/api/requests/r1') return jsonResponse(200, detail());
      return undefined;
    });
    const app = renderApp('/requests/new');
    const form = await screen.findByRole('form', { name: 'New request' });
    const type = (label: string, value: string) => fireEvent.change(within(form).getByLabelText(label), { target: { value } });
    type('Make', 'Toyota');
    type('Model', 'RAV4');
    type('Year from', '2019');
    type('Year to', '2021');
    type('Budget', '25 000');
    type('Mileage up to, km', '80000');
    type('Gearbox', 'automatic');
    type('Fuel', 'hybrid');
    type('Colour', 'white');
    type('Region', 'Kyiv');
    type('Needed by', '2026-12-31');
    type('Priority', 'high');
    type('Notes', 'Buyer wants the Hybrid AWD.');
    expect((within(form).getByRole('checkbox', { name: 'Share with partners' }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(within(form).getByRole('button', { name: 'Post request' }));

    expect(await screen.findByText(/Request posted/)).toBeTruthy();
    expect(posts).toEqual([
      {
        make: 'Toyota',
        model: 'RAV4',
        year_from: 2019,
        year_to: 2021,
        budget: 25000,
        currency: 'EUR',
        max_mileage_km: 80000,
        fuel: 'hybrid',
        transmission: 'automatic',
        body: null,
        color: 'white',
        region: 'Kyiv',
        deadline: '2026-12-31',
        notes: 'Buyer wants the Hybrid AWD.',
        priority: 'high',
        shared: true,
        status: 'open',
      },
    ]);
    expect(app.url()).toBe('/requests/r1');
  });

  it('saves a draft not shared, and checks the years before sending', async () => {
    setToken('tok');
    const posts: Record<string, unknown>[] = [];
    const fetch = inboxBackend('manager', (url, init) => {
      if (url === '/api/requests' && init?.method === 'POST') {
        posts.push(JSON.parse(String(init.body)) as Record<string, unknown>);
        return jsonResponse(201, detail({ matches: [] }, { status: 'draft', matched_at: null, shared: false }));
      }
      if (url === '/api/requests/r1') return jsonResponse(200, detail({ matches: [] }, { status: 'draft', matched_at: null, shared: false }));
      return undefined;
    });
    renderApp('/requests/new');
    const form = await screen.findByRole('form', { name: 'New request' });
    fireEvent.change(within(form).getByLabelText('Make'), { target: { value: 'Audi' } });
    fireEvent.change(within(form).getByLabelText('Year from'), { target: { value: '2022' } });
    fireEvent.change(within(form).getByLabelText('Year to'), { target: { value: '2020' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save as draft' }));
    expect(await screen.findByText('This year is before the first one.')).toBeTruthy();
    expect(fetch.mock.calls.some(([u, i]) => u === '/api/requests' && i?.method === 'POST')).toBe(false);

    fireEvent.change(within(form).getByLabelText('Year to'), { target: { value: '2023' } });
    fireEvent.click(within(form).getByRole('checkbox', { name: 'Share with partners' }));
    fireEvent.click(within(form).getByRole('button', { name: 'Save as draft' }));
    expect(await screen.findByText(/Draft saved/)).toBeTruthy();
    expect(posts[0]).toMatchObject({ make: 'Audi', model: null, year_from: 2022, year_to: 2023, shared: false, status: 'draft' });
    // A draft is not matched, and may only be published or given up.
    expect(screen.getByText('A draft is not matched: publish it to find cars.')).toBeTruthy();
    const moves = screen.getByRole('group', { name: 'Change the status' });
    expect(within(moves).getAllByRole('button').map((b) => b.textContent)).toEqual(['Publish', 'Mark lost']);
  });
});

describe('A request', () => {
  it('ranks the matches best first and says for each criterion whether it is met, and by how much it is missed', async () => {
    setToken('tok');
    inboxBackend('manager', (url) => (url === '/api/requests/r1' ? jsonResponse(200, detail()) : undefined));
    renderApp('/requests/r1');
    expect(await screen.findByRole('heading', { name: 'Toyota RAV4 · 2019–2021' })).toBeTruthy();
    const cards = screen.getAllByRole('listitem').filter((li) => li.classList.contains('b2b-match'));
    expect(cards.map((c) => c.getAttribute('data-car'))).toEqual(['c1', 'c9']);

    const [own, partner] = cards;
    expect(within(own).getByText('Your stock')).toBeTruthy();
    expect(within(own).getByRole('link', { name: 'Toyota RAV4 2020' }).getAttribute('href')).toBe('/inventory/c1');
    expect(within(own).getByRole('meter', { name: 'Match score' }).getAttribute('aria-valuenow')).toBe('100');
    expect(within(own).getByText('€24,000, within budget')).toBeTruthy();
    expect(within(own).getByText('60,000 km, within the limit')).toBeTruthy();
    const unknown = own.querySelector('[data-criterion="transmission"]')!;
    expect(unknown.getAttribute('data-outcome')).toBe('unknown');
    expect(unknown.textContent).toBe('Not known:Gearboxnot stated');

    expect(within(partner).getByText('Stock of Kyiv Cars')).toBeTruthy();
    expect(within(partner).getByText('69/100')).toBeTruthy();
    const reason = (c: string) => partner.querySelector(`[data-criterion="${c}"]`)!;
    expect([reason('year'), reason('price'), reason('mileage')].map((r) => r.getAttribute('data-outcome'))).toEqual(['missed', 'missed', 'missed']);
    expect(reason('year').textContent).toBe('Missed:Year1 year older');
    expect(reason('price').textContent).toBe('Missed:Price€2,000 over budget');
    expect(reason('mileage').textContent).toBe('Missed:Mileage2,000 km over');
    expect(reason('transmission').textContent).toBe('Met:GearboxAutomatic');
    expect(reason('make').textContent).toBe('Met:MakeToyota');

    // The history in words.
    expect(screen.getByText('Request created')).toBeTruthy();
    expect(screen.getByText('Edited: budget, mileage')).toBeTruthy();
    // An open request may be won, lost, expire or go back to draft.
    const moves = screen.getByRole('group', { name: 'Change the status' });
    expect(within(moves).getAllByRole('button').map((b) => b.textContent)).toEqual(['Mark won', 'Mark lost', 'Mark expired', 'Back to draft']);
  });

  it('says "Matching…" until the first matching ran, asking again every 2 seconds', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    setToken('tok');
    let ran = false;
    inboxBackend('manager', (url) =>
      url === '/api/requests/r1' ? jsonResponse(200, ran ? detail() : detail({ matches: [] }, { matched_at: null })) : undefined,
    );
    renderApp('/requests/r1');
    expect(await screen.findByText('Matching…')).toBeTruthy();
    ran = true;
    await act(() => vi.advanceTimersByTimeAsync(2_100));
    expect(await screen.findByText('Stock of Kyiv Cars')).toBeTruthy();
    expect(screen.queryByText('Matching…')).toBeNull();
  });

  it('accepts an offer at its own address, after saying what accepting does', async () => {
    setToken('tok');
    let current = detail({ offers: [offer, { ...offer, id: 'o2', partner_name: 'Odesa Motors', partner_id: 'ws3', comments: [] }] }, { status: 'offers', offers: 2 });
    const calls: string[] = [];
    const comments: unknown[] = [];
    inboxBackend('manager', (url, init) => {
      if (init?.method === 'POST') calls.push(url);
      if (url === '/api/requests/r1/offers/o1/accept' && init?.method === 'POST') {
        current = detail(
          {
            offers: [
              { ...offer, status: 'accepted' },
              { ...offer, id: 'o2', partner_name: 'Odesa Motors', partner_id: 'ws3', comments: [], status: 'closed' },
            ],
            history: [...current.history, { at: '2025-03-03T10:00:00Z', by: 'manager@demo.test', change: { kind: 'offer_accepted', partner: 'Kyiv Cars' } }],
          },
          { status: 'won', offers: 2 },
        );
        return jsonResponse(200, current);
      }
      if (url === '/api/requests/r1/offers/o1/comments' && init?.method === 'POST') {
        comments.push(JSON.parse(String(init.body)));
        current = { ...current, offers: current.offers.map((o) => (o.id === 'o1' ? { ...o, comments: [...o.comments, { author: 'manager@demo.test', company: 'Demo Motors', mine: true, text: 'Can you do 25 500?', at: '2025-03-03T09:00:00Z' }] } : o)) };
        return jsonResponse(201, current);
      }
      if (url === '/api/requests/r1') return jsonResponse(200, current);
      return undefined;
    });
    renderApp('/requests/r1');
    const card = (await screen.findByText('One owner, full service history.')).closest('li.b2b-offer') as HTMLElement;
    expect(within(card).getByText('€26,000')).toBeTruthy();
    expect(within(card).getByText('Awaiting answer')).toBeTruthy();

    fireEvent.change(within(card).getByLabelText('Your comment'), { target: { value: 'Can you do 25 500?' } });
    fireEvent.click(within(card).getByRole('button', { name: 'Comment' }));
    expect(await within(card).findByText('Can you do 25 500?')).toBeTruthy();
    expect(comments).toEqual([{ text: 'Can you do 25 500?' }]);

    fireEvent.click(within(card).getByRole('button', { name: 'Accept' }));
    const dialog = await screen.findByRole('dialog', { name: 'Accept this offer?' });
    expect(dialog.textContent).toContain('Kyiv Cars offers Toyota RAV4 2018 for €26,000');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Accept' }));
    expect(await screen.findByText('Offer from Kyiv Cars accepted: the request is won.')).toBeTruthy();
    expect(calls).toEqual(['/api/requests/r1/offers/o1/comments', '/api/requests/r1/offers/o1/accept']);
    expect(screen.getAllByText('Won').length).toBeGreaterThan(0);
    expect(screen.getByText('Offer from Kyiv Cars accepted')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Accept' })).toBeNull();
    // A won request may only be reopened.
    const moves = screen.getByRole('group', { name: 'Change the status' });
    expect(within(moves).getAllByRole('button').map((b) => b.textContent)).toEqual(['Reopen']);
  });

  it('edits a request in place with PUT, keeping what was not touched', async () => {
    setToken('tok');
    const puts: unknown[] = [];
    inboxBackend('manager', (url, init) => {
      if (url === '/api/requests/r1' && init?.method === 'PUT') {
        puts.push(JSON.parse(String(init.body)));
        return jsonResponse(200, detail({}, { budget: 27000 }));
      }
      if (url === '/api/requests/r1') return jsonResponse(200, detail());
      return undefined;
    });
    renderApp('/requests/r1');
    fireEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    const form = screen.getByRole('form', { name: 'Edit the request' });
    expect((within(form).getByLabelText('Make') as HTMLInputElement).value).toBe('Toyota');
    fireEvent.change(within(form).getByLabelText('Budget'), { target: { value: '27000' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Changes saved. The request is matched again.')).toBeTruthy();
    expect(puts).toEqual([
      {
        make: 'Toyota',
        model: 'RAV4',
        year_from: 2019,
        year_to: 2021,
        budget: 27000,
        currency: 'EUR',
        max_mileage_km: 80000,
        fuel: null,
        transmission: 'automatic',
        body: null,
        color: null,
        region: null,
        deadline: null,
        notes: null,
        priority: 'normal',
        shared: true,
      },
    ]);
    expect(document.querySelector('.b2b-facts')?.textContent).toContain('€27,000');
  });

  it('moves a request by its status route', async () => {
    setToken('tok');
    const bodies: unknown[] = [];
    inboxBackend('manager', (url, init) => {
      if (url === '/api/requests/r1/status' && init?.method === 'POST') {
        bodies.push(JSON.parse(String(init.body)));
        return jsonResponse(200, detail({}, { status: 'lost' }));
      }
      if (url === '/api/requests/r1') return jsonResponse(200, detail());
      return undefined;
    });
    renderApp('/requests/r1');
    fireEvent.click(await screen.findByRole('button', { name: 'Mark lost' }));
    expect(await screen.findByText('The request is now “Lost”.')).toBeTruthy();
    expect(bodies).toEqual([{ status: 'lost' }]);
  });
});
