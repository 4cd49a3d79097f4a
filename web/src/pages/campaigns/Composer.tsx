import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, ApiError, seg } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { invalidate, keyOf } from '../../api/query';
import type { BotList, CampaignTestResult, CampaignView } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { TextField } from '../../components/Field';
import { FormError } from '../../components/States';
import { formatNumber } from '../../i18n/format';
import { AudienceField } from './AudienceField';
import { errorSlot, fieldError, formatWallClock, MAX_NAME, toDraft, toRequest, type Draft, type MediaItem } from './campaign';
import { ContentEditor } from './ContentEditor';
import { ScheduleField } from './ScheduleField';

type Errors = Record<string, string | undefined>;

/**
 * The composer of a draft or scheduled campaign: name, message (text with
 * variables, media, buttons), audience, when. Saving checks it against
 * Telegram's limits on the server; a refused field's error shows beside it.
 * "Send test" and "Send now" save first, so what goes out is what is shown.
 */
export function Composer({
  initial,
  onCreated,
  onDeleted,
}: {
  initial: CampaignView | null;
  /** A new campaign was saved: the page takes its address. */
  onCreated: (c: CampaignView) => void;
  onDeleted: () => void;
}) {
  const { t } = useTranslation('campaigns');
  const client = useQueryClient();
  const [saved, setSaved] = useState<CampaignView | null>(initial);
  const [draft, setDraft] = useState<Draft>(() => toDraft(initial));
  const [errors, setErrors] = useState<Errors>({});
  const [general, setGeneral] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [testProblem, setTestProblem] = useState<{ linkFirst: boolean; message: string } | null>(null);
  const [busy, setBusy] = useState<'save' | 'test' | 'send' | 'delete' | null>(null);
  const [confirm, setConfirm] = useState<'send' | 'delete' | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const [focusError, setFocusError] = useState(0);
  useEffect(() => {
    if (focusError) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusError]);

  const change = (p: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...p }));
    setNotice(null);
  };
  const updateMedia = (fn: (m: MediaItem[]) => MediaItem[]) => setDraft((d) => ({ ...d, media: fn(d.media) }));

  const path = (id: string) => `/api/campaigns/${seg(id)}`;
  const remember = (c: CampaignView) => {
    setSaved(c);
    client.setQueryData(keyOf(path(c.id)), c);
    void invalidate(client, '/api/campaigns', { exact: true });
  };

  /** Saves the draft as it is; the saved campaign, or null when it was refused (the errors are shown). */
  const save = async (): Promise<CampaignView | null> => {
    setGeneral(null);
    setNotice(null);
    setTestProblem(null);
    if (draft.media.some((m) => m.status === 'uploading')) {
      setGeneral(t('waitForUploads'));
      return null;
    }
    if (draft.media.some((m) => m.status === 'failed')) {
      setErrors({ media: t('removeFailed') });
      setGeneral(t('checkMarked'));
      return null;
    }
    setErrors({});
    const body = toRequest(draft);
    try {
      const c = saved
        ? await api<CampaignView>(path(saved.id), { method: 'PUT', body })
        : await api<CampaignView>('/api/campaigns', { method: 'POST', body });
      remember(c);
      if (!saved) onCreated(c);
      return c;
    } catch (e) {
      const slot = e instanceof ApiError && e.status === 422 ? errorSlot(e.field, draft) : null;
      if (slot && e instanceof ApiError) {
        setErrors({ [slot]: fieldError(e, slot) });
        setGeneral(t('checkMarked'));
        setFocusError((n) => n + 1);
      } else {
        setGeneral(e);
      }
      return null;
    }
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy('save');
    const c = await save();
    setBusy(null);
    if (c) setNotice(c.status === 'scheduled' ? t('scheduledFor', { when: formatWallClock(c.send_at), zone: c.time_zone }) : t('savedDraft'));
  };

  const test = async () => {
    setBusy('test');
    const c = await save();
    if (c) {
      try {
        const r = await api<CampaignTestResult>(`${path(c.id)}/test`, { method: 'POST' });
        setNotice(t('testSent', { to: r.sent_to }));
      } catch (e) {
        const linkFirst = e instanceof ApiError && e.field === 'telegram';
        setTestProblem({ linkFirst, message: errorMessage(e) });
      }
    }
    setBusy(null);
  };

  const askToSend = async () => {
    setBusy('send');
    const c = await save();
    setBusy(null);
    if (c) setConfirm('send');
  };

  const send = async () => {
    if (!saved) return;
    setBusy('send');
    try {
      const c = await api<CampaignView>(`${path(saved.id)}/send`, { method: 'POST' });
      // The page shows the progress of a campaign that started (its cached answer says so).
      remember(c);
      setConfirm(null);
    } catch (e) {
      setConfirm(null);
      const slot = e instanceof ApiError && e.status === 422 ? errorSlot(e.field, draft) : null;
      if (slot && e instanceof ApiError) setErrors({ [slot]: fieldError(e, slot) });
      setGeneral(e);
    } finally {
      setBusy(null);
    }
  };

  const remove = async () => {
    if (!saved) return;
    setBusy('delete');
    try {
      await api<void>(path(saved.id), { method: 'DELETE' });
      client.removeQueries({ queryKey: keyOf(path(saved.id)) });
      void invalidate(client, '/api/campaigns', { exact: true });
      onDeleted();
    } catch (e) {
      setConfirm(null);
      setGeneral(e);
      setBusy(null);
    }
  };

  const uploading = draft.media.some((m) => m.status === 'uploading');

  return (
    <form ref={formRef} className="campaign-composer" onSubmit={(e) => void onSubmit(e)} noValidate>
      <FormError error={general} />
      {notice && (
        <div className="notice notice-ok" role="status">
          {notice}
        </div>
      )}
      {testProblem && (
        <div className="form-error" role="alert">
          {testProblem.linkFirst ? (
            <Trans t={t} i18nKey="testNeedsLink" components={{ settings: <Link to="/settings?tab=notifications" /> }} />
          ) : (
            t('testFailed', { error: testProblem.message })
          )}
        </div>
      )}

      <section className="card">
        <TextField
          label={t('fields.name')}
          value={draft.name}
          maxLength={MAX_NAME}
          onChange={(e) => change({ name: e.target.value })}
          error={errors.name}
          hint={t('fields.nameHint')}
          required
        />
      </section>

      <section className="card" aria-labelledby="campaign-message-title">
        <h2 id="campaign-message-title">{t('sections.message')}</h2>
        <ContentEditor value={draft} onChange={change} updateMedia={updateMedia} errors={errors} />
      </section>

      <section className="card" aria-labelledby="campaign-audience-title">
        <h2 id="campaign-audience-title">{t('sections.audience')}</h2>
        <AudienceField draft={draft} onChange={change} errors={{ segment: errors.segment, bots: errors.bots }} saved={saved} />
      </section>

      <section className="card" aria-labelledby="campaign-when-title">
        <h2 id="campaign-when-title">{t('sections.when')}</h2>
        <ScheduleField draft={draft} onChange={change} errors={{ sendAt: errors.sendAt, timeZone: errors.timeZone, quiet: errors.quiet }} />
      </section>

      <div className="campaign-actions">
        <button type="submit" className={draft.when === 'schedule' ? 'btn btn-primary' : 'btn btn-secondary'} disabled={busy !== null || uploading}>
          {busy === 'save' ? t('common:actions.saving') : draft.when === 'schedule' ? t('actions.schedule') : t('actions.saveDraft')}
        </button>
        <button type="button" className="btn btn-secondary" onClick={() => void test()} disabled={busy !== null || uploading}>
          {busy === 'test' ? t('actions.testing') : t('actions.test')}
        </button>
        {draft.when === 'now' && (
          <button type="button" className="btn btn-primary" onClick={() => void askToSend()} disabled={busy !== null || uploading}>
            {t('actions.sendNow')}
          </button>
        )}
        {saved && (
          <button type="button" className="btn btn-ghost btn-danger-text" onClick={() => setConfirm('delete')} disabled={busy !== null}>
            {t('actions.delete')}
          </button>
        )}
      </div>

      {confirm === 'send' && saved && (
        <ConfirmDialog
          title={t('confirmSend.title', { name: saved.name })}
          confirmLabel={t('actions.sendNow')}
          busy={busy === 'send'}
          onConfirm={() => void send()}
          onCancel={() => setConfirm(null)}
        >
          <SendSummary campaign={saved} />
        </ConfirmDialog>
      )}
      {confirm === 'delete' && saved && (
        <ConfirmDialog
          title={t('confirmDelete.title', { name: saved.name })}
          confirmLabel={t('actions.delete')}
          busy={busy === 'delete'}
          onConfirm={() => void remove()}
          onCancel={() => setConfirm(null)}
        >
          <p>{t('confirmDelete.body')}</p>
        </ConfirmDialog>
      )}
    </form>
  );
}

/** What "Send now" is about to do: how many, through which bots, and the Stars a paid broadcast costs. */
function SendSummary({ campaign }: { campaign: CampaignView }) {
  const { t } = useTranslation('campaigns');
  const client = useQueryClient();
  const bots = client.getQueryData<BotList>(keyOf('/api/bots'))?.bots ?? [];
  const names = campaign.bot_ids.map((id) => `@${bots.find((b) => b.id === id)?.username ?? id}`).join(', ');
  const count = campaign.audience_count;
  const segment = campaign.segment_id ? campaign.segment_name ?? '' : null;
  return (
    <>
      <p>
        {count != null
          ? segment !== null
            ? t('confirmSend.toSegment', { count, n: formatNumber(count), segment, bots: names })
            : t('confirmSend.toEveryoneCounted', { count, n: formatNumber(count), bots: names })
          : segment !== null
            ? t('confirmSend.toSegmentUncounted', { segment, bots: names })
            : t('confirmSend.toEveryone', { bots: names })}
      </p>
      {campaign.quiet_hours && <p>{t('confirmSend.quiet')}</p>}
      {campaign.stars_estimate != null && (
        <p className="notice notice-warn">
          <strong>{t('confirmSend.paid', { count: campaign.stars_estimate, n: formatNumber(campaign.stars_estimate) })}</strong>
        </p>
      )}
      <p className="muted small">{t('confirmSend.noUndo')}</p>
    </>
  );
}
