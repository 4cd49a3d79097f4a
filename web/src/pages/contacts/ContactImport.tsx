// Contacts → Import: buyers from a CSV (an old CRM's export, a spreadsheet).
// The file goes to the file store, the API checks its header names a
// Telegram id, username or phone column, and the rows are written in the
// background: this page polls the import and shows what each row did.
// The deep link `/contacts/import?id=…` reopens an import's report.
import { useCallback, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { invalidate } from '../../api/query';
import type { FeedImportView } from '../../api/types';
import { uploadFile } from '../../api/upload';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { PageHeader } from '../../components/PageHeader';
import { ImportReport } from '../../components/ImportReport';
import { EmptyState, FormError } from '../../components/States';
import { feedFile } from '../inventory/StockImport';

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
  // The list shows the new contacts once the rows are in.
  const reload = useCallback(() => void invalidate(client, '/api/contacts'), [client]);
  return (
    <ImportReport
      path={`/api/contacts/imports/${encodeURIComponent(importId)}`}
      ns="contacts"
      prefix="import."
      onFinished={reload}
      detail={(r) =>
        r.outcome === 'rejected' ? (
          <>
            <strong>{r.field}</strong>: {r.message}
          </>
        ) : r.contact_id ? (
          <Link to={`/contacts/${encodeURIComponent(r.contact_id)}`}>{t('import.openContact')}</Link>
        ) : null
      }
      actions={
        <>
          <button type="button" className="btn btn-secondary" onClick={onAnother}>
            {t('import.another')}
          </button>
          <Link to="/contacts" className="btn btn-primary">
            {t('import.toContacts')}
          </Link>
        </>
      }
    />
  );
}
