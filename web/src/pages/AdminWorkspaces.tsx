import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api/client';
import type { CreatedWorkspace, CreateWorkspaceRequest, WorkspaceList } from '../api/types';
import { useApi } from '../api/useApi';
import { useAuth } from '../auth/AuthContext';
import { TextField } from '../components/Field';
import { InviteLink } from '../components/InviteLink';
import { PageHeader } from '../components/PageHeader';
import { EmptyState, ErrorState, errorMessage, FormError, Loading } from '../components/States';
import { formatDate } from '../format';
import { NotFound } from './NotFound';

type Field = keyof CreateWorkspaceRequest;

function slugify(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
}

export function AdminWorkspaces() {
  const { me } = useAuth();
  const isSuper = me?.role === 'superadmin';
  const list = useApi<WorkspaceList>(isSuper ? '/api/admin/workspaces' : null);
  const [created, setCreated] = useState<CreatedWorkspace | null>(null);

  if (!isSuper) return <NotFound />;

  const onCreated = (c: CreatedWorkspace) => {
    setCreated(c);
    if (list.data) list.setData({ workspaces: [c.workspace, ...list.data.workspaces] });
    else list.reload();
  };

  return (
    <>
      <PageHeader title="Workspaces" subtitle="Every company on the platform. Create one and send its owner the invite link." />
      <section className="card">
        <h2>New workspace</h2>
        <CreateWorkspaceForm onCreated={onCreated} />
        {created?.owner_invite.link_path && (
          <>
            <div className="notice notice-ok" role="status">
              Workspace <strong>{created.workspace.name}</strong> was created.
            </div>
            <InviteLink email={created.owner_invite.email} linkPath={created.owner_invite.link_path} />
          </>
        )}
      </section>
      <section className="card">
        <h2>All workspaces</h2>
        {list.loading && !list.data ? (
          <Loading label="Loading workspaces…" />
        ) : list.error || !list.data ? (
          <ErrorState title="Could not load the workspaces" error={list.error} onRetry={list.reload} />
        ) : list.data.workspaces.length === 0 ? (
          <EmptyState title="No workspaces yet">Create the first one above.</EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Slug</th>
                  <th>Created</th>
                  <th>ID</th>
                </tr>
              </thead>
              <tbody>
                {list.data.workspaces.map((w) => (
                  <tr key={w.id}>
                    <td>{w.name}</td>
                    <td>
                      <code>{w.slug}</code>
                    </td>
                    <td>{formatDate(w.created_at)}</td>
                    <td>
                      <code className="muted">{w.id}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function CreateWorkspaceForm({ onCreated }: { onCreated: (c: CreatedWorkspace) => void }) {
  const [form, setForm] = useState<CreateWorkspaceRequest>({ name: '', slug: '', owner_email: '' });
  const [slugTouched, setSlugTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});
  const [general, setGeneral] = useState<string | null>(null);

  const set = (f: Field, v: string) => {
    setForm((x) => ({ ...x, [f]: v, ...(f === 'name' && !slugTouched ? { slug: slugify(v) } : {}) }));
    setFieldErrors((fe) => ({ ...fe, [f]: undefined }));
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setGeneral(null);
    const fe: Partial<Record<Field, string>> = {};
    if (!form.name.trim()) fe.name = 'Enter the company name.';
    if (!form.slug.trim()) fe.slug = 'Enter a short name for links (letters, digits, dashes).';
    if (!form.owner_email.trim()) fe.owner_email = "Enter the owner's e-mail.";
    setFieldErrors(fe);
    if (Object.keys(fe).length) return;
    setBusy(true);
    try {
      const body: CreateWorkspaceRequest = {
        name: form.name.trim(),
        slug: form.slug.trim(),
        owner_email: form.owner_email.trim(),
      };
      const c = await api<CreatedWorkspace>('/api/admin/workspaces', { method: 'POST', body });
      onCreated(c);
      setForm({ name: '', slug: '', owner_email: '' });
      setSlugTouched(false);
    } catch (err) {
      if (err instanceof ApiError && (err.field === 'name' || err.field === 'slug' || err.field === 'owner_email')) {
        setFieldErrors({ [err.field]: err.message });
      } else {
        setGeneral(errorMessage(err));
      }
    } finally {
      setBusy(false);
    }
  };

  const field = (f: Field, label: string, props: { type?: string; placeholder?: string; onInput?: () => void }) => (
    <TextField
      grow
      label={label}
      name={f}
      type={props.type ?? 'text'}
      placeholder={props.placeholder}
      value={form[f]}
      onChange={(e) => {
        props.onInput?.();
        set(f, e.target.value);
      }}
      error={fieldErrors[f]}
    />
  );

  return (
    <form className="inline-form" onSubmit={onSubmit} noValidate>
      <FormError error={general} />
      <div className="form-row">
        {field('name', 'Company name', { placeholder: 'Best Cars Ltd' })}
        {field('slug', 'Slug', { placeholder: 'best-cars', onInput: () => setSlugTouched(true) })}
        {field('owner_email', "Owner's e-mail", { type: 'email', placeholder: 'owner@bestcars.com' })}
        <div className="field field-button">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create workspace'}
          </button>
        </div>
      </div>
    </form>
  );
}
