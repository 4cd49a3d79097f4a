// The car form the Inventory editor and the Parser's import share: its draft
// (what the inputs hold), the checks and the body it sends, where a 422 is
// shown, and the fields themselves.
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Fuel, ListingInput, ListingStatus, ListingView, MileageUnit, Photo, Transmission } from '../../api/types';
import { SelectField, TextField } from '../../components/Field';
import { i18n } from '../../i18n';
import { CURRENCIES } from '../inbox/CreateRequestModal';
import {
  FUELS,
  fuelLabel,
  isHttpUrl,
  MILEAGE_UNITS,
  STATUSES,
  statusLabel,
  transmissionLabel,
  TRANSMISSIONS,
  wholeNumber,
} from './listing';
import { photoRow, uploadedRow, type PhotoRow } from './PhotosField';

export interface Draft {
  make: string;
  model: string;
  year: string;
  price: string;
  currency: string;
  mileage: string;
  mileage_unit: MileageUnit;
  vin: string;
  fuel: Fuel | '';
  transmission: Transmission | '';
  body: string;
  color: string;
  photos: PhotoRow[];
  description: string;
  status: ListingStatus;
  source_url: string;
}

export type TextKey = Exclude<keyof Draft, 'photos'>;

/** The car's fields, as the server names them (their labels are `inventory:fields.<name>`). */
export const LISTING_FIELDS: (keyof ListingInput)[] = [
  'make',
  'model',
  'year',
  'price',
  'currency',
  'mileage',
  'mileage_unit',
  'vin',
  'fuel',
  'transmission',
  'body',
  'color',
  'photos',
  'description',
  'status',
  'source_url',
];

/** What the form calls a field the server names. */
export function fieldLabel(field: string): string {
  return i18n.t(`inventory:fields.${field}`, { defaultValue: field });
}

export function sentence(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function toDraft(l: ListingView | null): Draft {
  const str = (n: number | undefined) => (n === undefined ? '' : String(n));
  return {
    make: l?.make ?? '',
    model: l?.model ?? '',
    year: str(l?.year),
    price: str(l?.price),
    currency: l?.currency ?? 'EUR',
    mileage: str(l?.mileage),
    mileage_unit: l?.mileage_unit ?? 'km',
    vin: l?.vin ?? '',
    fuel: l?.fuel ?? '',
    transmission: l?.transmission ?? '',
    body: l?.body ?? '',
    color: l?.color ?? '',
    photos: (l?.photos ?? []).map((p, i) =>
      typeof p === 'string' ? photoRow(p) : uploadedRow(p.file_id, l?.photo_links?.[i]?.thumb, i18n.t('inventory:photos.uploadedName', { n: i + 1 })),
    ),
    description: l?.description ?? '',
    status: l?.status ?? 'available',
    source_url: l?.source_url ?? '',
  };
}

export type Errors = Partial<Record<string, string>>;

/** The row an error about `photos[i]` of the sent list is about. */
export const photoKey = (rowKey: number) => `photo:${rowKey}`;

/** The body to send, with the photo rows it was made from; or what to fix first. */
export function toInput(d: Draft): { body: ListingInput; sent: PhotoRow[] } | { errors: Errors } {
  const t = (key: string) => i18n.t(`inventory:check.${key}`);
  const errors: Errors = {};
  const opt = (s: string) => s.trim() || null;
  if (!d.make.trim()) errors.make = t('make');
  if (!d.model.trim()) errors.model = t('model');
  const year = wholeNumber(d.year);
  if (typeof year !== 'number') errors.year = t('year');
  const price = wholeNumber(d.price);
  if (typeof price !== 'number') errors.price = t('price');
  const mileage = wholeNumber(d.mileage);
  if (typeof mileage !== 'number') errors.mileage = t('mileage');
  // Uploads still on their way (or failed) stop the save: the car would lose them.
  if (d.photos.some((r) => r.upload?.status === 'uploading')) errors.photos = t('photosUploading');
  else if (d.photos.some((r) => r.upload?.status === 'failed')) errors.photos = t('photosFailed');
  const sent = d.photos.filter((r) => (r.upload ? r.upload.status === 'ready' && r.upload.fileId : r.url.trim()));
  for (const r of sent) if (!r.upload && !isHttpUrl(r.url)) errors[photoKey(r.key)] = t('address');
  if (d.source_url.trim() && !isHttpUrl(d.source_url)) errors.source_url = t('address');
  if (Object.keys(errors).length) return { errors };
  return {
    sent,
    body: {
      make: d.make.trim(),
      model: d.model.trim(),
      year: year as number,
      price: price as number,
      currency: d.currency,
      mileage: mileage as number,
      mileage_unit: d.mileage_unit,
      vin: opt(d.vin)?.toUpperCase() ?? null,
      fuel: d.fuel || null,
      transmission: d.transmission || null,
      body: opt(d.body),
      color: opt(d.color),
      photos: sent.map((r): Photo => (r.upload?.fileId ? { file_id: r.upload.fileId } : r.url.trim())),
      description: opt(d.description),
      status: d.status,
      source_url: opt(d.source_url),
    },
  };
}

/** Where the form shows a 422 naming `field`; null when it has no place for it. */
export function errorSlot(field: string, sent: PhotoRow[]): string | null {
  const photo = /^photos[[.](\d+)]?$/.exec(field);
  if (photo) {
    const row = sent[Number(photo[1])];
    return row ? photoKey(row.key) : 'photos';
  }
  return (LISTING_FIELDS as string[]).includes(field) ? field : null;
}

export function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="card form-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/**
 * Every section of the car form; `photos` fills the Photos section (the
 * editor edits addresses, the Parser shows thumbnails).
 */
export function ListingFields({
  draft,
  errors,
  onField,
  photos,
}: {
  draft: Draft;
  errors: Errors;
  onField: (k: TextKey, value: string) => void;
  photos: ReactNode;
}) {
  const { t } = useTranslation('inventory');
  const descriptionId = useId();
  const bodyTypes = t('bodyTypes', { returnObjects: true, postProcess: [] }) as unknown as string[];
  const eg = (example: string) => t('example', { example });
  const set = (k: TextKey) => (e: { target: { value: string } }) => onField(k, e.target.value);
  const currencies = CURRENCIES.includes(draft.currency) ? CURRENCIES : [...CURRENCIES, draft.currency];

  return (
    <>
      <Section title={t('sections.vehicle')}>
        <div className="form-row">
          <TextField grow required label={t('fields.make')} name="make" placeholder={eg('BMW')} value={draft.make} onChange={set('make')} error={errors.make} />
          <TextField grow required label={t('fields.model')} name="model" placeholder={eg('320d xDrive')} value={draft.model} onChange={set('model')} error={errors.model} />
          <TextField required label={t('fields.year')} name="year" inputMode="numeric" placeholder={eg('2019')} value={draft.year} onChange={set('year')} error={errors.year} />
        </div>
        <div className="form-row">
          <TextField
            grow
            label={t('fields.vin')}
            name="vin"
            placeholder={t('vinPlaceholder')}
            autoComplete="off"
            spellCheck={false}
            maxLength={17}
            value={draft.vin}
            onChange={set('vin')}
            error={errors.vin}
            hint={t('vinHint')}
          />
        </div>
      </Section>

      <Section title={t('sections.priceMileage')}>
        <div className="form-row">
          <TextField grow required label={t('fields.price')} name="price" inputMode="numeric" placeholder={eg('25000')} value={draft.price} onChange={set('price')} error={errors.price} />
          <SelectField label={t('fields.currency')} name="currency" value={draft.currency} onChange={set('currency')} error={errors.currency}>
            {currencies.map((c) => (
              <option key={c} value={c} translate="no">
                {c}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="form-row">
          <TextField grow required label={t('fields.mileage')} name="mileage" inputMode="numeric" placeholder={eg('85000')} value={draft.mileage} onChange={set('mileage')} error={errors.mileage} />
          <SelectField label={t('unit')} name="mileage_unit" value={draft.mileage_unit} onChange={set('mileage_unit')} error={errors.mileage_unit}>
            {MILEAGE_UNITS.map((u) => (
              <option key={u} value={u}>
                {t(`units.${u}`)}
              </option>
            ))}
          </SelectField>
        </div>
      </Section>

      <Section title={t('sections.details')}>
        <div className="form-row">
          <SelectField label={t('fields.fuel')} name="fuel" value={draft.fuel} onChange={set('fuel')} error={errors.fuel}>
            <option value="">{t('notSet')}</option>
            {FUELS.map((f) => (
              <option key={f} value={f}>
                {fuelLabel(f)}
              </option>
            ))}
          </SelectField>
          <SelectField label={t('fields.transmission')} name="transmission" value={draft.transmission} onChange={set('transmission')} error={errors.transmission}>
            <option value="">{t('notSet')}</option>
            {TRANSMISSIONS.map((x) => (
              <option key={x} value={x}>
                {transmissionLabel(x)}
              </option>
            ))}
          </SelectField>
          <TextField grow label={t('fields.body')} name="body" list="body-types" placeholder={eg(bodyTypes[3] ?? '')} value={draft.body} onChange={set('body')} error={errors.body} />
          <datalist id="body-types">
            {bodyTypes.map((b) => (
              <option key={b} value={b} />
            ))}
          </datalist>
          <TextField grow label={t('fields.color')} name="color" placeholder={eg(t('colorExample'))} value={draft.color} onChange={set('color')} error={errors.color} />
        </div>
        <TextField
          label={t('fields.source_url')}
          name="source_url"
          type="url"
          inputMode="url"
          placeholder={eg('https://…')}
          value={draft.source_url}
          onChange={set('source_url')}
          error={errors.source_url}
          hint={t('sourceHint')}
        />
      </Section>

      <Section title={t('sections.photos')}>{photos}</Section>

      <Section title={t('sections.description')}>
        <div className="field">
          <label className="field-label" htmlFor={descriptionId}>
            {t('fields.description')}
          </label>
          <textarea
            id={descriptionId}
            name="description"
            rows={6}
            maxLength={5000}
            placeholder={t('descriptionPlaceholder')}
            value={draft.description}
            onChange={set('description')}
            aria-invalid={errors.description ? true : undefined}
            aria-describedby={errors.description ? `${descriptionId}-error` : undefined}
          />
          {errors.description && (
            <span className="field-error" id={`${descriptionId}-error`}>
              {errors.description}
            </span>
          )}
        </div>
      </Section>

      <Section title={t('sections.status')}>
        <div className="form-row">
          <SelectField label={t('fields.status')} name="status" value={draft.status} onChange={set('status')} error={errors.status}>
            {STATUSES.map((x) => (
              <option key={x} value={x}>
                {statusLabel(x)}
              </option>
            ))}
          </SelectField>
        </div>
      </Section>
    </>
  );
}
