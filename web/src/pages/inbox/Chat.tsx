import { useQueryClient } from '@tanstack/react-query';
import { ArrowLeft, UserRound, X } from 'lucide-react';
import { Fragment, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, seg } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { keyOf, useApiQuery, usePolledQuery } from '../../api/query';
import { uploadFile } from '../../api/upload';
import type {
  AssignRequest,
  CannedReplyList,
  ContactPhoneView,
  CarRequestView,
  ConversationView,
  MemberView,
  MessagePage,
  MessageView,
  SendReplyRequest,
} from '../../api/types';
import { ErrorState, Loading } from '../../components/States';
import { formatDate } from '../../i18n/format';
import { type Outgoing, Composer } from './Composer';
import { CANNED_PATH, cannedVars } from './Canned';
import { ContactPanel } from './ContactPanel';
import { CreateRequestModal } from './CreateRequestModal';
import { groupAlbums, sortMessages } from './grouping';
import { ChatBubble, type BubbleContext } from './MessageBubble';
import { dayLabel, memberName, personName, throughName, viaAccount } from './names';
import { NoteForm, StatusActions } from './Triage';

const PAGE = 50;
const COMPOSER_MODES = ['reply', 'note'] as const;

export interface ChatProps {
  conversationId: string;
  members: MemberView[] | undefined;
  canReply: boolean;
  /** The conversation was marked read (the list drops its badge). */
  onRead: (id: string) => void;
  /** Something changed that the list shows (assignee, a sent message). */
  onChanged: (c?: ConversationView) => void;
}

/**
 * Sends a reply. A file is uploaded to the file store first (straight to
 * the bucket, up to Telegram's 50 MB), then the reply names it.
 */
export async function sendReply(conversationId: string, o: Outgoing | SendReplyRequest): Promise<MessageView> {
  const path = `/api/inbox/conversations/${seg(conversationId)}/messages`;
  if ('file' in o) {
    const stored = await uploadFile(o.file, { purpose: 'inbox_attachment', fileName: o.fileName });
    const body: SendReplyRequest = { kind: o.kind, caption: o.caption ?? null, upload_id: stored.id };
    return api<MessageView>(path, { method: 'POST', body });
  }
  return api<MessageView>(path, { method: 'POST', body: o });
}

export function Chat({ conversationId, members, canReply, onRead, onChanged }: ChatProps) {
  const { t } = useTranslation('inbox');
  const client = useQueryClient();
  const base = `/api/inbox/conversations/${seg(conversationId)}`;
  const conv = useApiQuery<ConversationView>(base);
  const setConv = (c: ConversationView) => client.setQueryData(keyOf(base), c);
  const page = usePolledQuery<MessagePage>(`${base}/messages?limit=${PAGE}`);
  const refreshPage = page.refetch;

  // Every message seen (polls, older pages, own sends), by key: none is lost when
  // the newest page moves on.
  const [known, setKnown] = useState<Map<string, MessageView>>(() => new Map());
  const [olderCursor, setOlderCursor] = useState<string | null | undefined>(undefined);
  const [olderLoading, setOlderLoading] = useState(false);
  const [olderError, setOlderError] = useState<unknown>(null);
  const [blocked, setBlocked] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string; link?: boolean } | null>(null);
  const [assigning, setAssigning] = useState(false);
  const [requestOpen, setRequestOpen] = useState(false);
  // The contact panel, open for this conversation (another chat opens without it).
  const [panelFor, setPanelFor] = useState<string | null>(null);
  const [mode, setMode] = useState<'reply' | 'note'>('reply');
  const canned = useApiQuery<CannedReplyList>(canReply ? CANNED_PATH : null);

  const merge = useCallback((items: MessageView[]) => {
    setKnown((prev) => {
      const next = new Map(prev);
      for (const m of items) next.set(m.key, m);
      return next;
    });
  }, []);

  useEffect(() => {
    if (!page.data) return;
    merge(page.data.items);
    const first = page.data.next_cursor ?? null;
    setOlderCursor((c) => (c === undefined ? first : c));
  }, [page.data, merge]);

  const messages = useMemo(() => sortMessages(known.values()), [known]);
  const items = useMemo(() => groupAlbums(messages), [messages]);
  const byMessageId = useMemo(() => {
    const m = new Map<number, MessageView>();
    for (const x of messages) if (x.message_id) m.set(x.message_id, x);
    return m;
  }, [messages]);

  // Opening marks read, and so does every new incoming message while it is open.
  const newestIn = useMemo(() => [...messages].reverse().find((m) => m.direction === 'in')?.key, [messages]);
  const loaded = page.data !== undefined;
  useEffect(() => {
    if (!loaded) return;
    const ctl = new AbortController();
    api<void>(`${base}/read`, { method: 'POST', signal: ctl.signal })
      .then(() => onRead(conversationId))
      .catch(() => undefined); // a missed read mark is harmless: the badge stays
    return () => ctl.abort();
  }, [base, conversationId, loaded, newestIn, onRead]);

  // --- scrolling: newest at the bottom, kept there while the user is there ---
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  /** Where the app last put scrollTop: scrolling above it is the user's doing. */
  const autoTop = useRef(0);
  const prependHeight = useRef<number | null>(null);
  const toBottom = (el: HTMLElement) => {
    el.scrollTop = el.scrollHeight;
    autoTop.current = el.scrollTop;
  };
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (prependHeight.current !== null) {
      el.scrollTop += el.scrollHeight - prependHeight.current;
      autoTop.current = el.scrollTop;
      prependHeight.current = null;
    } else if (atBottom.current) {
      toBottom(el);
    }
  }, [items]);
  useEffect(() => {
    const el = scroller.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    // Pictures arrive after the text: stay at the bottom as they grow the list.
    const ro = new ResizeObserver(() => {
      if (atBottom.current && prependHeight.current === null) toBottom(el);
    });
    if (el.firstElementChild) ro.observe(el.firstElementChild);
    return () => ro.disconnect();
  }, []);
  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    if (el.scrollHeight - el.scrollTop - el.clientHeight < 80) atBottom.current = true;
    else if (el.scrollTop < autoTop.current - 4) atBottom.current = false;
  };

  const loadEarlier = async () => {
    if (!olderCursor) return;
    setOlderLoading(true);
    setOlderError(null);
    try {
      const p = await api<MessagePage>(`${base}/messages?limit=${PAGE}&cursor=${encodeURIComponent(olderCursor)}`);
      prependHeight.current = scroller.current?.scrollHeight ?? null;
      merge(p.items);
      setOlderCursor(p.next_cursor ?? null);
    } catch (e) {
      setOlderError(e);
    } finally {
      setOlderLoading(false);
    }
  };

  const send = async (o: Outgoing | SendReplyRequest) => {
    const m = await sendReply(conversationId, o);
    setBlocked(null);
    atBottom.current = true;
    merge([m]);
    void refreshPage();
    onChanged();
    return m;
  };

  const sendBack = (m: MessageView) => {
    if (!m.file_id) return;
    setNotice(null);
    send({ kind: m.kind, file_id: m.file_id }).catch((e: unknown) => {
      const err = e as { code?: string };
      if (err.code === 'blocked') setBlocked(errorMessage(e));
      else setNotice({ kind: 'error', text: t('sendBackFailed', { error: errorMessage(e) }) });
    });
  };

  const assign = async (email: string) => {
    if (!conv.data) return;
    setAssigning(true);
    setNotice(null);
    try {
      const body: AssignRequest = { assignee: email || null };
      const c = await api<ConversationView>(base, { method: 'PATCH', body });
      setConv(c);
      onChanged(c);
    } catch (e) {
      setNotice({ kind: 'error', text: t('assignFailed', { error: errorMessage(e) }) });
    } finally {
      setAssigning(false);
    }
  };

  const [releasing, setReleasing] = useState(false);
  const release = async () => {
    setReleasing(true);
    setNotice(null);
    try {
      const c = await api<ConversationView>(`${base}/release`, { method: 'POST' });
      setConv(c);
      onChanged(c);
      setNotice({ kind: 'ok', text: t('handedBack') });
    } catch (e) {
      setNotice({ kind: 'error', text: t('handBackFailed', { error: errorMessage(e) }) });
    } finally {
      setReleasing(false);
    }
  };

  const onRequestCreated = (r: CarRequestView) => {
    setRequestOpen(false);
    setNotice({ kind: 'ok', text: t('requestCreated', { car: [r.make, r.model].filter(Boolean).join(' ') }), link: true });
  };

  const savePhone = async (phone: string) => {
    const saved = await api<ContactPhoneView>(`${base}/phone`, { method: 'PUT', body: { phone } });
    if (conv.data) setConv({ ...conv.data, phone: saved.phone });
    setNotice({ kind: 'ok', text: t('triage.phoneSavedTo', { phone: saved.phone, name: personName(conv.data?.contact) }) });
  };

  const statusChanged = (c: ConversationView) => {
    setConv(c);
    onChanged(c);
  };

  const bubbleCtx: BubbleContext = {
    byMessageId,
    members,
    onSendBack: canReply ? sendBack : undefined,
    onSavePhone: canReply ? savePhone : undefined,
    onQuoteClick: (id) => {
      scroller.current?.querySelector(`[data-message-id="${id}"]`)?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    },
  };

  if (conv.error && !conv.data) {
    return (
      <section className="chat">
        <ErrorState title={t('openFailed')} error={conv.error} onRetry={() => void conv.refetch()} />
      </section>
    );
  }

  const c = conv.data;
  let lastDay = '';

  return (
    <section className="chat" aria-label={t('conversation')}>
      <header className="chat-header">
        <Link to="/inbox" className="btn btn-ghost btn-sm chat-back" aria-label={t('backToList')}>
          <ArrowLeft size={18} aria-hidden="true" />
        </Link>
        <div className="chat-title">
          {c ? (
            <>
              <h2>{personName(c.contact)}</h2>
              <div className="muted small">
                {c.contact.username && <span>@{c.contact.username} · </span>}
                {throughName(c) ? t('via', { bot: throughName(c) }) : viaAccount(c) ? null : t('viaBot', { id: c.bot_id })}
                {viaAccount(c) && (
                  <>
                    {' '}
                    <span className="via-account-badge" title={t('viaAccountTitle')}>
                      {t('viaAccount')}
                    </span>
                  </>
                )}
                {c.phone && (
                  <span>
                    {' · '}
                    <a href={`tel:${c.phone}`} data-testid="contact-phone">
                      {c.phone}
                    </a>
                  </span>
                )}
              </div>
            </>
          ) : (
            <h2 className="muted">{t('common:states.loading')}</h2>
          )}
        </div>
        {c && (
          <div className="chat-actions">
            <StatusActions
              conversation={c}
              canChange={canReply}
              onChanged={statusChanged}
              onError={(text) => setNotice({ kind: 'error', text })}
            />
            {canReply ? (
              <label className="chat-assign">
                <span className="muted small">{t('assignee')}</span>
                <select
                  aria-label={t('assignee')}
                  value={c.assignee ?? ''}
                  disabled={assigning || !members}
                  onChange={(e) => void assign(e.target.value)}
                >
                  <option value="">{t('unassigned')}</option>
                  {c.assignee && !members?.some((m) => m.email === c.assignee) && (
                    <option value={c.assignee}>{c.assignee}</option>
                  )}
                  {members?.map((m) => (
                    <option key={m.email} value={m.email}>
                      {m.name || m.email}
                    </option>
                  ))}
                </select>
              </label>
            ) : (
              <span className="muted small">
                {c.assignee ? t('assignedTo', { name: memberName(c.assignee, members) }) : t('unassigned')}
              </span>
            )}
            {canReply && (
              <button type="button" className="btn btn-secondary btn-sm chat-create-request" onClick={() => setRequestOpen(true)}>
                {t('createRequest')}
              </button>
            )}
            {c.chat_id > 0 && (
              <button
                type="button"
                className="btn btn-ghost btn-sm chat-contact-toggle"
                aria-expanded={panelFor === c.id}
                onClick={() => setPanelFor((p) => (p === c.id ? null : c.id))}
              >
                <UserRound size={16} aria-hidden="true" /> {t('panel.open')}
              </button>
            )}
          </div>
        )}
      </header>

      {notice && (
        <div className={notice.kind === 'ok' ? 'notice notice-ok chat-notice' : 'form-error chat-notice'} role={notice.kind === 'ok' ? 'status' : 'alert'}>
          {notice.text} {notice.link && <Link to="/requests">{t('openRequests')}</Link>}
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => setNotice(null)} aria-label={t('common:actions.dismiss')}>
            <X size={16} aria-hidden="true" />
          </button>
        </div>
      )}

      {c && panelFor === c.id && <ContactPanel conversation={c} onClose={() => setPanelFor(null)} />}

      <div className="chat-scroll" ref={scroller} onScroll={onScroll}>
        <div className="chat-messages">
          {page.isPending ? (
            <Loading label={t('loadingMessages')} />
          ) : page.error && !page.data ? (
            <ErrorState title={t('messagesFailed')} error={page.error} onRetry={() => void refreshPage()} />
          ) : (
            <>
              {olderCursor ? (
                <div className="chat-older">
                  <button type="button" className="btn btn-secondary btn-sm" onClick={() => void loadEarlier()} disabled={olderLoading}>
                    {olderLoading ? t('common:states.loading') : t('loadEarlier')}
                  </button>
                  {olderError != null && <div className="field-error">{errorMessage(olderError)}</div>}
                </div>
              ) : items.length > 0 ? (
                <div className="chat-older muted small">{t('beginning')}</div>
              ) : null}
              {items.length === 0 && <div className="state state-empty">{t('noMessages')}</div>}
              {items.map((it) => {
                const at = it.type === 'album' ? it.messages[0].at_ms : it.message.at_ms;
                const day = dayLabel(at);
                const divider = day !== lastDay;
                lastDay = day;
                return (
                  <Fragment key={it.key}>
                    {divider && <div className="chat-day">{day}</div>}
                    <ChatBubble item={it} ctx={bubbleCtx} />
                  </Fragment>
                );
              })}
            </>
          )}
        </div>
      </div>

      {page.data && page.error != null && (
        <div className="chat-refresh-error muted small" role="status">
          {t('refreshFailedWhy', { error: errorMessage(page.error) })}
        </div>
      )}
      {c?.handoff_until && (
        <div className="chat-handoff" role="status">
          <span>
            <strong>{t('handoffStrong')}</strong>{' '}
            {c.handoff_until.startsWith('9999')
              ? t('handoffUntilBack')
              : t('handoffUntil', { time: formatDate(c.handoff_until, true) })}
          </span>
          {canReply && (
            <button type="button" className="btn" onClick={release} disabled={releasing}>
              {releasing ? t('handingBack') : t('handBack')}
            </button>
          )}
        </div>
      )}
      {blocked ? (
        <div className="chat-blocked" role="alert">
          <strong>{t('notDelivered')}</strong> {blocked}
        </div>
      ) : (
        c?.blocked && (
          <div className="chat-blocked" role="status">
            {t('blockedBot')}
          </div>
        )
      )}
      {canReply ? (
        <>
          <div className="composer-mode" role="tablist" aria-label={t('triage.composerMode')}>
            {COMPOSER_MODES.map((m) => (
              <button key={m} type="button" role="tab" aria-selected={mode === m} className={mode === m ? 'active' : ''} onClick={() => setMode(m)}>
                {t(`triage.mode.${m}`)}
              </button>
            ))}
          </div>
          {mode === 'reply' ? (
            <Composer onSend={send} onBlocked={setBlocked} canned={canned.data?.items} vars={cannedVars(c)} />
          ) : (
            <NoteForm
              conversationId={conversationId}
              onAdded={(m) => {
                atBottom.current = true;
                merge([m]);
              }}
            />
          )}
        </>
      ) : (
        <div className="chat-readonly muted small">{t('readOnly')}</div>
      )}

      {requestOpen && c && (
        <CreateRequestModal conversation={c} onCreated={onRequestCreated} onCancel={() => setRequestOpen(false)} />
      )}
    </section>
  );
}
