// The one way the web app talks to the API: adds the session token, sends and
// parses JSON, and turns every failure into an `ApiError` carrying the
// server's `{ error: { code, message, field } }`.
import type { ErrorBody } from './types';

const TOKEN_KEY = 'cartie.token';

/** A failed API call: `status` 0 means the server could not be reached. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | null;
  /** Seconds to wait before trying again, when the server says (`retry_after`, or a `Retry-After` header). */
  readonly retryAfter: number | null;

  constructor(status: number, code: string, message: string, field: string | null = null, retryAfter: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter;
  }
}

function isErrorBody(v: unknown): v is ErrorBody {
  if (typeof v !== 'object' || v === null || !('error' in v)) return false;
  const e = (v as { error: unknown }).error;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { code?: unknown }).code === 'string' &&
    typeof (e as { message?: unknown }).message === 'string'
  );
}

function fallbackMessage(status: number): string {
  if (status === 401) return 'Your session has ended. Please log in again.';
  if (status === 403) return 'You do not have permission to do this.';
  if (status === 404) return 'Not found.';
  if (status === 429) return 'Too many attempts. Please wait a moment and try again.';
  if (status >= 500) return `The server had a problem (HTTP ${status}). Please try again.`;
  return `The request failed (HTTP ${status}).`;
}

/** The server's messages may start in lower case ("must be an e-mail..."); shown alone, they read as sentences. */
function sentence(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A wait in whole seconds: a non-negative number, or digits (a `Retry-After` header); null otherwise. */
function seconds(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  return Number.isFinite(n) && n >= 0 ? Math.ceil(n) : null;
}

/**
 * Builds the `ApiError` for a non-2xx answer from its status and body text
 * (and its `Retry-After` header): a wait the server names in the body
 * (`error.retry_after`, or `retry_after` beside `error`) wins over the header.
 */
export function parseError(status: number, text: string, retryAfterHeader: string | null = null): ApiError {
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  const header = seconds(retryAfterHeader);
  if (isErrorBody(parsed)) {
    const { code, message, field } = parsed.error;
    const wait =
      seconds((parsed.error as { retry_after?: unknown }).retry_after) ?? seconds((parsed as { retry_after?: unknown }).retry_after) ?? header;
    return new ApiError(status, code, message ? sentence(message) : fallbackMessage(status), field ?? null, wait);
  }
  return new ApiError(status, `http_${status}`, fallbackMessage(status), null, header);
}

// --- session token -------------------------------------------------------

export function getToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string | null): void {
  try {
    if (token) localStorage.setItem(TOKEN_KEY, token);
    else localStorage.removeItem(TOKEN_KEY);
  } catch {
    /* storage unavailable: the session lasts as long as the page */
  }
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** Called when a request sent with a token is answered 401: the token is dead. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

// --- requests ------------------------------------------------------------

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Sent as JSON, or as multipart/form-data when it is a `FormData`. */
  body?: unknown;
  signal?: AbortSignal;
  /** Send without the session token (login, invites, version). */
  anonymous?: boolean;
  /** Extra request headers (`If-None-Match`...). */
  headers?: Record<string, string>;
}

/** Sends the request; a non-2xx answer (other than 304) becomes an `ApiError`. */
async function send(path: string, opts: RequestOptions, accept: string): Promise<Response> {
  const headers: Record<string, string> = { Accept: accept, ...opts.headers };
  const token = opts.anonymous ? null : getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const isForm = typeof FormData !== 'undefined' && opts.body instanceof FormData;
  // A FormData body sets its own multipart Content-Type (with the boundary).
  if (opts.body !== undefined && !isForm) headers['Content-Type'] = 'application/json';

  let res: Response;
  try {
    res = await fetch(path, {
      method: opts.method ?? 'GET',
      headers,
      body: opts.body === undefined ? undefined : isForm ? (opts.body as FormData) : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'Cannot reach the server. Check your connection and try again.');
  }

  if (!res.ok && res.status !== 304) {
    const err = parseError(res.status, await res.text().catch(() => ''), res.headers.get('Retry-After'));
    if (res.status === 401 && token) {
      setToken(null);
      unauthorizedListeners.forEach((l) => l());
    }
    throw err;
  }
  return res;
}

function parseJson<T>(status: number, text: string): T {
  if (status === 204 || text === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(status, 'bad_response', 'The server sent an answer the app cannot read.');
  }
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await send(path, opts, 'application/json');
  return parseJson<T>(res.status, await res.text());
}

/** A conditional GET: `null` when the server answers 304 (what `etag` names has not changed). */
export async function apiIfChanged<T>(
  path: string,
  etag: string | null,
  opts: Omit<RequestOptions, 'method' | 'body'> = {},
): Promise<{ data: T; etag: string | null } | null> {
  const headers = etag ? { ...opts.headers, 'If-None-Match': etag } : opts.headers;
  const res = await send(path, { ...opts, headers }, 'application/json');
  if (res.status === 304) return null;
  return { data: parseJson<T>(res.status, await res.text()), etag: res.headers.get('ETag') };
}

/** GETs a file with the session token (an `<img src>` cannot send it). */
export async function apiBlob(path: string, opts: Omit<RequestOptions, 'method' | 'body'> = {}): Promise<Blob> {
  const res = await send(path, opts, '*/*');
  return res.blob();
}

/** Path segment, escaped (e-mails in paths). */
export const seg = (s: string) => encodeURIComponent(s);
