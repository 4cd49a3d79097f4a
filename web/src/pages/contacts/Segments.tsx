import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { invalidate, useApiQuery } from '../../api/query';
import type { SegmentList, SegmentView } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { formatDate, formatNumber } from '../../i18n/format';
import { filtersOfSegment, sameFilters, segmentFilter, type Filters } from './filters';

/** How often the list is asked again while a segment is being counted. */
const COUNTING_POLL_MS = 1500;

/**
 * Saved filters (segments) over the Contacts list: open one to filter the
 * list by it, see its count and when that count was made, count it again,
 * delete it, or save the filters now applied as a new one.
 */
export function Segments({ applied, canEdit, onOpen }: { applied: Filters; canEdit: boolean; onOpen: (f: Filters) => void }) {
  const { t } = useTranslation('contacts');
  const client = useQueryClient();
  const list = useApiQuery<SegmentList>('/api/segments', {
    refetchInterval: (q) => (q.state.data?.items.some((s) => s.counting) ? COUNTING_POLL_MS : false),
  });
  const [error, setError] = useState<unknown>(null);
  const [deleting, setDeleting] = useState<SegmentView | null>(null);
  const [busy, setBusy] = useState(false);
  const items = list.data?.items ?? [];
  const current = items.find((s) => sameFilters(filtersOfSegment(s), applied));

  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      await invalidate(client, '/api/segments');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card segments" aria-label={t('segments.title')}>
      <div className="card-header">
        <h2>{t('segments.title')}</h2>
        <span className="muted small">{t('segments.hint')}</span>
      </div>
      {list.isPending ? (
        <p className="muted small">{t('segments.loading')}</p>
      ) : list.error && !list.data ? (
        <p className="field-error" role="alert">
          {t('segments.loadError', { error: errorMessage(list.error) })}
        </p>
      ) : items.length === 0 ? (
        <p className="muted small">{t('segments.empty')}</p>
      ) : (
        <ul className="segment-list">
          {items.map((s) => (
            <li key={s.id} className={s.id === current?.id ? 'segment segment-current' : 'segment'} data-segment={s.name}>
              <button
                type="button"
                className="btn btn-ghost btn-sm segment-open"
                aria-current={s.id === current?.id ? 'true' : undefined}
                onClick={() => onOpen(filtersOfSegment(s))}
              >
                {s.name}
              </button>
              <span className="small muted segment-count" aria-live="polite">
                {s.counting
                  ? s.count != null
                    ? t('segments.recounting', { count: s.count, shown: formatNumber(s.count) })
                    : t('segments.counting')
                  : s.count != null
                    ? t('segments.count', { count: s.count, shown: formatNumber(s.count), at: formatDate(s.counted_at, true) })
                    : t('segments.notCounted')}
              </span>
              {canEdit && (
                <span className="segment-actions">
                  <button
                    type="button"
                    className="btn btn-ghost btn-sm"
                    disabled={busy || s.counting}
                    onClick={() => void act(() => api(`/api/segments/${encodeURIComponent(s.id)}/count`, { method: 'POST' }))}
                  >
                    {t('segments.recount')}
                  </button>
                  <button type="button" className="btn btn-ghost btn-sm" disabled={busy} onClick={() => setDeleting(s)} aria-label={t('segments.deleteNamed', { name: s.name })}>
                    {t('segments.delete')}
                  </button>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && !current && (
        <SaveSegment applied={applied} full={!!list.data && items.length >= list.data.max} max={list.data?.max ?? 0} onSaved={() => invalidate(client, '/api/segments')} />
      )}
      {!!error && (
        <p className="field-error" role="alert">
          {errorMessage(error)}
        </p>
      )}
      {deleting && (
        <ConfirmDialog
          title={t('segments.deleteTitle', { name: deleting.name })}
          confirmLabel={t('segments.delete')}
          busy={busy}
          onCancel={() => setDeleting(null)}
          onConfirm={() =>
            void act(() => api(`/api/segments/${encodeURIComponent(deleting.id)}`, { method: 'DELETE' })).then(() => setDeleting(null))
          }
        >
          <p>{t('segments.deleteBody')}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

/** Saves the filters applied now (not the search text) under a name. */
function SaveSegment({ applied, full, max, onSaved }: { applied: Filters; full: boolean; max: number; onSaved: () => Promise<void> }) {
  const { t } = useTranslation('contacts');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const s = await api<SegmentView>('/api/segments', { method: 'POST', body: { name: name.trim(), filter: segmentFilter(applied) } });
      setSaved(s.name);
      setName('');
      await onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  if (full) return <p className="muted small">{t('segments.full', { count: max })}</p>;
  return (
    <form className="segment-save" onSubmit={(e) => void submit(e)}>
      <input
        type="text"
        aria-label={t('segments.nameLabel')}
        placeholder={t('segments.namePlaceholder')}
        value={name}
        maxLength={60}
        onChange={(e) => setName(e.target.value)}
      />
      <button type="submit" className="btn btn-secondary btn-sm" disabled={busy || !name.trim()}>
        {t('segments.save')}
      </button>
      {applied.q && <span className="muted small">{t('segments.searchNotSaved')}</span>}
      {saved && !error && (
        <span className="small muted" role="status">
          {t('segments.saved', { name: saved })}
        </span>
      )}
      {!!error && (
        <span className="field-error" role="alert">
          {errorMessage(error)}
        </span>
      )}
    </form>
  );
}
