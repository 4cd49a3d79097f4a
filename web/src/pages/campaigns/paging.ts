// A list the API gives a page at a time (`items` and `next_cursor`): the
// first page through the query cache, the further ones "Load more" asked
// for. A page may be short (even empty) while more remain: the server reads
// one slice and filters it.
import { useCallback, useRef, useState } from 'react';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { useApiQuery } from '../../api/query';

interface Page<T> {
  items: T[];
  next_cursor?: string | null;
}

export function useMorePages<P extends Page<T>, T>(
  path: string,
  idOf: (item: T) => string,
  /** Asks for the first page again every so many ms (false: not), given the last answer. */
  pollEvery: (first: P | undefined) => number | false = () => false,
) {
  const first = useApiQuery<P>(path, { refetchInterval: (q) => pollEvery(q.state.data) });
  const [more, setMore] = useState<{ path: string; items: T[]; cursor: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<{ path: string; error: unknown } | null>(null);
  const extra = more?.path === path ? more : null;
  const items: T[] = [];
  const seen = new Set<string>();
  for (const item of [...(first.data?.items ?? []), ...(extra?.items ?? [])]) {
    const id = idOf(item);
    if (seen.has(id)) continue;
    seen.add(id);
    items.push(item);
  }
  const cursor = extra ? extra.cursor : (first.data?.next_cursor ?? null);
  const loadMore = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const sep = path.includes('?') ? '&' : '?';
      const p = await api<P>(`${path}${sep}cursor=${encodeURIComponent(cursor)}`);
      setMore({ path, items: [...(extra?.items ?? []), ...p.items], cursor: p.next_cursor ?? null });
    } catch (e) {
      setMoreError({ path, error: e });
    } finally {
      setLoadingMore(false);
    }
  };
  const refetchRef = useRef(first.refetch);
  refetchRef.current = first.refetch;
  /** Asks for the first page again (the pages loaded after it stay). */
  const refetchFirst = useCallback(() => void refetchRef.current(), []);
  return {
    items,
    loading: first.isPending,
    error: first.data ? null : first.error,
    reload: () => {
      setMore(null);
      void first.refetch();
    },
    refetchFirst,
    hasMore: !!cursor,
    loadMore,
    loadingMore,
    moreError: moreError?.path === path ? errorMessage(moreError.error) : null,
  };
}
