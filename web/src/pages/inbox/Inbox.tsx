import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api } from '../../api/client';
import type { BotList, BotView, ConversationPage, ConversationView, MemberView, Team } from '../../api/types';
import { useApi } from '../../api/useApi';
import { usePolled } from '../../api/usePolled';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorState, errorMessage, Loading } from '../../components/States';
import { Chat } from './Chat';
import { initials, listTime, memberName, personName } from './names';

export const CONVERSATIONS_PAGE = 30;

const byNewest = (a: ConversationView, b: ConversationView) =>
  Date.parse(b.last_message_at) - Date.parse(a.last_message_at) || a.id.localeCompare(b.id);

/**
 * The conversation list of one filter: the newest page polled (ETag), older
 * pages loaded on demand, and everything seen kept, so a conversation never
 * drops out of the list when newer ones push it off the first page.
 */
function useConversations(botFilter: string) {
  const path = `/api/inbox/conversations?bot_id=${encodeURIComponent(botFilter)}&limit=${CONVERSATIONS_PAGE}`;
  const poll = usePolled<ConversationPage>(path);
  const [seen, setSeen] = useState<{ path: string; map: Map<string, ConversationView> }>({ path, map: new Map() });
  const [cursor, setCursor] = useState<{ path: string; value: string | null | undefined }>({ path, value: undefined });
  const [older, setOlder] = useState<{ loading: boolean; error: string | null }>({ loading: false, error: null });

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
      setOlder({ loading: false, error: errorMessage(e) });
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

  return {
    items,
    loading: poll.loading && !poll.data,
    error: poll.data ? null : poll.error,
    refreshError: poll.refreshError,
    reload: poll.reload,
    refresh: poll.refresh,
    hasOlder: !!olderCursor,
    loadOlder,
    older,
    patch,
  };
}

export function Inbox() {
  const { me } = useAuth();
  const { conversationId } = useParams();
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const hasWorkspace = !!me?.workspace;
  const botFilter = params.get('bot') || 'all';
  const bots = useApi<BotList>(hasWorkspace ? '/api/bots' : null);
  const team = useApi<Team>(hasWorkspace ? '/api/team' : null);
  const canReply = atLeast(me?.role, 'manager');
  const list = useConversations(botFilter);
  const { patch, refresh } = list;

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
        <PageHeader title="Inbox" />
        <EmptyState title="No workspace">The Inbox belongs to a workspace; log in as one of its members.</EmptyState>
      </>
    );
  }

  const unreadTotal = list.items.reduce((n, c) => n + c.unread, 0);
  const chooseBot = (value: string) => {
    const next = new URLSearchParams(params);
    if (value === 'all') next.delete('bot');
    else next.set('bot', value);
    if (conversationId) navigate({ pathname: '/inbox', search: next.toString() });
    else setParams(next);
  };

  return (
    <>
      <PageHeader
        title="Inbox"
        subtitle={unreadTotal > 0 ? `${unreadTotal} unread` : 'Every conversation with your buyers, across your bots.'}
      />
      <div className={conversationId ? 'inbox has-chat' : 'inbox'}>
        <aside className="inbox-list" aria-label="Conversations">
          <div className="inbox-list-header">
            <select aria-label="Bot" value={botFilter} onChange={(e) => chooseBot(e.target.value)}>
              <option value="all">All bots</option>
              {bots.data?.bots.map((b) => (
                <option key={b.id} value={String(b.id)}>
                  @{b.username}
                </option>
              ))}
              {botFilter !== 'all' && !bots.data?.bots.some((b) => String(b.id) === botFilter) && (
                <option value={botFilter}>Bot {botFilter}</option>
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
            <EmptyState title="Pick a conversation">
              Choose a buyer on the left to read the history{canReply ? ' and reply' : ''}.
            </EmptyState>
          </section>
        )}
      </div>
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
}: {
  list: ReturnType<typeof useConversations>;
  bots: BotView[] | undefined;
  botsLoaded: boolean;
  showBot: boolean;
  selectedId: string | undefined;
  search: string;
  members: MemberView[] | undefined;
}) {
  if (list.loading) return <Loading label="Loading conversations…" />;
  if (list.error) return <ErrorState title="Could not load the conversations" error={list.error} onRetry={list.reload} />;
  if (list.items.length === 0) {
    return botsLoaded && bots?.length === 0 ? (
      <EmptyState title="No bots connected">
        <Link to="/telegram">Connect a bot</Link> in the Telegram hub; buyers' messages to it appear here.
      </EmptyState>
    ) : (
      <EmptyState title="No conversations yet">When a buyer writes to your bot, the conversation appears here.</EmptyState>
    );
  }
  return (
    <>
      {list.refreshError != null && (
        <div className="inbox-list-warning small" role="status">
          Could not check for new messages; trying again…
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
              <span className="avatar" aria-hidden="true">
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
                    {c.last_direction === 'out' && <span className="muted">You: </span>}
                    {c.preview}
                  </span>
                  {c.handoff_until && (
                    <span className="handoff-badge" title="A scenario handed this buyer to a person">
                      needs a person
                    </span>
                  )}
                  {c.unread > 0 && (
                    <span className="unread-badge" aria-label={`${c.unread} unread`}>
                      {c.unread}
                    </span>
                  )}
                </span>
                {(showBot || c.assignee) && (
                  <span className="conv-meta">
                    {showBot && <span>@{c.bot_username ?? c.bot_id}</span>}
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
            {list.older.loading ? 'Loading…' : 'Load older conversations'}
          </button>
          {list.older.error && <div className="field-error">{list.older.error}</div>}
        </div>
      )}
    </>
  );
}
