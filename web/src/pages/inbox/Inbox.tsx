import { useCallback, useEffect, useMemo, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { useApiQuery, usePolledQuery } from '../../api/query';
import type { BotList, BotView, ConversationPage, ConversationView, InboxCountsView, MemberView, Team } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { CannedRepliesModal } from './Canned';
import { Chat } from './Chat';
import { initials, listTime, memberName, personName, throughName, viaAccount } from './names';

export const CONVERSATIONS_PAGE = 30;

const byNewest = (a: ConversationView, b: ConversationView) =>
  Date.parse(b.last_message_at) - Date.parse(a.last_message_at) || a.id.localeCompare(b.id);

/**
 * The conversation list of one filter: the newest page polled (ETag), older
 * pages loaded on demand, and everything seen kept, so a conversation never
 * drops out of the list when newer ones push it off the first page.
 */
function useConversations(botFilter: string, view: InboxView) {
  // A search looks through every conversation (all tabs and statuses).
  const path = view.q
    ? `/api/inbox/conversations?bot_id=${encodeURIComponent(botFilter)}&tab=all&status=any&q=${encodeURIComponent(view.q)}`
    : `/api/inbox/conversations?bot_id=${encodeURIComponent(botFilter)}&tab=${view.tab}&status=${view.status}` +
      `${view.unread ? '&unread=true' : ''}&limit=${CONVERSATIONS_PAGE}`;
  const poll = usePolledQuery<ConversationPage>(path);
  const [seen, setSeen] = useState<{ path: string; map: Map<string, ConversationView> }>({ path, map: new Map() });
  const [cursor, setCursor] = useState<{ path: string; value: string | null | undefined }>({ path, value: undefined });
  const [older, setOlder] = useState<{ loading: boolean; error: unknown }>({ loading: false, error: null });

  const mergeInto = useCallback(
    (items: ConversationView[]) =>
      setSeen((s) => {
        const map = new Map(s.path === path ? s.map : []);
        for (const c of items) map.set(c.id, c);
        return { path, map };
      }),
    [path],
  );

  useEffect(() => {
    if (!poll.data) return;
    mergeInto(poll.data.items);
    const next = poll.data.next_cursor ?? null;
    setCursor((c) => (c.path === path && c.value !== undefined ? c : { path, value: next }));
  }, [poll.data, mergeInto, path]);

  const items = useMemo(() => (seen.path === path ? [...seen.map.values()].sort(byNewest) : []), [seen, path]);
  const olderCursor = cursor.path === path ? cursor.value : undefined;

  const loadOlder = async () => {
    if (!olderCursor) return;
    setOlder({ loading: true, error: null });
    try {
      const p = await api<ConversationPage>(`${path}&cursor=${encodeURIComponent(olderCursor)}`);
      mergeInto(p.items);
      setCursor({ path, value: p.next_cursor ?? null });
      setOlder({ loading: false, error: null });
    } catch (e) {
      setOlder({ loading: false, error: e });
    }
  };

  const patch = useCallback(
    (id: string, change: Partial<ConversationView>) =>
      setSeen((s) => {
        const c = s.map.get(id);
        if (!c) return s;
        const map = new Map(s.map);
        map.set(id, { ...c, ...change });
        return { ...s, map };
      }),
    [],
  );

  const { refetch } = poll;
  const refresh = useCallback(() => void refetch(), [refetch]);
  return {
    items,
    loading: poll.isPending,
    error: poll.data ? null : poll.error,
    refreshError: poll.data ? poll.error : null,
    reload: refresh,
    refresh,
    hasOlder: !!olderCursor,
    loadOlder,
    older,
    patch,
  };
}

export const TABS = ['all', 'mine', 'unassigned'] as const;
export const STATUSES = ['open', 'snoozed', 'resolved'] as const;

/** Which conversations the list shows, from the address (`?tab=mine&status=open&unread=1`, or a search `?q=rav4`). */
export interface InboxView {
  tab: (typeof TABS)[number];
  status: (typeof STATUSES)[number];
  unread: boolean;
  /** Search text: names, usernames, phones and message words. */
  q: string;
}

export function viewOf(params: URLSearchParams): InboxView {
  const tab = TABS.find((x) => x === params.get('tab')) ?? 'all';
  const status = STATUSES.find((x) => x === params.get('status')) ?? 'open';
  const unread = params.get('unread') === '1' || params.get('unread') === 'true';
  const q = (params.get('q') ?? '').trim().slice(0, 100);
  return { tab, status, unread, q };
}

/** The Inbox search: submitted with Enter or the button (a search reads more than a page). */
function SearchBox({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const { t } = useTranslation('inbox');
  const [text, setText] = useState(value);
  return (
    <form
      className="inbox-search"
      role="search"
      aria-label={t('search.label')}
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(text);
      }}
    >
      <input type="search" aria-label={t('search.label')} placeholder={t('search.placeholder')} value={text} maxLength={100} onChange={(e) => setText(e.target.value)} />
      <button type="submit" className="btn btn-secondary btn-sm">
        {t('search.button')}
      </button>
    </form>
  );
}

export function Inbox() {
  const { t } = useTranslation('inbox');
  const { me } = useAuth();
  const { conversationId } = useParams();
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const hasWorkspace = !!me?.workspace;
  const botFilter = params.get('bot') || 'all';
  const bots = useApiQuery<BotList>(hasWorkspace ? '/api/bots' : null);
  const team = useApiQuery<Team>(hasWorkspace ? '/api/team' : null);
  const canReply = atLeast(me?.role, 'manager');
  const view = viewOf(params);
  const list = useConversations(botFilter, view);
  const counts = usePolledQuery<InboxCountsView>(hasWorkspace ? '/api/inbox/counts' : null, 5000);
  const [cannedOpen, setCannedOpen] = useState(false);
  const { patch, refresh: refreshList } = list;
  const { refetch: refetchCounts } = counts;
  const refresh = useCallback(() => {
    refreshList();
    void refetchCounts();
  }, [refreshList, refetchCounts]);

  const onRead = useCallback(
    (id: string) => {
      patch(id, { unread: 0 });
      refresh();
    },
    [patch, refresh],
  );
  const onChanged = useCallback(
    (c?: ConversationView) => {
      if (c) patch(c.id, c);
      refresh();
    },
    [patch, refresh],
  );

  if (!hasWorkspace) {
    return (
      <>
        <PageHeader title={t('title')} />
        <EmptyState title={t('common:states.noWorkspace')}>{t('noWorkspace')}</EmptyState>
      </>
    );
  }

  // Conversations, not messages: the counter the dashboard shows too.
  const unreadTotal = counts.data?.unread ?? 0;
  const choose = (name: string, value: string, fallback: string) => {
    const next = new URLSearchParams(params);
    if (value === fallback) next.delete(name);
    else next.set(name, value);
    if (conversationId) navigate({ pathname: '/inbox', search: next.toString() });
    else setParams(next);
  };
  const chooseBot = (value: string) => choose('bot', value, 'all');
  const tabCount = (tab: InboxView['tab']) => {
    const c = counts.data;
    if (!c) return null;
    if (view.status !== 'open') return null;
    return tab === 'all' ? c.open : tab === 'mine' ? c.mine : c.unassigned;
  };

  return (
    <>
      <PageHeader
        title={t('title')}
        subtitle={unreadTotal > 0 ? t('unreadTotal', { count: unreadTotal }) : t('subtitle')}
      />
      <div className={conversationId ? 'inbox has-chat' : 'inbox'}>
        <aside className="inbox-list" aria-label={t('conversations')}>
          <SearchBox key={view.q} value={view.q} onSearch={(q) => choose('q', q.trim(), '')} />
          {view.q ? (
            <p className="inbox-search-note small">
              {t('search.results', { q: view.q })}{' '}
              <button type="button" className="btn btn-ghost btn-sm" onClick={() => choose('q', '', '')}>
                {t('search.clear')}
              </button>
            </p>
          ) : (
            <nav className="tabs inbox-tabs" aria-label={t('triage.tabs')}>
              {TABS.map((tab) => {
                const n = tabCount(tab);
                return (
                  <button
                    key={tab}
                    type="button"
                    className={view.tab === tab ? 'tab active' : 'tab'}
                    aria-current={view.tab === tab ? 'page' : undefined}
                    onClick={() => choose('tab', tab, 'all')}
                    data-tab={tab}
                  >
                    {t(`triage.tab.${tab}`)}
                    {n != null && (
                      <>
                        {' '}
                        <span className="tab-count">{n}</span>
                      </>
                    )}
                  </button>
                );
              })}
            </nav>
          )}
          <div className="inbox-list-header">
            {!view.q && (
              <select aria-label={t('triage.statusFilter')} value={view.status} onChange={(e) => choose('status', e.target.value, 'open')}>
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t(`triage.statusCount.${s}`, { count: counts.data?.[s] ?? 0 })}
                  </option>
                ))}
              </select>
            )}
            {!view.q && (
              <label className="inbox-unread-filter">
                <input type="checkbox" checked={view.unread} onChange={(e) => choose('unread', e.target.checked ? '1' : '', '')} />
                {t('triage.unreadOnly', { count: counts.data?.unread ?? 0 })}
              </label>
            )}
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => setCannedOpen(true)}>
              {t('canned.title')}
            </button>
            <select aria-label={t('bot')} value={botFilter} onChange={(e) => chooseBot(e.target.value)}>
              <option value="all">{t('allBots')}</option>
              {bots.data?.bots.map((b) => (
                <option key={b.id} value={String(b.id)}>
                  @{b.username}
                </option>
              ))}
              {botFilter !== 'all' && !bots.data?.bots.some((b) => String(b.id) === botFilter) && (
                <option value={botFilter}>{t('botNumber', { id: botFilter })}</option>
              )}
            </select>
          </div>
          <ConversationList
            list={list}
            bots={bots.data?.bots}
            botsLoaded={!!bots.data}
            showBot={botFilter === 'all'}
            selectedId={conversationId}
            search={location.search}
            members={team.data?.members}
            filtered={!!view.q || view.tab !== 'all' || view.status !== 'open' || view.unread}
          />
        </aside>
        {conversationId ? (
          <Chat
            key={conversationId}
            conversationId={conversationId}
            members={team.data?.members}
            canReply={canReply}
            onRead={onRead}
            onChanged={onChanged}
          />
        ) : (
          <section className="chat chat-none">
            <EmptyState title={t('pick')}>{canReply ? t('pickBodyReply') : t('pickBody')}</EmptyState>
          </section>
        )}
      </div>
      {cannedOpen && <CannedRepliesModal canEdit={canReply} onClose={() => setCannedOpen(false)} />}
    </>
  );
}

function ConversationList({
  list,
  bots,
  botsLoaded,
  showBot,
  selectedId,
  search,
  members,
  filtered,
}: {
  list: ReturnType<typeof useConversations>;
  bots: BotView[] | undefined;
  botsLoaded: boolean;
  showBot: boolean;
  selectedId: string | undefined;
  search: string;
  members: MemberView[] | undefined;
  filtered: boolean;
}) {
  const { t } = useTranslation('inbox');
  if (list.loading) return <Loading label={t('loading')} />;
  if (list.error) return <ErrorState title={t('loadError')} error={list.error} onRetry={list.reload} />;
  if (list.items.length === 0) {
    return botsLoaded && bots?.length === 0 ? (
      <EmptyState title={t('noBots')}>
        <Trans t={t} i18nKey="noBotsBody" components={{ go: <Link to="/telegram" /> }} />
      </EmptyState>
    ) : filtered ? (
      <>
        <EmptyState title={t('triage.emptyView')}>{t('triage.emptyViewBody')}</EmptyState>
        {list.hasOlder && (
          <div className="conv-older">
            <button type="button" className="btn btn-secondary btn-sm" onClick={() => void list.loadOlder()} disabled={list.older.loading}>
              {list.older.loading ? t('common:states.loading') : t('loadOlder')}
            </button>
          </div>
        )}
      </>
    ) : (
      <EmptyState title={t('empty')}>{t('emptyBody')}</EmptyState>
    );
  }
  return (
    <>
      {list.refreshError != null && (
        <div className="inbox-list-warning small" role="status">
          {t('refreshFailed')}
        </div>
      )}
      <ul className="conv-list">
        {list.items.map((c) => (
          <li key={c.id}>
            <Link
              to={{ pathname: `/inbox/${c.id}`, search }}
              className={['conv-item', c.id === selectedId ? 'active' : '', c.unread > 0 ? 'unread' : ''].join(' ')}
              aria-current={c.id === selectedId ? 'page' : undefined}
              data-conversation={c.id}
            >
              <span className="avatar" aria-hidden="true" translate="no">
                {initials(c.contact)}
              </span>
              <span className="conv-main">
                <span className="conv-top">
                  <span className="conv-name">{personName(c.contact)}</span>
                  <time className="conv-time" dateTime={c.last_message_at}>
                    {listTime(c.last_message_at)}
                  </time>
                </span>
                <span className="conv-bottom">
                  <span className="conv-preview">
                    {c.last_direction === 'out' && <span className="muted">{t('you')} </span>}
                    {c.preview}
                  </span>
                  {c.status !== 'open' && <span className={`status-badge status-${c.status}`}>{t(`triage.status.${c.status}`)}</span>}
                  {c.handoff_until && (
                    <span className="handoff-badge" title={t('handoffTitle')}>
                      {t('needsPerson')}
                    </span>
                  )}
                  {c.unread > 0 && (
                    <span className="unread-badge" aria-label={t('unread', { count: c.unread })}>
                      {c.unread}
                    </span>
                  )}
                </span>
                {(showBot || c.assignee || viaAccount(c)) && (
                  <span className="conv-meta">
                    {viaAccount(c) && (
                      <span className="via-account-badge" title={t('viaAccountTitle')}>
                        {t('viaAccount')}
                      </span>
                    )}
                    {showBot && <span>{throughName(c) ?? (viaAccount(c) ? null : `@${c.bot_id}`)}</span>}
                    {c.assignee && <span>→ {memberName(c.assignee, members)}</span>}
                  </span>
                )}
              </span>
            </Link>
          </li>
        ))}
      </ul>
      {list.hasOlder && (
        <div className="conv-older">
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => void list.loadOlder()} disabled={list.older.loading}>
            {list.older.loading ? t('common:states.loading') : t('loadOlder')}
          </button>
          {list.older.error != null && <div className="field-error">{errorMessage(list.older.error)}</div>}
        </div>
      )}
    </>
  );
}
