import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, setToken } from '../api/client';
import { errorMessage } from '../api/errors';
import type { LoginRequest, Me, Session } from '../api/types';
import { safeNext } from '../auth/next';
import { TextField } from '../components/Field';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useDocumentTitle } from '../components/PageHeader';
import { FormError } from '../components/States';
import { isLanguage, setLanguage } from '../i18n';
import { setTimeZone } from '../i18n/format';

type Field = 'email' | 'password';

/** Logs in without the app around it (the first load of /login): stores the session and the user's preferences. */
export async function loginAlone(req: LoginRequest): Promise<void> {
  const s = await api<Session>('/api/auth/login', { method: 'POST', body: req, anonymous: true });
  const me: Me = s.me;
  setToken(s.token);
  setTimeZone(me.time_zone);
  if (isLanguage(me.language)) await setLanguage(me.language);
}

/**
 * The login form. It needs no router: the first load of /login renders it
 * alone (see main.tsx), the app's /login route inside its router.
 */
export function LoginForm({
  next: wanted,
  onLoggedIn,
  login = loginAlone,
}: {
  /** Where to go afterwards (checked: never outside the app). */
  next: string | null;
  onLoggedIn: (to: string) => void;
  login?: (req: LoginRequest) => Promise<unknown>;
}) {
  const { t } = useTranslation('auth');
  const next = safeNext(wanted);
  useDocumentTitle(t('login.title'));

  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [general, setGeneral] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, ApiError>>>({});

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setGeneral(null);
    setFieldErrors({});
    setBusy(true);
    try {
      await login({ email: email.trim(), password });
      onLoggedIn(next);
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && (err.field === 'email' || err.field === 'password')) {
        setFieldErrors({ [err.field]: err });
      } else {
        setGeneral(err);
      }
    }
  };

  // "Forgot password?": a link to the Telegram linked in Settings → Notifications, if any.
  const [reset, setReset] = useState<'idle' | 'sending' | 'sent'>('idle');
  const askReset = async () => {
    setGeneral(null);
    if (!email.trim()) {
      setFieldErrors({ email: new ApiError(422, 'reset_needs_email', t('login.resetNeedsEmail'), 'email') });
      return;
    }
    setReset('sending');
    try {
      await api('/api/password-resets', { method: 'POST', body: { email: email.trim() }, anonymous: true });
      setReset('sent');
    } catch (err) {
      setReset('idle');
      if (err instanceof ApiError && err.field === 'email') setFieldErrors({ email: err });
      else setGeneral(err);
    }
  };

  const clearField = (f: Field) => setFieldErrors((fe) => (fe[f] ? { ...fe, [f]: undefined } : fe));
  const fieldError = (f: Field) => (fieldErrors[f] ? errorMessage(fieldErrors[f]) : undefined);

  return (
    <div className="auth-page">
      <div className="auth-lang">
        <LanguageSwitch />
      </div>
      <form className="auth-card" onSubmit={onSubmit} noValidate>
        <div className="auth-brand">
          <span className="brand-mark" aria-hidden="true">
            {t('common:brandMark')}
          </span>
          <span>{t('common:brand')}</span>
        </div>
        <h1>{t('login.title')}</h1>
        <p className="muted">{t('login.tagline')}</p>
        <FormError error={general} />
        <TextField
          label={t('login.email')}
          type="email"
          name="email"
          autoComplete="username"
          autoFocus
          required
          value={email}
          onChange={(e) => {
            setEmail(e.target.value);
            clearField('email');
          }}
          error={fieldError('email')}
        />
        <TextField
          label={t('login.password')}
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => {
            setPassword(e.target.value);
            clearField('password');
          }}
          error={fieldError('password')}
        />
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
        {/* There is no e-mail here: a reset link goes to the linked Telegram, or comes from the people who run the workspace. */}
        <details className="forgot">
          <summary>{t('login.forgot')}</summary>
          <p className="small">{t('login.forgotTelegram')}</p>
          <button type="button" className="btn btn-block" onClick={askReset} disabled={reset === 'sending'}>
            {reset === 'sending' ? t('login.resetSending') : t('login.resetSend')}
          </button>
          {reset === 'sent' && (
            <p className="small" role="status">
              {t('login.resetSent')}
            </p>
          )}
          <p className="small">{t('login.forgotBody')}</p>
        </details>
        <p className="muted small">{t('login.noAccount')}</p>
      </form>
    </div>
  );
}
