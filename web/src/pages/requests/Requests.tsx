import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { useApiQuery } from '../../api/query';
import type { CarRequestList, RequestStatus, Team } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, QueryView } from '../../components/States';
import { formatDate, formatMoney, formatNumber } from '../../i18n/format';
import { memberName } from '../inbox/names';
import { PriorityBadge, StatusBadge } from './parts';
import { STATUSES, wantedCar, years } from './request';

/** Who may write requests (the server checks the same). */
export const WRITE_ROLE = 'manager';

/**
 * `/requests`: the team's car requests, newest first, filtered by status
 * (`?status=open`); each leads to its page with matches and offers.
 */
export function Requests() {
  const { t } = useTranslation('requests');
  const { me } = useAuth();
  const [params, setParams] = useSearchParams();
  const hasWorkspace = !!me?.workspace;
  const canWrite = atLeast(me?.role, WRITE_ROLE);
  const requests = useApiQuery<CarRequestList>(hasWorkspace ? '/api/requests' : null);
  const team = useApiQuery<Team>(hasWorkspace ? '/api/team' : null);
  const raw = params.get('status');
  const status = STATUSES.includes(raw as RequestStatus) ? (raw as RequestStatus) : null;
  const pick = (s: RequestStatus | null) => {
    const next = new URLSearchParams(params);
    if (s) next.set('status', s);
    else next.delete('status');
    setParams(next, { replace: true });
  };

  return (
    <>
      <PageHeader
        title={t('title')}
        subtitle={t('subtitle')}
        actions={
          canWrite &&
          hasWorkspace && (
            <Link to="/requests/new" className="btn btn-primary">
              {t('newButton')}
            </Link>
          )
        }
      />
      {!hasWorkspace ? (
        <EmptyState title={t('common:states.noWorkspace')}>{t('noWorkspace')}</EmptyState>
      ) : (
        <QueryView query={requests} loading={t('loading')} errorTitle={t('loadError')}>
          {(data) => {
            const count = (s: RequestStatus) => data.requests.filter((r) => r.status === s).length;
            const shown = status ? data.requests.filter((r) => r.status === status) : data.requests;
            return (
              <>
                <nav className="tabs b2b-filter" aria-label={t('filterLabel')}>
                  {[null, ...STATUSES].map((s) => (
                    <button
                      key={s ?? 'all'}
                      type="button"
                      className={s === status ? 'tab active' : 'tab'}
                      aria-pressed={s === status}
                      onClick={() => pick(s)}
                    >
                      {s ? t(`statuses.${s}`) : t('filterAll')}
                      <span className="tab-count">{formatNumber(s ? count(s) : data.requests.length)}</span>
                    </button>
                  ))}
                </nav>
                {data.requests.length === 0 ? (
                  <EmptyState title={t('empty')}>
                    <p>{t('emptyBody')}</p>
                    {canWrite && (
                      <Link to="/requests/new" className="btn btn-primary btn-sm">
                        {t('newButton')}
                      </Link>
                    )}
                  </EmptyState>
                ) : shown.length === 0 ? (
                  <EmptyState title={t('emptyFiltered', { status: t(`statuses.${status}`) })}>
                    <button type="button" className="btn btn-secondary btn-sm" onClick={() => pick(null)}>
                      {t('showAll')}
                    </button>
                  </EmptyState>
                ) : (
                  <section className="card" aria-label={t('title')}>
                    <div className="table-wrap">
                      <table className="table b2b-table">
                        <thead>
                          <tr>
                            <th>{t('columns.car')}</th>
                            <th>{t('columns.budget')}</th>
                            <th>{t('columns.status')}</th>
                            <th className="hide-narrow">{t('columns.offers')}</th>
                            <th className="hide-narrow">{t('columns.priority')}</th>
                            <th className="hide-narrow">{t('columns.created')}</th>
                          </tr>
                        </thead>
                        <tbody>
                          {shown.map((r) => (
                            <tr key={r.id} data-request={r.id}>
                              <td>
                                <Link to={`/requests/${encodeURIComponent(r.id)}`}>
                                  <strong className="b2b-wrap">{wantedCar(r)}</strong>
                                </Link>
                                <div className="muted small">{years(r)}</div>
                                {r.conversation && (
                                  <Link className="small" to={`/inbox/${r.conversation}`}>
                                    {t('openChat')}
                                  </Link>
                                )}
                              </td>
                              <td>{formatMoney(r.budget, r.currency)}</td>
                              <td>
                                <StatusBadge status={r.status} />
                                {!r.shared && <div className="muted small">{t('notShared')}</div>}
                              </td>
                              <td className="hide-narrow">{formatNumber(r.offers)}</td>
                              <td className="hide-narrow">
                                <PriorityBadge priority={r.priority} />
                              </td>
                              <td className="hide-narrow">
                                {formatDate(r.created_at)}
                                <div className="muted small">{t('by', { name: memberName(r.created_by, team.data?.members) })}</div>
                              </td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    </div>
                  </section>
                )}
              </>
            );
          }}
        </QueryView>
      )}
    </>
  );
}
