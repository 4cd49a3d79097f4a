import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { invalidate, keyOf, useApiQuery } from '../../api/query';
import type { UpdateWorkspaceRequest, WorkspaceView } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { TextField } from '../../components/Field';
import { FormError, QueryView } from '../../components/States';
import { formatDate } from '../../i18n/format';
import { TimeZoneCard } from './TimeZoneCard';

export function CompanyTab() {
  const { t } = useTranslation('settings');
  const { me, refreshMe } = useAuth();
  const client = useQueryClient();
  const ws = useApiQuery<WorkspaceView>('/api/workspace');
  const canRename = atLeast(me?.role, 'owner');
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [nameError, setNameError] = useState<string | null>(null);
  const [general, setGeneral] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  const startEdit = (w: WorkspaceView) => {
    setName(w.name);
    setNameError(null);
    setGeneral(null);
    setSaved(false);
    setEditing(true);
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setNameError(null);
    setGeneral(null);
    if (!name.trim()) {
      setNameError(t('company.nameMissing'));
      return;
    }
    setBusy(true);
    try {
      const body: UpdateWorkspaceRequest = { name: name.trim() };
      const updated = await api<WorkspaceView>('/api/workspace', { method: 'PATCH', body });
      client.setQueryData(keyOf('/api/workspace'), updated);
      void invalidate(client, '/api/dashboard');
      setEditing(false);
      setSaved(true);
      // The top bar shows the workspace name from /api/auth/me.
      refreshMe().catch(() => undefined);
    } catch (err) {
      if (err instanceof ApiError && err.field === 'name') setNameError(errorMessage(err));
      else setGeneral(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <QueryView query={ws} loading={t('company.loading')} errorTitle={t('company.loadError')}>
      {(w) => (
        <>
        <div className="card">
          <h2>{t('company.title')}</h2>
          {editing ? (
            <form className="inline-form" onSubmit={onSubmit} noValidate>
              <FormError error={general} />
              <TextField
                label={t('company.name')}
                value={name}
                onChange={(e) => setName(e.target.value)}
                autoFocus
                required
                error={nameError}
              />
              <div className="form-actions">
                <button type="submit" className="btn btn-primary" disabled={busy}>
                  {busy ? t('common:actions.saving') : t('common:actions.save')}
                </button>
                <button type="button" className="btn btn-ghost" onClick={() => setEditing(false)} disabled={busy}>
                  {t('common:actions.cancel')}
                </button>
              </div>
            </form>
          ) : (
            <>
              {saved && (
                <div className="notice notice-ok" role="status">
                  {t('company.renamed')}
                </div>
              )}
              <dl className="facts">
                <dt>{t('company.nameShort')}</dt>
                <dd>{w.name}</dd>
                <dt>{t('company.slug')}</dt>
                <dd>
                  <code>{w.slug}</code>
                </dd>
                <dt>{t('company.created')}</dt>
                <dd>{formatDate(w.created_at)}</dd>
                <dt>{t('company.id')}</dt>
                <dd>
                  <code>{w.id}</code>
                </dd>
              </dl>
              {canRename ? (
                <button type="button" className="btn btn-secondary" onClick={() => startEdit(w)}>
                  {t('company.rename')}
                </button>
              ) : (
                <p className="muted small">{t('company.onlyOwner')}</p>
              )}
            </>
          )}
        </div>
        <TimeZoneCard workspace={w} canChange={canRename} />
        </>
      )}
    </QueryView>
  );
}
