import type { MemberView, Person } from '../../api/types';

export function personName(p: Person | null | undefined): string {
  if (!p) return 'Unknown';
  return [p.first_name, p.last_name].filter(Boolean).join(' ') || (p.username ? `@${p.username}` : `#${p.id}`);
}

export function initials(p: Person | null | undefined): string {
  const n = personName(p).replace(/^@/, '');
  const parts = n.split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '?') + (parts[1]?.[0] ?? '')).toUpperCase();
}

/** A member's name for an e-mail, or the e-mail itself. */
export function memberName(email: string | null | undefined, members: MemberView[] | undefined): string {
  if (!email) return '';
  return members?.find((m) => m.email === email)?.name || email;
}

/** `14:05` today, `Mon` this week, `Nov 3` otherwise. */
export function listTime(iso: string, now = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  if (d.toDateString() === now.toDateString()) return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  const age = now.getTime() - d.getTime();
  if (age < 6 * 24 * 3600 * 1000 && age > 0) return d.toLocaleDateString(undefined, { weekday: 'short' });
  return d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

export function clockTime(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

export function dayLabel(ms: number, now = new Date()): string {
  const d = new Date(ms);
  if (d.toDateString() === now.toDateString()) return 'Today';
  const y = new Date(now);
  y.setDate(now.getDate() - 1);
  if (d.toDateString() === y.toDateString()) return 'Yesterday';
  return d.toLocaleDateString(undefined, { dateStyle: 'medium' });
}
