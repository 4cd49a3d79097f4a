// Server state through TanStack Query: one cache per app, keyed by the API
// path, so pages share answers (the bot list, the team) and a write
// invalidates what it changed. Polled lists ask with `If-None-Match`: an
// unchanged answer costs a 304 and keeps the cached value (no re-render).
import {
  QueryClient,
  useQuery,
  useQueryClient,
  type QueryKey,
  type UseQueryOptions,
  type UseQueryResult,
} from '@tanstack/react-query';
import { api, ApiError, apiIfChanged } from './client';

/** Worth asking again: the server could not be reached, or failed on its side. */
export function isTransient(e: unknown): boolean {
  return e instanceof ApiError && (e.status === 0 || e.status >= 500);
}

/**
 * The app's query cache. Reads are retried twice when the failure may pass
 * (network, 5xx), never on a 4xx; writes are not retried (a second POST
 * could do the thing twice).
 */
export function createQueryClient(opts: { retryDelay?: number } = {}): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (count, e) => count < 2 && isTransient(e),
        ...(opts.retryDelay !== undefined ? { retryDelay: opts.retryDelay } : {}),
        // Cached answers show at once and are checked again in the background when a page opens.
        staleTime: 0,
        refetchOnWindowFocus: true,
      },
      mutations: { retry: false },
    },
  });
}

/** The key of a GET: its path (a prefix of the path invalidates everything under it). */
export const keyOf = (path: string): QueryKey => [...path.split('?')[0].split('/').filter(Boolean), path];

type Extra<T> = Omit<UseQueryOptions<T, unknown, T, QueryKey>, 'queryKey' | 'queryFn' | 'enabled'>;

/** GETs `path` through the cache (skipped while `path` is null). */
export function useApiQuery<T>(path: string | null, options: Extra<T> = {}): UseQueryResult<T, unknown> {
  return useQuery<T, unknown, T, QueryKey>({
    queryKey: keyOf(path ?? ''),
    queryFn: ({ signal }) => api<T>(path!, { signal }),
    enabled: path !== null,
    ...options,
  });
}

interface Tagged<T> {
  body: T;
  etag: string | null;
}

/**
 * GETs `path`, then again every `intervalMs` (paused while the tab is
 * hidden, caught up on focus) with the last ETag.
 */
export function usePolledQuery<T>(path: string | null, intervalMs = 3000): UseQueryResult<T, unknown> {
  const client = useQueryClient();
  return useQuery<Tagged<T>, unknown, T, QueryKey>({
    queryKey: [...keyOf(path ?? ''), 'polled'],
    queryFn: async ({ signal, queryKey }) => {
      const prev = client.getQueryData<Tagged<T>>(queryKey);
      const r = await apiIfChanged<T>(path!, prev?.etag ?? null, { signal });
      if (!r) return prev!;
      return { body: r.data, etag: r.etag };
    },
    select: (t) => t.body,
    enabled: path !== null,
    refetchInterval: intervalMs,
    refetchIntervalInBackground: false,
    staleTime: 0,
  });
}

/**
 * Invalidates the cached GETs of `path` after a write there: with its
 * queries (`?limit=…`) and the paths under it, or (`exact`) only `path`
 * itself with any query string.
 */
export function invalidate(client: QueryClient, path: string, { exact = false } = {}): Promise<void> {
  const base = keyOf(path).slice(0, -1);
  if (!exact) return client.invalidateQueries({ queryKey: base });
  return client.invalidateQueries({
    queryKey: base,
    predicate: (q) => q.queryKey.length === base.length + 1 || (q.queryKey.length === base.length + 2 && q.queryKey[base.length + 1] === 'polled'),
  });
}
