import { Mic, Paperclip, Smile } from 'lucide-react';
import { useEffect, useRef, useState, type ChangeEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { errorMessage } from '../../api/errors';
import type { CannedReplyView } from '../../api/types';
import { useVoiceRecorder } from '../../voice/useVoiceRecorder';
import { fillCanned, matchCanned } from './Canned';
import { KindIcon } from './kindIcons';
import { ATTACH_OPTIONS, checkUpload, formatBytes, kindName, takesCaption, type UploadKind } from './uploads';

export type Outgoing =
  | { kind: 'text'; text: string }
  | { kind: UploadKind; file: Blob; fileName: string; caption?: string };

export const EMOJIS = [
  '😀', '😃', '😄', '😁', '😆', '😅', '😂', '🙂', '😉', '😊',
  '😍', '🥰', '😘', '😎', '🤩', '🤔', '🤗', '😐', '😏', '🙄',
  '😬', '😔', '😢', '😭', '😡', '😱', '🤝', '👍', '👎', '👌',
  '✌️', '🙏', '👏', '💪', '👋', '🙌', '❤️', '🔥', '⭐', '✨',
  '🎉', '💯', '✅', '❌', '⚠️', '❓', '💰', '💶', '💵', '📞',
  '📍', '📅', '⏰', '🚗', '🚙', '🏎️', '🔑', '🛠️', '⛽', '🏁',
];

interface Attachment {
  kind: UploadKind;
  file: Blob;
  fileName: string;
  seconds?: number;
}

interface Errors {
  text?: string;
  caption?: string;
  file?: string;
  general?: string;
}

export function Composer({
  onSend,
  onBlocked,
  canned,
  vars = {},
}: {
  /** Sends; throws the `ApiError` when the server refuses. */
  onSend: (o: Outgoing) => Promise<unknown>;
  /** The buyer blocked the bot: the chat shows it. */
  onBlocked: (message: string) => void;
  /** The team's canned replies, offered when the text is `/…`. */
  canned?: CannedReplyView[];
  /** What `{first_name}` and the other variables of a canned reply become. */
  vars?: Record<string, string>;
}) {
  const { t } = useTranslation('inbox');
  const [text, setText] = useState('');
  const [caption, setCaption] = useState('');
  const [attachment, setAttachment] = useState<Attachment | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [sending, setSending] = useState(false);
  const [menu, setMenu] = useState<'attach' | 'emoji' | null>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const [pick, setPick] = useState(0);
  const suggestions = matchCanned(text, canned);
  const applyCanned = (r: CannedReplyView) => {
    setText(fillCanned(r.text, vars));
    setPick(0);
    setErrors({});
    requestAnimationFrame(() => textRef.current?.focus());
  };
  const inputs = useRef<Partial<Record<UploadKind, HTMLInputElement | null>>>({});

  const attach = (a: Attachment) => {
    const problem = checkUpload(a.kind, { size: a.file.size, name: a.fileName, type: a.file.type });
    if (problem) {
      setErrors({ file: problem });
      return;
    }
    setErrors({});
    setAttachment(a);
    setCaption('');
  };

  const voice = useVoiceRecorder((file, seconds) =>
    attach({ kind: 'voice', file, fileName: 'voice.ogg', seconds }),
  );

  // Closes the menus on Escape or a click elsewhere.
  useEffect(() => {
    if (!menu) return;
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === 'Escape') setMenu(null);
    };
    const onClick = (e: MouseEvent) => {
      if (!(e.target as HTMLElement).closest?.('.composer-popover, .composer-menu-toggle')) setMenu(null);
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('mousedown', onClick);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('mousedown', onClick);
    };
  }, [menu]);

  const fail = (e: unknown) => {
    if (e instanceof ApiError) {
      if (e.code === 'blocked') {
        onBlocked(errorMessage(e));
        return;
      }
      if (e.status === 413) {
        setErrors({ file: t('upload.serverTooLarge') });
        return;
      }
      if (e.field === 'text') return setErrors({ text: errorMessage(e) });
      if (e.field === 'caption') return setErrors({ caption: errorMessage(e) });
      const aboutFile = ['file', 'kind', 'body', 'upload_id', 'size', 'content_type', 'file_name'].includes(e.field ?? '');
      if ((aboutFile || e.code === 'upload_failed' || e.code === 'not_uploaded') && attachment) return setErrors({ file: errorMessage(e) });
    }
    setErrors({ general: errorMessage(e) });
  };

  const send = async () => {
    if (sending) return;
    let out: Outgoing;
    if (attachment) {
      out = {
        kind: attachment.kind,
        file: attachment.file,
        fileName: attachment.fileName,
        caption: takesCaption(attachment.kind) && caption.trim() ? caption.trim() : undefined,
      };
    } else {
      if (!text.trim()) {
        setErrors({ text: t('typeFirst') });
        return;
      }
      out = { kind: 'text', text };
    }
    setErrors({});
    setSending(true);
    try {
      await onSend(out);
      if (attachment) {
        setAttachment(null);
        setCaption('');
      } else {
        setText('');
      }
      textRef.current?.focus();
    } catch (e) {
      fail(e);
    } finally {
      setSending(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (suggestions.length > 0) {
      const chosen = suggestions[Math.min(pick, suggestions.length - 1)];
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const step = e.key === 'ArrowDown' ? 1 : suggestions.length - 1;
        setPick((p) => (Math.min(p, suggestions.length - 1) + step) % suggestions.length);
        return;
      }
      if ((e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey && !e.nativeEvent.isComposing) {
        e.preventDefault();
        applyCanned(chosen);
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  };

  const insertEmoji = (emoji: string) => {
    const el = textRef.current;
    const start = el?.selectionStart ?? text.length;
    const end = el?.selectionEnd ?? text.length;
    const next = text.slice(0, start) + emoji + text.slice(end);
    setText(next);
    setErrors({});
    requestAnimationFrame(() => {
      if (!el) return;
      el.focus();
      el.setSelectionRange(start + emoji.length, start + emoji.length);
    });
  };

  const onPick = (kind: UploadKind) => (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (file) attach({ kind, file, fileName: file.name });
  };

  const recording = voice.state === 'recording' || voice.state === 'starting';

  return (
    <div className="composer">
      {errors.general && (
        <div className="form-error composer-error" role="alert">
          {errors.general}
        </div>
      )}
      {(errors.file || voice.error) && !attachment && (
        <div className="field-error composer-file-error" role="alert">
          {errors.file ?? voice.error}
        </div>
      )}

      {attachment && (
        <div className="composer-attachment">
          <AttachmentPreview attachment={attachment} />
          <div className="composer-attachment-main">
            <div className="composer-attachment-name">
              {t('attachmentLine', { kind: t(`media.${attachment.kind}`), name: attachment.fileName })}{' '}
              <span className="muted small">{formatBytes(attachment.file.size)}</span>
            </div>
            {errors.file && (
              <div className="field-error" role="alert">
                {errors.file}
              </div>
            )}
            {takesCaption(attachment.kind) && (
              <div className="field composer-caption">
                <label className="field-label" htmlFor="composer-caption">
                  {t('caption')}
                </label>
                <input
                  id="composer-caption"
                  value={caption}
                  placeholder={t('captionPlaceholder')}
                  onChange={(e) => setCaption(e.target.value)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') {
                      e.preventDefault();
                      void send();
                    }
                  }}
                  aria-invalid={errors.caption ? true : undefined}
                  aria-describedby={errors.caption ? 'composer-caption-error' : undefined}
                />
                {errors.caption && (
                  <span className="field-error" id="composer-caption-error">
                    {errors.caption}
                  </span>
                )}
              </div>
            )}
          </div>
          <div className="composer-attachment-actions">
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => setAttachment(null)} disabled={sending}>
              {t('common:actions.remove')}
            </button>
            <button type="button" className="btn btn-primary" onClick={() => void send()} disabled={sending}>
              {sending ? t('common:actions.sending') : t('common:actions.send')}
            </button>
          </div>
        </div>
      )}

      {recording || voice.state === 'processing' ? (
        <div className="composer-recording" role="status">
          <span className="rec-dot" aria-hidden="true" />
          {voice.state === 'processing' ? (
            <span>{t('preparingVoice')}</span>
          ) : (
            <>
              <span>
                {t('recording', { time: `${Math.floor(voice.seconds / 60)}:${String(voice.seconds % 60).padStart(2, '0')}` })}
              </span>
              <button type="button" className="btn btn-ghost btn-sm" onClick={voice.cancel}>
                {t('common:actions.cancel')}
              </button>
              <button type="button" className="btn btn-primary btn-sm" onClick={voice.stop} disabled={voice.state !== 'recording'}>
                {t('stop')}
              </button>
            </>
          )}
        </div>
      ) : (
        !attachment && (
          <div className="composer-row">
            <div className="composer-tools">
              <button
                type="button"
                className="btn btn-ghost composer-menu-toggle"
                aria-label={t('attachFile')}
                aria-haspopup="menu"
                aria-expanded={menu === 'attach'}
                onClick={() => setMenu((m) => (m === 'attach' ? null : 'attach'))}
              >
                <Paperclip size={20} aria-hidden="true" />
              </button>
              <button
                type="button"
                className="btn btn-ghost composer-menu-toggle"
                aria-label={t('insertEmoji')}
                aria-expanded={menu === 'emoji'}
                onClick={() => setMenu((m) => (m === 'emoji' ? null : 'emoji'))}
              >
                <Smile size={20} aria-hidden="true" />
              </button>
              {menu === 'attach' && (
                <div className="composer-popover attach-menu" role="menu" aria-label={t('attach')}>
                  {ATTACH_OPTIONS.map((o) => (
                    <button
                      key={o.kind}
                      type="button"
                      role="menuitem"
                      onClick={() => {
                        setMenu(null);
                        inputs.current[o.kind]?.click();
                      }}
                    >
                      <KindIcon kind={o.kind} /> {t(`attachOptions.${o.kind}`)}
                    </button>
                  ))}
                </div>
              )}
              {menu === 'emoji' && (
                <div className="composer-popover emoji-grid" role="group" aria-label={t('emoji')}>
                  {EMOJIS.map((e) => (
                    <button key={e} type="button" aria-label={t('insert', { emoji: e })} onClick={() => insertEmoji(e)}>
                      {e}
                    </button>
                  ))}
                </div>
              )}
            </div>
            <div className="composer-text">
              {suggestions.length > 0 && (
                <ul className="composer-popover canned-suggest" role="listbox" aria-label={t('canned.suggestions')}>
                  {suggestions.map((r, i) => (
                    <li key={r.shortcut} role="option" aria-selected={i === Math.min(pick, suggestions.length - 1)}>
                      <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={() => applyCanned(r)}>
                        <strong translate="no">/{r.shortcut}</strong> <span className="muted">{fillCanned(r.text, vars)}</span>
                      </button>
                    </li>
                  ))}
                </ul>
              )}
              <textarea
                ref={textRef}
                rows={1}
                aria-label={t('message')}
                placeholder={t('messagePlaceholder')}
                value={text}
                onChange={(e) => {
                  setText(e.target.value);
                  setPick(0);
                  if (errors.text) setErrors({});
                }}
                onKeyDown={onKeyDown}
                aria-invalid={errors.text ? true : undefined}
                aria-describedby={errors.text ? 'composer-text-error' : undefined}
              />
              {errors.text && (
                <span className="field-error" id="composer-text-error">
                  {errors.text}
                </span>
              )}
            </div>
            {voice.supported && !text.trim() ? (
              <button
                type="button"
                className="btn btn-secondary"
                aria-label={t('recordVoice')}
                title={t('recordVoice')}
                onClick={() => void voice.start()}
              >
                <Mic size={20} aria-hidden="true" />
              </button>
            ) : null}
            <button type="button" className="btn btn-primary" onClick={() => void send()} disabled={sending || !text.trim()}>
              {sending ? t('common:actions.sending') : t('common:actions.send')}
            </button>
          </div>
        )
      )}

      {ATTACH_OPTIONS.map((o) => (
        <input
          key={o.kind}
          ref={(el) => {
            inputs.current[o.kind] = el;
          }}
          type="file"
          hidden
          accept={o.accept || undefined}
          data-attach={o.kind}
          aria-label={t('upload.pick', { kind: kindName(o.kind) })}
          onChange={onPick(o.kind)}
        />
      ))}
    </div>
  );
}

function AttachmentPreview({ attachment }: { attachment: Attachment }) {
  const { t } = useTranslation('inbox');
  const [url, setUrl] = useState<string | null>(null);
  const visual = attachment.kind === 'photo' || attachment.kind === 'sticker' || attachment.kind === 'voice';
  useEffect(() => {
    if (!visual || typeof URL.createObjectURL !== 'function') return;
    const u = URL.createObjectURL(attachment.file);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [attachment, visual]);
  if (attachment.kind === 'voice')
    return url ? <audio src={url} controls aria-label={t('voicePreview')} /> : <Mic size={20} aria-hidden="true" />;
  if (url) return <img src={url} alt="" className="composer-thumb" />;
  return (
    <span className="composer-thumb composer-thumb-icon" aria-hidden="true">
      <KindIcon kind={attachment.kind} size={24} />
    </span>
  );
}
