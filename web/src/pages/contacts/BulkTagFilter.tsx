import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { invalidate, useApiQuery } from '../../api/query';
import type { BulkTagView } from '../../api/types';
import { formatNumber } from '../../i18n/format';
import { segmentFilter, type Filters } from './filters';

/** How often a running job is asked about. */
const POLL_MS = 1500;

/**
 * "Tag everyone matching": adds or removes a tag on every contact the
 * applied filters hold (not only the page shown); the server does it in the
 * background and this polls until it is done.
 */
export function BulkTagFilter({ applied }: { applied: Filters }) {
  const { t } = useTranslation('contacts');
  const client = useQueryClient();
  const [tag, setTag] = useState('');
  const [id, setId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const job = useApiQuery<BulkTagView>(id ? `/api/contacts/tags/bulk/${encodeURIComponent(id)}` : null, {
    refetchInterval: (q) => (q.state.data && !q.state.data.done ? POLL_MS : false),
  });
  // The list shows the new tags once the job is done.
  const doneId = job.data?.done ? job.data.id : null;
  useEffect(() => {
    if (doneId) void invalidate(client, '/api/contacts');
  }, [doneId, client]);
  const run = async (how: 'add' | 'remove') => {
    if (!tag.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const body = { filter: segmentFilter(applied), q: applied.q?.trim() || null, [how]: [tag.trim()] };
      const started = await api<BulkTagView>('/api/contacts/tags/bulk', { method: 'POST', body });
      setId(started.id);
      setTag('');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const j = job.data;
  return (
    <form
      className="bulk-tags"
      aria-label={t('bulkAll.label')}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        void run('add');
      }}
    >
      <input type="text" aria-label={t('bulkAll.tag')} placeholder={t('bulkAll.tag')} value={tag} onChange={(e) => setTag(e.target.value)} maxLength={40} />
      <button type="submit" className="btn btn-secondary btn-sm" disabled={busy || !tag.trim() || (!!j && !j.done)}>
        {t('bulkAll.add')}
      </button>
      <button type="button" className="btn btn-ghost btn-sm" disabled={busy || !tag.trim() || (!!j && !j.done)} onClick={() => void run('remove')}>
        {t('bulkAll.remove')}
      </button>
      {j && (
        <span className="small muted" role="status">
          {j.done ? t('bulkAll.done', { count: j.changed, shown: formatNumber(j.changed) }) : t('bulkAll.running', { count: j.seen, shown: formatNumber(j.seen) })}
        </span>
      )}
      {!!(error || job.error) && (
        <span className="field-error" role="alert">
          {errorMessage(error || job.error)}
        </span>
      )}
    </form>
  );
}
