import { Fragment, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { api, ApiError, seg } from '../../api/client';
import type { ListingView, ListingWarning } from '../../api/types';
import { useApi } from '../../api/useApi';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorState, errorMessage, FormError, Loading } from '../../components/States';
import { formatDate } from '../../format';
import { StatusBadge, type BackState } from './Inventory';
import { formatMileage, formatPrice, FUEL_LABELS, listingTitle, TRANSMISSION_LABELS } from './listing';
import { errorSlot, fieldLabel, ListingFields, photoKey, sentence, toDraft, toInput, type Draft, type Errors } from './ListingForm';
import { PhotosField } from './PhotosField';

/** What a page opening a car may pass along: where Back goes, and a note to show first ("Imported from …"). */
export interface ListingArrival extends BackState {
  notice?: string;
}

/** `/inventory/new` (add) and `/inventory/:id` (edit, or read for a viewer). */
export function ListingPage() {
  const { me } = useAuth();
  const { id = 'new' } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const arrival = location.state as ListingArrival | null;
  const back = `/inventory${arrival?.back ?? ''}`;
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
    <ListingEditor key={`editor-${id}`} initial={loaded} back={back} initialNotice={arrival?.notice} />
  ) : (
    <ListingDetails listing={loaded} back={back} />
  );
}

// --- the form ------------------------------------------------------------

function ListingEditor({
  initial,
  back,
  onCreated,
  initialNotice,
}: {
  initial: ListingView | null;
  back: string;
  onCreated?: (l: ListingView) => void;
  initialNotice?: string;
}) {
  const navigate = useNavigate();
  const [saved, setSaved] = useState<ListingView | null>(initial);
  const [draft, setDraft] = useState<Draft>(() => toDraft(initial));
  const [errors, setErrors] = useState<Errors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(initialNotice ?? null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  // Bumped when errors are shown: the first marked field gets the focus (and scrolls into view).
  const [focusError, setFocusError] = useState(0);
  useEffect(() => {
    if (focusError) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusError]);

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
        <ListingFields
          draft={draft}
          errors={errors}
          onField={(k, value) => {
            setDraft((d) => ({ ...d, [k]: value }));
            setNotice(null);
          }}
          photos={
            <PhotosField
              rows={draft.photos}
              onChange={(photos) => {
                setDraft((d) => ({ ...d, photos }));
                setNotice(null);
              }}
              errors={photoErrors}
              error={errors.photos}
            />
          }
        />

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
