// The Contacts list's search and filters: the page URL holds them (deep
// links, reloads and Back keep them) and the API takes the same names.

export const FILTER_KEYS = ['q', 'bot_id', 'tag', 'language', 'blocked', 'unsubscribed', 'active_days'] as const;

export type FilterKey = (typeof FILTER_KEYS)[number];
export type Filters = Partial<Record<FilterKey, string>>;

/** Contacts asked for per page. */
export const CONTACTS_PAGE = 50;

/** The languages offered in the filter (Telegram's codes). */
export const LANGUAGE_CODES = ['uk', 'en', 'ru', 'pl'] as const;

/** The "last active" choices, in days. */
export const ACTIVE_DAYS = ['7', '30', '90'] as const;

export function isFilterKey(s: string | null | undefined): s is FilterKey {
  return !!s && (FILTER_KEYS as readonly string[]).includes(s);
}

/** The filters a URL's query names (trimmed, empty ones left out). */
export function readFilters(params: URLSearchParams): Filters {
  const f: Filters = {};
  for (const k of FILTER_KEYS) {
    const v = params.get(k)?.trim();
    if (v) f[k] = v;
  }
  return f;
}

/** The query for `f`, always in the same order (equal filters, equal URLs). */
export function filterParams(f: Filters): URLSearchParams {
  const p = new URLSearchParams();
  for (const k of FILTER_KEYS) {
    const v = f[k]?.trim();
    if (v) p.set(k, v);
  }
  return p;
}

/** The API path of the first page of contacts matching `f`. */
export function contactsPath(f: Filters): string {
  const p = filterParams(f);
  p.set('limit', String(CONTACTS_PAGE));
  return `/api/contacts?${p.toString()}`;
}

/** How many filters besides the search text are set. */
export function activeFilterCount(f: Filters): number {
  return FILTER_KEYS.filter((k) => k !== 'q' && !!f[k]).length;
}

/** Tags as typed in one field, comma-separated: trimmed, empty ones left out. */
export function splitTags(text: string): string[] {
  return text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}
