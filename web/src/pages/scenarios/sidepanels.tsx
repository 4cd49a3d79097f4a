// The editor's Versions and Analytics tabs.
import { useEffect, useState } from 'react';
import { api, seg } from '../../api/client';
import { useApi } from '../../api/useApi';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState, ErrorState, errorMessage, Loading } from '../../components/States';
import { formatDate } from '../../format';
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
  const res = useApi<ScenarioVersionList>(`/api/scenarios/${seg(scenarioId)}/versions`);
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
      <h2 className="sc-panel-title">Versions</h2>
      {error && (
        <div className="form-error" role="alert">
          Could not roll back: {error}
        </div>
      )}
      {res.loading ? (
        <Loading label="Loading versions…" />
      ) : res.error ? (
        <ErrorState title="Could not load the versions" error={res.error} onRetry={res.reload} />
      ) : versions.length === 0 ? (
        <EmptyState title="Not published yet">Publish the draft to create version 1.</EmptyState>
      ) : (
        <ul className="sc-versions">
          {versions.map((v) => (
            <li key={v.version} className={v.current ? 'sc-version is-current' : 'sc-version'}>
              <div className="sc-version-main">
                <strong>Version {v.version}</strong>
                {v.current && <span className="pill">Current</span>}
                <div className="muted small">
                  {formatDate(v.published_at, true)} · {v.published_by} · {v.nodes} step{v.nodes === 1 ? '' : 's'}
                </div>
              </div>
              {canEdit && !v.current && (
                <button type="button" className="btn btn-secondary btn-sm" onClick={() => setConfirm(v)}>
                  Roll back to this
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {confirm && (
        <ConfirmDialog
          title={`Roll back to version ${confirm.version}?`}
          confirmLabel="Roll back"
          busy={busy}
          onCancel={() => setConfirm(null)}
          onConfirm={() => void rollback(confirm)}
        >
          <p>
            Version {confirm.version} is published again as a new version, and it replaces your draft. Unpublished changes
            in the draft are lost.
          </p>
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
  const res = useApi<ScenarioAnalytics>(`/api/scenarios/${seg(scenarioId)}/analytics`);
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
        <h2 className="sc-panel-title">Analytics</h2>
        <button type="button" className="btn btn-ghost btn-sm" onClick={res.reload} disabled={res.loading}>
          Refresh
        </button>
      </div>
      {res.loading && !data ? (
        <Loading label="Loading analytics…" />
      ) : res.error ? (
        <ErrorState title="Could not load the analytics" error={res.error} onRetry={res.reload} />
      ) : !data || data.version === null || data.version === undefined ? (
        <EmptyState title="Not published yet">Analytics count the buyers of the published version.</EmptyState>
      ) : (
        <>
          <p className="muted small">Version {data.version}: buyers who reached each step.</p>
          {nodes.length === 0 ? (
            <EmptyState title="No buyers yet">Nobody has gone through this version yet.</EmptyState>
          ) : (
            <div className="table-wrap">
              <table className="table sc-stats">
                <thead>
                  <tr>
                    <th scope="col">Step</th>
                    <th scope="col">Entered</th>
                    <th scope="col">Completed</th>
                    <th scope="col">Dropped</th>
                  </tr>
                </thead>
                <tbody>
                  {nodes.map((s) => (
                    <tr key={s.node}>
                      <th scope="row">
                        <span className="mono">{s.node}</span> <span className="muted small">{kindOf(s.node)}</span>
                      </th>
                      <td>{s.entered}</td>
                      <td>{s.completed}</td>
                      <td>{s.dropped}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {splits.length > 0 && (
            <>
              <h3 className="sc-subtitle">A/B splits</h3>
              <ul className="sc-splits">
                {splits.map((s) => (
                  <li key={`${s.node}-${s.branch}`}>
                    <span className="mono">{s.node}</span> branch {String.fromCharCode(65 + (s.branch % 26))}: {s.picked} picked
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
