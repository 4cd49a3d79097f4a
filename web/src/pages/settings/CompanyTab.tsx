import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../../api/client';
import type { UpdateWorkspaceRequest, WorkspaceView } from '../../api/types';
import { useApi } from '../../api/useApi';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { TextField } from '../../components/Field';
import { ErrorState, errorMessage, FormError, Loading } from '../../components/States';
import { formatDate } from '../../format';

export function CompanyTab() {
  const { me, refreshMe } = useAuth();
  const ws = useApi<WorkspaceView>('/api/workspace');
  const canRename = atLeast(me?.role, 'owner');

  const [editing, setEditing] = useState(false);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [nameError, setNameError] = useState<string | null>(null);
  const [general, setGeneral] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  if (ws.loading) return <Loading label="Loading the company profile…" />;
  if (ws.error || !ws.data) return <ErrorState title="Could not load the company profile" error={ws.error} onRetry={ws.reload} />;
  const w = ws.data;

  const startEdit = () => {
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
      setNameError('The company needs a name.');
      return;
    }
    setBusy(true);
    try {
      const body: UpdateWorkspaceRequest = { name: name.trim() };
      const updated = await api<WorkspaceView>('/api/workspace', { method: 'PATCH', body });
      ws.setData(updated);
      setEditing(false);
      setSaved(true);
      // The top bar shows the workspace name from /api/auth/me.
      refreshMe().catch(() => undefined);
    } catch (err) {
      if (err instanceof ApiError && err.field === 'name') setNameError(err.message);
      else setGeneral(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="card">
      <h2>Company profile</h2>
      {editing ? (
        <form className="inline-form" onSubmit={onSubmit} noValidate>
          <FormError error={general} />
          <TextField
            label="Company name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoFocus
            error={nameError}
          />
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? 'Saving…' : 'Save'}
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => setEditing(false)} disabled={busy}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <>
          {saved && (
            <div className="notice notice-ok" role="status">
              The company was renamed.
            </div>
          )}
          <dl className="facts">
            <dt>Name</dt>
            <dd>{w.name}</dd>
            <dt>Slug</dt>
            <dd>
              <code>{w.slug}</code>
            </dd>
            <dt>Created</dt>
            <dd>{formatDate(w.created_at)}</dd>
            <dt>Workspace ID</dt>
            <dd>
              <code>{w.id}</code>
            </dd>
          </dl>
          {canRename ? (
            <button type="button" className="btn btn-secondary" onClick={startEdit}>
              Rename company
            </button>
          ) : (
            <p className="muted small">Only an owner can rename the company.</p>
          )}
        </>
      )}
    </div>
  );
}
