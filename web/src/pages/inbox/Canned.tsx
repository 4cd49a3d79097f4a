import { useQueryClient } from '@tanstack/react-query';
import { Pencil, Trash2 } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, seg } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { invalidate, useApiQuery } from '../../api/query';
import type { CannedReplyList, CannedReplyView, ConversationView } from '../../api/types';
import { TextAreaField, TextField } from '../../components/Field';
import { EmptyState, ErrorState, FormError, Loading } from '../../components/States';

export const CANNED_PATH = '/api/inbox/canned';

/** The variables a canned reply may use, from the open conversation. */
export function cannedVars(c: ConversationView | undefined): Record<string, string> {
  return { first_name: c?.contact.first_name ?? '', last_name: c?.contact.last_name ?? '', username: c?.contact.username ? `@${c.contact.username}` : '' };
}

/** A canned reply's text with `{first_name}` and the other variables filled in (unknown ones stay as written). */
export function fillCanned(text: string, vars: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? vars[name] : whole));
}

/** The replies whose shortcut starts with what follows `/` (the text is only `/…`). */
export function matchCanned(text: string, replies: CannedReplyView[] | undefined): CannedReplyView[] {
  const m = /^\/(\S*)$/.exec(text);
  if (!m || !replies) return [];
  const typed = m[1].toLowerCase();
  return replies.filter((r) => r.shortcut.startsWith(typed)).slice(0, 8);
}

/** The team's library of canned replies: add, change and delete. */
export function CannedRepliesModal({ canEdit, onClose }: { canEdit: boolean; onClose: () => void }) {
  const { t } = useTranslation('inbox');
  const list = useApiQuery<CannedReplyList>(CANNED_PATH);
  const [editing, setEditing] = useState<CannedReplyView | 'new' | null>(null);
  const [deleteError, setDeleteError] = useState<unknown>(null);
  const client = useQueryClient();

  const remove = async (r: CannedReplyView) => {
    setDeleteError(null);
    try {
      await api<void>(`${CANNED_PATH}/${seg(r.shortcut)}`, { method: 'DELETE' });
      await invalidate(client, CANNED_PATH);
    } catch (e) {
      setDeleteError(e);
    }
  };

  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div className="modal modal-wide" role="dialog" aria-modal="true" aria-labelledby="canned-title" onClick={(e) => e.stopPropagation()}>
        <h2 id="canned-title">{t('canned.title')}</h2>
        <p className="muted small">{t('canned.intro')}</p>
        {editing ? (
          <CannedForm
            reply={editing === 'new' ? null : editing}
            onDone={() => setEditing(null)}
          />
        ) : list.isPending ? (
          <Loading label={t('canned.loading')} />
        ) : list.error || !list.data ? (
          <ErrorState title={t('canned.loadError')} error={list.error} onRetry={() => void list.refetch()} />
        ) : list.data.items.length === 0 ? (
          <EmptyState title={t('canned.empty')}>{t('canned.emptyBody')}</EmptyState>
        ) : (
          <ul className="canned-list">
            {list.data.items.map((r) => (
              <li key={r.shortcut} data-canned={r.shortcut}>
                <div className="canned-main">
                  <strong translate="no">/{r.shortcut}</strong>
                  <span className="canned-text">{r.text}</span>
                </div>
                {canEdit && (
                  <div className="canned-actions">
                    <button type="button" className="btn btn-ghost btn-sm" aria-label={t('canned.edit', { shortcut: r.shortcut })} onClick={() => setEditing(r)}>
                      <Pencil size={16} aria-hidden="true" />
                    </button>
                    <button type="button" className="btn btn-ghost btn-sm" aria-label={t('canned.delete', { shortcut: r.shortcut })} onClick={() => void remove(r)}>
                      <Trash2 size={16} aria-hidden="true" />
                    </button>
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
        {deleteError != null && <FormError error={deleteError} />}
        {!editing && (
          <div className="modal-actions">
            <button type="button" className="btn btn-ghost" onClick={onClose}>
              {t('common:actions.close')}
            </button>
            {canEdit && (
              <button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>
                {t('canned.add')}
              </button>
            )}
          </div>
        )}
      </div>
    </div>
  );
}

function CannedForm({ reply, onDone }: { reply: CannedReplyView | null; onDone: () => void }) {
  const { t } = useTranslation('inbox');
  const client = useQueryClient();
  const [shortcut, setShortcut] = useState(reply?.shortcut ?? '');
  const [text, setText] = useState(reply?.text ?? '');
  const [errors, setErrors] = useState<{ shortcut?: string; text?: string }>({});
  const [general, setGeneral] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems = { shortcut: shortcut.trim() ? undefined : t('canned.shortcutMissing'), text: text.trim() ? undefined : t('canned.textMissing') };
    if (problems.shortcut || problems.text) return setErrors(problems);
    setBusy(true);
    setErrors({});
    setGeneral(null);
    try {
      if (reply) await api(`${CANNED_PATH}/${seg(reply.shortcut)}`, { method: 'PUT', body: { text } });
      else await api(CANNED_PATH, { method: 'POST', body: { shortcut, text } });
      await invalidate(client, CANNED_PATH);
      onDone();
    } catch (err) {
      if (err instanceof ApiError && (err.field === 'shortcut' || err.field === 'text')) setErrors({ [err.field]: errorMessage(err) });
      else setGeneral(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate className="canned-form">
      <FormError error={general} />
      <TextField
        label={t('canned.shortcut')}
        name="shortcut"
        value={shortcut}
        onChange={(e) => setShortcut(e.target.value)}
        error={errors.shortcut}
        hint={t('canned.shortcutHint')}
        disabled={!!reply}
        required
        autoFocus={!reply}
      />
      <TextAreaField
        label={t('canned.text')}
        name="text"
        rows={4}
        value={text}
        onChange={(e) => setText(e.target.value)}
        error={errors.text}
        hint={t('canned.textHint')}
        required
        autoFocus={!!reply}
      />
      <div className="modal-actions">
        <button type="button" className="btn btn-ghost" onClick={onDone} disabled={busy}>
          {t('common:actions.cancel')}
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t('common:actions.saving') : t('common:actions.save')}
        </button>
      </div>
    </form>
  );
}
