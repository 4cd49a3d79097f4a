import { useCallback, useEffect, useRef, useState } from 'react';
import { apiIfChanged } from './client';

export interface Polled<T> {
  /** The latest answer (kept while a refresh fails). */
  data: T | null;
  /** Why the first load failed; polling stops until `reload`. */
  error: unknown;
  /** Why the latest refresh failed while `data` is still shown; polling goes on. */
  refreshError: unknown;
  loading: boolean;
  /** Starts over (after `error`). */
  reload: () => void;
  /** Asks the server now instead of at the next tick (after a write). */
  refresh: () => void;
}

const isAbort = (e: unknown) => e instanceof DOMException && e.name === 'AbortError';

/**
 * GETs `path` (skipped when null), then asks again every `intervalMs` with
 * `If-None-Match`, so an unchanged answer costs a 304 and no re-render.
 * Pauses while the tab is hidden and catches up when it is shown again.
 */
export function usePolled<T>(path: string | null, intervalMs = 3000): Polled<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [refreshError, setRefreshError] = useState<unknown>(null);
  const [loading, setLoading] = useState(path !== null);
  const [attempt, setAttempt] = useState(0);
  const nudge = useRef<() => void>(() => undefined);

  useEffect(() => {
    setData(null);
    setError(null);
    setRefreshError(null);
    if (path === null) {
      setLoading(false);
      return;
    }
    setLoading(true);
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let ctl: AbortController | null = null;
    let etag: string | null = null;
    let hasData = false;
    let inFlight = false;
    let again = false;

    const schedule = () => {
      clearTimeout(timer);
      if (!stopped) timer = setTimeout(() => void run(), intervalMs);
    };

    const run = async (): Promise<void> => {
      if (stopped) return;
      if (inFlight) {
        again = true;
        return;
      }
      clearTimeout(timer);
      if (hasData && typeof document !== 'undefined' && document.visibilityState === 'hidden') {
        schedule();
        return;
      }
      inFlight = true;
      ctl = new AbortController();
      try {
        const r = await apiIfChanged<T>(path, etag, { signal: ctl.signal });
        if (stopped) return;
        if (r) {
          etag = r.etag;
          hasData = true;
          setData(r.data);
        }
        setError(null);
        setRefreshError(null);
        setLoading(false);
      } catch (e) {
        if (stopped || isAbort(e)) return;
        if (hasData) {
          setRefreshError(e);
        } else {
          setError(e);
          setLoading(false);
          stopped = true; // the page offers a retry
          return;
        }
      } finally {
        inFlight = false;
      }
      if (again) {
        again = false;
        void run();
      } else {
        schedule();
      }
    };

    nudge.current = () => void run();
    void run();
    const onVisible = () => {
      if (document.visibilityState === 'visible') void run();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      stopped = true;
      clearTimeout(timer);
      ctl?.abort();
      document.removeEventListener('visibilitychange', onVisible);
      nudge.current = () => undefined;
    };
  }, [path, intervalMs, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const refresh = useCallback(() => nudge.current(), []);
  return { data, error, refreshError, loading, reload, refresh };
}
