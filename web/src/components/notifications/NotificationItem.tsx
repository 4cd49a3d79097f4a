import { Send } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { NotificationView } from '../../api/types';
import { formatDate, formatRelative } from '../../i18n/format';
import { noticeIcon, noticeText } from './notices';

/** One notification: its text, when, whether it is unread; opening it goes to `link`. */
export function NotificationItem({ n, onOpen }: { n: NotificationView; onOpen: (n: NotificationView) => void }) {
  const { t } = useTranslation('notifications');
  const Icon = noticeIcon(n.notice);
  return (
    <li className={n.read ? 'notif' : 'notif unread'}>
      <Link to={n.link} className="notif-link" onClick={() => onOpen(n)} data-kind={n.notice.kind}>
        <Icon size={18} aria-hidden="true" className="notif-icon" />
        <span className="notif-body">
          <span className="notif-text">{noticeText(t, n.notice)}</span>
          <span className="notif-meta">
            <time dateTime={n.at} title={formatDate(n.at, true)}>
              {formatRelative(n.at)}
            </time>
            {n.sent_to_telegram && <Send size={12} aria-label={t('sentToTelegram')} role="img" />}
          </span>
        </span>
        {!n.read && <span className="notif-dot" role="img" aria-label={t('unread')} />}
      </Link>
    </li>
  );
}
