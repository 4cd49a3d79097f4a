import { useQueryClient } from '@tanstack/react-query';
import { useDeferredValue, useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, ApiError, seg } from '../../api/client';
import { invalidate, keyOf, useApiQuery } from '../../api/query';
import type { ChannelView, ListingPage, ListingView, PostView } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { SelectField, TextField } from '../../components/Field';
import { FormError } from '../../components/States';
import { formatMoney } from '../../i18n/format';
import type { MediaItem } from '../campaigns/campaign';
import { ContentEditor } from '../campaigns/ContentEditor';
import { ZoneField } from '../campaigns/ScheduleField';
import { listingTitle } from '../inventory/listing';
import { calendarZone, CAR_VARIABLES, formatSlotTime, formatWhen, instantOf, instantOfPost, MAX_AUTO_DELETE_HOURS, today, wallAt, zoneName } from './calendar';
import { checkPost, fromTemplate, postErrorSlot, postFieldError, toPostDraft, toPostRequest, withTemplate, type PostDraft, type Prefill } from './post';
import { channelName, CHANNELS_PATH, ConflictNote, DstNote, postPath, PostTimes, StatusHelp, useChannels, useTemplates } from './parts';

type Errors = Record<string, string | undefined>;

/** The car variables' chips, in the user's words. */
export function useCarVariables() {
  const { t } = useTranslation('calendar');
  return useMemo(() => CAR_VARIABLES.map((name) => ({ name, label: t(`variables.${name}`) })), [t]);
}

/**
 * A draft or scheduled post: channel, car, template, content, when (a
 * wall-clock time in an explicit zone) and an optional delete after some
 * hours. After a save, what the server noticed shows at the top: a post
 * too close to another one in the channel, a time the clocks skip.
 */
export function PostForm({
  initial,
  prefill,
  onCreated,
  onDeleted,
}: {
  initial: PostView | null;
  prefill?: Prefill & { template?: string | null };
  onCreated: (p: PostView) => void;
  onDeleted: () => void;
}) {
  const { t } = useTranslation('calendar');
  const client = useQueryClient();
  const zone = calendarZone();
  const [saved, setSaved] = useState<PostView | null>(initial);
  const [draft, setDraft] = useState<PostDraft>(() => toPostDraft(initial, zone, today(zone), prefill));
  const [errors, setErrors] = useState<Errors>({});
  const [general, setGeneral] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<'save' | 'publish' | 'delete' | null>(null);
  const [confirm, setConfirm] = useState<'publish' | 'delete' | null>(null);
  const channels = useChannels();
  const templates = useTemplates();
  const variables = useCarVariables();
  const formRef = useRef<HTMLFormElement>(null);
  const [focusError, setFocusError] = useState(0);
  useEffect(() => {
    if (focusError) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusError]);

  // A template named in the address (`?template=`) is copied in once the templates are known.
  const [templateAsked, setTemplateAsked] = useState(prefill?.template ?? null);
  if (templateAsked && templates.data) {
    const tpl = templates.data.items.find((x) => x.id === templateAsked) ?? null;
    setTemplateAsked(null);
    if (tpl) setDraft((d) => withTemplate(d, tpl));
  }
  // With one channel, it is the one.
  const onlyChannel = channels.data?.items.length === 1 ? String(channels.data.items[0].id) : null;
  if (!saved && !draft.channelId && onlyChannel) setDraft((d) => ({ ...d, channelId: onlyChannel }));

  const channelList = channels.data?.items ?? [];
  const chosen = channelList.find((c) => String(c.id) === draft.channelId);

  const change = (p: Partial<PostDraft>) => {
    setDraft((d) => ({ ...d, ...p }));
    setNotice(null);
  };
  const updateMedia = (fn: (m: MediaItem[]) => MediaItem[]) => setDraft((d) => ({ ...d, media: fn(d.media) }));

  const remember = (p: PostView) => {
    setSaved(p);
    client.setQueryData(keyOf(postPath(p.id)), p);
    void invalidate(client, '/api/posts', { exact: true });
    // A post may have taken one of its channel's free slots.
    void invalidate(client, CHANNELS_PATH, { exact: true });
  };

  const showErrors = (next: Errors) => {
    setErrors(next);
    setGeneral(t('checkMarked'));
    setFocusError((n) => n + 1);
  };

  /** Saves the form as it is; the saved post, or null when it was refused (the errors are shown). */
  const save = async (): Promise<PostView | null> => {
    setGeneral(null);
    setNotice(null);
    if (draft.media.some((m) => m.status === 'uploading')) {
      setGeneral(t('campaigns:waitForUploads'));
      return null;
    }
    if (draft.media.some((m) => m.status === 'failed')) {
      showErrors({ media: t('campaigns:removeFailed') });
      return null;
    }
    const problems = checkPost(draft);
    // The next free slot needs a channel with posting slots.
    if (draft.when === 'queue' && !problems.channel && !chosen?.slots.length) problems.queue = t('form.queueNoSlots');
    if (Object.keys(problems).length) {
      showErrors(problems);
      return null;
    }
    setErrors({});
    const body = toPostRequest(draft);
    try {
      const p = saved ? await api<PostView>(postPath(saved.id), { method: 'PUT', body }) : await api<PostView>('/api/posts', { method: 'POST', body });
      remember(p);
      // The form shows what goes out: a template filled with the car's details, the car's photos when the post had none.
      setDraft(toPostDraft(p, zone, today(zone)));
      if (!saved) onCreated(p);
      return p;
    } catch (e) {
      const slot = e instanceof ApiError && e.status === 422 ? postErrorSlot(e.field, draft) : null;
      if (slot && e instanceof ApiError) showErrors({ [slot]: postFieldError(e, slot) });
      else setGeneral(e);
      return null;
    }
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy('save');
    const p = await save();
    setBusy(null);
    const at = p ? instantOfPost(p) : null;
    if (p) setNotice(p.send_at && at !== null ? t('form.scheduledFor', { when: formatWhen(at, p.time_zone), zone: zoneName(p.time_zone) }) : t('form.savedDraft'));
  };

  const askToPublish = async () => {
    setBusy('publish');
    const p = await save();
    setBusy(null);
    if (p) setConfirm('publish');
  };

  const publish = async () => {
    if (!saved) return;
    setBusy('publish');
    try {
      const p = await api<PostView>(`${postPath(saved.id)}/publish`, { method: 'POST' });
      // The page shows the post as it went out (its cached answer says so).
      remember(p);
    } catch (e) {
      setGeneral(e);
    } finally {
      setConfirm(null);
      setBusy(null);
    }
  };

  const remove = async () => {
    if (!saved) return;
    setBusy('delete');
    try {
      await api<void>(postPath(saved.id), { method: 'DELETE' });
      client.removeQueries({ queryKey: keyOf(postPath(saved.id)) });
      void invalidate(client, '/api/posts', { exact: true });
      onDeleted();
    } catch (e) {
      setConfirm(null);
      setGeneral(e);
      setBusy(null);
    }
  };

  const uploading = draft.media.some((m) => m.status === 'uploading');
  const usingTemplate = fromTemplate(draft);
  const templateHint = !draft.templateId
    ? t('form.templateHint')
    : usingTemplate
      ? draft.carId
        ? t('form.templateFills')
        : t('form.templateNoCar')
      : t('form.templateChanged');

  return (
    <form ref={formRef} className="post-form campaign-composer" onSubmit={(e) => void onSubmit(e)} noValidate aria-label={saved ? t('form.editTitle') : t('form.newTitle')}>
      {saved && (
        <section className="card post-saved" aria-label={t('form.savedTitle')}>
          <dl className="facts campaign-facts">
            <dt>{t('facts.when')}</dt>
            <dd>
              <PostTimes post={saved} />
            </dd>
          </dl>
          <StatusHelp post={saved} />
          <ConflictNote post={saved} />
          <DstNote post={saved} />
        </section>
      )}
      <FormError error={general} />
      {notice && (
        <div className="notice notice-ok" role="status">
          {notice}
        </div>
      )}

      <section className="card" aria-labelledby="post-where-title">
        <h2 id="post-where-title">{t('form.where')}</h2>
        <div className="form-row">
          <SelectField
            grow
            label={t('form.channel')}
            value={draft.channelId}
            onChange={(e) => {
              const next = channelList.find((c) => String(c.id) === e.target.value);
              // A channel without posting slots has no next free slot: its date and time is the choice.
              change({ channelId: e.target.value, ...(draft.when === 'queue' && next && !next.slots.length ? { when: 'schedule' as const } : {}) });
            }}
            error={errors.channel}
            required
            hint={chosen && chosen.rights.post === false ? t('form.cannotPost') : undefined}
          >
            <option value="">{channels.isPending ? t('common:states.loading') : t('form.chooseChannel')}</option>
            {channelList.map((c) => (
              <option key={c.id} value={String(c.id)}>
                {channelName(c)}
              </option>
            ))}
            {draft.channelId && !chosen && channels.data && <option value={draft.channelId}>{saved?.channel_title ?? draft.channelId}</option>}
          </SelectField>
        </div>
        {channels.data && channelList.length === 0 && (
          <p className="notice notice-warn">
            {t('form.noChannels')} <Link to="/calendar/channels">{t('form.connectChannel')}</Link>
          </p>
        )}
        {/* A saved post's car cannot change (the server refuses): a new post is made for another car. */}
        <CarField carId={draft.carId} locked={!!saved} onChange={(carId) => change({ carId })} error={errors.car} />
      </section>

      <section className="card" aria-labelledby="post-content-title">
        <h2 id="post-content-title">{t('form.content')}</h2>
        <SelectField
          label={t('form.template')}
          value={draft.templateId}
          onChange={(e) => {
            const tpl = templates.data?.items.find((x) => x.id === e.target.value) ?? null;
            setDraft((d) => withTemplate(d, tpl));
            setNotice(null);
          }}
          error={errors.template}
          hint={templateHint}
        >
          <option value="">{templates.isPending ? t('common:states.loading') : t('form.noTemplate')}</option>
          {(templates.data?.items ?? []).map((x) => (
            <option key={x.id} value={x.id}>
              {x.name}
            </option>
          ))}
        </SelectField>
        <ContentEditor value={draft} onChange={change} updateMedia={updateMedia} errors={errors} variables={variables} variablesHint={t('variables.hint')} />
      </section>

      <section className="card" aria-labelledby="post-when-title">
        <h2 id="post-when-title">{t('form.when')}</h2>
        <WhenFields draft={draft} onChange={change} errors={errors} channel={chosen} />
      </section>

      <div className="campaign-actions">
        <button type="submit" className={draft.when === 'draft' ? 'btn btn-secondary' : 'btn btn-primary'} disabled={busy !== null || uploading}>
          {busy === 'save'
            ? t('common:actions.saving')
            : draft.when === 'schedule'
              ? t('actions.schedule')
              : draft.when === 'queue'
                ? t('actions.queue')
                : t('actions.saveDraft')}
        </button>
        <button type="button" className="btn btn-secondary" onClick={() => void askToPublish()} disabled={busy !== null || uploading}>
          {t('actions.publishNow')}
        </button>
        {saved && (
          <button type="button" className="btn btn-ghost btn-danger-text" onClick={() => setConfirm('delete')} disabled={busy !== null}>
            {t('actions.delete')}
          </button>
        )}
      </div>

      {confirm === 'publish' && saved && (
        <ConfirmDialog
          title={t('confirmPublish.title')}
          confirmLabel={t('actions.publishNow')}
          busy={busy === 'publish'}
          onConfirm={() => void publish()}
          onCancel={() => setConfirm(null)}
        >
          <p>{t('confirmPublish.body', { channel: saved.channel_title ?? (chosen ? channelName(chosen) : String(saved.channel_id)) })}</p>
        </ConfirmDialog>
      )}
      {confirm === 'delete' && saved && (
        <ConfirmDialog title={t('confirmDelete.title')} confirmLabel={t('actions.delete')} busy={busy === 'delete'} onConfirm={() => void remove()} onCancel={() => setConfirm(null)}>
          <p>{t('confirmDelete.notPosted')}</p>
        </ConfirmDialog>
      )}
    </form>
  );
}

/**
 * Draft, a date and time in a zone (the same moment in the calendar's zone
 * when that reads otherwise), or the channel's next free posting slot
 * (offered when the channel has slots); delete after some hours.
 */
function WhenFields({ draft, onChange, errors, channel }: { draft: PostDraft; onChange: (p: Partial<PostDraft>) => void; errors: Errors; channel?: ChannelView }) {
  const { t } = useTranslation('calendar');
  const name = useId();
  const queueHint = `${name}-queue`;
  const hasSlots = !!channel?.slots.length;
  const nextSlot = hasSlots && channel?.slot_time_zone ? channel.next_slots[0] : undefined;
  const shown = calendarZone();
  const ms = draft.when === 'schedule' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(draft.sendAt) ? instantOf(draft.sendAt, draft.timeZone) : NaN;
  const elsewhere = !Number.isNaN(ms) && shown !== draft.timeZone && (() => {
    const a = wallAt(ms, shown);
    const b = wallAt(ms, draft.timeZone);
    return a.date !== b.date || a.time !== b.time;
  })();
  return (
    <>
      <fieldset className="campaign-when">
        <legend className="field-label">{t('form.whenLegend')}</legend>
        <label className="campaign-check">
          <input type="radio" name={name} checked={draft.when === 'schedule'} onChange={() => onChange({ when: 'schedule' })} /> {t('form.atTime')}
        </label>
        <label className="campaign-check">
          <input
            type="radio"
            name={name}
            checked={draft.when === 'queue'}
            disabled={!hasSlots}
            onChange={() => onChange({ when: 'queue' })}
            aria-describedby={queueHint}
            aria-invalid={errors.queue ? true : undefined}
          />{' '}
          {t('form.nextSlot')}
        </label>
        <label className="campaign-check">
          <input type="radio" name={name} checked={draft.when === 'draft'} onChange={() => onChange({ when: 'draft' })} /> {t('form.asDraft')}
        </label>
        <p className="muted small" id={queueHint}>
          {!channel ? (
            t('form.queueChooseChannel')
          ) : !hasSlots ? (
            <>
              {t('form.queueNoSlots')} <Link to="/calendar/channels">{t('form.addSlots')}</Link>
            </>
          ) : draft.when !== 'queue' ? (
            t('form.queueHint')
          ) : nextSlot && channel.slot_time_zone ? (
            t('form.queueNext', { when: formatSlotTime(Date.parse(nextSlot.at), channel.slot_time_zone), zone: zoneName(channel.slot_time_zone) })
          ) : (
            t('form.queueFull')
          )}
        </p>
        {errors.queue && <p className="field-error">{errors.queue}</p>}
      </fieldset>
      {draft.when === 'draft' && <p className="muted small">{t('form.draftHint')}</p>}
      {draft.when === 'schedule' && (
        <div className="form-row campaign-when-row">
          <TextField
            label={t('form.sendAt')}
            type="datetime-local"
            value={draft.sendAt}
            onChange={(e) => onChange({ sendAt: e.target.value })}
            error={errors.sendAt}
            hint={elsewhere ? t('form.inCalendarZone', { when: formatWhen(ms, shown), zone: zoneName(shown) }) : undefined}
            required
          />
          <ZoneField value={draft.timeZone} onChange={(timeZone) => onChange({ timeZone })} error={errors.timeZone} />
        </div>
      )}
      <fieldset className="campaign-quiet">
        <legend className="visually-hidden">{t('form.autoDelete')}</legend>
        <label className="campaign-check">
          <input type="checkbox" checked={draft.autoDelete} onChange={(e) => onChange({ autoDelete: e.target.checked })} /> {t('form.autoDelete')}
        </label>
        {draft.autoDelete && (
          <div className="form-row campaign-when-row">
            <TextField
              label={t('form.autoDeleteHours')}
              type="number"
              inputMode="numeric"
              min={1}
              max={MAX_AUTO_DELETE_HOURS}
              value={draft.autoDeleteHours}
              onChange={(e) => onChange({ autoDeleteHours: e.target.value })}
              error={errors.autoDelete}
              hint={t('form.autoDeleteHint', { max: MAX_AUTO_DELETE_HOURS })}
            />
          </div>
        )}
      </fieldset>
    </>
  );
}

/** The car the post offers: the chosen one with a way to drop it, or a search of the stock to pick one. */
function CarField({ carId, locked, onChange, error }: { carId: string; locked: boolean; onChange: (id: string) => void; error?: string }) {
  const { t } = useTranslation('calendar');
  const car = useApiQuery<ListingView>(carId ? `/api/inventory/${seg(carId)}` : null, { retry: false });
  const [q, setQ] = useState('');
  const deferred = useDeferredValue(q.trim());
  const found = useApiQuery<ListingPage>(!carId && !locked && deferred.length >= 2 ? `/api/inventory?q=${encodeURIComponent(deferred)}&limit=8` : null);

  if (carId) {
    const gone = car.error instanceof ApiError && car.error.status === 404;
    return (
      <div className="field post-car" data-car={carId}>
        <span className="field-label">{t('form.car')}</span>
        <div className="post-car-chosen">
          {car.data ? (
            <span>
              <Link to={`/inventory/${encodeURIComponent(carId)}`}>
                <strong>
                  {listingTitle(car.data)} {car.data.year}
                </strong>
              </Link>{' '}
              <span className="muted">{formatMoney(car.data.price, car.data.currency)}</span>
            </span>
          ) : gone ? (
            <span className="field-error">{t('form.carGone')}</span>
          ) : car.error ? (
            <span className="muted">{t('form.carUnknown')}</span>
          ) : (
            <span className="muted">{t('common:states.loading')}</span>
          )}
          {!locked && (
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => onChange('')}>
              {t('form.removeCar')}
            </button>
          )}
        </div>
        <span className="field-hint">{t('form.carHint')}</span>
        {error && <span className="field-error">{error}</span>}
      </div>
    );
  }
  if (locked) return null;
  const items = found.data?.items ?? [];
  return (
    <div className="post-car">
      <TextField
        grow
        type="search"
        label={t('form.findCar')}
        placeholder={t('form.findCarPlaceholder')}
        value={q}
        onChange={(e) => setQ(e.target.value)}
        error={error}
        hint={t('form.noCarHint')}
      />
      {deferred.length >= 2 && (
        <div className="post-car-results" aria-live="polite">
          {found.isPending ? (
            <span className="muted small">{t('common:states.loading')}</span>
          ) : items.length === 0 ? (
            <span className="muted small">{t('form.noCarsFound')}</span>
          ) : (
            <ul>
              {items.map((l) => (
                <li key={l.id}>
                  <button type="button" className="btn btn-secondary btn-sm" onClick={() => onChange(l.id)}>
                    {listingTitle(l)} {l.year} · {formatMoney(l.price, l.currency)}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
