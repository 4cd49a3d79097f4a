import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { invalidate, keyOf } from '../../api/query';
import type { UpdateWorkspaceRequest, WorkspaceView } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { SelectField, TextField } from '../../components/Field';
import { FormError } from '../../components/States';
import { formatNowIn } from '../../i18n/format';
import { browserZone, listZones, searchZones } from '../../i18n/zones';

/**
 * The workspace's time zone: every date in the app and every schedule is in
 * it. Owners change it (a searchable list of IANA zones); others see it.
 */
export function TimeZoneCard({ workspace, canChange }: { workspace: WorkspaceView; canChange: boolean }) {
  const { t } = useTranslation('settings');
  const { refreshMe } = useAuth();
  const client = useQueryClient();
  const saved = workspace.time_zone ?? null;
  const [zone, setZone] = useState(saved ?? browserZone());
  const [query, setQuery] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [general, setGeneral] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const zones = useMemo(() => listZones([saved, zone]), [saved, zone]);
  // The chosen zone stays in the list whatever the search, so the select always shows it.
  const found = useMemo(() => searchZones(zones, query), [zones, query]);
  const shown = found.some((z) => z.name === zone) ? found : [...zones.filter((z) => z.name === zone), ...found];

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setGeneral(null);
    setDone(false);
    setBusy(true);
    try {
      const body: UpdateWorkspaceRequest = { time_zone: zone };
      const updated = await api<WorkspaceView>('/api/workspace', { method: 'PATCH', body });
      client.setQueryData(keyOf('/api/workspace'), updated);
      // Dates everywhere follow /api/auth/me's time_zone: read it again, and let pages re-read what they show.
      await refreshMe();
      void invalidate(client, '/api/dashboard');
      setDone(true);
    } catch (err) {
      if (err instanceof ApiError && err.field === 'time_zone') setError(errorMessage(err));
      else setGeneral(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card time-zone-card">
      <h2>{t('company.timeZone')}</h2>
      <p className="muted small">{t('company.timeZoneIntro')}</p>
      <dl className="facts">
        <dt>{t('company.timeZoneNow')}</dt>
        <dd>
          {saved ? (
            <>
              <span translate="no">{saved}</span> · {formatNowIn(saved)}
            </>
          ) : (
            t('company.timeZoneUnset', { zone: browserZone() })
          )}
        </dd>
      </dl>
      {done && (
        <div className="notice notice-ok" role="status">
          {t('company.timeZoneSaved', { zone: saved ?? zone })}
        </div>
      )}
      {canChange ? (
        <form className="inline-form" onSubmit={onSubmit} noValidate>
          <FormError error={general} />
          <TextField
            label={t('company.timeZoneSearch')}
            type="search"
            name="time-zone-search"
            placeholder={t('company.timeZoneSearchPlaceholder')}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            hint={t('company.timeZoneFound', { count: found.length })}
          />
          <SelectField
            label={t('company.timeZone')}
            name="time-zone"
            value={zone}
            onChange={(e) => {
              setZone(e.target.value);
              setDone(false);
              setError(null);
            }}
            hint={t('company.timeZonePreview', { time: formatNowIn(zone) })}
            error={error}
          >
            {shown.map((z) => (
              <option key={z.name} value={z.name} translate="no">
                {`${z.offset} · ${z.name.replace(/_/g, ' ')}`}
              </option>
            ))}
          </SelectField>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={busy || zone === saved}>
              {busy ? t('common:actions.saving') : t('company.timeZoneSave')}
            </button>
          </div>
        </form>
      ) : (
        <p className="muted small">{t('company.timeZoneOnlyOwner')}</p>
      )}
    </section>
  );
}
