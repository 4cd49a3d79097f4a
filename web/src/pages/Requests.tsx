import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useApiQuery } from '../api/query';
import type { CarRequestList, CarRequestView, Team } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { PageHeader } from '../components/PageHeader';
import { EmptyState, QueryView } from '../components/States';
import { i18n } from '../i18n';
import { formatDate, formatMoney } from '../i18n/format';
import { memberName } from './inbox/names';

/** A request's years as a dealer reads them ("2019–2021", "from 2019"). */
export function years(r: CarRequestView): string {
  const t = i18n.t.bind(i18n);
  if (r.year_from && r.year_to) return r.year_from === r.year_to ? String(r.year_from) : `${r.year_from}–${r.year_to}`;
  if (r.year_from) return t('requests:yearsFrom', { year: r.year_from });
  if (r.year_to) return t('requests:yearsTo', { year: r.year_to });
  return t('requests:yearsAny');
}

export function Requests() {
  const { t } = useTranslation('requests');
  const { me } = useAuth();
  const hasWorkspace = !!me?.workspace;
  const requests = useApiQuery<CarRequestList>(hasWorkspace ? '/api/requests' : null);
  const team = useApiQuery<Team>(hasWorkspace ? '/api/team' : null);

  return (
    <>
      <PageHeader title={t('title')} subtitle={t('subtitle')} />
      <p className="muted small">
        <Trans t={t} i18nKey="note" components={{ inbox: <Link to="/inbox" /> }} />
      </p>
      {!hasWorkspace ? (
        <EmptyState title={t('common:states.noWorkspace')}>{t('noWorkspace')}</EmptyState>
      ) : (
        <QueryView query={requests} loading={t('loading')} errorTitle={t('loadError')}>
          {(data) =>
            data.requests.length === 0 ? (
              <EmptyState title={t('empty')}>
                <Trans t={t} i18nKey="emptyBody" components={{ inbox: <Link to="/inbox" /> }} />
              </EmptyState>
            ) : (
              <section className="card">
                <div className="table-wrap">
                  <table className="table">
                    <thead>
                      <tr>
                        <th>{t('car')}</th>
                        <th>{t('years')}</th>
                        <th>{t('budget')}</th>
                        <th>{t('priority')}</th>
                        <th>{t('status')}</th>
                        <th>{t('created')}</th>
                        <th>{t('source')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.requests.map((r) => (
                        <tr key={r.id}>
                          <td>
                            <strong>{r.make}</strong> {r.model}
                          </td>
                          <td>{years(r)}</td>
                          <td>{formatMoney(r.budget, r.currency)}</td>
                          <td>
                            <span className={`priority priority-${r.priority}`}>
                              {t(`common:priorities.${r.priority}`, { defaultValue: r.priority })}
                            </span>
                          </td>
                          <td>
                            <span className="pill pill-status">{t(`statuses.${r.status}`, { defaultValue: r.status })}</span>
                          </td>
                          <td>
                            {formatDate(r.created_at)}
                            <div className="muted small">{t('by', { name: memberName(r.created_by, team.data?.members) })}</div>
                          </td>
                          <td>{r.conversation ? <Link to={`/inbox/${r.conversation}`}>{t('openChat')}</Link> : '—'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </section>
            )
          }
        </QueryView>
      )}
    </>
  );
}
