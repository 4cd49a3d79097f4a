// Small pieces the showcase pages share, styled with the `ma-` classes
// (Telegram's theme colours, see the Mini App block of styles.css).
import { useState, type ReactNode } from 'react';
import { errorMessage } from '../components/States';

/** A car photo in a fixed-ratio box; a placeholder when there is none or it cannot be loaded. */
export function CarPhoto({ url, alt = '', eager = false }: { url: string | undefined; alt?: string; eager?: boolean }) {
  const [broken, setBroken] = useState(false);
  if (!url || broken) {
    return (
      <div className="ma-photo ma-photo-none" role={alt ? 'img' : undefined} aria-label={alt || undefined} aria-hidden={alt ? undefined : true}>
        <CarIcon />
        <span>{url ? 'Photo unavailable' : 'No photo'}</span>
      </div>
    );
  }
  return (
    <div className="ma-photo">
      <img src={url} alt={alt} loading={eager ? 'eager' : 'lazy'} decoding="async" onError={() => setBroken(true)} />
    </div>
  );
}

function CarIcon() {
  return (
    <svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M5 11l1.5-4.5A2 2 0 0 1 8.4 5h7.2a2 2 0 0 1 1.9 1.5L19 11a2 2 0 0 1 2 2v4a1 1 0 0 1-1 1h-1a2 2 0 0 1-4 0H9a2 2 0 0 1-4 0H4a1 1 0 0 1-1-1v-4a2 2 0 0 1 2-2zm2.1 0h9.8l-1.2-3.6a.5.5 0 0 0-.5-.4H8.8a.5.5 0 0 0-.5.4L7.1 11zM6.5 15.5a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3zm11 0a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3z"
      />
    </svg>
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
  return (
    <MaState
      tone="error"
      title={title}
      action={
        <button type="button" className="ma-btn ma-btn-secondary" onClick={onRetry}>
          Retry
        </button>
      }
    >
      {errorMessage(error)}
    </MaState>
  );
}
