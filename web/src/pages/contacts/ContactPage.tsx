import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { invalidate, useApiQuery } from '../../api/query';
import type { ContactDetail, ContactView, UpdateContactRequest } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { atLeast } from '../../auth/roles';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { TextField } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorState, FormError, Loading } from '../../components/States';
import { formatDate, formatMoney } from '../../i18n/format';
import { years } from '../requests/request';
import { ChannelList } from './ChannelList';
import { splitTags } from './filters';

/** `/contacts/:id`: a contact's profile, channels, what the scenarios collected, tags, and the dealer's edits. */
export function ContactPage() {
  const { t } = useTranslation('contacts');
  const { id = '' } = useParams();
  const { me } = useAuth();
  const location = useLocation();
  const back = (location.state as { back?: string } | null)?.back ?? '';
  const canEdit = atLeast(me?.role, 'manager');
  const canErase = atLeast(me?.role, 'admin');
  const path = `/api/contacts/${encodeURIComponent(id)}`;
  // Set once this contact is erased or merged away: it is not asked for again.
  const [gone, setGone] = useState<string | null>(null);
  const contact = useApiQuery<ContactDetail>(me?.workspace && gone !== path ? path : null);
  const notFound = contact.error instanceof ApiError && contact.error.status === 404;

  return (
    <>
      <p className="small">
        <Link to={`/contacts${back}`}>← {t('back')}</Link>
      </p>
      {!me?.workspace ? (
        <EmptyState title={t('common:states.noWorkspace')}>{t('noWorkspace')}</EmptyState>
      ) : contact.data ? (
        <Contact detail={contact.data} path={path} canEdit={canEdit} canErase={canErase} back={back} onGone={() => setGone(path)} />
      ) : notFound ? (
        <EmptyState title={t('notFound')}>{t('notFoundBody')}</EmptyState>
      ) : contact.error ? (
        <ErrorState title={t('loadOneError')} error={contact.error} onRetry={() => void contact.refetch()} />
      ) : (
        <Loading label={t('loading')} />
      )}
    </>
  );
}

function Contact({
  detail,
  path,
  canEdit,
  canErase,
  back,
  onGone,
}: {
  detail: ContactDetail;
  path: string;
  canEdit: boolean;
  canErase: boolean;
  back: string;
  onGone: () => void;
}) {
  const { t } = useTranslation('contacts');
  const [editing, setEditing] = useState(false);
  const [erasing, setErasing] = useState(false);
  const c = detail.contact;
  const vars = Object.entries(detail.variables);
  return (
    <>
      <PageHeader
        title={c.name}
        subtitle={c.username ? `@${c.username}` : undefined}
        actions={
          <>
            {canEdit && !editing && (
              <button type="button" className="btn btn-primary" onClick={() => setEditing(true)}>
                {t('edit')}
              </button>
            )}
            {canErase && (
              <button type="button" className="btn btn-danger" onClick={() => setErasing(true)}>
                {t('erase.button')}
              </button>
            )}
          </>
        }
      />
      {erasing && <EraseDialog path={path} name={c.name} back={back} onClose={() => setErasing(false)} onGone={onGone} />}
      {detail.duplicates.length > 0 && <Duplicates detail={detail} path={path} canEdit={canEdit} onGone={onGone} />}
      {editing && <EditForm detail={detail} path={path} onClose={() => setEditing(false)} />}
      <div className="contact-grid">
        <section className="card">
          <h2>{t('profile')}</h2>
          <dl className="facts">
            <dt>{t('telegramName')}</dt>
            <dd>{c.telegram_name ?? t('never')}</dd>
            <dt>{t('phone')}</dt>
            <dd>{c.phone ? <a href={`tel:${c.phone}`}>{c.phone}</a> : t('never')}</dd>
            <dt>{t('language')}</dt>
            <dd>{c.language ? t(`languages.${c.language}`, { defaultValue: c.language }) : t('never')}</dd>
            <dt>{t('source')}</dt>
            <dd>{c.source ?? t('never')}</dd>
            <dt>{t('firstSeen')}</dt>
            <dd>{c.first_seen_at ? formatDate(c.first_seen_at, true) : t('never')}</dd>
            <dt>{t('lastActive')}</dt>
            <dd>{c.last_active_at ? formatDate(c.last_active_at, true) : t('never')}</dd>
          </dl>
        </section>
        <section className="card">
          <h2>{t('channels')}</h2>
          {c.channels.length === 0 ? <p className="muted">{c.reachable ? t('noChannels') : t('unreachableHint')}</p> : <ChannelList channels={c.channels} />}
          {c.unsubscribed_all && <p className="pill pill-muted">{t('unsubscribedAll')}</p>}
          <h2>{t('tags')}</h2>
          {c.tags.length === 0 ? (
            <p className="muted">{t('noTags')}</p>
          ) : (
            <p>
              {c.tags.map((tag) => (
                <span key={tag} className="pill pill-muted contact-tag">
                  {tag}
                </span>
              ))}
            </p>
          )}
        </section>
        <section className="card">
          <h2>{t('variables')}</h2>
          {vars.length === 0 ? (
            <p className="muted">{t('noVariables')}</p>
          ) : (
            <dl className="facts">
              {vars.map(([k, v]) => (
                <div key={k} className="contents">
                  <dt>{k}</dt>
                  <dd>{v}</dd>
                </div>
              ))}
            </dl>
          )}
        </section>
        <section className="card">
          <h2>{t('interests')}</h2>
          {detail.interests.length === 0 ? (
            <p className="muted">{t('noInterests')}</p>
          ) : (
            <ul className="plain-list">
              {detail.interests.map((i) => (
                <li key={i.listing_id}>
                  <Link to={`/inventory/${encodeURIComponent(i.listing_id)}`}>{i.title}</Link> <span className="muted small">{formatDate(i.at, true)}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card">
          <h2>{t('timeline.title')}</h2>
          <ol className="plain-list contact-timeline">
            {detail.timeline.map((e, i) => (
              <li key={`${e.kind}-${e.ref_id ?? ''}-${i}`}>
                <span className="muted small">{formatDate(e.at, true)}</span>{' '}
                {t(`timeline.${e.kind}`, { detail: e.detail ?? '' })}
                {e.kind === 'first_seen' && e.detail ? ` (${e.detail})` : ''}
              </li>
            ))}
          </ol>
        </section>
        <section className="card">
          <h2>{t('requests')}</h2>
          {detail.requests.length === 0 ? (
            <p className="muted">{t('noRequests')}</p>
          ) : (
            <ul className="plain-list">
              {detail.requests.map((r) => (
                <li key={r.id}>
                  <Link to={`/requests/${encodeURIComponent(r.id)}`}>
                    <strong>
                      {r.make} {r.model ?? ''}
                    </strong>
                  </Link>{' '}
                  <span className="muted small">
                    {years(r)} · {formatMoney(r.budget, r.currency)} · {formatDate(r.created_at, true)}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </>
  );
}

/** Other contacts that may be this person (the same phone), each with "Merge". */
function Duplicates({ detail, path, canEdit, onGone }: { detail: ContactDetail; path: string; canEdit: boolean; onGone: () => void }) {
  const { t } = useTranslation('contacts');
  const client = useQueryClient();
  const navigate = useNavigate();
  const [merging, setMerging] = useState<ContactView | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const merge = async (other: ContactView) => {
    setBusy(true);
    setError(null);
    try {
      const kept = await api<ContactDetail>(`${path}/merge`, { method: 'POST', body: { other_id: other.id } });
      setMerging(null);
      // This page's contact may be the one erased: to the kept one.
      if (kept.contact.id !== detail.contact.id) {
        onGone();
        navigate(`/contacts/${encodeURIComponent(kept.contact.id)}`);
      }
      await invalidate(client, '/api/contacts');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card notice notice-warn" aria-label={t('merge.title')}>
      <h2>{t('merge.title')}</h2>
      <p className="small">{t('merge.hint')}</p>
      <ul className="plain-list">
        {detail.duplicates.map((d) => (
          <li key={d.id}>
            <Link to={`/contacts/${encodeURIComponent(d.id)}`}>{d.name}</Link> <span className="muted small">{d.phone ?? (d.username ? `@${d.username}` : '')}</span>{' '}
            {!d.reachable && <span className="pill pill-muted">{t('unreachable')}</span>}{' '}
            {canEdit && (
              <button type="button" className="btn btn-secondary btn-sm" onClick={() => setMerging(d)}>
                {t('merge.button')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {merging && (
        <ConfirmDialog
          title={t('merge.confirmTitle', { name: merging.name })}
          confirmLabel={t('merge.button')}
          busy={busy}
          onCancel={() => setMerging(null)}
          onConfirm={() => void merge(merging)}
        >
          <p>{t('merge.body')}</p>
          {!!error && <FormError error={error} />}
        </ConfirmDialog>
      )}
    </section>
  );
}

/** Erases the contact for good (a buyer's right to be forgotten), then goes back to the list. */
function EraseDialog({ path, name, back, onClose, onGone }: { path: string; name: string; back: string; onClose: () => void; onGone: () => void }) {
  const { t } = useTranslation('contacts');
  const client = useQueryClient();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const erase = async () => {
    setBusy(true);
    setError(null);
    try {
      await api(path, { method: 'DELETE' });
      // The erased contact is not asked for again (it would answer 404).
      onGone();
      navigate(`/contacts${back}`, { state: { notice: t('erase.done', { name }) } });
      await invalidate(client, '/api/contacts');
      await invalidate(client, '/api/inbox');
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <ConfirmDialog title={t('erase.title', { name })} confirmLabel={t('erase.confirm')} busy={busy} onCancel={onClose} onConfirm={() => void erase()}>
      <p>{t('erase.body')}</p>
      {!!error && <FormError error={error} />}
    </ConfirmDialog>
  );
}

function EditForm({ detail, path, onClose }: { detail: ContactDetail; path: string; onClose: () => void }) {
  const { t } = useTranslation('contacts');
  const client = useQueryClient();
  const c = detail.contact;
  const edited = c.name !== c.telegram_name;
  const [name, setName] = useState(edited ? c.name : '');
  const [phone, setPhone] = useState(c.phone ?? '');
  const [tags, setTags] = useState(c.tags.join(', '));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fieldError = (f: string) => (error instanceof ApiError && error.field === f ? errorMessage(error) : null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body: UpdateContactRequest = { name: name.trim() || null, phone: phone.trim() || null, tags: splitTags(tags) };
    try {
      await api<ContactDetail>(path, { method: 'PATCH', body });
      await invalidate(client, '/api/contacts');
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const general = error && !(error instanceof ApiError && ['name', 'phone', 'tags'].includes(error.field ?? '')) ? error : null;
  return (
    <form className="card" onSubmit={submit} noValidate aria-label={t('edit')}>
      <FormError error={general} />
      <div className="form-row">
        <TextField grow label={t('name')} name="name" hint={t('nameHint')} value={name} placeholder={c.telegram_name ?? ''} onChange={(e) => setName(e.target.value)} error={fieldError('name')} maxLength={100} />
        <TextField grow label={t('phone')} name="phone" type="tel" placeholder={t('phonePlaceholder')} value={phone} onChange={(e) => setPhone(e.target.value)} error={fieldError('phone')} />
      </div>
      <TextField label={t('tagsField')} name="tags" hint={t('tagsHint')} value={tags} onChange={(e) => setTags(e.target.value)} error={fieldError('tags')} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t('saving') : t('save')}
        </button>
        <button type="button" className="btn btn-secondary" onClick={onClose} disabled={busy}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
