import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { SelectField, TextField } from '../../components/Field';
import { formatNowIn } from '../../i18n/format';
import { listZones } from '../../i18n/zones';
import { hourIn, hourLabel, inQuietHours, type Draft } from './campaign';

const HOURS = Array.from({ length: 24 }, (_, h) => h);

/** An IANA time zone from the browser's list (with the offset now), and the time there now (campaigns and channel posts). */
export function ZoneField({ value, onChange, error }: { value: string; onChange: (zone: string) => void; error?: string }) {
  const { t } = useTranslation('campaigns');
  const zones = useMemo(() => listZones([value]), [value]);
  return (
    <SelectField
      grow
      label={t('when.timeZone')}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      error={error}
      hint={t('when.timeZoneNow', { time: formatNowIn(value) })}
    >
      {zones.map((z) => (
        <option key={z.name} value={z.name} translate="no">
          {`${z.offset} · ${z.name.replace(/_/g, ' ')}`}
        </option>
      ))}
    </SelectField>
  );
}

/**
 * When it goes: now (when "Send now" is pressed) or at a date and time in
 * a time zone; and optional quiet hours in that zone, when nothing is sent.
 */
export function ScheduleField({
  draft,
  onChange,
  errors,
}: {
  draft: Draft;
  onChange: (p: Partial<Draft>) => void;
  errors: { sendAt?: string; timeZone?: string; quiet?: string };
}) {
  const { t } = useTranslation('campaigns');
  const name = useId();
  const hour = hourIn(draft.timeZone);
  const quietNow = draft.quiet && hour !== null && inQuietHours(hour, draft.quietFrom, draft.quietTo);

  return (
    <>
      <fieldset className="campaign-when">
        <legend className="field-label">{t('when.title')}</legend>
        <label className="campaign-check">
          <input type="radio" name={name} checked={draft.when === 'now'} onChange={() => onChange({ when: 'now' })} /> {t('when.now')}
        </label>
        <label className="campaign-check">
          <input type="radio" name={name} checked={draft.when === 'schedule'} onChange={() => onChange({ when: 'schedule' })} /> {t('when.schedule')}
        </label>
      </fieldset>
      {draft.when === 'now' && <p className="muted small">{t('when.nowHint')}</p>}
      <div className="form-row campaign-when-row">
        {draft.when === 'schedule' && (
          <TextField
            label={t('when.sendAt')}
            type="datetime-local"
            value={draft.sendAt}
            onChange={(e) => onChange({ sendAt: e.target.value })}
            error={errors.sendAt}
            required
          />
        )}
        {(draft.when === 'schedule' || draft.quiet) && <ZoneField value={draft.timeZone} onChange={(timeZone) => onChange({ timeZone })} error={errors.timeZone} />}
      </div>
      <fieldset className="campaign-quiet">
        <legend className="visually-hidden">{t('when.quiet')}</legend>
        <label className="campaign-check">
          <input type="checkbox" checked={draft.quiet} onChange={(e) => onChange({ quiet: e.target.checked })} /> {t('when.quiet')}
        </label>
        {draft.quiet && (
          <div className="form-row campaign-when-row">
            <SelectField label={t('when.quietFrom')} value={String(draft.quietFrom)} onChange={(e) => onChange({ quietFrom: Number(e.target.value) })}>
              {HOURS.map((h) => (
                <option key={h} value={h}>
                  {hourLabel(h)}
                </option>
              ))}
            </SelectField>
            <SelectField label={t('when.quietTo')} value={String(draft.quietTo)} onChange={(e) => onChange({ quietTo: Number(e.target.value) })}>
              {HOURS.map((h) => (
                <option key={h} value={h}>
                  {hourLabel(h)}
                </option>
              ))}
            </SelectField>
          </div>
        )}
        {errors.quiet && <div className="field-error">{errors.quiet}</div>}
        <span className="field-hint">{draft.quiet ? (quietNow ? t('when.quietNow') : t('when.quietHint')) : t('when.quietOff')}</span>
      </fieldset>
    </>
  );
}
