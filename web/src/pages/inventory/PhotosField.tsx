import { ArrowUp } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isHttpUrl } from './listing';

/** One photo address being edited; `key` keeps its row (and preview) when rows move. */
export interface PhotoRow {
  key: number;
  url: string;
}

let lastKey = 0;
export function photoRow(url = ''): PhotoRow {
  lastKey += 1;
  return { key: lastKey, url };
}

/** The most photos a listing holds (the server's limit). */
export const MAX_PHOTOS = 30;

/** The photos of a listing as a list of URLs, each with a preview; the first is the thumbnail. */
export function PhotosField({
  rows,
  onChange,
  errors,
  error,
}: {
  rows: PhotoRow[];
  onChange: (rows: PhotoRow[]) => void;
  /** Errors by row key. */
  errors: Record<number, string | undefined>;
  /** An error about the photos as a whole. */
  error?: string | null;
}) {
  const { t } = useTranslation('inventory');
  const setUrl = (key: number, url: string) => onChange(rows.map((r) => (r.key === key ? { ...r, url } : r)));
  const remove = (key: number) => onChange(rows.filter((r) => r.key !== key));
  const moveUp = (i: number) => {
    if (i === 0) return;
    const next = [...rows];
    [next[i - 1], next[i]] = [next[i], next[i - 1]];
    onChange(next);
  };

  return (
    <div className="photos-field">
      {rows.length === 0 ? (
        <p className="muted small">{t('photos.none')}</p>
      ) : (
        <ol className="photo-list">
          {rows.map((r, i) => {
            const id = `photo-${r.key}`;
            const err = errors[r.key];
            return (
              <li key={r.key} className="photo-row" data-photo={i + 1}>
                <PhotoPreview key={r.url.trim()} url={r.url.trim()} />
                <div className="field grow">
                  <label className="field-label" htmlFor={id}>
                    {i === 0 ? t('photos.firstUrl', { n: i + 1 }) : t('photos.url', { n: i + 1 })}
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
                  {err && (
                    <span className="field-error" id={`${id}-error`}>
                      {err}
                    </span>
                  )}
                </div>
                <div className="photo-row-actions">
                  {i > 0 && (
                    <button type="button" className="btn btn-ghost btn-sm" onClick={() => moveUp(i)} aria-label={t('photos.moveUp', { n: i + 1 })}>
                      <ArrowUp size={14} aria-hidden="true" /> {t('photos.up')}
                    </button>
                  )}
                  <button
                    type="button"
                    className="btn btn-ghost btn-sm btn-danger-text"
                    onClick={() => remove(r.key)}
                    aria-label={t('photos.remove', { n: i + 1 })}
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
          className="btn btn-secondary btn-sm"
          onClick={() => onChange([...rows, photoRow()])}
          disabled={rows.length >= MAX_PHOTOS}
        >
          {t('photos.add')}
        </button>
        <span className="field-hint">{t('photos.hint', { count: MAX_PHOTOS })}</span>
      </div>
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
