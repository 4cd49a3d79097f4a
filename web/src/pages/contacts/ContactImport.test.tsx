import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { setToken } from '../../api/client';
import { jsonResponse } from '../../test/http';
import { inboxBackend } from '../../test/inbox';
import { renderApp } from '../../test/renderApp';

const BUCKET_URL = 'http://bucket.test/ws/F2/original?X-Amz-Signature=abc';

const stored = {
  id: 'F2',
  purpose: 'contact_list',
  name: 'crm.csv',
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

function importView(status: 'running' | 'done') {
  const done = status === 'done';
  return {
    id: 'CI1',
    source: 'contacts',
    file_name: 'crm.csv',
    status,
    total_rows: 2,
    done_rows: done ? 2 : 0,
    counts: { created: done ? 1 : 0, updated: 0, unchanged: 0, rejected: done ? 1 : 0 },
    error: null,
    report: done
      ? [
          { row: 1, outcome: 'created', contact_id: '-4242' },
          { row: 2, outcome: 'rejected', field: 'Телефон', message: 'is not a phone number (e.g. +380 67 123 45 67)' },
        ]
      : [],
    next_cursor: null,
    created_at: '2026-01-01T00:00:00Z',
  };
}

describe('ContactImport', () => {
  it('uploads a CSV as a contact list, follows the import, and shows each row', async () => {
    setToken('tok');
    const posted: Record<string, unknown> = {};
    let polls = 0;
    inboxBackend('manager', (url, init) => {
      if (url === '/api/files' && init?.method === 'POST') {
        posted.upload = JSON.parse(String(init.body));
        return jsonResponse(201, { file: { ...stored, status: 'pending' }, upload: { method: 'PUT', url: BUCKET_URL, headers: {}, expires_at: '' } });
      }
      if (url === BUCKET_URL) return new Response(null, { status: 200 });
      if (url === '/api/files/F2/complete') return jsonResponse(200, stored);
      if (url === '/api/contacts/imports' && init?.method === 'POST') {
        posted.start = JSON.parse(String(init.body));
        return jsonResponse(201, importView('running'));
      }
      if (url === '/api/contacts/imports/CI1') {
        polls += 1;
        return jsonResponse(200, importView(polls > 1 ? 'done' : 'running'));
      }
      return undefined;
    });
    renderApp('/contacts/import');
    fireEvent.click(await screen.findByRole('button', { name: 'Import' }));
    expect(await screen.findByText('Choose a CSV file.')).toBeTruthy();
    const file = new File(['Telegram ID;Телефон\n1;x\n'], 'crm.csv', { type: 'text/csv' });
    fireEvent.change(screen.getByLabelText('CSV file'), { target: { files: [file] } });
    fireEvent.click(screen.getByRole('button', { name: 'Import' }));
    await waitFor(() => expect(posted.start).toEqual({ file_id: 'F2' }));
    expect(posted.upload).toMatchObject({ purpose: 'contact_list', file_name: 'crm.csv', content_type: 'text/csv' });
    expect(await screen.findByText('Import finished', {}, { timeout: 5000 })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Open contact' }).getAttribute('href')).toBe('/contacts/-4242');
    expect(screen.getByText(/is not a phone number/)).toBeTruthy();
    expect(screen.getByText('Телефон')).toBeTruthy();
  });
});
