import { X } from 'lucide-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { useApiQuery } from '../../api/query';
import type { ContactDetail, ConversationView } from '../../api/types';
import { ErrorState, Loading } from '../../components/States';
import { formatDate, formatMoney } from '../../i18n/format';
import { ChannelList } from '../contacts/ChannelList';

/**
 * The buyer beside the chat, as a sales team expects it: phone, language,
 * tags, channels, what the scenarios collected and the car requests made
 * from this chat, with a link to the whole contact page.
 */
export function ContactPanel({ conversation, onClose }: { conversation: ConversationView; onClose: () => void }) {
  const { t } = useTranslation('inbox');
  const contact = useApiQuery<ContactDetail>(`/api/contacts/${encodeURIComponent(String(conversation.chat_id))}`, { retry: false });
  // The buyer's open requests, over every bot (the contact keeps them).
  const mine = contact.data?.requests ?? [];
  const interests = contact.data?.interests ?? [];

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const notYet = contact.error instanceof ApiError && contact.error.status === 404;
  const c = contact.data?.contact;
  const vars = Object.entries(contact.data?.variables ?? {});
  return (
    <aside className="contact-drawer" aria-label={t('panel.title')}>
      <div className="contact-drawer-head">
        <h3>{t('panel.title')}</h3>
        <button type="button" className="btn btn-ghost btn-sm" onClick={onClose} aria-label={t('common:actions.close')}>
          <X size={16} aria-hidden="true" />
        </button>
      </div>
      {contact.isPending ? (
        <Loading label={t('panel.loading')} />
      ) : notYet ? (
        <p className="muted small">{t('panel.notYet')}</p>
      ) : contact.error || !c ? (
        <ErrorState title={t('panel.loadError')} error={contact.error} onRetry={() => void contact.refetch()} />
      ) : (
        <>
          <p>
            <Link to={`/contacts/${encodeURIComponent(c.id)}`}>
              <strong>{c.name}</strong>
            </Link>
            {c.username && <span className="muted small"> @{c.username}</span>}
          </p>
          <dl className="facts">
            <dt>{t('panel.phone')}</dt>
            <dd>{c.phone ? <a href={`tel:${c.phone}`}>{c.phone}</a> : <span className="muted">{t('panel.none')}</span>}</dd>
            <dt>{t('panel.language')}</dt>
            <dd>{c.language ?? <span className="muted">{t('panel.none')}</span>}</dd>
            {c.source && (
              <>
                <dt>{t('panel.source')}</dt>
                <dd>{c.source}</dd>
              </>
            )}
            <dt>{t('panel.firstSeen')}</dt>
            <dd>{c.first_seen_at ? formatDate(c.first_seen_at, true) : <span className="muted">{t('panel.none')}</span>}</dd>
          </dl>
          <h4>{t('panel.tags')}</h4>
          {c.tags.length ? (
            <p>
              {c.tags.map((tag) => (
                <span key={tag} className="pill pill-muted contact-tag">
                  {tag}
                </span>
              ))}
            </p>
          ) : (
            <p className="muted small">{t('panel.noTags')}</p>
          )}
          <h4>{t('panel.channels')}</h4>
          <ChannelList channels={c.channels} compact />
          <h4>{t('panel.variables')}</h4>
          {vars.length ? (
            <dl className="facts">
              {vars.map(([k, v]) => (
                <div key={k} className="contents">
                  <dt>{k}</dt>
                  <dd>{v}</dd>
                </div>
              ))}
            </dl>
          ) : (
            <p className="muted small">{t('panel.noVariables')}</p>
          )}
          <h4>{t('panel.interests')}</h4>
          {interests.length ? (
            <ul className="contact-drawer-requests">
              {interests.map((i) => (
                <li key={i.listing_id}>
                  <Link to={`/inventory/${encodeURIComponent(i.listing_id)}`}>{i.title}</Link>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted small">{t('panel.noInterests')}</p>
          )}
        </>
      )}
      <h4>{t('panel.requests')}</h4>
      {contact.isPending ? (
        <p className="muted small">{t('panel.loading')}</p>
      ) : mine.length ? (
        <ul className="contact-drawer-requests">
          {mine.map((r) => (
            <li key={r.id}>
              <Link to="/requests">
                {[r.make, r.model].filter(Boolean).join(' ')}
                {r.year_from ? ` ${r.year_from}${r.year_to && r.year_to !== r.year_from ? `–${r.year_to}` : ''}` : ''}
              </Link>
              {r.budget != null && <span className="muted small"> · {formatMoney(r.budget, r.currency)}</span>}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">{t('panel.noRequests')}</p>
      )}
    </aside>
  );
}
