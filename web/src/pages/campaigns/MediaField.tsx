import { ImagePlus, RotateCcw } from 'lucide-react';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/errors';
import { inTurn, uploadFile } from '../../api/upload';
import { formatBytes } from '../../i18n/format';
import { kindOf, MAX_ALBUM, MAX_FILE_BYTES, MAX_PHOTO_BYTES, nextKey, type MediaItem, type PickKind } from './campaign';
import { KindIcon, SavedMedia } from './parts';

/** What each picker takes (Telegram sends the rest as a document). */
const ACCEPT: Record<PickKind, string> = {
  photo: 'image/jpeg,image/png,image/webp,image/gif',
  video: 'video/mp4,video/quicktime,video/webm',
  document: '',
};
const PICKERS: PickKind[] = ['photo', 'video', 'document'];
/** Uploads at once: a phone's uplink is narrow. */
const AT_ONCE = 2;

type Update = (fn: (items: MediaItem[]) => MediaItem[]) => void;

/**
 * The campaign's photo, video or file: uploaded to the file store as soon
 * as it is picked (with progress and a retry), shown, removable. Several
 * photos and videos make an album; a file, a GIF or a song goes alone.
 */
export function MediaField({
  items,
  update,
  errors,
  error,
}: {
  items: MediaItem[];
  /** Changes the items from their latest value (uploads finish later). */
  update: Update;
  /** Errors by item key. */
  errors: Record<number, string | undefined>;
  /** An error about the media as a whole. */
  error?: string | null;
}) {
  const { t } = useTranslation('campaigns');
  const baseId = useId();
  const [notice, setNotice] = useState<string | null>(null);

  const patch = (key: number, p: Partial<MediaItem>) => update((ms) => ms.map((m) => (m.key === key ? { ...m, ...p } : m)));

  const run = async (key: number, file: File) => {
    patch(key, { status: 'uploading', progress: 0, error: undefined });
    try {
      const f = await uploadFile(file, { purpose: 'inbox_attachment', onProgress: (p) => patch(key, { progress: p }) });
      patch(key, { status: 'ready', progress: 1, uploadId: f.id });
    } catch (e) {
      patch(key, { status: 'failed', error: errorMessage(e) });
    }
  };

  /** Why this file cannot go, or null. */
  const refuse = (f: File, kind: MediaItem['kind']): string | null => {
    if (f.size === 0) return t('media.empty', { name: f.name });
    const max = kind === 'photo' ? MAX_PHOTO_BYTES : MAX_FILE_BYTES;
    if (f.size > max) return t('media.tooLarge', { name: f.name, size: formatBytes(f.size), max: formatBytes(max) });
    return null;
  };

  const add = (picked: File[], as: PickKind) => {
    if (!picked.length) return;
    const added: MediaItem[] = picked.map((file) => {
      const kind = kindOf(file, as);
      const problem = refuse(file, kind);
      const picture = kind === 'photo' || kind === 'animation';
      return {
        key: nextKey(),
        kind,
        name: file.name,
        status: problem ? 'failed' : 'uploading',
        progress: 0,
        file: problem ? undefined : file,
        preview: !problem && picture ? URL.createObjectURL(file) : undefined,
        error: problem ?? undefined,
      };
    });
    const all = [...items, ...added];
    const albumable = all.every((m) => m.kind === 'photo' || m.kind === 'video');
    const refused = all.length > 1 && !albumable ? t('media.alone') : all.length > MAX_ALBUM ? t('media.tooMany', { count: MAX_ALBUM }) : null;
    if (refused) {
      for (const m of added) if (m.preview) URL.revokeObjectURL(m.preview);
      setNotice(refused);
      return;
    }
    setNotice(null);
    update((ms) => [...ms, ...added]);
    void inTurn(
      added.filter((m) => m.file).map((m) => () => run(m.key, m.file!)),
      AT_ONCE,
    );
  };

  const remove = (key: number) => {
    setNotice(null);
    update((ms) => {
      const gone = ms.find((m) => m.key === key)?.preview;
      if (gone?.startsWith('blob:')) URL.revokeObjectURL(gone);
      return ms.filter((m) => m.key !== key);
    });
  };

  const uploading = items.filter((m) => m.status === 'uploading').length;

  return (
    <div className="campaign-media">
      <div className="campaign-media-pickers">
        <ImagePlus size={20} aria-hidden="true" />
        {PICKERS.map((kind) => (
          <span key={kind}>
            <label htmlFor={`${baseId}-${kind}`} className="btn btn-secondary btn-sm">
              {t(`media.add.${kind}`)}
            </label>
            <input
              id={`${baseId}-${kind}`}
              className="visually-hidden"
              type="file"
              accept={ACCEPT[kind] || undefined}
              multiple={kind !== 'document'}
              onChange={(e) => {
                add([...(e.target.files ?? [])], kind);
                // The same file can be picked again after a removal.
                e.target.value = '';
              }}
            />
          </span>
        ))}
      </div>
      <span className="field-hint">{t('media.hint', { count: MAX_ALBUM, photo: formatBytes(MAX_PHOTO_BYTES), max: formatBytes(MAX_FILE_BYTES) })}</span>
      {notice && (
        <div className="field-error" role="alert">
          {notice}
        </div>
      )}
      {uploading > 0 && (
        <p className="muted small" role="status">
          {t('media.uploading', { count: uploading })}
        </p>
      )}
      {items.length > 0 && (
        <ul className="campaign-media-list" aria-label={t('media.title')}>
          {items.map((m, i) => (
            <li key={m.key} className="campaign-media-item" data-upload={m.status}>
              {m.preview ? (
                <figure className="campaign-media-thumb">
                  <img src={m.preview} alt={t('media.previewOf', { n: i + 1 })} />
                  <figcaption className="small">
                    <span className="muted">{t(`media.kinds.${m.kind}`)}</span>{' '}
                    <span className="break" translate="no">
                      {m.name}
                    </span>
                  </figcaption>
                </figure>
              ) : m.uploadId && !m.name ? (
                <SavedMedia uploadId={m.uploadId} kind={m.kind} n={i + 1} />
              ) : (
                <figure className="campaign-media-thumb">
                  <span className="campaign-media-icon" aria-hidden="true">
                    <KindIcon kind={m.kind} />
                  </span>
                  <figcaption className="small">
                    <span className="muted">{t(`media.kinds.${m.kind}`)}</span>{' '}
                    <span className="break" translate="no">
                      {m.name}
                    </span>
                  </figcaption>
                </figure>
              )}
              <div className="campaign-media-state">
                {m.status === 'uploading' && (
                  <span className="photo-progress">
                    <progress max={100} value={Math.round(m.progress * 100)} aria-label={t('media.progress', { n: i + 1 })} />
                  </span>
                )}
                {m.status === 'ready' && <span className="muted small">{t('media.ready')}</span>}
                {m.status === 'failed' && (
                  <span className="field-error" role="alert">
                    {m.error}
                  </span>
                )}
                {errors[m.key] && <span className="field-error">{errors[m.key]}</span>}
                <span className="campaign-media-actions">
                  {m.status === 'failed' && m.file && (
                    <button type="button" className="btn btn-secondary btn-sm" onClick={() => void run(m.key, m.file!)}>
                      <RotateCcw size={14} aria-hidden="true" /> {t('media.retry')}
                    </button>
                  )}
                  <button type="button" className="btn btn-ghost btn-sm btn-danger-text" onClick={() => remove(m.key)} aria-label={t('media.remove', { n: i + 1 })}>
                    {t('common:actions.remove')}
                  </button>
                </span>
              </div>
            </li>
          ))}
        </ul>
      )}
      {error && <div className="field-error">{error}</div>}
    </div>
  );
}
