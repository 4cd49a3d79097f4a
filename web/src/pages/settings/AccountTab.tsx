import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { errorMessage } from '../../api/errors';
import type { ChangePasswordRequest, Session, UpdateMeRequest } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { MIN_PASSWORD, newPasswordProblems } from '../../auth/password';
import { SelectField, TextField } from '../../components/Field';
import { FormError } from '../../components/States';
import { currentLanguage, isLanguage, LANGUAGE_NAMES, LANGUAGES } from '../../i18n';

/** Settings → Account: the signed-in person's own name, language and password (any role, the superadmin too). */
export function AccountTab() {
  return (
    <>
      <ProfileCard />
      <LanguageCard />
      <PasswordCard />
    </>
  );
}

function ProfileCard() {
  const { t } = useTranslation('settings');
  const { me, refreshMe } = useAuth();
  const [name, setName] = useState(me?.name ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [general, setGeneral] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setGeneral(null);
    setSaved(false);
    if (!name.trim()) {
      setError(t('account.nameMissing'));
      return;
    }
    setBusy(true);
    try {
      const body: UpdateMeRequest = { name: name.trim() };
      await api<unknown>('/api/auth/me', { method: 'PATCH', body });
      await refreshMe();
      setSaved(true);
    } catch (err) {
      if (err instanceof ApiError && err.field === 'name') setError(errorMessage(err));
      else setGeneral(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card">
      <h2>{t('account.profile')}</h2>
      <form className="inline-form" onSubmit={onSubmit} noValidate>
        <FormError error={general} />
        {saved && (
          <div className="notice notice-ok" role="status">
            {t('account.nameSaved')}
          </div>
        )}
        <dl className="facts">
          <dt>{t('account.email')}</dt>
          <dd>{me?.email}</dd>
        </dl>
        <div className="form-row">
          <TextField
            grow
            label={t('account.name')}
            name="name"
            autoComplete="name"
            required
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              setSaved(false);
              setError(null);
            }}
            error={error}
          />
          <div className="field field-button">
            <button type="submit" className="btn btn-secondary" disabled={busy || name.trim() === me?.name}>
              {busy ? t('common:actions.saving') : t('common:actions.save')}
            </button>
          </div>
        </div>
      </form>
    </section>
  );
}

function LanguageCard() {
  const { t } = useTranslation('settings');
  const { chooseLanguage } = useAuth();
  const [state, setState] = useState<'idle' | 'saving' | 'saved'>('idle');
  const [error, setError] = useState<unknown>(null);

  const choose = async (value: string) => {
    if (!isLanguage(value)) return;
    setError(null);
    setState('saving');
    try {
      await chooseLanguage(value);
      setState('saved');
    } catch (err) {
      setError(err);
      setState('idle');
    }
  };

  return (
    <section className="card">
      <h2>{t('account.language')}</h2>
      <p className="muted small">{t('account.languageIntro')}</p>
      <FormError error={error} />
      <SelectField
        label={t('account.languageLabel')}
        name="language"
        value={currentLanguage()}
        disabled={state === 'saving'}
        onChange={(e) => void choose(e.target.value)}
      >
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l} translate="no">
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </SelectField>
      {state === 'saved' && (
        <div className="notice notice-ok" role="status">
          {t('account.languageSaved')}
        </div>
      )}
    </section>
  );
}

type PasswordField = 'current' | 'password' | 'confirm';

function PasswordCard() {
  const { t } = useTranslation('settings');
  const { me, startSession } = useAuth();
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<PasswordField, string>>>({});
  const [general, setGeneral] = useState<unknown>(null);
  const [done, setDone] = useState(false);

  const clear = (f: PasswordField) => {
    setDone(false);
    setErrors((e) => (e[f] ? { ...e, [f]: undefined } : e));
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setGeneral(null);
    setDone(false);
    const problems = newPasswordProblems(password, confirm);
    const fe: Partial<Record<PasswordField, string>> = {};
    if (!current) fe.current = t('account.currentMissing');
    if (problems.password) fe.password = t(`password:${problems.password}`, { count: MIN_PASSWORD });
    if (problems.confirm) fe.confirm = t(`password:${problems.confirm}`);
    if (!fe.password && current && password === current) fe.password = t('account.samePassword');
    setErrors(fe);
    if (Object.keys(fe).length) return;
    setBusy(true);
    try {
      const body: ChangePasswordRequest = { current_password: current, new_password: password };
      const s = await api<Session>('/api/auth/password', { method: 'POST', body });
      // Every other session ended, this browser's old token too: carry on with the fresh one.
      startSession(s);
      setCurrent('');
      setPassword('');
      setConfirm('');
      setDone(true);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'wrong_password') setErrors({ current: t('account.wrongCurrent') });
      else if (err instanceof ApiError && err.field === 'current_password') setErrors({ current: errorMessage(err) });
      else if (err instanceof ApiError && err.field === 'new_password') setErrors({ password: errorMessage(err) });
      else setGeneral(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card">
      <h2>{t('account.password')}</h2>
      <p className="muted small">{t('account.passwordIntro')}</p>
      <form className="inline-form password-form" onSubmit={onSubmit} noValidate>
        <FormError error={general} />
        {done && (
          <div className="notice notice-ok" role="status">
            {t('account.passwordChanged')}
          </div>
        )}
        {/* Lets password managers tie the new password to this account. */}
        <input type="email" name="username" autoComplete="username" value={me?.email ?? ''} readOnly hidden />
        <TextField
          label={t('account.currentPassword')}
          type="password"
          name="current-password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => {
            setCurrent(e.target.value);
            clear('current');
          }}
          error={errors.current}
        />
        <TextField
          label={t('account.newPassword')}
          type="password"
          name="new-password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(e) => {
            setPassword(e.target.value);
            clear('password');
          }}
          hint={t('password:rules.hint', { count: MIN_PASSWORD })}
          error={errors.password}
        />
        <TextField
          label={t('account.confirmPassword')}
          type="password"
          name="confirm-password"
          autoComplete="new-password"
          required
          value={confirm}
          onChange={(e) => {
            setConfirm(e.target.value);
            clear('confirm');
          }}
          error={errors.confirm}
        />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('account.changing') : t('account.change')}
          </button>
        </div>
      </form>
    </section>
  );
}
