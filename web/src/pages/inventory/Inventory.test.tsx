import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { setToken } from '../../api/client';
import { jsonResponse } from '../../test/http';
import { inboxBackend } from '../../test/inbox';
import { listing } from '../../test/inventory';
import { renderApp } from '../../test/renderApp';
import { checkFilters } from './filters';

/** The inventory list URLs the page asked the API for, in order. */
function listCalls(fetchMock: ReturnType<typeof inboxBackend>): string[] {
  return fetchMock.mock.calls.map(([u]) => String(u)).filter((u) => u.startsWith('/api/inventory?'));
}

describe('Inventory list', () => {
  it('shows each car with its photo, price, mileage and status, and links to import', async () => {
    setToken('tok');
    const car = listing({ id: 'a1', make: 'Audi', model: 'A4 Avant', year: 2018, price: 21990, mileage: 64000, status: 'reserved' });
    const noPhoto = listing({ id: 'b2', make: 'Ford', model: 'Focus', photos: [], mileage: 30000, mileage_unit: 'mi', currency: 'USD', price: 15500 });
    inboxBackend('manager', (url) => (url.startsWith('/api/inventory?') ? jsonResponse(200, { items: [car, noPhoto], next_cursor: null }) : undefined));
    renderApp('/inventory');

    const audi = (await screen.findByText('Audi A4 Avant', { exact: false })).closest('a')!;
    expect(audi.getAttribute('href')).toBe('/inventory/a1');
    expect(within(audi).getByText('2018')).toBeTruthy();
    expect(within(audi).getByText('€21,990')).toBeTruthy();
    expect(within(audi).getByText('64,000 km')).toBeTruthy();
    expect(within(audi).getByText('Reserved').className).toContain('status-reserved');
    expect(audi.querySelector('img')!.getAttribute('src')).toBe(car.photos![0]);

    const ford = screen.getByText('Ford Focus', { exact: false }).closest('a')!;
    expect(within(ford).getByText('$15,500')).toBeTruthy();
    expect(within(ford).getByText('30,000 mi')).toBeTruthy();
    expect(within(ford).getByText('No photo')).toBeTruthy();

    expect(screen.getByRole('link', { name: 'Import from URL' }).getAttribute('href')).toBe('/parser?from=inventory');
    expect(screen.getByRole('link', { name: 'Add car' }).getAttribute('href')).toBe('/inventory/new');
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('lets a viewer read the list without the actions that change it', async () => {
    setToken('tok');
    inboxBackend('viewer', (url) => (url.startsWith('/api/inventory?') ? jsonResponse(200, { items: [listing()], next_cursor: null }) : undefined));
    renderApp('/inventory');
    expect(await screen.findByText('€25,000')).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Import from URL' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Add car' })).toBeNull();
    expect(screen.getByText(/only managers, admins and owners/i)).toBeTruthy();
  });

  it('writes the filters to the URL and the request query, and Back restores them', async () => {
    setToken('tok');
    const fetchMock = inboxBackend('viewer', (url) =>
      url.startsWith('/api/inventory?') ? jsonResponse(200, { items: [listing()], next_cursor: null }) : undefined,
    );
    const app = renderApp('/inventory');
    await screen.findByText('€25,000');
    expect(listCalls(fetchMock)).toEqual(['/api/inventory?limit=24']);

    fireEvent.click(screen.getByRole('button', { name: 'Filters' }));
    fireEvent.change(screen.getByLabelText('Make'), { target: { value: ' BMW ' } });
    fireEvent.change(screen.getByLabelText('Year from'), { target: { value: '2018' } });
    fireEvent.change(screen.getByLabelText('Price to'), { target: { value: '30 000' } });
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'available' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply filters' }));

    expect(app.url()).toBe('/inventory?make=BMW&year_min=2018&price_max=30000&status=available');
    await waitFor(() =>
      expect(listCalls(fetchMock).at(-1)).toBe('/api/inventory?make=BMW&year_min=2018&price_max=30000&status=available&limit=24'),
    );
    expect(await screen.findByRole('button', { name: 'Filters (4)' })).toBeTruthy();

    // The search box adds to the filters.
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search' }), { target: { value: 'xdrive' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    expect(app.url()).toBe('/inventory?q=xdrive&make=BMW&year_min=2018&price_max=30000&status=available');
    await waitFor(() => expect(listCalls(fetchMock).at(-1)).toContain('q=xdrive&make=BMW'));

    // Back: the previous filters, in the form and in the request.
    app.go(-1);
    expect(app.url()).toBe('/inventory?make=BMW&year_min=2018&price_max=30000&status=available');
    expect((screen.getByRole('searchbox', { name: 'Search' }) as HTMLInputElement).value).toBe('');
    expect((screen.getByLabelText('Make') as HTMLInputElement).value).toBe('BMW');
    await waitFor(() =>
      expect(listCalls(fetchMock).at(-1)).toBe('/api/inventory?make=BMW&year_min=2018&price_max=30000&status=available&limit=24'),
    );

    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(app.url()).toBe('/inventory');
    await waitFor(() => expect(listCalls(fetchMock).at(-1)).toBe('/api/inventory?limit=24'));
  });

  it('opens a deep link with its filters applied', async () => {
    setToken('tok');
    const fetchMock = inboxBackend('viewer', (url) =>
      url.startsWith('/api/inventory?') ? jsonResponse(200, { items: [], next_cursor: null }) : undefined,
    );
    renderApp('/inventory?make=Audi&mileage_max=100000');
    expect(await screen.findByText('No cars match')).toBeTruthy();
    expect(listCalls(fetchMock)).toEqual(['/api/inventory?make=Audi&mileage_max=100000&limit=24']);
    expect((screen.getByLabelText('Make') as HTMLInputElement).value).toBe('Audi');
    expect((screen.getByLabelText('Mileage to') as HTMLInputElement).value).toBe('100000');
  });

  it("opens the dashboard's link (?status=available) with the status filter shown", async () => {
    setToken('tok');
    const fetchMock = inboxBackend('viewer', (url) =>
      url.startsWith('/api/inventory?') ? jsonResponse(200, { items: [listing()], next_cursor: null }) : undefined,
    );
    const app = renderApp('/inventory?status=available');
    await screen.findByText('€25,000');
    expect(listCalls(fetchMock)).toEqual(['/api/inventory?status=available&limit=24']);
    expect(screen.getByRole('button', { name: 'Filters (1)' }).getAttribute('aria-expanded')).toBe('true');
    const status = screen.getByLabelText('Status') as HTMLSelectElement;
    expect(status.value).toBe('available');
    expect(status.selectedOptions[0].textContent).toBe('Available');
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(app.url()).toBe('/inventory'));
    await waitFor(() => expect(listCalls(fetchMock)).toContain('/api/inventory?limit=24'));
  });

  it('checks the numbers before applying them', async () => {
    setToken('tok');
    const fetchMock = inboxBackend('viewer', (url) =>
      url.startsWith('/api/inventory?') ? jsonResponse(200, { items: [listing()], next_cursor: null }) : undefined,
    );
    const app = renderApp('/inventory');
    await screen.findByText('€25,000');
    fireEvent.click(screen.getByRole('button', { name: 'Filters' }));
    fireEvent.change(screen.getByLabelText('Year from'), { target: { value: 'new' } });
    fireEvent.change(screen.getByLabelText('Price from'), { target: { value: '20000' } });
    fireEvent.change(screen.getByLabelText('Price to'), { target: { value: '10000' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    expect(screen.getByText('Enter a whole number.')).toBeTruthy();
    expect(screen.getByText('Must not be below the minimum price.')).toBeTruthy();
    expect(screen.getByLabelText('Year from').getAttribute('aria-invalid')).toBe('true');
    expect(app.url()).toBe('/inventory');
    expect(listCalls(fetchMock)).toHaveLength(1);
  });

  it('shows a filter the server refuses under that filter', async () => {
    setToken('tok');
    inboxBackend('viewer', (url) =>
      url.startsWith('/api/inventory?')
        ? jsonResponse(422, { error: { code: 'validation', message: 'must be a whole number', field: 'year_min' } })
        : undefined,
    );
    renderApp('/inventory?year_min=1e3');
    expect(await screen.findByText('Check the filters')).toBeTruthy();
    const input = screen.getByLabelText('Year from');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    const error = document.getElementById(input.getAttribute('aria-describedby')!)!;
    expect(error.textContent).toBe('Must be a whole number');
  });

  it('appends the next page on "Load more"', async () => {
    setToken('tok');
    const first = [listing({ id: 'p1', model: 'One' }), listing({ id: 'p2', model: 'Two' })];
    const second = [listing({ id: 'p3', model: 'Three' })];
    const fetchMock = inboxBackend('viewer', (url) => {
      if (url === '/api/inventory?status=available&limit=24') return jsonResponse(200, { items: first, next_cursor: 'c/2' });
      if (url === '/api/inventory?status=available&limit=24&cursor=c%2F2') return jsonResponse(200, { items: second, next_cursor: null });
      return undefined;
    });
    renderApp('/inventory?status=available');
    expect(await screen.findByText('BMW One', { exact: false })).toBeTruthy();
    expect(screen.getByText('2 shown, more below')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByText('BMW Three', { exact: false })).toBeTruthy();
    const cards = screen.getAllByRole('listitem').map((li) => li.querySelector('[data-listing]')?.getAttribute('data-listing'));
    expect(cards.filter(Boolean)).toEqual(['p1', 'p2', 'p3']);
    expect(screen.getByText('3 shown')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    expect(listCalls(fetchMock)).toHaveLength(2);
  });

  it('keeps the filters for the way back from a car', async () => {
    setToken('tok');
    inboxBackend('manager', (url) => {
      if (url.startsWith('/api/inventory?')) return jsonResponse(200, { items: [listing({ id: 'k1' })], next_cursor: null });
      if (url === '/api/inventory/k1') return jsonResponse(200, listing({ id: 'k1' }));
      return undefined;
    });
    const app = renderApp('/inventory?make=BMW');
    fireEvent.click(await screen.findByText('BMW 320d', { exact: false }));
    expect(await screen.findByRole('heading', { name: 'BMW 320d 2019' })).toBeTruthy();
    fireEvent.click(screen.getAllByRole('link', { name: 'Back to the inventory' })[0]);
    expect(app.url()).toBe('/inventory?make=BMW');
  });

  it('says how to add the first car when there is none', async () => {
    setToken('tok');
    inboxBackend('manager', (url) => (url.startsWith('/api/inventory?') ? jsonResponse(200, { items: [], next_cursor: null }) : undefined));
    renderApp('/inventory');
    const empty = (await screen.findByText('No cars in stock yet')).closest('.state')!;
    expect(within(empty as HTMLElement).getByRole('link', { name: 'Add a car' }).getAttribute('href')).toBe('/inventory/new');
  });

  it('offers a retry when the cars cannot be loaded', async () => {
    setToken('tok');
    let calls = 0;
    inboxBackend('viewer', (url) => {
      if (!url.startsWith('/api/inventory?')) return undefined;
      calls += 1;
      // The first load and its two automatic retries fail; the page then offers its own Retry.
      return calls <= 3
        ? jsonResponse(503, { error: { code: 'unavailable', message: 'Try later.', field: null } })
        : jsonResponse(200, { items: [listing()], next_cursor: null });
    });
    renderApp('/inventory');
    expect(await screen.findByText('The service is unavailable for a moment. Please try again.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('€25,000')).toBeTruthy();
  });
});

describe('checkFilters', () => {
  it('normalises numbers and drops empty filters', () => {
    expect(checkFilters({ q: '  ', make: ' Audi ', price_min: '25.000', mileage_max: '150 000' })).toEqual({
      filters: { make: 'Audi', price_min: '25000', mileage_max: '150000' },
    });
    expect(checkFilters({ year_min: '2020', year_max: '2018' })).toEqual({ errors: { year_max: 'Must not be below the minimum year.' } });
  });
});
