import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, getToken, onUnauthorized, setToken } from '../api/client';
import type { LoginRequest, Me, Session } from '../api/types';
import { currentLanguage, isLanguage, isMiniappPath, setLanguage, type Language } from '../i18n';
import { setTimeZone } from '../i18n/format';

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
  /** Switches the UI language and, when logged in, stores the choice on the server. */
  chooseLanguage: (lang: Language) => Promise<void>;
}

/**
 * What the server knows about the user's preferences: the stored language
 * wins over the browser's, and dates are shown in the workspace's zone.
 */
function applyPreferences(m: Me) {
  setTimeZone(m.time_zone);
  // The Mini App speaks the buyer's language, not the dealer's who may share the browser.
  if (typeof window !== 'undefined' && isMiniappPath(window.location.pathname)) return;
  if (isLanguage(m.language) && m.language !== currentLanguage()) void setLanguage(m.language);
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
        applyPreferences(m);
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
    applyPreferences(s.me);
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
    applyPreferences(m);
    setMe(m);
  }, []);

  const chooseLanguage = useCallback(async (lang: Language) => {
    await setLanguage(lang);
    if (!getToken()) return;
    setMe((m) => (m ? { ...m, language: lang } : m));
    try {
      await api<unknown>('/api/auth/me', { method: 'PATCH', body: { language: lang } });
    } catch (e) {
      // An older server has no PATCH /api/auth/me: the choice stays in this browser.
      if (e instanceof ApiError && (e.status === 404 || e.status === 405)) return;
      throw e;
    }
  }, []);

  const value = useMemo(
    () => ({ status, me, login, startSession, logout: dropSession, refreshMe, bootError, retry, chooseLanguage }),
    [status, me, login, startSession, dropSession, refreshMe, bootError, retry, chooseLanguage],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const v = useContext(AuthContext);
  if (!v) throw new Error('useAuth outside <AuthProvider>');
  return v;
}
