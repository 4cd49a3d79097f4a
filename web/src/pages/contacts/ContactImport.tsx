// Contacts → Import: buyers from a CSV (an old CRM's export, a spreadsheet).
// The file goes to the file store, the API checks its header names a
// Telegram id, username or phone column, and the rows are written in the
// background: this page polls the import and shows what each row did.
// The deep link `/contacts/import?id=…` reopens an import's report.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { invalidate, usePolledQuery } from '../../api/query';
import type { FeedImportView, RowOutcome } from '../../api/types';
import { uploadFile } from '../../api/upload';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorState, FormError, Loading } from '../../components/States';
import { feedFile } from '../inventory/StockImport';

const OUTCOMES: RowOutcome[] = ['created', 'updated', 'unchanged', 'rejected'];

export function ContactImport() {
  const { t } = useTranslation('contacts');
  const { me } = useAuth();
  const [params, setParams] = useSearchParams();
  const importId = params.get('id');
  const header = (
    <PageHeader
      title={t('import.title')}
      subtitle={t('import.subtitle')}
      actions={
        <Link to="/contacts" className="btn btn-secondary">
          {t('back')}
        </Link>
      }
    />
  );
  if (!me?.workspace || !atLeast(me.role, 'manager')) {
    return (
      <>
        {header}
        <EmptyState title={me?.workspace ? t('import.onlyManagers') : t('common:states.noWorkspace')} />
      </>
    );
  }
  return (
    <>
      {header}
      {importId ? (
        <Report importId={importId} onAnother={() => setParams({})} />
      ) : (
        <PickFile onStarted={(id) => setParams({ id })} />
      )}
    </>
  );
}

function PickFile({ onStarted }: { onStarted: (id: string) => void }) {
  const { t } = useTranslation('contacts');
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) {
      setError(t('import.fileMissing'));
      return;
    }
    setError(null);
    try {
      setBusy(t('import.uploading'));
      const stored = await uploadFile(feedFile(file), { purpose: 'contact_list' });
      setBusy(t('import.starting'));
      const started = await api<FeedImportView>('/api/contacts/imports', { method: 'POST', body: { file_id: stored.id } });
      onStarted(started.id);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };
  return (
    <form className="card form" onSubmit={submit} aria-label={t('import.title')}>
      <FormError error={error} />
      <div className="field">
        <label className="field-label" htmlFor={`${id}-file`}>
          {t('import.file')}
        </label>
        <input id={`${id}-file`} type="file" accept=".csv,.txt,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        <span className="field-hint">{t('import.fileHint')}</span>
      </div>
      <p className="muted small">{t('import.rules')}</p>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={!!busy}>
          {busy ?? t('import.start')}
        </button>
      </div>
    </form>
  );
}

function Report({ importId, onAnother }: { importId: string; onAnother: () => void }) {
  const { t } = useTranslation('contacts');
  const client = useQueryClient();
  const [only, setOnly] = useState<RowOutcome | ''>('');
  const [finished, setFinished] = useState(false);
  const poll = usePolledQuery<FeedImportView>(`/api/contacts/imports/${encodeURIComponent(importId)}`, finished ? 600_000 : 1500);
  const status = poll.data?.status;
  useEffect(() => {
    const over = !!status && status !== 'running';
    setFinished(over);
    // The list shows the new contacts once the rows are in.
    if (over) void invalidate(client, '/api/contacts');
  }, [status, client]);
  if (poll.isPending) return <Loading label={t('loading')} />;
  if (poll.isError) return <ErrorState title={t('import.loadError')} error={poll.error} onRetry={() => void poll.refetch()} />;
  const imp = poll.data;
  const rows = imp.report.filter((r) => !only || r.outcome === only);
  return (
    <section className="card" aria-label={t('import.progress')}>
      <h2>{imp.status === 'running' ? t('import.running', { done: imp.done_rows, total: imp.total_rows }) : imp.status === 'done' ? t('import.done') : t('import.failed')}</h2>
      <progress max={Math.max(imp.total_rows, 1)} value={imp.done_rows} aria-label={t('import.progress')} />
      {imp.error && <p className="form-error">{imp.error}</p>}
      <ul className="import-counts">
        {OUTCOMES.map((o) => (
          <li key={o}>
            {t(`import.outcomes.${o}`)}: <strong>{imp.counts[o]}</strong>
          </li>
        ))}
      </ul>
      {imp.status !== 'running' && (
        <>
          <div className="field">
            <label className="field-label" htmlFor={`${importId}-only`}>
              {t('import.show')}
            </label>
            <select id={`${importId}-only`} value={only} onChange={(e) => setOnly(e.target.value as RowOutcome | '')}>
              <option value="">{t('import.allRows')}</option>
              {OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {t(`import.outcomes.${o}`)}
                </option>
              ))}
            </select>
          </div>
          {rows.length === 0 ? (
            <EmptyState title={t('import.noRows')} />
          ) : (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th>{t('import.row')}</th>
                    <th>{t('import.outcome')}</th>
                    <th>{t('import.details')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.row}>
                      <td>{r.row}</td>
                      <td>{t(`import.outcomes.${r.outcome}`)}</td>
                      <td>
                        {r.outcome === 'rejected' ? (
                          <>
                            <strong>{r.field}</strong>: {r.message}
                          </>
                        ) : r.contact_id ? (
                          <Link to={`/contacts/${encodeURIComponent(r.contact_id)}`}>{t('import.openContact')}</Link>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <div className="form-actions">
            <button type="button" className="btn btn-secondary" onClick={onAnother}>
              {t('import.another')}
            </button>
            <Link to="/contacts" className="btn btn-primary">
              {t('import.toContacts')}
            </Link>
          </div>
        </>
      )}
    </section>
  );
}
