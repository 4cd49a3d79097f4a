import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { setToken } from '../api/client';
import type { CampaignDelivery, Dashboard, DayStats, Kpi } from '../api/types';
import { setLanguage } from '../i18n';
import { jsonResponse } from '../test/http';
import { inboxBackend, ws } from '../test/inbox';
import { renderApp } from '../test/renderApp';

/** Every figure the server sends, with the page each one opens. */
const KPIS: Kpi[] = [
  { key: 'leads_today', label: 'New leads today', value: 2, link: '/contacts?active_days=1' },
  { key: 'leads_week', label: 'New leads, 7 days', value: 9, link: '/contacts?active_days=7' },
  { key: 'unread_conversations', label: 'Unread conversations', value: 3, link: '/inbox?unread=1' },
  { key: 'open_conversations', label: 'Open conversations', value: 5, link: '/inbox?status=open' },
  { key: 'conversations', label: 'Conversations', value: 41, link: '/inbox' },
  { key: 'active_campaigns', label: 'Active campaigns', value: 1, link: '/campaigns?status=active' },
  { key: 'scheduled_posts', label: 'Scheduled posts, 30 days', value: 4, link: '/calendar?view=list&status=scheduled' },
  { key: 'open_requests', label: 'Open requests', value: 6, link: '/requests?status=open' },
  { key: 'new_offers', label: 'Offers to answer', value: 2, link: '/requests?status=offers' },
  { key: 'stock', label: 'Cars on sale', value: 1234, link: '/inventory?status=available' },
  { key: 'bots', label: 'Connected bots', value: 2, link: '/telegram' },
  { key: 'accounts_online', label: 'Telegram accounts online', value: 1, link: '/telegram?tab=accounts' },
  { key: 'team_members', label: 'Team members', value: 3, link: '/settings?tab=team' },
  { key: 'pending_invites', label: 'Pending invites', value: 0, link: '/settings?tab=team' },
];

/** 30 days from 2025-03-01, each with what `over` gives it by its index. */
function days(over: (i: number) => Partial<DayStats> = () => ({})): DayStats[] {
  return Array.from({ length: 30 }, (_, i) => ({
    day: `2025-03-${String(i + 1).padStart(2, '0')}`,
    leads: 0,
    leads_by_bot: [],
    messages_in: 0,
    messages_out: 0,
    ...over(i),
  }));
}

function dashboard(over: Partial<Dashboard> = {}): Dashboard {
  return { workspace: ws, kpis: KPIS, stock_value: [], days: days(), campaigns: [], ...over };
}

function backend(dash: Dashboard) {
  return inboxBackend('owner', (url) => {
    if (url === '/api/dashboard') return jsonResponse(200, dash);
    if (url === '/api/inventory?limit=1') return jsonResponse(200, { items: [], next_cursor: null });
    if (url === '/api/scenarios') return jsonResponse(200, { scenarios: [] });
    return undefined;
  });
}

const campaign = (over: Partial<CampaignDelivery>): CampaignDelivery => ({ id: 'C1', name: 'Spring offers', status: 'finished', sent: 0, failed: 0, total: 0, ...over });

describe('Dashboard', () => {
  it('shows every figure as a link to the page that lists it, with what the cars on sale are worth', async () => {
    setToken('tok');
    backend(
      dashboard({
        stock_value: [
          { currency: 'USD', amount: 120000 },
          { currency: 'EUR', amount: 45500 },
        ],
      }),
    );
    renderApp('/');
    const figures = await screen.findByRole('region', { name: 'Key figures' });
    const cards = within(figures).getAllByRole('link');
    expect(cards.map((a) => a.getAttribute('href'))).toEqual(KPIS.map((k) => k.link));
    expect(within(figures).getByRole('link', { name: /^3\s*Unread conversations$/ }).getAttribute('href')).toBe('/inbox?unread=1');
    expect(within(figures).getByRole('link', { name: /^1\s*Active campaigns$/ }).getAttribute('href')).toBe('/campaigns?status=active');
    expect(within(figures).getByRole('link', { name: /^4\s*Scheduled posts, 30 days$/ }).getAttribute('href')).toBe('/calendar?view=list&status=scheduled');
    expect(within(figures).getByRole('link', { name: /^0\s*Pending invites$/ })).toBeTruthy();

    const stock = figures.querySelector('[data-kpi="stock"]')!;
    expect(stock.getAttribute('href')).toBe('/inventory?status=available');
    expect(within(stock as HTMLElement).getByText('1,234')).toBeTruthy();
    expect(within(stock as HTMLElement).getByText('Cars on sale')).toBeTruthy();
    expect(stock.querySelector('[data-stock-value]')!.textContent).toBe('Worth $120,000 · €45,500');
    // Only the stock card says a value.
    expect(figures.querySelectorAll('[data-stock-value]')).toHaveLength(1);
  });

  it('keeps a figure this version does not know, with the label the server sent', async () => {
    setToken('tok');
    backend(dashboard({ kpis: [{ key: 'future_thing', label: 'Future thing', value: 7, link: '/somewhere' }] }));
    renderApp('/');
    expect((await screen.findByRole('link', { name: /7\s*Future thing/ })).getAttribute('href')).toBe('/somewhere');
  });

  it('charts leads per bot, messages and campaign delivery, each with a table to read', async () => {
    setToken('tok');
    backend(
      dashboard({
        days: days((i) =>
          i === 29
            ? { leads: 5, leads_by_bot: [{ bot_id: 1, leads: 3 }, { bot_id: 7, leads: 1 }], messages_in: 10, messages_out: 4 }
            : i === 0
              ? { leads: 2, leads_by_bot: [{ bot_id: 1, leads: 2 }], messages_in: 1 }
              : {},
        ),
        campaigns: [campaign({ sent: 90, failed: 3, total: 100 }), campaign({ id: 'C2', name: 'Winter tyres', status: 'running', sent: 4, failed: 0, total: 50 })],
      }),
    );
    renderApp('/');

    const leads = (await screen.findByRole('heading', { name: 'New leads per day' })).closest('section')!;
    expect(within(leads).getByText('7 new leads in the last 30 days')).toBeTruthy();
    const table = within(leads).getByRole('table', { name: 'New leads per day and bot, last 30 days' });
    // Bots by name from /api/bots, an unknown one by its id, and the lead no bot is named for.
    await waitFor(() => expect(within(table).getByRole('columnheader', { name: '@DemoMotorsBot' })).toBeTruthy());
    expect(within(table).getByRole('columnheader', { name: 'Bot 7' })).toBeTruthy();
    expect(within(table).getByRole('columnheader', { name: 'No bot' })).toBeTruthy();
    const lastDay = within(table).getByRole('rowheader', { name: 'Mar 30, 2025' }).closest('tr')!;
    expect([...lastDay.querySelectorAll('td')].map((c) => c.textContent)).toEqual(['3', '1', '1', '5']);
    expect(leads.querySelector('.dash-chart-box')!.getAttribute('aria-hidden')).toBe('true');

    const messages = screen.getByRole('heading', { name: 'Messages per day' }).closest('section')!;
    expect(within(messages).getByText('15 messages in the last 30 days: 11 received, 4 sent')).toBeTruthy();
    const firstDay = within(messages).getByRole('rowheader', { name: 'Mar 1, 2025' }).closest('tr')!;
    expect([...firstDay.querySelectorAll('td')].map((c) => c.textContent)).toEqual(['1', '0']);

    const delivery = screen.getByRole('heading', { name: 'Campaign delivery' }).closest('section')!;
    expect(within(delivery).getByRole('link', { name: 'Spring offers' }).getAttribute('href')).toBe('/campaigns?campaign=C1');
    expect(within(delivery).getByRole('link', { name: 'Winter tyres' }).getAttribute('href')).toBe('/campaigns?campaign=C2');
    const spring = delivery.querySelector('[data-campaign="C1"]')!;
    expect([...spring.querySelectorAll('td.num')].map((c) => c.textContent)).toEqual(['90', '3', '100']);
  });

  it('says so when the last 30 days had nothing to chart', async () => {
    setToken('tok');
    backend(dashboard());
    renderApp('/');
    expect(await screen.findByText('No leads in the last 30 days.')).toBeTruthy();
    expect(screen.getByText('No messages in the last 30 days.')).toBeTruthy();
    expect(screen.getByText('No campaigns sent yet.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'See campaigns' }).getAttribute('href')).toBe('/campaigns');
    expect(document.querySelector('.dash-chart-box')).toBeNull();
  });

  it('still lists a campaign that has delivered nothing yet', async () => {
    setToken('tok');
    backend(dashboard({ campaigns: [campaign({ status: 'scheduled', total: 20 })] }));
    renderApp('/');
    expect(await screen.findByText('Nothing delivered yet.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Spring offers' }).getAttribute('href')).toBe('/campaigns?campaign=C1');
  });

  it('speaks Ukrainian, with the plural the number needs', async () => {
    setToken('tok');
    await setLanguage('uk', false);
    backend(
      dashboard({
        stock_value: [{ currency: 'UAH', amount: 2500000 }],
        days: days((i) => (i < 5 ? { leads: 1, leads_by_bot: [{ bot_id: 1, leads: 1 }] } : i === 5 ? { messages_in: 21 } : {})),
      }),
    );
    renderApp('/');
    const figures = await screen.findByRole('region', { name: 'Головні показники' });
    expect(within(figures).getByRole('link', { name: /^3\s*Непрочитані розмови$/ })).toBeTruthy();
    const worth = figures.querySelector('[data-stock-value]')!.textContent!;
    expect(worth.startsWith('На суму 2')).toBe(true);
    expect(worth).toMatch(/500\s000/);
    expect(await screen.findByText('5 нових лідів за останні 30 днів')).toBeTruthy();
    expect(screen.getByText('21 повідомлення за останні 30 днів: отримано 21, надіслано 0')).toBeTruthy();
    expect(screen.getAllByRole('rowheader', { name: '1 бер. 2025 р.' })).toHaveLength(2);
  });
});
