// The showcase's public API: no session token is sent, and a 401 never logs a
// dealer out (the buyer is not one). Filters live in the page's query string
// and are passed on to the API under the same names.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, seg } from '../api/client';
import type { components } from '../api/schema';

export type Showcase = components['schemas']['Showcase'];
export type ShowcaseCar = components['schemas']['ShowcaseCar'];
export type InterestRequest = components['schemas']['InterestRequest'];
export type InterestView = components['schemas']['InterestView'];

export const SHOWCASE_FILTERS = ['make', 'q', 'price_max', 'year_min'] as const;
export type ShowcaseFilterKey = (typeof SHOWCASE_FILTERS)[number];
export type ShowcaseFilters = Partial<Record<ShowcaseFilterKey, string>>;

/** Filters that are whole numbers: anything but digits is dropped. */
const NUMERIC: ShowcaseFilterKey[] = ['price_max', 'year_min'];

/** The filters as the user typed them, cleaned: trimmed, digits only for numbers, empty ones left out. */
export function cleanFilters(f: ShowcaseFilters): ShowcaseFilters {
  const out: ShowcaseFilters = {};
  for (const k of SHOWCASE_FILTERS) {
    let v = (f[k] ?? '').trim();
    if (NUMERIC.includes(k)) v = v.replace(/\D/g, '').replace(/^0+(?=\d)/, '');
    if (v) out[k] = v;
  }
  return out;
}

export function readShowcaseFilters(params: URLSearchParams): ShowcaseFilters {
  const f: ShowcaseFilters = {};
  for (const k of SHOWCASE_FILTERS) {
    const v = params.get(k);
    if (v !== null) f[k] = v;
  }
  return cleanFilters(f);
}

/** The query for `f`, always in the same order (equal filters, equal addresses). */
export function showcaseQuery(f: ShowcaseFilters): URLSearchParams {
  const p = new URLSearchParams();
  const c = cleanFilters(f);
  for (const k of SHOWCASE_FILTERS) if (c[k]) p.set(k, c[k]!);
  return p;
}

export function showcasePath(slug: string, f: ShowcaseFilters, cursor?: string | null): string {
  const p = showcaseQuery(f);
  if (cursor) p.set('cursor', cursor);
  const q = p.toString();
  return `/api/miniapp/${seg(slug)}${q ? `?${q}` : ''}`;
}

export const carPath = (slug: string, id: string) => `/api/miniapp/${seg(slug)}/cars/${seg(id)}`;
export const interestPath = (slug: string) => `/api/miniapp/${seg(slug)}/interest`;

/** The showcase's address in this app (for links between its pages). */
export const showcaseUrl = (slug: string, id?: string) => `/m/${seg(slug)}${id ? `/${seg(id)}` : ''}`;

export function publicGet<T>(path: string, signal?: AbortSignal): Promise<T> {
  return api<T>(path, { anonymous: true, signal });
}

export function postInterest(slug: string, body: InterestRequest): Promise<InterestView> {
  return api<InterestView>(interestPath(slug), { method: 'POST', body, anonymous: true });
}

export interface Resource<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** GETs a public `path` through the query cache; the last data stays while the next address loads. */
export function usePublic<T>(path: string): Resource<T> {
  const q = useQuery<T, unknown>({
    queryKey: ['public', path],
    queryFn: ({ signal }) => publicGet<T>(path, signal),
    placeholderData: keepPreviousData,
  });
  const { refetch } = q;
  const reload = useCallback(() => void refetch(), [refetch]);
  const loading = q.isPending || q.isPlaceholderData || (q.isFetching && q.isError);
  return { data: q.data ?? null, error: loading ? null : q.error, loading, reload };
}
