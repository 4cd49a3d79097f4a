import { Bell } from 'lucide-react';
import { lazy, Suspense, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePolledQuery } from '../../api/query';
import type { UnreadCount } from '../../api/types';
import { i18n } from '../../i18n';
import { formatNumber } from '../../i18n/format';
import { Loading } from '../States';

/** How often the bell asks for its count (an unchanged count is a 304). */
export const BELL_POLL_MS = 10_000;

// The panel and its texts load when the bell is first opened, not with every page.
const NotificationPanel = lazy(async () => {
  const [m] = await Promise.all([import('./NotificationPanel'), i18n.loadNamespaces('notifications')]);
  return { default: m.NotificationPanel };
});

/**
 * The header's bell: the unread count (the server's counter, polled with
 * its ETag) and, when pressed, the newest notifications.
 */
export function NotificationBell() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const box = useRef<HTMLDivElement>(null);
  const count = usePolledQuery<UnreadCount>('/api/notifications/unread', BELL_POLL_MS);
  const unread = count.data?.unread ?? 0;

  useEffect(() => {
    if (!open) return;
    const outside = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    const escape = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    document.addEventListener('keydown', escape);
    return () => {
      document.removeEventListener('mousedown', outside);
      document.removeEventListener('keydown', escape);
    };
  }, [open]);

  return (
    <div className="bell" ref={box}>
      <button
        type="button"
        className="btn btn-ghost bell-button"
        aria-label={unread > 0 ? t('shell.notificationsUnread', { count: unread }) : t('shell.notifications')}
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        onClick={() => setOpen((o) => !o)}
      >
        <Bell size={20} aria-hidden="true" />
        {unread > 0 && (
          <span className="bell-count" aria-hidden="true">
            {unread > 99 ? t('shell.notificationsMany') : formatNumber(unread)}
          </span>
        )}
      </button>
      {open && (
        <Suspense
          fallback={
            <div className="bell-panel" id={panelId}>
              <Loading />
            </div>
          }
        >
          <NotificationPanel id={panelId} onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </div>
  );
}
