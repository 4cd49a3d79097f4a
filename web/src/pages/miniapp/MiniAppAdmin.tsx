// The dealer's Mini App page: what the showcase is, its address (to copy or
// open), whether each bot's menu button opens it (and a one-click switch), and
// a live preview at phone size.
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, ApiError } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { keyOf, useApiQuery } from '../../api/query';
import type { BotList, BotView, WorkspaceView } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, QueryView } from '../../components/States';
import { defaultMiniappText, type BotMenu, type BotMenuView } from '../telegram/menu';

export function MiniAppAdmin() {
  const { t } = useTranslation('miniapp');
  const { me } = useAuth();
  const workspace = useApiQuery<WorkspaceView>(me?.workspace ? '/api/workspace' : null);

  return (
    <>
      <PageHeader title={t('title')} subtitle={t('subtitle')} />
      {!me?.workspace ? (
        <EmptyState title={t('common:states.noWorkspace')}>{t('noWorkspace')}</EmptyState>
      ) : (
        <QueryView query={workspace} loading={t('loading')} errorTitle={t('loadError')}>
          {(w) => <MiniAppContent slug={w.slug} />}
        </QueryView>
      )}
    </>
  );
}

function MiniAppContent({ slug }: { slug: string }) {
  const { t } = useTranslation('miniapp');
  const path = `/m/${encodeURIComponent(slug)}`;
  const url = `${window.location.origin}${path}`;
  const strong = { strong: <strong />, inbox: <Link to="/inbox" /> };
  return (
    <div className="miniapp-admin">
      <div className="miniapp-admin-main">
        <section className="card">
          <h2>{t('howItWorks')}</h2>
          <ol className="miniapp-steps">
            <li>
              <Trans t={t} i18nKey="step1" components={strong} />
            </li>
            <li>
              <Trans t={t} i18nKey="step2" components={strong} />
            </li>
            <li>
              <Trans t={t} i18nKey="step3" components={strong} />
            </li>
          </ol>
        </section>

        <ShowcaseLink url={url} />

        <BotsSection />
      </div>

      <aside className="card miniapp-preview" aria-label={t('preview')}>
        <div className="card-header">
          <h2>{t('preview')}</h2>
          <a href={path} target="_blank" rel="noreferrer" className="small">
            {t('openNewTab')}
          </a>
        </div>
        <div className="miniapp-phone">
          <iframe title={t('previewFrame')} src={path} loading="lazy" />
        </div>
        <p className="muted small">{t('previewHint')}</p>
      </aside>
    </div>
  );
}

function ShowcaseLink({ url }: { url: string }) {
  const { t } = useTranslation('miniapp');
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
      <h2>{t('linkTitle')}</h2>
      <div className="invite-link-row">
        <input
          ref={inputRef}
          readOnly
          value={url}
          aria-label={t('link')}
          onFocus={(e) => e.currentTarget.select()}
          className="mono"
        />
        <button type="button" className="btn btn-primary" onClick={() => void copy()}>
          {copied === 'yes' ? t('common:actions.copied') : t('common:actions.copy')}
        </button>
        <a href={url} target="_blank" rel="noreferrer" className="btn btn-secondary">
          {t('open')}
        </a>
      </div>
      <p className="muted small" role={copied ? 'status' : undefined}>
        {copied === 'failed' ? `${t('copyFailed')} ` : ''}
        {t('share')}
      </p>
    </section>
  );
}

function BotsSection() {
  const { t } = useTranslation('miniapp');
  const { me } = useAuth();
  const canAdmin = atLeast(me?.role, 'admin');
  const bots = useApiQuery<BotList>('/api/bots');
  const list = bots.data?.bots ?? [];
  return (
    <section className="card">
      <div className="card-header">
        <h2>{t('botsTitle')}</h2>
      </div>
      <p className="muted small">
        <Trans t={t} i18nKey="botsIntro" components={{ go: <Link to="/telegram?tab=menu" /> }} />
      </p>
      <QueryView query={bots} loading={t('telegram:loading')} errorTitle={t('telegram:loadError')}>
        {() =>
          list.length === 0 ? (
            <EmptyState title={t('telegram:empty')}>
              <Trans t={t} i18nKey="noBots" components={{ go: <Link to="/telegram" /> }} />
            </EmptyState>
          ) : (
            <ul className="miniapp-bots">
              {list.map((b) => (
                <BotRow key={b.id} bot={b} canAdmin={canAdmin} />
              ))}
            </ul>
          )
        }
      </QueryView>
      {!canAdmin && list.length > 0 && <p className="muted small">{t('onlyAdmins')}</p>}
    </section>
  );
}

function BotRow({ bot, canAdmin }: { bot: BotView; canAdmin: boolean }) {
  const { t } = useTranslation('miniapp');
  const client = useQueryClient();
  const path = `/api/bots/${bot.id}/menu`;
  const menu = useApiQuery<BotMenuView>(path, { retry: false });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  // A bot that never had a menu: Telegram's default.
  const none = menu.error instanceof ApiError && menu.error.status === 404;
  const view: BotMenuView | null = menu.data ?? (none ? { bot_id: bot.id } : null);
  const kind = view?.menu_button?.kind ?? 'default';
  const opensMiniApp = kind === 'web_app';
  const kindLabel = t(`telegram:menuKinds.${kind}.label`, { defaultValue: kind });

  const use = async () => {
    if (!view) return;
    setBusy(true);
    setError(null);
    try {
      // Only the menu button changes; the commands and keyboard stay.
      const body: BotMenu = {
        commands: Array.isArray(view.commands) ? view.commands : [],
        keyboard: Array.isArray(view.keyboard) ? view.keyboard : [],
        menu_button: { kind: 'web_app', text: defaultMiniappText(), url: '' },
      };
      const v = await api<BotMenuView>(path, { method: 'PUT', body });
      client.setQueryData(keyOf(path), v ?? { ...view, ...body });
      setDone(true);
    } catch (e) {
      setError(
        e instanceof ApiError && (e.status === 502 || e.code === 'telegram_error')
          ? t('telegramRefused', { error: errorMessage(e) })
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
        {menu.isPending ? (
          <span className="muted small">{t('checking')}</span>
        ) : !view ? (
          <span className="field-error">{t('readFailed', { error: errorMessage(menu.error) })}</span>
        ) : opensMiniApp ? (
          <span className="pill pill-ok">{t('opensMiniApp')}</span>
        ) : (
          <span className="pill pill-muted miniapp-bot-kind">{t('menuButtonIs', { kind: kindLabel })}</span>
        )}
      </div>
      <div className="miniapp-bot-actions">
        {view && !opensMiniApp && canAdmin && (
          <button type="button" className="btn btn-primary btn-sm" disabled={busy} onClick={() => void use()}>
            {busy ? t('switching') : t('use')}
          </button>
        )}
        {!view && !menu.isPending && (
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => void menu.refetch()}>
            {t('common:actions.retry')}
          </button>
        )}
        <Link to={`/telegram?tab=menu&bot=${bot.id}`} className="btn btn-ghost btn-sm">
          {t('editMenu')}
        </Link>
      </div>
      {done && opensMiniApp && (
        <div className="notice notice-ok miniapp-bot-notice" role="status">
          {t('done', { bot: bot.username, text: view?.menu_button?.text || defaultMiniappText() })}
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
