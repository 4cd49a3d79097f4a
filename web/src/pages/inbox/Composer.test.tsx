import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { setToken } from '../../api/client';
import { jsonResponse } from '../../test/http';
import { conversation, etagged, fileResponse, inboxBackend, message, stubBlobUrls } from '../../test/inbox';
import { renderApp } from '../../test/renderApp';

const CHAT = '/api/inbox/conversations/1%3A42';
const SEND = `${CHAT}/messages`;

type Answer = (init: RequestInit | undefined) => Response;

/** A manager in the chat with buyer 42; `answer` replies to POST …/messages. */
function openChat(answer: Answer, history = [message({ message_id: 1, text: 'Hi, is the A4 available?' })]) {
  setToken('tok');
  stubBlobUrls();
  const fetchMock = inboxBackend('manager', (url, init) => {
    if (url === SEND && init?.method === 'POST') return answer(init);
    if (url.startsWith('/api/inbox/conversations?')) return etagged({ items: [conversation(42)], next_cursor: null }, '"l"');
    if (url === CHAT) return jsonResponse(200, conversation(42));
    if (url === `${SEND}?limit=50`) return etagged({ items: history, next_cursor: null }, '"m"');
    if (url.startsWith('/api/inbox/files/')) return fileResponse('image/webp');
    // The file store: a signed PUT straight to the bucket, then completion.
    if (url === '/api/files' && init?.method === 'POST') {
      const req = JSON.parse(init.body as string);
      return jsonResponse(201, {
        file: storedFile({ name: req.file_name, size: req.size, status: 'pending' }),
        upload: { method: 'PUT', url: BUCKET_URL, headers: { 'content-type': req.content_type, 'x-amz-tagging': 'expiry=1d' }, expires_at: '2026-01-01T00:15:00Z' },
      });
    }
    if (url === BUCKET_URL && init?.method === 'PUT') return new Response(null, { status: 200 });
    if (url === '/api/files/F1/complete' && init?.method === 'POST') return jsonResponse(200, storedFile({ status: 'ready' }));
    return undefined;
  });
  renderApp('/inbox/1:42');
  return fetchMock;
}

const BUCKET_URL = 'http://bucket.test/ws/F1/original?X-Amz-Signature=abc';

function storedFile(over: Record<string, unknown>) {
  return {
    id: 'F1',
    purpose: 'inbox_attachment',
    name: 'car.png',
    content_type: 'image/png',
    size: 4,
    status: 'ready',
    variants: [],
    created_at: '2026-01-01T00:00:00Z',
    expires_at: null,
    download_url: null,
    thumb_url: null,
    large_url: null,
    ...over,
  };
}

const sent = (over: Parameters<typeof message>[0]) => jsonResponse(201, message({ direction: 'out', sent_by: 'manager@demo.test', ...over }));

function pick(kind: string, file: File) {
  const input = document.querySelector(`input[data-attach="${kind}"]`) as HTMLInputElement;
  fireEvent.change(input, { target: { files: [file] } });
}

describe('Inbox → composer', () => {
  it('sends text on Enter and shows the sent message', async () => {
    const fetchMock = openChat((init) => sent({ message_id: 2, text: JSON.parse(init?.body as string).text }));
    const box = await screen.findByRole('textbox', { name: 'Message' });
    fireEvent.change(box, { target: { value: 'Yes, it is 👍' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(await screen.findByText('Yes, it is 👍')).toBeTruthy();
    const call = fetchMock.mock.calls.find(([u, i]) => u === SEND && i?.method === 'POST')!;
    expect(JSON.parse(call[1]?.body as string)).toEqual({ kind: 'text', text: 'Yes, it is 👍' });
    await waitFor(() => expect((box as HTMLTextAreaElement).value).toBe(''));
  });

  it('keeps Shift+Enter as a new line, and inserts emoji from the picker', async () => {
    const fetchMock = openChat(() => sent({ message_id: 2, text: 'x' }));
    const box = (await screen.findByRole('textbox', { name: 'Message' })) as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: 'Hello' } });
    fireEvent.keyDown(box, { key: 'Enter', shiftKey: true });
    fireEvent.click(screen.getByRole('button', { name: 'Insert an emoji' }));
    const grid = screen.getByRole('group', { name: 'Emoji' });
    expect(within(grid).getAllByRole('button').length).toBeGreaterThanOrEqual(50);
    fireEvent.click(within(grid).getByRole('button', { name: 'Insert 🚗' }));
    expect(box.value).toBe('Hello🚗');
    expect(fetchMock.mock.calls.some(([u, i]) => u === SEND && i?.method === 'POST')).toBe(false);
  });

  it('shows a 422 under the field it names', async () => {
    openChat(() => jsonResponse(422, { error: { code: 'validation', message: 'Telegram allows at most 4096 characters', field: 'text' } }));
    const box = await screen.findByRole('textbox', { name: 'Message' });
    fireEvent.change(box, { target: { value: 'x'.repeat(10) } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(await screen.findByText('Telegram allows at most 4096 characters')).toBeTruthy();
    expect(box.getAttribute('aria-invalid')).toBe('true');
    expect((box as HTMLTextAreaElement).value).toBe('x'.repeat(10)); // nothing lost
  });

  it('shows clearly that the buyer blocked the bot', async () => {
    openChat(() =>
      jsonResponse(409, { error: { code: 'blocked', message: 'the buyer blocked this bot: the message was not delivered', field: null } }),
    );
    const box = await screen.findByRole('textbox', { name: 'Message' });
    fireEvent.change(box, { target: { value: 'Are you still interested?' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    const alert = await screen.findByText(/the buyer blocked this bot/i);
    expect(alert.closest('.chat-blocked')).toBeTruthy();
    expect(alert.closest('[role="alert"]')?.textContent).toMatch(/not delivered/i);
  });

  it("refuses a photo over Telegram's 10 MB before uploading it", async () => {
    const fetchMock = openChat(() => sent({ message_id: 2, kind: 'photo' }));
    await screen.findByRole('textbox', { name: 'Message' });
    const big = new File(['x'], 'showroom.jpg', { type: 'image/jpeg' });
    Object.defineProperty(big, 'size', { value: 12 * 1024 * 1024 });
    pick('photo', big);
    expect((await screen.findByRole('alert')).textContent).toMatch(/12\.0 MB.*at most 10 MB/);
    expect(screen.queryByRole('button', { name: 'Remove' })).toBeNull();
    expect(fetchMock.mock.calls.some(([u, i]) => u === SEND && i?.method === 'POST')).toBe(false);
  });

  it('uploads a photo to the file store, then replies with it and its caption', async () => {
    const fetchMock = openChat(() => sent({ message_id: 2, kind: 'photo', file_id: 'new', caption: 'Front view' }));
    await screen.findByRole('textbox', { name: 'Message' });
    pick('photo', new File([new Uint8Array([137, 80, 78, 71])], 'car.png', { type: 'image/png' }));
    fireEvent.change(await screen.findByLabelText('Caption'), { target: { value: 'Front view' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(await screen.findByText('Front view')).toBeTruthy();
    const calls = fetchMock.mock.calls.map(([u, i]) => `${i?.method ?? 'GET'} ${u}`);
    const order = ['POST /api/files', `PUT ${BUCKET_URL}`, 'POST /api/files/F1/complete', `POST ${SEND}`].map((c) => calls.indexOf(c));
    expect(order.every((i, n) => i >= 0 && (n === 0 || i > order[n - 1]))).toBe(true);
    const declared = JSON.parse(fetchMock.mock.calls.find(([u]) => u === '/api/files')![1]?.body as string);
    expect(declared).toEqual({ purpose: 'inbox_attachment', file_name: 'car.png', content_type: 'image/png', size: 4 });
    const put = fetchMock.mock.calls.find(([u]) => u === BUCKET_URL)![1];
    expect(put?.headers).toEqual({ 'content-type': 'image/png', 'x-amz-tagging': 'expiry=1d' });
    const reply = JSON.parse(fetchMock.mock.calls.find(([u, i]) => u === SEND && i?.method === 'POST')![1]?.body as string);
    expect(reply).toEqual({ kind: 'photo', caption: 'Front view', upload_id: 'F1' });
  });

  it('shows a file error from the server next to the attachment', async () => {
    openChat(() =>
      jsonResponse(422, {
        error: { code: 'validation', message: 'A voice message must be OGG/Opus, or Telegram shows it as a music file', field: 'upload_id' },
      }),
    );
    await screen.findByRole('textbox', { name: 'Message' });
    pick('sticker', new File([new Uint8Array([1])], 'smile.webp', { type: 'image/webp' }));
    expect(screen.queryByLabelText('Caption')).toBeNull(); // stickers take none
    fireEvent.click(await screen.findByRole('button', { name: 'Send' }));
    expect(await screen.findByText(/must be OGG\/Opus/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Remove' })).toBeTruthy(); // the attachment stays
  });

  it('re-sends a received sticker by its file_id', async () => {
    const fetchMock = openChat(
      () => sent({ message_id: 3, kind: 'sticker', file_id: 'stk1' }),
      [message({ message_id: 2, kind: 'sticker', file_id: 'stk1' })],
    );
    fireEvent.click(await screen.findByRole('button', { name: /send this back/i }));
    await waitFor(() => expect(fetchMock.mock.calls.some(([u, i]) => u === SEND && i?.method === 'POST')).toBe(true));
    const call = fetchMock.mock.calls.find(([u, i]) => u === SEND && i?.method === 'POST')!;
    expect(JSON.parse(call[1]?.body as string)).toEqual({ kind: 'sticker', file_id: 'stk1' });
  });
});
