// Autosave of the draft: a PUT ~800 ms after the last change, one request at
// a time (publish and roll back wait in the same queue, so they never race a
// save), retries with back-off when the server cannot be reached, and a stop
// on 409 (someone else saved) until the user decides. Edits stay in memory
// whatever happens; nothing here ever drops them.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError, seg } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { i18n } from '../../i18n';
import { toApiScenario } from './scenario';
import type { EditorDoc, SaveScenarioRequest, ScenarioView } from './types';

export const AUTOSAVE_DELAY_MS = 800;

export type SaveOutcome =
  | { kind: 'idle' }
  | { kind: 'saving' }
  | { kind: 'retrying'; message: string }
  | { kind: 'failed'; message: string }
  | { kind: 'invalid'; message: string }
  | { kind: 'conflict' };

export type SaveStatus = SaveOutcome | { kind: 'dirty' } | { kind: 'saved' };

function isTransient(e: unknown): boolean {
  return e instanceof ApiError ? e.status === 0 || e.status === 429 || e.status >= 500 : true;
}

export function useAutosave({
  id,
  doc,
  revision,
  enabled,
  onSaved,
}: {
  id: string;
  doc: EditorDoc;
  revision: number;
  enabled: boolean;
  onSaved: (v: ScenarioView) => void;
}) {
  const json = useMemo(() => JSON.stringify(doc), [doc]);
  const [savedJson, setSavedJson] = useState(json);
  const [outcome, setOutcome] = useState<SaveOutcome>({ kind: 'idle' });

  const docRef = useRef(doc);
  const savedRef = useRef(json);
  const revisionRef = useRef(revision);
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const debounce = useRef<number | null>(null);
  const retry = useRef<number | null>(null);
  const failures = useRef(0);
  const stopped = useRef(false);
  const conflict = useRef(false);
  const onSavedRef = useRef(onSaved);

  useEffect(() => {
    docRef.current = doc;
    onSavedRef.current = onSaved;
  });

  const clearTimers = () => {
    if (debounce.current !== null) window.clearTimeout(debounce.current);
    if (retry.current !== null) window.clearTimeout(retry.current);
    debounce.current = null;
    retry.current = null;
  };

  /** Runs `fn` after every request already queued. */
  const run = useCallback(<T,>(fn: () => Promise<T>): Promise<T> => {
    const p = queue.current.then(fn);
    queue.current = p.catch(() => undefined);
    return p;
  }, []);

  const saveRef = useRef<() => Promise<boolean>>(async () => false);
  saveRef.current = async () => {
    if (stopped.current || conflict.current) return false;
    const d = docRef.current;
    const body = JSON.stringify(d);
    if (body === savedRef.current) return true;
    if (!d.name.trim()) {
      setOutcome({ kind: 'invalid', message: i18n.t('scenarios:save.nameMissing') });
      return false;
    }
    setOutcome({ kind: 'saving' });
    try {
      const req: SaveScenarioRequest = {
        name: d.name.trim(),
        bot_ids: d.bot_ids,
        draft: toApiScenario(d.draft),
        revision: revisionRef.current,
      };
      const v = await api<ScenarioView>(`/api/scenarios/${seg(id)}`, { method: 'PUT', body: req });
      revisionRef.current = v.revision;
      savedRef.current = body;
      failures.current = 0;
      setSavedJson(body);
      setOutcome({ kind: 'idle' });
      onSavedRef.current(v);
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        conflict.current = true;
        clearTimers();
        setOutcome({ kind: 'conflict' });
      } else if (isTransient(e)) {
        failures.current += 1;
        const wait = Math.min(30_000, 1000 * 2 ** Math.min(failures.current, 5));
        if (retry.current !== null) window.clearTimeout(retry.current);
        retry.current = window.setTimeout(() => {
          retry.current = null;
          void run(() => saveRef.current());
        }, wait);
        setOutcome({ kind: 'retrying', message: errorMessage(e) });
      } else {
        setOutcome({ kind: 'failed', message: errorMessage(e) });
      }
      return false;
    }
  };

  // A change: save it once the user pauses.
  useEffect(() => {
    if (!enabled || json === savedRef.current) return;
    if (debounce.current !== null) window.clearTimeout(debounce.current);
    debounce.current = window.setTimeout(() => {
      debounce.current = null;
      void run(() => saveRef.current());
    }, AUTOSAVE_DELAY_MS);
  }, [json, enabled, run]);

  // Leaving the page: warn while edits are unsaved; leaving the editor: save them now.
  const dirty = json !== savedJson;
  useEffect(() => {
    if (!dirty || !enabled) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty, enabled]);
  useEffect(
    () => () => {
      clearTimers();
      if (enabled && JSON.stringify(docRef.current) !== savedRef.current) void run(() => saveRef.current());
    },
    [enabled, run],
  );

  /** Saves pending edits now; true once the server has the current doc. */
  const flush = useCallback(async (): Promise<boolean> => {
    if (!enabled) return true;
    if (debounce.current !== null) {
      window.clearTimeout(debounce.current);
      debounce.current = null;
    }
    return run(() => saveRef.current());
  }, [enabled, run]);

  /** No more saves (the draft is being replaced, e.g. by a roll back). */
  const stop = useCallback(() => {
    stopped.current = true;
    clearTimers();
  }, []);

  /** After a conflict: save this doc over the newer one. */
  const overwrite = useCallback(async () => {
    try {
      const latest = await api<ScenarioView>(`/api/scenarios/${seg(id)}`);
      revisionRef.current = latest.revision;
      conflict.current = false;
      savedRef.current = '';
      setOutcome({ kind: 'idle' });
      await run(() => saveRef.current());
    } catch (e) {
      setOutcome({ kind: 'failed', message: errorMessage(e) });
    }
  }, [id, run]);

  /** A response from another write (publish) that carries the new revision. */
  const adopt = useCallback((v: ScenarioView) => {
    revisionRef.current = v.revision;
  }, []);

  const retryNow = useCallback(() => {
    setOutcome({ kind: 'idle' });
    void flush();
  }, [flush]);

  let status: SaveStatus = outcome;
  if (outcome.kind === 'idle') status = dirty ? { kind: 'dirty' } : { kind: 'saved' };
  else if (!dirty && (outcome.kind === 'failed' || outcome.kind === 'invalid' || outcome.kind === 'retrying')) status = { kind: 'saved' };

  return { status, dirty, flush, run, stop, overwrite, adopt, retryNow };
}
