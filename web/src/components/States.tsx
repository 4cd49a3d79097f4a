import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api/errors';

export { errorMessage };

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label ?? t('states.loading')}</span>
    </div>
  );
}

export function ErrorState({
  title,
  error,
  onRetry,
  extra,
}: {
  title?: string;
  error: unknown;
  onRetry?: () => void;
  extra?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className="state state-error" role="alert">
      <div className="state-title">{title ?? t('states.couldNotLoadPage')}</div>
      <p>{errorMessage(error)}</p>
      <div className="state-actions">
        {onRetry && (
          <button type="button" className="btn btn-primary" onClick={onRetry}>
            {t('actions.retry')}
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

/** An error from a form submission, shown above the form: a message, or the error itself (translated when shown). */
export function FormError({ error }: { error: string | unknown }) {
  if (!error) return null;
  return (
    <div className="form-error" role="alert">
      {typeof error === 'string' ? error : errorMessage(error)}
    </div>
  );
}

/**
 * One way to show a query: its spinner while the first answer comes, its
 * error with a retry, and otherwise `children(data)`.
 */
export function QueryView<T>({
  query,
  loading,
  errorTitle,
  children,
}: {
  query: { data: T | undefined; error: unknown; isPending: boolean; refetch: () => unknown };
  loading?: string;
  errorTitle?: string;
  children: (data: T) => ReactNode;
}) {
  if (query.data !== undefined) return <>{children(query.data)}</>;
  if (query.error) return <ErrorState title={errorTitle} error={query.error} onRetry={() => void query.refetch()} />;
  return <Loading label={loading} />;
}
