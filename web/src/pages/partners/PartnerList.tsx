import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { api, seg } from '../../api/client';
import { invalidate, useApiQuery } from '../../api/query';
import type { InvitePartnerRequest, PartnerList as PartnerListView, PartnerStatus, PartnerView } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState, FormError, QueryView } from '../../components/States';
import { formatDate } from '../../i18n/format';
import { CompanyCard } from './parts';

/** Who may invite, answer and remove partners (the server checks the same). */
export const ADMIN_ROLE = 'admin';

export function PartnerStatusBadge({ status }: { status: PartnerStatus }) {
  const { t } = useTranslation('partners');
  return <span className={`b2b-status b2b-partner-${status}`}>{t(`statuses.${status}`, { defaultValue: status })}</span>;
}

/** After a partnership changed: the list, and the requests partners share. */
export function refreshPartners(client: ReturnType<typeof useQueryClient>) {
  void invalidate(client, '/api/partners');
  void invalidate(client, '/api/partner-requests');
}

/** `/partners`: invitations to answer first, then partners; `?invitation=<workspace id>` marks one. */
export function PartnerList() {
  const { t } = useTranslation('partners');
  const { me } = useAuth();
  const client = useQueryClient();
  const [params] = useSearchParams();
  const highlight = params.get('invitation');
  const canManage = atLeast(me?.role, ADMIN_ROLE);
  const partners = useApiQuery<PartnerListView>('/api/partners');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [removing, setRemoving] = useState<PartnerView | null>(null);

  // A notification's link: bring that invitation into view.
  const loaded = partners.data !== undefined;
  useEffect(() => {
    if (!highlight || !loaded) return;
    const el = [...document.querySelectorAll<HTMLElement>('[data-partner]')].find((e) => e.dataset.partner === highlight);
    el?.scrollIntoView?.({ block: 'center' });
  }, [highlight, loaded]);

  const run = async (p: PartnerView, what: string, call: () => Promise<unknown>, done: string) => {
    setBusy(`${what}-${p.partner_id}`);
    setError(null);
    setNotice(null);
    try {
      await call();
      refreshPartners(client);
      setNotice(done);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };
  const path = (p: PartnerView) => `/api/partners/${seg(p.partner_id)}`;
  const name = (p: PartnerView) => p.profile.name || p.slug;
  const accept = (p: PartnerView) => run(p, 'accept', () => api(`${path(p)}/accept`, { method: 'POST' }), t('list.acceptedNotice', { name: name(p) }));
  const decline = (p: PartnerView) => run(p, 'decline', () => api(`${path(p)}/decline`, { method: 'POST' }), t('list.declinedNotice', { name: name(p) }));
  const inviteAgain = (p: PartnerView) => {
    const body: InvitePartnerRequest = { slug: p.slug };
    return run(p, 'invite', () => api('/api/partners', { method: 'POST', body }), t('list.invitedNotice', { name: name(p) }));
  };
  const remove = async (p: PartnerView) => {
    await run(p, 'remove', () => api(path(p), { method: 'DELETE' }), t(p.status === 'invited' ? 'list.withdrawnNotice' : 'list.removedNotice', { name: name(p) }));
    setRemoving(null);
  };

  return (
    <section aria-label={t('tabs.partners')}>
      {notice && (
        <p className="notice notice-ok" role="status">
          {notice}
        </p>
      )}
      <FormError error={error} />
      <QueryView query={partners} loading={t('list.loading')} errorTitle={t('list.loadError')}>
        {(data) =>
          data.items.length === 0 ? (
            <EmptyState title={t('list.empty')}>
              <p>{t('list.emptyBody')}</p>
              <Link to="/partners/invite" className="btn btn-primary btn-sm">
                {t('list.inviteButton')}
              </Link>
            </EmptyState>
          ) : (
            <ul className="b2b-cards b2b-partners">
              {data.items.map((p) => {
                const busyOn = busy && busy.endsWith(`-${p.partner_id}`) ? busy.split('-')[0] : null;
                return (
                  <li
                    key={p.partner_id}
                    className={highlight === p.partner_id ? 'card b2b-partner b2b-highlight' : 'card b2b-partner'}
                    data-partner={p.partner_id}
                    data-status={p.status}
                  >
                    <div className="b2b-offer-head">
                      <h3 className="b2b-wrap">{name(p)}</h3>
                      <PartnerStatusBadge status={p.status} />
                    </div>
                    <CompanyCard profile={p.profile} slug={p.slug} />
                    <p className="muted small">
                      {t(`list.since.${p.status}`, { date: formatDate(p.updated_at), defaultValue: formatDate(p.updated_at) })}
                    </p>
                    {p.status === 'pending' && <p className="small">{t('list.pendingHint')}</p>}
                    {canManage && (
                      <div className="b2b-offer-actions">
                        {p.status === 'pending' && (
                          <>
                            <button type="button" className="btn btn-primary btn-sm" disabled={busy !== null} onClick={() => void accept(p)}>
                              {busyOn === 'accept' ? t('common:states.working') : t('list.accept')}
                            </button>
                            <button type="button" className="btn btn-secondary btn-sm" disabled={busy !== null} onClick={() => void decline(p)}>
                              {busyOn === 'decline' ? t('common:states.working') : t('list.decline')}
                            </button>
                          </>
                        )}
                        {p.status === 'declined' && (
                          <button type="button" className="btn btn-secondary btn-sm" disabled={busy !== null} onClick={() => void inviteAgain(p)}>
                            {busyOn === 'invite' ? t('common:states.working') : t('list.inviteAgain')}
                          </button>
                        )}
                        {p.status !== 'pending' && (
                          <button type="button" className="btn btn-ghost btn-sm btn-danger-text" disabled={busy !== null} onClick={() => setRemoving(p)}>
                            {p.status === 'invited' ? t('list.withdraw') : t('list.remove')}
                          </button>
                        )}
                      </div>
                    )}
                    {p.status === 'active' && (
                      <Link className="small" to="/partners/requests">
                        {t('list.seeRequests')}
                      </Link>
                    )}
                  </li>
                );
              })}
            </ul>
          )
        }
      </QueryView>
      {removing && (
        <ConfirmDialog
          title={removing.status === 'invited' ? t('list.withdrawTitle', { name: name(removing) }) : t('list.removeTitle', { name: name(removing) })}
          confirmLabel={removing.status === 'invited' ? t('list.withdraw') : t('list.remove')}
          busy={busy !== null}
          onConfirm={() => void remove(removing)}
          onCancel={() => setRemoving(null)}
        >
          <p>{removing.status === 'invited' ? t('list.withdrawBody') : t('list.removeBody', { name: name(removing) })}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
