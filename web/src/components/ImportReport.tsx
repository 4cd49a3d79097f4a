// An import's progress and per-row report (a stock feed, a contact list):
// the import is polled every 1.5 s until it is over; then its rows can be
// filtered by outcome. The texts come from the caller's namespace under
// `prefix` (`running`, `done`, `failed`, `progressTitle`, `outcomes.*`,
// `show`, `allRows`, `noRows`, `row`, `outcome`, `details`).
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { usePolledQuery } from '../api/query';
import type { FeedImportView, RowOutcome, RowReport } from '../api/types';
import { EmptyState, ErrorState, Loading } from './States';

const OUTCOMES: RowOutcome[] = ['created', 'updated', 'unchanged', 'rejected'];

export function ImportReport({
  path,
  ns,
  prefix = '',
  detail,
  actions,
  onFinished,
}: {
  /** The import's API path. */
  path: string;
  ns: string;
  prefix?: string;
  /** The "details" cell of a row. */
  detail: (r: RowReport) => ReactNode;
  /** Shown once the import is over. */
  actions: ReactNode;
  onFinished?: () => void;
}) {
  const { t: translate } = useTranslation(ns);
  const t = (key: string, opts: Record<string, unknown> = {}) => translate(`${prefix}${key}`, opts);
  const [only, setOnly] = useState<RowOutcome | ''>('');
  const [finished, setFinished] = useState(false);
  // A finished import does not change: asked rarely then.
  const poll = usePolledQuery<FeedImportView>(path, finished ? 600_000 : 1500);
  const status = poll.data?.status;
  useEffect(() => {
    const over = !!status && status !== 'running';
    setFinished(over);
    if (over) onFinished?.();
  }, [status, onFinished]);
  if (poll.isPending) return <Loading label={t('loadingImport')} />;
  if (poll.isError) return <ErrorState title={t('loadError')} error={poll.error} onRetry={() => void poll.refetch()} />;
  const imp = poll.data;
  const rows = imp.report.filter((r) => !only || r.outcome === only);
  return (
    <section className="card" aria-label={t('progressTitle')}>
      <h2>{imp.status === 'running' ? t('running', { done: imp.done_rows, total: imp.total_rows }) : imp.status === 'done' ? t('done') : t('failed')}</h2>
      <progress max={Math.max(imp.total_rows, 1)} value={imp.done_rows} aria-label={t('progressTitle')} />
      {imp.error && <p className="form-error">{imp.error}</p>}
      <ul className="import-counts">
        {OUTCOMES.map((o) => (
          <li key={o}>
            {t(`outcomes.${o}`)}: <strong>{imp.counts[o]}</strong>
          </li>
        ))}
      </ul>
      {imp.status !== 'running' && (
        <>
          <div className="field">
            <label className="field-label" htmlFor={`${imp.id}-only`}>
              {t('show')}
            </label>
            <select id={`${imp.id}-only`} value={only} onChange={(e) => setOnly(e.target.value as RowOutcome | '')}>
              <option value="">{t('allRows')}</option>
              {OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {t(`outcomes.${o}`)}
                </option>
              ))}
            </select>
          </div>
          {rows.length === 0 ? (
            <EmptyState title={t('noRows')} />
          ) : (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th>{t('row')}</th>
                    <th>{t('outcome')}</th>
                    <th>{t('details')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.row}>
                      <td>{r.row}</td>
                      <td>{t(`outcomes.${r.outcome}`)}</td>
                      <td>{detail(r)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <div className="form-actions">{actions}</div>
        </>
      )}
    </section>
  );
}
