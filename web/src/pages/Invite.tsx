import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, ApiError, seg } from '../api/client';
import type { InvitePreview, Session } from '../api/types';
import { useApi } from '../api/useApi';
import { useAuth } from '../auth/AuthContext';
import { ROLE_LABELS } from '../auth/roles';
import { TextField } from '../components/Field';
import { ErrorState, errorMessage, FormError, Loading } from '../components/States';

const MIN_PASSWORD = 10;

type Field = 'name' | 'password';

export function Invite() {
  const { token = '' } = useParams();
  const { startSession } = useAuth();
  const navigate = useNavigate();
  const preview = useApi<InvitePreview>(`/api/invites/${seg(token)}`);

  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [general, setGeneral] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setGeneral(null);
    const fe: Partial<Record<Field, string>> = {};
    if (!name.trim()) fe.name = 'Please enter your name.';
    if (password.length < MIN_PASSWORD) fe.password = `Use at least ${MIN_PASSWORD} characters.`;
    setFieldErrors(fe);
    if (Object.keys(fe).length) return;
    setBusy(true);
    try {
      const s = await api<Session>(`/api/invites/${seg(token)}/accept`, {
        method: 'POST',
        body: { name: name.trim(), password },
        anonymous: true,
      });
      startSession(s);
      navigate('/', { replace: true });
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && (err.field === 'name' || err.field === 'password')) {
        setFieldErrors({ [err.field]: err.message });
      } else {
        setGeneral(errorMessage(err));
      }
    }
  };

  let body;
  if (preview.loading) {
    body = <Loading label="Checking your invite…" />;
  } else if (preview.error || !preview.data) {
    const gone = preview.error instanceof ApiError && [404, 410].includes(preview.error.status);
    body = (
      <ErrorState
        title={gone ? 'This invite link is not valid' : 'Could not open the invite'}
        error={gone ? new Error('It may have expired, been revoked or already been used. Ask for a new invite.') : preview.error}
        onRetry={gone ? undefined : preview.reload}
        extra={
          <Link to="/login" className="btn btn-ghost">
            Go to login
          </Link>
        }
      />
    );
  } else {
    const inv = preview.data;
    body = (
      <>
        <h1>Join {inv.workspace_name}</h1>
        <p className="muted">
          You are invited as <strong>{ROLE_LABELS[inv.role]}</strong> with the e-mail <strong>{inv.email}</strong>.
          Choose your name and a password to finish.
        </p>
        <FormError error={general} />
        <TextField
          label="Your name"
          name="name"
          autoComplete="name"
          autoFocus
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fieldErrors.name}
        />
        <TextField
          label="Password"
          type="password"
          name="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          hint={`At least ${MIN_PASSWORD} characters.`}
          error={fieldErrors.password}
        />
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? 'Joining…' : 'Join and log in'}
        </button>
      </>
    );
  }

  return (
    <div className="auth-page">
      <form className="auth-card" onSubmit={onSubmit} noValidate>
        <div className="auth-brand">
          <span className="brand-mark" aria-hidden="true">
            C
          </span>
          <span>Cartie</span>
        </div>
        {body}
      </form>
    </div>
  );
}
