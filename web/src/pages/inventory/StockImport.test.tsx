import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { setToken } from '../../api/client';
import { jsonResponse } from '../../test/http';
import { inboxBackend } from '../../test/inbox';
import { renderApp } from '../../test/renderApp';
import { feedFile } from './StockImport';

const BUCKET_URL = 'http://bucket.test/ws/F1/original?X-Amz-Signature=abc';

const stored = {
  id: 'F1',
  purpose: 'stock_feed',
  name: 'stock.csv',
  content_type: 'text/csv',
  size: 10,
  status: 'ready',
  variants: [],
  created_at: '2026-01-01T00:00:00Z',
  expires_at: null,
  download_url: null,
  thumb_url: null,
  large_url: null,
};

const preview = {
  source: 'Dealer system',
  columns: ['Stock No', 'Marke', 'Modell', 'Baujahr', 'Preis'],
  mapping: { id: 'Stock No', make: 'Marke', model: 'Modell', year: 'Baujahr', price: 'Preis' },
  remembered: false,
  currency: null,
  rows: 2,
  sample: [
    ['S-1', 'BMW', '320d', '2018', '21500'],
    ['S-2', 'Ford', 'Model T', '1890', '5000'],
  ],
  fields: ['id', 'make', 'model', 'year', 'price', 'currency', 'vin'],
};

function importView(status: 'running' | 'done', done: number) {
  return {
    id: 'I1',
    source: 'Dealer system',
    file_name: 'stock.csv',
    status,
    total_rows: 2,
    done_rows: done,
    counts: { created: done ? 1 : 0, updated: 0, unchanged: 0, rejected: done ? 1 : 0 },
    error: null,
    report: done
      ? [
          { row: 1, outcome: 'created', key: 'id:S-1', listing_id: 'L1' },
          { row: 2, outcome: 'rejected', field: 'year', message: 'must be between 1900 and 2027' },
        ]
      : [],
    next_cursor: null,
    created_at: '2026-01-01T00:00:00Z',
  };
}

describe('StockImport', () => {
  it('uploads a feed, adjusts the guessed mapping, and shows the report', async () => {
    setToken('tok');
    const posted: Record<string, unknown> = {};
    let polls = 0;
    inboxBackend('manager', (url, init) => {
      if (url === '/api/files' && init?.method === 'POST') {
        posted.upload = JSON.parse(String(init.body));
        return jsonResponse(201, { file: { ...stored, status: 'pending' }, upload: { method: 'PUT', url: BUCKET_URL, headers: {}, expires_at: '' } });
      }
      if (url === BUCKET_URL) return new Response(null, { status: 200 });
      if (url === '/api/files/F1/complete') return jsonResponse(200, stored);
      if (url === '/api/parser/feeds/preview') {
        posted.preview = JSON.parse(String(init?.body));
        return jsonResponse(200, preview);
      }
      if (url === '/api/parser/feeds/imports' && init?.method === 'POST') {
        posted.start = JSON.parse(String(init.body));
        return jsonResponse(201, importView('running', 0));
      }
      if (url === '/api/parser/feeds/imports/I1') {
        polls += 1;
        return jsonResponse(200, importView(polls > 1 ? 'done' : 'running', polls > 1 ? 2 : 0));
      }
      return undefined;
    });
    renderApp('/inventory/import');
    fireEvent.change(await screen.findByLabelText('Source'), { target: { value: 'Dealer system' } });
    const file = new File(['Stock No;Marke\nS-1;BMW\n'], 'stock.xml', { type: 'text/xml' });
    fireEvent.change(screen.getByLabelText('Feed file'), { target: { files: [file] } });
    fireEvent.click(screen.getByRole('button', { name: 'Read the feed' }));

    // The guessed mapping is shown; the dealer adds a currency and drops the id.
    expect(await screen.findByText('2 cars in the feed')).toBeTruthy();
    expect(posted.upload).toMatchObject({ purpose: 'stock_feed', file_name: 'stock.xml', content_type: 'text/plain' });
    expect(posted.preview).toEqual({ source: 'Dealer system', file_id: 'F1' });
    expect((screen.getByLabelText('Make') as HTMLSelectElement).value).toBe('Marke');
    fireEvent.change(screen.getByLabelText('VIN'), { target: { value: 'Stock No' } });
    fireEvent.change(screen.getByLabelText("Source's car id"), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Currency when a row states none'), { target: { value: 'eur' } });
    expect(screen.getByRole('cell', { name: 'Model T' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Import 2 cars' }));

    await waitFor(() => expect(posted.start).toBeTruthy());
    expect(posted.start).toEqual({
      source: 'Dealer system',
      file_id: 'F1',
      mapping: { vin: 'Stock No', make: 'Marke', model: 'Modell', year: 'Baujahr', price: 'Preis' },
      currency: 'EUR',
    });
    // Progress, then the report with the rejected row's field.
    expect(await screen.findByText('Importing: 0 of 2 rows')).toBeTruthy();
    expect(await screen.findByText('Import finished', {}, { timeout: 4000 })).toBeTruthy();
    const rejected = screen.getByText(/must be between 1900/).closest('tr')!;
    expect(within(rejected).getByText('Year')).toBeTruthy();
    expect(within(rejected).getByText('Rejected')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Open the car' }).getAttribute('href')).toBe('/inventory/L1');
  });

  it('names the field of a refused preview and keeps the form', async () => {
    setToken('tok');
    inboxBackend('manager', (url, init) => {
      if (url === '/api/files' && init?.method === 'POST')
        return jsonResponse(201, { file: { ...stored, status: 'pending' }, upload: { method: 'PUT', url: BUCKET_URL, headers: {}, expires_at: '' } });
      if (url === BUCKET_URL) return new Response(null, { status: 200 });
      if (url === '/api/files/F1/complete') return jsonResponse(200, stored);
      if (url === '/api/parser/feeds/preview') return jsonResponse(422, { error: { code: 'validation', message: 'the file holds no rows', field: 'file_id' } });
      return undefined;
    });
    renderApp('/inventory/import');
    fireEvent.click(await screen.findByRole('button', { name: 'Read the feed' }));
    expect(await screen.findByText('Choose the feed file.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Source'), { target: { value: 'X' } });
    fireEvent.change(screen.getByLabelText('Feed file'), { target: { files: [new File(['a'], 'empty.csv', { type: 'text/csv' })] } });
    fireEvent.click(screen.getByRole('button', { name: 'Read the feed' }));
    expect(await screen.findByText(/the file holds no rows/i)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Read the feed' })).toBeTruthy();
  });

  it('tells a viewer only managers import', async () => {
    setToken('tok');
    inboxBackend('viewer', () => undefined);
    renderApp('/inventory/import');
    expect(await screen.findByText('Only managers, admins and owners can import stock')).toBeTruthy();
  });

  it('declares XML as plain text and keeps CSV types', () => {
    expect(feedFile(new File(['<a/>'], 'feed.xml', { type: 'application/xml' })).type).toBe('text/plain');
    expect(feedFile(new File(['a;b'], 'stock.csv', { type: 'application/vnd.ms-excel' })).type).toBe('application/vnd.ms-excel');
    expect(feedFile(new File(['a;b'], 'stock.csv', { type: '' })).type).toBe('text/csv');
  });
});
