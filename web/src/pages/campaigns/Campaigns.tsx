import { useTranslation } from 'react-i18next';
import { Link, Navigate, useSearchParams } from 'react-router-dom';
import type { CampaignList, CampaignView } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { SelectField } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { formatDate, formatNumber } from '../../i18n/format';
import { formatWallClock, isEditable, isLive, matchesStatus, STATUSES, statusFilterOf, type StatusFilter } from './campaign';
import { useMorePages } from './paging';
import { LoadMore, ProgressBar, StatusBadge } from './parts';

const PAGE = 20;
/** Filtered by status, the list asks for as many as the dashboard counts among (the newest 50). */
const FILTERED_PAGE = 50;

/** `/campaigns`: every campaign, newest first, with how far each got; `?status=active` (or one status) filters them. */
export function Campaigns() {
  const { t } = useTranslation('campaigns');
  const { me } = useAuth();
  const [params, setParams] = useSearchParams();
  const canEdit = atLeast(me?.role, 'manager');
  // A notification's link (`?campaign=<id>`) opens that campaign.
  const open = params.get('campaign');
  if (open) return <Navigate to={`/campaigns/${encodeURIComponent(open)}`} replace />;

  return (
    <>
      <PageHeader
        title={t('title')}
        subtitle={t('subtitle')}
        actions={
          canEdit &&
          me?.workspace && (
            <Link to="/campaigns/new" className="btn btn-primary">
              {t('newButton')}
            </Link>
          )
        }
      />
      {!me?.workspace ? (
        <EmptyState title={t('common:states.noWorkspace')}>{t('noWorkspace')}</EmptyState>
      ) : (
        <CampaignTable
          canEdit={canEdit}
          filter={statusFilterOf(params.get('status'))}
          onFilter={(f) => setParams(f ? { status: f } : {})}
        />
      )}
    </>
  );
}

function CampaignTable({ canEdit, filter, onFilter }: { canEdit: boolean; filter: StatusFilter; onFilter: (f: StatusFilter) => void }) {
  const { t } = useTranslation('campaigns');
  // Asked every few seconds while one of the first page's campaigns is sending.
  const list = useMorePages<CampaignList, CampaignView>(`/api/campaigns?limit=${filter ? FILTERED_PAGE : PAGE}`, (c) => c.id, (first) =>
    first?.items.some((c) => isLive(c.status)) ? 3000 : false,
  );
  const sending = list.items.some((c) => isLive(c.status));
  // The status filter applies to the campaigns loaded so far ("Load more" looks further).
  const shown = list.items.filter((c) => matchesStatus(filter, c.status));
  return (
    <section className="card" aria-label={t('title')}>
      {(filter || list.items.length > 0) && (
        <div className="campaigns-filter">
          <SelectField label={t('filter.label')} name="status" value={filter} onChange={(e) => onFilter(statusFilterOf(e.target.value))}>
            <option value="">{t('filter.all')}</option>
            <option value="active">{t('filter.active')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </SelectField>
          {filter && (
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => onFilter('')}>
              {t('filter.clear')}
            </button>
          )}
        </div>
      )}
      {list.loading ? (
        <Loading label={t('loading')} />
      ) : list.error ? (
        <ErrorState title={t('loadError')} error={list.error} onRetry={list.reload} />
      ) : filter && shown.length === 0 ? (
        <>
          <EmptyState title={t('filter.none')}>
            <p>{list.hasMore ? t('filter.noneLoaded') : t('filter.noneBody')}</p>
            <button type="button" className="btn btn-secondary btn-sm" onClick={() => onFilter('')}>
              {t('filter.clear')}
            </button>
          </EmptyState>
          <LoadMore list={list} label={t('loadMore')} />
        </>
      ) : list.items.length === 0 && !list.hasMore ? (
        <EmptyState title={t('empty')}>
          <p>{t('emptyBody')}</p>
          {canEdit && (
            <Link to="/campaigns/new" className="btn btn-primary btn-sm">
              {t('newButton')}
            </Link>
          )}
        </EmptyState>
      ) : (
        <>
          {sending && (
            <p className="muted small" role="status">
              {t('sendingNow')}
            </p>
          )}
          <div className="table-wrap">
            <table className="table campaigns-table">
              <thead>
                <tr>
                  <th>{t('columns.name')}</th>
                  <th>{t('columns.status')}</th>
                  <th>{t('columns.progress')}</th>
                  <th className="hide-narrow">{t('columns.scheduled')}</th>
                  <th className="hide-narrow">{t('columns.created')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((c) => (
                  <tr key={c.id} data-campaign={c.name} data-status={c.status}>
                    <td>
                      <Link to={`/campaigns/${encodeURIComponent(c.id)}`}>
                        <strong className="break">{c.name}</strong>
                      </Link>
                      {c.segment_name && <div className="muted small break">{c.segment_name}</div>}
                    </td>
                    <td>
                      <StatusBadge status={c.status} />
                    </td>
                    <td className="campaigns-progress-cell">
                      {isEditable(c.status) ? (
                        <span className="muted small">
                          {c.audience_count != null ? t('audienceOf', { count: c.audience_count, n: formatNumber(c.audience_count) }) : '—'}
                        </span>
                      ) : (
                        <>
                          <ProgressBar percent={c.progress.percent} label={t('progressOf', { name: c.name })} />
                          <span className="muted small">
                            {t('progress.sentOf', { count: c.progress.total, sent: formatNumber(c.progress.sent), total: formatNumber(c.progress.total) })}
                          </span>
                        </>
                      )}
                    </td>
                    <td className="hide-narrow">
                      {c.send_at ? (
                        <>
                          {formatWallClock(c.send_at)}
                          <div className="muted small" translate="no">
                            {c.time_zone}
                          </div>
                        </>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td className="hide-narrow">{formatDate(c.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <LoadMore list={list} label={t('loadMore')} />
        </>
      )}
    </section>
  );
}
