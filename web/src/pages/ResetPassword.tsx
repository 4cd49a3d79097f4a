import { useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, ApiError, seg } from '../api/client';
import { errorMessage } from '../api/errors';
import { useApiQuery } from '../api/query';
import type { NewPasswordRequest, PasswordResetPreview, Session } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { MIN_PASSWORD, newPasswordProblems } from '../auth/password';
import { TextField } from '../components/Field';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useDocumentTitle } from '../components/PageHeader';
import { ErrorState, FormError, Loading } from '../components/States';
import { formatDate } from '../i18n/format';

type Field = 'password' | 'confirm';

/**
 * /reset/:token — a one-time link an owner, an admin or the platform
 * administrator made: choose a new password and you are logged in (every
 * other session of the account has ended).
 */
export function ResetPassword() {
  const { t } = useTranslation('password');
  const { token = '' } = useParams();
  const { startSession } = useAuth();
  const navigate = useNavigate();
  const preview = useApiQuery<PasswordResetPreview>(`/api/password-resets/${seg(token)}`, { retry: false });
  useDocumentTitle(t('reset.title'));

  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [gone, setGone] = useState(false);
  const [general, setGeneral] = useState<unknown>(null);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setGeneral(null);
    const problems = newPasswordProblems(password, confirm);
    const fe: Partial<Record<Field, string>> = {};
    if (problems.password) fe.password = t(problems.password, { count: MIN_PASSWORD });
    if (problems.confirm) fe.confirm = t(problems.confirm);
    setErrors(fe);
    if (Object.keys(fe).length) return;
    setBusy(true);
    try {
      const body: NewPasswordRequest = { password };
      const s = await api<Session>(`/api/password-resets/${seg(token)}`, { method: 'POST', body, anonymous: true });
      startSession(s);
      navigate('/', { replace: true });
    } catch (err) {
      setBusy(false);
      // Used in another tab, or expired while the form was open.
      if (err instanceof ApiError && err.status === 404) setGone(true);
      else if (err instanceof ApiError && err.field === 'password') setErrors({ password: errorMessage(err) });
      else setGeneral(err);
    }
  };

  let body;
  if (preview.isPending) {
    body = <Loading label={t('reset.checking')} />;
  } else if (gone || preview.error || !preview.data) {
    const isGone = gone || (preview.error instanceof ApiError && [404, 410].includes(preview.error.status));
    body = (
      <ErrorState
        title={isGone ? t('reset.invalidTitle') : t('reset.cannotOpen')}
        error={isGone ? new Error(t('reset.invalidBody')) : preview.error}
        onRetry={isGone ? undefined : () => void preview.refetch()}
        extra={
          <Link to="/login" className="btn btn-ghost">
            {t('reset.goToLogin')}
          </Link>
        }
      />
    );
  } else {
    const r = preview.data;
    body = (
      <>
        <h1>{t('reset.heading')}</h1>
        <p className="muted">
          <Trans t={t} i18nKey="reset.forAccount" values={{ email: r.email, expires: formatDate(r.expires_at, true) }} components={{ strong: <strong /> }} />
        </p>
        <FormError error={general} />
        <input type="email" name="username" autoComplete="username" value={r.email} readOnly hidden />
        <TextField
          label={t('reset.newPassword')}
          type="password"
          name="password"
          autoComplete="new-password"
          autoFocus
          required
          value={password}
          onChange={(e) => {
            setPassword(e.target.value);
            setErrors((x) => ({ ...x, password: undefined }));
          }}
          hint={t('rules.hint', { count: MIN_PASSWORD })}
          error={errors.password}
        />
        <TextField
          label={t('reset.confirmPassword')}
          type="password"
          name="confirm"
          autoComplete="new-password"
          required
          value={confirm}
          onChange={(e) => {
            setConfirm(e.target.value);
            setErrors((x) => ({ ...x, confirm: undefined }));
          }}
          error={errors.confirm}
        />
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? t('reset.submitting') : t('reset.submit')}
        </button>
        <p className="muted small">{t('reset.afterwards')}</p>
      </>
    );
  }

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
        {body}
      </form>
    </div>
  );
}
