import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { keyOf, useApiQuery } from '../../api/query';
import type { CalendarSettings, SoldAction } from '../../api/types';
import { TextField } from '../../components/Field';
import { ErrorState, FormError, Loading } from '../../components/States';
import { currentLanguage } from '../../i18n';
import { MAX_CONFLICT_WINDOW, MAX_SOLD_LABEL } from './calendar';
import { SETTINGS_PATH } from './parts';

const SOLD_ACTIONS: SoldAction[] = ['edit', 'delete'];

/** `/calendar/settings`: what happens to a car's posts when it sells, and how close two posts may be. */
export function SettingsTab({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation('calendar');
  const settings = useApiQuery<CalendarSettings>(SETTINGS_PATH);
  return (
    <section className="card" aria-labelledby="cal-settings-title">
      <h2 id="cal-settings-title">{t('settings.title')}</h2>
      {settings.data ? (
        <SettingsForm initial={settings.data} canManage={canManage} />
      ) : settings.error ? (
        <ErrorState title={t('settings.loadError')} error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <Loading label={t('settings.loading')} />
      )}
    </section>
  );
}

function SettingsForm({ initial, canManage }: { initial: CalendarSettings; canManage: boolean }) {
  const { t } = useTranslation('calendar');
  const client = useQueryClient();
  const [action, setAction] = useState<SoldAction>(initial.sold_action);
  const [label, setLabel] = useState(initial.sold_label);
  const [windowMinutes, setWindowMinutes] = useState(String(initial.conflict_window_minutes));
  const [errors, setErrors] = useState<{ label?: string; window?: string }>({});
  const [general, setGeneral] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setGeneral(null);
    setNotice(null);
    const minutes = Number(windowMinutes);
    const next: { label?: string; window?: string } = {};
    if (!label.trim() || [...label.trim()].length > MAX_SOLD_LABEL) next.label = t('settings.errors.label', { max: MAX_SOLD_LABEL });
    if (!/^\d+$/.test(windowMinutes.trim()) || minutes > MAX_CONFLICT_WINDOW) next.window = t('settings.errors.window', { max: MAX_CONFLICT_WINDOW });
    setErrors(next);
    if (next.label || next.window) return;
    setBusy(true);
    try {
      const body: CalendarSettings = { sold_action: action, sold_label: label.trim(), conflict_window_minutes: minutes };
      const saved = await api<CalendarSettings>(SETTINGS_PATH, { method: 'PUT', body });
      client.setQueryData(keyOf(SETTINGS_PATH), saved);
      setNotice(t('settings.saved'));
    } catch (err) {
      const why = currentLanguage() === 'en' ? errorMessage(err) : null;
      if (err instanceof ApiError && err.field === 'sold_label') setErrors({ label: why ?? t('settings.errors.label', { max: MAX_SOLD_LABEL }) });
      else if (err instanceof ApiError && err.field === 'conflict_window_minutes') setErrors({ window: why ?? t('settings.errors.window', { max: MAX_CONFLICT_WINDOW }) });
      else setGeneral(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="cal-settings" onSubmit={(e) => void submit(e)} noValidate>
      {!canManage && <p className="muted small">{t('settings.onlyAdmins')}</p>}
      <FormError error={general} />
      <fieldset className="campaign-when" disabled={!canManage}>
        <legend className="field-label">{t('settings.soldAction')}</legend>
        {SOLD_ACTIONS.map((a) => (
          <label key={a} className="campaign-check">
            <input type="radio" name="sold-action" checked={action === a} onChange={() => setAction(a)} /> {t(`settings.sold.${a}`)}
          </label>
        ))}
      </fieldset>
      <p className="muted small">{t('settings.soldHint')}</p>
      <TextField
        label={t('settings.soldLabel')}
        value={label}
        maxLength={MAX_SOLD_LABEL}
        onChange={(e) => setLabel(e.target.value)}
        error={errors.label}
        hint={t('settings.soldLabelHint')}
        disabled={!canManage}
        required
      />
      <TextField
        label={t('settings.window')}
        type="number"
        inputMode="numeric"
        min={0}
        max={MAX_CONFLICT_WINDOW}
        value={windowMinutes}
        onChange={(e) => setWindowMinutes(e.target.value)}
        error={errors.window}
        hint={t('settings.windowHint')}
        disabled={!canManage}
        required
      />
      {notice && (
        <div className="notice notice-ok" role="status">
          {notice}
        </div>
      )}
      {canManage && (
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('common:actions.saving') : t('common:actions.save')}
          </button>
        </div>
      )}
    </form>
  );
}
