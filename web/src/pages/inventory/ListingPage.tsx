import { useQueryClient } from '@tanstack/react-query';
import { Megaphone } from 'lucide-react';
import { Fragment, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { api, ApiError, seg } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { invalidate, keyOf, useApiQuery } from '../../api/query';
import type { ListingView, ListingWarning } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorState, FormError, Loading } from '../../components/States';
import { currentLanguage } from '../../i18n';
import { formatDate } from '../../i18n/format';
import { StatusBadge, type BackState } from './Inventory';
import { formatMileage, formatPrice, fuelLabel, listingTitle, transmissionLabel } from './listing';
import { errorSlot, fieldLabel, ListingFields, photoKey, sentence, toDraft, toInput, type Draft, type Errors } from './ListingForm';
import { PhotosField } from './PhotosField';

/** What a page opening a car may pass along: where Back goes, and a note to show first ("Imported from …"). */
export interface ListingArrival extends BackState {
  notice?: string;
}

/** `/inventory/new` (add) and `/inventory/:id` (edit, or read for a viewer). */
export function ListingPage() {
  const { t } = useTranslation('inventory');
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
  const remote = useApiQuery<ListingView>(me?.workspace && !isNew && !justCreated ? `/api/inventory/${seg(id)}` : null);
  const loaded = remote.data && remote.data.id === id ? remote.data : null;

  if (!me?.workspace) {
    return (
      <>
        <PageHeader title={t('title')} />
        <EmptyState title={t('common:states.noWorkspace')}>{t('noWorkspace')}</EmptyState>
      </>
    );
  }

  if (isNew || justCreated) {
    if (!canEdit) {
      return (
        <>
          <PageHeader title={t('addACar')} />
          <EmptyState title={t('onlyManagersAdd')}>
            {t('onlyManagersAddBody')} <Link to={back}>{t('backToInventory')}</Link>
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

  if (remote.error && !loaded) {
    return (
      <>
        <PageHeader title={t('car')} />
        <ErrorState
          title={t('carLoadError')}
          error={remote.error}
          onRetry={() => void remote.refetch()}
          extra={
            <Link to={back} className="btn btn-secondary">
              {t('backToInventory')}
            </Link>
          }
        />
      </>
    );
  }
  if (!loaded) {
    return (
      <>
        <PageHeader title={t('car')} />
        <Loading label={t('carLoading')} />
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
  const { t } = useTranslation('inventory');
  const client = useQueryClient();
  const navigate = useNavigate();
  const [saved, setSaved] = useState<ListingView | null>(initial);
  const [draft, setDraft] = useState<Draft>(() => toDraft(initial));
  const [errors, setErrors] = useState<Errors>({});
  const [general, setGeneral] = useState<unknown>(null);
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
      setGeneral(t('checkMarked'));
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
      // The car's own answer is cached; lists and counts that show it are asked again.
      client.setQueryData(keyOf(`/api/inventory/${seg(l.id)}`), l);
      void invalidate(client, '/api/inventory', { exact: true });
      setNotice(saved ? t('saved') : t('added'));
      if (!saved) onCreated?.(l);
    } catch (err) {
      const slot = err instanceof ApiError && err.status === 422 && err.field ? errorSlot(err.field, checked.sent) : null;
      if (slot) {
        setErrors({ [slot]: errorMessage(err) });
        setGeneral(t('checkMarkedField', { field: fieldLabel(slot.startsWith('photo') ? 'photos' : slot) }));
        setFocusError((n) => n + 1);
      } else {
        setGeneral(err);
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
      client.removeQueries({ queryKey: keyOf(`/api/inventory/${seg(saved.id)}`) });
      void invalidate(client, '/api/inventory', { exact: true });
      navigate(back);
    } catch (e) {
      setGeneral(t('deleteFailed', { error: errorMessage(e) }));
      setDeleting(false);
      setConfirming(false);
    }
  };

  const photoErrors: Record<number, string | undefined> = {};
  for (const r of draft.photos) photoErrors[r.key] = errors[photoKey(r.key)];

  return (
    <>
      <PageHeader
        title={saved ? `${listingTitle(saved)} ${saved.year}` : t('addACar')}
        subtitle={
          saved
            ? t('addedChanged', { added: formatDate(saved.created_at), changed: formatDate(saved.updated_at, true) })
            : t('newSubtitle')
        }
        actions={
          <>
            {saved && saved.status !== 'sold' && (
              <Link to={`/calendar/new?car=${encodeURIComponent(saved.id)}`} className="btn btn-secondary">
                <Megaphone size={16} aria-hidden="true" /> {t('postThisCar')}
              </Link>
            )}
            <Link to={back} className="btn btn-ghost">
              {t('backToInventory')}
            </Link>
          </>
        }
      />
      <form ref={formRef} className="listing-form" onSubmit={submit} noValidate aria-label={saved ? t('editCar') : t('addCar')}>
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
              update={(change) => {
                setDraft((d) => ({ ...d, photos: change(d.photos) }));
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
              {busy ? t('common:actions.saving') : saved ? t('saveChanges') : t('addCar')}
            </button>
            <Link to={back} className="btn btn-ghost">
              {saved ? t('common:actions.close') : t('common:actions.cancel')}
            </Link>
            {saved && (
              <button
                type="button"
                className="btn btn-ghost btn-danger-text form-actions-end"
                onClick={() => setConfirming(true)}
                disabled={busy || deleting}
              >
                {t('deleteCar')}
              </button>
            )}
          </div>
        </div>
      </form>

      {confirming && saved && (
        <ConfirmDialog
          title={t('deleteTitle')}
          confirmLabel={t('common:actions.delete')}
          busy={deleting}
          onConfirm={() => void remove()}
          onCancel={() => setConfirming(false)}
        >
          <p>
            <Trans t={t} i18nKey="deleteBody" values={{ car: `${listingTitle(saved)} ${saved.year}` }} components={{ strong: <strong /> }} />
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** What saving noticed but did not refuse (e.g. a VIN check digit), as a yellow note. */
function Warnings({ warnings }: { warnings: ListingWarning[] | undefined }) {
  const { t } = useTranslation('inventory');
  if (!warnings?.length) return null;
  // The server's note is English: other languages say what the field's warning means.
  const text = (w: ListingWarning) =>
    currentLanguage() === 'en' ? sentence(w.message) : t(`warnings.${w.field}`, { defaultValue: t('warnings.other') });
  return (
    <div className="notice notice-warn listing-warnings" role="status">
      <strong>{t('warningsTitle')}</strong>
      <ul>
        {warnings.map((w) => (
          <li key={`${w.field}:${w.message}`}>
            {fieldLabel(w.field)}: {text(w)}
          </li>
        ))}
      </ul>
    </div>
  );
}

// --- read only -----------------------------------------------------------

/** A car as a viewer sees it. */
function ListingDetails({ listing: l, back }: { listing: ListingView; back: string }) {
  const { t } = useTranslation('inventory');
  // Links to show each photo (uploads: short-lived links to their copies); one that is gone is skipped.
  const photos = (l.photo_links ?? []).flatMap((p) => (p ? [p] : []));
  const facts: [string, ReactNode][] = [
    [t('fields.status'), <StatusBadge key="s" status={l.status} />],
    [t('fields.price'), formatPrice(l.price, l.currency)],
    [t('fields.year'), l.year],
    [t('fields.mileage'), formatMileage(l.mileage, l.mileage_unit)],
    [t('fields.vin'), l.vin ? <code key="v">{l.vin}</code> : '—'],
    [t('fields.fuel'), l.fuel ? fuelLabel(l.fuel) : '—'],
    [t('fields.transmission'), l.transmission ? transmissionLabel(l.transmission) : '—'],
    [t('fields.body'), l.body || '—'],
    [t('fields.color'), l.color || '—'],
    [
      t('fields.source_url'),
      l.source_url ? (
        <a key="u" href={l.source_url} target="_blank" rel="noreferrer" className="break">
          {l.source_url}
        </a>
      ) : (
        '—'
      ),
    ],
    [t('addedAt'), formatDate(l.created_at, true)],
    [t('changedAt'), formatDate(l.updated_at, true)],
  ];
  return (
    <>
      <PageHeader
        title={`${listingTitle(l)} ${l.year}`}
        actions={
          <Link to={back} className="btn btn-ghost">
            {t('backToInventory')}
          </Link>
        }
      />
      <p className="muted small">{t('onlyManagersEdit')}</p>
      <section className="card">
        {photos.length > 0 && (
          <ul className="listing-gallery" aria-label={t('fields.photos')}>
            {photos.map((p, i) => (
              <li key={`${i}:${p.full}`}>
                <a href={p.full} target="_blank" rel="noreferrer">
                  <img src={p.thumb} alt={t('photoOf', { n: i + 1, car: listingTitle(l) })} loading="lazy" />
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
