import { useQueryClient } from '@tanstack/react-query';
import { KeyRound } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { api, ApiError, seg } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { invalidate, keyOf, useApiQuery } from '../../api/query';
import type { ChangeRoleRequest, CreateInviteRequest, InviteView, MemberView, PasswordResetView, Role, Team } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { atLeast, grantableRoles } from '../../auth/roles';
import { SelectField, TextField } from '../../components/Field';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { InviteLink } from '../../components/InviteLink';
import { ResetLink } from '../../components/ResetLink';
import { EmptyState, ErrorState, FormError, Loading } from '../../components/States';
import { formatDate } from '../../i18n/format';

type Pending = { kind: 'member'; member: MemberView } | { kind: 'invite'; invite: InviteView };

export function TeamTab() {
  const { t } = useTranslation('settings');
  const { me } = useAuth();
  const client = useQueryClient();
  const team = useApiQuery<Team>('/api/team');
  /** Shows a write's answer at once, and has the dashboard's figures asked again. */
  const setTeam = (next: Team) => {
    client.setQueryData(keyOf('/api/team'), next);
    void invalidate(client, '/api/dashboard');
  };
  const canManage = atLeast(me?.role, 'admin');
  const grantable = grantableRoles(me?.role);

  const [actionError, setActionError] = useState<string | null>(null);
  const [savingRole, setSavingRole] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [removing, setRemoving] = useState(false);
  const [created, setCreated] = useState<InviteView | null>(null);
  const [resetting, setResetting] = useState<string | null>(null);
  const [reset, setReset] = useState<PasswordResetView | null>(null);

  if (team.isPending) return <Loading label={t('team.loading')} />;
  if (!team.data) return <ErrorState title={t('team.loadError')} error={team.error} onRetry={() => void team.refetch()} />;
  const tm = team.data;

  /** Whether the signed-in user may change or remove this member (owners only touch owners). */
  const canTouch = (m: MemberView) =>
    canManage && m.email !== me?.email && (m.role !== 'owner' || me?.role === 'owner');

  /** Whether the signed-in user may issue a password reset link for this member (admins: below admin; owners: anyone). */
  const canReset = (m: MemberView) =>
    m.email !== me?.email && (me?.role === 'owner' || (me?.role === 'admin' && !atLeast(m.role, 'admin')));

  const issueReset = async (m: MemberView) => {
    setActionError(null);
    setReset(null);
    setResetting(m.email);
    try {
      setReset(await api<PasswordResetView>(`/api/team/members/${seg(m.email)}/password-reset`, { method: 'POST' }));
    } catch (err) {
      setActionError(t('team.resetFailed', { email: m.email, error: errorMessage(err) }));
    } finally {
      setResetting(null);
    }
  };

  const changeRole = async (m: MemberView, role: Role) => {
    setActionError(null);
    setSavingRole(m.email);
    try {
      const body: ChangeRoleRequest = { role };
      const updated = await api<MemberView>(`/api/team/members/${seg(m.email)}`, { method: 'PATCH', body });
      setTeam({ ...tm, members: tm.members.map((x) => (x.email === m.email ? updated : x)) });
    } catch (err) {
      setActionError(t('team.roleFailed', { email: m.email, error: errorMessage(err) }));
    } finally {
      setSavingRole(null);
    }
  };

  const confirmRemove = async () => {
    if (!pending) return;
    setActionError(null);
    setRemoving(true);
    try {
      if (pending.kind === 'member') {
        await api<void>(`/api/team/members/${seg(pending.member.email)}`, { method: 'DELETE' });
        setTeam({ ...tm, members: tm.members.filter((x) => x.email !== pending.member.email) });
      } else {
        await api<void>(`/api/team/invites/${seg(pending.invite.id)}`, { method: 'DELETE' });
        setTeam({ ...tm, invites: tm.invites.filter((x) => x.id !== pending.invite.id) });
        if (created?.id === pending.invite.id) setCreated(null);
      }
    } catch (err) {
      setActionError(
        pending.kind === 'member'
          ? t('team.removeFailed', { email: pending.member.email, error: errorMessage(err) })
          : t('team.revokeFailed', { email: pending.invite.email, error: errorMessage(err) }),
      );
    } finally {
      setRemoving(false);
      setPending(null);
    }
  };

  const onInvited = (inv: InviteView) => {
    setCreated(inv);
    setTeam({ ...tm, invites: [inv, ...tm.invites.filter((x) => x.id !== inv.id)] });
  };

  return (
    <>
      <FormError error={actionError} />

      <section className="card">
        <div className="card-header">
          <h2>{t('team.members')}</h2>
          <span className="muted small">{t('team.total', { count: tm.members.length })}</span>
        </div>
        {reset && <ResetLink reset={reset} onDismiss={() => setReset(null)} />}
        {tm.members.length === 0 ? (
          <EmptyState title={t('team.noMembers')} />
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th>{t('team.name')}</th>
                  <th>{t('team.email')}</th>
                  <th>{t('team.role')}</th>
                  <th>{t('team.joined')}</th>
                  {canManage && <th aria-label={t('team.actions')} />}
                </tr>
              </thead>
              <tbody>
                {tm.members.map((m) => (
                  <tr key={m.email}>
                    <td>
                      {m.name || '—'}
                      {m.email === me?.email && <span className="pill pill-muted">{t('team.you')}</span>}
                    </td>
                    <td>{m.email}</td>
                    <td>
                      {canTouch(m) ? (
                        <select
                          aria-label={t('team.roleOf', { email: m.email })}
                          value={m.role}
                          disabled={savingRole === m.email}
                          onChange={(e) => void changeRole(m, e.target.value as Role)}
                        >
                          {grantable.map((r) => (
                            <option key={r} value={r}>
                              {t(`common:roles.${r}`)}
                            </option>
                          ))}
                        </select>
                      ) : (
                        <span className={`role-badge role-${m.role}`}>{t(`common:roles.${m.role}`)}</span>
                      )}
                    </td>
                    <td>{formatDate(m.joined_at)}</td>
                    {canManage && (
                      <td className="actions">
                        {canReset(m) && (
                          <button
                            type="button"
                            className="btn btn-ghost btn-sm"
                            disabled={resetting === m.email}
                            onClick={() => void issueReset(m)}
                            aria-label={t('team.resetLinkFor', { email: m.email })}
                          >
                            <KeyRound size={14} aria-hidden="true" />
                            {resetting === m.email ? t('team.resetting') : t('team.resetLink')}
                          </button>
                        )}
                        {canTouch(m) && (
                          <button
                            type="button"
                            className="btn btn-ghost btn-sm btn-danger-text"
                            onClick={() => setPending({ kind: 'member', member: m })}
                          >
                            {t('common:actions.remove')}
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card">
        <div className="card-header">
          <h2>{t('team.invites')}</h2>
        </div>
        {canManage ? (
          <InviteForm roles={grantable} onInvited={onInvited} />
        ) : (
          <p className="muted small">{t('team.onlyAdmins')}</p>
        )}
        {created?.link_path && <InviteLink email={created.email} linkPath={created.link_path} />}
        {tm.invites.length === 0 ? (
          <EmptyState title={t('team.noInvites')}>{canManage ? t('team.noInvitesBody') : null}</EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th>{t('team.email')}</th>
                  <th>{t('team.role')}</th>
                  <th>{t('team.invitedBy')}</th>
                  <th>{t('team.expires')}</th>
                  {canManage && <th aria-label={t('team.actions')} />}
                </tr>
              </thead>
              <tbody>
                {tm.invites.map((i) => (
                  <tr key={i.id}>
                    <td>{i.email}</td>
                    <td>
                      <span className={`role-badge role-${i.role}`}>{t(`common:roles.${i.role}`)}</span>
                    </td>
                    <td>{i.invited_by}</td>
                    <td>{formatDate(i.expires_at, true)}</td>
                    {canManage && (
                      <td className="actions">
                        {(i.role !== 'owner' || me?.role === 'owner') && (
                          <button
                            type="button"
                            className="btn btn-ghost btn-sm btn-danger-text"
                            onClick={() => setPending({ kind: 'invite', invite: i })}
                          >
                            {t('team.revoke')}
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {pending && (
        <ConfirmDialog
          title={pending.kind === 'member' ? t('team.removeTitle') : t('team.revokeTitle')}
          confirmLabel={pending.kind === 'member' ? t('common:actions.remove') : t('team.revoke')}
          busy={removing}
          onConfirm={() => void confirmRemove()}
          onCancel={() => setPending(null)}
        >
          {pending.kind === 'member' ? (
            <p>
              <Trans
                t={t}
                i18nKey="team.removeBody"
                values={{ name: pending.member.name || pending.member.email, email: pending.member.email }}
                components={{ strong: <strong /> }}
              />
            </p>
          ) : (
            <p>
              <Trans t={t} i18nKey="team.revokeBody" values={{ email: pending.invite.email }} components={{ strong: <strong /> }} />
            </p>
          )}
        </ConfirmDialog>
      )}
    </>
  );
}

function InviteForm({ roles, onInvited }: { roles: Role[]; onInvited: (i: InviteView) => void }) {
  const { t } = useTranslation('settings');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('manager');
  const [busy, setBusy] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<{ email?: string; role?: string }>({});
  const [general, setGeneral] = useState<unknown>(null);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setGeneral(null);
    setFieldErrors({});
    if (!email.trim()) {
      setFieldErrors({ email: t('team.emailMissing') });
      return;
    }
    setBusy(true);
    try {
      const body: CreateInviteRequest = { email: email.trim(), role };
      const inv = await api<InviteView>('/api/team/invites', { method: 'POST', body });
      onInvited(inv);
      setEmail('');
    } catch (err) {
      if (err instanceof ApiError && (err.field === 'email' || err.field === 'role')) {
        setFieldErrors({ [err.field]: errorMessage(err) });
      } else {
        setGeneral(err);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="inline-form invite-form" onSubmit={onSubmit} noValidate>
      <FormError error={general} />
      <div className="form-row">
        <TextField
          grow
          label={t('team.email')}
          type="email"
          name="invite-email"
          required
          placeholder={t('team.emailPlaceholder')}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={fieldErrors.email}
        />
        <SelectField
          label={t('team.role')}
          name="invite-role"
          value={role}
          onChange={(e) => setRole(e.target.value as Role)}
          error={fieldErrors.role}
        >
          {roles.map((r) => (
            <option key={r} value={r}>
              {t(`common:roles.${r}`)}
            </option>
          ))}
        </SelectField>
        <div className="field field-button">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('team.inviting') : t('team.sendInvite')}
          </button>
        </div>
      </div>
    </form>
  );
}
