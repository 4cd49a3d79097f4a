// Uploads to the file store: the API signs a URL, the browser sends the
// bytes straight to the bucket (never through the API, so no request size
// limit applies), then the API checks what arrived (size, type by content)
// and the file is ready. `docs/files.md` explains the design.
import { api, ApiError, seg } from './client';
import type { FilePurpose, FileView, UploadView } from './types';

export interface UploadOptions {
  purpose: FilePurpose;
  /** The name to keep (defaults to the file's own). */
  fileName?: string;
  /** Called with 0..1 as the bytes go out (uses XMLHttpRequest, which reports progress). */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
  /** Called once the upload has an id (before its bytes are sent). */
  onStarted?: (file: FileView) => void;
}

/** Sends the bytes to the presigned URL with the headers it was signed with. */
function put(url: string, headers: Record<string, string>, body: Blob, opts: UploadOptions): Promise<void> {
  const failed = (status: number) =>
    new ApiError(status, 'upload_failed', status === 0 ? 'The upload could not reach the file store.' : `The file store refused the upload (HTTP ${status}).`);
  if (!opts.onProgress || typeof XMLHttpRequest === 'undefined') {
    return fetch(url, { method: 'PUT', headers, body, signal: opts.signal }).then(
      (res) => {
        if (!res.ok) throw failed(res.status);
      },
      (e: unknown) => {
        if (e instanceof DOMException && e.name === 'AbortError') throw e;
        throw failed(0);
      },
    );
  }
  const onProgress = opts.onProgress;
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(failed(xhr.status)));
    xhr.onerror = () => reject(failed(0));
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    opts.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}

/** Uploads `file` for `purpose` and returns it once the API has checked it. */
export async function uploadFile(file: Blob & { name?: string }, opts: UploadOptions): Promise<FileView> {
  const started = await api<UploadView>('/api/files', {
    method: 'POST',
    body: {
      purpose: opts.purpose,
      file_name: opts.fileName ?? file.name ?? 'file',
      content_type: file.type || 'application/octet-stream',
      size: file.size,
    },
    signal: opts.signal,
  });
  opts.onStarted?.(started.file);
  await put(started.upload.url, started.upload.headers, file, opts);
  opts.onProgress?.(1);
  return api<FileView>(`/api/files/${seg(started.file.id)}/complete`, { method: 'POST', signal: opts.signal });
}

/** Runs `tasks` with at most `limit` at a time (a phone's uplink is narrow). */
export async function inTurn<T>(tasks: (() => Promise<T>)[], limit: number): Promise<PromiseSettledResult<T>[]> {
  const results: PromiseSettledResult<T>[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      try {
        results[i] = { status: 'fulfilled', value: await tasks[i]() };
      } catch (reason) {
        results[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
