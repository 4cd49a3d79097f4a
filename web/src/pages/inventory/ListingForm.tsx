// The car form the Inventory editor and the Parser's import share: its draft
// (what the inputs hold), the checks and the body it sends, where a 422 is
// shown, and the fields themselves.
import { useId, type ReactNode } from 'react';
import type { Fuel, ListingInput, ListingStatus, ListingView, MileageUnit, Transmission } from '../../api/types';
import { SelectField, TextField } from '../../components/Field';
import { CURRENCIES } from '../inbox/CreateRequestModal';
import {
  FUEL_LABELS,
  FUELS,
  isHttpUrl,
  MILEAGE_UNITS,
  STATUS_LABELS,
  STATUSES,
  TRANSMISSION_LABELS,
  TRANSMISSIONS,
  wholeNumber,
} from './listing';
import { photoRow, type PhotoRow } from './PhotosField';

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

/** What the server calls each field, as the form labels it. */
export const FIELD_LABELS: Record<keyof ListingInput, string> = {
  make: 'Make',
  model: 'Model',
  year: 'Year',
  price: 'Price',
  currency: 'Currency',
  mileage: 'Mileage',
  mileage_unit: 'Mileage unit',
  vin: 'VIN',
  fuel: 'Fuel',
  transmission: 'Transmission',
  body: 'Body type',
  color: 'Colour',
  photos: 'Photos',
  description: 'Description',
  status: 'Status',
  source_url: 'Source page',
};

const BODY_TYPES = ['Sedan', 'Hatchback', 'Estate', 'SUV', 'Coupe', 'Convertible', 'Minivan', 'Van', 'Pickup'];

export function fieldLabel(field: string): string {
  return (FIELD_LABELS as Record<string, string>)[field] ?? field;
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
    photos: l ? (l.photos ?? []).map((u) => photoRow(u)) : [photoRow()],
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
  const errors: Errors = {};
  const opt = (s: string) => s.trim() || null;
  if (!d.make.trim()) errors.make = 'Enter the make, e.g. BMW.';
  if (!d.model.trim()) errors.model = 'Enter the model, e.g. 320d.';
  const year = wholeNumber(d.year);
  if (typeof year !== 'number') errors.year = 'Enter the model year, e.g. 2019.';
  const price = wholeNumber(d.price);
  if (typeof price !== 'number') errors.price = 'Enter the price in whole units, e.g. 25000.';
  const mileage = wholeNumber(d.mileage);
  if (typeof mileage !== 'number') errors.mileage = 'Enter the mileage, e.g. 85000 (0 for a new car).';
  const sent = d.photos.filter((r) => r.url.trim());
  for (const r of sent) if (!isHttpUrl(r.url)) errors[photoKey(r.key)] = 'Enter an address starting with https://';
  if (d.source_url.trim() && !isHttpUrl(d.source_url)) errors.source_url = 'Enter an address starting with https://';
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
      photos: sent.map((r) => r.url.trim()),
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
  return field in FIELD_LABELS ? field : null;
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
  const descriptionId = useId();
  const set = (k: TextKey) => (e: { target: { value: string } }) => onField(k, e.target.value);
  const currencies = CURRENCIES.includes(draft.currency) ? CURRENCIES : [...CURRENCIES, draft.currency];

  return (
    <>
      <Section title="Vehicle">
        <div className="form-row">
          <TextField grow label="Make" name="make" placeholder="BMW" value={draft.make} onChange={set('make')} error={errors.make} />
          <TextField grow label="Model" name="model" placeholder="320d xDrive" value={draft.model} onChange={set('model')} error={errors.model} />
          <TextField label="Year" name="year" inputMode="numeric" placeholder="2019" value={draft.year} onChange={set('year')} error={errors.year} />
        </div>
        <div className="form-row">
          <TextField
            grow
            label="VIN"
            name="vin"
            placeholder="17 letters and digits"
            autoComplete="off"
            spellCheck={false}
            maxLength={17}
            value={draft.vin}
            onChange={set('vin')}
            error={errors.vin}
            hint="Optional. Checked when you save."
          />
        </div>
      </Section>

      <Section title="Price & mileage">
        <div className="form-row">
          <TextField grow label="Price" name="price" inputMode="numeric" placeholder="25000" value={draft.price} onChange={set('price')} error={errors.price} />
          <SelectField label="Currency" name="currency" value={draft.currency} onChange={set('currency')} error={errors.currency}>
            {currencies.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="form-row">
          <TextField grow label="Mileage" name="mileage" inputMode="numeric" placeholder="85000" value={draft.mileage} onChange={set('mileage')} error={errors.mileage} />
          <SelectField label="Unit" name="mileage_unit" value={draft.mileage_unit} onChange={set('mileage_unit')} error={errors.mileage_unit}>
            {MILEAGE_UNITS.map((u) => (
              <option key={u} value={u}>
                {u === 'km' ? 'Kilometres (km)' : 'Miles (mi)'}
              </option>
            ))}
          </SelectField>
        </div>
      </Section>

      <Section title="Details">
        <div className="form-row">
          <SelectField label="Fuel" name="fuel" value={draft.fuel} onChange={set('fuel')} error={errors.fuel}>
            <option value="">Not set</option>
            {FUELS.map((f) => (
              <option key={f} value={f}>
                {FUEL_LABELS[f]}
              </option>
            ))}
          </SelectField>
          <SelectField label="Transmission" name="transmission" value={draft.transmission} onChange={set('transmission')} error={errors.transmission}>
            <option value="">Not set</option>
            {TRANSMISSIONS.map((t) => (
              <option key={t} value={t}>
                {TRANSMISSION_LABELS[t]}
              </option>
            ))}
          </SelectField>
          <TextField grow label="Body type" name="body" list="body-types" placeholder="SUV" value={draft.body} onChange={set('body')} error={errors.body} />
          <datalist id="body-types">
            {BODY_TYPES.map((b) => (
              <option key={b} value={b} />
            ))}
          </datalist>
          <TextField grow label="Colour" name="color" placeholder="Black" value={draft.color} onChange={set('color')} error={errors.color} />
        </div>
        <TextField
          label="Source page"
          name="source_url"
          type="url"
          inputMode="url"
          placeholder="https://…"
          value={draft.source_url}
          onChange={set('source_url')}
          error={errors.source_url}
          hint="Optional: the web page this car was listed on."
        />
      </Section>

      <Section title="Photos">{photos}</Section>

      <Section title="Description">
        <div className="field">
          <label className="field-label" htmlFor={descriptionId}>
            Description
          </label>
          <textarea
            id={descriptionId}
            name="description"
            rows={6}
            maxLength={5000}
            placeholder="Condition, service history, equipment…"
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

      <Section title="Status">
        <div className="form-row">
          <SelectField label="Status" name="status" value={draft.status} onChange={set('status')} error={errors.status}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </SelectField>
        </div>
      </Section>
    </>
  );
}
