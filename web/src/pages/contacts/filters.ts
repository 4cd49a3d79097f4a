// The Contacts list's search and filters: the page URL holds them (deep
// links, reloads and Back keep them) and the API takes the same names.
import { isKeyOf, readUrlFilters, urlFilterParams } from '../../urlFilters';
import type { SegmentFilter, VarOp } from '../../api/types';

export const FILTER_KEYS = [
  'q',
  'bot_id',
  'tag',
  'language',
  'blocked',
  'unsubscribed',
  'active_days',
  'source',
  'var',
  'var_op',
  'var_value',
  'open_request',
] as const;

export type FilterKey = (typeof FILTER_KEYS)[number];
export type Filters = Partial<Record<FilterKey, string>>;

/** Contacts asked for per page. */
export const CONTACTS_PAGE = 50;

/** The languages offered in the filter (Telegram's codes). */
export const LANGUAGE_CODES = ['uk', 'en', 'ru', 'pl'] as const;

/** How a scenario variable is compared (`set` needs no value). */
export const VAR_OPS: VarOp[] = ['eq', 'ne', 'contains', 'gt', 'lt', 'set', 'unset'];

/** Whether `op` compares with a value. */
export function opTakesValue(op: string | undefined): boolean {
  return !!op && op !== 'set' && op !== 'unset';
}

/** The "last active" choices, in days (1: the dashboard's leads today). */
export const ACTIVE_DAYS = ['1', '7', '30', '90'] as const;

export function isFilterKey(s: string | null | undefined): s is FilterKey {
  return isKeyOf(FILTER_KEYS, s);
}

/** The filters a URL's query names (trimmed, empty ones left out). */
export function readFilters(params: URLSearchParams): Filters {
  return readUrlFilters(FILTER_KEYS, params);
}

/** The query for `f`, always in the same order (equal filters, equal URLs). */
export function filterParams(f: Filters): URLSearchParams {
  return urlFilterParams(FILTER_KEYS, f);
}

/** The API path of the first page of contacts matching `f`. */
export function contactsPath(f: Filters): string {
  const p = filterParams(f);
  p.set('limit', String(CONTACTS_PAGE));
  return `/api/contacts?${p.toString()}`;
}

/** How many filters besides the search text are set. */
export function activeFilterCount(f: Filters): number {
  // The variable's operator and value belong to its one condition.
  return FILTER_KEYS.filter((k) => k !== 'q' && k !== 'var_op' && k !== 'var_value' && !!f[k]).length;
}

/** Tags as typed in one field, comma-separated: trimmed, empty ones left out. */
export function splitTags(text: string): string[] {
  return text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

/** The filters a segment keeps, as the list's URL names them (no search text). */
export function filtersOfSegment(s: { filter: SegmentFilter }): Filters {
  const f: Filters = {};
  const { bot_id, tag, language, blocked, unsubscribed, active_days, source, variable, open_request } = s.filter;
  if (bot_id != null) f.bot_id = String(bot_id);
  if (tag) f.tag = tag;
  if (language) f.language = language;
  if (blocked != null) f.blocked = String(blocked);
  if (unsubscribed != null) f.unsubscribed = String(unsubscribed);
  if (active_days != null) f.active_days = String(active_days);
  if (source) f.source = source;
  if (variable) {
    f.var = variable.name;
    f.var_op = variable.op;
    if (variable.value) f.var_value = variable.value;
  }
  if (open_request != null) f.open_request = String(open_request);
  return f;
}

/** The applied filters as a segment's filter (the search text is not kept). */
export function segmentFilter(f: Filters): SegmentFilter {
  const yesNo = (v: string | undefined) => (v === 'true' ? true : v === 'false' ? false : null);
  const num = (v: string | undefined) => (v && /^\d+$/.test(v) ? Number(v) : null);
  return {
    bot_id: num(f.bot_id),
    tag: f.tag?.trim() || null,
    language: f.language?.trim() || null,
    blocked: yesNo(f.blocked),
    unsubscribed: yesNo(f.unsubscribed),
    active_days: num(f.active_days),
    source: f.source?.trim() || null,
    variable: f.var?.trim()
      ? {
          name: f.var.trim(),
          op: (VAR_OPS as string[]).includes(f.var_op ?? '') ? (f.var_op as VarOp) : 'set',
          value: opTakesValue(f.var_op) ? f.var_value?.trim() || null : null,
        }
      : null,
    open_request: yesNo(f.open_request),
  };
}

/** The same conditions (the search text aside; a tag in any case). */
export function sameFilters(a: Filters, b: Filters): boolean {
  const norm = (f: Filters) => JSON.stringify({ ...segmentFilter(f), tag: f.tag?.trim().toLowerCase() || null });
  return norm(a) === norm(b);
}
