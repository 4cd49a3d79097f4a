import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api, seg } from '../../api/client';
import { invalidate, keyOf, useApiQuery } from '../../api/query';
import type { EditPostedRequest, ListingView, PostView } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { TextAreaField } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorState, FormError, Loading } from '../../components/States';
import { formatDate } from '../../i18n/format';
import { ContentPreview } from '../campaigns/MessagePreview';
import { MAX_CAPTION, MAX_TEXT } from '../campaigns/campaign';
import { listingTitle } from '../inventory/listing';
import { calendarZone, canPublish, instantOfPost, isDay, isEditable, isOut, wallAt } from './calendar';
import { ConflictNote, DstNote, postPage, postPath, PostStatusBadge, PostTimes, StatusHelp, useChannels } from './parts';
import { PostForm } from './PostForm';

/** How often the page asks for the post: while it is being sent, and now and then while it waits for its time. */
function pollEvery(p: PostView | undefined): number | false {
  if (p?.status === 'publishing') return 2000;
  if (p?.status === 'scheduled') return 30_000;
  return false;
}

/** Back to the calendar, at the post's day. */
function calendarAt(p: PostView | null): string {
  const ms = p ? instantOfPost(p) : null;
  return ms === null ? '/calendar' : `/calendar?date=${wallAt(ms, calendarZone()).date}`;
}

/**
 * `/calendar/new` (`?car=`, `?template=`, `?date=`, `?channel=`) and
 * `/calendar/posts/:id`: the form while the post can change (draft,
 * scheduled), what became of it afterwards.
 */
export function PostPage({ id, canEdit }: { id: string; canEdit: boolean }) {
  const { t } = useTranslation('calendar');
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const isNew = id === 'new';
  // The post this page has just created: its form stays on screen (with what
  // saving said) while the address becomes the post's own.
  const [created, setCreated] = useState<{ id: string; key: string } | null>(null);
  const [round, setRound] = useState(0);
  const [prevId, setPrevId] = useState(id);
  if (id !== prevId) {
    setPrevId(id);
    if (isNew) {
      setRound((r) => r + 1);
      setCreated(null);
    }
  }
  const justCreated = created && created.id === id ? created : null;
  const remote = useApiQuery<PostView>(isNew ? null : postPath(id), { refetchInterval: (q) => pollEvery(q.state.data) });
  const post = remote.data && remote.data.id === id ? remote.data : null;
  const back = (
    <Link to={calendarAt(post)} className="btn btn-secondary">
      {t('backToCalendar')}
    </Link>
  );
  const toCalendar = () => navigate(calendarAt(post), { replace: true });

  if (isNew) {
    if (!canEdit) {
      return (
        <>
          <PageHeader title={t('form.newTitle')} actions={back} />
          <EmptyState title={t('onlyManagers')}>{t('onlyManagersBody')}</EmptyState>
        </>
      );
    }
    const key = `new-${round}`;
    const date = params.get('date');
    return (
      <>
        <PageHeader title={t('form.newTitle')} subtitle={t('form.newSubtitle')} actions={back} />
        <PostForm
          key={key}
          initial={null}
          prefill={{ car: params.get('car'), template: params.get('template'), channel: params.get('channel'), date: isDay(date) ? date : null }}
          onCreated={(p) => {
            setCreated({ id: p.id, key });
            navigate(postPage(p.id), { replace: true });
          }}
          onDeleted={toCalendar}
        />
      </>
    );
  }

  if (!post) {
    return (
      <>
        <PageHeader title={t('post')} actions={back} />
        {remote.error ? <ErrorState title={t('loadOneError')} error={remote.error} onRetry={() => void remote.refetch()} extra={back} /> : <Loading label={t('loadingOne')} />}
      </>
    );
  }

  const header = <PageHeader title={post.channel_title || t('post')} subtitle={<PostStatusBadge status={post.status} />} actions={back} />;
  if (isEditable(post.status) && canEdit) {
    return (
      <>
        {header}
        <PostForm key={justCreated ? justCreated.key : `editor-${id}`} initial={post} onCreated={() => undefined} onDeleted={toCalendar} />
      </>
    );
  }
  return (
    <>
      {header}
      <PostDetails post={post} canEdit={canEdit} onDeleted={toCalendar} />
    </>
  );
}

/** A post that went out (or failed, or is being sent), read-only, with what may still be done to it in the channel. */
function PostDetails({ post, canEdit, onDeleted }: { post: PostView; canEdit: boolean; onDeleted: () => void }) {
  const { t } = useTranslation('calendar');
  const client = useQueryClient();
  const channels = useChannels();
  const channel = channels.data?.items.find((c) => c.id === post.channel_id);
  const rights = channel?.rights;
  const car = useApiQuery<ListingView>(post.car_id ? `/api/inventory/${seg(post.car_id)}` : null, { retry: false });
  const [busy, setBusy] = useState<'publish' | 'pin' | 'edit' | 'delete' | null>(null);
  const [confirm, setConfirm] = useState<'publish' | 'delete' | null>(null);
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(post.content.text ?? '');
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const remember = (p: PostView) => {
    client.setQueryData(keyOf(postPath(p.id)), p);
    void invalidate(client, '/api/posts', { exact: true });
  };

  const act = async (kind: 'publish' | 'pin' | 'edit', done: string) => {
    setBusy(kind);
    setError(null);
    setNotice(null);
    try {
      const body: EditPostedRequest | undefined = kind === 'edit' ? { text } : undefined;
      const p = await api<PostView>(`${postPath(post.id)}/${kind}`, { method: 'POST', body });
      remember(p);
      setNotice(done);
      if (kind === 'edit') setEditing(false);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
      setConfirm(null);
    }
  };

  const remove = async () => {
    setBusy('delete');
    setError(null);
    try {
      await api<void>(postPath(post.id), { method: 'DELETE' });
      client.removeQueries({ queryKey: keyOf(postPath(post.id)) });
      void invalidate(client, '/api/posts', { exact: true });
      onDeleted();
    } catch (e) {
      // Older than 48 hours, Telegram does not let the bot delete it: the server says so.
      setError(e);
      setBusy(null);
      setConfirm(null);
    }
  };

  const limit = (post.content.media ?? []).length > 0 ? MAX_CAPTION : MAX_TEXT;
  const out = isOut(post.status);

  return (
    <>
      <section className="card post-details">
        <StatusHelp post={post} />
        {post.status === 'publishing' && (
          <p className="muted small" role="status">
            {t('publishingNow')}
          </p>
        )}
        <FormError error={error} />
        {notice && (
          <div className="notice notice-ok" role="status">
            {notice}
          </div>
        )}
        {post.sold_action && <p className="notice notice-warn">{t(`sold.${post.sold_action}`)}</p>}
        <ConflictNote post={post} />
        <DstNote post={post} />
        <dl className="facts campaign-facts">
          <dt>{post.posted_at ? t('facts.scheduledFor') : t('facts.when')}</dt>
          <dd>
            <PostTimes post={post} />
          </dd>
          {post.posted_at && (
            <>
              <dt>{t('facts.postedAt')}</dt>
              <dd>{formatDate(post.posted_at, true)}</dd>
            </>
          )}
          <dt>{t('facts.channel')}</dt>
          <dd>{post.channel_title ?? post.channel_id}</dd>
          {post.car_id && (
            <>
              <dt>{t('facts.car')}</dt>
              <dd>
                <Link to={`/inventory/${encodeURIComponent(post.car_id)}`}>
                  {car.data ? `${listingTitle(car.data)} ${car.data.year}` : t('facts.openCar')}
                </Link>
              </dd>
            </>
          )}
          {post.auto_delete_hours ? (
            <>
              <dt>{t('facts.autoDelete')}</dt>
              <dd>
                {post.auto_delete_at
                  ? t('facts.autoDeleteAt', { date: formatDate(post.auto_delete_at, true), count: post.auto_delete_hours })
                  : t('facts.autoDeleteAfter', { count: post.auto_delete_hours })}
              </dd>
            </>
          ) : null}
          {post.pinned && (
            <>
              <dt>{t('facts.pinned')}</dt>
              <dd>{t('facts.pinnedYes')}</dd>
            </>
          )}
          <dt>{t('facts.createdBy')}</dt>
          <dd className="break">{post.created_by}</dd>
        </dl>
        {canEdit && (
          <div className="campaign-actions">
            {canPublish(post.status) && (
              <button type="button" className="btn btn-primary" onClick={() => setConfirm('publish')} disabled={busy !== null}>
                {t('actions.publishNow')}
              </button>
            )}
            {out && !editing && (
              <button type="button" className="btn btn-secondary" onClick={() => setEditing(true)} disabled={busy !== null || rights?.edit === false} title={rights?.edit === false ? t('rights.cannot.edit') : undefined}>
                {t('actions.editText')}
              </button>
            )}
            {out && !post.pinned && (
              <button
                type="button"
                className="btn btn-secondary"
                onClick={() => void act('pin', t('pinned'))}
                disabled={busy !== null || rights?.pin === false}
                title={rights?.pin === false ? t('rights.cannot.pin') : undefined}
              >
                {busy === 'pin' ? t('common:states.working') : t('actions.pin')}
              </button>
            )}
            {post.status !== 'publishing' && (
              <button type="button" className="btn btn-ghost btn-danger-text" onClick={() => setConfirm('delete')} disabled={busy !== null}>
                {out ? t('actions.deleteFromChannel') : t('actions.delete')}
              </button>
            )}
          </div>
        )}
      </section>
      {editing && (
        <form
          className="card post-edit"
          onSubmit={(e) => {
            e.preventDefault();
            void act('edit', t('edited'));
          }}
        >
          <TextAreaField
            label={(post.content.media ?? []).length > 0 ? t('campaigns:fields.caption') : t('campaigns:fields.text')}
            value={text}
            rows={6}
            maxLength={limit}
            onChange={(e) => setText(e.target.value)}
            hint={t('editHint')}
          />
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={busy !== null}>
              {busy === 'edit' ? t('common:actions.saving') : t('actions.saveInTelegram')}
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => setEditing(false)} disabled={busy !== null}>
              {t('common:actions.cancel')}
            </button>
          </div>
        </form>
      )}
      <section className="card campaign-preview" aria-label={t('preview')}>
        <h2>{t('preview')}</h2>
        <ContentPreview content={post.content} />
      </section>

      {confirm === 'publish' && (
        <ConfirmDialog
          title={t('confirmPublish.title')}
          confirmLabel={t('actions.publishNow')}
          busy={busy === 'publish'}
          onConfirm={() => void act('publish', t('published'))}
          onCancel={() => setConfirm(null)}
        >
          <p>{t('confirmPublish.body', { channel: post.channel_title ?? String(post.channel_id) })}</p>
        </ConfirmDialog>
      )}
      {confirm === 'delete' && (
        <ConfirmDialog title={t('confirmDelete.title')} confirmLabel={out ? t('actions.deleteFromChannel') : t('actions.delete')} busy={busy === 'delete'} onConfirm={() => void remove()} onCancel={() => setConfirm(null)}>
          <p>{out ? t('confirmDelete.posted') : post.status === 'unknown' ? t('confirmDelete.unknown') : post.status === 'deleted' ? t('confirmDelete.record') : t('confirmDelete.notPosted')}</p>
          {out && rights?.delete === false && <p className="notice notice-warn">{t('rights.cannot.delete')}</p>}
        </ConfirmDialog>
      )}
    </>
  );
}
