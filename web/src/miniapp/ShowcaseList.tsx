// The showcase's list: the dealer's available cars with a few filters (kept in
// the address, so a filtered list can be shared), page by page.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { errorMessage } from '../api/errors';
import {
  publicGet,
  readShowcaseFilters,
  showcasePath,
  showcaseQuery,
  showcaseUrl,
  usePublic,
  type Showcase,
  type ShowcaseCar,
  type ShowcaseFilters,
} from './api';
import { carChips, carMileage, carTitle, formatPrice } from './format';
import { CarPhoto, Chips, MaError, MaState } from './parts';

/** What a card hands to the car page: the list's query, to come back to it. */
export interface CarLinkState {
  back?: string;
  fromList?: boolean;
}

function useShowcase(slug: string, filters: ShowcaseFilters) {
  const path = showcasePath(slug, filters);
  const first = usePublic<Showcase>(path);
  const [more, setMore] = useState<{ path: string; items: ShowcaseCar[]; cursor: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<{ path: string; error: unknown } | null>(null);

  const current = first.loading ? null : first.data;
  const extra = more?.path === path ? more : null;
  const items: ShowcaseCar[] = [];
  const seen = new Set<string>();
  for (const c of [...(current?.items ?? []), ...(extra?.items ?? [])]) {
    if (!c || seen.has(c.id)) continue;
    seen.add(c.id);
    items.push(c);
  }
  const cursor = extra ? extra.cursor : (current?.next_cursor ?? null);

  const loadMore = async () => {
    if (!cursor || loadingMore) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await publicGet<Showcase>(showcasePath(slug, filters, cursor));
      setMore({ path, items: [...(extra?.items ?? []), ...(page.items ?? [])], cursor: page.next_cursor ?? null });
    } catch (e) {
      setMoreError({ path, error: e });
    } finally {
      setLoadingMore(false);
    }
  };

  return {
    /** The last answer, also while the next loads (company name, makes). */
    last: first.data,
    items,
    loading: first.loading,
    error: first.error,
    reload: first.reload,
    hasMore: !!cursor,
    loadMore,
    loadingMore,
    moreError: moreError?.path === path ? errorMessage(moreError.error) : null,
  };
}

export function ShowcaseList({ slug }: { slug: string }) {
  const { t } = useTranslation('showcase');
  const [params, setParams] = useSearchParams();
  const filters = readShowcaseFilters(params);
  const query = showcaseQuery(filters).toString();
  const list = useShowcase(slug, filters);
  const company = list.last?.company;

  useEffect(() => {
    if (!company) return;
    const before = document.title;
    document.title = company;
    return () => {
      document.title = before;
    };
  }, [company]);

  if (list.error instanceof ApiError && list.error.status === 404) {
    return (
      <div className="ma-page">
        <MaState title={t('noShowcase')}>{t('noShowcaseBody')}</MaState>
      </div>
    );
  }

  const apply = (f: ShowcaseFilters) => setParams(showcaseQuery(f));
  const filtered = query !== '';
  const makes = list.last?.makes ?? [];

  return (
    <div className="ma-page">
      <header className="ma-header">
        {company ? <h1>{company}</h1> : <div className="ma-skel ma-skel-title" aria-hidden="true" />}
        <p className="ma-hint">{t('inStock')}</p>
      </header>

      {/* Keyed by the applied filters: the form follows the address (Back, Clear). */}
      <FilterBar key={query} applied={filters} makes={makes} onApply={apply} />

      <section aria-label={t('cars')}>
        {list.loading ? (
          <ListSkeleton />
        ) : list.error ? (
          <MaError title={t('loadError')} error={list.error} onRetry={list.reload} />
        ) : list.items.length === 0 ? (
          filtered ? (
            <MaState
              title={t('noMatch')}
              action={
                <button type="button" className="ma-btn ma-btn-secondary" onClick={() => apply({})}>
                  {t('showAll')}
                </button>
              }
            >
              {t('noMatchBody')}
            </MaState>
          ) : (
            <MaState title={t('empty')}>{t('emptyBody')}</MaState>
          )
        ) : (
          <>
            <ul className="ma-grid">
              {list.items.map((c) => (
                <CarCard key={c.id} car={c} slug={slug} back={query} />
              ))}
            </ul>
            {list.hasMore && (
              <div className="ma-more">
                <button
                  type="button"
                  className="ma-btn ma-btn-secondary ma-btn-block"
                  onClick={() => void list.loadMore()}
                  disabled={list.loadingMore}
                >
                  {list.loadingMore ? t('common:states.loading') : t('loadMore')}
                </button>
                {list.moreError && (
                  <p className="ma-error-text" role="alert">
                    {t('moreFailed', { error: list.moreError })}
                  </p>
                )}
              </div>
            )}
          </>
        )}
      </section>
    </div>
  );
}

function FilterBar({
  applied,
  makes,
  onApply,
}: {
  applied: ShowcaseFilters;
  makes: string[];
  onApply: (f: ShowcaseFilters) => void;
}) {
  const { t } = useTranslation('showcase');
  const [draft, setDraft] = useState<ShowcaseFilters>(applied);
  const active = Object.keys(applied).length > 0;
  const options = applied.make && !makes.includes(applied.make) ? [...makes, applied.make] : makes;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(draft);
  };
  const digits = (k: 'price_max' | 'year_min') => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [k]: e.target.value.replace(/\D/g, '') }));

  return (
    <form className="ma-filters" role="search" aria-label={t('filterCars')} onSubmit={submit}>
      <input
        type="search"
        name="q"
        className="ma-input ma-search"
        aria-label={t('search')}
        placeholder={t('searchPlaceholder')}
        enterKeyHint="search"
        value={draft.q ?? ''}
        onChange={(e) => setDraft((d) => ({ ...d, q: e.target.value }))}
      />
      <div className="ma-filter-row">
        <select
          name="make"
          className="ma-input"
          aria-label={t('make')}
          value={draft.make ?? ''}
          onChange={(e) => {
            const next = { ...draft, make: e.target.value };
            setDraft(next);
            onApply(next);
          }}
        >
          <option value="">{t('allMakes')}</option>
          {options.map((m) => (
            <option key={m} value={m} translate="no">
              {m}
            </option>
          ))}
        </select>
        <input
          name="price_max"
          className="ma-input"
          aria-label={t('maxPrice')}
          placeholder={t('anyPrice')}
          inputMode="numeric"
          autoComplete="off"
          value={draft.price_max ?? ''}
          onChange={digits('price_max')}
        />
        <input
          name="year_min"
          className="ma-input"
          aria-label={t('minYear')}
          placeholder={t('anyYear')}
          inputMode="numeric"
          maxLength={4}
          autoComplete="off"
          value={draft.year_min ?? ''}
          onChange={digits('year_min')}
        />
      </div>
      <div className="ma-filter-actions">
        <button type="submit" className="ma-btn">
          {t('showCars')}
        </button>
        {active && (
          <button type="button" className="ma-btn ma-btn-ghost" onClick={() => onApply({})}>
            {t('common:actions.clear')}
          </button>
        )}
      </div>
    </form>
  );
}

function cover(car: ShowcaseCar): string | undefined {
  return car.thumbs?.[0] ?? car.photos?.[0];
}

function CarCard({ car, slug, back }: { car: ShowcaseCar; slug: string; back: string }) {
  const state: CarLinkState = { back, fromList: true };
  const mileage = carMileage(car);
  return (
    <li>
      <Link to={showcaseUrl(slug, car.id)} state={state} className="ma-card" data-car={car.id}>
        {/* The small copy for the list (uploads' 320 px variant; an address as it is). */}
        <CarPhoto key={cover(car) ?? ''} url={cover(car)} />
        <span className="ma-card-body">
          <span className="ma-card-title">{carTitle(car)}</span>
          <span className="ma-price">{formatPrice(car.price, car.currency)}</span>
          {mileage && <span className="ma-hint">{mileage}</span>}
          <Chips items={carChips(car)} />
        </span>
      </Link>
    </li>
  );
}

function ListSkeleton() {
  const { t } = useTranslation('showcase');
  return (
    <>
      <p className="ma-sr" role="status">
        {t('loading')}
      </p>
      <ul className="ma-grid" aria-hidden="true">
        {[0, 1, 2, 3].map((i) => (
          <li key={i} className="ma-card ma-card-skel">
            <div className="ma-photo ma-skel" />
            <span className="ma-card-body">
              <span className="ma-skel ma-skel-line" />
              <span className="ma-skel ma-skel-line ma-skel-short" />
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}
