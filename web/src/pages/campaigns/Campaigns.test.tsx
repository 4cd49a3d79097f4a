import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { setToken } from '../../api/client';
import type { CampaignStatus, CampaignView } from '../../api/types';
import { setLanguage } from '../../i18n';
import { jsonResponse } from '../../test/http';
import { bot, inboxBackend } from '../../test/inbox';
import { renderApp } from '../../test/renderApp';
import { errorSlot, toDraft, toRequest } from './campaign';

function campaign(over: Partial<CampaignView> = {}, progress: Partial<CampaignView['progress']> = {}): CampaignView {
  return {
    id: 'C1',
    name: 'Spring offers',
    content: { text: 'Hi {first_name}, spring offers', media: [], buttons: [{ text: 'See cars', action: 'url', url: 'https://demo.test/cars' }] },
    segment_id: 'S1',
    segment_name: 'Spring buyers',
    audience_count: 3,
    bot_ids: [1],
    paid_bot_ids: [],
    stars_estimate: null,
    time_zone: 'Europe/Kyiv',
    send_at: null,
    send_at_utc: null,
    quiet_hours: null,
    status: 'draft',
    progress: { total: 0, sent: 0, failed: 0, blocked: 0, unknown: 0, pending: 0, percent: 0, rate_per_second: 0, eta_seconds: null, ...progress },
    created_by: 'mia@demo.test',
    created_at: '2026-12-01T10:00:00Z',
    started_at: null,
    finished_at: null,
    ...over,
  };
}

function running(status: CampaignStatus, sent: number): CampaignView {
  return campaign(
    { status, started_at: '2026-12-07T10:00:00Z' },
    { total: 3, sent, pending: 3 - sent, percent: Math.floor((sent * 100) / 3), rate_per_second: 1.5, eta_seconds: status === 'running' ? 2 : null },
  );
}

const segments = { items: [{ id: 'S1', name: 'Spring buyers', count: 3, counting: false, filter: { tag: 'spring' }, created_by: 'mia@demo.test', created_at: '2026-12-01T10:00:00Z' }], max: 50 };
const recipients = {
  items: [
    { user_id: 71, name: 'Zoryana Tkach', bot_id: 1, outcome: 'sent' },
    { user_id: 72, name: 'Taras Tkach', bot_id: 1, outcome: 'pending' },
  ],
  next_cursor: null,
};

describe('Campaigns list', () => {
  it('shows a spinner, then the campaigns with their status, progress and schedule', async () => {
    setToken('tok');
    let answer: (r: Response) => void = () => undefined;
    inboxBackend('manager', (url) => {
      if (url.startsWith('/api/campaigns?')) return new Promise<Response>((r) => (answer = r));
      return undefined;
    });
    renderApp('/campaigns');
    expect(await screen.findByText('Loading campaigns…')).toBeTruthy();
    answer(
      jsonResponse(200, {
        items: [running('running', 1), campaign({ id: 'C2', name: 'Winter tyres', status: 'scheduled', send_at: '2026-12-08T09:30' })],
        next_cursor: null,
      }),
    );
    const row = (await screen.findByRole('link', { name: 'Spring offers' })).closest('tr')!;
    expect(row.querySelector('.campaign-status')?.textContent).toBe('Sending');
    expect(within(row).getByText('1 of 3 sent')).toBeTruthy();
    expect(within(row).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('33');
    expect(screen.getByRole('link', { name: 'Spring offers' }).getAttribute('href')).toBe('/campaigns/C1');
    const scheduled = screen.getByRole('link', { name: 'Winter tyres' }).closest('tr')!;
    expect(within(scheduled).getByText('Scheduled')).toBeTruthy();
    expect(within(scheduled).getByText('Dec 8, 2026, 9:30 AM')).toBeTruthy();
    expect(within(scheduled).getByText('Europe/Kyiv')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'New campaign' }).getAttribute('href')).toBe('/campaigns/new');
  });

  it('says what a campaign is when there is none, and offers a retry when the list fails', async () => {
    setToken('tok');
    let fail = true;
    inboxBackend('manager', (url) => {
      if (url.startsWith('/api/campaigns?')) {
        return fail ? jsonResponse(403, { error: { code: 'forbidden', message: 'no', field: null } }) : jsonResponse(200, { items: [], next_cursor: null });
      }
      return undefined;
    });
    renderApp('/campaigns');
    expect(await screen.findByText('Could not load the campaigns')).toBeTruthy();
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('No campaigns yet')).toBeTruthy();
  });

  it('loads more campaigns after the first page', async () => {
    setToken('tok');
    inboxBackend('viewer', (url) => {
      if (url === '/api/campaigns?limit=20') return jsonResponse(200, { items: [campaign()], next_cursor: 'n1' });
      if (url === '/api/campaigns?limit=20&cursor=n1') return jsonResponse(200, { items: [campaign({ id: 'C0', name: 'Older one' })], next_cursor: null });
      return undefined;
    });
    renderApp('/campaigns');
    fireEvent.click(await screen.findByRole('button', { name: 'Load more' }));
    expect(await screen.findByRole('link', { name: 'Older one' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    // A viewer sees campaigns but does not make them.
    expect(screen.queryByRole('link', { name: 'New campaign' })).toBeNull();
  });

  it('shows only the active campaigns for ?status=active (the dashboard\'s link), and clears the filter', async () => {
    setToken('tok');
    const fetchMock = inboxBackend('viewer', (url) =>
      url.startsWith('/api/campaigns?')
        ? jsonResponse(200, {
            items: [
              running('running', 1),
              campaign({ id: 'C2', name: 'Winter tyres', status: 'scheduled', send_at: '2026-12-08T09:30' }),
              campaign({ id: 'C3', name: 'Paused one', status: 'paused', started_at: '2026-12-07T10:00:00Z' }),
              campaign({ id: 'C4', name: 'Old news', status: 'finished' }),
              campaign({ id: 'C5', name: 'Still a draft' }),
            ],
            next_cursor: null,
          })
        : undefined,
    );
    const view = renderApp('/campaigns?status=active');
    await screen.findByRole('link', { name: 'Spring offers' });
    // As many as the dashboard counts among.
    expect(fetchMock.mock.calls.map(([u]) => String(u)).filter((u) => u.startsWith('/api/campaigns?'))).toContain('/api/campaigns?limit=50');
    expect([...document.querySelectorAll('tr[data-status]')].map((r) => r.getAttribute('data-status'))).toEqual(['running', 'scheduled', 'paused']);
    expect(screen.queryByRole('link', { name: 'Old news' })).toBeNull();
    const select = screen.getByRole('combobox', { name: 'Status' }) as HTMLSelectElement;
    expect(select.value).toBe('active');
    expect(select.selectedOptions[0].textContent).toBe('Active: scheduled, sending or paused');

    fireEvent.change(select, { target: { value: 'finished' } });
    await waitFor(() => expect(view.url()).toBe('/campaigns?status=finished'));
    expect(await screen.findByRole('link', { name: 'Old news' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Spring offers' })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Show all campaigns' }));
    await waitFor(() => expect(view.url()).toBe('/campaigns'));
    expect(await screen.findByRole('link', { name: 'Still a draft' })).toBeTruthy();
    expect(document.querySelectorAll('tr[data-status]')).toHaveLength(5);
    expect((screen.getByRole('combobox', { name: 'Status' }) as HTMLSelectElement).value).toBe('');
  });

  it('says when no campaign has the status asked for', async () => {
    setToken('tok');
    inboxBackend('viewer', (url) =>
      url.startsWith('/api/campaigns?') ? jsonResponse(200, { items: [campaign({ status: 'finished' })], next_cursor: null }) : undefined,
    );
    const view = renderApp('/campaigns?status=active');
    expect(await screen.findByText('No campaigns with this status')).toBeTruthy();
    fireEvent.click(within(screen.getByText('No campaigns with this status').closest('.state')!).getByRole('button', { name: 'Show all campaigns' }));
    await waitFor(() => expect(view.url()).toBe('/campaigns'));
    expect(await screen.findByRole('link', { name: 'Spring offers' })).toBeTruthy();
  });

  it("opens a notification's link (?campaign=) as the campaign's page", async () => {
    setToken('tok');
    inboxBackend('viewer', (url) => (url === '/api/campaigns/C1' ? jsonResponse(200, running('finished', 3)) : url.includes('/recipients') ? jsonResponse(200, recipients) : undefined));
    const view = renderApp('/campaigns?campaign=C1');
    await waitFor(() => expect(view.url()).toBe('/campaigns/C1'));
  });
});

describe('Campaign composer', () => {
  it('saves what was composed and shows a refused field’s error beside that field', async () => {
    setToken('tok');
    const bodies: Record<string, unknown>[] = [];
    inboxBackend('manager', (url, init) => {
      if (url === '/api/segments') return jsonResponse(200, segments);
      if (url === '/api/campaigns' && init?.method === 'POST') {
        const body = JSON.parse(String(init.body)) as Record<string, unknown>;
        bodies.push(body);
        return jsonResponse(422, { error: { code: 'validation', message: 'must be an http(s):// address', field: 'content.buttons[0].url' } });
      }
      return undefined;
    });
    renderApp('/campaigns/new');
    fireEvent.change(await screen.findByRole('textbox', { name: 'Campaign name' }), { target: { value: 'Spring offers' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Message text' }), { target: { value: 'Hi ' } });
    fireEvent.click(screen.getByRole('button', { name: 'First name' }));
    await waitFor(() => expect((screen.getByRole('textbox', { name: 'Message text' }) as HTMLTextAreaElement).value).toBe('Hi {first_name}'));
    fireEvent.change(await screen.findByRole('combobox', { name: 'Send to' }), { target: { value: 'S1' } });
    expect(screen.getByRole('option', { name: 'Spring buyers · 3 contacts' })).toBeTruthy();
    fireEvent.click(await screen.findByRole('checkbox', { name: '@DemoMotorsBot' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add button' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Button 1 text' }), { target: { value: 'See cars' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Button 1 link' }), { target: { value: 'ftp://cars' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save draft' }));

    const url = await screen.findByRole('textbox', { name: 'Button 1 link' });
    await waitFor(() => expect(url.getAttribute('aria-invalid')).toBe('true'));
    const describedBy = url.getAttribute('aria-describedby')!.split(' ');
    const error = describedBy.map((id) => document.getElementById(id)).find((el) => el?.classList.contains('field-error'));
    expect(error?.textContent).toBe('Must be an http(s):// address');
    expect(screen.getByText('Check the marked field.')).toBeTruthy();
    // The other fields are not marked.
    expect(screen.getByRole('textbox', { name: 'Button 1 text' }).getAttribute('aria-invalid')).toBeNull();
    expect(bodies[0]).toEqual({
      name: 'Spring offers',
      content: { text: 'Hi {first_name}', media: [], buttons: [{ text: 'See cars', action: 'url', url: 'ftp://cars' }] },
      segment_id: 'S1',
      bot_ids: [1],
      paid_bot_ids: [],
      send_at: null,
      time_zone: expect.any(String),
      quiet_hours: null,
    });
  });

  it('uploads a photo, saves, and sends now after confirming the audience', async () => {
    setToken('tok');
    URL.createObjectURL = vi.fn(() => 'blob:preview');
    URL.revokeObjectURL = vi.fn();
    // Without XMLHttpRequest the bytes go to the bucket through fetch, which the fake backend answers.
    vi.stubGlobal('XMLHttpRequest', undefined);
    const BUCKET = 'http://bucket.test/ws/F1/original?sig=1';
    const file = { id: 'F1', purpose: 'inbox_attachment', name: 'car.png', content_type: 'image/png', size: 5, status: 'ready', variants: [], created_at: '2026-12-01T10:00:00Z' };
    let saved: CampaignView | null = null;
    const posted: Record<string, unknown> = {};
    inboxBackend('manager', (url, init) => {
      if (url === '/api/segments') return jsonResponse(200, segments);
      if (url === '/api/files' && init?.method === 'POST') {
        posted.upload = JSON.parse(String(init.body));
        return jsonResponse(201, { file: { ...file, status: 'pending' }, upload: { method: 'PUT', url: BUCKET, headers: {}, expires_at: '' } });
      }
      if (url === BUCKET) return new Response(null, { status: 200 });
      if (url === '/api/files/F1/complete') return jsonResponse(200, file);
      if (url === '/api/files/F1') return jsonResponse(200, { ...file, download_url: 'http://bucket.test/F1' });
      if (url === '/api/campaigns' && init?.method === 'POST') {
        const body = JSON.parse(String(init.body)) as CampaignView;
        posted.campaign = body;
        saved = campaign({ ...body, id: 'C9', audience_count: 3, segment_name: 'Spring buyers' });
        return jsonResponse(201, saved);
      }
      if (url === '/api/campaigns/C9/send' && init?.method === 'POST') {
        saved = { ...saved!, status: 'starting' };
        return jsonResponse(200, saved);
      }
      if (url === '/api/campaigns/C9') return jsonResponse(200, saved);
      if (url.startsWith('/api/campaigns/C9/recipients')) return jsonResponse(200, { items: [], next_cursor: null });
      return undefined;
    });
    const view = renderApp('/campaigns/new');
    fireEvent.change(await screen.findByRole('textbox', { name: 'Campaign name' }), { target: { value: 'Spring offers' } });
    fireEvent.change(screen.getByLabelText('Add photo'), { target: { files: [new File(['x'], 'car.png', { type: 'image/png' })] } });
    expect(await screen.findByText('Uploaded')).toBeTruthy();
    expect(screen.getByRole('textbox', { name: 'Caption' })).toBeTruthy();
    fireEvent.change(screen.getByRole('textbox', { name: 'Caption' }), { target: { value: 'Hi {first_name}, spring offers' } });
    fireEvent.change(await screen.findByRole('combobox', { name: 'Send to' }), { target: { value: 'S1' } });
    fireEvent.click(await screen.findByRole('checkbox', { name: '@DemoMotorsBot' }));
    fireEvent.click(screen.getByRole('button', { name: 'Send now' }));

    const dialog = await screen.findByRole('dialog', { name: 'Send “Spring offers” now?' });
    expect(within(dialog).getByText(/It goes to 3 contacts in “Spring buyers”/)).toBeTruthy();
    expect(posted.upload).toMatchObject({ purpose: 'inbox_attachment', file_name: 'car.png' });
    expect(posted.campaign).toMatchObject({ content: { text: 'Hi {first_name}, spring offers', media: [{ upload_id: 'F1', kind: 'photo' }] } });
    await waitFor(() => expect(view.url()).toBe('/campaigns/C9'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Send now' }));
    expect(await screen.findByRole('heading', { name: 'Preparing the recipients…' })).toBeTruthy();
  });

  it('maps refused fields to the right places', () => {
    const d = toDraft(campaign());
    d.media = [
      { key: 901, kind: 'photo', name: 'a', status: 'ready', progress: 1, uploadId: 'A' },
      { key: 902, kind: 'photo', name: 'b', status: 'ready', progress: 1, uploadId: 'B' },
    ];
    expect(errorSlot('content.text', d)).toBe('text');
    expect(errorSlot('content.media[1].upload_id', d)).toBe('media:902');
    expect(errorSlot(`content.buttons[0].scenario_id`, d)).toBe(`button:${d.buttons[0].key}:scenario`);
    expect(errorSlot('content.buttons', d)).toBe('buttons');
    expect(errorSlot('paid_bot_ids', d)).toBe('bots');
    expect(errorSlot('quiet_hours.to', d)).toBe('quiet');
    expect(errorSlot('status', d)).toBeNull();
    d.when = 'schedule';
    d.sendAt = '2026-12-08T09:30';
    d.quiet = true;
    expect(toRequest(d)).toMatchObject({ send_at: '2026-12-08T09:30', time_zone: 'Europe/Kyiv', quiet_hours: { from: 21, to: 9 } });
  });
});

describe('Campaign progress', () => {
  it('asks every second while it sends, and offers Pause while running and Resume while paused', async () => {
    setToken('tok');
    let state: CampaignStatus = 'running';
    let gets = 0;
    const actions: string[] = [];
    inboxBackend('manager', (url, init) => {
      if (url === '/api/campaigns/C1' && (!init?.method || init.method === 'GET')) {
        gets += 1;
        return jsonResponse(200, running(state, Math.min(gets, 2)));
      }
      const act = /^\/api\/campaigns\/C1\/(pause|resume|cancel)$/.exec(url);
      if (act && init?.method === 'POST') {
        actions.push(act[1]);
        state = act[1] === 'pause' ? 'paused' : act[1] === 'resume' ? 'running' : 'cancelled';
        return jsonResponse(200, running(state, 2));
      }
      if (url.startsWith('/api/campaigns/C1/recipients')) return jsonResponse(200, recipients);
      return undefined;
    });
    const view = renderApp('/campaigns/C1');
    expect(await screen.findByText('1 of 3 sent')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Pause' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Resume' })).toBeNull();
    // The next poll, a second later, shows the new count.
    expect(await screen.findByText('2 of 3 sent', {}, { timeout: 4000 })).toBeTruthy();
    expect(gets).toBeGreaterThanOrEqual(2);
    expect(screen.getByText('about 2 sec')).toBeTruthy();
    expect(screen.getByRole('cell', { name: 'Zoryana Tkach' })).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
    expect(await screen.findByRole('button', { name: 'Resume' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Pause' })).toBeNull();
    expect(screen.getByRole('heading', { name: 'Paused' })).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Resume' }));
    expect(await screen.findByRole('button', { name: 'Pause' })).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Cancel campaign' }));
    const dialog = screen.getByRole('dialog', { name: 'Cancel “Spring offers”?' });
    expect(within(dialog).getByText(/1 recipient still waiting/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel campaign' }));
    expect(await screen.findByRole('heading', { name: 'Cancelled' })).toBeTruthy();
    expect(actions).toEqual(['pause', 'resume', 'cancel']);

    // The outcome filter is part of the address.
    fireEvent.change(screen.getByRole('combobox', { name: 'Show' }), { target: { value: 'pending' } });
    await waitFor(() => expect(view.url()).toBe('/campaigns/C1?outcome=pending'));
  });

  it('filters recipients by the outcome its address names', async () => {
    setToken('tok');
    const asked: string[] = [];
    inboxBackend('viewer', (url) => {
      if (url === '/api/campaigns/C1') return jsonResponse(200, running('finished', 3));
      if (url.startsWith('/api/campaigns/C1/recipients')) {
        asked.push(url);
        return jsonResponse(200, { items: [recipients.items[1]], next_cursor: null });
      }
      return undefined;
    });
    renderApp('/campaigns/C1?outcome=pending');
    expect(await screen.findByRole('cell', { name: 'Taras Tkach' })).toBeTruthy();
    expect(asked[0]).toBe('/api/campaigns/C1/recipients?limit=2&outcome=pending');
    expect((screen.getByRole('combobox', { name: 'Show' }) as HTMLSelectElement).value).toBe('pending');
    // A viewer follows the campaign but does not control it.
    expect(screen.queryByRole('button', { name: 'Delete' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Download CSV' })).toBeTruthy();
  });
});

describe('Campaigns in Ukrainian', () => {
  it('speaks Ukrainian on the list and on a paused campaign', async () => {
    setToken('tok');
    await setLanguage('uk', false);
    inboxBackend('manager', (url) => {
      if (url.startsWith('/api/campaigns?')) return jsonResponse(200, { items: [running('paused', 2)], next_cursor: null });
      if (url === '/api/campaigns/C1') return jsonResponse(200, running('paused', 2));
      if (url.startsWith('/api/campaigns/C1/recipients')) return jsonResponse(200, recipients);
      return undefined;
    });
    const view = renderApp('/campaigns');
    expect(await screen.findByRole('heading', { name: 'Розсилки' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Нова розсилка' })).toBeTruthy();
    expect(await screen.findByText('Надіслано 2 з 3')).toBeTruthy();
    expect(screen.getByText('На паузі', { selector: '.campaign-status' })).toBeTruthy();
    view.go('/campaigns/C1');
    expect(await screen.findByRole('button', { name: 'Продовжити' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Скасувати розсилку' })).toBeTruthy();
    expect((await screen.findAllByText('Заблокував бота')).length).toBeGreaterThan(0);
    expect(screen.getByRole('cell', { name: 'Очікує' })).toBeTruthy();
  });

  it('names a refused field in Ukrainian beside it', async () => {
    setToken('tok');
    await setLanguage('uk', false);
    inboxBackend('manager', (url, init) => {
      if (url === '/api/segments') return jsonResponse(200, { items: [], max: 50 });
      if (url === '/api/campaigns' && init?.method === 'POST') {
        return jsonResponse(422, { error: { code: 'validation', message: 'choose 1 to 10 bots', field: 'bot_ids' } });
      }
      return undefined;
    });
    renderApp('/campaigns/new');
    fireEvent.change(await screen.findByRole('textbox', { name: 'Назва розсилки' }), { target: { value: 'Весна' } });
    fireEvent.click(screen.getByRole('button', { name: 'Зберегти чернетку' }));
    expect(await screen.findByText('Виберіть від 1 до 10 своїх ботів.')).toBeTruthy();
    expect(screen.getByText('Перевірте позначене поле.')).toBeTruthy();
    expect(bot.username).toBe('DemoMotorsBot');
  });
});
