import { ExternalLink, Play, Smartphone } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { useApiQuery } from '../../api/query';
import type { CampaignContent, CampaignView } from '../../api/types';
import { formatNumber } from '../../i18n/format';
import type { ScenarioListResponse } from '../scenarios/types';
import { formatWallClock, hourLabel, type MediaKind } from './campaign';
import { SavedMedia, useBotNames } from './parts';

/** The message as saved, read-only: its media, text (variables as typed) and buttons. */
export function MessagePreview({ campaign }: { campaign: CampaignView }) {
  const { t } = useTranslation('campaigns');
  return (
    <section className="card campaign-preview" aria-label={t('preview.title')}>
      <h2>{t('preview.title')}</h2>
      <ContentPreview content={campaign.content} />
    </section>
  );
}

/** Saved content as Telegram shows it, roughly: media, then the text, then the buttons (campaigns and channel posts). */
export function ContentPreview({ content }: { content: CampaignContent }) {
  const { t } = useTranslation('campaigns');
  const media = content.media ?? [];
  const buttons = content.buttons ?? [];
  const wantsScenarios = buttons.some((b) => b.action === 'scenario');
  const scenarios = useApiQuery<ScenarioListResponse>(wantsScenarios ? '/api/scenarios' : null);
  const scenarioName = (id: string | null | undefined) => scenarios.data?.scenarios.find((s) => s.id === id)?.name ?? id ?? '';

  return (
    <div className="campaign-preview-message">
      {media.length > 0 && (
        <ul className="campaign-media-list" aria-label={t('media.title')}>
          {media.map((m, i) => (
            <li key={`${m.upload_id}-${i}`} className="campaign-media-item">
              <SavedMedia uploadId={m.upload_id} kind={m.kind as MediaKind} n={i + 1} />
            </li>
          ))}
        </ul>
      )}
      {content.text && <p className="campaign-preview-text">{content.text}</p>}
      {buttons.length > 0 && (
        <ul className="campaign-preview-buttons" aria-label={t('buttons.title')}>
          {buttons.map((b, i) => (
            <li key={i}>
              <span className="campaign-preview-button">
                {b.action === 'scenario' ? <Play size={14} aria-hidden="true" /> : b.action === 'mini_app' ? <Smartphone size={14} aria-hidden="true" /> : <ExternalLink size={14} aria-hidden="true" />}
                {b.text}
              </span>
              <span className="muted small break">{b.action === 'scenario' ? t('preview.startsScenario', { name: scenarioName(b.scenario_id) }) : b.url}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Who it goes to, through which bots, and when. */
export function CampaignFacts({ campaign }: { campaign: CampaignView }) {
  const { t } = useTranslation('campaigns');
  const botName = useBotNames();
  const c = campaign;
  return (
    <dl className="facts campaign-facts">
      <dt>{t('facts.audience')}</dt>
      <dd>
        {c.segment_id ? c.segment_name ?? t('audience.segmentGone') : t('audience.everyone')}
        {c.audience_count != null && (
          <span className="muted"> · {t('facts.contacts', { count: c.audience_count, n: formatNumber(c.audience_count) })}</span>
        )}
      </dd>
      <dt>{t('facts.bots')}</dt>
      <dd>
        {c.bot_ids.map((id, i) => (
          <span key={id}>
            {i > 0 && ', '}
            <span translate="no">{botName(id)}</span>
            {c.paid_bot_ids.includes(id) && <span className="pill pill-muted">{t('audience.paidShort')}</span>}
          </span>
        ))}
      </dd>
      {c.send_at && (
        <>
          <dt>{t('facts.scheduled')}</dt>
          <dd>
            {formatWallClock(c.send_at)} <span className="muted" translate="no">{c.time_zone}</span>
          </dd>
        </>
      )}
      {c.quiet_hours && (
        <>
          <dt>{t('facts.quiet')}</dt>
          <dd>
            {hourLabel(c.quiet_hours.from)}–{hourLabel(c.quiet_hours.to)} <span className="muted" translate="no">{c.time_zone}</span>
          </dd>
        </>
      )}
      {c.stars_estimate != null && (
        <>
          <dt>{t('facts.stars')}</dt>
          <dd>{t('audience.starsEstimate', { count: c.stars_estimate, n: formatNumber(c.stars_estimate) })}</dd>
        </>
      )}
    </dl>
  );
}
