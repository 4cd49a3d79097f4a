// The Inventory list's search and filters: the page URL holds them (so deep
// links, reloads and Back keep them), and they are passed on to the API as
// the same query parameters.
import { isKeyOf, readUrlFilters, urlFilterParams } from '../../urlFilters';
import { i18n } from '../../i18n';
import { wholeNumber } from './listing';

export const FILTER_KEYS = [
  'q',
  'make',
  'model',
  'year_min',
  'year_max',
  'price_min',
  'price_max',
  'mileage_min',
  'mileage_max',
  'status',
] as const;

export type FilterKey = (typeof FILTER_KEYS)[number];
export type Filters = Partial<Record<FilterKey, string>>;

/** Filters that take a whole number. */
export const NUMBER_FILTERS: FilterKey[] = ['year_min', 'year_max', 'price_min', 'price_max', 'mileage_min', 'mileage_max'];

/** Cars asked for per page. */
export const INVENTORY_PAGE = 24;

export function isFilterKey(s: string | null | undefined): s is FilterKey {
  return isKeyOf(FILTER_KEYS, s);
}

/** The filters a URL's query names (trimmed, empty ones left out). */
export function readFilters(params: URLSearchParams): Filters {
  return readUrlFilters(FILTER_KEYS, params);
}

/** The query for `f`, always in the same order (so equal filters give equal URLs). */
export function filterParams(f: Filters): URLSearchParams {
  return urlFilterParams(FILTER_KEYS, f);
}

/** The API path of the first page of cars matching `f`. */
export function inventoryPath(f: Filters): string {
  const p = filterParams(f);
  p.set('limit', String(INVENTORY_PAGE));
  return `/api/inventory?${p.toString()}`;
}

/** How many filters besides the search text are set. */
export function activeFilterCount(f: Filters): number {
  return FILTER_KEYS.filter((k) => k !== 'q' && f[k]).length;
}

const RANGES: [FilterKey, FilterKey, string][] = [
  ['year_min', 'year_max', 'belowMinYear'],
  ['price_min', 'price_max', 'belowMinPrice'],
  ['mileage_min', 'mileage_max', 'belowMinMileage'],
];

/**
 * Checks what the user typed: whole numbers where numbers go (spaces and
 * thousands separators allowed), and no range upside down. Returns the
 * filters to apply, or the errors to show under the fields.
 */
export function checkFilters(draft: Filters): { filters: Filters } | { errors: Partial<Record<FilterKey, string>> } {
  const filters: Filters = {};
  const errors: Partial<Record<FilterKey, string>> = {};
  for (const k of FILTER_KEYS) {
    let v = draft[k]?.trim() ?? '';
    if (!v) continue;
    if (NUMBER_FILTERS.includes(k)) {
      const n = wholeNumber(v);
      if (typeof n !== 'number') {
        errors[k] = i18n.t('inventory:check.wholeNumber');
        continue;
      }
      v = String(n);
    }
    filters[k] = v;
  }
  for (const [lo, hi, what] of RANGES) {
    const a = filters[lo];
    const b = filters[hi];
    if (a && b && !errors[lo] && !errors[hi] && Number(b) < Number(a)) errors[hi] = i18n.t(`inventory:check.${what}`);
  }
  return Object.keys(errors).length ? { errors } : { filters };
}
