import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, ApiError } from '../../api/client';
import type { BotList, BotView, ConnectBotRequest, UpdateBotRequest } from '../../api/types';
import { useApi } from '../../api/useApi';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { TextField } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorState, errorMessage, FormError, Loading } from '../../components/States';
import { formatDate } from '../../format';
import { BotMenuTab } from './BotMenuEditor';

interface Tab {
  key: string;
  label: string;
  soon?: string;
}

export const HUB_TABS: Tab[] = [
  { key: 'bots', label: 'Bots' },
  { key: 'menu', label: 'Bot menu' },
  { key: 'campaigns', label: 'Campaigns', soon: 'Broadcast offers to the buyers of your bots, now or on a schedule.' },
];

export function TelegramHub() {
  const { me } = useAuth();
  const [params] = useSearchParams();
  const tab = HUB_TABS.find((t) => t.key === params.get('tab')) ?? HUB_TABS[0];

  return (
    <>
      <PageHeader title="Telegram hub" subtitle="Your Telegram bots: connect them, and set what they answer on their own." />
      <nav className="tabs" aria-label="Telegram hub sections">
        {HUB_TABS.map((t) => (
          <Link
            key={t.key}
            to={`/telegram?tab=${t.key}`}
            className={t.key === tab.key ? 'tab active' : 'tab'}
            aria-current={t.key === tab.key ? 'page' : undefined}
          >
            {t.label}
            {t.soon && (
              <span className="tab-soon" aria-hidden="true">
                soon
              </span>
            )}
          </Link>
        ))}
      </nav>
      <div className="tab-panel">
        {!me?.workspace ? (
          <EmptyState title="No workspace">Bots belong to a workspace; log in as one of its members.</EmptyState>
        ) : tab.key === 'menu' ? (
          <BotMenuTab />
        ) : tab.soon ? (
          <div className="card coming-soon-inline">
            <span className="pill">Coming soon</span>
            <h2>{tab.label}</h2>
            <p>{tab.soon}</p>
          </div>
        ) : (
          <BotsTab />
        )}
      </div>
    </>
  );
}

function BotsTab() {
  const { me } = useAuth();
  const bots = useApi<BotList>('/api/bots');
  const canAdmin = atLeast(me?.role, 'admin');
  const [pending, setPending] = useState<BotView | null>(null);
  const [removing, setRemoving] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [justConnected, setJustConnected] = useState<string | null>(null);

  const list = bots.data?.bots ?? [];
  const replace = (b: BotView) => bots.setData({ bots: list.some((x) => x.id === b.id) ? list.map((x) => (x.id === b.id ? b : x)) : [...list, b] });

  const disconnect = async () => {
    if (!pending) return;
    setRemoving(true);
    setActionError(null);
    try {
      await api<void>(`/api/bots/${pending.id}`, { method: 'DELETE' });
      bots.setData({ bots: list.filter((x) => x.id !== pending.id) });
    } catch (e) {
      setActionError(`Could not disconnect @${pending.username}: ${errorMessage(e)}`);
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
            <h2>Connect a bot</h2>
          </div>
          <ConnectForm
            onConnected={(b) => {
              replace(b);
              setJustConnected(b.username);
            }}
          />
          {justConnected && (
            <div className="notice notice-ok" role="status">
              @{justConnected} is connected: its messages now arrive in the <Link to="/inbox">Inbox</Link>.
            </div>
          )}
        </section>
      ) : (
        <p className="muted small">Only admins and owners can connect or disconnect bots and edit auto-replies.</p>
      )}

      <FormError error={actionError} />

      <section className="card">
        <div className="card-header">
          <h2>Connected bots</h2>
          {bots.data && <span className="muted small">{list.length} in total</span>}
        </div>
        {bots.loading && !bots.data ? (
          <Loading label="Loading your bots…" />
        ) : bots.error || !bots.data ? (
          <ErrorState title="Could not load the bots" error={bots.error} onRetry={bots.reload} />
        ) : list.length === 0 ? (
          <EmptyState title="No bots connected yet">
            {canAdmin
              ? 'Create a bot with @BotFather in Telegram, then paste its token above.'
              : 'An admin of your workspace can connect one.'}
          </EmptyState>
        ) : (
          <ul className="bot-list">
            {list.map((b) => (
              <BotCard key={b.id} bot={b} canAdmin={canAdmin} onSaved={replace} onDisconnect={() => setPending(b)} />
            ))}
          </ul>
        )}
      </section>

      {pending && (
        <ConfirmDialog
          title="Disconnect bot?"
          confirmLabel="Disconnect"
          busy={removing}
          onConfirm={() => void disconnect()}
          onCancel={() => setPending(null)}
        >
          <p>
            <strong>@{pending.username}</strong> stops delivering messages to Cartie and its webhook is removed. Its
            conversations stay in the Inbox; you can connect it again with its token.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

function ConnectForm({ onConnected }: { onConnected: (b: BotView) => void }) {
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [general, setGeneral] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFieldError(null);
    setGeneral(null);
    if (!token.trim()) {
      setFieldError('Paste the token @BotFather gave you.');
      return;
    }
    setBusy(true);
    try {
      const body: ConnectBotRequest = { token: token.trim() };
      const b = await api<BotView>('/api/bots', { method: 'POST', body });
      setToken('');
      onConnected(b);
    } catch (err) {
      if (err instanceof ApiError && (err.field === 'token' || err.status === 409)) setFieldError(err.message);
      else setGeneral(errorMessage(err));
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
          label="Bot token"
          name="bot-token"
          placeholder="123456789:AAH…"
          autoComplete="off"
          spellCheck={false}
          value={token}
          onChange={(e) => setToken(e.target.value)}
          error={fieldError}
          hint="In Telegram, open @BotFather, send /newbot (or /token for an existing bot) and paste the token here. Cartie sets the webhook for you."
        />
        <div className="field field-button">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Connecting…' : 'Connect bot'}
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
  const [text, setText] = useState(bot.auto_reply ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const dirty = text.trim() !== (bot.auto_reply ?? '').trim();

  const save = async (value: string | null) => {
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const body: UpdateBotRequest = { auto_reply: value };
      const b = await api<BotView>(`/api/bots/${bot.id}`, { method: 'PATCH', body });
      setText(b.auto_reply ?? '');
      onSaved(b);
      setSaved(b.auto_reply ? 'Auto-reply saved.' : 'Auto-reply turned off.');
    } catch (e) {
      setError(errorMessage(e));
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
          <Link to={`/telegram?tab=menu&bot=${bot.id}`} className="btn btn-secondary btn-sm" aria-label={`Menu of @${bot.username}`}>
            Menu
          </Link>
          {canAdmin && (
            <button type="button" className="btn btn-ghost btn-sm btn-danger-text" onClick={onDisconnect}>
              Disconnect
            </button>
          )}
        </div>
      </div>
      <dl className="facts">
        <dt>Webhook</dt>
        <dd>
          <code className="break">{bot.webhook_url}</code>
        </dd>
        <dt>Connected</dt>
        <dd>
          {formatDate(bot.connected_at, true)} by {bot.connected_by}
        </dd>
      </dl>
      <div className="field">
        <label className="field-label" htmlFor={id}>
          Auto-reply
        </label>
        {canAdmin ? (
          <>
            <textarea
              id={id}
              rows={3}
              value={text}
              placeholder="Sent when a buyer starts the bot or writes for the first time, e.g. “Thanks for writing to Demo Motors! A manager will answer shortly.”"
              onChange={(e) => {
                setText(e.target.value);
                setSaved(null);
              }}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : `${id}-hint`}
            />
            <span className="field-hint" id={`${id}-hint`}>
              Sent when a buyer starts the bot or writes for the first time. Leave empty for none.
            </span>
            {error && (
              <span className="field-error" id={`${id}-error`}>
                {error}
              </span>
            )}
            <div className="form-actions">
              <button type="button" className="btn btn-primary btn-sm" disabled={busy || !dirty} onClick={() => void save(text.trim() || null)}>
                {busy ? 'Saving…' : 'Save auto-reply'}
              </button>
              <button type="button" className="btn btn-ghost btn-sm" disabled={busy || !bot.auto_reply} onClick={() => void save(null)}>
                Clear
              </button>
              {saved && (
                <span className="muted small" role="status">
                  {saved}
                </span>
              )}
            </div>
          </>
        ) : (
          <p id={id} className={bot.auto_reply ? 'auto-reply-view' : 'muted'}>
            {bot.auto_reply || 'No auto-reply.'}
          </p>
        )}
      </div>
    </li>
  );
}
