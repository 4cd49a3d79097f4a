// Pieces the request pages and a partner's request share: status badges,
// the wanted car's facts, a match with its score and reasons, and an
// offer's comment thread.
import { Check, CircleHelp, X } from 'lucide-react';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { errorMessage } from '../../api/errors';
import type { CarRequestView, CarSummary, CommentView, MatchView, OfferStatus, RequestStatus } from '../../api/types';
import { FormError } from '../../components/States';
import { formatDate, formatMileage, formatMoney, formatNumber } from '../../i18n/format';
import { carLabel, formatDay, matchOutcome, reasonText, scoreLevel, years } from './request';

export function StatusBadge({ status }: { status: RequestStatus }) {
  const { t } = useTranslation('requests');
  return <span className={`b2b-status b2b-status-${status}`}>{t(`statuses.${status}`, { defaultValue: status })}</span>;
}

export function OfferStatusBadge({ status }: { status: OfferStatus }) {
  const { t } = useTranslation('requests');
  return <span className={`b2b-status b2b-offer-${status}`}>{t(`offerStatuses.${status}`, { defaultValue: status })}</span>;
}

export function PriorityBadge({ priority }: { priority: string }) {
  const { t } = useTranslation('requests');
  return <span className={`pill priority priority-${priority}`}>{t(`common:priorities.${priority}`, { defaultValue: priority })}</span>;
}

/** The score as a bar and a number out of 100. */
export function Score({ score }: { score: number }) {
  const { t } = useTranslation('requests');
  const pct = Math.max(0, Math.min(100, Math.round(score)));
  return (
    <div className={`b2b-score b2b-score-${scoreLevel(pct)}`}>
      <div className="b2b-score-track" role="meter" aria-label={t('match.score')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <span className="b2b-score-fill" style={{ width: `${pct}%` }} />
      </div>
      <span className="b2b-score-value">{t('match.scoreValue', { score: formatNumber(pct) })}</span>
    </div>
  );
}

/** What the buyer wants, as a list of facts (only what the request states). */
export function WantedFacts({ request, partnerView = false }: { request: CarRequestView; partnerView?: boolean }) {
  const { t } = useTranslation('requests');
  const rows: [string, ReactNode][] = [];
  const add = (key: string, v: ReactNode | null | undefined | false) => {
    if (v !== null && v !== undefined && v !== false && v !== '') rows.push([t(`form.${key}`), v]);
  };
  add('make', request.make);
  add('model', request.model);
  add('years', request.year_from || request.year_to ? years(request) : null);
  add('budget', request.budget != null ? formatMoney(request.budget, request.currency) : null);
  add('maxMileage', request.max_mileage_km != null ? formatMileage(request.max_mileage_km, 'km') : null);
  add('fuel', request.fuel ? t(`common:car.fuel.${request.fuel}`, { defaultValue: request.fuel }) : null);
  add('transmission', request.transmission ? t(`common:car.transmission.${request.transmission}`, { defaultValue: request.transmission }) : null);
  add('body', request.body);
  add('color', request.color);
  add('region', request.region);
  add('deadline', request.deadline ? formatDay(request.deadline) : null);
  add('priority', <PriorityBadge priority={request.priority} />);
  if (!partnerView) add('shared', request.shared ? t('facts.sharedYes') : t('facts.sharedNo'));
  return (
    <>
      <dl className="facts b2b-facts">
        {rows.map(([k, v]) => (
          <div key={k} className="contents">
            <dt>{k}</dt>
            <dd className="b2b-wrap">{v}</dd>
          </div>
        ))}
      </dl>
      {request.notes && (
        <div className="b2b-notes">
          <div className="field-label">{t('form.notes')}</div>
          <p className="b2b-pre">{request.notes}</p>
        </div>
      )}
    </>
  );
}

const ICONS = { met: Check, missed: X, unknown: CircleHelp };

/** Each criterion of the request against the car: met ✓, missed ✗ (with how much), not known ?. */
export function Reasons({ match, request }: { match: Pick<MatchView, 'reasons' | 'car'>; request: CarRequestView }) {
  const { t } = useTranslation('requests');
  return (
    <ul className="b2b-reasons">
      {match.reasons.map((r) => {
        const outcome = matchOutcome(r);
        const Icon = ICONS[outcome];
        return (
          <li key={r.criterion} className={`b2b-reason b2b-reason-${outcome}`} data-criterion={r.criterion} data-outcome={outcome}>
            <Icon size={15} aria-hidden="true" className="b2b-reason-icon" />
            <span className="visually-hidden">{t(`reasons.outcome.${outcome}`)}</span>
            <span className="b2b-reason-criterion">{t(`reasons.criterion.${r.criterion}`, { defaultValue: r.criterion })}</span>
            <span className="b2b-reason-text">{reasonText(t, r, request, match.car)}</span>
          </li>
        );
      })}
    </ul>
  );
}

/** A car's line of facts: year, mileage, fuel, gearbox. */
export function CarFacts({ car }: { car: CarSummary }) {
  const { t } = useTranslation('requests');
  const parts = [
    String(car.year),
    formatMileage(car.mileage_km, 'km'),
    car.fuel ? t(`common:car.fuel.${car.fuel}`, { defaultValue: car.fuel }) : null,
    car.transmission ? t(`common:car.transmission.${car.transmission}`, { defaultValue: car.transmission }) : null,
  ].filter(Boolean);
  return <div className="muted small">{parts.join(' · ')}</div>;
}

/**
 * One car that fits the request: the car, its price, the score, whose
 * stock, and why. `action` is what the card offers (Offer this car).
 */
export function MatchCard({
  match,
  request,
  whose,
  action,
}: {
  match: MatchView;
  request: CarRequestView;
  /** "Your stock" or the partner's name; hidden when null. */
  whose: ReactNode;
  action?: ReactNode;
}) {
  const { t } = useTranslation('requests');
  const own = !match.partner_id;
  return (
    <li className="card b2b-match" data-car={match.car_id} data-score={match.score}>
      <div className="b2b-match-head">
        {match.car.photo_url ? <img className="b2b-match-photo" src={match.car.photo_url} alt="" loading="lazy" /> : null}
        <div className="b2b-match-title">
          <h3>
            {own && whose ? <Link to={`/inventory/${encodeURIComponent(match.car_id)}`}>{carLabel(match.car)}</Link> : carLabel(match.car)}
          </h3>
          <CarFacts car={match.car} />
          <div className="b2b-match-price">{formatMoney(match.car.price, match.car.currency)}</div>
          {whose && <div className={own ? 'b2b-whose b2b-whose-own' : 'b2b-whose'}>{whose}</div>}
        </div>
      </div>
      <Score score={match.score} />
      <Reasons match={match} request={request} />
      <div className="muted small">{t('match.foundAt', { date: formatDate(match.found_at, true) })}</div>
      {action}
    </li>
  );
}

/** An offer's comments, oldest first, and a box to write one (when `onSend` is given). */
export function Thread({ comments, onSend, label }: { comments: CommentView[]; onSend?: (text: string) => Promise<void>; label: string }) {
  const { t } = useTranslation('requests');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const id = useId();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!onSend) return;
    if (!text.trim()) {
      setError(t('thread.empty'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSend(text.trim());
      setText('');
    } catch (err) {
      setError(err instanceof ApiError ? errorMessage(err) : err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="b2b-thread">
      {comments.length === 0 ? (
        <p className="muted small">{t('thread.none')}</p>
      ) : (
        <ol className="b2b-comments" aria-label={label}>
          {comments.map((c, i) => (
            <li key={`${c.at}-${i}`} className={c.mine ? 'b2b-comment b2b-comment-mine' : 'b2b-comment'}>
              <div className="small">
                <strong>{c.company}</strong> <span className="muted">{formatDate(c.at, true)}</span>
              </div>
              <p className="b2b-pre">{c.text}</p>
            </li>
          ))}
        </ol>
      )}
      {onSend && (
        <form className="b2b-comment-form" onSubmit={(e) => void submit(e)} noValidate>
          <FormError error={error} />
          <label className="visually-hidden" htmlFor={id}>
            {t('thread.label')}
          </label>
          <textarea
            id={id}
            rows={2}
            value={text}
            placeholder={t('thread.placeholder')}
            onChange={(e) => setText(e.target.value)}
            disabled={busy}
          />
          <button type="submit" className="btn btn-secondary btn-sm" disabled={busy}>
            {busy ? t('common:actions.sending') : t('thread.send')}
          </button>
        </form>
      )}
    </div>
  );
}
