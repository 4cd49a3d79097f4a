import { CheckCheck } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { usePolledQuery } from '../../api/query';
import type { NotificationPage } from '../../api/types';
import { EmptyState, QueryView } from '../States';
import { NotificationItem } from './NotificationItem';
import { NOTIFICATIONS, useNotificationActions } from './notices';

/** How many the bell's panel shows; the rest are on /notifications. */
export const PANEL_SIZE = 8;

/** The bell's drop-down: the newest notifications, "mark all read", and the way to all of them. */
export function NotificationPanel({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation('notifications');
  const page = usePolledQuery<NotificationPage>(`${NOTIFICATIONS}?limit=${PANEL_SIZE}`, 10_000);
  const { markRead, markAllRead } = useNotificationActions();
  const unread = page.data?.unread ?? 0;
  return (
    <div className="bell-panel" id={id} role="dialog" aria-label={t('title')}>
      <div className="bell-panel-head">
        <h2>{t('title')}</h2>
        {unread > 0 && (
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => void markAllRead().catch(() => undefined)}>
            <CheckCheck size={16} aria-hidden="true" /> {t('markAllRead')}
          </button>
        )}
      </div>
      <div className="bell-panel-body">
        <QueryView query={page} errorTitle={t('couldNotLoad')}>
          {(p) =>
            p.items.length === 0 ? (
              <EmptyState title={t('empty')}>{t('emptyBody')}</EmptyState>
            ) : (
              <ul className="notif-list">
                {p.items.map((n) => (
                  <NotificationItem
                    key={n.id}
                    n={n}
                    onOpen={(x) => {
                      void markRead(x).catch(() => undefined);
                      onClose();
                    }}
                  />
                ))}
              </ul>
            )
          }
        </QueryView>
      </div>
      <Link to="/notifications" className="bell-panel-foot" onClick={onClose}>
        {t('seeAll')}
      </Link>
    </div>
  );
}
