import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, ApiError, seg } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { keyOf, useApiQuery } from '../../api/query';
import type { MatchView, NewOfferRequest, PartnerRequestView } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { SelectField, TextAreaField, TextField } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { FormError, QueryView } from '../../components/States';
import { formatDate, formatMoney, formatNumber } from '../../i18n/format';
import { CarFacts, MatchCard, OfferStatusBadge, StatusBadge, Thread, WantedFacts } from '../requests/parts';
import { carLabel, CURRENCIES, isLive, wantedCar, whole, years } from '../requests/request';

/** Who may offer cars and comment (the server checks the same). */
const OFFER_ROLE = 'manager';

interface OfferDraft {
  car_id: string;
  price: string;
  currency: string;
  comment: string;
}

/**
 * `/partners/requests/:partnerId/:requestId`: a partner's shared request,
 * your cars that match it, an offer form filled from one of them, and your
 * offers with their threads.
 */
export function PartnerRequestPage({ partnerId, requestId }: { partnerId: string; requestId: string }) {
  const { t } = useTranslation('partners');
  const { me } = useAuth();
  const client = useQueryClient();
  const canOffer = atLeast(me?.role, OFFER_ROLE);
  const path = `/api/partner-requests/${seg(partnerId)}/${seg(requestId)}`;
  // Asked again now and then while it is live: the partner may answer an offer.
  const view = useApiQuery<PartnerRequestView>(path, { refetchInterval: (q) => (isLive(q.state.data?.request.status) ? 10_000 : false) });
  const [draft, setDraft] = useState<OfferDraft | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const startOffer = (m: MatchView) => {
    setNotice(null);
    setDraft({ car_id: m.car_id, price: String(m.car.price), currency: m.car.currency, comment: '' });
    // The form sits under the matches; bring it into view on a phone.
    window.setTimeout(() => document.getElementById('offer-form')?.scrollIntoView?.({ block: 'start', behavior: 'smooth' }), 0);
  };

  const comment = async (offerId: string, text: string) => {
    const v = await api<PartnerRequestView>(`${path}/offers/${seg(offerId)}/comments`, { method: 'POST', body: { text } });
    client.setQueryData(keyOf(path), v);
  };

  const back = (
    <Link to="/partners/requests" className="btn btn-secondary">
      {t('request.back')}
    </Link>
  );

  return (
    <QueryView query={view} loading={t('request.loading')} errorTitle={t('request.loadError')}>
      {(v) => {
        const r = v.request;
        const live = isLive(r.status);
        const offered = new Set(v.my_offers.map((o) => o.car_id));
        const matches = [...v.my_matches].sort((a, b) => b.score - a.score);
        return (
          <>
            <PageHeader
              title={`${wantedCar(r)} · ${years(r)}`}
              subtitle={
                <span className="b2b-subtitle">
                  <StatusBadge status={r.status} /> {t('request.from', { partner: v.partner_name, date: formatDate(r.created_at) })}
                </span>
              }
              actions={back}
            />
            {notice && (
              <p className="notice notice-ok" role="status">
                {notice}
              </p>
            )}
            {!live && <p className="notice notice-warn">{t('request.closed')}</p>}
            <div className="b2b-detail">
              <section className="card b2b-wanted" aria-labelledby="wanted-title">
                <h2 id="wanted-title">{t('request.wanted')}</h2>
                <WantedFacts request={r} partnerView />
              </section>

              <section className="b2b-section" aria-labelledby="my-matches-title">
                <h2 id="my-matches-title">
                  {t('request.myMatches')} <span className="tab-count">{formatNumber(matches.length)}</span>
                </h2>
                {matches.length === 0 ? (
                  <p className="muted">{t('request.noMatches')}</p>
                ) : (
                  <ul className="b2b-cards">
                    {matches.map((m) => (
                      <MatchCard
                        key={m.car_id}
                        match={m}
                        request={r}
                        whose={null}
                        action={
                          canOffer && live ? (
                            offered.has(m.car_id) ? (
                              <p className="muted small">{t('request.alreadyOffered')}</p>
                            ) : (
                              <button type="button" className="btn btn-primary btn-sm" onClick={() => startOffer(m)}>
                                {t('request.offerThis')}
                              </button>
                            )
                          ) : null
                        }
                      />
                    ))}
                  </ul>
                )}
              </section>

              {draft && canOffer && live && (
                <OfferForm
                  key={draft.car_id}
                  path={path}
                  draft={draft}
                  matches={matches.filter((m) => !offered.has(m.car_id))}
                  onCancel={() => setDraft(null)}
                  onSent={(next, car) => {
                    client.setQueryData(keyOf(path), next);
                    setDraft(null);
                    setNotice(t('offer.sentNotice', { car, partner: v.partner_name }));
                  }}
                />
              )}

              <section className="b2b-section" aria-labelledby="my-offers-title">
                <h2 id="my-offers-title">
                  {t('request.myOffers')} <span className="tab-count">{formatNumber(v.my_offers.length)}</span>
                </h2>
                {v.my_offers.length === 0 ? (
                  <p className="muted">{t('request.noOffers')}</p>
                ) : (
                  <ul className="b2b-cards b2b-offers">
                    {v.my_offers.map((o) => (
                      <li key={o.id} className={`card b2b-offer b2b-offer-card-${o.status}`} data-offer={o.id}>
                        <div className="b2b-offer-head">
                          <h3>{carLabel(o.car)}</h3>
                          <OfferStatusBadge status={o.status} />
                        </div>
                        <CarFacts car={o.car} />
                        <div className="b2b-offer-price">{formatMoney(o.price, o.currency)}</div>
                        <div className="muted small">{t('offer.sentAt', { date: formatDate(o.created_at, true) })}</div>
                        <h4 className="b2b-thread-title">{t('requests:thread.title')}</h4>
                        <Thread
                          comments={o.comments}
                          label={t('requests:thread.with', { partner: v.partner_name })}
                          onSend={canOffer ? (text) => comment(o.id, text) : undefined}
                        />
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            </div>
          </>
        );
      }}
    </QueryView>
  );
}

/** "Offer this car": the car (one of your matches), your B2B price, its currency and a first comment. */
function OfferForm({
  path,
  draft,
  matches,
  onCancel,
  onSent,
}: {
  path: string;
  draft: OfferDraft;
  matches: MatchView[];
  onCancel: () => void;
  onSent: (v: PartnerRequestView, car: string) => void;
}) {
  const { t } = useTranslation('partners');
  const [v, setV] = useState<OfferDraft>(draft);
  const [errors, setErrors] = useState<{ car_id?: string; price?: string; currency?: string; comment?: string }>({});
  const [general, setGeneral] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof OfferDraft) => (e: { target: { value: string } }) => setV((x) => ({ ...x, [k]: e.target.value }));
  const pickCar = (e: { target: { value: string } }) => {
    const m = matches.find((x) => x.car_id === e.target.value);
    setV((x) => ({ ...x, car_id: e.target.value, ...(m ? { price: String(m.car.price), currency: m.car.currency } : {}) }));
  };
  const car = matches.find((m) => m.car_id === v.car_id);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setGeneral(null);
    const price = whole(v.price);
    if (price === null || price === 'bad' || price <= 0) {
      setErrors({ price: t('offer.priceBad') });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const body: NewOfferRequest = { car_id: v.car_id, price, currency: v.currency, comment: v.comment.trim() || null };
      const next = await api<PartnerRequestView>(`${path}/offers`, { method: 'POST', body });
      onSent(next, car ? carLabel(car.car) : v.car_id);
    } catch (err) {
      if (err instanceof ApiError && (err.field === 'car_id' || err.field === 'price' || err.field === 'currency')) setErrors({ [err.field]: errorMessage(err) });
      else if (err instanceof ApiError && err.field === 'text') setErrors({ comment: errorMessage(err) });
      else setGeneral(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card b2b-offer-form" id="offer-form" aria-labelledby="offer-form-title">
      <h2 id="offer-form-title">{t('offer.title')}</h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <FormError error={general} />
        <fieldset className="b2b-fieldset" disabled={busy}>
          <SelectField label={t('offer.car')} name="car_id" value={v.car_id} onChange={pickCar} error={errors.car_id}>
            {matches.map((m) => (
              <option key={m.car_id} value={m.car_id}>
                {carLabel(m.car)} · {formatMoney(m.car.price, m.car.currency)}
              </option>
            ))}
          </SelectField>
          {car && (
            <p className="muted small">{t('offer.listPrice', { price: formatMoney(car.car.price, car.car.currency) })}</p>
          )}
          <div className="form-row">
            <TextField grow required label={t('offer.price')} name="price" inputMode="numeric" value={v.price} onChange={set('price')} error={errors.price} hint={t('offer.priceHint')} />
            <SelectField label={t('offer.currency')} name="currency" value={v.currency} onChange={set('currency')} error={errors.currency}>
              {(CURRENCIES.includes(v.currency) ? CURRENCIES : [v.currency, ...CURRENCIES]).map((c) => (
                <option key={c} value={c} translate="no">
                  {c}
                </option>
              ))}
            </SelectField>
          </div>
          <TextAreaField label={t('offer.comment')} name="comment" rows={3} value={v.comment} onChange={set('comment')} error={errors.comment} placeholder={t('offer.commentExample')} />
          <div className="form-actions">
            <button type="submit" className="btn btn-primary">
              {busy ? t('common:actions.sending') : t('offer.send')}
            </button>
            <button type="button" className="btn btn-ghost" onClick={onCancel}>
              {t('common:actions.cancel')}
            </button>
          </div>
        </fieldset>
      </form>
    </section>
  );
}
