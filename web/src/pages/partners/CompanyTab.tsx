import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { keyOf, useApiQuery } from '../../api/query';
import type { CompanyProfile, CompanyView } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { TextAreaField, TextField } from '../../components/Field';
import { FormError, QueryView } from '../../components/States';
import { ADMIN_ROLE } from './PartnerList';
import { CompanyCard } from './parts';

type Field = 'name' | 'city' | 'region' | 'address' | 'phone' | 'telegram' | 'about';
const FIELDS: Field[] = ['name', 'city', 'region', 'address', 'phone', 'telegram', 'about'];

/** `/partners/company`: the card partners see of your company. */
export function CompanyTab() {
  const { t } = useTranslation('partners');
  const company = useApiQuery<CompanyView>('/api/company');
  return (
    <QueryView query={company} loading={t('company.loading')} errorTitle={t('company.loadError')}>
      {(c) => <CompanyForm key={c.workspace_id} company={c} />}
    </QueryView>
  );
}

function CompanyForm({ company }: { company: CompanyView }) {
  const { t } = useTranslation('partners');
  const { me } = useAuth();
  const client = useQueryClient();
  const canEdit = atLeast(me?.role, ADMIN_ROLE);
  const p = company.profile;
  const [v, setV] = useState<Record<Field, string>>({
    name: p.name ?? '',
    city: p.city ?? '',
    region: p.region ?? '',
    address: p.address ?? '',
    phone: p.phone ?? '',
    telegram: p.telegram ?? '',
    about: p.about ?? '',
  });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [general, setGeneral] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const set = (k: Field) => (e: { target: { value: string } }) => {
    setSaved(false);
    setV((x) => ({ ...x, [k]: e.target.value }));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setGeneral(null);
    setErrors({});
    setSaved(false);
    setBusy(true);
    const opt = (s: string) => s.trim() || null;
    const body: CompanyProfile = {
      name: v.name.trim(),
      city: opt(v.city),
      region: opt(v.region),
      address: opt(v.address),
      phone: opt(v.phone),
      telegram: opt(v.telegram),
      about: opt(v.about),
      logo_file_id: p.logo_file_id ?? null,
    };
    try {
      const next = await api<CompanyView>('/api/company', { method: 'PUT', body });
      client.setQueryData(keyOf('/api/company'), next);
      setV((x) => ({ ...x, telegram: next.profile.telegram ?? '', name: next.profile.name ?? x.name }));
      setSaved(true);
    } catch (err) {
      if (err instanceof ApiError && err.field && (FIELDS as string[]).includes(err.field)) setErrors({ [err.field]: errorMessage(err) });
      else setGeneral(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="b2b-company-tab">
      <section className="card" aria-labelledby="company-title">
        <h2 id="company-title">{t('company.title')}</h2>
        <p className="muted">{t('company.intro')}</p>
        {!canEdit && <p className="muted small">{t('onlyAdmins')}</p>}
        {saved && (
          <p className="notice notice-ok" role="status">
            {t('company.saved')}
          </p>
        )}
        <form onSubmit={(e) => void submit(e)} noValidate>
          <FormError error={general} />
          <fieldset className="b2b-fieldset" disabled={!canEdit || busy}>
            <TextField label={t('company.name')} name="name" value={v.name} onChange={set('name')} error={errors.name} hint={t('company.nameHint')} />
            <div className="form-row">
              <TextField grow label={t('company.city')} name="city" value={v.city} onChange={set('city')} error={errors.city} />
              <TextField grow label={t('company.region')} name="region" value={v.region} onChange={set('region')} error={errors.region} />
            </div>
            <TextField label={t('company.address')} name="address" value={v.address} onChange={set('address')} error={errors.address} />
            <div className="form-row">
              <TextField grow label={t('company.phone')} name="phone" type="tel" value={v.phone} onChange={set('phone')} error={errors.phone} placeholder={t('company.phoneExample')} />
              <TextField grow label={t('company.telegram')} name="telegram" value={v.telegram} onChange={set('telegram')} error={errors.telegram} placeholder={t('company.telegramExample')} />
            </div>
            <TextAreaField label={t('company.about')} name="about" rows={4} value={v.about} onChange={set('about')} error={errors.about} hint={t('company.aboutHint')} />
            <button type="submit" className="btn btn-primary">
              {busy ? t('common:actions.saving') : t('common:actions.save')}
            </button>
          </fieldset>
        </form>
      </section>
      <section className="card" aria-labelledby="company-preview-title">
        <h2 id="company-preview-title">{t('company.previewTitle')}</h2>
        <p className="muted small">{t('company.previewIntro')}</p>
        <h3 className="b2b-wrap">{company.profile.name || company.slug}</h3>
        <CompanyCard profile={company.profile} slug={company.slug} />
      </section>
    </div>
  );
}
