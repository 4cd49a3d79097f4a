import { useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, ApiError, seg } from '../api/client';
import { errorMessage } from '../api/errors';
import { useApiQuery } from '../api/query';
import type { InvitePreview, Session } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { TextField } from '../components/Field';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useDocumentTitle } from '../components/PageHeader';
import { ErrorState, FormError, Loading } from '../components/States';

import { MIN_PASSWORD } from '../auth/password';

type Field = 'name' | 'password';

export function Invite() {
  const { t } = useTranslation('auth');
  const { token = '' } = useParams();
  const { startSession } = useAuth();
  const navigate = useNavigate();
  const preview = useApiQuery<InvitePreview>(`/api/invites/${seg(token)}`, { retry: false });
  useDocumentTitle(t('invite.title'));

  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [general, setGeneral] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setGeneral(null);
    const fe: Partial<Record<Field, string>> = {};
    if (!name.trim()) fe.name = t('invite.nameMissing');
    if (password.length < MIN_PASSWORD) fe.password = t('invite.passwordShort', { count: MIN_PASSWORD });
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
        setFieldErrors({ [err.field]: errorMessage(err) });
      } else {
        setGeneral(err);
      }
    }
  };

  let body;
  if (preview.isPending) {
    body = <Loading label={t('invite.checking')} />;
  } else if (preview.error || !preview.data) {
    const gone = preview.error instanceof ApiError && [404, 410].includes(preview.error.status);
    body = (
      <ErrorState
        title={gone ? t('invite.invalidTitle') : t('invite.cannotOpen')}
        error={gone ? new Error(t('invite.invalidBody')) : preview.error}
        onRetry={gone ? undefined : () => void preview.refetch()}
        extra={
          <Link to="/login" className="btn btn-ghost">
            {t('invite.goToLogin')}
          </Link>
        }
      />
    );
  } else {
    const inv = preview.data;
    body = (
      <>
        <h1>{t('invite.join', { workspace: inv.workspace_name })}</h1>
        <p className="muted">
          <Trans
            t={t}
            i18nKey="invite.invitedAs"
            values={{ role: t(`common:roles.${inv.role}`), email: inv.email }}
            components={{ strong: <strong /> }}
          />
        </p>
        <FormError error={general} />
        <TextField
          label={t('invite.yourName')}
          name="name"
          autoComplete="name"
          autoFocus
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fieldErrors.name}
        />
        <TextField
          label={t('login.password')}
          type="password"
          name="password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          hint={t('invite.passwordHint', { count: MIN_PASSWORD })}
          error={fieldErrors.password}
        />
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? t('invite.joining') : t('invite.submit')}
        </button>
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
