import { CheckCheck } from 'lucide-react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { usePolledQuery } from '../../api/query';
import type { NotificationPage, NotificationView } from '../../api/types';
import { NotificationItem } from '../../components/notifications/NotificationItem';
import { NOTIFICATIONS, useNotificationActions } from '../../components/notifications/notices';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorState, Loading } from '../../components/States';

const PAGE = 20;
const FIRST = `${NOTIFICATIONS}?limit=${PAGE}`;

/**
 * Every notification of the member, newest first: the first page polled
 * (ETag), older pages on demand, all of them kept while the page is open.
 */
export function Notifications() {
  const { t } = useTranslation('notifications');
  const poll = usePolledQuery<NotificationPage>(FIRST, 10_000);
  const { markRead, markAllRead } = useNotificationActions();
  const [seen, setSeen] = useState<Map<string, NotificationView>>(new Map());
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [older, setOlder] = useState<{ loading: boolean; error: unknown }>({ loading: false, error: null });
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);

  const merge = useCallback((items: NotificationView[]) => {
    setSeen((s) => {
      const map = new Map(s);
      for (const n of items) map.set(n.id, n);
      return map;
    });
  }, []);

  useEffect(() => {
    if (!poll.data) return;
    merge(poll.data.items);
    const next = poll.data.next_cursor ?? null;
    setCursor((c) => (c === undefined ? next : c));
  }, [poll.data, merge]);

  // Ids sort by time: newest first is the reverse order of ids.
  const items = useMemo(() => [...seen.values()].sort((a, b) => b.id.localeCompare(a.id)), [seen]);
  const unread = poll.data?.unread ?? 0;

  const loadOlder = async () => {
    if (!cursor) return;
    setOlder({ loading: true, error: null });
    try {
      const p = await api<NotificationPage>(`${FIRST}&cursor=${encodeURIComponent(cursor)}`);
      merge(p.items);
      setCursor(p.next_cursor ?? null);
      setOlder({ loading: false, error: null });
    } catch (e) {
      setOlder({ loading: false, error: e });
    }
  };

  const open = (n: NotificationView) => {
    merge([{ ...n, read: true }]);
    void markRead(n).catch(() => undefined);
  };

  const allRead = async () => {
    setBusy(true);
    setActionError(null);
    try {
      await markAllRead();
      setSeen((s) => new Map([...s].map(([id, n]) => [id, { ...n, read: true }])));
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(false);
    }
  };

  let body;
  if (!poll.data && poll.error) {
    body = <ErrorState title={t('couldNotLoad')} error={poll.error} onRetry={() => void poll.refetch()} />;
  } else if (!poll.data) {
    body = <Loading />;
  } else if (items.length === 0) {
    body = <EmptyState title={t('empty')}>{t('emptyBody')}</EmptyState>;
  } else {
    body = (
      <div className="card notif-card">
        <ul className="notif-list">
          {items.map((n) => (
            <NotificationItem key={n.id} n={n} onOpen={open} />
          ))}
        </ul>
        {older.error !== null && (
          <div className="form-error" role="alert">
            {errorMessage(older.error)}
          </div>
        )}
        {cursor && (
          <div className="load-more">
            <button type="button" className="btn btn-secondary" onClick={() => void loadOlder()} disabled={older.loading}>
              {older.loading ? t('common:states.loading') : t('loadMore')}
            </button>
          </div>
        )}
      </div>
    );
  }

  return (
    <>
      <PageHeader
        title={t('title')}
        subtitle={poll.data ? (unread > 0 ? t('unreadCount', { count: unread }) : t('allRead')) : t('subtitle')}
        actions={
          unread > 0 ? (
            <button type="button" className="btn btn-secondary" onClick={() => void allRead()} disabled={busy}>
              <CheckCheck size={16} aria-hidden="true" /> {t('markAllRead')}
            </button>
          ) : undefined
        }
      />
      {actionError !== null && (
        <div className="form-error" role="alert">
          {errorMessage(actionError)}
        </div>
      )}
      {body}
    </>
  );
}
