import { useCallback, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import type { ConnectTelegramAccountRequest, TelegramAccountView } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState, ErrorState, FormError } from '../../components/States';
import { ACCOUNTS_PATH, accountName, accountPage, accountPath, hasChannels, isAwaiting, MANAGE_ROLE, untilText } from './account';
import { AccountChannels } from './AccountChannels';
import { AccountsSkeleton, StateChip } from './AccountParts';
import { useAccountCache, useAccounts } from './accountQueries';
import { AccountWizard, type WizardStart } from './AccountWizard';

/** `/telegram/accounts`: the accounts; `/telegram/accounts/:accountId`: one account's channels. */
export function AccountsTab() {
  const { accountId } = useParams();
  return accountId ? <AccountChannels accountId={accountId} /> : <AccountList />;
}

function AccountList() {
  const { t } = useTranslation('tgaccounts');
  const { me } = useAuth();
  const canManage = atLeast(me?.role, MANAGE_ROLE);
  const accounts = useAccounts();
  const { put, drop } = useAccountCache();
  const [wizard, setWizard] = useState<WizardStart | null>(null);
  const [pending, setPending] = useState<TelegramAccountView | null>(null);
  const [removing, setRemoving] = useState(false);
  const [restarting, setRestarting] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const closeWizard = useCallback(() => setWizard(null), []);

  const list = accounts.data?.items ?? [];

  /** "Log in again": a new login with the same number; the wizard opens at the step it asks for. */
  const logInAgain = async (a: TelegramAccountView) => {
    setRestarting(a.id);
    setActionError(null);
    try {
      const body: ConnectTelegramAccountRequest = { phone: a.phone };
      const v = await api<TelegramAccountView>(ACCOUNTS_PATH, { method: 'POST', body });
      put(v);
      setWizard({ account: v });
    } catch (e) {
      // The wizard's first step shows why, with the number filled in to try again.
      setWizard({ phone: a.phone, error: e });
    } finally {
      setRestarting(null);
    }
  };

  const remove = async () => {
    if (!pending) return;
    setRemoving(true);
    setActionError(null);
    try {
      await api<void>(accountPath(pending.id), { method: 'DELETE' });
      drop(pending.id);
    } catch (e) {
      setActionError(t('removeFailed', { name: accountName(pending), error: errorMessage(e) }));
    } finally {
      setRemoving(false);
      setPending(null);
    }
  };

  const connectButton = (
    <button type="button" className="btn btn-primary btn-sm" onClick={() => setWizard({})}>
      {t('connect')}
    </button>
  );

  return (
    <>
      <section className="card tg-accounts" aria-labelledby="tg-accounts-title">
        <div className="card-header">
          <h2 id="tg-accounts-title">{t('title')}</h2>
          {canManage && accounts.data && list.length > 0 && connectButton}
        </div>
        <p className="muted small tg-accounts-intro">{t('intro')}</p>
        {!canManage && <p className="muted small">{t('onlyAdmins')}</p>}
        <FormError error={actionError} />
        {accounts.data ? (
          list.length === 0 ? (
            <EmptyState title={t('empty')}>
              <p>{t('emptyBody')}</p>
              {canManage && connectButton}
            </EmptyState>
          ) : (
            <>
              {accounts.error != null && (
                <p className="muted small" role="status">
                  {t('refreshFailed')}
                </p>
              )}
              <ul className="tg-account-list">
                {list.map((a) => (
                  <AccountRow
                    key={a.id}
                    account={a}
                    canManage={canManage}
                    restarting={restarting === a.id}
                    onLogInAgain={() => void logInAgain(a)}
                    onContinue={() => setWizard({ account: a })}
                    onRemove={() => setPending(a)}
                  />
                ))}
              </ul>
            </>
          )
        ) : accounts.error ? (
          <ErrorState title={t('loadError')} error={accounts.error} onRetry={() => void accounts.refetch()} />
        ) : (
          <AccountsSkeleton label={t('loading')} />
        )}
      </section>

      {wizard && <AccountWizard start={wizard} onAccount={put} onClose={closeWizard} />}

      {pending && (
        <ConfirmDialog
          title={t('removeTitle')}
          confirmLabel={t('remove')}
          busy={removing}
          onConfirm={() => void remove()}
          onCancel={() => setPending(null)}
        >
          <p>
            <Trans t={t} i18nKey="removeBody" values={{ name: accountName(pending), phone: pending.phone }} components={{ strong: <strong /> }} />
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

function AccountRow({
  account: a,
  canManage,
  restarting,
  onLogInAgain,
  onContinue,
  onRemove,
}: {
  account: TelegramAccountView;
  canManage: boolean;
  restarting: boolean;
  onLogInAgain: () => void;
  onContinue: () => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation('tgaccounts');
  const name = accountName(a);
  return (
    <li className="tg-account" data-account={a.id} data-state={a.state}>
      <div className="tg-account-head">
        <div className="tg-account-who">
          <h3>{name}</h3>
          {name !== a.phone && (
            <div className="muted small">
              {a.username && a.first_name && <span>@{a.username} · </span>}
              <span translate="no">{a.phone}</span>
            </div>
          )}
        </div>
        <StateChip account={a} />
      </div>
      <AccountNote account={a} />
      {a.sources > 0 && <p className="muted small tg-account-sources">{t('sources', { count: a.sources })}</p>}
      <div className="tg-account-actions">
        {canManage && a.state === 'needs_login' && (
          <button type="button" className="btn btn-primary btn-sm" onClick={onLogInAgain} disabled={restarting} aria-label={t('logInAgainAs', { name })}>
            {restarting ? t('sendingCode') : t('logInAgain')}
          </button>
        )}
        {canManage && isAwaiting(a.state) && (
          <button type="button" className="btn btn-primary btn-sm" onClick={onContinue} aria-label={t('continueLoginAs', { name })}>
            {t('continueLogin')}
          </button>
        )}
        {hasChannels(a) && (
          <Link to={accountPage(a.id)} className="btn btn-secondary btn-sm" aria-label={t('channelsOf', { name })}>
            {t('channels')}
          </Link>
        )}
        {canManage && (
          <button type="button" className="btn btn-ghost btn-sm btn-danger-text" onClick={onRemove} aria-label={t('removeAccount', { name })}>
            {t('remove')}
          </button>
        )}
      </div>
    </li>
  );
}

/** What the state means for the dealer, with the server's reason when it gives one. */
function AccountNote({ account: a }: { account: TelegramAccountView }) {
  const { t } = useTranslation('tgaccounts');
  let text: string | null = null;
  if (a.state === 'needs_login') text = t('notes.needs_login');
  else if (a.state === 'offline') text = t('notes.offline');
  else if (a.state === 'reconnecting') text = t('notes.reconnecting');
  else if (a.state === 'connecting') text = t('notes.connecting');
  else if (a.state === 'flood_wait') text = a.flood_wait_until ? t('notes.floodUntil', { time: untilText(a.flood_wait_until) }) : t('notes.flood_wait');
  else if (isAwaiting(a.state)) text = t('notes.awaiting');
  const why = a.last_error && a.state !== 'online' ? a.last_error : null;
  if (!text && !why) return null;
  return (
    <p className={a.state === 'needs_login' ? 'tg-account-note tg-account-note-danger small' : 'tg-account-note muted small'}>
      {text}
      {why && (
        <>
          {text && ' '}
          <span className="tg-account-why">{t('lastError', { error: why })}</span>
        </>
      )}
    </p>
  );
}
