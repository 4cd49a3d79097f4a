// /scenarios — the workspace's bot scenarios: open, create (empty or from a
// starter template), duplicate and delete.
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, ApiError, seg } from '../../api/client';
import type { BotList, BotView } from '../../api/types';
import { useApi } from '../../api/useApi';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { SelectField, TextField } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorState, errorMessage, FormError, Loading } from '../../components/States';
import { formatDate } from '../../format';
import type { CreateScenarioRequest, ScenarioListResponse, ScenarioSummary, ScenarioView, TemplateList } from './types';

export function ScenarioList() {
  const { me } = useAuth();
  const canEdit = atLeast(me?.role, 'manager');
  const navigate = useNavigate();
  const list = useApi<ScenarioListResponse>('/api/scenarios');
  const bots = useApi<BotList>('/api/bots');
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<ScenarioSummary | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const botName = (id: number) => {
    const b = bots.data?.bots.find((x) => x.id === id);
    return b ? `@${b.username}` : `Bot ${id}`;
  };

  const duplicate = async (s: ScenarioSummary) => {
    setBusy(s.id);
    setError(null);
    setNotice(null);
    try {
      const copy = await api<ScenarioView>(`/api/scenarios/${seg(s.id)}/duplicate`, { method: 'POST' });
      setNotice(`Copied as “${copy.name}”.`);
      list.reload();
    } catch (e) {
      setError(`Could not duplicate “${s.name}”: ${errorMessage(e)}`);
    } finally {
      setBusy(null);
    }
  };

  const remove = async (s: ScenarioSummary) => {
    setBusy(s.id);
    setError(null);
    setNotice(null);
    try {
      await api<void>(`/api/scenarios/${seg(s.id)}`, { method: 'DELETE' });
      setDeleting(null);
      setNotice(`Deleted “${s.name}”.`);
      list.reload();
    } catch (e) {
      setDeleting(null);
      setError(`Could not delete “${s.name}”: ${errorMessage(e)}`);
    } finally {
      setBusy(null);
    }
  };

  const scenarios = list.data?.scenarios ?? [];
  return (
    <>
      <PageHeader
        title="Scenarios"
        subtitle="Bot conversations you design visually: greet buyers, ask what they need, search your stock and hand off to a manager."
        actions={
          canEdit &&
          me?.workspace && (
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
              New scenario
            </button>
          )
        }
      />
      {!me?.workspace ? (
        <EmptyState title="No workspace">Scenarios belong to a workspace; log in as one of its members.</EmptyState>
      ) : (
        <section className="card" aria-label="Scenarios">
          {notice && (
            <div className="notice notice-ok" role="status">
              {notice}
            </div>
          )}
          <FormError error={error} />
          {list.loading && !list.data ? (
            <Loading label="Loading scenarios…" />
          ) : list.error ? (
            <ErrorState title="Could not load the scenarios" error={list.error} onRetry={list.reload} />
          ) : scenarios.length === 0 ? (
            <EmptyState title="No scenarios yet">
              {canEdit ? (
                <>
                  <p>Create one from a starter template (lead generation, catalog search, support) or from scratch.</p>
                  <button type="button" className="btn btn-primary btn-sm" onClick={() => setCreating(true)}>
                    New scenario
                  </button>
                </>
              ) : (
                'A manager of your workspace can create the first one.'
              )}
            </EmptyState>
          ) : (
            <div className="table-wrap">
              <table className="table sc-list">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Bots</th>
                    <th scope="col">Published</th>
                    <th scope="col">Updated</th>
                    {canEdit && (
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {scenarios.map((s) => (
                    <tr key={s.id}>
                      <td>
                        <Link to={`/scenarios/${encodeURIComponent(s.id)}`} className="sc-list-name">
                          {s.name || 'Untitled scenario'}
                        </Link>
                      </td>
                      <td>{s.bot_ids.length === 0 ? <span className="muted">All bots</span> : s.bot_ids.map(botName).join(', ')}</td>
                      <td>
                        {s.published_version ? `Version ${s.published_version}` : <span className="muted">Draft only</span>}
                        {s.published_version && s.has_unpublished_changes && <span className="sc-badge-changes">unpublished changes</span>}
                      </td>
                      <td className="muted small">{formatDate(s.updated_at, true)}</td>
                      {canEdit && (
                        <td className="actions">
                          <button
                            type="button"
                            className="btn btn-ghost btn-sm"
                            onClick={() => void duplicate(s)}
                            disabled={busy !== null}
                            aria-label={`Duplicate ${s.name}`}
                          >
                            {busy === s.id && !deleting ? 'Copying…' : 'Duplicate'}
                          </button>
                          <button
                            type="button"
                            className="btn btn-ghost btn-sm btn-danger-text"
                            onClick={() => setDeleting(s)}
                            disabled={busy !== null}
                            aria-label={`Delete ${s.name}`}
                          >
                            Delete
                          </button>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
      {creating && (
        <NewScenarioDialog
          bots={bots.data?.bots ?? null}
          botsError={bots.error ? errorMessage(bots.error) : null}
          onCancel={() => setCreating(false)}
          onCreated={(v) => navigate(`/scenarios/${encodeURIComponent(v.id)}`)}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete “${deleting.name}”?`}
          confirmLabel="Delete scenario"
          busy={busy === deleting.id}
          onCancel={() => setDeleting(null)}
          onConfirm={() => void remove(deleting)}
        >
          <p>The scenario and all its published versions are deleted. Buyers inside it stop getting its messages.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

function NewScenarioDialog({
  bots,
  botsError,
  onCancel,
  onCreated,
}: {
  bots: BotView[] | null;
  botsError: string | null;
  onCancel: () => void;
  onCreated: (v: ScenarioView) => void;
}) {
  const templates = useApi<TemplateList>('/api/scenarios/templates');
  const [name, setName] = useState('');
  const [template, setTemplate] = useState('');
  const [botIds, setBotIds] = useState<number[]>([]);
  const [nameError, setNameError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !busy) onCancel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [busy, onCancel]);

  const chosen = templates.data?.templates.find((t) => t.key === template);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!name.trim()) {
      setNameError('Enter a name, e.g. “Welcome and search”.');
      return;
    }
    setNameError(null);
    setBusy(true);
    try {
      const body: CreateScenarioRequest = { name: name.trim(), template: template || null, bot_ids: botIds };
      const v = await api<ScenarioView>('/api/scenarios', { method: 'POST', body });
      onCreated(v);
    } catch (err) {
      if (err instanceof ApiError && err.field === 'name') setNameError(err.message);
      else setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <div className="modal-backdrop" onClick={() => !busy && onCancel()}>
      <div className="modal modal-wide" role="dialog" aria-modal="true" aria-labelledby="new-scenario-title" onClick={(e) => e.stopPropagation()}>
        <h2 id="new-scenario-title">New scenario</h2>
        <form onSubmit={submit} noValidate>
          <FormError error={error} />
          <TextField label="Name" value={name} maxLength={80} onChange={(e) => setName(e.target.value)} error={nameError} autoFocus />
          <SelectField label="Starter template" value={template} onChange={(e) => setTemplate(e.target.value)}>
            <option value="">Empty scenario</option>
            {(templates.data?.templates ?? []).map((t) => (
              <option key={t.key} value={t.key}>
                {t.name}
              </option>
            ))}
          </SelectField>
          {templates.error ? (
            <p className="field-error">Could not load the templates: {errorMessage(templates.error)}</p>
          ) : templates.loading ? (
            <p className="muted small">Loading templates…</p>
          ) : (
            <p className="muted small">{chosen ? chosen.description : 'Start from a blank canvas.'}</p>
          )}
          <fieldset className="sc-bots">
            <legend className="field-label">Bots</legend>
            {botsError && <p className="field-error">Could not load the bots: {botsError}</p>}
            {bots && bots.length === 0 && <p className="muted small">No bots are connected yet; the scenario will run on any you connect.</p>}
            {(bots ?? []).map((b) => (
              <label key={b.id} className="sc-check">
                <input
                  type="checkbox"
                  checked={botIds.includes(b.id)}
                  onChange={(e) => setBotIds((ids) => (e.target.checked ? [...ids, b.id] : ids.filter((x) => x !== b.id)))}
                />
                @{b.username}
              </label>
            ))}
            <span className="field-hint">None ticked: the scenario runs on every bot of the workspace.</span>
          </fieldset>
          <div className="modal-actions">
            <button type="button" className="btn btn-ghost" onClick={onCancel} disabled={busy}>
              Cancel
            </button>
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? 'Creating…' : 'Create'}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
