import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router-dom';
import { useAuth } from './AuthContext';
import { ErrorState, Loading } from '../components/States';

/** Shows `children` to a logged-in user; sends anyone else to /login, remembering where they wanted to go. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { status, bootError, retry, logout } = useAuth();
  const location = useLocation();
  const { t } = useTranslation();
  if (status === 'loading') {
    return (
      <div className="splash">
        <Loading label={t('auth.loadingWorkspace')} />
      </div>
    );
  }
  if (status === 'unreachable') {
    return (
      <div className="splash">
        <ErrorState
          title={t('auth.cannotLoadSession')}
          error={bootError}
          onRetry={retry}
          extra={
            <button type="button" className="btn btn-ghost" onClick={logout}>
              {t('auth.logInAgain')}
            </button>
          }
        />
      </div>
    );
  }
  if (status === 'anonymous') {
    const wanted = location.pathname + location.search + location.hash;
    const to = wanted === '/' ? '/login' : `/login?next=${encodeURIComponent(wanted)}`;
    return <Navigate to={to} replace />;
  }
  return <>{children}</>;
}
