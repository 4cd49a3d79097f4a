// Fixtures for the Inbox, Telegram hub and Requests tests: API shapes built
// from the generated types, and a fake backend to answer them.
import { vi } from 'vitest';
import type { ConversationView, MessageView, Role } from '../api/types';
import { jsonResponse, mockFetch } from './http';

export const ws = { id: 'ws1', name: 'Demo Motors', slug: 'demo', created_at: '2025-01-01T00:00:00Z' };
export const version = { git_sha: 'dev', build_time: '', schema_version: 1 };
export const team = {
  members: [
    { email: 'owner@demo.test', name: 'Olga Owner', role: 'owner', joined_at: '2025-01-01T00:00:00Z' },
    { email: 'mia@demo.test', name: 'Mia Manager', role: 'manager', joined_at: '2025-02-01T00:00:00Z' },
  ],
  invites: [],
};
export const bot = {
  id: 1,
  username: 'DemoMotorsBot',
  first_name: 'Demo Motors',
  webhook_url: 'https://cartie.test/tg/1',
  auto_reply: null,
  connected_by: 'owner@demo.test',
  connected_at: '2025-03-01T10:00:00Z',
};

export function conversation(chat: number, over: Partial<ConversationView> = {}): ConversationView {
  return {
    id: `1:${chat}`,
    bot_id: 1,
    bot_username: 'DemoMotorsBot',
    chat_id: chat,
    contact: { id: chat, first_name: `Buyer${chat}`, last_name: null, username: `buyer${chat}` },
    last_message_at: new Date(Date.UTC(2025, 2, 1, 12, 0) - chat * 60_000).toISOString(),
    preview: `Hello from ${chat}`,
    last_direction: 'in',
    blocked: false,
    unread: 0,
    assignee: null,
    status: 'open',
    via: 'bot',
    ...over,
  };
}

let seq = 0;
export function message(over: Partial<MessageView> & { message_id: number }): MessageView {
  seq += 1;
  const at_ms = over.at_ms ?? Date.UTC(2025, 2, 1, 12, 0) + over.message_id * 1000;
  return {
    key: `MSG#${at_ms}#${String(over.seq ?? seq).padStart(10, '0')}`,
    at: new Date(at_ms).toISOString(),
    bot_id: 1,
    chat_id: 42,
    direction: 'in',
    kind: 'text',
    at_ms,
    seq: over.seq ?? seq,
    from: { id: 42, first_name: 'Pat', last_name: 'Buyer', username: 'pat' },
    text: null,
    ...over,
  };
}

/** A JSON answer with an ETag, as the polled Inbox routes give. */
export function etagged(body: unknown, etag: string): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json', ETag: etag } });
}

export type Route = (url: string, init: RequestInit | undefined) => Response | Promise<Response> | undefined;

/** The logged-in `role` and the shared routes; `route` answers the rest (undefined: 404). */
export function inboxBackend(role: Role, route: Route) {
  return mockFetch((url, init) => {
    if (url === '/api/auth/me') return jsonResponse(200, { email: `${role}@demo.test`, name: 'Me', role, workspace: ws });
    if (url === '/api/version') return jsonResponse(200, version);
    const r = route(url, init);
    if (r) return r;
    if (url === '/api/team') return jsonResponse(200, team);
    if (url === '/api/bots') return jsonResponse(200, { bots: [bot] });
    if (url === '/api/inbox/counts') return jsonResponse(200, { open: 0, mine: 0, unassigned: 0, unread: 0, snoozed: 0, resolved: 0, total: 0 });
    if (url === '/api/inbox/canned') return jsonResponse(200, { items: [] });
    if (url.endsWith('/read') && init?.method === 'POST') return new Response(null, { status: 204 });
    return jsonResponse(404, { error: { code: 'not_found', message: `Not found: ${url}`, field: null } });
  });
}

/** jsdom has no blob: URLs; media bubbles need them. */
export function stubBlobUrls() {
  let n = 0;
  const create = vi.fn(() => `blob:test/${++n}`);
  const revoke = vi.fn();
  Object.assign(URL, { createObjectURL: create, revokeObjectURL: revoke });
  return { create, revoke };
}

export function headerOf(init: RequestInit | undefined, name: string): string | undefined {
  const h = init?.headers as Record<string, string> | undefined;
  return h?.[name];
}

/** A file from the files route (jsdom's Blob cannot be a fetch body, so bytes). */
export function fileResponse(type: string): Response {
  return new Response(new Uint8Array([1, 2, 3, 4]), { status: 200, headers: { 'Content-Type': type } });
}
