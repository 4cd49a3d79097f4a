import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, seg } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { invalidate, useApiQuery } from '../../api/query';
import type { CarRequestView, ConversationView, CreateCarRequest, RequestDraftView } from '../../api/types';
import { SelectField, TextField } from '../../components/Field';
import { FormError } from '../../components/States';
import { personName } from './names';

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const CURRENCIES = ['EUR', 'USD', 'GBP', 'PLN', 'CZK', 'CHF', 'UAH', 'AED'];

type FieldName = 'make' | 'model' | 'year_from' | 'year_to' | 'budget' | 'currency' | 'priority';
type FieldErrors = Partial<Record<FieldName, string>>;

const FIELDS: FieldName[] = ['make', 'model', 'year_from', 'year_to', 'budget', 'currency', 'priority'];

function whole(s: string): number | null | 'bad' {
  const t = s.trim().replace(/[\s,]/g, '');
  if (!t) return null;
  return /^\d+$/.test(t) ? Number(t) : 'bad';
}

export function CreateRequestModal({
  conversation,
  onCreated,
  onCancel,
}: {
  conversation: ConversationView;
  onCreated: (r: CarRequestView) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation('inbox');
  const client = useQueryClient();
  const [v, setV] = useState({ make: '', model: '', year_from: '', year_to: '', budget: '', currency: 'EUR', priority: 'normal' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // What the buyer wrote, read into the fields once (never over what the manager typed).
  const draft = useApiQuery<RequestDraftView>(`/api/inbox/conversations/${seg(conversation.id)}/request-draft`, { staleTime: Infinity, retry: false });
  const [prefilled, setPrefilled] = useState(false);
  useEffect(() => {
    const d = draft.data;
    if (!d || prefilled) return;
    setPrefilled(true);
    setV((x) => ({
      ...x,
      make: x.make || d.make || '',
      model: x.model || d.model || '',
      year_from: x.year_from || (d.year_from != null ? String(d.year_from) : ''),
      year_to: x.year_to || (d.year_to != null ? String(d.year_to) : ''),
      budget: x.budget || (d.budget != null ? String(d.budget) : ''),
      currency: d.currency && CURRENCIES.includes(d.currency) ? d.currency : x.currency,
    }));
  }, [draft.data, prefilled]);
  const filledFrom = prefilled && draft.data && (draft.data.make || draft.data.budget != null || draft.data.year_from != null) ? draft.data : null;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !busy) onCancel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [busy, onCancel]);

  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV((x) => ({ ...x, [k]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setGeneral(null);
    const fe: FieldErrors = {};
    if (!v.make.trim()) fe.make = t('request.makeMissing');
    const yf = whole(v.year_from);
    const yt = whole(v.year_to);
    const budget = whole(v.budget);
    if (yf === 'bad') fe.year_from = t('request.yearBad', { example: 2018 });
    if (yt === 'bad') fe.year_to = t('request.yearBad', { example: 2022 });
    if (budget === 'bad') fe.budget = t('request.budgetBad');
    if (Object.keys(fe).length) {
      setErrors(fe);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const body: CreateCarRequest = {
        make: v.make.trim(),
        model: v.model.trim() || null,
        year_from: yf as number | null,
        year_to: yt as number | null,
        budget: budget as number | null,
        currency: v.currency,
        priority: v.priority,
      };
      const r = await api<CarRequestView>(`/api/inbox/conversations/${seg(conversation.id)}/requests`, { method: 'POST', body });
      void invalidate(client, '/api/requests');
      onCreated(r);
    } catch (err) {
      if (err instanceof ApiError && err.field && (FIELDS as string[]).includes(err.field)) {
        setErrors({ [err.field]: errorMessage(err) });
      } else {
        setGeneral(err);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="modal-backdrop" onClick={() => !busy && onCancel()}>
      <div
        className="modal modal-wide"
        role="dialog"
        aria-modal="true"
        aria-labelledby="request-title"
        onClick={(e) => e.stopPropagation()}
      >
        <h2 id="request-title">{t('createRequest')}</h2>
        <p className="muted small">{t('request.intro', { name: personName(conversation.contact) })}</p>
        {filledFrom && (
          <p className="notice request-draft" role="status">
            {filledFrom.quote ? t('request.filledFromQuote', { quote: filledFrom.quote }) : t('request.filledFrom')}
          </p>
        )}
        <form onSubmit={submit} noValidate>
          <FormError error={general} />
          <div className="form-row">
            <TextField grow required label={t('request.make')} name="make" value={v.make} onChange={set('make')} error={errors.make} autoFocus />
            <TextField grow label={t('request.model')} name="model" value={v.model} onChange={set('model')} error={errors.model} />
          </div>
          <div className="form-row">
            <TextField grow label={t('request.yearFrom')} name="year_from" inputMode="numeric" value={v.year_from} onChange={set('year_from')} error={errors.year_from} />
            <TextField grow label={t('request.yearTo')} name="year_to" inputMode="numeric" value={v.year_to} onChange={set('year_to')} error={errors.year_to} />
          </div>
          <div className="form-row">
            <TextField grow label={t('request.budget')} name="budget" inputMode="numeric" value={v.budget} onChange={set('budget')} error={errors.budget} />
            <SelectField label={t('request.currency')} name="currency" value={v.currency} onChange={set('currency')} error={errors.currency}>
              {CURRENCIES.map((c) => (
                <option key={c} value={c} translate="no">
                  {c}
                </option>
              ))}
            </SelectField>
            <SelectField label={t('request.priority')} name="priority" value={v.priority} onChange={set('priority')} error={errors.priority}>
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {t(`common:priorities.${p}`)}
                </option>
              ))}
            </SelectField>
          </div>
          <div className="modal-actions">
            <button type="button" className="btn btn-ghost" onClick={onCancel} disabled={busy}>
              {t('common:actions.cancel')}
            </button>
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? t('request.creating') : t('createRequest')}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
