import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { setToken } from '../../api/client';
import { jsonResponse } from '../../test/http';
import { inboxBackend } from '../../test/inbox';
import { renderApp } from '../../test/renderApp';

const ann = {
  id: '7001',
  name: 'Ann Koval',
  telegram_name: 'Ann Koval',
  username: 'annk',
  phone: '+380671234567',
  language: 'uk',
  source: 'fb-ad',
  tags: ['vip'],
  channels: [
    { kind: 'bot', id: 1, username: 'DemoMotorsBot', blocked: true, unsubscribed: false, conversation_id: '1:7001' },
    { kind: 'miniapp', id: null, username: null, blocked: false, unsubscribed: false, conversation_id: null },
  ],
  first_seen_at: '2025-03-01T12:00:00Z',
  last_active_at: '2025-03-02T12:00:00Z',
  reachable: true,
  unsubscribed_all: false,
};

describe('Contacts', () => {
  it('lists contacts with their channels and tags, and tags a selection', async () => {
    setToken('tok');
    const posted: unknown[] = [];
    inboxBackend('manager', (url, init) => {
      if (url.startsWith('/api/contacts?')) return jsonResponse(200, { items: [ann], next_cursor: null });
      if (url === '/api/contacts/tags' && init?.method === 'POST') {
        posted.push(JSON.parse(String(init.body)));
        return jsonResponse(200, { changed: 1 });
      }
      return undefined;
    });
    renderApp('/contacts');
    const row = (await screen.findByText('Ann Koval')).closest('tr')!;
    expect(within(row).getByText('vip')).toBeTruthy();
    expect(within(row).getByText('blocked')).toBeTruthy();
    expect(within(row).getByText('Mini App')).toBeTruthy();
    expect(within(row).getByRole('link', { name: 'Ann Koval' }).getAttribute('href')).toBe('/contacts/7001');
    fireEvent.click(within(row).getByRole('checkbox'));
    fireEvent.change(screen.getByRole('textbox', { name: 'Tag' }), { target: { value: 'Spring sale' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add tag' }));
    await waitFor(() => expect(posted).toEqual([{ ids: ['7001'], add: ['Spring sale'] }]));
  });

  it('says where contacts come from when there are none, and names a refused filter', async () => {
    setToken('tok');
    inboxBackend('viewer', (url) => {
      if (url.includes('blocked=maybe')) return jsonResponse(422, { error: { code: 'invalid', message: 'must be true or false', field: 'blocked' } });
      if (url.startsWith('/api/contacts?')) return jsonResponse(200, { items: [], next_cursor: null });
      return undefined;
    });
    renderApp('/contacts');
    expect(await screen.findByText('No contacts yet')).toBeTruthy();
    renderApp('/contacts?blocked=maybe');
    expect(await screen.findByText('Check the filters')).toBeTruthy();
  });

  it("opens the dashboard's leads links (?active_days=1, 7) with the filter shown", async () => {
    setToken('tok');
    const fetchMock = inboxBackend('viewer', (url) => (url.startsWith('/api/contacts?') ? jsonResponse(200, { items: [ann], next_cursor: null }) : undefined));
    renderApp('/contacts?active_days=1');
    await screen.findByText('Ann Koval');
    expect(fetchMock.mock.calls.map(([u]) => String(u))).toContain('/api/contacts?active_days=1&limit=50');
    const active = screen.getByRole('combobox', { name: 'Last active' }) as HTMLSelectElement;
    expect(active.value).toBe('1');
    expect(active.selectedOptions[0].textContent).toBe('In the last 24 hours');
  });

  it('shows a number of days from a link that is not among the choices', async () => {
    setToken('tok');
    inboxBackend('viewer', (url) => (url.startsWith('/api/contacts?') ? jsonResponse(200, { items: [ann], next_cursor: null }) : undefined));
    renderApp('/contacts?active_days=14');
    await screen.findByText('Ann Koval');
    const active = screen.getByRole('combobox', { name: 'Last active' }) as HTMLSelectElement;
    expect(active.value).toBe('14');
    expect(active.selectedOptions[0].textContent).toBe('In the last 14 days');
  });

  it('opens a contact by its deep link with the chat of each bot', async () => {
    setToken('tok');
    inboxBackend('viewer', (url) => (url === '/api/contacts/7001' ? jsonResponse(200, {
            contact: ann,
            variables: { budget: '25000' },
            duplicates: [{ ...ann, id: '-77', name: 'Anna (CRM)', channels: [], reachable: false }],
            interests: [{ listing_id: 'L9', title: '2020 BMW X5', at: '2026-12-02T10:00:00Z' }],
            timeline: [
              { at: '2026-12-02T10:00:00Z', kind: 'interest', detail: '2020 BMW X5', ref_id: 'L9' },
              { at: '2025-03-01T12:00:00Z', kind: 'first_seen', detail: 'fb-ad', ref_id: null },
            ],
            requests: [
              {
                id: 'r1',
                make: 'Toyota',
                model: 'RAV4',
                year_from: 2019,
                year_to: 2021,
                budget: 25000,
                currency: 'USD',
                priority: 'normal',
                status: 'open',
                conversation: '1:7001',
                created_by: 'bot',
                created_at: '2026-12-01T10:00:00Z',
              },
            ],
          }) : undefined));
    renderApp('/contacts/7001');
    expect(await screen.findByRole('heading', { name: 'Ann Koval' })).toBeTruthy();
    expect(screen.getByText('25000')).toBeTruthy();
    expect(screen.getByText(/2019–2021/)).toBeTruthy();
    expect(screen.getByRole('link', { name: '2020 BMW X5' }).getAttribute('href')).toBe('/inventory/L9');
    expect(screen.getByText('Interested in 2020 BMW X5')).toBeTruthy();
    expect(screen.getByText(/First contact \(fb-ad\)/)).toBeTruthy();
    const dups = screen.getByRole('region', { name: 'Possibly the same person' });
    expect(within(dups).getByRole('link', { name: 'Anna (CRM)' }).getAttribute('href')).toBe('/contacts/-77');
    expect(within(dups).queryByRole('button', { name: 'Merge' })).toBeNull();
    expect(screen.getByRole('link', { name: 'Open chat' }).getAttribute('href')).toBe('/inbox/1%3A7001');
    expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
  });

  it('erases a contact for good after a warning, and says so on the list', async () => {
    setToken('tok');
    let erased = false;
    inboxBackend('admin', (url, init) => {
      if (url === '/api/contacts/7001' && init?.method === 'DELETE') {
        erased = true;
        return new Response(null, { status: 204 });
      }
      if (url === '/api/contacts/7001') return jsonResponse(200, { contact: ann, variables: {}, requests: [], duplicates: [], interests: [], timeline: [] });
      if (url.startsWith('/api/contacts?')) return jsonResponse(200, { items: [], next_cursor: null });
      if (url === '/api/segments') return jsonResponse(200, { items: [] });
      return undefined;
    });
    renderApp('/contacts/7001');
    fireEvent.click(await screen.findByRole('button', { name: 'Erase contact' }));
    const dialog = screen.getByRole('dialog', { name: 'Erase Ann Koval for good?' });
    expect(within(dialog).getByText(/cannot be undone/)).toBeTruthy();
    expect(erased).toBe(false);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Erase for good' }));
    expect(await screen.findByText('Ann Koval was erased.')).toBeTruthy();
    expect(erased).toBe(true);
  });

  it('tags everyone a filter holds, in the background, and says how many changed', async () => {
    setToken('tok');
    let posted: Record<string, unknown> | null = null;
    let polls = 0;
    const job = { id: 'B1', add: ['spring'], remove: [], created_at: '2026-12-07T10:00:00Z' };
    inboxBackend('manager', (url, init) => {
      if (url === '/api/contacts/tags/bulk' && init?.method === 'POST') {
        posted = JSON.parse(String(init.body));
        return jsonResponse(201, { ...job, done: false, seen: 0, changed: 0 });
      }
      if (url === '/api/contacts/tags/bulk/B1') {
        polls += 1;
        return jsonResponse(200, polls > 1 ? { ...job, done: true, seen: 3, changed: 3 } : { ...job, done: false, seen: 1, changed: 1 });
      }
      if (url.startsWith('/api/contacts?')) return jsonResponse(200, { items: [ann], next_cursor: null });
      if (url === '/api/segments') return jsonResponse(200, { items: [] });
      return undefined;
    });
    renderApp('/contacts?tag=vip');
    await screen.findByText('Ann Koval');
    fireEvent.change(screen.getByRole('textbox', { name: 'Tag for everyone matching' }), { target: { value: ' spring ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add to all matching' }));
    await waitFor(() => expect(posted).toMatchObject({ filter: { tag: 'vip' }, q: null, add: ['spring'] }));
    expect(await screen.findByText('Done: 3 contacts changed', {}, { timeout: 5000 })).toBeTruthy();
  });
});
