import type { ConversationView, MemberView, Person } from '../../api/types';
import { i18n } from '../../i18n';

export { dayLabel, formatTime as clockTime, listTime } from '../../i18n/format';

export function personName(p: Person | null | undefined): string {
  if (!p) return i18n.t('inbox:unknownPerson');
  return [p.first_name, p.last_name].filter(Boolean).join(' ') || (p.username ? `@${p.username}` : `#${p.id}`);
}

export function initials(p: Person | null | undefined): string {
  if (!p) return '?';
  const n = personName(p).replace(/^@/, '');
  const parts = n.split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '?') + (parts[1]?.[0] ?? '')).toUpperCase();
}

/** The buyer wrote to a connected Telegram account, not a bot (no `via` means a bot). */
export const viaAccount = (c: Pick<ConversationView, 'via'>) => c.via === 'account';

/** What the conversation came through: `@bot`, or the account's label as the server gives it; null when unknown. */
export function throughName(c: Pick<ConversationView, 'via' | 'bot_username' | 'bot_id'>): string | null {
  if (viaAccount(c)) return c.bot_username || null;
  return c.bot_username ? `@${c.bot_username}` : null;
}

/** A member's name for an e-mail, or the e-mail itself. */
export function memberName(email: string | null | undefined, members: MemberView[] | undefined): string {
  if (!email) return '';
  return members?.find((m) => m.email === email)?.name || email;
}
