import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { safeNext } from '../auth/RequireAuth';
import { TextField } from '../components/Field';
import { errorMessage, FormError } from '../components/States';

type Field = 'email' | 'password';

export function Login() {
  const { login, status } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));

  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [general, setGeneral] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});

  if (status === 'authenticated' && !busy) return <Navigate to={next} replace />;

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setGeneral(null);
    setFieldErrors({});
    setBusy(true);
    try {
      await login({ email: email.trim(), password });
      navigate(next, { replace: true });
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && (err.field === 'email' || err.field === 'password')) {
        setFieldErrors({ [err.field]: err.message });
      } else {
        setGeneral(errorMessage(err));
      }
    }
  };

  const clearField = (f: Field) => setFieldErrors((fe) => (fe[f] ? { ...fe, [f]: undefined } : fe));

  return (
    <div className="auth-page">
      <form className="auth-card" onSubmit={onSubmit} noValidate>
        <div className="auth-brand">
          <span className="brand-mark" aria-hidden="true">
            C
          </span>
          <span>Cartie</span>
        </div>
        <h1>Log in</h1>
        <p className="muted">The CRM for car dealers, built around Telegram.</p>
        <FormError error={general} />
        <TextField
          label="E-mail"
          type="email"
          name="email"
          autoComplete="username"
          autoFocus
          value={email}
          onChange={(e) => {
            setEmail(e.target.value);
            clearField('email');
          }}
          error={fieldErrors.email}
        />
        <TextField
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => {
            setPassword(e.target.value);
            clearField('password');
          }}
          error={fieldErrors.password}
        />
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
        <p className="muted small">
          No account? Ask your company's owner or admin for an invite link.
        </p>
      </form>
    </div>
  );
}
