// The test chat: talk to the saved draft as a buyer would. Each input is one
// POST /api/scenarios/{id}/test carrying the opaque session from the previous
// answer; pending edits are saved first so the test runs what is on screen.
import { ExternalLink, MapPin, Paperclip, Phone, Settings } from 'lucide-react';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, seg } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { mediaName } from './scenario';
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
  const { t } = useTranslation('scenarios');
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
        setError(t('test.notSaved'));
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
    const typed = text.trim();
    if (!typed) return;
    setText('');
    void send('text', typed, typed);
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
        void send('location', TEST_LOCATION, t('test.locationShown', { location: TEST_LOCATION }));
        break;
    }
  };

  return (
    <div className="tc" data-own-undo="true">
      <div className="tc-tools">
        <label className="tc-payload">
          <span className="field-label">{t('test.payload')}</span>
          <input value={payload} onChange={(e) => setPayload(e.target.value)} placeholder={t('test.payloadPlaceholder')} />
        </label>
        <button type="button" className="btn btn-secondary btn-sm" onClick={restart} disabled={busy}>
          {t('test.restart')}
        </button>
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => void send('timer', '', null)} disabled={busy || !started}>
          {t('test.skipDelay')}
        </button>
      </div>
      <div className="tc-log" role="log" aria-label={t('test.messages')} ref={logRef}>
        {entries.length === 0 && <p className="muted small tc-empty">{t('test.empty')}</p>}
        {entries.map((e) =>
          e.who === 'buyer' ? (
            <div key={e.id} className="bubble-row out">
              <div className="bubble">
                <div className="bubble-text">{e.text}</div>
              </div>
            </div>
          ) : e.who === 'event' ? (
            <div key={e.id} className="tc-event">
              <Settings size={12} aria-hidden="true" /> {e.text}
            </div>
          ) : (
            <BotBubble key={e.id} reply={e.reply} onPress={press} disabled={busy} />
          ),
        )}
        {busy && <div className="tc-event">…</div>}
      </div>
      {started && !busy && (
        <div className="tc-status muted small">{waitingAt ? t('test.waitingAt', { node: waitingAt }) : t('test.ended')}</div>
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
            void send('phone', p, t('test.phoneShown', { phone: p }));
          }}
        >
          <label className="field">
            <span className="field-label">{t('test.phoneToShare')}</span>
            <input value={phone} onChange={(e) => setPhone(e.target.value)} inputMode="tel" />
          </label>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary btn-sm" disabled={busy}>
              {t('test.sharePhone')}
            </button>
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => setPhone(null)}>
              {t('common:actions.cancel')}
            </button>
          </div>
        </form>
      )}
      <form className="tc-composer" onSubmit={submit}>
        <input aria-label={t('test.messageAsBuyer')} value={text} onChange={(e) => setText(e.target.value)} placeholder={t('test.typeAsBuyer')} autoComplete="off" />
        <button type="submit" className="btn btn-primary" disabled={busy || !text.trim()}>
          {t('common:actions.send')}
        </button>
      </form>
    </div>
  );
}

function BotBubble({ reply, onPress, disabled }: { reply: TestReply; onPress: (b: TestButton) => void; disabled: boolean }) {
  const { t } = useTranslation('scenarios');
  const buttons = Array.isArray(reply?.buttons) ? reply.buttons : [];
  const text = typeof reply?.text === 'string' ? reply.text : '';
  const reply_kb = reply?.keyboard === 'reply';
  return (
    <div className="bubble-row">
      <div className="bubble">
        {reply?.photo_url && <img className="tc-photo" src={reply.photo_url} alt={t('test.carPhoto')} loading="lazy" />}
        {reply?.media && (
          <div className="tc-media">
            <Paperclip size={14} aria-hidden="true" /> {mediaName(reply.media)}
          </div>
        )}
        {text && <div className="bubble-text">{text}</div>}
        {!text && !reply?.media && !reply?.photo_url && <div className="bubble-text muted">{t('test.emptyMessage')}</div>}
      </div>
      {buttons.length > 0 && (
        <div className={reply_kb ? 'tc-buttons tc-reply-kb' : 'tc-buttons'} aria-label={reply_kb ? t('model.replyKeyboard') : t('test.buttons')} role="group">
          {buttons.map((b, i) =>
            b.kind === 'url' ? (
              isHttpUrl(b.value) ? (
                <a key={i} className="tc-button" href={b.value} target="_blank" rel="noopener noreferrer">
                  {b.label} <ExternalLink size={12} aria-hidden="true" />
                </a>
              ) : (
                <span key={i} className="tc-button is-disabled" title={t('test.notWebLink', { value: b.value })}>
                  {b.label} <ExternalLink size={12} aria-hidden="true" />
                </span>
              )
            ) : (
              <button
                key={i}
                type="button"
                className="tc-button"
                disabled={disabled || !['callback', 'text', 'request_contact', 'request_location'].includes(b.kind)}
                title={b.kind === 'request_contact' ? t('test.sharesPhone') : b.kind === 'request_location' ? t('test.sharesLocation') : undefined}
                onClick={() => onPress(b)}
              >
                {b.kind === 'request_contact' && <Phone size={12} aria-hidden="true" />}
                {b.kind === 'request_location' && <MapPin size={12} aria-hidden="true" />}
                {b.kind === 'request_contact' || b.kind === 'request_location' ? ' ' : ''}
                {b.label}
              </button>
            ),
          )}
        </div>
      )}
    </div>
  );
}
