import { useQueryClient } from '@tanstack/react-query';
import { ArrowLeft } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { invalidate, keyOf, useApiQuery } from '../../api/query';
import type { TelegramAccountView, TelegramChannelList, TelegramChannelSourceRequest, TelegramChannelView } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { ACCOUNTS_PATH, accountName, accountPath, hasChannels, MANAGE_ROLE } from './account';
import { StateChip } from './AccountParts';
import { useAccounts } from './accountQueries';

/** `/telegram/accounts/:accountId`: the channels and groups the account follows, and which are stock sources. */
export function AccountChannels({ accountId }: { accountId: string }) {
  const { t } = useTranslation('tgaccounts');
  const accounts = useAccounts();
  const account = accounts.data?.items.find((a) => a.id === accountId);
  const back = (
    <Link to="/telegram/accounts" className="btn btn-ghost btn-sm tg-back">
      <ArrowLeft size={16} aria-hidden="true" />
      {t('allAccounts')}
    </Link>
  );

  return (
    <section className="card tg-channels" aria-labelledby="tg-channels-title">
      {back}
      {accounts.data && !account ? (
        <EmptyState title={t('notFound')}>{t('notFoundBody')}</EmptyState>
      ) : !account ? (
        accounts.error ? (
          <ErrorState title={t('loadError')} error={accounts.error} onRetry={() => void accounts.refetch()} />
        ) : (
          <Loading label={t('loading')} />
        )
      ) : (
        <ChannelsOf account={account} />
      )}
    </section>
  );
}

function ChannelsOf({ account }: { account: TelegramAccountView }) {
  const { t } = useTranslation('tgaccounts');
  const { me } = useAuth();
  const canManage = atLeast(me?.role, MANAGE_ROLE);
  const path = `${accountPath(account.id)}/channels`;
  const ready = hasChannels(account);
  const channels = useApiQuery<TelegramChannelList>(ready ? path : null);
  const client = useQueryClient();
  const list = channels.data?.items ?? [];
  const sources = list.filter((c) => c.source).length;

  const replace = (c: TelegramChannelView) => {
    client.setQueryData<TelegramChannelList>(keyOf(path), (old) => ({ items: (old?.items ?? []).map((x) => (x.id === c.id ? c : x)) }));
    // The account's count of sources on the list.
    void invalidate(client, ACCOUNTS_PATH, { exact: true });
  };

  return (
    <>
      <div className="card-header tg-channels-head">
        <div>
          <h2 id="tg-channels-title">
            {t('channelsTitle', { name: accountName(account) })}
          </h2>
          <div className="muted small" translate="no">
            {account.phone}
          </div>
        </div>
        <StateChip account={account} />
      </div>
      <p className="muted small">{t('channelsIntro')}</p>
      {!ready ? (
        <EmptyState title={t('channelsNotYet')}>{t('channelsNotYetBody')}</EmptyState>
      ) : channels.data ? (
        list.length === 0 ? (
          <EmptyState title={t('channelsEmpty')}>{t('channelsEmptyBody')}</EmptyState>
        ) : (
          <>
            <p className="muted small" role="status">
              {t('channelsCount', { count: list.length })} · {t('sources', { count: sources })}
            </p>
            <ul className="tg-channel-list">
              {list.map((c) => (
                <ChannelRow key={c.id} path={path} channel={c} canManage={canManage} onSaved={replace} />
              ))}
            </ul>
          </>
        )
      ) : channels.error ? (
        <ErrorState title={t('channelsLoadError')} error={channels.error} onRetry={() => void channels.refetch()} />
      ) : (
        <Loading label={t('channelsLoading')} />
      )}
    </>
  );
}

function ChannelRow({
  path,
  channel: c,
  canManage,
  onSaved,
}: {
  path: string;
  channel: TelegramChannelView;
  canManage: boolean;
  onSaved: (c: TelegramChannelView) => void;
}) {
  const { t } = useTranslation('tgaccounts');
  const [busy, setBusy] = useState(false);
  /** What the switch shows while the server is asked (the answer replaces it). */
  const [wanted, setWanted] = useState<boolean | null>(null);
  const [error, setError] = useState<unknown>(null);
  const on = wanted ?? c.source;
  const id = `tg-channel-${c.id}`;

  const toggle = async (source: boolean) => {
    setBusy(true);
    setWanted(source);
    setError(null);
    try {
      const body: TelegramChannelSourceRequest = { source };
      onSaved(await api<TelegramChannelView>(`${path}/${encodeURIComponent(String(c.id))}`, { method: 'PUT', body }));
    } catch (e) {
      setError(e);
    } finally {
      setWanted(null);
      setBusy(false);
    }
  };

  return (
    <li className="tg-channel" data-channel={c.id} data-source={c.source ? 'true' : 'false'}>
      <div className="tg-channel-main">
        <strong>{c.title}</strong>
        <span className="muted small">
          {t(`kinds.${c.kind}`, { defaultValue: c.kind })}
          {c.username && (
            <>
              {' · '}
              <a href={`https://t.me/${c.username}`} target="_blank" rel="noreferrer" translate="no">
                @{c.username}
              </a>
            </>
          )}
        </span>
      </div>
      <label className="tg-switch" htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          role="switch"
          checked={on}
          disabled={!canManage || busy}
          aria-label={t('sourceOf', { title: c.title })}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => void toggle(e.target.checked)}
        />
        <span className="small">{t('source')}</span>
      </label>
      {error != null && (
        <span className="field-error tg-channel-error" id={`${id}-error`} role="alert">
          {t('sourceFailed', { error: errorMessage(error) })}
        </span>
      )}
    </li>
  );
}
