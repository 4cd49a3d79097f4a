import { useState, type FormEvent } from 'react';
import { api, ApiError, seg } from '../../api/client';
import type { ChangeRoleRequest, CreateInviteRequest, InviteView, MemberView, Role, Team } from '../../api/types';
import { useApi } from '../../api/useApi';
import { useAuth } from '../../auth/AuthContext';
import { atLeast, grantableRoles, ROLE_LABELS } from '../../auth/roles';
import { SelectField, TextField } from '../../components/Field';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { InviteLink } from '../../components/InviteLink';
import { EmptyState, ErrorState, errorMessage, FormError, Loading } from '../../components/States';
import { formatDate } from '../../format';

type Pending = { kind: 'member'; member: MemberView } | { kind: 'invite'; invite: InviteView };

export function TeamTab() {
  const { me } = useAuth();
  const team = useApi<Team>('/api/team');
  const canManage = atLeast(me?.role, 'admin');
  const grantable = grantableRoles(me?.role);

  const [actionError, setActionError] = useState<string | null>(null);
  const [savingRole, setSavingRole] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [removing, setRemoving] = useState(false);
  const [created, setCreated] = useState<InviteView | null>(null);

  if (team.loading && !team.data) return <Loading label="Loading your team…" />;
  if (team.error || !team.data) return <ErrorState title="Could not load the team" error={team.error} onRetry={team.reload} />;
  const t = team.data;

  /** Whether the signed-in user may change or remove this member (owners only touch owners). */
  const canTouch = (m: MemberView) =>
    canManage && m.email !== me?.email && (m.role !== 'owner' || me?.role === 'owner');

  const changeRole = async (m: MemberView, role: Role) => {
    setActionError(null);
    setSavingRole(m.email);
    try {
      const body: ChangeRoleRequest = { role };
      const updated = await api<MemberView>(`/api/team/members/${seg(m.email)}`, { method: 'PATCH', body });
      team.setData({ ...t, members: t.members.map((x) => (x.email === m.email ? updated : x)) });
    } catch (err) {
      setActionError(`Could not change the role of ${m.email}: ${errorMessage(err)}`);
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
        team.setData({ ...t, members: t.members.filter((x) => x.email !== pending.member.email) });
      } else {
        await api<void>(`/api/team/invites/${seg(pending.invite.id)}`, { method: 'DELETE' });
        team.setData({ ...t, invites: t.invites.filter((x) => x.id !== pending.invite.id) });
        if (created?.id === pending.invite.id) setCreated(null);
      }
    } catch (err) {
      const who = pending.kind === 'member' ? pending.member.email : `the invite for ${pending.invite.email}`;
      setActionError(`Could not remove ${who}: ${errorMessage(err)}`);
    } finally {
      setRemoving(false);
      setPending(null);
    }
  };

  const onInvited = (inv: InviteView) => {
    setCreated(inv);
    team.setData({ ...t, invites: [inv, ...t.invites.filter((x) => x.id !== inv.id)] });
  };

  return (
    <>
      <FormError error={actionError} />

      <section className="card">
        <div className="card-header">
          <h2>Members</h2>
          <span className="muted small">{t.members.length} in total</span>
        </div>
        {t.members.length === 0 ? (
          <EmptyState title="No members yet" />
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>E-mail</th>
                  <th>Role</th>
                  <th>Joined</th>
                  {canManage && <th aria-label="Actions" />}
                </tr>
              </thead>
              <tbody>
                {t.members.map((m) => (
                  <tr key={m.email}>
                    <td>
                      {m.name || '—'}
                      {m.email === me?.email && <span className="pill pill-muted">you</span>}
                    </td>
                    <td>{m.email}</td>
                    <td>
                      {canTouch(m) ? (
                        <select
                          aria-label={`Role of ${m.email}`}
                          value={m.role}
                          disabled={savingRole === m.email}
                          onChange={(e) => void changeRole(m, e.target.value as Role)}
                        >
                          {grantable.map((r) => (
                            <option key={r} value={r}>
                              {ROLE_LABELS[r]}
                            </option>
                          ))}
                        </select>
                      ) : (
                        <span className={`role-badge role-${m.role}`}>{ROLE_LABELS[m.role]}</span>
                      )}
                    </td>
                    <td>{formatDate(m.joined_at)}</td>
                    {canManage && (
                      <td className="actions">
                        {canTouch(m) && (
                          <button
                            type="button"
                            className="btn btn-ghost btn-sm btn-danger-text"
                            onClick={() => setPending({ kind: 'member', member: m })}
                          >
                            Remove
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
          <h2>Invites</h2>
        </div>
        {canManage ? (
          <InviteForm roles={grantable} onInvited={onInvited} />
        ) : (
          <p className="muted small">Only admins and owners can invite people or change roles.</p>
        )}
        {created?.link_path && <InviteLink email={created.email} linkPath={created.link_path} />}
        {t.invites.length === 0 ? (
          <EmptyState title="No pending invites">
            {canManage ? 'Invite a colleague above; the invite waits here until it is accepted.' : null}
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th>E-mail</th>
                  <th>Role</th>
                  <th>Invited by</th>
                  <th>Expires</th>
                  {canManage && <th aria-label="Actions" />}
                </tr>
              </thead>
              <tbody>
                {t.invites.map((i) => (
                  <tr key={i.id}>
                    <td>{i.email}</td>
                    <td>
                      <span className={`role-badge role-${i.role}`}>{ROLE_LABELS[i.role]}</span>
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
                            Revoke
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
          title={pending.kind === 'member' ? 'Remove member?' : 'Revoke invite?'}
          confirmLabel={pending.kind === 'member' ? 'Remove' : 'Revoke'}
          busy={removing}
          onConfirm={() => void confirmRemove()}
          onCancel={() => setPending(null)}
        >
          {pending.kind === 'member' ? (
            <p>
              <strong>{pending.member.name || pending.member.email}</strong> ({pending.member.email}) will lose access
              to this workspace at once.
            </p>
          ) : (
            <p>
              The invite link sent to <strong>{pending.invite.email}</strong> will stop working.
            </p>
          )}
        </ConfirmDialog>
      )}
    </>
  );
}

function InviteForm({ roles, onInvited }: { roles: Role[]; onInvited: (i: InviteView) => void }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('manager');
  const [busy, setBusy] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<{ email?: string; role?: string }>({});
  const [general, setGeneral] = useState<string | null>(null);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setGeneral(null);
    setFieldErrors({});
    if (!email.trim()) {
      setFieldErrors({ email: 'Enter the e-mail of the person to invite.' });
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
        setFieldErrors({ [err.field]: err.message });
      } else {
        setGeneral(errorMessage(err));
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
          label="E-mail"
          type="email"
          name="invite-email"
          placeholder="colleague@dealer.com"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={fieldErrors.email}
        />
        <SelectField
          label="Role"
          name="invite-role"
          value={role}
          onChange={(e) => setRole(e.target.value as Role)}
          error={fieldErrors.role}
        >
          {roles.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </SelectField>
        <div className="field field-button">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Inviting…' : 'Send invite'}
          </button>
        </div>
      </div>
    </form>
  );
}
