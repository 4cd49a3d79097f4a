import { Check, Circle, X } from 'lucide-react';
import { lazy, Suspense, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router-dom';
import { useApiQuery } from '../api/query';
import type { Dashboard as DashboardData, Kpi, ListingPage, MoneyTotal } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { PageHeader } from '../components/PageHeader';
import { EmptyState, Loading, QueryView } from '../components/States';
import { formatMoney, formatNumber } from '../i18n/format';
import type { ScenarioListResponse } from './scenarios/types';

// The chart library is big: the charts load after the figures, in a chunk of their own.
const DashboardCharts = lazy(() => import('./dashboard/DashboardCharts').then((m) => ({ default: m.DashboardCharts })));

export function Dashboard() {
  const { t } = useTranslation('dashboard');
  const { me } = useAuth();
  const isPlatformAdmin = me?.role === 'superadmin' && !me.workspace;
  const dash = useApiQuery<DashboardData>(isPlatformAdmin ? null : '/api/dashboard');

  if (isPlatformAdmin) return <Navigate to="/admin/workspaces" replace />;

  return (
    <>
      <PageHeader title={t('title')} subtitle={dash.data ? dash.data.workspace.name : me?.workspace?.name} />
      <QueryView query={dash} loading={t('loading')} errorTitle={t('loadError')}>
        {(d) =>
          d.kpis.length === 0 ? (
            <EmptyState title={t('noFigures')}>{t('noFiguresBody')}</EmptyState>
          ) : (
            <section className="kpi-grid" aria-label={t('keyFigures')}>
              {d.kpis.map((k) => (
                <KpiCard key={k.key} kpi={k} stockValue={k.key === 'stock' ? (d.stock_value ?? []) : []} />
              ))}
            </section>
          )
        }
      </QueryView>
      {dash.data && me?.workspace && <GettingStarted dash={dash.data} workspaceId={me.workspace.id} />}
      {dash.data && (
        <Suspense fallback={<Loading label={t('charts.loading')} />}>
          <DashboardCharts days={dash.data.days ?? []} campaigns={dash.data.campaigns ?? []} />
        </Suspense>
      )}
    </>
  );
}

/** One figure, leading to the page that lists what it counts (`kpi.link`); the stock card adds what the cars are worth. */
function KpiCard({ kpi: k, stockValue }: { kpi: Kpi; stockValue: MoneyTotal[] }) {
  const { t } = useTranslation('dashboard');
  const worth = stockValue.filter((m) => m.amount > 0);
  return (
    <Link to={k.link} className="kpi-card" data-kpi={k.key}>
      <span className="kpi-value">{formatNumber(k.value)}</span>
      {/* The server's English label stays for a figure this version does not know. */}
      <span className="kpi-label">{t(`kpi.${k.key}`, { defaultValue: k.label })}</span>
      {worth.length > 0 && (
        <span className="kpi-sub" data-stock-value="">
          {t('stockValue', { value: worth.map((m) => formatMoney(m.amount, m.currency)).join(' · ') })}
        </span>
      )}
    </Link>
  );
}

const dismissKey = (ws: string) => `cartie.gettingStarted.dismissed.${ws}`;

/**
 * The first steps of a new workspace, ticked off from what the workspace
 * already has; it can be put away, and goes away by itself once all are done.
 */
function GettingStarted({ dash, workspaceId }: { dash: DashboardData; workspaceId: string }) {
  const { t } = useTranslation('dashboard');
  const [dismissed, setDismissed] = useState(() => {
    try {
      return localStorage.getItem(dismissKey(workspaceId)) === '1';
    } catch {
      return false;
    }
  });
  const cars = useApiQuery<ListingPage>(dismissed ? null : '/api/inventory?limit=1');
  const scenarios = useApiQuery<ScenarioListResponse>(dismissed ? null : '/api/scenarios');
  const kpi = (key: string) => dash.kpis.find((k) => k.key === key)?.value ?? 0;

  const steps = [
    { key: 'bot', done: kpi('bots') > 0, link: '/telegram' },
    { key: 'car', done: (cars.data?.items.length ?? 0) > 0, link: '/inventory' },
    { key: 'scenario', done: !!scenarios.data?.scenarios.some((s) => s.published_version != null), link: '/scenarios' },
    { key: 'team', done: kpi('team_members') > 1 || kpi('pending_invites') > 0, link: '/settings?tab=team' },
  ];
  const doneCount = steps.filter((s) => s.done).length;
  if (dismissed || doneCount === steps.length) return null;

  const dismiss = () => {
    setDismissed(true);
    try {
      localStorage.setItem(dismissKey(workspaceId), '1');
    } catch {
      /* storage unavailable: hidden until the next visit */
    }
  };

  return (
    <section className="card getting-started" aria-labelledby="getting-started-title">
      <div className="card-header">
        <h2 id="getting-started-title">{t('gettingStarted.title')}</h2>
        <span className="muted small">{t('gettingStarted.progress', { done: doneCount, total: steps.length })}</span>
        <button type="button" className="btn btn-ghost btn-sm" onClick={dismiss} aria-label={t('gettingStarted.dismiss')} title={t('gettingStarted.dismiss')}>
          <X size={16} aria-hidden="true" />
        </button>
      </div>
      <ol className="steps">
        {steps.map((s) => (
          <li key={s.key} className={s.done ? 'step done' : 'step'} data-step={s.key} data-done={s.done}>
            {s.done ? <Check size={18} className="step-icon" aria-hidden="true" /> : <Circle size={18} className="step-icon" aria-hidden="true" />}
            <span>
              <Trans t={t} i18nKey={`gettingStarted.${s.key}`} components={{ go: <Link to={s.link} /> }} />
              {s.done && <span className="visually-hidden"> {t('gettingStarted.doneMark')}</span>}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
