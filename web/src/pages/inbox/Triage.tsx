import { CheckCircle2, Clock, RotateCcw } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, seg } from '../../api/client';
import { errorMessage } from '../../api/errors';
import type { ConversationStatus, ConversationView, MessageView, SetStatusRequest } from '../../api/types';
import { formatDate } from '../../i18n/format';

/** Snooze choices: in an hour, tomorrow at 9:00, next Monday at 9:00 (the browser's clock and zone). */
export function snoozeTimes(now: Date): { key: 'hour' | 'tomorrow' | 'nextWeek'; at: Date }[] {
  const hour = new Date(now.getTime() + 3_600_000);
  const tomorrow = new Date(now);
  tomorrow.setDate(now.getDate() + 1);
  tomorrow.setHours(9, 0, 0, 0);
  const monday = new Date(now);
  monday.setDate(now.getDate() + (((8 - now.getDay()) % 7) || 7));
  monday.setHours(9, 0, 0, 0);
  return [
    { key: 'hour', at: hour },
    { key: 'tomorrow', at: tomorrow },
    { key: 'nextWeek', at: monday },
  ];
}

/** Resolve, reopen or snooze a conversation; shows where it stands. */
export function StatusActions({
  conversation: c,
  canChange,
  onChanged,
  onError,
}: {
  conversation: ConversationView;
  canChange: boolean;
  onChanged: (c: ConversationView) => void;
  onError: (message: string) => void;
}) {
  const { t } = useTranslation('inbox');
  const [busy, setBusy] = useState(false);
  const set = async (status: ConversationStatus, until?: Date) => {
    setBusy(true);
    try {
      const body: SetStatusRequest = { status, snoozed_until: until ? until.toISOString() : null };
      onChanged(await api<ConversationView>(`/api/inbox/conversations/${seg(c.id)}/status`, { method: 'POST', body }));
    } catch (e) {
      onError(t('triage.statusFailed', { error: errorMessage(e) }));
    } finally {
      setBusy(false);
    }
  };
  const badge =
    c.status === 'snoozed' && c.snoozed_until
      ? t('triage.snoozedUntil', { time: formatDate(c.snoozed_until, true) })
      : t(`triage.status.${c.status}`);
  return (
    <div className="chat-status" data-status={c.status}>
      <span className={`status-badge status-${c.status}`}>{badge}</span>
      {canChange &&
        (c.status === 'open' ? (
          <>
            <button type="button" className="btn btn-secondary btn-sm" onClick={() => void set('resolved')} disabled={busy}>
              <CheckCircle2 size={16} aria-hidden="true" /> {t('triage.resolve')}
            </button>
            <select
              aria-label={t('triage.snooze')}
              className="snooze-select"
              value=""
              disabled={busy}
              onChange={(e) => {
                const choice = snoozeTimes(new Date()).find((s) => s.key === e.target.value);
                if (choice) void set('snoozed', choice.at);
              }}
            >
              <option value="">{t('triage.snooze')}</option>
              {snoozeTimes(new Date()).map((s) => (
                <option key={s.key} value={s.key}>
                  {t(`triage.snoozeFor.${s.key}`)}
                </option>
              ))}
            </select>
          </>
        ) : (
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => void set('open')} disabled={busy}>
            {c.status === 'snoozed' ? <Clock size={16} aria-hidden="true" /> : <RotateCcw size={16} aria-hidden="true" />} {t('triage.reopen')}
          </button>
        ))}
    </div>
  );
}

/** A private note for the team: saved in the timeline, never sent to the buyer. */
export function NoteForm({ conversationId, onAdded }: { conversationId: string; onAdded: (m: MessageView) => void }) {
  const { t } = useTranslation('inbox');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (!text.trim()) return setError(t('triage.noteEmpty'));
    setBusy(true);
    setError(null);
    try {
      const m = await api<MessageView>(`/api/inbox/conversations/${seg(conversationId)}/notes`, { method: 'POST', body: { text } });
      setText('');
      onAdded(m);
    } catch (err) {
      setError(err instanceof ApiError ? errorMessage(err) : t('triage.noteFailed', { error: errorMessage(err) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="composer composer-note" onSubmit={(e) => void submit(e)} noValidate>
      <div className="composer-row">
        <div className="composer-text">
          <textarea
            rows={2}
            aria-label={t('triage.note')}
            placeholder={t('triage.notePlaceholder')}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setError(null);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
                e.preventDefault();
                void submit();
              }
            }}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'note-error' : undefined}
          />
          {error && (
            <span className="field-error" id="note-error" role="alert">
              {error}
            </span>
          )}
        </div>
        <button type="submit" className="btn btn-primary" disabled={busy || !text.trim()}>
          {busy ? t('common:actions.saving') : t('triage.addNote')}
        </button>
      </div>
    </form>
  );
}
