// Small pieces the showcase pages share, styled with the `ma-` classes
// (Telegram's theme colours, see the Mini App block of styles.css).
import { Car } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api/errors';

/** A car photo in a fixed-ratio box; a placeholder when there is none or it cannot be loaded. */
export function CarPhoto({ url, alt = '', eager = false }: { url: string | undefined; alt?: string; eager?: boolean }) {
  const { t } = useTranslation();
  const [broken, setBroken] = useState(false);
  if (!url || broken) {
    return (
      <div className="ma-photo ma-photo-none" role={alt ? 'img' : undefined} aria-label={alt || undefined} aria-hidden={alt ? undefined : true}>
        <Car size={28} aria-hidden="true" />
        <span>{url ? t('car.photoUnavailable') : t('car.noPhoto')}</span>
      </div>
    );
  }
  return (
    <div className="ma-photo">
      <img src={url} alt={alt} loading={eager ? 'eager' : 'lazy'} decoding="async" onError={() => setBroken(true)} />
    </div>
  );
}

export function Chips({ items }: { items: string[] }) {
  if (!items.length) return null;
  return (
    <span className="ma-chips">
      {items.map((c) => (
        <span key={c} className="ma-chip">
          {c}
        </span>
      ))}
    </span>
  );
}

/** A whole-page message: not found, empty, failed. */
export function MaState({
  title,
  children,
  tone = 'neutral',
  action,
}: {
  title: string;
  children?: ReactNode;
  tone?: 'neutral' | 'error';
  action?: ReactNode;
}) {
  return (
    <div className={`ma-state ma-state-${tone}`} role={tone === 'error' ? 'alert' : undefined}>
      <div className="ma-state-title">{title}</div>
      {children && <div className="ma-state-body">{children}</div>}
      {action && <div className="ma-state-action">{action}</div>}
    </div>
  );
}

export function MaError({ title, error, onRetry }: { title: string; error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <MaState
      tone="error"
      title={title}
      action={
        <button type="button" className="ma-btn ma-btn-secondary" onClick={onRetry}>
          {t('actions.retry')}
        </button>
      }
    >
      {errorMessage(error)}
    </MaState>
  );
}
