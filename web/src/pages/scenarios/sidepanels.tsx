// The editor's Versions and Analytics tabs.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, seg } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { useApiQuery } from '../../api/query';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { formatDate, formatNumber } from '../../i18n/format';
import { kindInfo } from './scenario';
import type { Draft, NodeStats, ScenarioAnalytics, ScenarioVersionList, ScenarioVersionView, ScenarioView } from './types';

export function VersionsPanel({
  scenarioId,
  canEdit,
  run,
  onRolledBack,
}: {
  scenarioId: string;
  canEdit: boolean;
  /** Queues the request behind pending saves. */
  run: <T>(fn: () => Promise<T>) => Promise<T>;
  onRolledBack: (v: ScenarioView) => void;
}) {
  const { t } = useTranslation('scenarios');
  const res = useApiQuery<ScenarioVersionList>(`/api/scenarios/${seg(scenarioId)}/versions`, { staleTime: 0 });
  const [confirm, setConfirm] = useState<ScenarioVersionView | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const rollback = async (v: ScenarioVersionView) => {
    setBusy(true);
    setError(null);
    try {
      const view = await run(() =>
        api<ScenarioView>(`/api/scenarios/${seg(scenarioId)}/versions/${v.version}/rollback`, { method: 'POST' }),
      );
      setConfirm(null);
      onRolledBack(view);
    } catch (e) {
      setConfirm(null);
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const versions = res.data?.versions ?? [];
  return (
    <div className="sc-panel">
      <h2 className="sc-panel-title">{t('editor.tabs.versions')}</h2>
      {error && (
        <div className="form-error" role="alert">
          {t('versions.rollbackFailed', { error })}
        </div>
      )}
      {res.isPending ? (
        <Loading label={t('versions.loading')} />
      ) : res.error ? (
        <ErrorState title={t('versions.loadError')} error={res.error} onRetry={() => void res.refetch()} />
      ) : versions.length === 0 ? (
        <EmptyState title={t('versions.notPublished')}>{t('versions.notPublishedBody')}</EmptyState>
      ) : (
        <ul className="sc-versions">
          {versions.map((v) => (
            <li key={v.version} className={v.current ? 'sc-version is-current' : 'sc-version'}>
              <div className="sc-version-main">
                <strong>{t('versions.version', { version: v.version })}</strong>
                {v.current && <span className="pill">{t('versions.current')}</span>}
                <div className="muted small">
                  {formatDate(v.published_at, true)} · {v.published_by} · {t('versions.steps', { count: v.nodes })}
                </div>
              </div>
              {canEdit && !v.current && (
                <button type="button" className="btn btn-secondary btn-sm" onClick={() => setConfirm(v)}>
                  {t('versions.rollBackTo')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {confirm && (
        <ConfirmDialog
          title={t('versions.rollBackTitle', { version: confirm.version })}
          confirmLabel={t('versions.rollBack')}
          busy={busy}
          onCancel={() => setConfirm(null)}
          onConfirm={() => void rollback(confirm)}
        >
          <p>{t('versions.rollBackBody', { version: confirm.version })}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

export function AnalyticsPanel({
  scenarioId,
  draft,
  onStats,
}: {
  scenarioId: string;
  draft: Draft;
  onStats: (stats: Map<string, NodeStats> | null) => void;
}) {
  const { t } = useTranslation('scenarios');
  const res = useApiQuery<ScenarioAnalytics>(`/api/scenarios/${seg(scenarioId)}/analytics`, { staleTime: 0 });
  const data = res.data;

  useEffect(() => {
    if (!data || data.version === null || data.version === undefined) return;
    onStats(new Map((data.nodes ?? []).map((s) => [s.node, s])));
  }, [data, onStats]);
  useEffect(() => () => onStats(null), [onStats]);

  const kindOf = (id: string) => kindInfo(draft.nodes.find((n) => n.id === id)?.step.kind ?? '').label;
  const nodes = data?.nodes ?? [];
  const splits = data?.splits ?? [];
  return (
    <div className="sc-panel">
      <div className="sc-panel-row">
        <h2 className="sc-panel-title">{t('editor.tabs.analytics')}</h2>
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => void res.refetch()} disabled={res.isFetching}>
          {t('analytics.refresh')}
        </button>
      </div>
      {res.isPending ? (
        <Loading label={t('analytics.loading')} />
      ) : res.error && !data ? (
        <ErrorState title={t('analytics.loadError')} error={res.error} onRetry={() => void res.refetch()} />
      ) : !data || data.version === null || data.version === undefined ? (
        <EmptyState title={t('versions.notPublished')}>{t('analytics.notPublishedBody')}</EmptyState>
      ) : (
        <>
          <p className="muted small">{t('analytics.intro', { version: data.version })}</p>
          {nodes.length === 0 ? (
            <EmptyState title={t('analytics.noBuyers')}>{t('analytics.noBuyersBody')}</EmptyState>
          ) : (
            <div className="table-wrap">
              <table className="table sc-stats">
                <thead>
                  <tr>
                    <th scope="col">{t('analytics.step')}</th>
                    <th scope="col">{t('analytics.entered')}</th>
                    <th scope="col">{t('analytics.completed')}</th>
                    <th scope="col">{t('analytics.dropped')}</th>
                  </tr>
                </thead>
                <tbody>
                  {nodes.map((s) => (
                    <tr key={s.node}>
                      <th scope="row">
                        <span className="mono">{s.node}</span> <span className="muted small">{kindOf(s.node)}</span>
                      </th>
                      <td>{formatNumber(s.entered)}</td>
                      <td>{formatNumber(s.completed)}</td>
                      <td>{formatNumber(s.dropped)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {splits.length > 0 && (
            <>
              <h3 className="sc-subtitle">{t('analytics.splits')}</h3>
              <ul className="sc-splits">
                {splits.map((s) => (
                  <li key={`${s.node}-${s.branch}`}>
                    <span className="mono">{s.node}</span>{' '}
                    {t('analytics.branchPicked', { branch: String.fromCharCode(65 + (s.branch % 26)), count: s.picked })}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </div>
  );
}
