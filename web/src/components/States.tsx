import type { ReactNode } from 'react';
import { ApiError } from '../api/client';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

export function ErrorState({
  title = 'Could not load this page',
  error,
  onRetry,
  extra,
}: {
  title?: string;
  error: unknown;
  onRetry?: () => void;
  extra?: ReactNode;
}) {
  return (
    <div className="state state-error" role="alert">
      <div className="state-title">{title}</div>
      <p>{errorMessage(error)}</p>
      <div className="state-actions">
        {onRetry && (
          <button type="button" className="btn btn-primary" onClick={onRetry}>
            Retry
          </button>
        )}
        {extra}
      </div>
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <div className="state-title">{title}</div>
      {children && <div className="state-body">{children}</div>}
    </div>
  );
}

/** An error from a form submission, shown above the form. */
export function FormError({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <div className="form-error" role="alert">
      {error}
    </div>
  );
}
