import { Fragment, useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { api, ApiError, seg } from '../../api/client';
import type { Fuel, ListingInput, ListingStatus, ListingView, ListingWarning, MileageUnit, Transmission } from '../../api/types';
import { useApi } from '../../api/useApi';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { SelectField, TextField } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorState, errorMessage, FormError, Loading } from '../../components/States';
import { formatDate } from '../../format';
import { CURRENCIES } from '../inbox/CreateRequestModal';
import { StatusBadge, type BackState } from './Inventory';
import {
  formatMileage,
  formatPrice,
  FUEL_LABELS,
  FUELS,
  isHttpUrl,
  listingTitle,
  MILEAGE_UNITS,
  STATUS_LABELS,
  STATUSES,
  TRANSMISSION_LABELS,
  TRANSMISSIONS,
  wholeNumber,
} from './listing';
import { photoRow, PhotosField, type PhotoRow } from './PhotosField';

/** `/inventory/new` (add) and `/inventory/:id` (edit, or read for a viewer). */
export function ListingPage() {
  const { me } = useAuth();
  const { id = 'new' } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const back = `/inventory${(location.state as BackState | null)?.back ?? ''}`;
  const canEdit = atLeast(me?.role, 'manager');
  const isNew = id === 'new';
  // The car this page has just added: its editor stays on screen (with what
  // saving said) while the address becomes the car's own. `key` is that
  // editor's, so React keeps it across the change of address; `round` gives
  // each later visit to `new` a fresh editor.
  const [created, setCreated] = useState<{ listing: ListingView; key: string } | null>(null);
  const [round, setRound] = useState(0);
  const [prevId, setPrevId] = useState(id);
  if (id !== prevId) {
    setPrevId(id);
    if (isNew) {
      setRound((r) => r + 1);
      setCreated(null);
    }
  }
  const justCreated = created && created.listing.id === id ? created : null;
  const remote = useApi<ListingView>(me?.workspace && !isNew && !justCreated ? `/api/inventory/${seg(id)}` : null);
  const loaded = remote.data && remote.data.id === id ? remote.data : null;

  if (!me?.workspace) {
    return (
      <>
        <PageHeader title="Inventory" />
        <EmptyState title="No workspace">The inventory belongs to a workspace; log in as one of its members.</EmptyState>
      </>
    );
  }

  if (isNew || justCreated) {
    if (!canEdit) {
      return (
        <>
          <PageHeader title="Add a car" />
          <EmptyState title="Only managers can add cars">
            Managers, admins and owners of your workspace add and edit cars. <Link to={back}>Back to the inventory</Link>
          </EmptyState>
        </>
      );
    }
    const key = justCreated ? justCreated.key : `new-${round}`;
    return (
      <ListingEditor
        key={key}
        initial={justCreated?.listing ?? null}
        back={back}
        onCreated={(l) => {
          setCreated({ listing: l, key });
          navigate(`/inventory/${encodeURIComponent(l.id)}`, { replace: true, state: location.state });
        }}
      />
    );
  }

  if (remote.error) {
    return (
      <>
        <PageHeader title="Car" />
        <ErrorState
          title="Could not load this car"
          error={remote.error}
          onRetry={remote.reload}
          extra={
            <Link to={back} className="btn btn-secondary">
              Back to the inventory
            </Link>
          }
        />
      </>
    );
  }
  if (!loaded) {
    return (
      <>
        <PageHeader title="Car" />
        <Loading label="Loading the car…" />
      </>
    );
  }
  return canEdit ? (
    <ListingEditor key={`editor-${id}`} initial={loaded} back={back} />
  ) : (
    <ListingDetails listing={loaded} back={back} />
  );
}

// --- the form ------------------------------------------------------------

interface Draft {
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

type TextKey = Exclude<keyof Draft, 'photos'>;

/** What the server calls each field, as the form labels it. */
const FIELD_LABELS: Record<keyof ListingInput, string> = {
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

function fieldLabel(field: string): string {
  return (FIELD_LABELS as Record<string, string>)[field] ?? field;
}

function sentence(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function toDraft(l: ListingView | null): Draft {
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

type Errors = Partial<Record<string, string>>;

/** The row an error about `photos[i]` of the sent list is about. */
const photoKey = (rowKey: number) => `photo:${rowKey}`;

/** The body to send, with the photo rows it was made from; or what to fix first. */
function toInput(d: Draft): { body: ListingInput; sent: PhotoRow[] } | { errors: Errors } {
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
function errorSlot(field: string, sent: PhotoRow[]): string | null {
  const photo = /^photos[[.](\d+)]?$/.exec(field);
  if (photo) {
    const row = sent[Number(photo[1])];
    return row ? photoKey(row.key) : 'photos';
  }
  return field in FIELD_LABELS ? field : null;
}

function ListingEditor({
  initial,
  back,
  onCreated,
}: {
  initial: ListingView | null;
  back: string;
  onCreated?: (l: ListingView) => void;
}) {
  const navigate = useNavigate();
  const [saved, setSaved] = useState<ListingView | null>(initial);
  const [draft, setDraft] = useState<Draft>(() => toDraft(initial));
  const [errors, setErrors] = useState<Errors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const descriptionId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  // Bumped when errors are shown: the first marked field gets the focus (and scrolls into view).
  const [focusError, setFocusError] = useState(0);
  useEffect(() => {
    if (focusError) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusError]);

  const set = (k: TextKey) => (e: { target: { value: string } }) => {
    setDraft((d) => ({ ...d, [k]: e.target.value }));
    setNotice(null);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setGeneral(null);
    setNotice(null);
    const checked = toInput(draft);
    if ('errors' in checked) {
      setErrors(checked.errors);
      setGeneral('Check the marked fields.');
      setFocusError((n) => n + 1);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const l = saved
        ? await api<ListingView>(`/api/inventory/${seg(saved.id)}`, { method: 'PUT', body: checked.body })
        : await api<ListingView>('/api/inventory', { method: 'POST', body: checked.body });
      setSaved(l);
      setDraft(toDraft(l));
      setNotice(saved ? 'Changes saved.' : 'Car added to your inventory.');
      if (!saved) onCreated?.(l);
    } catch (err) {
      const slot = err instanceof ApiError && err.status === 422 && err.field ? errorSlot(err.field, checked.sent) : null;
      if (slot) {
        setErrors({ [slot]: errorMessage(err) });
        setGeneral(`Check the marked field (${fieldLabel(slot.startsWith('photo') ? 'photos' : slot)}).`);
        setFocusError((n) => n + 1);
      } else {
        setGeneral(errorMessage(err));
      }
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!saved) return;
    setDeleting(true);
    try {
      await api<void>(`/api/inventory/${seg(saved.id)}`, { method: 'DELETE' });
      navigate(back);
    } catch (e) {
      setGeneral(`Could not delete this car: ${errorMessage(e)}`);
      setDeleting(false);
      setConfirming(false);
    }
  };

  const photoErrors: Record<number, string | undefined> = {};
  for (const r of draft.photos) photoErrors[r.key] = errors[photoKey(r.key)];
  const currencies = CURRENCIES.includes(draft.currency) ? CURRENCIES : [...CURRENCIES, draft.currency];

  return (
    <>
      <PageHeader
        title={saved ? `${listingTitle(saved)} ${saved.year}` : 'Add a car'}
        subtitle={
          saved
            ? `Added ${formatDate(saved.created_at)} · last changed ${formatDate(saved.updated_at, true)}`
            : 'Fill in what you know now; you can complete the listing later.'
        }
        actions={
          <Link to={back} className="btn btn-ghost">
            Back to the inventory
          </Link>
        }
      />
      <form ref={formRef} className="listing-form" onSubmit={submit} noValidate aria-label={saved ? 'Edit car' : 'Add car'}>
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

        <Section title="Photos">
          <PhotosField
            rows={draft.photos}
            onChange={(photos) => {
              setDraft((d) => ({ ...d, photos }));
              setNotice(null);
            }}
            errors={photoErrors}
            error={errors.photos}
          />
        </Section>

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

        <div className="form-footer">
          <FormError error={general} />
          {notice && (
            <div className="notice notice-ok" role="status">
              {notice}
            </div>
          )}
          <Warnings warnings={saved?.warnings} />
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={busy || deleting}>
              {busy ? 'Saving…' : saved ? 'Save changes' : 'Add car'}
            </button>
            <Link to={back} className="btn btn-ghost">
              {saved ? 'Close' : 'Cancel'}
            </Link>
            {saved && (
              <button
                type="button"
                className="btn btn-ghost btn-danger-text form-actions-end"
                onClick={() => setConfirming(true)}
                disabled={busy || deleting}
              >
                Delete car
              </button>
            )}
          </div>
        </div>
      </form>

      {confirming && saved && (
        <ConfirmDialog
          title="Delete this car?"
          confirmLabel="Delete"
          busy={deleting}
          onConfirm={() => void remove()}
          onCancel={() => setConfirming(false)}
        >
          <p>
            <strong>
              {listingTitle(saved)} {saved.year}
            </strong>{' '}
            and its photos list are removed from your inventory. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="card form-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** What saving noticed but did not refuse (e.g. a VIN check digit), as a yellow note. */
function Warnings({ warnings }: { warnings: ListingWarning[] | undefined }) {
  if (!warnings?.length) return null;
  return (
    <div className="notice notice-warn listing-warnings" role="status">
      <strong>Saved, but worth a second look:</strong>
      <ul>
        {warnings.map((w) => (
          <li key={`${w.field}:${w.message}`}>
            {fieldLabel(w.field)}: {sentence(w.message)}
          </li>
        ))}
      </ul>
    </div>
  );
}

// --- read only -----------------------------------------------------------

/** A car as a viewer sees it. */
function ListingDetails({ listing: l, back }: { listing: ListingView; back: string }) {
  const photos = l.photos ?? [];
  const facts: [string, ReactNode][] = [
    ['Status', <StatusBadge key="s" status={l.status} />],
    ['Price', formatPrice(l.price, l.currency)],
    ['Year', l.year],
    ['Mileage', formatMileage(l.mileage, l.mileage_unit)],
    ['VIN', l.vin ? <code key="v">{l.vin}</code> : '—'],
    ['Fuel', l.fuel ? FUEL_LABELS[l.fuel] : '—'],
    ['Transmission', l.transmission ? TRANSMISSION_LABELS[l.transmission] : '—'],
    ['Body type', l.body || '—'],
    ['Colour', l.color || '—'],
    [
      'Source page',
      l.source_url ? (
        <a key="u" href={l.source_url} target="_blank" rel="noreferrer" className="break">
          {l.source_url}
        </a>
      ) : (
        '—'
      ),
    ],
    ['Added', formatDate(l.created_at, true)],
    ['Last changed', formatDate(l.updated_at, true)],
  ];
  return (
    <>
      <PageHeader
        title={`${listingTitle(l)} ${l.year}`}
        actions={
          <Link to={back} className="btn btn-ghost">
            Back to the inventory
          </Link>
        }
      />
      <p className="muted small">Only managers, admins and owners can edit or delete cars.</p>
      <section className="card">
        {photos.length > 0 && (
          <ul className="listing-gallery" aria-label="Photos">
            {photos.map((p, i) => (
              <li key={`${i}:${p}`}>
                <a href={p} target="_blank" rel="noreferrer">
                  <img src={p} alt={`Photo ${i + 1} of ${listingTitle(l)}`} loading="lazy" />
                </a>
              </li>
            ))}
          </ul>
        )}
        <dl className="facts">
          {facts.map(([k, v]) => (
            <Fragment key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </Fragment>
          ))}
        </dl>
        {l.description && <p className="listing-description">{l.description}</p>}
      </section>
    </>
  );
}
