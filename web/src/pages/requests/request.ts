// What the request pages share without drawing anything: a request's years
// and car as a dealer reads them, the status moves a dealer may make (the
// server's `may_become`), and a matcher's reason in the reader's language.
import type { TFunction } from 'i18next';
import type { CarRequestView, CarSummary, Criterion, MatchOutcome, Reason, RequestInput, RequestStatus } from '../../api/types';
import { currentLanguage, i18n, mark } from '../../i18n';
import { formatMileage, formatMoney } from '../../i18n/format';

export const STATUSES: RequestStatus[] = ['draft', 'open', 'offers', 'won', 'lost', 'expired'];
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const CURRENCIES = ['EUR', 'USD', 'UAH', 'PLN', 'GBP', 'CZK', 'CHF', 'AED'];
export const FUELS = ['petrol', 'diesel', 'hybrid', 'electric', 'lpg', 'other'] as const;
export const TRANSMISSIONS = ['manual', 'automatic'] as const;

/** Still looking for a car: matched, offered on. */
export const isLive = (s: RequestStatus | undefined) => s === 'open' || s === 'offers';

/** Whether a dealer may move a request from `from` to `to` by hand (libs/domain partners.rs `may_become`). */
export function mayBecome(from: RequestStatus, to: RequestStatus): boolean {
  if (from === to || to === 'offers') return false;
  if (from === 'draft') return to === 'open' || to === 'lost';
  if (from === 'open' || from === 'offers') return to === 'won' || to === 'lost' || to === 'expired' || to === 'draft';
  return to === 'open';
}

/** The moves a dealer may make from `from`, in the order the page offers them. */
export function moves(from: RequestStatus): RequestStatus[] {
  return (['open', 'won', 'lost', 'expired', 'draft'] as RequestStatus[]).filter((to) => mayBecome(from, to));
}

/** A request's years as a dealer reads them ("2019–2021", "from 2019"). */
export function years(r: Pick<CarRequestView, 'year_from' | 'year_to'>): string {
  const t = i18n.t.bind(i18n);
  if (r.year_from && r.year_to) return r.year_from === r.year_to ? String(r.year_from) : `${r.year_from}–${r.year_to}`;
  if (r.year_from) return t('requests:yearsFrom', { year: r.year_from });
  if (r.year_to) return t('requests:yearsTo', { year: r.year_to });
  return t('requests:yearsAny');
}

/** A calendar day (`2026-12-31`, a deadline) in the reader's words, whatever the time zone. */
export function formatDay(day: string | null | undefined): string {
  if (!day) return '—';
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return day;
  return mark(new Intl.DateTimeFormat(currentLanguage(), { dateStyle: 'medium', timeZone: 'UTC' }).format(d));
}

/** "Toyota RAV4" (the make alone when no model is asked). */
export const wantedCar = (r: Pick<CarRequestView, 'make' | 'model'>) => [r.make, r.model].filter(Boolean).join(' ');

/** "Toyota RAV4 2020" */
export const carLabel = (c: Pick<CarSummary, 'make' | 'model' | 'year'>) => `${c.make} ${c.model} ${c.year}`;

/** The matcher's verdict on one criterion. */
export function matchOutcome(r: Reason): MatchOutcome {
  return r.outcome;
}

/** How good a score is, for its colour: 90+ high, 70+ fair, lower low. */
export const scoreLevel = (score: number) => (score >= 90 ? 'high' : score >= 70 ? 'fair' : 'low');

/** The car's word for a soft criterion, read from the matcher's note "{car's}, not {asked}". */
function carSide(note: string, asked: string | null | undefined): string | null {
  if (!asked) return null;
  const tail = `, not ${asked.trim()}`;
  return note.toLowerCase().endsWith(tail.toLowerCase()) ? note.slice(0, note.length - tail.length) : null;
}

/**
 * A reason in the reader's words, from its criterion, outcome and `by`
 * with the request and the car beside it; the matcher's English note when
 * this version cannot say it better.
 */
export function reasonText(t: TFunction, reason: Reason, request: CarRequestView, car: CarSummary): string {
  const outcome = matchOutcome(reason);
  const by = reason.by ?? null;
  const c: Criterion = reason.criterion;
  const fallback = reason.note;
  const word = (kind: 'fuel' | 'transmission', v: string | null | undefined) => (v ? t(`common:car.${kind}.${v}`, { defaultValue: v }) : null);
  switch (c) {
    case 'make':
    case 'model':
      // The car's own make or model: data, as the dealer wrote it.
      return fallback;
    case 'year':
      if (outcome === 'met') return t('requests:reasons.yearWithin', { year: car.year, range: years(request) });
      if (outcome === 'missed' && by !== null) {
        const older = request.year_from != null && car.year < request.year_from;
        return t(older ? 'requests:reasons.yearsOlder' : 'requests:reasons.yearsNewer', { count: by });
      }
      return fallback;
    case 'price':
      if (outcome === 'met') return t('requests:reasons.priceWithin', { price: formatMoney(car.price, car.currency) });
      if (outcome === 'missed' && by !== null) return t('requests:reasons.priceOver', { amount: formatMoney(by, request.currency) });
      if (outcome === 'unknown') return t('requests:reasons.otherCurrency', { car: car.currency, budget: request.currency });
      return fallback;
    case 'mileage':
      if (outcome === 'met') return t('requests:reasons.mileageWithin', { mileage: formatMileage(car.mileage_km, 'km') });
      if (outcome === 'missed' && by !== null) return t('requests:reasons.mileageOver', { mileage: formatMileage(by, 'km') });
      return fallback;
    case 'fuel':
    case 'transmission': {
      if (outcome === 'unknown') return t('requests:reasons.notStated');
      const mine = word(c, car[c]);
      const asked = word(c, request[c]);
      if (outcome === 'met' && mine) return mine;
      if (outcome === 'missed' && mine && asked) return t('requests:reasons.differs', { car: mine, wanted: asked });
      return fallback;
    }
    case 'body':
    case 'color': {
      if (outcome === 'unknown') return t('requests:reasons.notStated');
      if (outcome === 'met') return fallback;
      const asked = request[c];
      const mine = carSide(fallback, asked);
      return mine && asked ? t('requests:reasons.differs', { car: mine, wanted: asked }) : fallback;
    }
    default:
      return fallback;
  }
}

/** A request as the form edits it: every field a text. */
export interface RequestFormValues {
  make: string;
  model: string;
  year_from: string;
  year_to: string;
  budget: string;
  currency: string;
  max_mileage_km: string;
  fuel: string;
  transmission: string;
  body: string;
  color: string;
  region: string;
  deadline: string;
  notes: string;
  priority: string;
  shared: boolean;
}

export const EMPTY_REQUEST: RequestFormValues = {
  make: '',
  model: '',
  year_from: '',
  year_to: '',
  budget: '',
  currency: 'EUR',
  max_mileage_km: '',
  fuel: '',
  transmission: '',
  body: '',
  color: '',
  region: '',
  deadline: '',
  notes: '',
  priority: 'normal',
  shared: true,
};

const text = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : String(v));

export function formValues(r: CarRequestView): RequestFormValues {
  return {
    make: r.make,
    model: text(r.model),
    year_from: text(r.year_from),
    year_to: text(r.year_to),
    budget: text(r.budget),
    currency: r.currency || 'EUR',
    max_mileage_km: text(r.max_mileage_km),
    fuel: text(r.fuel),
    transmission: text(r.transmission),
    body: text(r.body),
    color: text(r.color),
    region: text(r.region),
    deadline: text(r.deadline),
    notes: text(r.notes),
    priority: r.priority,
    shared: r.shared,
  };
}

/** A whole number typed with or without thousands separators; null when empty, 'bad' when not a number. */
export function whole(s: string): number | null | 'bad' {
  const v = s.trim().replace(/[\s,.\u00a0\u202f]/g, '');
  if (!v) return null;
  return /^\d+$/.test(v) ? Number(v) : 'bad';
}

export type RequestField = 'make' | 'model' | 'year_from' | 'year_to' | 'budget' | 'currency' | 'max_mileage_km' | 'fuel' | 'transmission' | 'body' | 'color' | 'region' | 'deadline' | 'notes' | 'priority';

export const REQUEST_FIELDS: RequestField[] = ['make', 'model', 'year_from', 'year_to', 'budget', 'currency', 'max_mileage_km', 'fuel', 'transmission', 'body', 'color', 'region', 'deadline', 'notes', 'priority'];

/**
 * The body the API takes, or the fields the form must fix first (each
 * with the text key saying why).
 */
export function requestBody(v: RequestFormValues): { body: RequestInput } | { errors: Partial<Record<RequestField, string>> } {
  const errors: Partial<Record<RequestField, string>> = {};
  if (!v.make.trim()) errors.make = 'form.errors.make';
  const yf = whole(v.year_from);
  const yt = whole(v.year_to);
  const budget = whole(v.budget);
  const km = whole(v.max_mileage_km);
  const year = (y: number | null | 'bad') => y === 'bad' || (y !== null && (y < 1950 || y > 2100));
  if (year(yf)) errors.year_from = 'form.errors.year';
  if (year(yt)) errors.year_to = 'form.errors.year';
  if (!errors.year_from && !errors.year_to && typeof yf === 'number' && typeof yt === 'number' && yf > yt) errors.year_to = 'form.errors.yearOrder';
  if (budget === 'bad' || budget === 0) errors.budget = 'form.errors.positive';
  if (km === 'bad' || km === 0) errors.max_mileage_km = 'form.errors.positive';
  if (v.deadline && !/^\d{4}-\d{2}-\d{2}$/.test(v.deadline)) errors.deadline = 'form.errors.deadline';
  if (Object.keys(errors).length) return { errors };
  const opt = (s: string) => s.trim() || null;
  return {
    body: {
      make: v.make.trim(),
      model: opt(v.model),
      year_from: yf as number | null,
      year_to: yt as number | null,
      budget: budget as number | null,
      currency: v.currency,
      max_mileage_km: km as number | null,
      fuel: (v.fuel || null) as RequestInput['fuel'],
      transmission: (v.transmission || null) as RequestInput['transmission'],
      body: opt(v.body),
      color: opt(v.color),
      region: opt(v.region),
      deadline: opt(v.deadline),
      notes: opt(v.notes),
      priority: v.priority as RequestInput['priority'],
      shared: v.shared,
    },
  };
}
