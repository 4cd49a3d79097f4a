// The content calendar's arithmetic: wall-clock times in IANA zones and the
// instants they name, the days a month or week view shows, where a post
// sits on them, where a dragged post lands, and how its time reads.
import type { PostingSlot, PostRequest, PostStatus, PostView, Weekday } from '../../api/types';
import { currentLanguage, i18n, mark } from '../../i18n';
import { timeZone } from '../../i18n/format';
import { browserZone, canonicalZone, knownZone } from '../../i18n/zones';

export const STATUSES: PostStatus[] = ['draft', 'scheduled', 'publishing', 'posted', 'failed', 'unknown', 'deleted'];
/** A post can still be changed before it goes (a failed one too: fixed and given a new time). */
export const isEditable = (s: PostStatus | undefined) => s === 'draft' || s === 'scheduled' || s === 'failed';
/** The bot may edit, pin or delete it in the channel. */
export const isOut = (s: PostStatus | undefined) => s === 'posted';
/** "Publish now" is offered: it has not gone out (an unknown one is never sent again: it may be there). */
export const canPublish = (s: PostStatus | undefined) => s === 'draft' || s === 'scheduled' || s === 'failed';

/** What a template's text may hold, filled from the car and the workspace when a post is made from it. */
export const CAR_VARIABLES = ['make', 'model', 'year', 'price', 'mileage', 'link', 'company'] as const;

/** Telegram lets a bot delete its messages for 48 hours. */
export const MAX_AUTO_DELETE_HOURS = 47;
export const MAX_TEMPLATE_NAME = 120;
export const MAX_SOLD_LABEL = 40;
export const MAX_CONFLICT_WINDOW = 1440;

// --- posting slots -----------------------------------------------------------

/** The days a posting slot may name, Monday first (as `weekdayNames()` orders them). */
export const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
/** At most this many slots on a channel (the server's limit). */
export const MAX_SLOTS = 28;
/** How far ahead the server looks for a free slot. */
export const SLOT_HORIZON_WEEKS = 12;
/** Posts a week the slots make: each day of each slot once. */
export const postsPerWeek = (slots: PostingSlot[]) => slots.reduce((n, s) => n + new Set(s.days).size, 0);

/** The zone the calendar is drawn in: the workspace's (from /api/auth/me), the browser's until it is known. */
export function calendarZone(): string {
  return canonicalZone(timeZone() ?? browserZone());
}

// --- wall clocks and instants --------------------------------------------

const partsFormats = new Map<string, Intl.DateTimeFormat>();
function partsIn(zone: string): Intl.DateTimeFormat {
  let f = partsFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormats.set(zone, f);
  }
  return f;
}

interface Fields {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

function fieldsIn(ms: number, zone: string): Fields {
  const get: Record<string, number> = {};
  for (const p of partsIn(zone).formatToParts(new Date(ms))) if (p.type !== 'literal') get[p.type] = Number(p.value);
  return { y: get.year, mo: get.month, d: get.day, h: get.hour === 24 ? 0 : get.hour, mi: get.minute, s: get.second };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Minutes east of UTC in `zone` at the instant `ms`. */
export function offsetAt(ms: number, zone: string): number {
  const f = fieldsIn(ms, zone);
  return Math.round((Date.UTC(f.y, f.mo - 1, f.d, f.h, f.mi, f.s) - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** The wall clock in `zone` at the instant `ms`: `2026-03-12` and `09:05`. */
export function wallAt(ms: number, zone: string): { date: string; time: string } {
  const f = fieldsIn(ms, zone);
  return { date: `${pad(f.y, 4)}-${pad(f.mo)}-${pad(f.d)}`, time: `${pad(f.h)}:${pad(f.mi)}` };
}

const WALL = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/;

/** `2026-03-12T09:05` (or a day alone, at midnight) as if it were UTC, in ms; NaN when it does not read. */
function wallMs(wall: string): number {
  const m = WALL.exec(wall);
  if (!m) return NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0));
}

/**
 * The instant a wall-clock time in `zone` names. A time the clocks skip
 * becomes the same time after the jump (as the server moves it, to the
 * first valid minute after the gap for a whole-hour jump); a time that
 * happens twice is the first of the two.
 */
export function instantOf(wall: string, zone: string): number {
  const local = wallMs(wall);
  if (Number.isNaN(local)) return NaN;
  const want = wall.length >= 16 ? wall.slice(0, 16) : `${wall.slice(0, 10)}T00:00`;
  const before = offsetAt(local - 43_200_000, zone);
  const after = offsetAt(local + 43_200_000, zone);
  const candidates = [...new Set([before, after])]
    .map((o) => local - o * 60_000)
    .filter((ms) => {
      const w = wallAt(ms, zone);
      return `${w.date}T${w.time}` === want;
    })
    .sort((a, b) => a - b);
  if (candidates.length) return candidates[0];
  // In a gap: the first minute after the jump.
  let lo = local - Math.max(before, after) * 60_000;
  let hi = local - Math.min(before, after) * 60_000;
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
    if (offsetAt(mid, zone) === after) hi = mid;
    else lo = mid;
  }
  return hi;
}

// --- days ------------------------------------------------------------------

/** `2026-03-12` plus `n` days. */
export function addDays(day: string, n: number): string {
  const ms = wallMs(day) + n * 86_400_000;
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Whole days from `a` to `b` (`2026-03-01` → `2026-03-04`: 3). */
export function daysBetween(a: string, b: string): number {
  return Math.round((wallMs(b) - wallMs(a)) / 86_400_000);
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayOf(day: string): number {
  return (new Date(wallMs(day)).getUTCDay() + 6) % 7;
}

export const isDay = (s: string | null | undefined): s is string => !!s && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(wallMs(s));

/** Today in `zone`. */
export const today = (zone: string, now = Date.now()) => wallAt(now, zone).date;

export type View = 'month' | 'week' | 'list';
export const VIEWS: View[] = ['month', 'week', 'list'];
export const isView = (v: string | null): v is View => v === 'month' || v === 'week' || v === 'list';

/** The days a view shows around `date`: whole weeks (Monday first) over its month, one week, or the month for the list. */
export function daysOf(view: View, date: string): string[] {
  const first = view === 'week' ? addDays(date, -weekdayOf(date)) : `${date.slice(0, 8)}01`;
  if (view === 'week') return Array.from({ length: 7 }, (_, i) => addDays(first, i));
  const last = addDays(addDays(first, 32).slice(0, 8) + '01', -1);
  if (view === 'list') return Array.from({ length: daysBetween(first, last) + 1 }, (_, i) => addDays(first, i));
  const start = addDays(first, -weekdayOf(first));
  const end = addDays(last, 6 - weekdayOf(last));
  return Array.from({ length: daysBetween(start, end) + 1 }, (_, i) => addDays(start, i));
}

/** The instants a view asks for: from the first day's midnight to the midnight after its last day, in `zone`. */
export function rangeOf(days: string[], zone: string): { from: string; to: string } {
  return {
    from: new Date(instantOf(`${days[0]}T00:00`, zone)).toISOString(),
    to: new Date(instantOf(`${addDays(days[days.length - 1], 1)}T00:00`, zone)).toISOString(),
  };
}

/** The date the previous or next page of a view starts at. */
export function step(view: View, date: string, by: -1 | 1): string {
  if (view === 'week') return addDays(date, 7 * by);
  const m = /^(\d{4})-(\d{2})/.exec(date)!;
  const month = Number(m[1]) * 12 + Number(m[2]) - 1 + by;
  return `${pad(Math.floor(month / 12), 4)}-${pad((month % 12) + 1)}-01`;
}

// --- posts on the calendar ----------------------------------------------

/** The instant a post sits at: when it goes (or went); none for a draft. */
export function instantOfPost(p: PostView): number | null {
  const at = p.due_at ?? p.posted_at;
  if (at) {
    const ms = Date.parse(at);
    if (!Number.isNaN(ms)) return ms;
  }
  if (p.send_at && knownZone(p.time_zone)) {
    const ms = instantOf(p.send_at, p.time_zone);
    if (!Number.isNaN(ms)) return ms;
  }
  return null;
}

/** Posts by day (`2026-03-12`) in `zone`, each day's in time order; posts without a time under `drafts`. */
export function placePosts(posts: PostView[], zone: string): { byDay: Map<string, PostView[]>; drafts: PostView[] } {
  const byDay = new Map<string, PostView[]>();
  const drafts: PostView[] = [];
  const at = new Map<string, number>();
  for (const p of posts) {
    const ms = instantOfPost(p);
    if (ms === null) {
      drafts.push(p);
      continue;
    }
    at.set(p.id, ms);
    const day = wallAt(ms, zone).date;
    const list = byDay.get(day) ?? [];
    list.push(p);
    byDay.set(day, list);
  }
  for (const list of byDay.values()) list.sort((a, b) => at.get(a.id)! - at.get(b.id)!);
  return { byDay, drafts };
}

/** The hour (0-23) a post sits at in `zone`. */
export function hourOfPost(p: PostView, zone: string): number | null {
  const ms = instantOfPost(p);
  return ms === null ? null : Number(wallAt(ms, zone).time.slice(0, 2));
}

/**
 * The new `send_at` (in the post's own zone) of a post dropped on `day`
 * (month view: a whole-days move that keeps its time of day there) or on
 * `day` at `hour` in the calendar's `zone` (week view: its minutes kept).
 * Null when it lands where it already is.
 */
export function movedSendAt(p: PostView, zone: string, day: string, hour?: number): string | null {
  const ms = instantOfPost(p);
  if (ms === null) return null;
  const shown = wallAt(ms, zone);
  const own = p.send_at?.slice(0, 16) ?? (() => {
    const w = wallAt(ms, p.time_zone);
    return `${w.date}T${w.time}`;
  })();
  if (hour === undefined) {
    const days = daysBetween(shown.date, day);
    if (days === 0) return null;
    return `${addDays(own.slice(0, 10), days)}T${own.slice(11, 16)}`;
  }
  const target = instantOf(`${day}T${pad(hour)}:${shown.time.slice(3, 5)}`, zone);
  if (target === ms) return null;
  const w = wallAt(target, p.time_zone);
  return `${w.date}T${w.time}`;
}

/** The body that saves `p` as it is, at `sendAt` (a drag, a reschedule). */
export function requestOf(p: PostView, sendAt: string | null): PostRequest {
  const hours = p.auto_delete_hours ?? null;
  return {
    channel_id: p.channel_id,
    content: p.content,
    car_id: p.car_id ?? null,
    send_at: sendAt,
    time_zone: p.time_zone,
    auto_delete_hours: hours && hours >= 1 && hours <= MAX_AUTO_DELETE_HOURS ? hours : null,
  };
}

/** A post's few first words, for a calendar cell. */
export function snippet(p: PostView, max = 60): string {
  const text = (p.content.text ?? '').replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

// --- how times read ------------------------------------------------------

const locale = () => currentLanguage();

/** `10:00` (or `10:00 AM`) at the instant `ms` in `zone`. */
export function formatClock(ms: number, zone: string): string {
  return mark(new Intl.DateTimeFormat(locale(), { timeZone: zone, hour: '2-digit', minute: '2-digit' }).format(new Date(ms)));
}

/** `Mon, Dec 14, 10:00 AM` (`пн, 14 груд., 10:00`) at the instant `ms` in `zone`: a posting slot's time. */
export function formatSlotTime(ms: number, zone: string): string {
  return mark(new Intl.DateTimeFormat(locale(), { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(new Date(ms)));
}

/** `Dec 8, 2026, 10:00 AM` at the instant `ms` in `zone`. */
export function formatWhen(ms: number, zone: string): string {
  return mark(new Intl.DateTimeFormat(locale(), { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms)));
}

/** A wall-clock time as it is (`2026-03-29T03:30` → `03:30 AM`), no zone change. */
export function formatWallTime(wall: string): string {
  const ms = wallMs(wall);
  if (Number.isNaN(ms) || wall.length < 16) return wall;
  return mark(new Intl.DateTimeFormat(locale(), { timeZone: 'UTC', hour: '2-digit', minute: '2-digit' }).format(new Date(ms)));
}

/** "вівторок, 8 грудня" → "Вівторок, 8 грудня": a heading starts with a capital, the rest as the language writes it. */
const capital = (s: string) => s.charAt(0).toLocaleUpperCase(locale()) + s.slice(1);

/** A day as it is (`2026-03-29` → `29 March` / `March 29`), with its year or weekday when asked; `heading` starts it with a capital. */
export function formatDay(day: string, opts: { year?: boolean; weekday?: boolean; heading?: boolean } = {}): string {
  const ms = wallMs(day);
  if (Number.isNaN(ms)) return day;
  const s = new Intl.DateTimeFormat(locale(), {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'long',
    ...(opts.year ? { year: 'numeric' } : {}),
    ...(opts.weekday ? { weekday: 'long' } : {}),
  }).format(new Date(ms));
  return mark(opts.heading ? capital(s) : s);
}

/** `March 2026` */
export function formatMonth(day: string): string {
  return mark(capital(new Intl.DateTimeFormat(locale(), { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(new Date(wallMs(day)))));
}

/** `Mon` … `Sun` (or `Monday` … `Sunday`), Monday first. */
export function weekdayNames(style: 'short' | 'long' = 'short'): string[] {
  const f = new Intl.DateTimeFormat(locale(), { timeZone: 'UTC', weekday: style });
  // 2024-01-01 was a Monday.
  return Array.from({ length: 7 }, (_, i) => mark(f.format(new Date(Date.UTC(2024, 0, 1 + i)))));
}

/** `UTC+03:00` in `zone` at `ms`. */
export function offsetLabel(ms: number, zone: string): string {
  const o = offsetAt(ms, zone);
  const a = Math.abs(o);
  return `UTC${o < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** A zone's name as people read it: `America/New_York` → `America/New York`. */
export const zoneName = (zone: string) => zone.replace(/_/g, ' ');

/**
 * Why a post goes at another time than asked, when the clocks changed that
 * day: "10:30 does not exist on 29 March in Europe/Kyiv (clocks go
 * forward): it goes at 11:00", read from the asked time and `due_at` in
 * the post's zone. Null when nothing moved it.
 */
export function dstNote(p: PostView): string | null {
  if (!p.dst_shift || !p.send_at) return null;
  const asked = p.send_at.slice(0, 16);
  const due = p.due_at ? Date.parse(p.due_at) : instantOfPost(p);
  const values = { time: formatWallTime(asked), date: formatDay(asked.slice(0, 10)), zone: zoneName(p.time_zone) };
  // (Not `first_of_two` as a key: i18next would read `_two` as a plural form.)
  const kind = p.dst_shift === 'skipped_gap' ? 'gap' : 'twice';
  if (due === null || Number.isNaN(due) || !knownZone(p.time_zone)) return i18n.t(`calendar:dst.${kind}Short`, values);
  if (kind === 'gap') return i18n.t('calendar:dst.gap', { ...values, actual: formatClock(due, p.time_zone) });
  return i18n.t('calendar:dst.twice', { ...values, offset: offsetLabel(due, p.time_zone) });
}

/** Minutes between two posts (rounded), or null when one has no time. */
export function minutesApart(a: PostView, b: PostView): number | null {
  const x = instantOfPost(a);
  const y = instantOfPost(b);
  return x === null || y === null ? null : Math.round(Math.abs(x - y) / 60_000);
}
