import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useSearchParams } from 'react-router-dom';
import { api, ApiError } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { invalidate, keyOf, useApiQuery } from '../../api/query';
import type { BotList, BotView, ConnectBotRequest, UpdateBotRequest } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { TextField } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, FormError, QueryView } from '../../components/States';
import { formatDate } from '../../i18n/format';
import { AccountsTab } from './AccountsTab';
import { BotMenuTab } from './BotMenuEditor';

interface Tab {
  key: string;
  /** Not built yet: the tab says what it will do (`tabs.<key>.soon`). */
  soon?: boolean;
  /** A module of its own: the tab leads to its page. */
  page?: string;
  /** The hub's own address for the tab, with deep links below it (`/telegram/accounts/:id`); `?tab=<key>` leads there. */
  path?: string;
}

export const HUB_TABS: Tab[] = [
  { key: 'bots' },
  { key: 'menu' },
  { key: 'accounts', path: '/telegram/accounts' },
  { key: 'campaigns', page: '/campaigns' },
];

export function TelegramHub() {
  const { t } = useTranslation('telegram');
  const { me } = useAuth();
  const [params] = useSearchParams();
  const { pathname } = useLocation();
  const tab =
    HUB_TABS.find((x) => x.path && (pathname === x.path || pathname.startsWith(`${x.path}/`))) ??
    HUB_TABS.find((x) => x.key === params.get('tab')) ??
    HUB_TABS[0];
  if (tab.page) return <Navigate to={tab.page} replace />;
  if (tab.path && !pathname.startsWith(tab.path)) return <Navigate to={tab.path} replace />;

  return (
    <>
      <PageHeader title={t('title')} subtitle={t('subtitle')} />
      <nav className="tabs" aria-label={t('sections')}>
        {HUB_TABS.map((x) => (
          <Link
            key={x.key}
            to={x.page ?? x.path ?? `/telegram?tab=${x.key}`}
            className={x.key === tab.key ? 'tab active' : 'tab'}
            aria-current={x.key === tab.key ? 'page' : undefined}
          >
            {t(`tabs.${x.key}.label`)}
            {x.soon && (
              <span className="tab-soon" aria-hidden="true">
                {t('common:shell.soon')}
              </span>
            )}
          </Link>
        ))}
      </nav>
      <div className="tab-panel">
        {!me?.workspace ? (
          <EmptyState title={t('common:states.noWorkspace')}>{t('noWorkspace')}</EmptyState>
        ) : tab.key === 'menu' ? (
          <BotMenuTab />
        ) : tab.key === 'accounts' ? (
          <AccountsTab />
        ) : tab.soon ? (
          <div className="card coming-soon-inline">
            <span className="pill">{t('common:comingSoon.pill')}</span>
            <h2>{t(`tabs.${tab.key}.label`)}</h2>
            <p>{t(`tabs.${tab.key}.soon`)}</p>
          </div>
        ) : (
          <BotsTab />
        )}
      </div>
    </>
  );
}

function BotsTab() {
  const { t } = useTranslation('telegram');
  const { me } = useAuth();
  const client = useQueryClient();
  const bots = useApiQuery<BotList>('/api/bots');
  const canAdmin = atLeast(me?.role, 'admin');
  const [pending, setPending] = useState<BotView | null>(null);
  const [removing, setRemoving] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [justConnected, setJustConnected] = useState<string | null>(null);

  const list = bots.data?.bots ?? [];
  /** Shows a write's answer at once; the dashboard's figures and other lists of bots are asked again. */
  const setBots = (next: BotView[]) => {
    client.setQueryData(keyOf('/api/bots'), { bots: next });
    void invalidate(client, '/api/dashboard');
  };
  const replace = (b: BotView) => setBots(list.some((x) => x.id === b.id) ? list.map((x) => (x.id === b.id ? b : x)) : [...list, b]);

  const disconnect = async () => {
    if (!pending) return;
    setRemoving(true);
    setActionError(null);
    try {
      await api<void>(`/api/bots/${pending.id}`, { method: 'DELETE' });
      setBots(list.filter((x) => x.id !== pending.id));
    } catch (e) {
      setActionError(t('disconnectFailed', { bot: pending.username, error: errorMessage(e) }));
    } finally {
      setRemoving(false);
      setPending(null);
    }
  };

  return (
    <>
      {canAdmin ? (
        <section className="card">
          <div className="card-header">
            <h2>{t('connectTitle')}</h2>
          </div>
          <ConnectForm
            onConnected={(b) => {
              replace(b);
              setJustConnected(b.username);
            }}
          />
          {justConnected && (
            <div className="notice notice-ok" role="status">
              <Trans t={t} i18nKey="connected" values={{ bot: justConnected }} components={{ inbox: <Link to="/inbox" /> }} />
            </div>
          )}
        </section>
      ) : (
        <p className="muted small">{t('onlyAdmins')}</p>
      )}

      <FormError error={actionError} />

      <section className="card">
        <div className="card-header">
          <h2>{t('connectedBots')}</h2>
          {bots.data && <span className="muted small">{t('total', { count: list.length })}</span>}
        </div>
        <QueryView query={bots} loading={t('loading')} errorTitle={t('loadError')}>
          {() =>
            list.length === 0 ? (
              <EmptyState title={t('empty')}>{canAdmin ? t('emptyAdmin') : t('emptyOther')}</EmptyState>
            ) : (
              <ul className="bot-list">
                {list.map((b) => (
                  <BotCard key={b.id} bot={b} canAdmin={canAdmin} onSaved={replace} onDisconnect={() => setPending(b)} />
                ))}
              </ul>
            )
          }
        </QueryView>
      </section>

      {pending && (
        <ConfirmDialog
          title={t('disconnectTitle')}
          confirmLabel={t('disconnect')}
          busy={removing}
          onConfirm={() => void disconnect()}
          onCancel={() => setPending(null)}
        >
          <p>
            <Trans t={t} i18nKey="disconnectBody" values={{ bot: pending.username }} components={{ strong: <strong /> }} />
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

function ConnectForm({ onConnected }: { onConnected: (b: BotView) => void }) {
  const { t } = useTranslation('telegram');
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [general, setGeneral] = useState<unknown>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFieldError(null);
    setGeneral(null);
    if (!token.trim()) {
      setFieldError(t('tokenMissing'));
      return;
    }
    setBusy(true);
    try {
      const body: ConnectBotRequest = { token: token.trim() };
      const b = await api<BotView>('/api/bots', { method: 'POST', body });
      setToken('');
      onConnected(b);
    } catch (err) {
      if (err instanceof ApiError && (err.field === 'token' || err.status === 409)) setFieldError(errorMessage(err));
      else setGeneral(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="inline-form" onSubmit={submit} noValidate>
      <FormError error={general} />
      <div className="form-row">
        <TextField
          grow
          required
          label={t('token')}
          name="bot-token"
          placeholder={t('tokenPlaceholder')}
          autoComplete="off"
          spellCheck={false}
          value={token}
          onChange={(e) => setToken(e.target.value)}
          error={fieldError}
          hint={t('tokenHint')}
        />
        <div className="field field-button">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('connecting') : t('connect')}
          </button>
        </div>
      </div>
    </form>
  );
}

function BotCard({
  bot,
  canAdmin,
  onSaved,
  onDisconnect,
}: {
  bot: BotView;
  canAdmin: boolean;
  onSaved: (b: BotView) => void;
  onDisconnect: () => void;
}) {
  const { t } = useTranslation('telegram');
  const [text, setText] = useState(bot.auto_reply ?? '');
  // Buyers whose Telegram is in Ukrainian get this one when it is written.
  const [textUk, setTextUk] = useState(bot.auto_reply_uk ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const dirty = text.trim() !== (bot.auto_reply ?? '').trim() || textUk.trim() !== (bot.auto_reply_uk ?? '').trim();

  const save = async (value: string | null, valueUk: string | null) => {
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const body: UpdateBotRequest = { auto_reply: value, auto_reply_uk: valueUk };
      const b = await api<BotView>(`/api/bots/${bot.id}`, { method: 'PATCH', body });
      setText(b.auto_reply ?? '');
      setTextUk(b.auto_reply_uk ?? '');
      onSaved(b);
      setSaved(b.auto_reply || b.auto_reply_uk ? t('autoReplySaved') : t('autoReplyOff'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const id = `auto-reply-${bot.id}`;
  return (
    <li className="bot-card" data-bot={bot.id}>
      <div className="bot-card-head">
        <div>
          <h3>
            <a href={`https://t.me/${bot.username}`} target="_blank" rel="noreferrer">
              @{bot.username}
            </a>
          </h3>
          <div className="muted">{bot.first_name}</div>
        </div>
        <div className="bot-card-actions">
          <Link to={`/telegram?tab=menu&bot=${bot.id}`} className="btn btn-secondary btn-sm" aria-label={t('menuOf', { bot: bot.username })}>
            {t('menu')}
          </Link>
          {canAdmin && (
            <button type="button" className="btn btn-ghost btn-sm btn-danger-text" onClick={onDisconnect}>
              {t('disconnect')}
            </button>
          )}
        </div>
      </div>
      <dl className="facts">
        <dt>{t('webhook')}</dt>
        <dd>
          <code className="break" translate="no">
            {bot.webhook_url}
          </code>
        </dd>
        <dt>{t('connectedAt')}</dt>
        <dd>{t('connectedBy', { when: formatDate(bot.connected_at, true), who: bot.connected_by })}</dd>
      </dl>
      <div className="field">
        <label className="field-label" htmlFor={id}>
          {t('autoReply')}
        </label>
        {canAdmin ? (
          <>
            <textarea
              id={id}
              rows={3}
              value={text}
              placeholder={t('autoReplyPlaceholder')}
              onChange={(e) => {
                setText(e.target.value);
                setSaved(null);
              }}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : `${id}-hint`}
            />
            <span className="field-hint" id={`${id}-hint`}>
              {t('autoReplyHint')}
            </span>
            <label className="field-label" htmlFor={`${id}-uk`}>
              {t('autoReplyUk')}
            </label>
            <textarea
              id={`${id}-uk`}
              rows={3}
              value={textUk}
              lang="uk"
              placeholder={t('autoReplyUkPlaceholder')}
              onChange={(e) => {
                setTextUk(e.target.value);
                setSaved(null);
              }}
              aria-describedby={`${id}-uk-hint`}
            />
            <span className="field-hint" id={`${id}-uk-hint`}>
              {t('autoReplyUkHint')}
            </span>
            {error != null && (
              <span className="field-error" id={`${id}-error`}>
                {errorMessage(error)}
              </span>
            )}
            <div className="form-actions">
              <button type="button" className="btn btn-primary btn-sm" disabled={busy || !dirty} onClick={() => void save(text.trim() || null, textUk.trim() || null)}>
                {busy ? t('common:actions.saving') : t('saveAutoReply')}
              </button>
              <button type="button" className="btn btn-ghost btn-sm" disabled={busy || (!bot.auto_reply && !bot.auto_reply_uk)} onClick={() => void save(null, null)}>
                {t('common:actions.clear')}
              </button>
              {saved && (
                <span className="muted small" role="status">
                  {saved}
                </span>
              )}
            </div>
          </>
        ) : (
          <>
            <p id={id} className={bot.auto_reply ? 'auto-reply-view' : 'muted'}>
              {bot.auto_reply || t('noAutoReply')}
            </p>
            {bot.auto_reply_uk && (
              <p className="auto-reply-view" lang="uk" aria-label={t('autoReplyUk')}>
                {bot.auto_reply_uk}
              </p>
            )}
          </>
        )}
      </div>
    </li>
  );
}
