import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, seg } from '../../api/client';
import { invalidate, keyOf } from '../../api/query';
import type { CampaignView } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FormError } from '../../components/States';
import { formatDate, formatNumber } from '../../i18n/format';
import { formatDuration, hourIn, inQuietHours, isLive, isOver } from './campaign';
import { CampaignFacts, MessagePreview } from './MessagePreview';
import { ProgressBar } from './parts';
import { RecipientsTable } from './RecipientsTable';

type Action = 'pause' | 'resume' | 'cancel' | 'delete';

/**
 * A campaign that has started: how far it got (the page asks every second
 * while it sends), Pause / Resume / Cancel, its recipients and what it sent.
 */
export function ProgressView({ campaign, canControl, onDeleted }: { campaign: CampaignView; canControl: boolean; onDeleted: () => void }) {
  const { t } = useTranslation('campaigns');
  const client = useQueryClient();
  const [busy, setBusy] = useState<Action | null>(null);
  const [confirm, setConfirm] = useState<'cancel' | 'delete' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const c = campaign;
  const p = c.progress;
  const path = `/api/campaigns/${seg(c.id)}`;

  const act = async (action: Action) => {
    setBusy(action);
    setError(null);
    try {
      if (action === 'delete') {
        await api<void>(path, { method: 'DELETE' });
        client.removeQueries({ queryKey: keyOf(path) });
        void invalidate(client, '/api/campaigns', { exact: true });
        onDeleted();
        return;
      }
      const next = await api<CampaignView>(`${path}/${action}`, { method: 'POST' });
      client.setQueryData(keyOf(path), next);
      void invalidate(client, '/api/campaigns', { exact: true });
    } catch (e) {
      setError(e);
    } finally {
      setConfirm(null);
      setBusy(null);
    }
  };

  const hour = c.quiet_hours ? hourIn(c.time_zone) : null;
  const waiting = c.status === 'running' && c.quiet_hours && hour !== null && inQuietHours(hour, c.quiet_hours.from, c.quiet_hours.to);
  const counts: [string, number][] = [
    ['sent', p.sent],
    ['failed', p.failed],
    ['blocked', p.blocked],
    ['unknown', p.unknown],
    ['pending', p.pending],
  ];

  return (
    <>
      <FormError error={error} />
      <section className="card campaign-progress" aria-labelledby="campaign-progress-title">
        <h2 id="campaign-progress-title">{t(`progress.headline.${c.status}`, { defaultValue: c.status })}</h2>
        <ProgressBar big percent={p.percent} label={t('progress.label')} />
        <p className="campaign-progress-line">
          {c.status === 'starting'
            ? t('progress.preparing')
            : t('progress.sentOf', { count: p.total, sent: formatNumber(p.sent), total: formatNumber(p.total) })}
        </p>
        {waiting && <p className="notice notice-warn">{t('progress.quietNow')}</p>}
        <ul className="campaign-counts">
          {counts.map(([k, n]) => (
            <li key={k} className={`campaign-count campaign-count-${k}`}>
              <span className="campaign-count-value">{formatNumber(n)}</span>
              <span className="campaign-count-label">{t(`outcomes.${k}`)}</span>
            </li>
          ))}
        </ul>
        {p.unknown > 0 && <p className="muted small">{t('progress.unknownHint')}</p>}
        <dl className="facts campaign-facts">
          <dt>{t('progress.rate')}</dt>
          <dd>{t('progress.perSecond', { rate: formatNumber(p.rate_per_second, { maximumFractionDigits: 1 }) })}</dd>
          {p.eta_seconds != null && (
            <>
              <dt>{t('progress.eta')}</dt>
              <dd>{t('progress.etaValue', { time: formatDuration(p.eta_seconds) })}</dd>
            </>
          )}
          {c.started_at && (
            <>
              <dt>{t('progress.started')}</dt>
              <dd>{formatDate(c.started_at, true)}</dd>
            </>
          )}
          {c.finished_at && (
            <>
              <dt>{c.status === 'cancelled' ? t('progress.cancelled') : t('progress.finished')}</dt>
              <dd>{formatDate(c.finished_at, true)}</dd>
            </>
          )}
        </dl>
        {canControl && (
          <div className="campaign-actions">
            {c.status === 'running' && (
              <button type="button" className="btn btn-secondary" onClick={() => void act('pause')} disabled={busy !== null}>
                {busy === 'pause' ? t('common:states.working') : t('actions.pause')}
              </button>
            )}
            {c.status === 'paused' && (
              <button type="button" className="btn btn-primary" onClick={() => void act('resume')} disabled={busy !== null}>
                {busy === 'resume' ? t('common:states.working') : t('actions.resume')}
              </button>
            )}
            {!isOver(c.status) && (
              <button type="button" className="btn btn-ghost btn-danger-text" onClick={() => setConfirm('cancel')} disabled={busy !== null}>
                {t('actions.cancel')}
              </button>
            )}
            {isOver(c.status) && (
              <button type="button" className="btn btn-ghost btn-danger-text" onClick={() => setConfirm('delete')} disabled={busy !== null}>
                {t('actions.delete')}
              </button>
            )}
          </div>
        )}
        {isLive(c.status) && <p className="muted small">{t('progress.live')}</p>}
      </section>

      <section className="card" aria-labelledby="campaign-facts-title">
        <h2 id="campaign-facts-title">{t('sections.audience')}</h2>
        <CampaignFacts campaign={c} />
      </section>

      <MessagePreview campaign={c} />

      <RecipientsTable campaignId={c.id} campaignName={c.name} status={c.status} />

      {confirm === 'cancel' && (
        <ConfirmDialog
          title={t('confirmCancel.title', { name: c.name })}
          confirmLabel={t('confirmCancel.confirm')}
          cancelLabel={t('confirmCancel.keep')}
          busy={busy === 'cancel'}
          onConfirm={() => void act('cancel')}
          onCancel={() => setConfirm(null)}
        >
          <p>{t('confirmCancel.body', { count: p.pending, n: formatNumber(p.pending) })}</p>
        </ConfirmDialog>
      )}
      {confirm === 'delete' && (
        <ConfirmDialog
          title={t('confirmDelete.title', { name: c.name })}
          confirmLabel={t('actions.delete')}
          busy={busy === 'delete'}
          onConfirm={() => void act('delete')}
          onCancel={() => setConfirm(null)}
        >
          <p>{t('confirmDelete.bodyReport')}</p>
        </ConfirmDialog>
      )}
    </>
  );
}
