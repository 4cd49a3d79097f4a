import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { errorMessage } from '../../api/errors';
import type { RequestInput, RequestStatus } from '../../api/types';
import { SelectField, TextAreaField, TextField } from '../../components/Field';
import { FormError } from '../../components/States';
import { CURRENCIES, FUELS, PRIORITIES, REQUEST_FIELDS, requestBody, TRANSMISSIONS, type RequestField, type RequestFormValues } from './request';

/**
 * A request's criteria and details. New: "Post request" (open) or "Save
 * as draft"; editing: "Save changes". `onSubmit` sends the body and throws
 * the API's error, shown under its field when it names one.
 */
export function RequestForm({
  initial,
  isNew,
  onSubmit,
  onCancel,
}: {
  initial: RequestFormValues;
  isNew: boolean;
  onSubmit: (body: RequestInput, status: RequestStatus | null) => Promise<void>;
  onCancel: () => void;
}) {
  const { t } = useTranslation('requests');
  const [v, setV] = useState<RequestFormValues>(initial);
  const [errors, setErrors] = useState<Partial<Record<RequestField, string>>>({});
  const [general, setGeneral] = useState<unknown>(null);
  const [busy, setBusy] = useState<RequestStatus | 'save' | null>(null);

  const set = (k: keyof RequestFormValues) => (e: { target: { value: string } }) => setV((x) => ({ ...x, [k]: e.target.value }));

  const send = async (status: RequestStatus | null) => {
    setGeneral(null);
    const built = requestBody(v);
    if ('errors' in built) {
      setErrors(Object.fromEntries(Object.entries(built.errors).map(([k, key]) => [k, t(key)])));
      return;
    }
    setErrors({});
    setBusy(status ?? 'save');
    try {
      await onSubmit(isNew && status ? { ...built.body, status } : built.body, status);
    } catch (err) {
      if (err instanceof ApiError && err.field && (REQUEST_FIELDS as string[]).includes(err.field)) {
        setErrors({ [err.field]: errorMessage(err) });
      } else {
        setGeneral(err);
      }
    } finally {
      setBusy(null);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void send(isNew ? 'open' : null);
  };

  return (
    <form className="b2b-request-form" onSubmit={submit} noValidate aria-label={isNew ? t('form.newTitle') : t('form.editTitle')}>
      <FormError error={general} />
      <fieldset className="b2b-fieldset" disabled={busy !== null}>
        <legend>{t('form.carSection')}</legend>
        <div className="form-row">
          <TextField grow required label={t('form.make')} name="make" value={v.make} onChange={set('make')} error={errors.make} placeholder={t('form.makeExample')} autoFocus={isNew} />
          <TextField grow label={t('form.model')} name="model" value={v.model} onChange={set('model')} error={errors.model} placeholder={t('form.modelExample')} />
        </div>
        <div className="form-row">
          <TextField grow label={t('form.yearFrom')} name="year_from" inputMode="numeric" value={v.year_from} onChange={set('year_from')} error={errors.year_from} />
          <TextField grow label={t('form.yearTo')} name="year_to" inputMode="numeric" value={v.year_to} onChange={set('year_to')} error={errors.year_to} />
        </div>
        <div className="form-row">
          <TextField grow label={t('form.budget')} name="budget" inputMode="numeric" value={v.budget} onChange={set('budget')} error={errors.budget} hint={t('form.budgetHint')} />
          <SelectField label={t('form.currency')} name="currency" value={v.currency} onChange={set('currency')} error={errors.currency}>
            {(CURRENCIES.includes(v.currency) ? CURRENCIES : [v.currency, ...CURRENCIES]).map((c) => (
              <option key={c} value={c} translate="no">
                {c}
              </option>
            ))}
          </SelectField>
          <TextField grow label={t('form.maxMileage')} name="max_mileage_km" inputMode="numeric" value={v.max_mileage_km} onChange={set('max_mileage_km')} error={errors.max_mileage_km} />
        </div>
        <div className="form-row">
          <SelectField grow label={t('form.fuel')} name="fuel" value={v.fuel} onChange={set('fuel')} error={errors.fuel}>
            <option value="">{t('form.any')}</option>
            {FUELS.map((f) => (
              <option key={f} value={f}>
                {t(`common:car.fuel.${f}`)}
              </option>
            ))}
          </SelectField>
          <SelectField grow label={t('form.transmission')} name="transmission" value={v.transmission} onChange={set('transmission')} error={errors.transmission}>
            <option value="">{t('form.any')}</option>
            {TRANSMISSIONS.map((x) => (
              <option key={x} value={x}>
                {t(`common:car.transmission.${x}`)}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="form-row">
          <TextField grow label={t('form.body')} name="body" value={v.body} onChange={set('body')} error={errors.body} placeholder={t('form.bodyExample')} />
          <TextField grow label={t('form.color')} name="color" value={v.color} onChange={set('color')} error={errors.color} />
        </div>
      </fieldset>
      <fieldset className="b2b-fieldset" disabled={busy !== null}>
        <legend>{t('form.detailsSection')}</legend>
        <div className="form-row">
          <TextField grow label={t('form.region')} name="region" value={v.region} onChange={set('region')} error={errors.region} />
          <TextField grow label={t('form.deadline')} name="deadline" type="date" value={v.deadline} onChange={set('deadline')} error={errors.deadline} />
          <SelectField grow label={t('form.priority')} name="priority" value={v.priority} onChange={set('priority')} error={errors.priority}>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {t(`common:priorities.${p}`)}
              </option>
            ))}
          </SelectField>
        </div>
        <TextAreaField label={t('form.notes')} name="notes" rows={3} value={v.notes} onChange={set('notes')} error={errors.notes} hint={t('form.notesHint')} />
        <label className="b2b-check">
          <input type="checkbox" checked={v.shared} onChange={(e) => setV((x) => ({ ...x, shared: e.target.checked }))} /> {t('form.share')}
        </label>
        <p className="muted small">{t('form.shareHint')}</p>
      </fieldset>
      <div className="form-actions b2b-form-actions">
        {isNew ? (
          <>
            <button type="submit" className="btn btn-primary" disabled={busy !== null}>
              {busy === 'open' ? t('form.posting') : t('form.post')}
            </button>
            <button type="button" className="btn btn-secondary" disabled={busy !== null} onClick={() => void send('draft')}>
              {busy === 'draft' ? t('common:actions.saving') : t('form.saveDraft')}
            </button>
          </>
        ) : (
          <button type="submit" className="btn btn-primary" disabled={busy !== null}>
            {busy ? t('common:actions.saving') : t('form.saveChanges')}
          </button>
        )}
        <button type="button" className="btn btn-ghost" onClick={onCancel} disabled={busy !== null}>
          {t('common:actions.cancel')}
        </button>
      </div>
    </form>
  );
}
