import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { api, ApiError, seg } from '../api/client';
import { errorMessage } from '../api/errors';
import { invalidate, keyOf, useApiQuery } from '../api/query';
import type { CreatedWorkspace, CreateWorkspaceRequest, PasswordResetView, WorkspaceList } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { TextField } from '../components/Field';
import { InviteLink } from '../components/InviteLink';
import { ResetLink } from '../components/ResetLink';
import { PageHeader } from '../components/PageHeader';
import { EmptyState, FormError, QueryView } from '../components/States';
import { formatDate } from '../i18n/format';
import { browserZone } from '../i18n/zones';
import { NotFound } from './NotFound';

// The fields typed into the form (the optional time zone is not one of them).
type Field = Exclude<keyof CreateWorkspaceRequest, 'time_zone'>;

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
  const { t } = useTranslation('admin');
  const { me } = useAuth();
  const client = useQueryClient();
  const isSuper = me?.role === 'superadmin';
  const list = useApiQuery<WorkspaceList>(isSuper ? '/api/admin/workspaces' : null);
  const [created, setCreated] = useState<CreatedWorkspace | null>(null);

  if (!isSuper) return <NotFound />;

  const onCreated = (c: CreatedWorkspace) => {
    setCreated(c);
    if (list.data) client.setQueryData(keyOf('/api/admin/workspaces'), { workspaces: [c.workspace, ...list.data.workspaces] });
    else void invalidate(client, '/api/admin/workspaces');
  };

  return (
    <>
      <PageHeader title={t('title')} subtitle={t('subtitle')} />
      <section className="card">
        <h2>{t('new')}</h2>
        <CreateWorkspaceForm onCreated={onCreated} />
        {created?.owner_invite.link_path && (
          <>
            <div className="notice notice-ok" role="status">
              <Trans t={t} i18nKey="created" values={{ name: created.workspace.name }} components={{ strong: <strong /> }} />
            </div>
            <InviteLink email={created.owner_invite.email} linkPath={created.owner_invite.link_path} />
          </>
        )}
      </section>
      <section className="card">
        <h2>{t('all')}</h2>
        <QueryView query={list} loading={t('loading')} errorTitle={t('loadError')}>
          {(data) =>
        data.workspaces.length === 0 ? (
          <EmptyState title={t('empty')}>{t('emptyBody')}</EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th>{t('name')}</th>
                  <th>{t('slug')}</th>
                  <th>{t('createdAt')}</th>
                  <th>{t('id')}</th>
                </tr>
              </thead>
              <tbody>
                {data.workspaces.map((w) => (
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
        )
          }
        </QueryView>
      </section>
      <section className="card">
        <h2>{t('reset.title')}</h2>
        <p className="muted small">{t('reset.intro')}</p>
        <ResetPasswordForm />
      </section>
    </>
  );
}

/** A one-time link that sets a new password for any account (a workspace owner who forgot theirs). */
function ResetPasswordForm() {
  const { t } = useTranslation('admin');
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [general, setGeneral] = useState<unknown>(null);
  const [reset, setReset] = useState<PasswordResetView | null>(null);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setGeneral(null);
    setReset(null);
    if (!email.trim()) {
      setError(t('reset.emailMissing'));
      return;
    }
    setBusy(true);
    try {
      setReset(await api<PasswordResetView>(`/api/admin/logins/${seg(email.trim())}/password-reset`, { method: 'POST' }));
      setEmail('');
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) setError(t('reset.noAccount'));
      else if (err instanceof ApiError && err.field === 'email') setError(errorMessage(err));
      else setGeneral(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <form className="inline-form" onSubmit={onSubmit} noValidate>
        <FormError error={general} />
        <div className="form-row">
          <TextField
            grow
            label={t('reset.email')}
            type="email"
            name="reset-email"
            required
            placeholder={t('ownerEmailPlaceholder')}
            value={email}
            onChange={(e) => {
              setEmail(e.target.value);
              setError(null);
            }}
            error={error}
          />
          <div className="field field-button">
            <button type="submit" className="btn btn-secondary" disabled={busy}>
              {busy ? t('reset.creating') : t('reset.create')}
            </button>
          </div>
        </div>
      </form>
      {reset && <ResetLink reset={reset} onDismiss={() => setReset(null)} />}
    </>
  );
}

function CreateWorkspaceForm({ onCreated }: { onCreated: (c: CreatedWorkspace) => void }) {
  const { t } = useTranslation('admin');
  const [form, setForm] = useState<CreateWorkspaceRequest>({ name: '', slug: '', owner_email: '' });
  const [slugTouched, setSlugTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});
  const [general, setGeneral] = useState<unknown>(null);

  const set = (f: Field, v: string) => {
    setForm((x) => ({ ...x, [f]: v, ...(f === 'name' && !slugTouched ? { slug: slugify(v) } : {}) }));
    setFieldErrors((fe) => ({ ...fe, [f]: undefined }));
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setGeneral(null);
    const fe: Partial<Record<Field, string>> = {};
    if (!form.name.trim()) fe.name = t('nameMissing');
    if (!form.slug.trim()) fe.slug = t('slugMissing');
    if (!form.owner_email.trim()) fe.owner_email = t('ownerMissing');
    setFieldErrors(fe);
    if (Object.keys(fe).length) return;
    setBusy(true);
    try {
      const body: CreateWorkspaceRequest = {
        name: form.name.trim(),
        slug: form.slug.trim(),
        owner_email: form.owner_email.trim(),
        // The new company's dates start in the creator's zone; its owner can change it in Settings → Company.
        time_zone: browserZone(),
      };
      const c = await api<CreatedWorkspace>('/api/admin/workspaces', { method: 'POST', body });
      onCreated(c);
      setForm({ name: '', slug: '', owner_email: '' });
      setSlugTouched(false);
    } catch (err) {
      if (err instanceof ApiError && (err.field === 'name' || err.field === 'slug' || err.field === 'owner_email')) {
        setFieldErrors({ [err.field]: errorMessage(err) });
      } else {
        setGeneral(err);
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
      required
      type={props.type ?? 'text'}
      placeholder={props.placeholder}
      value={form[f] ?? ''}
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
        {field('name', t('companyName'), { placeholder: t('companyNamePlaceholder') })}
        {field('slug', t('slug'), { placeholder: t('slugPlaceholder'), onInput: () => setSlugTouched(true) })}
        {field('owner_email', t('ownerEmail'), { type: 'email', placeholder: t('ownerEmailPlaceholder') })}
        <div className="field field-button">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('creating') : t('create')}
          </button>
        </div>
      </div>
    </form>
  );
}
