// The dealer's Mini App page: what the showcase is, its address (to copy or
// open), whether each bot's menu button opens it (and a one-click switch), and
// a live preview at phone size.
import { useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, ApiError } from '../../api/client';
import type { BotList, BotView, WorkspaceView } from '../../api/types';
import { useApi } from '../../api/useApi';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorState, errorMessage, Loading } from '../../components/States';
import { DEFAULT_MINIAPP_TEXT, MENU_KINDS, type BotMenu, type BotMenuView } from '../telegram/menu';

export function MiniAppAdmin() {
  const { me } = useAuth();
  const workspace = useApi<WorkspaceView>(me?.workspace ? '/api/workspace' : null);

  return (
    <>
      <PageHeader
        title="Mini App"
        subtitle="A showcase of your available cars that buyers open right inside Telegram, from your bot's menu button."
      />
      {!me?.workspace ? (
        <EmptyState title="No workspace">The Mini App belongs to a workspace; log in as one of its members.</EmptyState>
      ) : workspace.loading && !workspace.data ? (
        <Loading label="Loading your showcase…" />
      ) : workspace.error || !workspace.data ? (
        <ErrorState title="Could not load your showcase" error={workspace.error} onRetry={workspace.reload} />
      ) : (
        <MiniAppContent slug={workspace.data.slug} />
      )}
    </>
  );
}

function MiniAppContent({ slug }: { slug: string }) {
  const path = `/m/${encodeURIComponent(slug)}`;
  const url = `${window.location.origin}${path}`;
  return (
    <div className="miniapp-admin">
      <div className="miniapp-admin-main">
        <section className="card">
          <h2>How it works</h2>
          <ol className="miniapp-steps">
            <li>
              A buyer taps your bot's <strong>menu button</strong> (beside the message field) and your showcase opens
              inside Telegram.
            </li>
            <li>
              They browse your <strong>available</strong> cars — filter by make, price and year, swipe through the
              photos. Reserved, sold and draft cars are not shown.
            </li>
            <li>
              They tap <strong>I'm interested</strong>: Telegram vouches for who they are, and a conversation with them,
              naming the car, appears in your <Link to="/inbox">Inbox</Link>.
            </li>
          </ol>
        </section>

        <ShowcaseLink url={url} />

        <BotsSection />
      </div>

      <aside className="card miniapp-preview" aria-label="Preview">
        <div className="card-header">
          <h2>Preview</h2>
          <a href={path} target="_blank" rel="noreferrer" className="small">
            Open in a new tab
          </a>
        </div>
        <div className="miniapp-phone">
          <iframe title="Showcase preview" src={path} loading="lazy" />
        </div>
        <p className="muted small">What buyers see in a web browser; inside Telegram it takes their theme colours.</p>
      </aside>
    </div>
  );
}

function ShowcaseLink({ url }: { url: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(url);
      setCopied('yes');
    } catch {
      inputRef.current?.select();
      setCopied('failed');
    }
  };

  return (
    <section className="card">
      <h2>Your showcase link</h2>
      <div className="invite-link-row">
        <input
          ref={inputRef}
          readOnly
          value={url}
          aria-label="Showcase link"
          onFocus={(e) => e.currentTarget.select()}
          className="mono"
        />
        <button type="button" className="btn btn-primary" onClick={() => void copy()}>
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </button>
        <a href={url} target="_blank" rel="noreferrer" className="btn btn-secondary">
          Open
        </a>
      </div>
      <p className="muted small" role={copied ? 'status' : undefined}>
        {copied === 'failed' ? 'Copying failed: the link is selected, copy it by hand. ' : ''}
        Share it anywhere — in a channel post, on your website. Opened outside Telegram, buyers can browse; to send
        their interest they open it from your bot.
      </p>
    </section>
  );
}

function BotsSection() {
  const { me } = useAuth();
  const canAdmin = atLeast(me?.role, 'admin');
  const bots = useApi<BotList>('/api/bots');
  const list = bots.data?.bots ?? [];
  return (
    <section className="card">
      <div className="card-header">
        <h2>Your bots' menu button</h2>
      </div>
      <p className="muted small">
        The Mini App opens from a bot's menu button. Switch it here, or set it with the commands and keyboard in the{' '}
        <Link to="/telegram?tab=menu">bot menu editor</Link>.
      </p>
      {bots.loading && !bots.data ? (
        <Loading label="Loading your bots…" />
      ) : bots.error || !bots.data ? (
        <ErrorState title="Could not load the bots" error={bots.error} onRetry={bots.reload} />
      ) : list.length === 0 ? (
        <EmptyState title="No bots connected yet">
          <Link to="/telegram">Connect a bot</Link> in the Telegram hub, then come back to put the showcase on its menu.
        </EmptyState>
      ) : (
        <ul className="miniapp-bots">
          {list.map((b) => (
            <BotRow key={b.id} bot={b} canAdmin={canAdmin} />
          ))}
        </ul>
      )}
      {!canAdmin && list.length > 0 && <p className="muted small">Only admins and owners can change a bot's menu button.</p>}
    </section>
  );
}

function BotRow({ bot, canAdmin }: { bot: BotView; canAdmin: boolean }) {
  const menu = useApi<BotMenuView>(`/api/bots/${bot.id}/menu`);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  // A bot that never had a menu: Telegram's default.
  const none = menu.error instanceof ApiError && menu.error.status === 404;
  const view: BotMenuView | null = menu.data ?? (none ? { bot_id: bot.id } : null);
  const kind = view?.menu_button?.kind ?? 'default';
  const opensMiniApp = kind === 'web_app';
  const kindLabel = MENU_KINDS.find((k) => k.kind === kind)?.label ?? kind;

  const use = async () => {
    if (!view) return;
    setBusy(true);
    setError(null);
    try {
      // Only the menu button changes; the commands and keyboard stay.
      const body: BotMenu = {
        commands: Array.isArray(view.commands) ? view.commands : [],
        keyboard: Array.isArray(view.keyboard) ? view.keyboard : [],
        menu_button: { kind: 'web_app', text: DEFAULT_MINIAPP_TEXT, url: '' },
      };
      const v = await api<BotMenuView>(`/api/bots/${bot.id}/menu`, { method: 'PUT', body });
      menu.setData(v ?? { ...view, ...body });
      setDone(true);
    } catch (e) {
      setError(
        e instanceof ApiError && (e.status === 502 || e.code === 'telegram_error')
          ? `Telegram did not accept it: ${e.message}`
          : errorMessage(e),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="miniapp-bot" data-bot={bot.id}>
      <div className="miniapp-bot-main">
        <a href={`https://t.me/${bot.username}`} target="_blank" rel="noreferrer" className="miniapp-bot-name">
          @{bot.username}
        </a>
        {menu.loading && !menu.data ? (
          <span className="muted small">Checking its menu…</span>
        ) : !view ? (
          <span className="field-error">Could not read its menu: {errorMessage(menu.error)}</span>
        ) : opensMiniApp ? (
          <span className="pill pill-ok">Menu button opens the Mini App</span>
        ) : (
          <span className="pill pill-muted miniapp-bot-kind">Menu button: {kindLabel}</span>
        )}
      </div>
      <div className="miniapp-bot-actions">
        {view && !opensMiniApp && canAdmin && (
          <button type="button" className="btn btn-primary btn-sm" disabled={busy} onClick={() => void use()}>
            {busy ? 'Switching…' : "Use as this bot's menu button"}
          </button>
        )}
        {!view && !menu.loading && (
          <button type="button" className="btn btn-ghost btn-sm" onClick={menu.reload}>
            Retry
          </button>
        )}
        <Link to={`/telegram?tab=menu&bot=${bot.id}`} className="btn btn-ghost btn-sm">
          Edit menu
        </Link>
      </div>
      {done && opensMiniApp && (
        <div className="notice notice-ok miniapp-bot-notice" role="status">
          Done: @{bot.username}'s menu button now opens your showcase (“{view?.menu_button?.text || DEFAULT_MINIAPP_TEXT}”).
        </div>
      )}
      {error && (
        <div className="field-error miniapp-bot-notice" role="alert">
          {error}
        </div>
      )}
    </li>
  );
}
