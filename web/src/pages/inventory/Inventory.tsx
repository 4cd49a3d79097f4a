import { useId, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, ApiError } from '../../api/client';
import type { ListingPage, ListingView } from '../../api/types';
import { useApi } from '../../api/useApi';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { SelectField, TextField } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorState, errorMessage, Loading } from '../../components/States';
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
import { formatMileage, formatPrice, listingTitle, STATUS_LABELS, STATUSES } from './listing';

/** What the list page passes to a car's page, to come back to the same filters. */
export interface BackState {
  back?: string;
}

/**
 * The first page of cars for `path` (refetched when the filters change) and
 * the further pages "Load more" fetched for the same path.
 */
function useListings(path: string) {
  const first = useApi<ListingPage>(path);
  const [more, setMore] = useState<{ path: string; items: ListingView[]; cursor: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<{ path: string; message: string } | null>(null);

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
      setMoreError({ path, message: errorMessage(e) });
    } finally {
      setLoadingMore(false);
    }
  };

  return {
    items,
    loading: first.loading || (!first.data && !first.error),
    error: first.loading ? null : first.error,
    reload: first.reload,
    hasMore: !!cursor,
    loadMore,
    loadingMore,
    moreError: moreError?.path === path ? moreError.message : null,
  };
}

export function Inventory() {
  const { me } = useAuth();
  const [params, setParams] = useSearchParams();
  const canEdit = atLeast(me?.role, 'manager');
  const filters = readFilters(params);
  const search = filterParams(filters).toString();

  return (
    <>
      <PageHeader
        title="Inventory"
        subtitle="Your cars in stock: search them, filter them, and keep each listing up to date."
        actions={
          canEdit &&
          me?.workspace && (
            <>
              <Link to="/parser?from=inventory" className="btn btn-secondary">
                Import from URL
              </Link>
              <Link to="/inventory/new" className="btn btn-primary">
                Add car
              </Link>
            </>
          )
        }
      />
      {!me?.workspace ? (
        <EmptyState title="No workspace">The inventory belongs to a workspace; log in as one of its members.</EmptyState>
      ) : (
        <>
          {!canEdit && <p className="muted small">Only managers, admins and owners can add, edit or delete cars.</p>}
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
  const list = useListings(inventoryPath(filters));
  const filtered = search !== '';
  // A filter the server refused (422 naming it) is shown under that filter.
  const badFilter = list.error instanceof ApiError && list.error.status === 422 && isFilterKey(list.error.field) ? list.error : null;
  const serverErrors: Partial<Record<FilterKey, string>> = badFilter ? { [badFilter.field as FilterKey]: badFilter.message } : {};

  return (
    <>
      {/* Keyed by the applied filters: what the form shows follows the URL (Back, links, Clear). */}
      <FilterForm key={search} applied={filters} serverErrors={serverErrors} onApply={onApply} />
      <section className="card" aria-label="Cars">
        {list.loading ? (
          <Loading label="Loading cars…" />
        ) : badFilter ? (
          <EmptyState title="Check the filters">Correct the filter marked above and apply it again.</EmptyState>
        ) : list.error ? (
          <ErrorState title="Could not load the cars" error={list.error} onRetry={list.reload} />
        ) : list.items.length === 0 ? (
          filtered ? (
            <EmptyState title="No cars match">
              <p>Try fewer or wider filters.</p>
              <button type="button" className="btn btn-secondary btn-sm" onClick={() => onApply({})}>
                Clear filters
              </button>
            </EmptyState>
          ) : (
            <EmptyState title="No cars in stock yet">
              {canEdit ? (
                <>
                  <Link to="/inventory/new">Add a car</Link> by hand, or{' '}
                  <Link to="/parser?from=inventory">import one from its web page</Link>.
                </>
              ) : (
                'A manager of your workspace can add the first one.'
              )}
            </EmptyState>
          )
        ) : (
          <>
            <div className="card-header">
              <h2>{filtered ? 'Matching cars' : 'All cars'}</h2>
              <span className="muted small">
                {list.items.length} shown{list.hasMore ? ', more below' : ''}
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
                  {list.loadingMore ? 'Loading…' : 'Load more'}
                </button>
                {list.moreError && (
                  <div className="field-error" role="alert">
                    Could not load more cars: {list.moreError}
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

const RANGE_FIELDS: { label: string; min: FilterKey; max: FilterKey; placeholder: [string, string] }[] = [
  { label: 'Year', min: 'year_min', max: 'year_max', placeholder: ['2015', '2024'] },
  { label: 'Price', min: 'price_min', max: 'price_max', placeholder: ['5000', '40000'] },
  { label: 'Mileage', min: 'mileage_min', max: 'mileage_max', placeholder: ['0', '150000'] },
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
    <form className="card inventory-filters" role="search" aria-label="Search cars" onSubmit={submit} noValidate>
      <div className="inventory-search">
        <input
          type="search"
          name="q"
          aria-label="Search"
          placeholder="Search make, model, VIN…"
          value={draft.q ?? ''}
          onChange={set('q')}
          aria-invalid={shownErrors.q ? true : undefined}
        />
        <button type="submit" className="btn btn-primary">
          Search
        </button>
        <button
          type="button"
          className="btn btn-secondary"
          aria-expanded={open}
          aria-controls={panelId}
          onClick={() => setOpen((o) => !o)}
        >
          Filters{count > 0 ? ` (${count})` : ''}
        </button>
      </div>
      {shownErrors.q && <div className="field-error">{shownErrors.q}</div>}
      {open && (
        <div className="filters-panel" id={panelId}>
          <div className="form-row">
            <TextField grow label="Make" name="make" placeholder="BMW" value={draft.make ?? ''} onChange={set('make')} error={shownErrors.make} />
            <TextField grow label="Model" name="model" placeholder="320d" value={draft.model ?? ''} onChange={set('model')} error={shownErrors.model} />
            <SelectField label="Status" name="status" value={draft.status ?? ''} onChange={set('status')} error={shownErrors.status}>
              <option value="">Any status</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABELS[s]}
                </option>
              ))}
              {draft.status && !(STATUSES as string[]).includes(draft.status) && <option value={draft.status}>{draft.status}</option>}
            </SelectField>
          </div>
          <div className="form-row">
            {RANGE_FIELDS.map((r) => (
              <div key={r.label} className="range-field" role="group" aria-label={r.label}>
                <TextField
                  label={`${r.label} from`}
                  name={r.min}
                  inputMode="numeric"
                  placeholder={r.placeholder[0]}
                  value={draft[r.min] ?? ''}
                  onChange={set(r.min)}
                  error={shownErrors[r.min]}
                />
                <TextField
                  label={`${r.label} to`}
                  name={r.max}
                  inputMode="numeric"
                  placeholder={r.placeholder[1]}
                  value={draft[r.max] ?? ''}
                  onChange={set(r.max)}
                  error={shownErrors[r.max]}
                />
              </div>
            ))}
          </div>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary btn-sm">
              Apply filters
            </button>
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => onApply(draft.q ? { q: draft.q } : {})}>
              Clear filters
            </button>
          </div>
        </div>
      )}
    </form>
  );
}

function ListingCard({ listing: l, back }: { listing: ListingView; back: string }) {
  const photo = l.photos?.[0];
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
  const [broken, setBroken] = useState(false);
  if (!url || broken) {
    return (
      <span className="listing-thumb listing-thumb-none" aria-hidden="true">
        {url ? 'Photo unavailable' : 'No photo'}
      </span>
    );
  }
  return <img className="listing-thumb" src={url} alt="" loading="lazy" onError={() => setBroken(true)} />;
}

export function StatusBadge({ status }: { status: ListingView['status'] }) {
  return <span className={`status-badge status-${status}`}>{STATUS_LABELS[status] ?? status}</span>;
}
