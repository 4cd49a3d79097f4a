import { useState } from 'react';
import { apiBlob } from '../../api/client';
import type { MemberView, MessageView } from '../../api/types';
import { errorMessage } from '../../components/States';
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
}

export function ChatBubble({ item, ctx }: { item: ChatItem; ctx: BubbleContext }) {
  const messages = item.type === 'album' ? item.messages : [item.message];
  const first = messages[0];
  const last = messages[messages.length - 1];
  const out = first.direction === 'out';
  const bare = item.type === 'message' && (first.kind === 'sticker' || first.kind === 'video_note');
  const caption = messages.map((m) => m.caption).find((c) => c);
  const edited = messages.some((m) => m.edited_at_ms);
  const quoted = first.reply_to ? ctx.byMessageId.get(first.reply_to) : undefined;

  return (
    <div
      className={`bubble-row ${out ? 'out' : 'in'}`}
      data-message-id={first.message_id || undefined}
      data-testid={item.type === 'album' ? 'album' : `message-${first.kind}`}
    >
      <div className={`bubble${bare ? ' bubble-bare' : ''}${item.type === 'album' ? ' bubble-album' : ''}`}>
        {out && <div className="bubble-author">{first.sent_by ? memberName(first.sent_by, ctx.members) : 'Bot'}</div>}
        {quoted && (
          <button type="button" className="bubble-quote" onClick={() => ctx.onQuoteClick?.(quoted.message_id)}>
            <span className="bubble-quote-who">{quoted.direction === 'out' ? 'You' : personName(quoted.from)}</span>
            <span className="bubble-quote-text">{summary(quoted)}</span>
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
          {edited && <span className="bubble-edited">edited</span>}
          <time dateTime={last.at}>{clockTime(last.at_ms)}</time>
        </div>
      </div>
      {messages.map((m) => (m.reply_markup ? <Keyboard key={m.key} markup={m.reply_markup} /> : null))}
    </div>
  );
}

/** One line for a reply quote or a list preview. */
export function summary(m: MessageView): string {
  switch (m.kind) {
    case 'text':
      return m.text ?? '';
    case 'photo':
      return m.caption ? `🖼️ ${m.caption}` : '🖼️ Photo';
    case 'video':
      return m.caption ? `🎬 ${m.caption}` : '🎬 Video';
    case 'animation':
      return '🎞️ GIF';
    case 'sticker':
      return '🏷️ Sticker';
    case 'video_note':
      return '⏺️ Video message';
    case 'voice':
      return '🎤 Voice message';
    case 'audio':
      return `🎵 ${m.file_name ?? 'Audio'}`;
    case 'document':
      return `📄 ${m.file_name ?? 'Document'}`;
    case 'location':
      return '📍 Location';
    case 'contact':
      return `👤 ${m.contact_name ?? 'Contact'}`;
    case 'callback':
      return `🔘 ${m.callback_data ?? ''}`;
    default:
      return m.text ?? 'Message';
  }
}

function Body({ m, ctx }: { m: MessageView; ctx: BubbleContext }) {
  switch (m.kind) {
    case 'text':
      return <div className="bubble-text">{m.text}</div>;
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
              ↩ Send this back
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
            👤
          </span>
          <div>
            <div className="bubble-card-title">{m.contact_name || 'Shared contact'}</div>
            {m.contact_phone && <a href={`tel:${m.contact_phone}`}>{m.contact_phone}</a>}
          </div>
        </div>
      );
    case 'callback':
      return <div className="bubble-text bubble-callback">🔘 pressed: {m.callback_data ?? m.text ?? ''}</div>;
    default:
      return <div className="bubble-text muted">{m.text || 'A message of a kind the Inbox cannot show yet.'}</div>;
  }
}

function MediaFrame({ label }: { label: string }) {
  return <div className="media-placeholder">{label}</div>;
}

const MEDIA_LABEL: Record<string, string> = {
  photo: 'Photo',
  video: 'Video',
  animation: 'GIF',
  sticker: 'Sticker',
  video_note: 'Video message',
};

/** A picture or a clip, fetched with the session token. */
function Media({ m, inAlbum = false }: { m: MessageView; inAlbum?: boolean }) {
  const file = useFileUrl(m.bot_id, m.file_id);
  const label = MEDIA_LABEL[m.kind] ?? 'File';
  if (!m.file_id) return <MediaFrame label={`${label} unavailable`} />;
  if (file.error)
    return (
      <div className="media-placeholder media-error">
        <span>Could not load the {label.toLowerCase()}</span>
        <button type="button" className="btn btn-ghost btn-sm" onClick={file.retry}>
          Retry
        </button>
      </div>
    );
  if (!file.url) return <MediaFrame label={`Loading ${label.toLowerCase()}…`} />;

  const type = file.type || m.mime_type || '';
  const cls = `media media-${m.kind}${inAlbum ? ' media-in-album' : ''}`;
  if (m.kind === 'sticker' && type === 'application/x-tgsticker') {
    return <div className="media-placeholder">🏷️ Animated sticker</div>;
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
  const file = useFileUrl(m.bot_id, m.file_id);
  const label = m.kind === 'voice' ? 'Voice message' : m.file_name || 'Audio';
  return (
    <div className="bubble-audio">
      <div className="bubble-audio-title">
        {m.kind === 'voice' ? '🎤' : '🎵'} {label}
        {m.duration ? <span className="muted small"> · {duration(m.duration)}</span> : null}
      </div>
      {file.url ? (
        <audio src={file.url} controls preload="metadata" aria-label={label} />
      ) : file.error ? (
        <span className="small">
          Could not load it.{' '}
          <button type="button" className="btn btn-ghost btn-sm" onClick={file.retry}>
            Retry
          </button>
        </span>
      ) : m.file_id ? (
        <span className="muted small">Loading…</span>
      ) : null}
    </div>
  );
}

function DocumentFile({ m }: { m: MessageView }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const name = m.file_name || 'document';

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
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="bubble-card">
      <span className="bubble-card-icon" aria-hidden="true">
        📄
      </span>
      <div className="bubble-card-main">
        <div className="bubble-card-title">{name}</div>
        <div className="muted small">{[formatBytes(m.file_size), m.mime_type].filter(Boolean).join(' · ')}</div>
        {error && <div className="field-error">{error}</div>}
      </div>
      {m.file_id && (
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => void download()} disabled={busy}>
          {busy ? 'Downloading…' : 'Download'}
        </button>
      )}
    </div>
  );
}

function Location({ m }: { m: MessageView }) {
  if (m.latitude === null || m.latitude === undefined || m.longitude === null || m.longitude === undefined) {
    return <div className="bubble-text">📍 Location</div>;
  }
  const lat = m.latitude.toFixed(5);
  const lon = m.longitude.toFixed(5);
  return (
    <div className="bubble-card">
      <span className="bubble-card-icon" aria-hidden="true">
        📍
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
          Open in OpenStreetMap
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
  const rows = keyboardRows(markup);
  if (!rows) return null;
  return (
    <div className="bubble-keyboard" aria-label="Buttons under the message">
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
