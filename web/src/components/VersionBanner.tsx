import { useCallback, useEffect, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Version } from '../api/types';
import { BUILD_SHA, isNewerBuild } from '../version';

/**
 * Asks `/api/version` every `intervalMs` and whenever the window gets focus;
 * when the server runs another build than this bundle, offers a reload.
 */
export function VersionBanner({
  buildSha = BUILD_SHA,
  intervalMs = 60_000,
}: {
  buildSha?: string;
  intervalMs?: number;
}) {
  const [serverSha, setServerSha] = useState<string | null>(null);
  const { t } = useTranslation();
  const inFlight = useRef(false);

  const check = useCallback(async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    try {
      const v = await api<Version>('/api/version', { anonymous: true });
      setServerSha(v.git_sha);
    } catch {
      /* offline or the API is restarting: try again at the next tick */
    } finally {
      inFlight.current = false;
    }
  }, []);

  useEffect(() => {
    void check();
    const id = window.setInterval(() => void check(), intervalMs);
    const onFocus = () => void check();
    window.addEventListener('focus', onFocus);
    return () => {
      window.clearInterval(id);
      window.removeEventListener('focus', onFocus);
    };
  }, [check, intervalMs]);

  if (!isNewerBuild(serverSha, buildSha)) return null;
  return (
    <div className="update-banner" role="status">
      <span>
        <Trans i18nKey="version.banner" values={{ buildSha, serverSha }} components={{ strong: <strong /> }} />
      </span>
      <button type="button" className="btn btn-light btn-sm" onClick={() => window.location.reload()}>
        {t('actions.reload')}
      </button>
    </div>
  );
}
