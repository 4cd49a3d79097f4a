import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { setToken } from '../../api/client';
import { jsonResponse } from '../../test/http';
import { inboxBackend } from '../../test/inbox';
import { listing } from '../../test/inventory';
import { renderApp } from '../../test/renderApp';
import type { ParserPreview } from '../../api/types';

const PAGE = 'https://www.autoscout24.de/angebote/skoda-superb-123';

function preview(over: Partial<ParserPreview> = {}): ParserPreview {
  return {
    url: PAGE,
    domain: 'autoscout24.de',
    mapping_applied: false,
    detected: [
      { field: 'make', value: 'Skoda', source: 'json-ld', confidence: 0.95 },
      { field: 'model', value: 'Superb', source: 'json-ld', confidence: 0.9 },
      { field: 'title', value: 'Superb Combi 2.0 TDI', source: 'meta', confidence: 0.6 },
      { field: 'year', value: '2020', source: 'json-ld', confidence: 0.9 },
      { field: 'price', value: '24900', source: 'json-ld', confidence: 0.95 },
      { field: 'price', value: '23900', source: 'text', confidence: 0.4 },
      { field: 'currency', value: 'EUR', source: 'json-ld', confidence: 0.95 },
      { field: 'mileage', value: '64000', source: 'json-ld', confidence: 0.9 },
      { field: 'mileage_unit', value: 'km', source: 'json-ld', confidence: 0.9 },
    ],
    draft: {
      make: 'Skoda',
      model: 'Superb',
      year: 2020,
      price: 24900,
      currency: 'EUR',
      mileage: 64000,
      mileage_unit: 'km',
      vin: null,
      fuel: null,
      transmission: null,
      body: null,
      color: null,
      description: null,
      photos: ['https://img.autoscout24.test/1.jpg', 'https://img.autoscout24.test/2.jpg'],
      source_url: PAGE,
    },
    warnings: [],
    ...over,
  };
}

const value = (label: string) => (screen.getByRole('textbox', { name: label }) as HTMLInputElement).value;

/** The error text shown for the input labelled `label`. */
function errorUnder(label: string): string | null {
  const input = screen.getByLabelText(label);
  const ids = input.getAttribute('aria-describedby')?.split(' ') ?? [];
  const el = ids.map((id) => document.getElementById(id)).find((e) => e?.classList.contains('field-error'));
  return el?.textContent ?? null;
}

async function fetchPage() {
  fireEvent.change(await screen.findByLabelText('Car page URL'), { target: { value: PAGE } });
  fireEvent.click(screen.getByRole('button', { name: 'Fetch' }));
}

describe('Parser', () => {
  it('shows a refused address under the URL input', async () => {
    setToken('tok');
    inboxBackend('manager', (url, init) => {
      if (url === '/api/parser/preview' && init?.method === 'POST')
        return jsonResponse(422, {
          error: { code: 'blocked_address', message: 'this address is private or local and cannot be fetched', field: 'url' },
        });
      return undefined;
    });
    renderApp('/parser');
    await fetchPage();
    await waitFor(() => expect(errorUnder('Car page URL')).toBe('This address is private or local and cannot be fetched'));
    expect(screen.queryByRole('table', { name: 'Detected variables' })).toBeNull();
  });

  it('shows the detected variables and prefills the form; another "take from" changes it', async () => {
    setToken('tok');
    const bodies: unknown[] = [];
    inboxBackend('manager', (url, init) => {
      if (url === '/api/parser/preview') {
        bodies.push(JSON.parse(init!.body as string));
        return jsonResponse(200, preview());
      }
      return undefined;
    });
    renderApp('/parser');
    await fetchPage();
    const table = await screen.findByRole('table', { name: 'Detected variables' });
    expect(bodies).toEqual([{ url: PAGE }]);
    expect(screen.getByText('autoscout24.de')).toBeTruthy();
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(9);
    expect(within(rows[0]).getByText('Make')).toBeTruthy();
    expect(within(rows[0]).getByText('Skoda')).toBeTruthy();
    expect(within(rows[0]).getByText('Structured data')).toBeTruthy();
    expect(within(rows[0]).getByText('95%')).toBeTruthy();
    expect(within(rows[5]).getByText('Page text')).toBeTruthy();

    expect(value('Make')).toBe('Skoda');
    expect(value('Model')).toBe('Superb');
    expect(value('Year')).toBe('2020');
    expect(value('Price')).toBe('24900');
    expect(value('Mileage')).toBe('64000');
    expect(value('Source page')).toBe(PAGE);
    expect(screen.getAllByRole('img', { name: /^Photo \d$/ })).toHaveLength(2);
    // Not applied: no Re-map.
    expect(screen.queryByRole('button', { name: 'Re-map' })).toBeNull();

    // The price from the page text, the title as the model, a fixed colour.
    const price = screen.getByRole('combobox', { name: 'Price: take from' }) as HTMLSelectElement;
    expect(price.value).toBe('row:4');
    fireEvent.change(price, { target: { value: 'row:5' } });
    expect(value('Price')).toBe('23900');
    fireEvent.change(screen.getByRole('combobox', { name: 'Model: take from' }), { target: { value: 'row:2' } });
    expect(value('Model')).toBe('Superb Combi 2.0 TDI');
    fireEvent.change(screen.getByRole('combobox', { name: 'Colour: take from' }), { target: { value: 'fixed' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Colour: fixed value' }), { target: { value: 'Grey' } });
    expect(value('Colour')).toBe('Grey');
  });

  it('imports the edited values, remembers the mapping, and opens the car', async () => {
    setToken('tok');
    const imported: unknown[] = [];
    const mappings: unknown[] = [];
    const car = listing({ id: 'C1', make: 'Skoda', model: 'Superb Combi 2.0 TDI', year: 2020, price: 23500 });
    inboxBackend('manager', (url, init) => {
      if (url === '/api/parser/preview') return jsonResponse(200, preview());
      if (url === '/api/parser/import' && init?.method === 'POST') {
        imported.push(JSON.parse(init.body as string));
        return jsonResponse(201, car);
      }
      if (url === '/api/parser/mappings' && init?.method === 'PUT') {
        mappings.push(JSON.parse(init.body as string));
        return jsonResponse(200, { domain: 'autoscout24.de', rules: [], updated_at: '2025-03-01T12:00:00Z' });
      }
      if (url === '/api/inventory/C1') return jsonResponse(200, car);
      return undefined;
    });
    const app = renderApp('/parser?from=inventory');
    expect((await screen.findByRole('link', { name: 'Back to the inventory' })).getAttribute('href')).toBe('/inventory');
    await fetchPage();
    await screen.findByRole('table', { name: 'Detected variables' });
    fireEvent.change(screen.getByRole('combobox', { name: 'Model: take from' }), { target: { value: 'row:2' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Price' }), { target: { value: '23 500' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Fuel' }), { target: { value: 'diesel' } });
    fireEvent.click(screen.getByRole('button', { name: 'Remove photo 2' }));
    expect(screen.getByRole('checkbox', { name: 'Remember this mapping for autoscout24.de' })).toHaveProperty('checked', true);
    fireEvent.click(screen.getByRole('button', { name: 'Import to inventory' }));

    expect(await screen.findByText(/Imported from autoscout24.de/)).toBeTruthy();
    await waitFor(() => expect(app.url()).toBe('/inventory/C1'));
    expect(imported).toEqual([
      {
        make: 'Skoda',
        model: 'Superb Combi 2.0 TDI',
        year: 2020,
        price: 23500,
        currency: 'EUR',
        mileage: 64000,
        mileage_unit: 'km',
        vin: null,
        fuel: 'diesel',
        transmission: null,
        body: null,
        color: null,
        photos: ['https://img.autoscout24.test/1.jpg'],
        description: null,
        status: 'available',
        source_url: PAGE,
      },
    ]);
    expect(mappings).toEqual([
      {
        url: PAGE,
        path_prefix: null,
        rules: [
          { field: 'make', from: 'make', selector: null, fixed: null },
          { field: 'model', from: 'title', selector: null, fixed: null },
          { field: 'year', from: 'year', selector: null, fixed: null },
          { field: 'price', from: 'price', selector: null, fixed: null },
          { field: 'currency', from: 'currency', selector: null, fixed: null },
          { field: 'mileage', from: 'mileage', selector: null, fixed: null },
          { field: 'mileage_unit', from: 'mileage_unit', selector: null, fixed: null },
        ],
      },
    ]);
  });

  it('can remember the mapping for one section of the site only', async () => {
    setToken('tok');
    const mappings: Array<{ path_prefix: string | null }> = [];
    const car = listing({ id: 'C2', make: 'Skoda', model: 'Superb', year: 2020, price: 23500 });
    inboxBackend('manager', (url, init) => {
      if (url === '/api/parser/preview') return jsonResponse(200, preview());
      if (url === '/api/parser/import' && init?.method === 'POST') return jsonResponse(201, car);
      if (url === '/api/parser/mappings' && init?.method === 'PUT') {
        mappings.push(JSON.parse(init.body as string));
        return jsonResponse(200, { domain: 'autoscout24.de', path_prefix: '/angebote/', rules: [], updated_at: '2025-03-01T12:00:00Z' });
      }
      if (url === '/api/inventory/C2') return jsonResponse(200, car);
      return undefined;
    });
    const app = renderApp('/parser');
    await fetchPage();
    await screen.findByRole('table', { name: 'Detected variables' });
    fireEvent.change(screen.getByRole('textbox', { name: /Only for pages under/ }), { target: { value: '/angebote/' } });
    fireEvent.click(screen.getByRole('button', { name: 'Import to inventory' }));
    await waitFor(() => expect(app.url()).toBe('/inventory/C2'));
    expect(mappings.map((m) => m.path_prefix)).toEqual(['/angebote/']);
  });

  it('shows a 422 of the import under its field and stays', async () => {
    setToken('tok');
    inboxBackend('manager', (url) => {
      if (url === '/api/parser/preview') return jsonResponse(200, preview());
      if (url === '/api/parser/import')
        return jsonResponse(422, { error: { code: 'invalid', message: 'must be between 1900 and 2100', field: 'year' } });
      return undefined;
    });
    const app = renderApp('/parser');
    await fetchPage();
    await screen.findByRole('table', { name: 'Detected variables' });
    fireEvent.click(screen.getByRole('button', { name: 'Import to inventory' }));
    await waitFor(() => expect(errorUnder('Year')).toBe('Must be between 1900 and 2100'));
    expect(app.url()).toBe('/parser');
  });

  it('says when a saved mapping was applied; Re-map forgets it and fetches again', async () => {
    setToken('tok');
    const calls: string[] = [];
    let applied = true;
    inboxBackend('manager', (url, init) => {
      const method = init?.method ?? 'GET';
      if (url.startsWith('/api/parser')) calls.push(`${method} ${url}`);
      if (url === '/api/parser/preview')
        return jsonResponse(
          200,
          applied
            ? preview({
                mapping_applied: true,
                detected: [...preview().detected, { field: 'price', value: '22000', source: 'mapping', confidence: 1 }],
                draft: { ...preview().draft, price: 22000 },
              })
            : preview(),
        );
      if (url === '/api/parser/mappings' && method === 'GET')
        return jsonResponse(200, {
          mappings: [
            {
              domain: 'autoscout24.de',
              rules: [{ field: 'price', from: null, selector: '.price strong', fixed: null }],
              updated_at: '2025-03-01T12:00:00Z',
            },
          ],
        });
      if (url === '/api/parser/mappings/autoscout24.de' && method === 'DELETE') {
        applied = false;
        return new Response(null, { status: 204 });
      }
      return undefined;
    });
    renderApp('/parser');
    await fetchPage();
    expect(await screen.findByText('Mapping for autoscout24.de applied.')).toBeTruthy();
    expect(value('Price')).toBe('22000');
    // The saved rule shows in the mapping step.
    expect((screen.getByRole('combobox', { name: 'Price: take from' }) as HTMLSelectElement).value).toBe('selector');
    expect((screen.getByRole('textbox', { name: 'Price: CSS selector' }) as HTMLInputElement).value).toBe('.price strong');

    fireEvent.click(screen.getByRole('button', { name: 'Re-map' }));
    await waitFor(() => expect(screen.queryByText('Mapping for autoscout24.de applied.')).toBeNull());
    await screen.findByRole('table', { name: 'Detected variables' });
    expect(value('Price')).toBe('24900');
    expect(calls).toEqual([
      'POST /api/parser/preview',
      'GET /api/parser/mappings',
      'DELETE /api/parser/mappings/autoscout24.de',
      'POST /api/parser/preview',
    ]);
  });

  it('lets a viewer see what the page is for, without the form', async () => {
    setToken('tok');
    inboxBackend('viewer', () => undefined);
    renderApp('/parser');
    expect(await screen.findByText('Only managers can import cars')).toBeTruthy();
    expect(screen.queryByLabelText('Car page URL')).toBeNull();
  });
});
