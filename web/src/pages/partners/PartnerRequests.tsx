import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useApiQuery } from '../../api/query';
import type { PartnerRequestList } from '../../api/types';
import { EmptyState, QueryView } from '../../components/States';
import { formatDate, formatMoney } from '../../i18n/format';
import { PriorityBadge, StatusBadge } from '../requests/parts';
import { formatDay, wantedCar, years } from '../requests/request';

/** The address of a partner's request on this side. */
export const partnerRequestPath = (partnerId: string, requestId: string) =>
  `/partners/requests/${encodeURIComponent(partnerId)}/${encodeURIComponent(requestId)}`;

/** `/partners/requests`: the requests partners share with you, newest first. */
export function PartnerRequests() {
  const { t } = useTranslation('partners');
  const list = useApiQuery<PartnerRequestList>('/api/partner-requests');
  return (
    <QueryView query={list} loading={t('requests.loading')} errorTitle={t('requests.loadError')}>
      {(data) =>
        data.items.length === 0 ? (
          <EmptyState title={t('requests.empty')}>
            <p>{t('requests.emptyBody')}</p>
          </EmptyState>
        ) : (
          <section className="card" aria-label={t('tabs.requests')}>
            <div className="table-wrap">
              <table className="table b2b-table">
                <thead>
                  <tr>
                    <th>{t('requests.columns.car')}</th>
                    <th>{t('requests.columns.budget')}</th>
                    <th>{t('requests.columns.partner')}</th>
                    <th className="hide-narrow">{t('requests.columns.status')}</th>
                    <th className="hide-narrow">{t('requests.columns.deadline')}</th>
                    <th className="hide-narrow">{t('requests.columns.posted')}</th>
                  </tr>
                </thead>
                <tbody>
                  {[...data.items].sort((a, b) => b.request.created_at.localeCompare(a.request.created_at)).map(({ partner_id, partner_name, request: r }) => (
                    <tr key={`${partner_id}/${r.id}`} data-request={r.id}>
                      <td>
                        <Link to={partnerRequestPath(partner_id, r.id)}>
                          <strong className="b2b-wrap">{wantedCar(r)}</strong>
                        </Link>
                        <div className="muted small">{years(r)}</div>
                      </td>
                      <td>{formatMoney(r.budget, r.currency)}</td>
                      <td className="b2b-wrap">{partner_name}</td>
                      <td className="hide-narrow">
                        <StatusBadge status={r.status} /> {r.priority !== 'normal' && <PriorityBadge priority={r.priority} />}
                      </td>
                      <td className="hide-narrow">{formatDay(r.deadline)}</td>
                      <td className="hide-narrow">{formatDate(r.created_at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        )
      }
    </QueryView>
  );
}
