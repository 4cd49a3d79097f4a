import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { ContactChannelView } from '../../api/types';

/** A contact's channels: each bot (with its blocked / unsubscribed marks and a link to the chat), the Mini App, accounts. */
export function ChannelList({ channels, compact = false }: { channels: ContactChannelView[]; compact?: boolean }) {
  const { t } = useTranslation('contacts');
  return (
    <ul className={compact ? 'contact-channels compact' : 'contact-channels'}>
      {channels.map((c) => (
        <li key={`${c.kind}:${c.id ?? ''}`}>
          <span>{c.kind === 'bot' ? t('channel.bot', { name: c.username ? `@${c.username}` : String(c.id) }) : t(`channel.${c.kind}`, { defaultValue: c.kind })}</span>
          {c.blocked && <span className="pill pill-danger">{t('channel.blocked')}</span>}
          {c.unsubscribed && <span className="pill pill-muted">{t('channel.unsubscribed')}</span>}
          {!compact && c.conversation_id && (
            <Link className="small" to={`/inbox/${encodeURIComponent(c.conversation_id)}`}>
              {t('channel.openChat')}
            </Link>
          )}
        </li>
      ))}
    </ul>
  );
}
