// A notification's text and icon from its kind and params: the server sends
// facts, never sentences, so every reader gets them in their own language.
import type { TFunction } from 'i18next';
import { TriangleAlert, Bell, CarFront, Handshake, KeyRound, Megaphone, UserCheck, UserPlus, type LucideIcon } from 'lucide-react';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api } from '../../api/client';
import { invalidate } from '../../api/query';
import type { Notice, NotificationView, UnreadCount } from '../../api/types';

const ICONS: Record<string, LucideIcon> = {
  lead_assigned: UserCheck,
  new_lead: UserPlus,
  offer_received: Handshake,
  campaign_finished: Megaphone,
  post_failed: TriangleAlert,
  account_needs_login: KeyRound,
  partner_invitation: Handshake,
  match_found: CarFront,
  offer_answered: Handshake,
};

export const noticeIcon = (notice: Notice): LucideIcon => ICONS[notice.kind] ?? Bell;

/** The notice in the reader's language (a kind this build does not know says so). */
export function noticeText(t: TFunction, notice: Notice): string {
  const params = notice.params as Record<string, unknown>;
  return t(`notifications:kinds.${notice.kind}`, { ...params, context: noticeContext(notice), defaultValue: t('notifications:kinds.unknown') });
}

/** The variant of a kind's text its facts call for (`kinds.<kind>_<context>`): whose car matched, how an offer was answered. */
function noticeContext(notice: Notice): string | undefined {
  if (notice.kind === 'match_found') return notice.params.partner ? 'partner' : undefined;
  if (notice.kind === 'offer_answered') return notice.params.accepted ? 'accepted' : 'declined';
  return undefined;
}

/** Where the API keeps them: every read mark refreshes the bell and the lists. */
export const NOTIFICATIONS = '/api/notifications';

/** Marking read: one (on opening it) or all. Both refresh the bell's count. */
export function useNotificationActions() {
  const client = useQueryClient();
  const markRead = useCallback(
    async (n: NotificationView) => {
      if (n.read) return;
      try {
        await api<UnreadCount>(`${NOTIFICATIONS}/${encodeURIComponent(n.id)}/read`, { method: 'POST' });
      } finally {
        void invalidate(client, NOTIFICATIONS);
      }
    },
    [client],
  );
  const markAllRead = useCallback(async () => {
    try {
      await api<UnreadCount>(`${NOTIFICATIONS}/read`, { method: 'POST' });
    } finally {
      void invalidate(client, NOTIFICATIONS);
    }
  }, [client]);
  return { markRead, markAllRead };
}
