import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, ApiError, seg } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { invalidate, keyOf } from '../../api/query';
import type { PostTemplateList, PostTemplateRequest, PostTemplateView } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { TextField } from '../../components/Field';
import { EmptyState, ErrorState, FormError, Loading } from '../../components/States';
import { formatDate } from '../../i18n/format';
import { toContent, toContentDraft, type ContentDraft, type MediaItem } from '../campaigns/campaign';
import { ContentEditor } from '../campaigns/ContentEditor';
import { MAX_TEMPLATE_NAME } from './calendar';
import { TEMPLATES_PATH, useTemplates } from './parts';
import { postErrorSlot, postFieldError } from './post';
import { useCarVariables } from './PostForm';

type Errors = Record<string, string | undefined>;

/** `/calendar/templates`: the workspace's post templates (text with the car's variables, media, buttons). */
export function TemplatesTab({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation('calendar');
  const client = useQueryClient();
  const templates = useTemplates();
  const [editing, setEditing] = useState<PostTemplateView | 'new' | null>(null);
  const [pending, setPending] = useState<PostTemplateView | null>(null);
  const [removing, setRemoving] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const list = templates.data?.items ?? [];

  const setList = (items: PostTemplateView[]) => {
    client.setQueryData<PostTemplateList>(keyOf(TEMPLATES_PATH), { items });
    void invalidate(client, TEMPLATES_PATH, { exact: true });
  };

  const remove = async () => {
    if (!pending) return;
    setRemoving(true);
    setActionError(null);
    try {
      await api<void>(`${TEMPLATES_PATH}/${seg(pending.id)}`, { method: 'DELETE' });
      setList(list.filter((x) => x.id !== pending.id));
      if (editing !== 'new' && editing?.id === pending.id) setEditing(null);
    } catch (e) {
      setActionError(t('templates.deleteFailed', { name: pending.name, error: errorMessage(e) }));
    } finally {
      setRemoving(false);
      setPending(null);
    }
  };

  const newButton = (
    <button
      type="button"
      className="btn btn-primary btn-sm"
      onClick={() => {
        setEditing('new');
        setNotice(null);
      }}
    >
      {t('templates.new')}
    </button>
  );

  return (
    <>
      {editing && (
        <TemplateForm
          key={editing === 'new' ? 'new' : editing.id}
          initial={editing === 'new' ? null : editing}
          onSaved={(tpl) => {
            setList(list.some((x) => x.id === tpl.id) ? list.map((x) => (x.id === tpl.id ? tpl : x)) : [...list, tpl]);
            setEditing(null);
            setNotice(t('templates.saved', { name: tpl.name }));
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      <section className="card" aria-labelledby="templates-title">
        <div className="card-header">
          <h2 id="templates-title">{t('templates.title')}</h2>
          {canEdit && !editing && list.length > 0 && newButton}
        </div>
        <p className="muted small">{t('templates.intro')}</p>
        <FormError error={actionError} />
        {notice && (
          <div className="notice notice-ok" role="status">
            {notice}
          </div>
        )}
        {templates.data ? (
          list.length === 0 ? (
            <EmptyState title={t('templates.empty')}>
              <p>{t('templates.emptyBody')}</p>
              {canEdit && !editing && newButton}
            </EmptyState>
          ) : (
            <ul className="template-list">
              {list.map((x) => (
                <li key={x.id} className="template-row" data-template={x.name}>
                  <div className="template-main">
                    <strong className="break">{x.name}</strong>
                    {x.content.text && <p className="template-text">{x.content.text}</p>}
                    <span className="muted small">
                      {t('templates.summary', { media: (x.content.media ?? []).length, buttons: (x.content.buttons ?? []).length, date: formatDate(x.updated_at) })}
                    </span>
                  </div>
                  {canEdit && (
                    <div className="template-actions">
                      <Link to={`/calendar/new?template=${encodeURIComponent(x.id)}`} className="btn btn-secondary btn-sm">
                        {t('templates.use')}
                      </Link>
                      <button type="button" className="btn btn-ghost btn-sm" onClick={() => setEditing(x)} aria-label={t('templates.editName', { name: x.name })}>
                        {t('common:actions.edit')}
                      </button>
                      <button type="button" className="btn btn-ghost btn-sm btn-danger-text" onClick={() => setPending(x)} aria-label={t('templates.deleteName', { name: x.name })}>
                        {t('common:actions.delete')}
                      </button>
                    </div>
                  )}
                </li>
              ))}
            </ul>
          )
        ) : templates.error ? (
          <ErrorState title={t('templates.loadError')} error={templates.error} onRetry={() => void templates.refetch()} />
        ) : (
          <Loading label={t('templates.loading')} />
        )}
      </section>
      {pending && (
        <ConfirmDialog
          title={t('templates.deleteTitle', { name: pending.name })}
          confirmLabel={t('common:actions.delete')}
          busy={removing}
          onConfirm={() => void remove()}
          onCancel={() => setPending(null)}
        >
          <p>{t('templates.deleteBody')}</p>
        </ConfirmDialog>
      )}
    </>
  );
}

function TemplateForm({ initial, onSaved, onCancel }: { initial: PostTemplateView | null; onSaved: (t: PostTemplateView) => void; onCancel: () => void }) {
  const { t } = useTranslation('calendar');
  const variables = useCarVariables();
  const [name, setName] = useState(initial?.name ?? '');
  const [content, setContent] = useState<ContentDraft>(() => toContentDraft(initial?.content));
  const [errors, setErrors] = useState<Errors>({});
  const [general, setGeneral] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const [focusError, setFocusError] = useState(0);
  useEffect(() => {
    if (focusError) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusError]);
  useEffect(() => {
    formRef.current?.scrollIntoView?.({ block: 'start' });
  }, []);

  const updateMedia = (fn: (m: MediaItem[]) => MediaItem[]) => setContent((c) => ({ ...c, media: fn(c.media) }));
  const fail = (next: Errors) => {
    setErrors(next);
    setGeneral(t('checkMarked'));
    setFocusError((n) => n + 1);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setGeneral(null);
    if (content.media.some((m) => m.status === 'uploading')) {
      setGeneral(t('campaigns:waitForUploads'));
      return;
    }
    if (content.media.some((m) => m.status === 'failed')) return fail({ media: t('campaigns:removeFailed') });
    if (!name.trim()) return fail({ name: t('templates.errors.name') });
    setErrors({});
    setBusy(true);
    const body: PostTemplateRequest = { name: name.trim(), content: toContent(content) };
    try {
      const saved = initial
        ? await api<PostTemplateView>(`${TEMPLATES_PATH}/${seg(initial.id)}`, { method: 'PUT', body })
        : await api<PostTemplateView>(TEMPLATES_PATH, { method: 'POST', body });
      onSaved(saved);
    } catch (err) {
      const slot = err instanceof ApiError && err.status === 422 ? postErrorSlot(err.field, content) : null;
      if (slot && err instanceof ApiError) fail({ [slot]: postFieldError(err, slot) });
      else setGeneral(err);
      setBusy(false);
    }
  };

  const uploading = content.media.some((m) => m.status === 'uploading');
  return (
    <form ref={formRef} className="card campaign-composer template-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="template-form-title">
      <h2 id="template-form-title">{initial ? t('templates.editTitle', { name: initial.name }) : t('templates.newTitle')}</h2>
      <FormError error={general} />
      <TextField
        label={t('templates.name')}
        value={name}
        maxLength={MAX_TEMPLATE_NAME}
        onChange={(e) => setName(e.target.value)}
        error={errors.name}
        hint={t('templates.nameHint')}
        required
      />
      <ContentEditor
        value={content}
        onChange={(p) => setContent((c) => ({ ...c, ...p }))}
        updateMedia={updateMedia}
        errors={errors}
        variables={variables}
        variablesHint={t('variables.hint')}
      />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy || uploading}>
          {busy ? t('common:actions.saving') : t('templates.save')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onCancel} disabled={busy}>
          {t('common:actions.cancel')}
        </button>
      </div>
    </form>
  );
}
