import { useId, useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { api, ApiError } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { useApiQuery } from '../../api/query';
import type { ListingPage, ListingView } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { SelectField, TextField } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import {
  activeFilterCount,
  checkFilters,
  filterParams,
  inventoryPath,
  isFilterKey,
  readFilters,
  type FilterKey,
  type Filters,
} from './filters';
import { formatMileage, formatPrice, listingTitle, STATUSES, statusLabel } from './listing';

/** What the list page passes to a car's page, to come back to the same filters. */
export interface BackState {
  back?: string;
}

/**
 * The first page of cars for `path` (refetched when the filters change) and
 * the further pages "Load more" fetched for the same path.
 */
function useListings(path: string) {
  const first = useApiQuery<ListingPage>(path);
  const [more, setMore] = useState<{ path: string; items: ListingView[]; cursor: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<{ path: string; error: unknown } | null>(null);

  const extra = more?.path === path ? more : null;
  const items: ListingView[] = [];
  const seen = new Set<string>();
  for (const l of [...(first.data?.items ?? []), ...(extra?.items ?? [])]) {
    if (seen.has(l.id)) continue;
    seen.add(l.id);
    items.push(l);
  }
  const cursor = extra ? extra.cursor : (first.data?.next_cursor ?? null);

  const loadMore = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const p = await api<ListingPage>(`${path}&cursor=${encodeURIComponent(cursor)}`);
      setMore({ path, items: [...(extra?.items ?? []), ...p.items], cursor: p.next_cursor ?? null });
    } catch (e) {
      setMoreError({ path, error: e });
    } finally {
      setLoadingMore(false);
    }
  };

  return {
    items,
    loading: first.isPending,
    error: first.data ? null : first.error,
    reload: () => void first.refetch(),
    hasMore: !!cursor,
    loadMore,
    loadingMore,
    moreError: moreError?.path === path ? errorMessage(moreError.error) : null,
  };
}

export function Inventory() {
  const { t } = useTranslation('inventory');
  const { me } = useAuth();
  const [params, setParams] = useSearchParams();
  const canEdit = atLeast(me?.role, 'manager');
  const filters = readFilters(params);
  const search = filterParams(filters).toString();

  return (
    <>
      <PageHeader
        title={t('title')}
        subtitle={t('subtitle')}
        actions={
          canEdit &&
          me?.workspace && (
            <>
              <Link to="/parser?from=inventory" className="btn btn-secondary">
                {t('importFromUrl')}
              </Link>
              <Link to="/inventory/import" className="btn btn-secondary">
                {t('importFeed')}
              </Link>
              <Link to="/inventory/new" className="btn btn-primary">
                {t('addCar')}
              </Link>
            </>
          )
        }
      />
      {!me?.workspace ? (
        <EmptyState title={t('common:states.noWorkspace')}>{t('noWorkspace')}</EmptyState>
      ) : (
        <>
          {!canEdit && <p className="muted small">{t('onlyManagers')}</p>}
          <InventoryList
            filters={filters}
            search={search}
            canEdit={canEdit}
            onApply={(f) => setParams(filterParams(f))}
          />
        </>
      )}
    </>
  );
}

function InventoryList({
  filters,
  search,
  canEdit,
  onApply,
}: {
  filters: Filters;
  search: string;
  canEdit: boolean;
  onApply: (f: Filters) => void;
}) {
  const { t } = useTranslation('inventory');
  const list = useListings(inventoryPath(filters));
  const filtered = search !== '';
  // A filter the server refused (422 naming it) is shown under that filter.
  const badFilter = list.error instanceof ApiError && list.error.status === 422 && isFilterKey(list.error.field) ? list.error : null;
  const serverErrors: Partial<Record<FilterKey, string>> = badFilter ? { [badFilter.field as FilterKey]: errorMessage(badFilter) } : {};

  return (
    <>
      {/* Keyed by the applied filters: what the form shows follows the URL (Back, links, Clear). */}
      <FilterForm key={search} applied={filters} serverErrors={serverErrors} onApply={onApply} />
      <section className="card" aria-label={t('cars')}>
        {list.loading ? (
          <Loading label={t('loading')} />
        ) : badFilter ? (
          <EmptyState title={t('checkFilters')}>{t('checkFiltersBody')}</EmptyState>
        ) : list.error ? (
          <ErrorState title={t('loadError')} error={list.error} onRetry={list.reload} />
        ) : list.items.length === 0 ? (
          filtered ? (
            <EmptyState title={t('noMatch')}>
              <p>{t('noMatchBody')}</p>
              <button type="button" className="btn btn-secondary btn-sm" onClick={() => onApply({})}>
                {t('clearFilters')}
              </button>
            </EmptyState>
          ) : (
            <EmptyState title={t('empty')}>
              {canEdit ? (
                <Trans
                  t={t}
                  i18nKey="emptyBody"
                  components={{ add: <Link to="/inventory/new" />, import: <Link to="/parser?from=inventory" /> }}
                />
              ) : (
                t('emptyOther')
              )}
            </EmptyState>
          )
        ) : (
          <>
            <div className="card-header">
              <h2>{filtered ? t('matching') : t('allCars')}</h2>
              <span className="muted small">
                {list.hasMore ? t('shownMore', { count: list.items.length }) : t('shown', { count: list.items.length })}
              </span>
            </div>
            <ul className="listing-grid">
              {list.items.map((l) => (
                <ListingCard key={l.id} listing={l} back={search ? `?${search}` : ''} />
              ))}
            </ul>
            {list.hasMore && (
              <div className="load-more">
                <button type="button" className="btn btn-secondary" onClick={() => void list.loadMore()} disabled={list.loadingMore}>
                  {list.loadingMore ? t('common:states.loading') : t('loadMore')}
                </button>
                {list.moreError && (
                  <div className="field-error" role="alert">
                    {t('moreFailed', { error: list.moreError })}
                  </div>
                )}
              </div>
            )}
          </>
        )}
      </section>
    </>
  );
}

/** The from–to filters (labels `filters.<key>`); their empty inputs say "any", so none looks applied. */
const RANGE_FIELDS: { key: string; min: FilterKey; max: FilterKey }[] = [
  { key: 'year', min: 'year_min', max: 'year_max' },
  { key: 'price', min: 'price_min', max: 'price_max' },
  { key: 'mileage', min: 'mileage_min', max: 'mileage_max' },
];

function FilterForm({
  applied,
  serverErrors,
  onApply,
}: {
  applied: Filters;
  serverErrors: Partial<Record<FilterKey, string>>;
  onApply: (f: Filters) => void;
}) {
  const { t } = useTranslation('inventory');
  const [draft, setDraft] = useState<Filters>(applied);
  const [errors, setErrors] = useState<Partial<Record<FilterKey, string>>>({});
  const shownErrors = { ...serverErrors, ...errors };
  const panelHasError = Object.keys(shownErrors).some((k) => k !== 'q');
  const [open, setOpen] = useState(activeFilterCount(applied) > 0 || panelHasError);
  const panelId = useId();
  const count = activeFilterCount(applied);

  const set = (k: FilterKey) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const checked = checkFilters(draft);
    if ('errors' in checked) {
      setErrors(checked.errors);
      setOpen(true);
      return;
    }
    setErrors({});
    onApply(checked.filters);
  };

  return (
    <form className="card inventory-filters" role="search" aria-label={t('searchCars')} onSubmit={submit} noValidate>
      <div className="inventory-search">
        <input
          type="search"
          name="q"
          aria-label={t('search')}
          placeholder={t('searchPlaceholder')}
          value={draft.q ?? ''}
          onChange={set('q')}
          aria-invalid={shownErrors.q ? true : undefined}
        />
        <button type="submit" className="btn btn-primary">
          {t('search')}
        </button>
        <button
          type="button"
          className="btn btn-secondary"
          aria-expanded={open}
          aria-controls={panelId}
          onClick={() => setOpen((o) => !o)}
        >
          {count > 0 ? t('filtersCount', { count }) : t('filtersLabel')}
        </button>
      </div>
      {shownErrors.q && <div className="field-error">{shownErrors.q}</div>}
      {open && (
        <div className="filters-panel" id={panelId}>
          <div className="form-row">
            <TextField grow label={t('fields.make')} name="make" placeholder={t('anyMake')} value={draft.make ?? ''} onChange={set('make')} error={shownErrors.make} />
            <TextField grow label={t('fields.model')} name="model" placeholder={t('anyModel')} value={draft.model ?? ''} onChange={set('model')} error={shownErrors.model} />
            <SelectField label={t('fields.status')} name="status" value={draft.status ?? ''} onChange={set('status')} error={shownErrors.status}>
              <option value="">{t('anyStatus')}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {statusLabel(s)}
                </option>
              ))}
              {draft.status && !(STATUSES as string[]).includes(draft.status) && <option value={draft.status}>{draft.status}</option>}
            </SelectField>
          </div>
          <div className="form-row">
            {RANGE_FIELDS.map((r) => (
              <div key={r.key} className="range-field" role="group" aria-label={t(`filters.${r.key}`)}>
                <TextField
                  label={t(`filters.${r.key}From`)}
                  name={r.min}
                  inputMode="numeric"
                  placeholder={t('noMinimum')}
                  value={draft[r.min] ?? ''}
                  onChange={set(r.min)}
                  error={shownErrors[r.min]}
                />
                <TextField
                  label={t(`filters.${r.key}To`)}
                  name={r.max}
                  inputMode="numeric"
                  placeholder={t('noMaximum')}
                  value={draft[r.max] ?? ''}
                  onChange={set(r.max)}
                  error={shownErrors[r.max]}
                />
              </div>
            ))}
          </div>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary btn-sm">
              {t('applyFilters')}
            </button>
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => onApply(draft.q ? { q: draft.q } : {})}>
              {t('clearFilters')}
            </button>
          </div>
        </div>
      )}
    </form>
  );
}

function ListingCard({ listing: l, back }: { listing: ListingView; back: string }) {
  // The cover's small link (an upload's 320 px copy; an address as it is).
  const photo = l.photo_links?.[0]?.thumb;
  const state: BackState = { back };
  return (
    <li>
      <Link to={`/inventory/${encodeURIComponent(l.id)}`} state={state} className="listing-card" data-listing={l.id}>
        <Thumb key={photo ?? ''} url={photo} />
        <span className="listing-card-body">
          <span className="listing-card-top">
            <span className="listing-card-title">
              {listingTitle(l)} <span className="muted">{l.year}</span>
            </span>
            <StatusBadge status={l.status} />
          </span>
          <span className="listing-price">{formatPrice(l.price, l.currency)}</span>
          <span className="muted small">{formatMileage(l.mileage, l.mileage_unit)}</span>
        </span>
      </Link>
    </li>
  );
}

/** The first photo, or a placeholder when there is none or it cannot be loaded. */
function Thumb({ url }: { url: string | undefined }) {
  const { t } = useTranslation();
  const [broken, setBroken] = useState(false);
  if (!url || broken) {
    return (
      <span className="listing-thumb listing-thumb-none" aria-hidden="true">
        {url ? t('car.photoUnavailable') : t('car.noPhoto')}
      </span>
    );
  }
  return <img className="listing-thumb" src={url} alt="" loading="lazy" onError={() => setBroken(true)} />;
}

export function StatusBadge({ status }: { status: ListingView['status'] }) {
  return <span className={`status-badge status-${status}`}>{statusLabel(status)}</span>;
}
