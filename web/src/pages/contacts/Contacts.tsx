import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearchParams } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { invalidate, useApiQuery } from '../../api/query';
import type { BotList, ContactPage, ContactView, TagContactsResult } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { SelectField, TextField } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { formatRelative } from '../../i18n/format';
import { ChannelList } from './ChannelList';
import { BulkTagFilter } from './BulkTagFilter';
import { ExportContacts } from './ExportContacts';
import { Segments } from './Segments';
import {
  ACTIVE_DAYS,
  activeFilterCount,
  contactsPath,
  filterParams,
  isFilterKey,
  LANGUAGE_CODES,
  opTakesValue,
  readFilters,
  VAR_OPS,
  type FilterKey,
  type Filters,
} from './filters';

/**
 * The first page of contacts for `path` and the further pages "Load more"
 * fetched for it. A page may be short (even empty) while more remain: the
 * server reads one slice of an index per page and filters it.
 */
function useContacts(path: string) {
  const first = useApiQuery<ContactPage>(path);
  const [more, setMore] = useState<{ path: string; items: ContactView[]; cursor: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<{ path: string; error: unknown } | null>(null);
  const extra = more?.path === path ? more : null;
  const items: ContactView[] = [];
  const seen = new Set<string>();
  for (const c of [...(first.data?.items ?? []), ...(extra?.items ?? [])]) {
    if (seen.has(c.id)) continue;
    seen.add(c.id);
    items.push(c);
  }
  const cursor = extra ? extra.cursor : (first.data?.next_cursor ?? null);
  const loadMore = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const p = await api<ContactPage>(`${path}&cursor=${encodeURIComponent(cursor)}`);
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
    reload: () => {
      setMore(null);
      void first.refetch();
    },
    hasMore: !!cursor,
    loadMore,
    loadingMore,
    moreError: moreError?.path === path ? errorMessage(moreError.error) : null,
  };
}

/** The per-bot marks (and the open request) filtered by yes / no / any. */
const MARKS: FilterKey[] = ['blocked', 'unsubscribed', 'open_request'];

export function Contacts() {
  const { t } = useTranslation('contacts');
  const { me } = useAuth();
  const [params, setParams] = useSearchParams();
  const canEdit = atLeast(me?.role, 'manager');
  const filters = readFilters(params);
  const search = filterParams(filters).toString();
  // Said by the contact page after an erasure.
  const notice = (useLocation().state as { notice?: string } | null)?.notice;

  return (
    <>
      <PageHeader
        title={t('title')}
        subtitle={t('subtitle')}
        actions={
          canEdit &&
          me?.workspace && (
            <Link to="/contacts/import" className="btn btn-secondary">
              {t('importButton')}
            </Link>
          )
        }
      />
      {notice && (
        <p className="notice notice-ok" role="status">
          {notice}
        </p>
      )}
      {!me?.workspace ? (
        <EmptyState title={t('common:states.noWorkspace')}>{t('noWorkspace')}</EmptyState>
      ) : (
        <>
          {!canEdit && <p className="muted small">{t('onlyManagers')}</p>}
          <Segments applied={filters} canEdit={canEdit} onOpen={(f) => setParams(filterParams(f))} />
          <ContactList filters={filters} search={search} canEdit={canEdit} onApply={(f) => setParams(filterParams(f))} />
        </>
      )}
    </>
  );
}

function ContactList({ filters, search, canEdit, onApply }: { filters: Filters; search: string; canEdit: boolean; onApply: (f: Filters) => void }) {
  const { t } = useTranslation('contacts');
  const path = contactsPath(filters);
  const list = useContacts(path);
  const bots = useApiQuery<BotList>('/api/bots');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  // Kept here: the tag form goes away with the selection it changed.
  const [tagged, setTagged] = useState<string | null>(null);
  const filtered = search !== '';
  const badFilter = list.error instanceof ApiError && list.error.status === 422 && isFilterKey(list.error.field) ? list.error : null;
  const serverErrors: Partial<Record<FilterKey, string>> = badFilter ? { [badFilter.field as FilterKey]: errorMessage(badFilter) } : {};
  const shownIds = list.items.map((c) => c.id);
  const chosen = shownIds.filter((id) => selected.has(id));
  const allChosen = shownIds.length > 0 && chosen.length === shownIds.length;
  const toggle = (id: string) => {
    setTagged(null);
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  };

  return (
    <>
      <FilterForm key={search} applied={filters} serverErrors={serverErrors} bots={bots.data?.bots ?? []} onApply={onApply} />
      <section className="card" aria-label={t('title')}>
        {list.loading ? (
          <Loading label={t('loading')} />
        ) : badFilter ? (
          <EmptyState title={t('checkFilters')}>{errorMessage(badFilter)}</EmptyState>
        ) : list.error ? (
          <ErrorState title={t('loadError')} error={list.error} onRetry={list.reload} />
        ) : list.items.length === 0 && !list.hasMore ? (
          filtered ? (
            <EmptyState title={t('noMatch')}>
              <p>{t('noMatchBody')}</p>
              <button type="button" className="btn btn-secondary btn-sm" onClick={() => onApply({})}>
                {t('clearFilters')}
              </button>
            </EmptyState>
          ) : (
            <EmptyState title={t('empty')}>{t('emptyBody')}</EmptyState>
          )
        ) : (
          <>
            <div className="card-header">
              <span className="muted small">{list.hasMore ? t('shownMore', { count: list.items.length }) : t('shown', { count: list.items.length })}</span>
              {canEdit && chosen.length > 0 && (
                <BulkTags
                  ids={chosen}
                  onDone={(message) => {
                    setTagged(message);
                    setSelected(new Set());
                    list.reload();
                  }}
                />
              )}
              {canEdit && chosen.length === 0 && <ExportContacts applied={filters} />}
              {canEdit && chosen.length === 0 && filtered && <BulkTagFilter applied={filters} />}
              {tagged && chosen.length === 0 && (
                <span className="small muted" role="status">
                  {tagged}
                </span>
              )}
            </div>
            {list.items.length === 0 ? (
              <EmptyState title={t('noMatchYet')}>{t('noMatchYetBody')}</EmptyState>
            ) : (
              <div className="table-wrap">
                <table className="table contacts-table">
                  <thead>
                    <tr>
                      {canEdit && (
                        <th>
                          <input
                            type="checkbox"
                            aria-label={t('selectAll')}
                            checked={allChosen}
                            onChange={() => {
                              setTagged(null);
                              setSelected(allChosen ? new Set() : new Set(shownIds));
                            }}
                          />
                        </th>
                      )}
                      <th>{t('columns.name')}</th>
                      <th className="hide-narrow">{t('columns.phone')}</th>
                      <th>{t('columns.tags')}</th>
                      <th className="hide-narrow">{t('columns.channels')}</th>
                      <th>{t('columns.lastActive')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.items.map((c) => (
                      <tr key={c.id}>
                        {canEdit && (
                          <td>
                            <input type="checkbox" aria-label={t('columns.select') + ': ' + c.name} checked={selected.has(c.id)} onChange={() => toggle(c.id)} />
                          </td>
                        )}
                        <td>
                          <Link to={`/contacts/${encodeURIComponent(c.id)}`} state={{ back: search ? `?${search}` : '' }}>
                            <strong>{c.name}</strong>
                          </Link>
                          {c.username && <div className="muted small">@{c.username}</div>}
                          {!c.reachable && (
                            <span className="pill pill-muted" title={t('unreachableHint')}>
                              {t('unreachable')}
                            </span>
                          )}
                        </td>
                        <td className="hide-narrow">{c.phone ?? t('never')}</td>
                        <td>
                          {c.tags.map((tag) => (
                            <span key={tag} className="pill pill-muted contact-tag">
                              {tag}
                            </span>
                          ))}
                        </td>
                        <td className="hide-narrow">
                          <ChannelList channels={c.channels} compact />
                        </td>
                        <td>{c.last_active_at ? formatRelative(c.last_active_at) : t('never')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
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

/** Adds or removes one tag on the selected contacts. */
function BulkTags({ ids, onDone }: { ids: string[]; onDone: (message: string) => void }) {
  const { t } = useTranslation('contacts');
  const client = useQueryClient();
  const [tag, setTag] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (how: 'add' | 'remove') => {
    if (!tag.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api<TagContactsResult>('/api/contacts/tags', { method: 'POST', body: { ids, [how]: [tag.trim()] } });
      setTag('');
      await invalidate(client, '/api/contacts');
      onDone(t('tagged', { count: r.changed }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="bulk-tags" onSubmit={(e: FormEvent) => { e.preventDefault(); void run('add'); }}>
      <span className="small">{t('selected', { count: ids.length })}</span>
      <input type="text" aria-label={t('tagLabel')} placeholder={t('tagPlaceholder')} value={tag} onChange={(e) => setTag(e.target.value)} maxLength={40} />
      <button type="submit" className="btn btn-primary btn-sm" disabled={busy || !tag.trim()}>
        {t('addTag')}
      </button>
      <button type="button" className="btn btn-secondary btn-sm" disabled={busy || !tag.trim()} onClick={() => void run('remove')}>
        {t('removeTag')}
      </button>
      {!!error && (
        <span className="field-error" role="alert">
          {t('tagFailed', { error: errorMessage(error) })}
        </span>
      )}
    </form>
  );
}

function FilterForm({
  applied,
  serverErrors,
  bots,
  onApply,
}: {
  applied: Filters;
  serverErrors: Partial<Record<FilterKey, string>>;
  bots: { id: number; username: string }[];
  onApply: (f: Filters) => void;
}) {
  const { t } = useTranslation('contacts');
  const [draft, setDraft] = useState<Filters>(applied);
  const count = activeFilterCount(applied);
  const [open, setOpen] = useState(count > 0 || Object.keys(serverErrors).some((k) => k !== 'q'));
  const panelId = useId();
  const set = (k: FilterKey) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(draft);
  };
  const yesNo = (k: FilterKey) => (
    <SelectField key={k} label={t(`filters.${k}`)} name={k} value={draft[k] ?? ''} onChange={set(k)} error={serverErrors[k]}>
      <option value="">{t('any')}</option>
      <option value="true">{t('yes')}</option>
      <option value="false">{t('no')}</option>
    </SelectField>
  );

  return (
    <form className="card inventory-filters" role="search" aria-label={t('search')} onSubmit={submit} noValidate>
      <div className="inventory-search">
        <input type="search" name="q" aria-label={t('search')} placeholder={t('searchPlaceholder')} value={draft.q ?? ''} onChange={set('q')} />
        <button type="submit" className="btn btn-primary">
          {t('search')}
        </button>
        <button type="button" className="btn btn-secondary" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen((o) => !o)}>
          {count > 0 ? t('filtersCount', { count }) : t('filtersLabel')}
        </button>
      </div>
      {serverErrors.q && <div className="field-error">{serverErrors.q}</div>}
      {open && (
        <div className="filters-panel" id={panelId}>
          <div className="form-row">
            <SelectField label={t('filters.bot')} name="bot_id" value={draft.bot_id ?? ''} onChange={set('bot_id')} error={serverErrors.bot_id}>
              <option value="">{t('anyBot')}</option>
              {bots.map((b) => (
                <option key={b.id} value={String(b.id)}>
                  @{b.username}
                </option>
              ))}
            </SelectField>
            <TextField grow label={t('filters.tag')} name="tag" placeholder={t('anyTag')} value={draft.tag ?? ''} onChange={set('tag')} error={serverErrors.tag} />
            <SelectField label={t('filters.language')} name="language" value={draft.language ?? ''} onChange={set('language')} error={serverErrors.language}>
              <option value="">{t('any')}</option>
              {LANGUAGE_CODES.map((l) => (
                <option key={l} value={l}>
                  {t(`languages.${l}`)}
                </option>
              ))}
            </SelectField>
          </div>
          <div className="form-row">
            {MARKS.map(yesNo)}
            <SelectField label={t('filters.active')} name="active_days" value={draft.active_days ?? ''} onChange={set('active_days')} error={serverErrors.active_days}>
              <option value="">{t('any')}</option>
              {ACTIVE_DAYS.map((d) => (
                <option key={d} value={d}>
                  {t('activeWithin', { count: Number(d) })}
                </option>
              ))}
              {/* Another number of days from a link: shown as it is, not as "any". */}
              {draft.active_days && !(ACTIVE_DAYS as readonly string[]).includes(draft.active_days) && /^\d+$/.test(draft.active_days) && (
                <option value={draft.active_days}>{t('activeWithin', { count: Number(draft.active_days) })}</option>
              )}
            </SelectField>
          </div>
          <div className="form-row">
            <TextField grow label={t('filters.source')} name="source" placeholder={t('anySource')} value={draft.source ?? ''} onChange={set('source')} error={serverErrors.source} />
          </div>
          <div className="form-row">
            <TextField grow label={t('filters.var')} name="var" placeholder={t('varPlaceholder')} value={draft.var ?? ''} onChange={set('var')} error={serverErrors.var} />
            <SelectField label={t('filters.var_op')} name="var_op" value={draft.var_op ?? 'set'} onChange={set('var_op')} error={serverErrors.var_op}>
              {VAR_OPS.map((op) => (
                <option key={op} value={op}>
                  {t(`varOps.${op}`)}
                </option>
              ))}
            </SelectField>
            {opTakesValue(draft.var_op) && (
              <TextField label={t('filters.var_value')} name="var_value" value={draft.var_value ?? ''} onChange={set('var_value')} error={serverErrors.var_value} />
            )}
          </div>
          <p className="muted small">{t('blockedHint')}</p>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary">
              {t('search')}
            </button>
            <button type="button" className="btn btn-secondary" onClick={() => onApply({})}>
              {t('clearFilters')}
            </button>
          </div>
        </div>
      )}
    </form>
  );
}
