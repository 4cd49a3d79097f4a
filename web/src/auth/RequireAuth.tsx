import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { useAuth } from './AuthContext';
import { ErrorState, Loading } from '../components/States';

/** Shows `children` to a logged-in user; sends anyone else to /login, remembering where they wanted to go. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { status, bootError, retry, logout } = useAuth();
  const location = useLocation();
  if (status === 'loading') {
    return (
      <div className="splash">
        <Loading label="Loading your workspace…" />
      </div>
    );
  }
  if (status === 'unreachable') {
    return (
      <div className="splash">
        <ErrorState
          title="Cannot load your session"
          error={bootError}
          onRetry={retry}
          extra={
            <button type="button" className="btn btn-ghost" onClick={logout}>
              Log in again
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

/** The in-app path to return to after login; refuses anything that would leave the app. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next.startsWith('/login')) return '/';
  return next;
}
