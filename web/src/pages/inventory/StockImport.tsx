// Inventory → Import: a dealer's whole stock from a CSV or XML feed. The
// file goes to the file store (presigned upload), the API reads it and
// offers a mapping (the source's remembered one, or guessed from the column
// names), the dealer adjusts it, and the import runs in the background: this
// page polls its progress and shows the per-row report. Importing the same
// source again updates its cars instead of adding new ones.
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import type { FeedImportView, FeedPreview } from '../../api/types';
import { uploadFile } from '../../api/upload';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { ImportReport } from '../../components/ImportReport';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, FormError } from '../../components/States';

/** What the file store may keep a feed as: XML goes as plain text (a browser never renders it). */
export function feedFile(file: File): File {
  const xml = /xml/.test(file.type) || /\.xml$/i.test(file.name);
  const type = xml ? 'text/plain' : ['text/csv', 'text/plain', 'application/vnd.ms-excel'].includes(file.type) ? file.type : 'text/csv';
  return type === file.type ? file : new File([file], file.name, { type });
}

type Step = { kind: 'pick' } | { kind: 'map'; fileId: string; preview: FeedPreview } | { kind: 'run'; importId: string };

export function StockImport() {
  const { t } = useTranslation('stockImport');
  const { me } = useAuth();
  const [step, setStep] = useState<Step>({ kind: 'pick' });

  const header = (
    <PageHeader
      title={t('title')}
      subtitle={t('subtitle')}
      actions={
        <Link to="/inventory" className="btn btn-secondary">
          {t('backToInventory')}
        </Link>
      }
    />
  );
  if (!me?.workspace) {
    return (
      <>
        {header}
        <EmptyState title={t('common:states.noWorkspace')}>{t('noWorkspace')}</EmptyState>
      </>
    );
  }
  if (!atLeast(me.role, 'manager')) {
    return (
      <>
        {header}
        <EmptyState title={t('onlyManagers')} />
      </>
    );
  }
  return (
    <>
      {header}
      {step.kind === 'pick' && <PickFeed onRead={(fileId, preview) => setStep({ kind: 'map', fileId, preview })} />}
      {step.kind === 'map' && (
        <MapColumns fileId={step.fileId} preview={step.preview} onStarted={(importId) => setStep({ kind: 'run', importId })} onBack={() => setStep({ kind: 'pick' })} />
      )}
      {step.kind === 'run' && <Progress importId={step.importId} onAnother={() => setStep({ kind: 'pick' })} />}
    </>
  );
}

function PickFeed({ onRead }: { onRead: (fileId: string, preview: FeedPreview) => void }) {
  const { t } = useTranslation('stockImport');
  const id = useId();
  const [source, setSource] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file || !source.trim()) {
      setError(t(!file ? 'fileMissing' : 'sourceMissing'));
      return;
    }
    setError(null);
    try {
      setBusy(t('uploading'));
      const stored = await uploadFile(feedFile(file), { purpose: 'stock_feed' });
      setBusy(t('reading'));
      const preview = await api<FeedPreview>('/api/parser/feeds/preview', { method: 'POST', body: { source: source.trim(), file_id: stored.id } });
      onRead(stored.id, preview);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <form className="card form" onSubmit={submit} aria-label={t('pickForm')}>
      <FormError error={error} />
      <div className="field">
        <label className="field-label" htmlFor={`${id}-source`}>
          {t('source')}
        </label>
        <input id={`${id}-source`} value={source} maxLength={80} placeholder={t('sourcePlaceholder')} onChange={(e) => setSource(e.target.value)} />
        <span className="field-hint">{t('sourceHint')}</span>
      </div>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-file`}>
          {t('file')}
        </label>
        <input id={`${id}-file`} type="file" accept=".csv,.xml,.txt,.yml,text/csv,text/xml,application/xml" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        <span className="field-hint">{t('fileHint')}</span>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={!!busy}>
          {busy ?? t('read')}
        </button>
      </div>
    </form>
  );
}

function MapColumns({ fileId, preview, onStarted, onBack }: { fileId: string; preview: FeedPreview; onStarted: (id: string) => void; onBack: () => void }) {
  const { t } = useTranslation('stockImport');
  const id = useId();
  const [mapping, setMapping] = useState<Record<string, string>>(preview.mapping);
  const [currency, setCurrency] = useState(preview.currency ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const started = await api<FeedImportView>('/api/parser/feeds/imports', {
        method: 'POST',
        body: { source: preview.source, file_id: fileId, mapping, currency: currency.trim() || null },
      });
      onStarted(started.id);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card form" onSubmit={submit} aria-label={t('mapForm')}>
      <h2>{t('mapTitle', { count: preview.rows })}</h2>
      <p className="muted small">{preview.remembered ? t('remembered', { source: preview.source }) : t('guessed')}</p>
      <FormError error={error} />
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th>{t('field')}</th>
              <th>{t('column')}</th>
            </tr>
          </thead>
          <tbody>
            {preview.fields.map((f) => (
              <tr key={f}>
                <td>
                  <label htmlFor={`${id}-${f}`}>{t(`fields.${f}`, { defaultValue: f })}</label>
                </td>
                <td>
                  <select
                    id={`${id}-${f}`}
                    value={mapping[f] ?? ''}
                    onChange={(e) => {
                      const next = { ...mapping };
                      if (e.target.value) next[f] = e.target.value;
                      else delete next[f];
                      setMapping(next);
                    }}
                  >
                    <option value="">{t('notImported')}</option>
                    {preview.columns.map((c) => (
                      <option key={c} value={c}>
                        {c}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-default-currency`}>
          {t('currency')}
        </label>
        <input id={`${id}-default-currency`} value={currency} maxLength={3} onChange={(e) => setCurrency(e.target.value.toUpperCase())} />
        <span className="field-hint">{t('currencyHint')}</span>
      </div>
      <h3>{t('sample')}</h3>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              {preview.columns.map((c) => (
                <th key={c}>{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.sample.map((row, i) => (
              <tr key={i}>
                {row.map((v, j) => (
                  <td key={j}>{v}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="form-actions">
        <button type="button" className="btn btn-secondary" onClick={onBack}>
          {t('anotherFile')}
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t('starting') : t('start', { count: preview.rows })}
        </button>
      </div>
    </form>
  );
}

function Progress({ importId, onAnother }: { importId: string; onAnother: () => void }) {
  const { t } = useTranslation('stockImport');
  return (
    <ImportReport
      path={`/api/parser/feeds/imports/${encodeURIComponent(importId)}`}
      ns="stockImport"
      detail={(r) =>
        r.outcome === 'rejected' ? (
          <>
            <strong>{t(`fields.${r.field ?? ''}`, { defaultValue: r.field ?? '' })}</strong>: {r.message}
          </>
        ) : r.listing_id ? (
          <Link to={`/inventory/${encodeURIComponent(r.listing_id)}`}>{t('openCar')}</Link>
        ) : null
      }
      actions={
        <>
          <button type="button" className="btn btn-secondary" onClick={onAnother}>
            {t('importAnother')}
          </button>
          <Link to="/inventory" className="btn btn-primary">
            {t('toInventory')}
          </Link>
        </>
      }
    />
  );
}
