import { CornerUpLeft, Mic, Music } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiBlob } from '../../api/client';
import { errorMessage } from '../../api/errors';
import type { MemberView, MessageView } from '../../api/types';
import { i18n } from '../../i18n';
import { KindIcon } from './kindIcons';
import { Linkified } from './linkify';
import type { ChatItem } from './grouping';
import { clockTime, memberName, personName } from './names';
import { formatBytes } from './uploads';
import { filePath, useFileUrl } from './useFileUrl';

export interface BubbleContext {
  /** Loaded messages by Telegram id, for reply quotes. */
  byMessageId: Map<number, MessageView>;
  members: MemberView[] | undefined;
  /** Set when the user may send: offers "Send this back" on stickers and GIFs. */
  onSendBack?: (m: MessageView) => void;
  onQuoteClick?: (messageId: number) => void;
  /** Set when the user may save a phone found in a message to the buyer's contact. */
  onSavePhone?: (phone: string) => Promise<unknown>;
}

export function ChatBubble({ item, ctx }: { item: ChatItem; ctx: BubbleContext }) {
  const { t } = useTranslation('inbox');
  const messages = item.type === 'album' ? item.messages : [item.message];
  const first = messages[0];
  const last = messages[messages.length - 1];
  const out = first.direction === 'out';
  const bare = item.type === 'message' && (first.kind === 'sticker' || first.kind === 'video_note');
  const caption = messages.map((m) => m.caption).find((c) => c);
  const edited = messages.some((m) => m.edited_at_ms);
  const quoted = first.reply_to ? ctx.byMessageId.get(first.reply_to) : undefined;
  if (first.note_id) return <NoteBubble m={first} ctx={ctx} />;

  return (
    <div
      className={`bubble-row ${out ? 'out' : 'in'}`}
      data-message-id={first.message_id || undefined}
      data-testid={item.type === 'album' ? 'album' : `message-${first.kind}`}
    >
      <div className={`bubble${bare ? ' bubble-bare' : ''}${item.type === 'album' ? ' bubble-album' : ''}`}>
        {out && <div className="bubble-author">{first.sent_by ? memberName(first.sent_by, ctx.members) : t('botAuthor')}</div>}
        {quoted && (
          <button type="button" className="bubble-quote" onClick={() => ctx.onQuoteClick?.(quoted.message_id)}>
            <span className="bubble-quote-who">{quoted.direction === 'out' ? t('youQuote') : personName(quoted.from)}</span>
            <span className="bubble-quote-text">
              {quoted.kind !== 'text' && <KindIcon kind={quoted.kind} size={14} />} {summary(quoted)}
            </span>
          </button>
        )}
        {item.type === 'album' ? (
          <div className={`album-grid album-${Math.min(messages.length, 4)}`}>
            {messages.map((m) => (
              <Media key={m.key} m={m} inAlbum />
            ))}
          </div>
        ) : (
          <Body m={first} ctx={ctx} />
        )}
        {caption && <div className="bubble-text">{caption}</div>}
        <div className="bubble-meta">
          {edited && <span className="bubble-edited">{t('edited')}</span>}
          <time dateTime={last.at}>{clockTime(last.at_ms)}</time>
        </div>
      </div>
      {messages.map((m) => (m.reply_markup ? <Keyboard key={m.key} markup={m.reply_markup} /> : null))}
    </div>
  );
}

/** One line for a reply quote (its icon is the kind's, shown beside it). */
export function summary(m: MessageView): string {
  const t = i18n.t.bind(i18n);
  switch (m.kind) {
    case 'text':
      return m.text ?? '';
    case 'photo':
    case 'video':
      return m.caption || t(`inbox:media.${m.kind}`);
    case 'audio':
      return m.file_name ?? t('inbox:media.audio');
    case 'document':
      return m.file_name ?? t('inbox:media.document');
    case 'contact':
      return m.contact_name ?? t('inbox:media.contact');
    case 'callback':
      return m.callback_data ?? '';
    case 'animation':
    case 'sticker':
    case 'video_note':
    case 'voice':
    case 'location':
      return t(`inbox:media.${m.kind}`);
    default:
      return m.text ?? t('inbox:media.message');
  }
}

function Body({ m, ctx }: { m: MessageView; ctx: BubbleContext }) {
  const { t } = useTranslation('inbox');
  switch (m.kind) {
    case 'text':
      return (
        <div className="bubble-text">
          <Linkified text={m.text ?? ''} onSavePhone={m.direction === 'in' ? ctx.onSavePhone : undefined} />
        </div>
      );
    case 'photo':
    case 'video':
    case 'animation':
    case 'sticker':
    case 'video_note':
      return (
        <>
          <Media m={m} />
          {ctx.onSendBack && m.direction === 'in' && m.file_id && (m.kind === 'sticker' || m.kind === 'animation') && (
            <button type="button" className="btn btn-ghost btn-sm send-back" onClick={() => ctx.onSendBack?.(m)}>
              <CornerUpLeft size={14} aria-hidden="true" /> {t('sendBack')}
            </button>
          )}
        </>
      );
    case 'voice':
    case 'audio':
      return <AudioPlayer m={m} />;
    case 'document':
      return <DocumentFile m={m} />;
    case 'location':
      return <Location m={m} />;
    case 'contact':
      return (
        <div className="bubble-card">
          <span className="bubble-card-icon" aria-hidden="true">
            <KindIcon kind="contact" size={22} />
          </span>
          <div>
            <div className="bubble-card-title">{m.contact_name || t('sharedContact')}</div>
            {m.contact_phone && <a href={`tel:${m.contact_phone}`}>{m.contact_phone}</a>}
          </div>
        </div>
      );
    case 'callback':
      return (
        <div className="bubble-text bubble-callback">
          <KindIcon kind="callback" size={14} /> {t('pressed', { data: m.callback_data ?? m.text ?? '' })}
        </div>
      );
    default:
      return <div className="bubble-text muted">{m.text || t('unknownKind')}</div>;
  }
}

function MediaFrame({ label }: { label: string }) {
  return <div className="media-placeholder">{label}</div>;
}

/** A picture or a clip, fetched with the session token. */
function Media({ m, inAlbum = false }: { m: MessageView; inAlbum?: boolean }) {
  const { t } = useTranslation('inbox');
  const file = useFileUrl(m.bot_id, m.file_id);
  const known = ['photo', 'video', 'animation', 'sticker', 'video_note'].includes(m.kind);
  const label = known ? t(`media.${m.kind}`) : t('media.file');
  if (!m.file_id) return <MediaFrame label={t('mediaUnavailable', { what: label })} />;
  if (file.error)
    return (
      <div className="media-placeholder media-error">
        <span>{t('mediaFailed')}</span>
        <button type="button" className="btn btn-ghost btn-sm" onClick={file.retry}>
          {t('common:actions.retry')}
        </button>
      </div>
    );
  if (!file.url) return <MediaFrame label={t('common:states.loading')} />;

  const type = file.type || m.mime_type || '';
  const cls = `media media-${m.kind}${inAlbum ? ' media-in-album' : ''}`;
  if (m.kind === 'sticker' && type === 'application/x-tgsticker') {
    return (
      <div className="media-placeholder">
        <KindIcon kind="sticker" /> {t('animatedSticker')}
      </div>
    );
  }
  const isVideo =
    m.kind === 'video' ||
    m.kind === 'video_note' ||
    (m.kind === 'animation' && type !== 'image/gif') ||
    (m.kind === 'sticker' && type.startsWith('video/'));
  if (!isVideo) {
    return (
      <a href={file.url} target="_blank" rel="noreferrer" className="media-link">
        <img src={file.url} alt={m.caption || label} className={cls} />
      </a>
    );
  }
  if (m.kind === 'animation' || m.kind === 'sticker') {
    return <video src={file.url} className={cls} autoPlay loop muted playsInline aria-label={label} />;
  }
  return <video src={file.url} className={cls} controls playsInline preload="metadata" aria-label={label} />;
}

function duration(s: number | null | undefined): string {
  if (!s && s !== 0) return '';
  return `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;
}

function AudioPlayer({ m }: { m: MessageView }) {
  const { t } = useTranslation('inbox');
  const file = useFileUrl(m.bot_id, m.file_id);
  const label = m.kind === 'voice' ? t('media.voice') : m.file_name || t('media.audio');
  return (
    <div className="bubble-audio">
      <div className="bubble-audio-title">
        {m.kind === 'voice' ? <Mic size={16} aria-hidden="true" /> : <Music size={16} aria-hidden="true" />} {label}
        {m.duration ? <span className="muted small"> · {duration(m.duration)}</span> : null}
      </div>
      {file.url ? (
        <audio src={file.url} controls preload="metadata" aria-label={label} />
      ) : file.error ? (
        <span className="small">
          {t('mediaFailed')}{' '}
          <button type="button" className="btn btn-ghost btn-sm" onClick={file.retry}>
            {t('common:actions.retry')}
          </button>
        </span>
      ) : m.file_id ? (
        <span className="muted small">{t('common:states.loading')}</span>
      ) : null}
    </div>
  );
}

function DocumentFile({ m }: { m: MessageView }) {
  const { t } = useTranslation('inbox');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const name = m.file_name || t('media.documentFile');

  const download = async () => {
    if (!m.file_id) return;
    setBusy(true);
    setError(null);
    try {
      const blob = await apiBlob(filePath(m.bot_id, m.file_id));
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="bubble-card">
      <span className="bubble-card-icon" aria-hidden="true">
        <KindIcon kind="document" size={22} />
      </span>
      <div className="bubble-card-main">
        <div className="bubble-card-title">{name}</div>
        <div className="muted small">{[formatBytes(m.file_size), m.mime_type].filter(Boolean).join(' · ')}</div>
        {error != null && <div className="field-error">{errorMessage(error)}</div>}
      </div>
      {m.file_id && (
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => void download()} disabled={busy}>
          {busy ? t('downloading') : t('download')}
        </button>
      )}
    </div>
  );
}

function Location({ m }: { m: MessageView }) {
  const { t } = useTranslation('inbox');
  if (m.latitude === null || m.latitude === undefined || m.longitude === null || m.longitude === undefined) {
    return (
      <div className="bubble-text">
        <KindIcon kind="location" size={14} /> {t('media.location')}
      </div>
    );
  }
  const lat = m.latitude.toFixed(5);
  const lon = m.longitude.toFixed(5);
  return (
    <div className="bubble-card">
      <span className="bubble-card-icon" aria-hidden="true">
        <KindIcon kind="location" size={22} />
      </span>
      <div>
        <div className="bubble-card-title">
          {lat}, {lon}
        </div>
        <a
          href={`https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=16/${lat}/${lon}`}
          target="_blank"
          rel="noreferrer"
        >
          {t('openMap')}
        </a>
      </div>
    </div>
  );
}

interface KeyButton {
  text: string;
  hint?: string;
}

/** The rows of an inline or reply keyboard (Telegram JSON); null when it has none. */
export function keyboardRows(markup: string): KeyButton[][] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(markup);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const rows = (parsed as { inline_keyboard?: unknown; keyboard?: unknown }).inline_keyboard ??
    (parsed as { keyboard?: unknown }).keyboard;
  if (!Array.isArray(rows)) return null;
  const out = rows
    .filter(Array.isArray)
    .map((row: unknown[]) =>
      row
        .map((b): KeyButton | null => {
          if (typeof b === 'string') return { text: b };
          if (typeof b !== 'object' || b === null) return null;
          const o = b as Record<string, unknown>;
          if (typeof o.text !== 'string') return null;
          const hint = typeof o.url === 'string' ? o.url : typeof o.callback_data === 'string' ? o.callback_data : undefined;
          return { text: o.text, hint };
        })
        .filter((b): b is KeyButton => b !== null),
    )
    .filter((r) => r.length > 0);
  return out.length ? out : null;
}

function Keyboard({ markup }: { markup: string }) {
  const { t } = useTranslation('inbox');
  const rows = keyboardRows(markup);
  if (!rows) return null;
  return (
    <div className="bubble-keyboard" aria-label={t('keyboard')}>
      {rows.map((row, i) => (
        <div className="bubble-keyboard-row" key={i}>
          {row.map((b, j) => (
            <button type="button" key={j} disabled title={b.hint}>
              {b.text}
            </button>
          ))}
        </div>
      ))}
    </div>
  );
}

/** A private note of the team: in the timeline, marked, never sent to the buyer. */
function NoteBubble({ m, ctx }: { m: MessageView; ctx: BubbleContext }) {
  const { t } = useTranslation('inbox');
  return (
    <div className="bubble-row note" data-testid="note">
      <div className="bubble bubble-note">
        <div className="bubble-author">
          {t('triage.noteBy', { name: m.sent_by ? memberName(m.sent_by, ctx.members) : '' })}
        </div>
        <div className="bubble-text">
          <Linkified text={m.text ?? ''} />
        </div>
        <div className="bubble-meta">{clockTime(m.at)}</div>
      </div>
    </div>
  );
}
