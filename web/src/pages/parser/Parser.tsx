import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api, ApiError, seg } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { invalidate } from '../../api/query';
import type { ListingView, MappingList, MappingRule, ParserPreview, ParserPreviewRequest, SaveMappingRequest } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { TextField } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, FormError, Loading } from '../../components/States';
import { i18n } from '../../i18n';
import { formatNumber } from '../../i18n/format';
import type { ListingArrival } from '../inventory/ListingPage';
import { errorSlot, fieldLabel, ListingFields, photoKey, toInput, type Draft, type Errors } from '../inventory/ListingForm';
import {
  choiceValue,
  draftFromPreview,
  initialChoices,
  MAP_FIELDS,
  MAX_IMPORT_PHOTOS,
  rulesOf,
  variableLabel,
  type Choice,
  type Choices,
  type MapField,
} from './mapping';

/** A preview on screen, with the rules of the site's saved mapping (empty when none applied). */
interface Loaded {
  preview: ParserPreview;
  saved: MappingRule[];
  /** The path the applied mapping is for (`null` = the whole site). */
  savedPrefix: string | null;
  /** What was asked for (the preview's `url` is after redirects). */
  asked: string;
  /** Each fetch gets a fresh import step. */
  round: number;
}

/** `/parser`: import a car from its web page. `?from=inventory` sends Back to the inventory. */
/** What someone types as a page address, made a web address: `autoria.com/…` gets `https://`. */
export function withScheme(input: string): string {
  const s = input.trim();
  if (!s || /^[a-z][a-z0-9+.-]*:\/\//i.test(s)) return s;
  return `https://${s.replace(/^\/+/, '')}`;
}

export function Parser() {
  const { t } = useTranslation('parser');
  const { me } = useAuth();
  const [params] = useSearchParams();
  const fromInventory = params.get('from') === 'inventory';
  const backLink = fromInventory ? (
    <Link to="/inventory" className="btn btn-ghost">
      {t('inventory:backToInventory')}
    </Link>
  ) : (
    <Link to="/" className="btn btn-ghost">
      {t('backToDashboard')}
    </Link>
  );
  const header = <PageHeader title={t('title')} subtitle={t('subtitle')} actions={backLink} />;

  if (!me?.workspace) {
    return (
      <>
        {header}
        <EmptyState title={t('common:states.noWorkspace')}>{t('noWorkspace')}</EmptyState>
      </>
    );
  }
  if (!atLeast(me.role, 'manager')) {
    return (
      <>
        {header}
        <EmptyState title={t('onlyManagers')}>
          <Trans t={t} i18nKey="onlyManagersBody" components={{ go: <Link to="/inventory" /> }} />
        </EmptyState>
      </>
    );
  }
  return (
    <>
      {header}
      <ParserWorkspace />
    </>
  );
}

function ParserWorkspace() {
  const { t } = useTranslation('parser');
  const [url, setUrl] = useState('');
  const [urlError, setUrlError] = useState<string | null>(null);
  const [general, setGeneral] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const rounds = useRef(0);
  const ctl = useRef<AbortController | null>(null);
  useEffect(() => () => ctl.current?.abort(), []);

  /** Runs the preview of `target` (after `before`, e.g. forgetting the mapping). */
  const run = async (target: string, label: string, before?: () => Promise<void>) => {
    ctl.current?.abort();
    const c = new AbortController();
    ctl.current = c;
    setUrlError(null);
    setGeneral(null);
    setBusy(label);
    try {
      await before?.();
      const preview = await api<ParserPreview>('/api/parser/preview', { method: 'POST', body: { url: target } satisfies ParserPreviewRequest, signal: c.signal });
      let saved: MappingRule[] = [];
      let savedPrefix: string | null = null;
      if (preview.mapping_applied) {
        // Which rules fed the draft, so the mapping step starts from them; without them it starts from detection.
        const applied = await api<MappingList>('/api/parser/mappings', { signal: c.signal })
          .then((l) => appliedMapping(l, preview))
          .catch((e: unknown) => {
            if (e instanceof DOMException && e.name === 'AbortError') throw e;
            return null;
          });
        saved = applied?.rules ?? [];
        savedPrefix = applied?.path_prefix ?? null;
      }
      rounds.current += 1;
      setLoaded({ preview, saved, savedPrefix, asked: target, round: rounds.current });
      setBusy(null);
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') return;
      // Any problem with the address (400 for what the dealer can fix, 422 for what the site did) goes under it.
      if (e instanceof ApiError && e.field === 'url') setUrlError(errorMessage(e));
      else setGeneral(e);
      setLoaded(null);
      setBusy(null);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const target = withScheme(url);
    if (!target) {
      setUrlError(t('urlMissing'));
      return;
    }
    if (target !== url) setUrl(target);
    void run(target, t('fetching'));
  };

  const remap = (domain: string, prefix: string | null, asked: string) =>
    run(asked, t('forgetting'), () =>
      api<void>(`/api/parser/mappings/${seg(domain)}${prefix ? `?path_prefix=${encodeURIComponent(prefix)}` : ''}`, { method: 'DELETE' }),
    );

  return (
    <>
      <form className="card" onSubmit={submit} noValidate aria-label={t('fetchForm')}>
        <div className="form-row">
          <TextField
            grow
            required
            label={t('url')}
            name="url"
            type="url"
            inputMode="url"
            placeholder={t('urlPlaceholder')}
            spellCheck={false}
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            error={urlError}
            hint={t('urlHint')}
          />
          <div className="field field-button">
            <button type="submit" className="btn btn-primary" disabled={busy !== null}>
              {busy ? t('fetchingShort') : t('fetch')}
            </button>
          </div>
        </div>
        <FormError error={general} />
      </form>

      {busy ? (
        <Loading label={busy} />
      ) : (
        loaded && (
          <ImportStep
            key={loaded.round}
            loaded={loaded}
            onRemap={() => void remap(loaded.preview.domain, loaded.savedPrefix, loaded.asked)}
            onRefetch={() => void run(loaded.asked, t('fetchingAgain'))}
          />
        )
      )}
    </>
  );
}

/** The saved mapping that fed this preview: the longest path prefix that fits its page, else the whole-site one. */
export function appliedMapping(list: MappingList, preview: ParserPreview) {
  let path = '/';
  try {
    path = new URL(preview.url).pathname;
  } catch {
    /* keep "/" */
  }
  const fits = list.mappings.filter((m) => m.domain === preview.domain && (!m.path_prefix || path.startsWith(m.path_prefix)));
  fits.sort((a, b) => (b.path_prefix?.length ?? 0) - (a.path_prefix?.length ?? 0));
  return fits[0] ?? null;
}

/** `/auto/bmw/x5-123` -> `/auto/`: the first section of a page's path, as an example. */
function pathStart(url: string): string {
  try {
    const first = new URL(url).pathname.split('/').filter(Boolean)[0];
    return first ? `/${first}/` : '/cars/';
  } catch {
    return '/cars/';
  }
}

/** Where a value was found on the page, in the dealer's words. */
function sourceLabel(source: string): string {
  return i18n.t(`parser:sources.${source}`, { defaultValue: source });
}

function SourceBadge({ source }: { source: string }) {
  return <span className={`source-badge source-${source.replace(/[^a-z-]/g, '')}`}>{sourceLabel(source)}</span>;
}

/** What was found on one page, the mapping step, and the import form. */
function ImportStep({ loaded, onRemap, onRefetch }: { loaded: Loaded; onRemap: () => void; onRefetch: () => void }) {
  const { t } = useTranslation('parser');
  const client = useQueryClient();
  const { preview, saved } = loaded;
  const navigate = useNavigate();
  const [choices, setChoices] = useState<Choices>(() => initialChoices(preview, saved));
  const [draft, setDraft] = useState<Draft>(() => draftFromPreview(preview));
  const [remember, setRemember] = useState(true);
  /** Empty = the whole site; else only pages whose path starts with it. */
  const [prefix, setPrefix] = useState(loaded.savedPrefix ?? '');
  const [errors, setErrors] = useState<Errors>({});
  const [general, setGeneral] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const [focusError, setFocusError] = useState(0);
  useEffect(() => {
    if (focusError) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusError]);

  const choose = (f: MapField, c: Choice) => {
    setChoices((cs) => ({ ...cs, [f]: c }));
    const v = choiceValue(preview, f, c);
    if (v !== null) setDraft((d) => ({ ...d, [f]: v }));
  };

  const rules = () => rulesOf(preview, choices, saved);

  const saveMapping = () =>
    api<unknown>('/api/parser/mappings', {
      method: 'PUT',
      body: { url: preview.url, path_prefix: prefix.trim() || null, rules: rules() } satisfies SaveMappingRequest,
    });

  const [testing, setTesting] = useState<string | null>(null);
  /** A CSS selector is applied by the server: save the mapping and fetch the page again to see what it gives. */
  const tryMapping = async () => {
    setTesting(null);
    try {
      await saveMapping();
      onRefetch();
    } catch (e) {
      setTesting(t('saveMappingFailed', { error: errorMessage(e) }));
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setGeneral(null);
    const checked = toInput(draft);
    if ('errors' in checked) {
      setErrors(checked.errors);
      setGeneral(t('inventory:checkMarked'));
      setFocusError((n) => n + 1);
      return;
    }
    if (!checked.body.source_url) {
      setErrors({ source_url: t('sourceMissing') });
      setGeneral(t('inventory:checkMarked'));
      setFocusError((n) => n + 1);
      return;
    }
    setErrors({});
    setBusy(true);
    let listing: ListingView;
    try {
      listing = await api<ListingView>('/api/parser/import', { method: 'POST', body: checked.body });
    } catch (err) {
      const slot = err instanceof ApiError && err.status === 422 && err.field ? errorSlot(err.field, checked.sent) : null;
      if (slot) {
        setErrors({ [slot]: errorMessage(err) });
        setGeneral(t('inventory:checkMarkedField', { field: fieldLabel(slot.startsWith('photo') ? 'photos' : slot) }));
        setFocusError((n) => n + 1);
      } else {
        setGeneral(err);
      }
      setBusy(false);
      return;
    }
    void invalidate(client, '/api/inventory', { exact: true });
    let notice = t('imported', { site: preview.domain });
    if (remember && rules().length) {
      try {
        await saveMapping();
        void invalidate(client, '/api/parser/mappings');
        notice = t('importedRemembered', { site: preview.domain });
      } catch (err) {
        notice = t('importedNotRemembered', { site: preview.domain, error: errorMessage(err) });
      }
    }
    const state: ListingArrival = { notice };
    navigate(`/inventory/${encodeURIComponent(listing.id)}`, { state });
  };

  const photoErrors = draft.photos.map((r) => errors[photoKey(r.key)]);
  const hasSelector = MAP_FIELDS.some((f) => choices[f].kind === 'selector');

  return (
    <>
      <section className="card" aria-label={t('detectedSection')}>
        <div className="card-header">
          <h2>
            <Trans t={t} i18nKey="foundOn" values={{ site: preview.domain }} components={{ site: <span className="parser-domain" /> }} />
          </h2>
          <a href={preview.url} target="_blank" rel="noreferrer" className="small break">
            {preview.url}
          </a>
        </div>
        {preview.mapping_applied && (
          <div className="notice" role="status">
            {t('mappingApplied', { site: preview.domain })}
            <button type="button" className="btn btn-secondary btn-sm" onClick={onRemap}>
              {t('remap')}
            </button>
          </div>
        )}
        {preview.warnings.length > 0 && (
          <div className="notice notice-warn" role="status">
            <ul className="parser-warnings">
              {preview.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          </div>
        )}
        {preview.detected.length === 0 ? (
          <p className="muted">{t('nothingDetected')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table" aria-label={t('detectedVariables')}>
              <thead>
                <tr>
                  <th scope="col">{t('field')}</th>
                  <th scope="col">{t('value')}</th>
                  <th scope="col">{t('source')}</th>
                  <th scope="col">{t('confidence')}</th>
                </tr>
              </thead>
              <tbody>
                {preview.detected.map((d, i) => (
                  <tr key={i}>
                    <td>{variableLabel(d.field)}</td>
                    <td className="parser-value">{d.value}</td>
                    <td>
                      <SourceBadge source={d.source} />
                    </td>
                    <td>{formatNumber(d.confidence, { style: 'percent', maximumFractionDigits: 0 })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="parser-mapping-title">
        <h2 id="parser-mapping-title">{t('mapping')}</h2>
        <p className="muted small">{t('mappingHint')}</p>
        <div className="table-wrap">
          <table className="table parser-mapping">
            <thead>
              <tr>
                <th scope="col">{t('field')}</th>
                <th scope="col">{t('takeFrom')}</th>
              </tr>
            </thead>
            <tbody>
              {MAP_FIELDS.map((f) => (
                <MappingRow key={f} field={f} preview={preview} choice={choices[f]} onChoose={(c) => choose(f, c)} />
              ))}
            </tbody>
          </table>
        </div>
        <label className="parser-remember">
          <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />{' '}
          {t('rememberFor', { site: preview.domain })}
        </label>
        {remember && (
          <label className="parser-prefix">
            {t('onlyUnder')}{' '}
            <input
              type="text"
              value={prefix}
              placeholder={t('wholeSite')}
              onChange={(e) => setPrefix(e.target.value)}
              aria-describedby="parser-prefix-hint"
            />
            <span id="parser-prefix-hint" className="field-hint">
              {t('prefixHint', { example: pathStart(preview.url) })}
            </span>
          </label>
        )}
        {hasSelector && (
          <div className="form-actions parser-try">
            <button type="button" className="btn btn-secondary btn-sm" onClick={() => void tryMapping()}>
              {t('saveAndFetch')}
            </button>
            <span className="field-hint">{t('selectorHint')}</span>
          </div>
        )}
        {testing && <FormError error={testing} />}
      </section>

      <form ref={formRef} className="listing-form" onSubmit={submit} noValidate aria-label={t('importCar')}>
        <ListingFields
          draft={draft}
          errors={errors}
          onField={(k, value) => setDraft((d) => ({ ...d, [k]: value }))}
          photos={
            <PhotoThumbs
              draft={draft}
              errors={photoErrors}
              error={errors.photos}
              total={preview.draft.photos?.length ?? 0}
              onRemove={(key) => setDraft((d) => ({ ...d, photos: d.photos.filter((r) => r.key !== key) }))}
            />
          }
        />
        <div className="form-footer">
          <FormError error={general} />
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? t('importing') : t('importSubmit')}
            </button>
          </div>
        </div>
      </form>
    </>
  );
}

/** One inventory field of the mapping step: its "take from" select, and the value or selector it needs. */
function MappingRow({
  field,
  preview,
  choice,
  onChoose,
}: {
  field: MapField;
  preview: ParserPreview;
  choice: Choice;
  onChoose: (c: Choice) => void;
}) {
  const { t } = useTranslation('parser');
  const label = fieldLabel(field);
  const draftValue = preview.draft[field];
  const selectValue = choice.kind === 'row' ? `row:${choice.index}` : choice.kind;
  const pick = (v: string) => {
    if (v.startsWith('row:')) onChoose({ kind: 'row', index: Number(v.slice(4)) });
    else if (v === 'fixed') onChoose({ kind: 'fixed', value: choice.kind === 'fixed' ? choice.value : '' });
    else if (v === 'selector') onChoose({ kind: 'selector', selector: choice.kind === 'selector' ? choice.selector : '' });
    else onChoose({ kind: v as 'none' | 'draft' });
  };
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>
        <div className="form-row parser-choice">
          <select aria-label={t('takeFromOf', { field: label })} value={selectValue} onChange={(e) => pick(e.target.value)}>
            <option value="none">{t('nothing')}</option>
            {choice.kind === 'draft' && <option value="draft">{t('asDetected', { value: String(draftValue) })}</option>}
            {preview.detected.map((d, i) => (
              <option key={i} value={`row:${i}`}>
                {t('detectedOption', {
                  field: variableLabel(d.field),
                  value: d.value.length > 60 ? `${d.value.slice(0, 60)}…` : d.value,
                  source: sourceLabel(d.source),
                })}
              </option>
            ))}
            <option value="fixed">{t('fixedValue')}</option>
            <option value="selector">{t('cssSelector')}</option>
          </select>
          {choice.kind === 'fixed' && (
            <input
              aria-label={t('fixedOf', { field: label })}
              placeholder={t('fixedPlaceholder')}
              value={choice.value}
              onChange={(e) => onChoose({ kind: 'fixed', value: e.target.value })}
            />
          )}
          {choice.kind === 'selector' && (
            <input
              aria-label={t('selectorOf', { field: label })}
              placeholder={t('selectorPlaceholder')}
              spellCheck={false}
              value={choice.selector}
              onChange={(e) => onChoose({ kind: 'selector', selector: e.target.value })}
            />
          )}
        </div>
      </td>
    </tr>
  );
}

/** The photos found on the page as thumbnails, each with a Remove button. */
function PhotoThumbs({
  draft,
  errors,
  error,
  total,
  onRemove,
}: {
  draft: Draft;
  errors: (string | undefined)[];
  error?: string;
  total: number;
  onRemove: (key: number) => void;
}) {
  const { t } = useTranslation('parser');
  return (
    <div className="photos-field">
      {draft.photos.length === 0 ? (
        <p className="muted small">{t('noPhotos')}</p>
      ) : (
        <ul className="parser-photos" aria-label={t('photosToImport')}>
          {draft.photos.map((r, i) => (
            <li key={r.key}>
              <img src={r.url} alt={t('photoN', { n: i + 1 })} />
              <button
                type="button"
                className="btn btn-ghost btn-sm btn-danger-text"
                onClick={() => onRemove(r.key)}
                aria-label={t('inventory:photos.remove', { n: i + 1 })}
              >
                {t('common:actions.remove')}
              </button>
              {errors[i] && <span className="field-error">{errors[i]}</span>}
            </li>
          ))}
        </ul>
      )}
      {error && <div className="field-error">{error}</div>}
      {total > MAX_IMPORT_PHOTOS && (
        <p className="field-hint">{t('tooManyPhotos', { count: total, max: MAX_IMPORT_PHOTOS })}</p>
      )}
    </div>
  );
}
