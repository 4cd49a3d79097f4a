import { Plus, Trash2 } from 'lucide-react';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, seg } from '../../api/client';
import { errorMessage } from '../../api/errors';
import type { ChannelSlotsRequest, ChannelView, Weekday } from '../../api/types';
import { TextField } from '../../components/Field';
import { FormError } from '../../components/States';
import { currentLanguage } from '../../i18n';
import { canonicalZone } from '../../i18n/zones';
import { ZoneField } from '../campaigns/ScheduleField';
import { calendarZone, formatSlotTime, MAX_SLOTS, postsPerWeek, SLOT_HORIZON_WEEKS, WEEKDAYS, weekdayNames, zoneName } from './calendar';
import { CHANNELS_PATH } from './parts';

interface Row {
  /** A React key: rows come and go. */
  key: number;
  days: Weekday[];
  /** `HH:MM` as the time input holds it. */
  time: string;
}

type Errors = Record<string, string | undefined>;

let nextKey = 1;
const rowsOf = (c: ChannelView): Row[] => c.slots.map((s) => ({ key: nextKey++, days: [...s.days], time: s.time }));

/** "Mon, Wed, Fri" for a slot's days, in the user's language. */
function daysLabel(days: Weekday[], names: string[]): string {
  return WEEKDAYS.map((d, i) => (days.includes(d) ? names[i] : null))
    .filter(Boolean)
    .join(', ');
}

/** The channel's next free slot times, read in the slots' zone: "Mon, Dec 14, 10:00 AM, …". */
export function NextSlots({ channel }: { channel: ChannelView }) {
  const { t } = useTranslation('calendar');
  const zone = channel.slot_time_zone;
  if (!zone || channel.slots.length === 0) return null;
  if (channel.next_slots.length === 0) {
    return (
      <p className="small notice notice-warn" role="note">
        {t('slots.allTaken', { count: SLOT_HORIZON_WEEKS })}
      </p>
    );
  }
  const list = channel.next_slots.map((n) => formatSlotTime(Date.parse(n.at), zone)).join(', ');
  return <p className="small channel-next-slots">{t('slots.next', { list, zone: zoneName(zone) })}</p>;
}

/**
 * A channel's weekly posting slots ("Mon, Wed, Fri at 10:00" in a time
 * zone) that "Next free slot" posts fill: days and a time per row, rows
 * added and removed, saved through `PUT /api/channels/{id}/slots`. Who may
 * not plan posts sees the slots and the next free times only.
 */
export function SlotsEditor({ channel, canEdit, onSaved }: { channel: ChannelView; canEdit: boolean; onSaved: (c: ChannelView) => void }) {
  const { t } = useTranslation('calendar');
  const id = useId();
  const names = weekdayNames();
  const longNames = weekdayNames('long');
  const [rows, setRows] = useState<Row[]>(() => rowsOf(channel));
  const [zone, setZone] = useState(() => canonicalZone(channel.slot_time_zone ?? calendarZone()));
  const [errors, setErrors] = useState<Errors>({});
  const [general, setGeneral] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  /** After a save: the posts a week the saved slots make (0: none left). */
  const [saved, setSaved] = useState<number | null>(null);

  const perWeek = postsPerWeek(channel.slots);
  const titleId = `${id}-title`;

  if (!canEdit) {
    return (
      <section className="channel-slots" aria-labelledby={titleId}>
        <h3 id={titleId}>{t('slots.title')}</h3>
        {channel.slots.length === 0 ? (
          <p className="muted small">{t('slots.none')}</p>
        ) : (
          <>
            <ul className="channel-slot-summary">
              {channel.slots.map((s, i) => (
                <li key={i}>{t('slots.summary', { days: daysLabel(s.days, names), time: s.time })}</li>
              ))}
            </ul>
            <p className="muted small">{t('slots.perWeek', { count: perWeek, zone: zoneName(channel.slot_time_zone ?? zone) })}</p>
          </>
        )}
        <NextSlots channel={channel} />
      </section>
    );
  }

  const update = (key: number, p: Partial<Row>) => {
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...p } : r)));
    setSaved(null);
  };
  const toggle = (r: Row, d: Weekday) => update(r.key, { days: r.days.includes(d) ? r.days.filter((x) => x !== d) : [...r.days, d] });

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setGeneral(null);
    setSaved(null);
    const next: Errors = {};
    rows.forEach((r, i) => {
      if (r.days.length === 0) next[`days${i}`] = t('slots.errors.days');
      if (!/^\d{2}:\d{2}$/.test(r.time)) next[`time${i}`] = t('slots.errors.time');
    });
    setErrors(next);
    if (Object.keys(next).length) return;
    setBusy(true);
    try {
      const body: ChannelSlotsRequest = { time_zone: zone, slots: rows.map((r) => ({ days: WEEKDAYS.filter((d) => r.days.includes(d)), time: r.time })) };
      const c = await api<ChannelView>(`${CHANNELS_PATH}/${seg(String(channel.id))}/slots`, { method: 'PUT', body });
      setRows(rowsOf(c));
      setSaved(postsPerWeek(c.slots));
      onSaved(c);
    } catch (err) {
      // `slots[2].time`, `slots[0].days`, `time_zone`: under the field; the server's words in English, ours otherwise.
      const m = err instanceof ApiError && err.status === 422 ? /^slots\[(\d+)\]\.(time|days)$/.exec(err.field ?? '') : null;
      const own = (kind: string) => (currentLanguage() === 'en' ? errorMessage(err) : t(`slots.fieldErrors.${kind}`));
      if (m) setErrors({ [`${m[2]}${m[1]}`]: own(m[2]) });
      else if (err instanceof ApiError && err.status === 422 && err.field === 'time_zone') setErrors({ zone: own('zone') });
      else setGeneral(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="channel-slots" aria-labelledby={titleId}>
      <h3 id={titleId}>{t('slots.title')}</h3>
      <p className="muted small">{t('slots.intro')}</p>
      <form onSubmit={(e) => void save(e)} noValidate aria-labelledby={titleId}>
        <FormError error={general} />
        {rows.length === 0 && <p className="muted small">{t('slots.none')}</p>}
        <ol className="slot-rows">
          {rows.map((r, i) => (
            <li key={r.key} className="slot-row" data-slot={i}>
              <fieldset className="slot-days" aria-describedby={errors[`days${i}`] ? `${id}-days${i}` : undefined}>
                <legend className="field-label">{t('slots.slotN', { n: i + 1 })}</legend>
                <div className="slot-day-list">
                  {WEEKDAYS.map((d, di) => (
                    <label key={d} className={r.days.includes(d) ? 'slot-day slot-day-on' : 'slot-day'}>
                      <input type="checkbox" checked={r.days.includes(d)} onChange={() => toggle(r, d)} aria-label={longNames[di]} />
                      <span aria-hidden="true">{names[di]}</span>
                    </label>
                  ))}
                </div>
                {errors[`days${i}`] && (
                  <span className="field-error" id={`${id}-days${i}`}>
                    {errors[`days${i}`]}
                  </span>
                )}
              </fieldset>
              <TextField label={t('slots.time')} type="time" value={r.time} onChange={(e) => update(r.key, { time: e.target.value })} error={errors[`time${i}`]} required />
              <div className="field field-button">
                <button
                  type="button"
                  className="btn btn-ghost btn-sm btn-danger-text"
                  aria-label={t('slots.removeN', { n: i + 1 })}
                  onClick={() => {
                    setRows((rs) => rs.filter((x) => x.key !== r.key));
                    setErrors({});
                    setSaved(null);
                  }}
                >
                  <Trash2 size={14} aria-hidden="true" /> {t('slots.remove')}
                </button>
              </div>
            </li>
          ))}
        </ol>
        <div className="form-row">
          <ZoneField
            value={zone}
            onChange={(z) => {
              setZone(z);
              setSaved(null);
            }}
            error={errors.zone}
          />
        </div>
        <div className="form-actions">
          <button
            type="button"
            className="btn btn-secondary btn-sm"
            disabled={rows.length >= MAX_SLOTS}
            onClick={() => {
              setRows((rs) => [...rs, { key: nextKey++, days: [], time: rs[rs.length - 1]?.time ?? '10:00' }]);
              setSaved(null);
            }}
          >
            <Plus size={14} aria-hidden="true" /> {t('slots.add')}
          </button>
          <button type="submit" className="btn btn-primary btn-sm" disabled={busy}>
            {busy ? t('common:actions.saving') : t('slots.save')}
          </button>
        </div>
        {rows.length >= MAX_SLOTS && <p className="muted small">{t('slots.max', { count: MAX_SLOTS })}</p>}
      </form>
      {saved !== null && (
        <div className="notice notice-ok" role="status">
          {saved > 0 ? t('slots.saved', { count: saved }) : t('slots.cleared')}
        </div>
      )}
      <NextSlots channel={channel} />
    </section>
  );
}
