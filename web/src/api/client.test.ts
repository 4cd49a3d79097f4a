import { describe, expect, it, vi } from 'vitest';
import { api, ApiError, getToken, onUnauthorized, parseError, setToken } from './client';
import { jsonResponse, mockFetch } from '../test/http';

describe('parseError', () => {
  it('reads code, message and field from the error body', () => {
    const e = parseError(
      422,
      JSON.stringify({ error: { code: 'validation', message: 'Enter a valid e-mail address.', field: 'email' } }),
    );
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(422);
    expect(e.code).toBe('validation');
    expect(e.message).toBe('Enter a valid e-mail address.');
    expect(e.field).toBe('email');
  });

  it('shows a lower-case server message as a sentence', () => {
    const e = parseError(401, JSON.stringify({ error: { code: 'invalid_credentials', message: 'the e-mail or the password is wrong', field: null } }));
    expect(e.message).toBe('The e-mail or the password is wrong');
  });

  it('treats a missing or null field as no field', () => {
    expect(parseError(401, JSON.stringify({ error: { code: 'invalid_credentials', message: 'Wrong e-mail or password.', field: null } })).field).toBeNull();
    expect(parseError(403, JSON.stringify({ error: { code: 'forbidden', message: 'No.' } })).field).toBeNull();
  });

  it('reads how long to wait: retry_after in or beside the error, else the Retry-After header', () => {
    const inside = parseError(429, JSON.stringify({ error: { code: 'flood_wait', message: 'wait', field: null, retry_after: 90 } }), '5');
    expect(inside.code).toBe('flood_wait');
    expect(inside.retryAfter).toBe(90);
    expect(parseError(429, JSON.stringify({ error: { code: 'flood_wait', message: 'wait' }, retry_after: 42 })).retryAfter).toBe(42);
    expect(parseError(429, JSON.stringify({ error: { code: 'rate_limited', message: 'slow down' } }), '7').retryAfter).toBe(7);
    expect(parseError(429, '', '12').retryAfter).toBe(12);
    // An HTTP date or nonsense is no number of seconds.
    expect(parseError(429, '', 'Wed, 21 Oct 2026 07:28:00 GMT').retryAfter).toBeNull();
    expect(parseError(422, JSON.stringify({ error: { code: 'validation', message: 'no' } })).retryAfter).toBeNull();
  });

  it('falls back to a readable message when the body is not the error shape', () => {
    const html = parseError(502, '<html>Bad gateway</html>');
    expect(html.code).toBe('http_502');
    expect(html.message).toMatch(/server had a problem/i);
    const empty = parseError(429, '');
    expect(empty.code).toBe('http_429');
    expect(empty.message).toMatch(/too many attempts/i);
    const other = parseError(400, JSON.stringify({ message: 'nope' }));
    expect(other.code).toBe('http_400');
  });
});

describe('api()', () => {
  it('sends the token and JSON body, and returns the parsed answer', async () => {
    setToken('tok-123');
    const fetchMock = mockFetch(() => jsonResponse(200, { ok: 1 }));
    const out = await api<{ ok: number }>('/api/team/invites', { method: 'POST', body: { email: 'a@b.c', role: 'viewer' } });
    expect(out).toEqual({ ok: 1 });
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('/api/team/invites');
    const headers = init?.headers as Record<string, string>;
    expect(headers.Authorization).toBe('Bearer tok-123');
    expect(headers['Content-Type']).toBe('application/json');
    expect(JSON.parse(init?.body as string)).toEqual({ email: 'a@b.c', role: 'viewer' });
  });

  it('throws an ApiError carrying the server error', async () => {
    mockFetch(() => jsonResponse(409, { error: { code: 'conflict', message: 'Already a member.', field: 'email' } }));
    const err = await api('/api/team/invites', { method: 'POST', body: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('conflict');
    expect((err as ApiError).message).toBe('Already a member.');
    expect((err as ApiError).field).toBe('email');
  });

  it('returns undefined for 204', async () => {
    mockFetch(() => new Response(null, { status: 204 }));
    await expect(api('/api/team/invites/x', { method: 'DELETE' })).resolves.toBeUndefined();
  });

  it('reports an unreachable server as a network error', async () => {
    vi.stubGlobal('fetch', vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))));
    const err = (await api('/api/team').catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(0);
    expect(err.code).toBe('network');
    expect(err.message).toMatch(/cannot reach the server/i);
  });

  it('drops a token the server refuses and tells the app', async () => {
    setToken('expired');
    const listener = vi.fn();
    const off = onUnauthorized(listener);
    mockFetch(() => jsonResponse(401, { error: { code: 'invalid_token', message: 'Session expired.', field: null } }));
    await expect(api('/api/auth/me')).rejects.toMatchObject({ code: 'invalid_token' });
    expect(getToken()).toBeNull();
    expect(listener).toHaveBeenCalledTimes(1);
    off();
  });

  it('does not treat a failed anonymous login as a dead session', async () => {
    setToken('still-good');
    const listener = vi.fn();
    const off = onUnauthorized(listener);
    mockFetch(() => jsonResponse(401, { error: { code: 'invalid_credentials', message: 'Wrong e-mail or password.', field: null } }));
    await expect(api('/api/auth/login', { method: 'POST', body: {}, anonymous: true })).rejects.toBeInstanceOf(ApiError);
    expect(listener).not.toHaveBeenCalled();
    expect(getToken()).toBe('still-good');
    off();
  });
});
