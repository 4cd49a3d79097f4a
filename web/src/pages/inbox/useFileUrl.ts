import { useEffect, useState } from 'react';
import { apiBlob, seg } from '../../api/client';

export interface FileUrl {
  url: string | null;
  /** The type the server gave the file (`image/webp`, `video/mp4`...). */
  type: string;
  error: unknown;
  loading: boolean;
  retry: () => void;
}

export function filePath(botId: number, fileId: string): string {
  return `/api/inbox/files/${botId}/${seg(fileId)}`;
}

/**
 * A message's file as a blob: URL. The files route needs the session token,
 * which an `<img src>` cannot send; the URL is revoked when the bubble goes.
 */
export function useFileUrl(botId: number, fileId: string | null | undefined): FileUrl {
  const [state, setState] = useState<{ url: string | null; type: string; error: unknown }>({ url: null, type: '', error: null });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!fileId) return;
    const ctl = new AbortController();
    let url: string | null = null;
    setState({ url: null, type: '', error: null });
    apiBlob(filePath(botId, fileId), { signal: ctl.signal })
      .then((blob) => {
        url = URL.createObjectURL(blob);
        setState({ url, type: blob.type, error: null });
      })
      .catch((e: unknown) => {
        if (e instanceof DOMException && e.name === 'AbortError') return;
        setState({ url: null, type: '', error: e });
      });
    return () => {
      ctl.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [botId, fileId, attempt]);

  return {
    ...state,
    loading: !!fileId && !state.url && !state.error,
    retry: () => setAttempt((n) => n + 1),
  };
}
