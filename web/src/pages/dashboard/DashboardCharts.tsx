// The dashboard's charts: leads per day (stacked by bot), messages per day
// and the newest campaigns' delivery. Loaded lazily with the chart library
// (recharts), after the figures. Each chart is drawn for the eye only
// (aria-hidden); a heading, a one-line summary and a table say the same to a
// screen reader, and a chart with nothing to draw says so instead.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { useApiQuery } from '../../api/query';
import type { BotList, CampaignDelivery, DayStats } from '../../api/types';
import { currentLanguage, mark } from '../../i18n';
import { formatNumber } from '../../i18n/format';

/**
 * A day as the API names it (`2025-03-01`, a UTC day): `Mar 1` by default,
 * in the user's language; the day itself, whatever the time zone.
 */
export function formatDay(day: string, opts: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric' }): string {
  const d = /^\d{4}-\d{2}-\d{2}$/.test(day) ? new Date(`${day}T00:00:00Z`) : null;
  if (!d || Number.isNaN(d.getTime())) return day;
  return mark(new Intl.DateTimeFormat(currentLanguage(), { ...opts, timeZone: 'UTC' }).format(d));
}

/** Series colours, each at least 3:1 against the white card. */
const PALETTE = ['#2563eb', '#15803d', '#b45309', '#7c3aed', '#be185d', '#0e7490', '#4d7c0f', '#9f1239'];
const OTHER = '#64748b';
const SENT = '#15803d';
const FAILED = '#dc2626';
const RECEIVED = '#2563eb';
const REPLIED = '#b45309';

const HEIGHT = 240;
const chartStyle = { width: '100%', height: HEIGHT } as const;
const axisTick = { fontSize: 12, fill: '#536173' };
const number = (v: unknown) => (typeof v === 'number' ? formatNumber(v) : String(v ?? ''));
const legendText = (value: unknown) => <span className="chart-legend-text">{String(value)}</span>;
/** A day in full (`Mar 1, 2025`), for the tables and tooltips. */
const longDay = (day: string) => formatDay(day, { dateStyle: 'medium' });
const tooltipDay = (_: unknown, payload: readonly { payload?: { day?: string } }[] | undefined) => longDay(String(payload?.[0]?.payload?.day ?? ''));
/** The campaign chart's two parts of each bar. */
const DELIVERY = ['sent', 'failed'] as const;

export function DashboardCharts({ days, campaigns }: { days: DayStats[]; campaigns: CampaignDelivery[] }) {
  return (
    <div className="dash-charts">
      <LeadsChart days={days} />
      <MessagesChart days={days} />
      <CampaignsChart campaigns={campaigns} />
    </div>
  );
}

/** A chart's card: its heading, a summary line, then the chart (or what is missing). */
function ChartCard({ id, title, summary, wide, children }: { id: string; title: string; summary?: string; wide?: boolean; children: ReactNode }) {
  return (
    <section className={wide ? 'card dash-chart dash-chart-wide' : 'card dash-chart'} aria-labelledby={`${id}-title`} data-chart={id}>
      <h2 id={`${id}-title`}>{title}</h2>
      {summary && <p className="muted small dash-chart-summary">{summary}</p>}
      {children}
    </section>
  );
}

function ChartEmpty({ children }: { children: ReactNode }) {
  return <p className="dash-chart-empty">{children}</p>;
}

/** The series key of a bot's leads (or of the leads no bot is named for). */
const botKey = (id: number | 'other') => `bot_${id}`;

function LeadsChart({ days }: { days: DayStats[] }) {
  const { t } = useTranslation('dashboard');
  const total = days.reduce((n, d) => n + d.leads, 0);
  // The bots' names for the series (the id until they come, or if they do not).
  const bots = useApiQuery<BotList>(total > 0 ? '/api/bots' : null);
  const byBot = new Map<number, number>();
  let other = 0;
  for (const d of days) {
    let named = 0;
    for (const b of d.leads_by_bot ?? []) {
      byBot.set(b.bot_id, (byBot.get(b.bot_id) ?? 0) + b.leads);
      named += b.leads;
    }
    other += Math.max(0, d.leads - named);
  }
  // The bots with most leads first (the bottom of each stack).
  const series: { key: string; name: string; color: string }[] = [...byBot.entries()]
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .map(([id], i) => {
      const username = bots.data?.bots.find((b) => b.id === id)?.username;
      return { key: botKey(id), name: username ? `@${username}` : t('charts.leads.botId', { id }), color: PALETTE[i % PALETTE.length] };
    });
  if (other > 0) series.push({ key: botKey('other'), name: t('charts.leads.noBot'), color: OTHER });
  const data = days.map((d) => {
    const row: Record<string, string | number> = { day: d.day, label: formatDay(d.day), total: d.leads };
    let named = 0;
    for (const b of d.leads_by_bot ?? []) {
      row[botKey(b.bot_id)] = b.leads;
      named += b.leads;
    }
    if (other > 0) row[botKey('other')] = Math.max(0, d.leads - named);
    return row;
  });

  return (
    <ChartCard id="leads" title={t('charts.leads.title')} summary={total > 0 ? t('charts.leads.summary', { count: total, n: formatNumber(total) }) : undefined}>
      {total === 0 ? (
        <ChartEmpty>{t('charts.leads.empty')}</ChartEmpty>
      ) : (
        <>
          <div className="dash-chart-box" aria-hidden="true">
            <BarChart responsive style={chartStyle} data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} accessibilityLayer={false}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
              <XAxis dataKey="label" tick={axisTick} minTickGap={12} tickLine={false} />
              <YAxis allowDecimals={false} tick={axisTick} tickFormatter={number} tickLine={false} axisLine={false} />
              <Tooltip formatter={number} labelFormatter={tooltipDay} />
              <Legend formatter={legendText} itemSorter={null} />
              {series.map((s) => (
                <Bar key={s.key} dataKey={s.key} name={s.name} stackId="leads" fill={s.color} isAnimationActive={false} />
              ))}
            </BarChart>
          </div>
          <div className="visually-hidden">
            <table>
              <caption>{t('charts.leads.table')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('charts.day')}</th>
                  {series.map((s) => (
                    <th key={s.key} scope="col">
                      {s.name}
                    </th>
                  ))}
                  <th scope="col">{t('charts.leads.total')}</th>
                </tr>
              </thead>
              <tbody>
                {data.map((row) => (
                  <tr key={String(row.day)}>
                    <th scope="row">{longDay(String(row.day))}</th>
                    {series.map((s) => (
                      <td key={s.key}>{formatNumber(Number(row[s.key] ?? 0))}</td>
                    ))}
                    <td>{formatNumber(Number(row.total))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </ChartCard>
  );
}

function MessagesChart({ days }: { days: DayStats[] }) {
  const { t } = useTranslation('dashboard');
  const received = days.reduce((n, d) => n + d.messages_in, 0);
  const sent = days.reduce((n, d) => n + d.messages_out, 0);
  const total = received + sent;
  const data = days.map((d) => ({ day: d.day, label: formatDay(d.day), in: d.messages_in, out: d.messages_out }));
  const summary =
    total > 0 ? t('charts.messages.summary', { count: total, n: formatNumber(total), received: formatNumber(received), sent: formatNumber(sent) }) : undefined;

  return (
    <ChartCard id="messages" title={t('charts.messages.title')} summary={summary}>
      {total === 0 ? (
        <ChartEmpty>{t('charts.messages.empty')}</ChartEmpty>
      ) : (
        <>
          <div className="dash-chart-box" aria-hidden="true">
            <LineChart responsive style={chartStyle} data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} accessibilityLayer={false}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
              <XAxis dataKey="label" tick={axisTick} minTickGap={12} tickLine={false} />
              <YAxis allowDecimals={false} tick={axisTick} tickFormatter={number} tickLine={false} axisLine={false} />
              <Tooltip formatter={number} labelFormatter={tooltipDay} />
              <Legend formatter={legendText} itemSorter={null} />
              <Line type="monotone" dataKey="in" name={t('charts.messages.received')} stroke={RECEIVED} strokeWidth={2} dot={false} isAnimationActive={false} />
              <Line type="monotone" dataKey="out" name={t('charts.messages.sent')} stroke={REPLIED} strokeWidth={2} dot={false} isAnimationActive={false} />
            </LineChart>
          </div>
          <div className="visually-hidden">
            <table>
              <caption>{t('charts.messages.table')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('charts.day')}</th>
                  <th scope="col">{t('charts.messages.received')}</th>
                  <th scope="col">{t('charts.messages.sent')}</th>
                </tr>
              </thead>
              <tbody>
                {data.map((row) => (
                  <tr key={row.day}>
                    <th scope="row">{longDay(row.day)}</th>
                    <td>{formatNumber(row.in)}</td>
                    <td>{formatNumber(row.out)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </ChartCard>
  );
}

/** A campaign's name on the axis, shortened to fit beside the bars. */
const shortName = (name: unknown) => {
  const s = String(name ?? '');
  return s.length > 18 ? `${s.slice(0, 17)}…` : s;
};

const campaignLink = (id: string) => `/campaigns?campaign=${encodeURIComponent(id)}`;

function CampaignsChart({ campaigns }: { campaigns: CampaignDelivery[] }) {
  const { t } = useTranslation('dashboard');
  const navigate = useNavigate();
  const delivered = campaigns.some((c) => c.sent + c.failed > 0);
  const data = campaigns.map((c) => ({ id: c.id, name: c.name, sent: c.sent, failed: c.failed }));

  return (
    <ChartCard
      id="campaigns"
      title={t('charts.campaigns.title')}
      summary={campaigns.length > 0 ? t('charts.campaigns.summary', { count: campaigns.length, n: formatNumber(campaigns.length) }) : undefined}
      wide
    >
      {campaigns.length === 0 ? (
        <ChartEmpty>
          {t('charts.campaigns.empty')} <Link to="/campaigns">{t('charts.campaigns.all')}</Link>
        </ChartEmpty>
      ) : (
        <>
          {delivered ? (
            <div className="dash-chart-box" aria-hidden="true">
              <BarChart
                responsive
                style={{ width: '100%', height: Math.max(140, 44 * data.length + 60) }}
                data={data}
                layout="vertical"
                margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
                accessibilityLayer={false}
              >
                <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke="#e2e8f0" />
                <XAxis type="number" allowDecimals={false} tick={axisTick} tickFormatter={number} tickLine={false} />
                <YAxis type="category" dataKey="name" width={120} tick={axisTick} tickFormatter={shortName} tickLine={false} />
                <Tooltip formatter={number} />
                <Legend formatter={legendText} itemSorter={null} />
                {DELIVERY.map((k) => (
                  <Bar
                    key={k}
                    dataKey={k}
                    name={t(`charts.campaigns.${k}`)}
                    stackId="delivery"
                    fill={k === 'sent' ? SENT : FAILED}
                    cursor="pointer"
                    isAnimationActive={false}
                    onClick={(_, index) => {
                      const c = data[index];
                      if (c) navigate(campaignLink(c.id));
                    }}
                  />
                ))}
              </BarChart>
            </div>
          ) : (
            <ChartEmpty>{t('charts.campaigns.nothingSent')}</ChartEmpty>
          )}
          <div className="table-wrap">
            <table className="table dash-campaigns-table">
              <caption className="visually-hidden">{t('charts.campaigns.table')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('charts.campaigns.name')}</th>
                  <th scope="col" className="num">
                    {t('charts.campaigns.sent')}
                  </th>
                  <th scope="col" className="num">
                    {t('charts.campaigns.failed')}
                  </th>
                  <th scope="col" className="num">
                    {t('charts.campaigns.total')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {campaigns.map((c) => (
                  <tr key={c.id} data-campaign={c.id}>
                    <td>
                      <Link to={campaignLink(c.id)} className="break">
                        {c.name}
                      </Link>
                    </td>
                    <td className="num">{formatNumber(c.sent)}</td>
                    <td className="num">{formatNumber(c.failed)}</td>
                    <td className="num">{formatNumber(c.total)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </ChartCard>
  );
}
