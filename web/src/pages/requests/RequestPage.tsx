import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { api, seg } from '../../api/client';
import { invalidate, keyOf, useApiQuery } from '../../api/query';
import type { HistoryView, OfferView, RequestDetailView, RequestInput, RequestStatus, RequestStatusRequest, Team } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, FormError, QueryView } from '../../components/States';
import { formatDate, formatMoney, formatNumber } from '../../i18n/format';
import { memberName } from '../inbox/names';
import { CarFacts, MatchCard, OfferStatusBadge, StatusBadge, Thread, WantedFacts } from './parts';
import { carLabel, EMPTY_REQUEST, formValues, isLive, moves, wantedCar, years } from './request';
import { RequestForm } from './RequestForm';
import { WRITE_ROLE } from './Requests';

/** How often the page asks again: every 2 s while the first matching runs, now and then while the request is live. */
function pollEvery(d: RequestDetailView | undefined): number | false {
  if (!d || !isLive(d.request.status)) return false;
  return d.request.matched_at ? 10_000 : 2000;
}

/** `/requests/new` (the form) and `/requests/:id` (a request with its matches, offers and history). */
export function RequestPage() {
  const { t } = useTranslation('requests');
  const { me } = useAuth();
  const { id = 'new' } = useParams();
  if (!me?.workspace) {
    return (
      <>
        <PageHeader title={t('title')} />
        <EmptyState title={t('common:states.noWorkspace')}>{t('noWorkspace')}</EmptyState>
      </>
    );
  }
  return id === 'new' ? <NewRequest /> : <RequestDetail key={id} id={id} />;
}

const back = (label: string) => (
  <Link to="/requests" className="btn btn-secondary">
    {label}
  </Link>
);

function NewRequest() {
  const { t } = useTranslation('requests');
  const { me } = useAuth();
  const client = useQueryClient();
  const navigate = useNavigate();
  if (!atLeast(me?.role, WRITE_ROLE)) {
    return (
      <>
        <PageHeader title={t('form.newTitle')} actions={back(t('backToList'))} />
        <EmptyState title={t('onlyManagers')}>{t('onlyManagersBody')}</EmptyState>
      </>
    );
  }
  const create = async (body: RequestInput) => {
    const d = await api<RequestDetailView>('/api/requests', { method: 'POST', body });
    void invalidate(client, '/api/requests', { exact: true });
    client.setQueryData(keyOf(`/api/requests/${seg(d.request.id)}`), d);
    navigate(`/requests/${encodeURIComponent(d.request.id)}`, { replace: true, state: { created: d.request.status } });
  };
  return (
    <>
      <PageHeader title={t('form.newTitle')} subtitle={t('form.newSubtitle')} actions={back(t('backToList'))} />
      <section className="card">
        <RequestForm initial={EMPTY_REQUEST} isNew onSubmit={create} onCancel={() => navigate('/requests')} />
      </section>
    </>
  );
}

function RequestDetail({ id }: { id: string }) {
  const { t } = useTranslation('requests');
  const { me } = useAuth();
  const client = useQueryClient();
  const path = `/api/requests/${seg(id)}`;
  const detail = useApiQuery<RequestDetailView>(path, { refetchInterval: (q) => pollEvery(q.state.data) });
  const team = useApiQuery<Team>('/api/team');
  const canWrite = atLeast(me?.role, WRITE_ROLE);
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  // Just created on the form: say what happens next.
  const created = (useLocation().state as { created?: RequestStatus } | null)?.created;
  const [notice, setNotice] = useState<string | null>(() => (created ? t(created === 'draft' ? 'createdDraft' : 'createdOpen') : null));
  const [accepting, setAccepting] = useState<OfferView | null>(null);

  /** Sends a change; the answer is the request as it is now. */
  const send = async (what: string, url: string, body?: unknown): Promise<RequestDetailView | null> => {
    setBusy(what);
    setError(null);
    setNotice(null);
    try {
      const d = await api<RequestDetailView>(url, { method: 'POST', body });
      client.setQueryData(keyOf(path), d);
      void invalidate(client, '/api/requests', { exact: true });
      return d;
    } catch (err) {
      setError(err);
      return null;
    } finally {
      setBusy(null);
    }
  };

  const move = async (to: RequestStatus) => {
    const body: RequestStatusRequest = { status: to };
    const d = await send(`status-${to}`, `${path}/status`, body);
    if (d) setNotice(t('moved', { status: t(`statuses.${d.request.status}`) }));
  };

  const answer = async (o: OfferView, accept: boolean) => {
    const d = await send(`offer-${o.id}`, `${path}/offers/${seg(o.id)}/${accept ? 'accept' : 'decline'}`);
    setAccepting(null);
    if (d) setNotice(t(accept ? 'offers.acceptedNotice' : 'offers.declinedNotice', { partner: o.partner_name }));
  };

  const comment = async (o: OfferView, text: string) => {
    const d = await api<RequestDetailView>(`${path}/offers/${seg(o.id)}/comments`, { method: 'POST', body: { text } });
    client.setQueryData(keyOf(path), d);
  };

  const save = async (body: RequestInput) => {
    const d = await api<RequestDetailView>(path, { method: 'PUT', body });
    client.setQueryData(keyOf(path), d);
    void invalidate(client, '/api/requests', { exact: true });
    setEditing(false);
    setNotice(t('saved'));
  };

  return (
    <QueryView query={detail} loading={t('detail.loading')} errorTitle={t('detail.loadError')}>
      {(d) => {
        const r = d.request;
        const live = isLive(r.status);
        const matching = live && !r.matched_at;
        const matches = [...d.matches].sort((a, b) => b.score - a.score);
        return (
          <>
            <PageHeader
              title={`${wantedCar(r)} · ${years(r)}`}
              subtitle={
                <span className="b2b-subtitle">
                  <StatusBadge status={r.status} />{' '}
                  {t('detail.createdBy', { date: formatDate(r.created_at), name: memberName(r.created_by, team.data?.members) })}
                </span>
              }
              actions={
                <>
                  {back(t('backToList'))}
                  {canWrite && !editing && (
                    <button type="button" className="btn btn-secondary" onClick={() => setEditing(true)}>
                      {t('common:actions.edit')}
                    </button>
                  )}
                </>
              }
            />
            {notice && (
              <p className="notice notice-ok" role="status">
                {notice}
              </p>
            )}
            <FormError error={error} />
            <div className="b2b-detail">
              <section className="card b2b-wanted" aria-labelledby="wanted-title">
                <h2 id="wanted-title">{editing ? t('form.editTitle') : t('detail.wanted')}</h2>
                {editing ? (
                  <RequestForm initial={formValues(r)} isNew={false} onSubmit={save} onCancel={() => setEditing(false)} />
                ) : (
                  <>
                    <WantedFacts request={r} />
                    {r.conversation && (
                      <p className="small">
                        <Link to={`/inbox/${r.conversation}`}>{t('openChat')}</Link>
                      </p>
                    )}
                  </>
                )}
                {canWrite && !editing && moves(r.status).length > 0 && (
                  <div className="b2b-moves" role="group" aria-label={t('detail.moveLabel')}>
                    {moves(r.status).map((to) => (
                      <button
                        key={to}
                        type="button"
                        className={to === 'won' ? 'btn btn-primary btn-sm' : 'btn btn-secondary btn-sm'}
                        disabled={busy !== null}
                        onClick={() => void move(to)}
                      >
                        {busy === `status-${to}` ? t('common:states.working') : t(`moves.${to === 'open' && r.status !== 'draft' ? 'reopen' : to}`)}
                      </button>
                    ))}
                  </div>
                )}
              </section>

              <section className="b2b-section" aria-labelledby="matches-title">
                <h2 id="matches-title">
                  {t('matches.title')} <span className="tab-count">{formatNumber(matches.length)}</span>
                </h2>
                {matching ? (
                  <div className="state state-loading" role="status" aria-live="polite">
                    <span className="spinner" aria-hidden="true" />
                    <span>{t('matches.matching')}</span>
                  </div>
                ) : matches.length === 0 ? (
                  <p className="muted">{r.status === 'draft' ? t('matches.draft') : live ? t('matches.none') : t('matches.closed')}</p>
                ) : (
                  <>
                    {!r.shared && <p className="muted small">{t('matches.ownOnly')}</p>}
                    <ul className="b2b-cards">
                      {matches.map((m) => (
                        <MatchCard
                          key={`${m.partner_id ?? ''}:${m.car_id}`}
                          match={m}
                          request={r}
                          whose={m.partner_id ? t('matches.partnerStock', { partner: m.partner_name ?? t('matches.aPartner') }) : t('matches.yourStock')}
                        />
                      ))}
                    </ul>
                  </>
                )}
              </section>

              <section className="b2b-section" aria-labelledby="offers-title">
                <h2 id="offers-title">
                  {t('offers.title')} <span className="tab-count">{formatNumber(d.offers.length)}</span>
                </h2>
                {d.offers.length === 0 ? (
                  <p className="muted">{r.shared ? t('offers.none') : t('offers.notShared')}</p>
                ) : (
                  <ul className="b2b-cards b2b-offers">
                    {d.offers.map((o) => (
                      <li key={o.id} className={`card b2b-offer b2b-offer-card-${o.status}`} data-offer={o.id}>
                        <div className="b2b-offer-head">
                          <strong>{o.partner_name}</strong>
                          <OfferStatusBadge status={o.status} />
                        </div>
                        <h3>{carLabel(o.car)}</h3>
                        <CarFacts car={o.car} />
                        <div className="b2b-offer-price">{formatMoney(o.price, o.currency)}</div>
                        {o.car.price !== o.price && o.car.currency === o.currency && (
                          <div className="muted small">{t('offers.listPrice', { price: formatMoney(o.car.price, o.car.currency) })}</div>
                        )}
                        <div className="muted small">{t('offers.sentAt', { date: formatDate(o.created_at, true) })}</div>
                        {canWrite && o.status === 'sent' && (
                          <div className="b2b-offer-actions">
                            {live && (
                              <button type="button" className="btn btn-primary btn-sm" disabled={busy !== null} onClick={() => setAccepting(o)}>
                                {t('offers.accept')}
                              </button>
                            )}
                            <button type="button" className="btn btn-secondary btn-sm" disabled={busy !== null} onClick={() => void answer(o, false)}>
                              {busy === `offer-${o.id}` ? t('common:states.working') : t('offers.decline')}
                            </button>
                          </div>
                        )}
                        <h4 className="b2b-thread-title">{t('thread.title')}</h4>
                        <Thread
                          comments={o.comments}
                          label={t('thread.with', { partner: o.partner_name })}
                          onSend={canWrite ? (text) => comment(o, text) : undefined}
                        />
                      </li>
                    ))}
                  </ul>
                )}
              </section>

              <section className="card b2b-section" aria-labelledby="history-title">
                <h2 id="history-title">{t('history.title')}</h2>
                <ol className="b2b-history">
                  {d.history.map((h, i) => (
                    <li key={`${h.at}-${i}`}>
                      <span className="muted small">{formatDate(h.at, true)}</span> <span>{historyText(t, h)}</span>{' '}
                      {/* An offer's sender is the partner the line names already. */}
                      {h.by && h.change.kind !== 'offer_received' && (
                        <span className="muted small">{t('by', { name: memberName(h.by, team.data?.members) })}</span>
                      )}
                    </li>
                  ))}
                </ol>
              </section>
            </div>
            {accepting && (
              <ConfirmDialog
                title={t('offers.acceptTitle')}
                confirmLabel={t('offers.accept')}
                busy={busy !== null}
                onConfirm={() => void answer(accepting, true)}
                onCancel={() => setAccepting(null)}
              >
                <p>{t('offers.acceptBody', { partner: accepting.partner_name, car: carLabel(accepting.car), price: formatMoney(accepting.price, accepting.currency) })}</p>
              </ConfirmDialog>
            )}
          </>
        );
      }}
    </QueryView>
  );
}

type T = ReturnType<typeof useTranslation>['t'];

/** One line of a request's history in the reader's words. */
function historyText(t: T, h: HistoryView): string {
  const c = h.change;
  switch (c.kind) {
    case 'created':
      return t('history.created');
    case 'edited':
      return t('history.edited', { fields: c.fields.map((f) => t(`history.fields.${f}`, { defaultValue: f })).join(', ') });
    case 'status':
      return t('history.status', { from: t(`statuses.${c.from}`), to: t(`statuses.${c.to}`) });
    case 'offer_received':
      return t('history.offerReceived', { partner: c.partner });
    case 'offer_accepted':
      return t('history.offerAccepted', { partner: c.partner });
    case 'offer_declined':
      return t('history.offerDeclined', { partner: c.partner });
    default:
      return t('history.unknown');
  }
}
