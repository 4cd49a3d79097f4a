import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useApiQuery } from '../../api/query';
import type { BotList, CampaignView, SegmentList } from '../../api/types';
import { SelectField } from '../../components/Field';
import { formatNumber } from '../../i18n/format';
import { MAX_BOTS, type Draft } from './campaign';

/**
 * Who gets the campaign: every contact or a segment (with its last count),
 * through which bots, and which of them send as a paid broadcast.
 */
export function AudienceField({
  draft,
  onChange,
  errors,
  saved,
}: {
  draft: Draft;
  onChange: (p: Partial<Draft>) => void;
  errors: { segment?: string; bots?: string };
  /** The campaign as last saved: its Stars estimate. */
  saved: CampaignView | null;
}) {
  const { t } = useTranslation('campaigns');
  const segments = useApiQuery<SegmentList>('/api/segments');
  const bots = useApiQuery<BotList>('/api/bots');
  const list = bots.data?.bots ?? [];

  const toggleBot = (id: number, on: boolean) =>
    onChange({
      botIds: on ? [...draft.botIds.filter((b) => b !== id), id] : draft.botIds.filter((b) => b !== id),
      paidBotIds: on ? draft.paidBotIds : draft.paidBotIds.filter((b) => b !== id),
    });
  const togglePaid = (id: number, on: boolean) =>
    onChange({ paidBotIds: on ? [...draft.paidBotIds.filter((b) => b !== id), id] : draft.paidBotIds.filter((b) => b !== id) });

  const paid = draft.paidBotIds.filter((id) => draft.botIds.includes(id));
  // The estimate is the server's, for the campaign as saved: said only while the choice of paid bots is the saved one.
  const savedPaid = saved ? [...saved.paid_bot_ids].sort().join() : null;
  const estimateCurrent = saved?.stars_estimate != null && savedPaid === [...paid].sort().join() && (saved.segment_id ?? '') === draft.segmentId;

  return (
    <>
      <SelectField
        label={t('audience.segment')}
        value={draft.segmentId}
        onChange={(e) => onChange({ segmentId: e.target.value })}
        error={errors.segment}
        hint={
          <Trans t={t} i18nKey="audience.segmentHint" components={{ contacts: <Link to="/contacts" /> }} />
        }
      >
        <option value="">{t('audience.everyone')}</option>
        {(segments.data?.items ?? []).map((s) => (
          <option key={s.id} value={s.id}>
            {s.count == null ? t('audience.segmentUncounted', { name: s.name }) : t('audience.segmentOption', { name: s.name, count: s.count, n: formatNumber(s.count) })}
          </option>
        ))}
        {/* A saved segment that is gone still shows what it was. */}
        {draft.segmentId && segments.data && !segments.data.items.some((s) => s.id === draft.segmentId) && (
          <option value={draft.segmentId}>{t('audience.segmentGone')}</option>
        )}
      </SelectField>

      <fieldset className="campaign-bots" aria-describedby={errors.bots ? 'campaign-bots-error' : undefined}>
        <legend className="field-label">{t('audience.bots')}</legend>
        {bots.data && list.length === 0 && (
          <p className="muted small">
            <Trans t={t} i18nKey="audience.noBots" components={{ telegram: <Link to="/telegram" /> }} />
          </p>
        )}
        <ul className="campaign-bot-list">
          {list.map((b) => {
            const chosen = draft.botIds.includes(b.id);
            return (
              <li key={b.id} className="campaign-bot">
                <label className="campaign-check">
                  <input
                    type="checkbox"
                    checked={chosen}
                    disabled={!chosen && draft.botIds.length >= MAX_BOTS}
                    onChange={(e) => toggleBot(b.id, e.target.checked)}
                    aria-invalid={errors.bots ? true : undefined}
                  />{' '}
                  <span translate="no">@{b.username}</span>
                </label>
                {chosen && (
                  <label className="campaign-check small">
                    <input
                      type="checkbox"
                      checked={draft.paidBotIds.includes(b.id)}
                      onChange={(e) => togglePaid(b.id, e.target.checked)}
                      aria-label={t('audience.paidFor', { bot: b.username })}
                    />{' '}
                    {t('audience.paid')}
                  </label>
                )}
              </li>
            );
          })}
        </ul>
        {errors.bots && (
          <span className="field-error" id="campaign-bots-error">
            {errors.bots}
          </span>
        )}
        <span className="field-hint">{t('audience.botsHint', { count: MAX_BOTS })}</span>
      </fieldset>

      {paid.length > 0 && (
        <div className="notice notice-warn campaign-paid-note" role="note">
          <p>{t('audience.paidNote')}</p>
          <p>
            <strong>
              {estimateCurrent
                ? t('audience.starsEstimate', { count: saved!.stars_estimate!, n: formatNumber(saved!.stars_estimate!) })
                : t('audience.starsAfterSave')}
            </strong>
          </p>
        </div>
      )}
    </>
  );
}
