import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, getToken, onUnauthorized, setToken } from '../api/client';
import type { LoginRequest, Me, Session } from '../api/types';

/** `unreachable`: there is a token but the server could not be asked about it. */
type Status = 'loading' | 'anonymous' | 'authenticated' | 'unreachable';

interface AuthValue {
  status: Status;
  me: Me | null;
  /** Logs in; throws the `ApiError` on failure. */
  login: (req: LoginRequest) => Promise<Me>;
  /** Starts a session the server handed out (login, accepted invite). */
  startSession: (s: Session) => void;
  logout: () => void;
  /** Re-reads `/api/auth/me` (after a rename, a role change...). */
  refreshMe: () => Promise<void>;
  /** Why the session could not be checked, when `status` is `unreachable`. */
  bootError: ApiError | null;
  retry: () => void;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [status, setStatus] = useState<Status>(() => (getToken() ? 'loading' : 'anonymous'));
  const [bootError, setBootError] = useState<ApiError | null>(null);
  const [attempt, setAttempt] = useState(0);

  const dropSession = useCallback(() => {
    setToken(null);
    setMe(null);
    setStatus('anonymous');
  }, []);

  // A 401 on any authenticated call means the token is dead: back to login.
  useEffect(() => onUnauthorized(dropSession), [dropSession]);

  useEffect(() => {
    if (!getToken()) return;
    const ctl = new AbortController();
    api<Me>('/api/auth/me', { signal: ctl.signal })
      .then((m) => {
        setMe(m);
        setStatus('authenticated');
      })
      .catch((e: unknown) => {
        if (e instanceof DOMException && e.name === 'AbortError') return;
        if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
          dropSession();
          return;
        }
        // The server is down or failing: keep the token and offer a retry.
        setBootError(e instanceof ApiError ? e : new ApiError(0, 'network', String(e)));
        setStatus('unreachable');
      });
    return () => ctl.abort();
  }, [dropSession, attempt]);

  const retry = useCallback(() => {
    setBootError(null);
    setStatus('loading');
    setAttempt((n) => n + 1);
  }, []);

  const startSession = useCallback((s: Session) => {
    setToken(s.token);
    setMe(s.me);
    setStatus('authenticated');
  }, []);

  const login = useCallback(
    async (req: LoginRequest) => {
      const s = await api<Session>('/api/auth/login', { method: 'POST', body: req, anonymous: true });
      startSession(s);
      return s.me;
    },
    [startSession],
  );

  const refreshMe = useCallback(async () => {
    const m = await api<Me>('/api/auth/me');
    setMe(m);
  }, []);

  const value = useMemo(
    () => ({ status, me, login, startSession, logout: dropSession, refreshMe, bootError, retry }),
    [status, me, login, startSession, dropSession, refreshMe, bootError, retry],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const v = useContext(AuthContext);
  if (!v) throw new Error('useAuth outside <AuthProvider>');
  return v;
}
