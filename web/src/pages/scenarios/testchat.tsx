// The test chat: talk to the saved draft as a buyer would. Each input is one
// POST /api/scenarios/{id}/test carrying the opaque session from the previous
// answer; pending edits are saved first so the test runs what is on screen.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, seg } from '../../api/client';
import { errorMessage } from '../../components/States';
import type { TestButton, TestChatRequest, TestChatResponse, TestInputKind, TestReply } from './types';

export const TEST_PHONE = '+15551234567';
export const TEST_LOCATION = '52.5200,13.4050';

type Entry =
  | { id: number; who: 'buyer'; text: string }
  | { id: number; who: 'bot'; reply: TestReply }
  | { id: number; who: 'event'; text: string };

let entrySeq = 0;

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

export function TestChat({
  scenarioId,
  flush,
  onWaitingAt,
}: {
  scenarioId: string;
  /** Saves pending edits; false when they could not be saved. */
  flush: () => Promise<boolean>;
  onWaitingAt: (node: string | null) => void;
}) {
  const [entries, setEntries] = useState<Entry[]>([]);
  const [session, setSession] = useState<unknown>(null);
  const [started, setStarted] = useState(false);
  const [waitingAt, setWaitingAt] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [payload, setPayload] = useState('');
  const [phone, setPhone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const logRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = logRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [entries]);

  const send = async (kind: TestInputKind, input: string, shown: string | null, fresh = false) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const saved = await flush();
      if (!saved) {
        setError('Your latest changes are not saved yet, so the test would run an older draft. Resolve the save problem first.');
        return;
      }
      const mine: Entry[] = shown ? [{ id: ++entrySeq, who: 'buyer', text: shown }] : [];
      if (fresh) setEntries(mine);
      else if (mine.length) setEntries((e) => [...e, ...mine]);
      const body: TestChatRequest = {
        session: (fresh ? null : session) as TestChatRequest['session'],
        kind,
        text: input,
      };
      const res = await api<TestChatResponse>(`/api/scenarios/${seg(scenarioId)}/test`, { method: 'POST', body });
      const replies = Array.isArray(res?.replies) ? res.replies : [];
      const events = Array.isArray(res?.events) ? res.events : [];
      setSession(res?.session ?? null);
      setStarted(true);
      setEntries((e) => [
        ...e,
        ...replies.map((reply): Entry => ({ id: ++entrySeq, who: 'bot', reply })),
        ...events.map((ev): Entry => ({ id: ++entrySeq, who: 'event', text: String(ev) })),
      ]);
      const at = res?.waiting_at ?? null;
      setWaitingAt(at);
      onWaitingAt(at);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const restart = () => {
    setPhone(null);
    void send('start', payload.trim(), payload.trim() ? `/start ${payload.trim()}` : '/start', true);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const t = text.trim();
    if (!t) return;
    setText('');
    void send('text', t, t);
  };

  const press = (b: TestButton) => {
    switch (b.kind) {
      case 'callback':
        void send('callback', b.value, `[${b.label}]`);
        break;
      case 'text':
        void send('text', b.value || b.label, b.value || b.label);
        break;
      case 'request_contact':
        setPhone(TEST_PHONE);
        break;
      case 'request_location':
        void send('location', TEST_LOCATION, `📍 Location ${TEST_LOCATION}`);
        break;
    }
  };

  return (
    <div className="tc" data-own-undo="true">
      <div className="tc-tools">
        <label className="tc-payload">
          <span className="field-label">Start payload (optional)</span>
          <input value={payload} onChange={(e) => setPayload(e.target.value)} placeholder="e.g. ad42" />
        </label>
        <button type="button" className="btn btn-secondary btn-sm" onClick={restart} disabled={busy}>
          Restart
        </button>
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => void send('timer', '', null)} disabled={busy || !started}>
          Skip delay
        </button>
      </div>
      <div className="tc-log" role="log" aria-label="Test chat messages" ref={logRef}>
        {entries.length === 0 && (
          <p className="muted small tc-empty">
            Press Restart to send /start, or type a message as the buyer. The test runs the saved draft; nothing reaches real buyers.
          </p>
        )}
        {entries.map((e) =>
          e.who === 'buyer' ? (
            <div key={e.id} className="bubble-row out">
              <div className="bubble">
                <div className="bubble-text">{e.text}</div>
              </div>
            </div>
          ) : e.who === 'event' ? (
            <div key={e.id} className="tc-event">
              ⚙ {e.text}
            </div>
          ) : (
            <BotBubble key={e.id} reply={e.reply} onPress={press} disabled={busy} />
          ),
        )}
        {busy && <div className="tc-event">…</div>}
      </div>
      {started && !busy && (
        <div className="tc-status muted small">{waitingAt ? `Waiting for the buyer at ${waitingAt}.` : 'The scenario has ended.'}</div>
      )}
      {error && (
        <div className="form-error" role="alert">
          {error}
        </div>
      )}
      {phone !== null && (
        <form
          className="tc-share"
          onSubmit={(e) => {
            e.preventDefault();
            const p = phone.trim() || TEST_PHONE;
            setPhone(null);
            void send('phone', p, `📞 ${p}`);
          }}
        >
          <label className="field">
            <span className="field-label">Phone number to share</span>
            <input value={phone} onChange={(e) => setPhone(e.target.value)} inputMode="tel" />
          </label>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary btn-sm" disabled={busy}>
              Share phone
            </button>
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => setPhone(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <form className="tc-composer" onSubmit={submit}>
        <input aria-label="Message as buyer" value={text} onChange={(e) => setText(e.target.value)} placeholder="Type as the buyer…" autoComplete="off" />
        <button type="submit" className="btn btn-primary" disabled={busy || !text.trim()}>
          Send
        </button>
      </form>
    </div>
  );
}

function BotBubble({ reply, onPress, disabled }: { reply: TestReply; onPress: (b: TestButton) => void; disabled: boolean }) {
  const buttons = Array.isArray(reply?.buttons) ? reply.buttons : [];
  const text = typeof reply?.text === 'string' ? reply.text : '';
  const reply_kb = reply?.keyboard === 'reply';
  return (
    <div className="bubble-row">
      <div className="bubble">
        {reply?.photo_url && <img className="tc-photo" src={reply.photo_url} alt="Car photo" loading="lazy" />}
        {reply?.media && <div className="tc-media">📎 {reply.media.replace(/_/g, ' ')}</div>}
        {text && <div className="bubble-text">{text}</div>}
        {!text && !reply?.media && !reply?.photo_url && <div className="bubble-text muted">(empty message)</div>}
      </div>
      {buttons.length > 0 && (
        <div className={reply_kb ? 'tc-buttons tc-reply-kb' : 'tc-buttons'} aria-label={reply_kb ? 'Reply keyboard' : 'Buttons'} role="group">
          {buttons.map((b, i) =>
            b.kind === 'url' ? (
              isHttpUrl(b.value) ? (
                <a key={i} className="tc-button" href={b.value} target="_blank" rel="noopener noreferrer">
                  {b.label} ↗
                </a>
              ) : (
                <span key={i} className="tc-button is-disabled" title={`Not a web link: ${b.value}`}>
                  {b.label} ↗
                </span>
              )
            ) : (
              <button
                key={i}
                type="button"
                className="tc-button"
                disabled={disabled || !['callback', 'text', 'request_contact', 'request_location'].includes(b.kind)}
                title={b.kind === 'request_contact' ? 'Shares a test phone number' : b.kind === 'request_location' ? 'Shares a test location' : undefined}
                onClick={() => onPress(b)}
              >
                {b.kind === 'request_contact' ? '📞 ' : b.kind === 'request_location' ? '📍 ' : ''}
                {b.label}
              </button>
            ),
          )}
        </div>
      )}
    </div>
  );
}
