import { Download } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { useApiQuery } from '../../api/query';
import type { ContactExportView } from '../../api/types';
import { formatNumber } from '../../i18n/format';
import { segmentFilter, type Filters } from './filters';

/** How often a running export is asked about. */
const POLL_MS = 1500;

/**
 * "Export CSV" for the filters applied now (not the search text): the file
 * is written in the background; the link appears when it is ready.
 */
export function ExportContacts({ applied }: { applied: Filters }) {
  const { t } = useTranslation('contacts');
  const [id, setId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const exp = useApiQuery<ContactExportView>(id ? `/api/contacts/exports/${encodeURIComponent(id)}` : null, {
    refetchInterval: (q) => (q.state.data?.status === 'running' ? POLL_MS : false),
  });
  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      const e = await api<ContactExportView>('/api/contacts/exports', { method: 'POST', body: { filter: segmentFilter(applied) } });
      setId(e.id);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const e = exp.data;
  return (
    <span className="contacts-export">
      <button type="button" className="btn btn-secondary btn-sm" onClick={() => void start()} disabled={busy || e?.status === 'running'}>
        <Download size={16} aria-hidden="true" /> {t('export.start')}
      </button>
      {e?.status === 'running' && (
        <span className="small muted" role="status">
          {t('export.running', { count: e.rows, shown: formatNumber(e.rows) })}
        </span>
      )}
      {e?.status === 'done' && e.download_url && (
        <a className="small" href={e.download_url} download={e.file_name}>
          {t('export.download', { count: e.rows, shown: formatNumber(e.rows), name: e.file_name })}
        </a>
      )}
      {e?.status === 'failed' && (
        <span className="field-error" role="alert">
          {t('export.failed')}
        </span>
      )}
      {!!(error || exp.error) && (
        <span className="field-error" role="alert">
          {errorMessage(error || exp.error)}
        </span>
      )}
      {applied.q && <span className="muted small">{t('export.searchNotApplied')}</span>}
    </span>
  );
}
