// Dates, numbers, money and relative times through Intl, in the user's
// language and the workspace's time zone (from `/api/auth/me`; the browser's
// zone until the server names one). Every value is marked in the
// pseudo-locale, like translated text.
import { currentLanguage, i18n, mark } from './index';

let zone: string | undefined;

/** The workspace's IANA time zone; an unknown or missing one falls back to the browser's. */
export function setTimeZone(tz: string | null | undefined): void {
  if (!tz) {
    zone = undefined;
    return;
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    zone = tz;
  } catch {
    zone = undefined;
  }
}

export const timeZone = () => zone;

const locale = () => currentLanguage();

function parse(v: string | number | Date): Date | null {
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

function dt(d: Date, opts: Intl.DateTimeFormatOptions): string {
  return new Intl.DateTimeFormat(locale(), { timeZone: zone, ...opts }).format(d);
}

/** A timestamp from the API (RFC 3339): the date, or date and time; the raw text if it can't be read. */
export function formatDate(iso: string | null | undefined, withTime = false): string {
  if (!iso) return '—';
  const d = parse(iso);
  if (!d) return iso;
  return mark(withTime ? dt(d, { dateStyle: 'medium', timeStyle: 'short' }) : dt(d, { dateStyle: 'medium' }));
}

/** `14:05` */
export function formatTime(v: string | number | Date): string {
  const d = parse(v);
  return d ? mark(dt(d, { hour: '2-digit', minute: '2-digit' })) : '';
}

/** The calendar day of `d` in the workspace's zone, as `2025-03-01`. */
export function dayKey(d: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

/** Whole days from `a`'s calendar day to `b`'s, in the workspace's zone. */
function daysBetween(a: Date, b: Date): number {
  const day = (d: Date) => Date.parse(`${dayKey(d)}T00:00:00Z`);
  return Math.round((day(b) - day(a)) / 86_400_000);
}

/** For a list of conversations: the time today, the weekday this week, the date with its year otherwise. */
export function listTime(iso: string, now = new Date()): string {
  const d = parse(iso);
  if (!d) return '';
  const days = daysBetween(d, now);
  if (days === 0) return formatTime(d);
  if (days > 0 && days < 7) return mark(dt(d, { weekday: 'short' }));
  return mark(dt(d, { dateStyle: 'medium' }));
}

/** The divider above a chat day: "Today", "Yesterday" (Intl's relative words), the date otherwise. */
export function dayLabel(ms: number, now = new Date()): string {
  const d = new Date(ms);
  const days = daysBetween(d, now);
  if (days === 0 || days === 1) {
    const s = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' }).format(-days, 'day');
    return mark(s.charAt(0).toLocaleUpperCase(locale()) + s.slice(1));
  }
  return mark(dt(d, { dateStyle: 'medium' }));
}

/** "5 minutes ago", "in 2 hours", "yesterday": the largest unit that fits. */
export function formatRelative(v: string | number | Date, now = new Date()): string {
  const d = parse(v);
  if (!d) return '';
  const secs = Math.round((d.getTime() - now.getTime()) / 1000);
  const abs = Math.abs(secs);
  const rtf = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' });
  if (abs < 45) return mark(rtf.format(0, 'second'));
  if (abs < 45 * 60) return mark(rtf.format(Math.round(secs / 60), 'minute'));
  if (abs < 22 * 3600) return mark(rtf.format(Math.round(secs / 3600), 'hour'));
  return mark(rtf.format(Math.round(secs / 86_400), 'day'));
}

export function formatNumber(n: number, opts: Intl.NumberFormatOptions = {}): string {
  return mark(new Intl.NumberFormat(locale(), opts).format(n));
}

/** A whole amount in its currency (`€25,000`, `25 000 ₴`); an unknown code is written after the number. */
export function formatMoney(amount: number | null | undefined, currency: string | null | undefined): string {
  if (amount === null || amount === undefined) return '—';
  const code = (currency ?? '').trim().toUpperCase();
  if (code) {
    try {
      return mark(new Intl.NumberFormat(locale(), { style: 'currency', currency: code, maximumFractionDigits: 0 }).format(amount));
    } catch {
      /* not an ISO currency: fall through */
    }
  }
  return mark(`${new Intl.NumberFormat(locale()).format(amount)}${code ? ` ${code}` : ''}`);
}

/** Mileage with its unit, the unit in the user's language. */
export function formatMileage(mileage: number, unit: string | null | undefined): string {
  const u = unit === 'mi' ? 'mi' : 'km';
  return mark(`${new Intl.NumberFormat(locale()).format(mileage)} ${i18n.t(`common:units.${u}`, { postProcess: [] })}`);
}

/** `12.3 MB`, `456 KB`, `12 bytes`, with the user's decimal mark. */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '';
  const t = (k: string, count: number, value: string) => i18n.t(`common:bytes.${k}`, { count, value, postProcess: [] });
  if (n < 1024) return mark(t('b', n, new Intl.NumberFormat(locale()).format(n)));
  if (n < 1024 * 1024) return mark(t('kb', 2, new Intl.NumberFormat(locale()).format(Math.round(n / 1024))));
  return mark(t('mb', 2, new Intl.NumberFormat(locale(), { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(n / 1024 / 1024)));
}

/** The date and time now in `tz` (a zone being chosen, before it is saved). */
export function formatNowIn(tz: string, now = new Date()): string {
  try {
    return mark(new Intl.DateTimeFormat(locale(), { timeZone: tz, dateStyle: 'medium', timeStyle: 'short' }).format(now));
  } catch {
    return '';
  }
}
