import { ArrowDown, ArrowUp, GripVertical, ImagePlus, RotateCcw } from 'lucide-react';
import { useId, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/errors';
import { inTurn, uploadFile } from '../../api/upload';
import { formatBytes } from '../../i18n/format';
import { isHttpUrl } from './listing';

/** An uploaded (or uploading) photo of a row. */
export interface PhotoUpload {
  status: 'uploading' | 'ready' | 'failed';
  /** 0..1 of the bytes sent. */
  progress: number;
  /** The file store's id, once the upload is ready. */
  fileId?: string;
  name: string;
  /** What to show: a local preview of the picked file, or the server's small link. */
  preview?: string;
  /** The picked file, kept to try again. */
  file?: File;
  error?: string;
}

/**
 * One photo being edited: an address (`url`) or an upload (`upload`). `key`
 * keeps its row (and preview) when rows move.
 */
export interface PhotoRow {
  key: number;
  url: string;
  upload?: PhotoUpload;
}

let lastKey = 0;
export function photoRow(url = ''): PhotoRow {
  lastKey += 1;
  return { key: lastKey, url };
}

/** A photo already in the file store (a saved car's), shown by `preview`. */
export function uploadedRow(fileId: string, preview: string | undefined, name: string): PhotoRow {
  lastKey += 1;
  return { key: lastKey, url: '', upload: { status: 'ready', progress: 1, fileId, preview, name } };
}

/** The most photos a listing holds (the server's limit). */
export const MAX_PHOTOS = 30;
/** The file store's limit for a car photo. */
export const MAX_PHOTO_BYTES = 20 * 1024 * 1024;
/** What the variant maker reads (phones send JPEG; HEIC is converted by the browser's picker). */
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
/** Uploads at once: a phone's uplink is narrow. */
const AT_ONCE = 3;

type Update = (fn: (rows: PhotoRow[]) => PhotoRow[]) => void;

/**
 * The photos of a listing: uploads (drag and drop, or pick several) with
 * progress per file and a retry, addresses typed in, in order — the first is
 * the cover. Rows move by dragging or with the Up/Down buttons (keyboards,
 * phones).
 */
export function PhotosField({
  rows,
  update,
  errors,
  error,
}: {
  rows: PhotoRow[];
  /** Changes the rows from their latest value (uploads finish later). */
  update: Update;
  /** Errors by row key. */
  errors: Record<number, string | undefined>;
  /** An error about the photos as a whole. */
  error?: string | null;
}) {
  const { t } = useTranslation('inventory');
  const inputId = useId();
  const [dragging, setDragging] = useState<number | null>(null);
  const [over, setOver] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const setUpload = (key: number, patch: Partial<PhotoUpload>) =>
    update((rs) => rs.map((r) => (r.key === key && r.upload ? { ...r, upload: { ...r.upload, ...patch } } : r)));

  const run = async (key: number, file: File) => {
    setUpload(key, { status: 'uploading', progress: 0, error: undefined });
    try {
      const f = await uploadFile(file, { purpose: 'car_photo', onProgress: (p) => setUpload(key, { progress: p }) });
      setUpload(key, { status: 'ready', progress: 1, fileId: f.id });
    } catch (e) {
      setUpload(key, { status: 'failed', error: errorMessage(e) });
    }
  };

  /** Why this file cannot be a car photo, or null. */
  const refuse = (f: File): string | null => {
    if (!PHOTO_TYPES.includes(f.type)) return t('photos.notAPhoto', { name: f.name });
    if (f.size > MAX_PHOTO_BYTES) return t('photos.tooLarge', { name: f.name, size: formatBytes(f.size), max: formatBytes(MAX_PHOTO_BYTES) });
    if (f.size === 0) return t('photos.empty', { name: f.name });
    return null;
  };

  const add = (picked: File[]) => {
    if (!picked.length) return;
    const room = Math.max(0, MAX_PHOTOS - rows.length);
    setNotice(picked.length > room ? t('photos.tooMany', { count: MAX_PHOTOS }) : null);
    const added = picked.slice(0, room).map((file) => {
      const row = photoRow();
      const problem = refuse(file);
      row.upload = {
        status: problem ? 'failed' : 'uploading',
        progress: 0,
        name: file.name,
        file: problem ? undefined : file,
        preview: problem ? undefined : URL.createObjectURL(file),
        error: problem ?? undefined,
      };
      return row;
    });
    update((rs) => [...rs, ...added]);
    const tasks = added.filter((r) => r.upload?.file).map((r) => () => run(r.key, r.upload!.file!));
    void inTurn(tasks, AT_ONCE);
  };

  const setUrl = (key: number, url: string) => update((rs) => rs.map((r) => (r.key === key ? { ...r, url } : r)));
  const remove = (key: number) =>
    update((rs) => {
      const gone = rs.find((r) => r.key === key)?.upload?.preview;
      if (gone?.startsWith('blob:')) URL.revokeObjectURL(gone);
      return rs.filter((r) => r.key !== key);
    });
  const move = (key: number, by: number) =>
    update((rs) => {
      const i = rs.findIndex((r) => r.key === key);
      const j = i + by;
      if (i < 0 || j < 0 || j >= rs.length) return rs;
      const next = [...rs];
      [next[i], next[j]] = [next[j], next[i]];
      return next;
    });
  /** Puts the dragged row where `target` is. */
  const dropOn = (target: number) =>
    update((rs) => {
      const from = rs.findIndex((r) => r.key === dragging);
      const to = rs.findIndex((r) => r.key === target);
      if (from < 0 || to < 0 || from === to) return rs;
      const next = [...rs];
      const [row] = next.splice(from, 1);
      next.splice(to, 0, row);
      return next;
    });

  const filesOf = (e: DragEvent) => [...(e.dataTransfer?.files ?? [])];
  const hasFiles = (e: DragEvent) => [...(e.dataTransfer?.types ?? [])].includes('Files');

  const uploading = rows.filter((r) => r.upload?.status === 'uploading').length;

  return (
    <div className="photos-field">
      <div
        className={`photo-drop${over ? ' photo-drop-over' : ''}`}
        onDragOver={(e) => {
          if (!hasFiles(e)) return;
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          if (!hasFiles(e)) return;
          e.preventDefault();
          setOver(false);
          add(filesOf(e));
        }}
      >
        <ImagePlus size={22} aria-hidden="true" />
        <span>{t('photos.dropHere')}</span>
        <label htmlFor={inputId} className="btn btn-secondary btn-sm">
          {t('photos.choose')}
        </label>
        <input
          id={inputId}
          className="visually-hidden"
          type="file"
          accept={PHOTO_TYPES.join(',')}
          multiple
          disabled={rows.length >= MAX_PHOTOS}
          onChange={(e) => {
            add([...(e.target.files ?? [])]);
            // The same files can be picked again after a removal.
            e.target.value = '';
          }}
        />
        <span className="field-hint">{t('photos.limits', { count: MAX_PHOTOS, max: formatBytes(MAX_PHOTO_BYTES) })}</span>
      </div>
      {notice && (
        <div className="field-error" role="alert">
          {notice}
        </div>
      )}
      {uploading > 0 && (
        <p className="muted small" role="status">
          {t('photos.uploadingCount', { count: uploading })}
        </p>
      )}

      {rows.length === 0 ? (
        <p className="muted small">{t('photos.none')}</p>
      ) : (
        <ol className="photo-list" aria-label={t('photos.order')}>
          {rows.map((r, i) => {
            const id = `photo-${r.key}`;
            const err = errors[r.key];
            const n = i + 1;
            return (
              <li
                key={r.key}
                className={`photo-row${dragging === r.key ? ' photo-row-dragging' : ''}`}
                data-photo={n}
                data-upload={r.upload?.status}
                draggable
                onDragStart={(e) => {
                  setDragging(r.key);
                  e.dataTransfer.effectAllowed = 'move';
                  e.dataTransfer.setData('text/plain', String(r.key));
                }}
                onDragOver={(e) => {
                  if (dragging === null) return;
                  e.preventDefault();
                  e.dataTransfer.dropEffect = 'move';
                }}
                onDrop={(e) => {
                  if (dragging === null) return;
                  e.preventDefault();
                  dropOn(r.key);
                  setDragging(null);
                }}
                onDragEnd={() => setDragging(null)}
              >
                <span className="photo-grip" aria-hidden="true">
                  <GripVertical size={16} />
                </span>
                {r.upload ? <UploadPreview upload={r.upload} n={n} /> : <PhotoPreview key={r.url.trim()} url={r.url.trim()} />}
                <div className="field grow">
                  {r.upload ? (
                    <UploadStatus upload={r.upload} n={n} cover={i === 0} onRetry={() => r.upload?.file && void run(r.key, r.upload.file)} />
                  ) : (
                    <>
                      <label className="field-label" htmlFor={id}>
                        {i === 0 ? t('photos.firstUrl', { n }) : t('photos.url', { n })}
                      </label>
                      <input
                        id={id}
                        type="url"
                        inputMode="url"
                        placeholder={t('example', { example: 'https://…/photo.jpg' })}
                        spellCheck={false}
                        value={r.url}
                        onChange={(e) => setUrl(r.key, e.target.value)}
                        aria-invalid={err ? true : undefined}
                        aria-describedby={err ? `${id}-error` : undefined}
                      />
                    </>
                  )}
                  {err && (
                    <span className="field-error" id={`${id}-error`}>
                      {err}
                    </span>
                  )}
                </div>
                <div className="photo-row-actions">
                  {i > 0 && (
                    <button type="button" className="btn btn-ghost btn-sm" onClick={() => move(r.key, -1)} aria-label={t('photos.moveUp', { n })}>
                      <ArrowUp size={14} aria-hidden="true" /> {t('photos.up')}
                    </button>
                  )}
                  {i < rows.length - 1 && (
                    <button type="button" className="btn btn-ghost btn-sm" onClick={() => move(r.key, 1)} aria-label={t('photos.moveDown', { n })}>
                      <ArrowDown size={14} aria-hidden="true" /> {t('photos.down')}
                    </button>
                  )}
                  <button
                    type="button"
                    className="btn btn-ghost btn-sm btn-danger-text"
                    onClick={() => remove(r.key)}
                    aria-label={t('photos.remove', { n })}
                  >
                    {t('common:actions.remove')}
                  </button>
                </div>
              </li>
            );
          })}
        </ol>
      )}
      {error && <div className="field-error">{error}</div>}
      <div className="form-actions">
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          onClick={() => update((rs) => [...rs, photoRow()])}
          disabled={rows.length >= MAX_PHOTOS}
        >
          {t('photos.add')}
        </button>
        <span className="field-hint">{t('photos.hint', { count: MAX_PHOTOS })}</span>
      </div>
    </div>
  );
}

function UploadPreview({ upload, n }: { upload: PhotoUpload; n: number }) {
  const { t } = useTranslation('inventory');
  const [broken, setBroken] = useState(false);
  if (!upload.preview || broken) {
    return (
      <span className="photo-preview photo-preview-none" aria-hidden="true">
        {upload.status === 'failed' ? t('photos.notUploaded') : t('photos.noPreview')}
      </span>
    );
  }
  return <img className="photo-preview" src={upload.preview} alt={t('photos.preview', { n })} onError={() => setBroken(true)} />;
}

function UploadStatus({ upload, n, cover, onRetry }: { upload: PhotoUpload; n: number; cover: boolean; onRetry: () => void }) {
  const { t } = useTranslation('inventory');
  const pct = Math.round(upload.progress * 100);
  return (
    <div className="photo-upload">
      <span className="photo-name">
        {/* The dealer's own file name: data, not text to translate. */}
        <span className="break" translate="no">
          {upload.name}
        </span>
        {cover && <span className="badge photo-cover">{t('photos.cover')}</span>}
      </span>
      {upload.status === 'uploading' && (
        <span className="photo-progress">
          <progress max={100} value={pct} aria-label={t('photos.progress', { n })} />
          <span className="muted small">{t('photos.percent', { pct })}</span>
        </span>
      )}
      {upload.status === 'ready' && <span className="muted small">{t('photos.uploaded')}</span>}
      {upload.status === 'failed' && (
        <span className="photo-failed">
          <span className="field-error" role="alert">
            {upload.error}
          </span>
          {upload.file && (
            <button type="button" className="btn btn-secondary btn-sm" onClick={onRetry} aria-label={t('photos.retry', { n })}>
              <RotateCcw size={14} aria-hidden="true" /> {t('photos.retryShort')}
            </button>
          )}
        </span>
      )}
    </div>
  );
}

function PhotoPreview({ url }: { url: string }) {
  const { t } = useTranslation('inventory');
  const [broken, setBroken] = useState(false);
  if (!isHttpUrl(url) || broken) {
    return (
      <span className="photo-preview photo-preview-none" aria-hidden="true">
        {url && broken ? t('photos.cannotLoad') : t('photos.noPreview')}
      </span>
    );
  }
  return <img className="photo-preview" src={url} alt="" onError={() => setBroken(true)} />;
}
