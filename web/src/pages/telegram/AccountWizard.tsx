import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, ApiError } from '../../api/client';
import type {
  ConnectTelegramAccountRequest,
  TelegramAccountView,
  TelegramCodeRequest,
  TelegramPasswordRequest,
} from '../../api/types';
import { TextField } from '../../components/Field';
import { FormError } from '../../components/States';
import {
  ACCOUNTS_PATH,
  accountName,
  accountPage,
  accountPath,
  fieldErrorText,
  isExpiredCode,
  normalizeCode,
  normalizePhone,
  stepError,
} from './account';
import { StateChip } from './AccountParts';

type Step = 'phone' | 'code' | 'password' | 'done';

/** Where the wizard opens: a new login, a login under way (`account`), or a restart that failed (`error`). */
export interface WizardStart {
  phone?: string;
  account?: TelegramAccountView;
  error?: unknown;
}

/** The step an account's state asks for next. */
function stepOf(a: TelegramAccountView | undefined): Step {
  if (!a || a.state === 'needs_login') return 'phone';
  if (a.state === 'awaiting_code') return 'code';
  if (a.state === 'awaiting_password') return 'password';
  return 'done';
}

/**
 * Connecting a Telegram account, one step at a time: the phone number,
 * the code Telegram sends to the account's app, the two-step verification
 * password when the account has one, and done. Every answer is passed to
 * `onAccount` so the list behind shows where the login stands.
 */
export function AccountWizard({
  start,
  onAccount,
  onClose,
}: {
  start: WizardStart;
  onAccount: (a: TelegramAccountView) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation('tgaccounts');
  const [account, setAccount] = useState<TelegramAccountView | undefined>(start.account);
  const [step, setStep] = useState<Step>(() => stepOf(start.account));
  /** The account asked for its password on the way (the steps list shows that step then). */
  const [askedPassword, setAskedPassword] = useState(start.account?.state === 'awaiting_password');
  const [phone, setPhone] = useState(start.phone ?? start.account?.phone ?? '');
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [resending, setResending] = useState(false);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [general, setGeneral] = useState<string | null>(() => (start.error ? stepError(t, start.error) : null));
  const [expired, setExpired] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const clear = () => {
    setFieldError(null);
    setGeneral(null);
    setExpired(false);
    setNotice(null);
  };

  /** Takes the server's answer to a step and shows the step it asks for. */
  const advance = (a: TelegramAccountView) => {
    onAccount(a);
    setAccount(a);
    setCode('');
    setPassword('');
    const next = stepOf(a);
    if (next === 'password') setAskedPassword(true);
    // The login ended without a session (Telegram refused the number): start again from the phone.
    if (next === 'phone') setGeneral(a.last_error || t('wizard.loginFailed'));
    setStep(next);
  };

  const fail = (e: unknown, field: 'phone' | 'code' | 'password') => {
    if (e instanceof ApiError && e.field === field) {
      setFieldError(fieldErrorText(t, e));
      setExpired(isExpiredCode(e));
    } else {
      setGeneral(stepError(t, e));
    }
  };

  /** Runs one step's request with the button's loading state. */
  const run = async (field: 'phone' | 'code' | 'password', send: () => Promise<TelegramAccountView>) => {
    setBusy(true);
    try {
      advance(await send());
    } catch (e) {
      fail(e, field);
    } finally {
      setBusy(false);
    }
  };

  const sendPhone = (e: FormEvent) => {
    e.preventDefault();
    clear();
    const p = normalizePhone(phone);
    if (!p) {
      setFieldError(phone.trim() ? t('wizard.phoneInvalid') : t('wizard.phoneMissing'));
      return;
    }
    const body: ConnectTelegramAccountRequest = { phone: p };
    void run('phone', () => api<TelegramAccountView>(ACCOUNTS_PATH, { method: 'POST', body }));
  };

  const sendCode = (e: FormEvent) => {
    e.preventDefault();
    clear();
    const c = normalizeCode(code);
    if (!c || !account) {
      setFieldError(code.trim() ? t('wizard.codeDigits') : t('wizard.codeMissing'));
      return;
    }
    const body: TelegramCodeRequest = { code: c };
    void run('code', () => api<TelegramAccountView>(`${accountPath(account.id)}/code`, { method: 'POST', body }));
  };

  const sendPassword = (e: FormEvent) => {
    e.preventDefault();
    clear();
    if (!password || !account) {
      setFieldError(t('wizard.passwordMissing'));
      return;
    }
    const body: TelegramPasswordRequest = { password };
    void run('password', () => api<TelegramAccountView>(`${accountPath(account.id)}/password`, { method: 'POST', body }));
  };

  const resend = async () => {
    if (!account) return;
    clear();
    setResending(true);
    try {
      const a = await api<TelegramAccountView>(`${accountPath(account.id)}/resend`, { method: 'POST' });
      onAccount(a);
      setAccount(a);
      setCode('');
      setNotice(t('wizard.resent'));
    } catch (e) {
      setGeneral(stepError(t, e));
    } finally {
      setResending(false);
    }
  };

  const backToPhone = () => {
    clear();
    setStep('phone');
  };

  const steps: Step[] = ['phone', 'code', ...(askedPassword ? (['password'] as const) : []), 'done'];
  const working = busy || resending;

  return (
    <div className="modal-backdrop">
      <div className="modal modal-wide tg-wizard" role="dialog" aria-modal="true" aria-labelledby="tg-wizard-title" data-step={step}>
        <h2 id="tg-wizard-title">{t('wizard.title')}</h2>
        <ol className="tg-steps" aria-label={t('wizard.stepsLabel')}>
          {steps.map((s, i) => (
            <li key={s} className={s === step ? 'current' : steps.indexOf(step) > i ? 'past' : undefined} aria-current={s === step ? 'step' : undefined}>
              {t(`wizard.steps.${s}`)}
            </li>
          ))}
        </ol>
        <FormError error={general} />

        {step === 'phone' && (
          <form onSubmit={sendPhone} noValidate>
            <p className="small">{t('wizard.phoneIntro')}</p>
            <p className="muted small">{t('wizard.passwordPromise')}</p>
            <TextField
              required
              autoFocus
              label={t('wizard.phone')}
              name="tg-phone"
              type="tel"
              inputMode="tel"
              autoComplete="tel"
              placeholder={t('wizard.phonePlaceholder')}
              value={phone}
              onChange={(e) => setPhone(e.target.value)}
              error={fieldError}
              hint={t('wizard.phoneHint')}
            />
            <div className="modal-actions">
              <button type="button" className="btn btn-ghost" onClick={onClose}>
                {t('common:actions.cancel')}
              </button>
              <button type="submit" className="btn btn-primary" disabled={working}>
                {busy ? t('wizard.sendingCode') : t('wizard.sendCode')}
              </button>
            </div>
          </form>
        )}

        {step === 'code' && account && (
          <form onSubmit={sendCode} noValidate>
            <p className="small">{t('wizard.codeIntro', { phone: account.phone })}</p>
            {notice && (
              <p className="notice notice-ok small" role="status">
                {notice}
              </p>
            )}
            <TextField
              required
              autoFocus
              label={t('wizard.code')}
              name="tg-code"
              inputMode="numeric"
              autoComplete="one-time-code"
              spellCheck={false}
              maxLength={12}
              placeholder={t('wizard.codePlaceholder')}
              value={code}
              onChange={(e) => setCode(e.target.value)}
              error={fieldError}
            />
            <div className="tg-resend">
              <span className="muted small">{expired ? t('wizard.expiredAsk') : t('wizard.noCode')}</span>
              <button type="button" className={expired ? 'btn btn-secondary btn-sm' : 'btn btn-ghost btn-sm'} onClick={() => void resend()} disabled={working}>
                {resending ? t('wizard.resending') : t('wizard.resend')}
              </button>
            </div>
            <div className="modal-actions">
              <button type="button" className="btn btn-ghost" onClick={backToPhone} disabled={working}>
                {t('common:actions.back')}
              </button>
              <button type="button" className="btn btn-ghost" onClick={onClose}>
                {t('common:actions.cancel')}
              </button>
              <button type="submit" className="btn btn-primary" disabled={working}>
                {busy ? t('wizard.checking') : t('wizard.logIn')}
              </button>
            </div>
          </form>
        )}

        {step === 'password' && account && (
          <form onSubmit={sendPassword} noValidate>
            <p className="small">{t('wizard.passwordIntro')}</p>
            {account.password_hint && (
              <p className="tg-hint small" data-testid="password-hint">
                {t('wizard.hint', { hint: account.password_hint })}
              </p>
            )}
            <TextField
              required
              autoFocus
              label={t('wizard.password')}
              name="tg-password"
              type="password"
              autoComplete="off"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              error={fieldError}
              hint={t('wizard.passwordNotStored')}
            />
            <div className="modal-actions">
              <button type="button" className="btn btn-ghost" onClick={backToPhone} disabled={working}>
                {t('common:actions.back')}
              </button>
              <button type="button" className="btn btn-ghost" onClick={onClose}>
                {t('common:actions.cancel')}
              </button>
              <button type="submit" className="btn btn-primary" disabled={working}>
                {busy ? t('wizard.checking') : t('wizard.logIn')}
              </button>
            </div>
          </form>
        )}

        {step === 'done' && account && (
          <div className="tg-done">
            <div className="notice notice-ok" role="status">
              {t('wizard.connected', { name: accountName(account) })}
            </div>
            <p className="tg-done-state">
              <StateChip account={account} />{' '}
              <span className="muted small">{account.state === 'online' ? t('wizard.doneOnline') : t('wizard.doneConnecting')}</span>
            </p>
            <p className="small">
              {t('wizard.doneNext')}{' '}
              <Link to={accountPage(account.id)} onClick={onClose}>
                {t('wizard.chooseChannels')}
              </Link>
            </p>
            <div className="modal-actions">
              <button type="button" className="btn btn-primary" onClick={onClose} autoFocus>
                {t('wizard.finish')}
              </button>
            </div>
          </div>
        )}
      </div>
    </div>
  );
}
