// Telegram user accounts: the rules the hub's Accounts tab shares — a phone
// number and a login code as typed, how each state looks, how often the
// list is asked again, an account's name, and the login's errors in the
// user's words.
import type { TFunction } from 'i18next';
import { ApiError } from '../../api/client';
import { errorMessage } from '../../api/errors';
import type { TelegramAccountList, TelegramAccountState, TelegramAccountView } from '../../api/types';
import { currentLanguage, i18n } from '../../i18n';
import { dayKey, formatDate, formatTime } from '../../i18n/format';

export const ACCOUNTS_PATH = '/api/telegram-accounts';
export const accountPath = (id: string) => `${ACCOUNTS_PATH}/${encodeURIComponent(id)}`;
/** The account's page in the app (its channels). */
export const accountPage = (id: string) => `/telegram/accounts/${encodeURIComponent(id)}`;

/** Who may connect, log in again, remove accounts and choose stock sources (the same as for bots). */
export const MANAGE_ROLE = 'admin' as const;

/**
 * A phone number with its country code: `+` then 7 to 15 digits, with the
 * spaces, dashes, dots and brackets people write between them. Returns
 * `+digits` (what the API keeps), or null.
 */
export function normalizePhone(raw: string): string | null {
  const s = raw.trim();
  if (!/^\+[\d\s\-.()]+$/.test(s)) return null;
  const digits = s.replace(/\D/g, '');
  return digits.length >= 7 && digits.length <= 15 ? `+${digits}` : null;
}

/** The digits of a login code (spaces and dashes dropped), or null when it is not digits. */
export function normalizeCode(raw: string): string | null {
  const code = raw.replace(/[\s-]/g, '');
  return /^\d{1,10}$/.test(code) ? code : null;
}

export type Tone = 'ok' | 'warn' | 'danger' | 'info';

/** The chip's colour: online green, on the way amber, needing someone red, a login under way blue. */
export const STATE_TONE: Record<TelegramAccountState, Tone> = {
  online: 'ok',
  connecting: 'warn',
  reconnecting: 'warn',
  flood_wait: 'warn',
  needs_login: 'danger',
  offline: 'danger',
  awaiting_code: 'info',
  awaiting_password: 'info',
};

/** States that change by themselves within seconds (or when the dealer types the next step). */
const MOVING: ReadonlySet<TelegramAccountState> = new Set(['awaiting_code', 'awaiting_password', 'connecting', 'reconnecting']);

export const FAST_POLL_MS = 5_000;
export const SLOW_POLL_MS = 30_000;

/** The list is asked again every 5 s while an account is on its way somewhere, every 30 s otherwise. */
export function pollInterval(list: TelegramAccountList | undefined): number {
  return list?.items.some((a) => MOVING.has(a.state)) ? FAST_POLL_MS : SLOW_POLL_MS;
}

export const isAwaiting = (s: TelegramAccountState) => s === 'awaiting_code' || s === 'awaiting_password';

/** An account whose login finished once has channels to show (one that never finished has none). */
export const hasChannels = (a: TelegramAccountView) => !isAwaiting(a.state) && (a.state !== 'needs_login' || a.tg_user_id != null);

/** Its Telegram name, else @username, else the phone number. */
export function accountName(a: Pick<TelegramAccountView, 'first_name' | 'username' | 'phone'>): string {
  return a.first_name?.trim() || (a.username ? `@${a.username}` : a.phone);
}

/** A moment later today as its time ("14:05"); on another day with its date. */
export function untilText(iso: string, now = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return dayKey(d) === dayKey(now) ? formatTime(d) : formatDate(iso, true);
}

/** The words on an account's state chip. */
export function stateLabel(t: TFunction, a: Pick<TelegramAccountView, 'state' | 'flood_wait_until'>): string {
  if (a.state === 'flood_wait' && a.flood_wait_until) return t('tgaccounts:floodUntil', { time: untilText(a.flood_wait_until) });
  return t(`tgaccounts:states.${a.state}`, { defaultValue: a.state });
}

// --- errors of the login steps ----------------------------------------------

/** Telegram asked to wait (429 `flood_wait`; the seconds come in `Retry-After`). */
export const isFloodWait = (e: unknown): e is ApiError => e instanceof ApiError && e.code === 'flood_wait';

/** The code Telegram sent has expired: a new one must be sent. */
export const isExpiredCode = (e: unknown): boolean =>
  e instanceof ApiError && (e.code === 'code_expired' || e.code === 'expired' || (e.field === 'code' && /expired/i.test(e.message)));

/** "Telegram asks to wait 3 minutes": seconds under a minute, minutes under two hours, hours beyond. */
export function waitText(t: TFunction, seconds: number | null): string {
  if (seconds === null) return t('tgaccounts:errors.floodWait');
  if (seconds < 60) return t('tgaccounts:errors.floodWaitSeconds', { count: Math.max(1, seconds) });
  if (seconds < 2 * 3600) return t('tgaccounts:errors.floodWaitMinutes', { count: Math.ceil(seconds / 60) });
  return t('tgaccounts:errors.floodWaitHours', { count: Math.ceil(seconds / 3600) });
}

/** Codes of the login steps with a text of their own (`errors.codes.<code>`), when not about one field. */
const STEP_CODES = new Set(['no_host', 'host_timeout', 'needs_login']);

/** A failed step that is not about one field: Telegram's wait, the account service down or slow, anything else. */
export function stepError(t: TFunction, e: unknown): string {
  if (isFloodWait(e)) return waitText(t, e.retryAfter);
  if (e instanceof ApiError && STEP_CODES.has(e.code)) return t(`tgaccounts:errors.codes.${e.code}`);
  return errorMessage(e);
}

/**
 * A field the server refused (the phone, the code, the password): in
 * English its own words (they say exactly what is wrong); in another
 * language the text for its code, or for its field.
 */
export function fieldErrorText(t: TFunction, e: ApiError): string {
  if (currentLanguage() === 'en' && e.message) return e.message;
  if (isExpiredCode(e)) return t('tgaccounts:errors.codeExpired');
  const byCode = `tgaccounts:errors.codes.${e.code}`;
  if (i18n.exists(byCode, { postProcess: [] })) return t(byCode);
  const byField = `tgaccounts:errors.fields.${e.field}`;
  if (e.field && i18n.exists(byField, { postProcess: [] })) return t(byField);
  return errorMessage(e);
}
