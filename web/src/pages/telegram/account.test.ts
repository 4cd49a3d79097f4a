import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import type { TelegramAccountState, TelegramAccountView } from '../../api/types';
import { i18n, setLanguage } from '../../i18n';
import {
  accountName,
  fieldErrorText,
  FAST_POLL_MS,
  hasChannels,
  isExpiredCode,
  normalizeCode,
  normalizePhone,
  pollInterval,
  SLOW_POLL_MS,
  stepError,
  waitText,
} from './account';

function account(state: TelegramAccountState, over: Partial<TelegramAccountView> = {}): TelegramAccountView {
  return { id: 'A1', phone: '+380507770001', state, state_changed_at: '2026-03-01T10:00:00Z', created_at: '2026-03-01T09:00:00Z', sources: 0, ...over };
}

describe('a phone number as typed', () => {
  it('keeps + and its digits, with the spaces, dashes and brackets people write', () => {
    expect(normalizePhone('+380 50 777 0001')).toBe('+380507770001');
    expect(normalizePhone(' +380 (50) 777-00-01 ')).toBe('+380507770001');
    expect(normalizePhone('+1234567')).toBe('+1234567');
    expect(normalizePhone('+123456789012345')).toBe('+123456789012345');
  });

  it('needs the country code (+) and 7 to 15 digits', () => {
    for (const bad of ['', '380507770001', '050 777 0001', '+123456', '+1234567890123456', '+380 50 abc', '++380507770001', '+']) {
      expect(normalizePhone(bad), bad).toBeNull();
    }
  });
});

describe('a login code as typed', () => {
  it('is digits; spaces and dashes are dropped', () => {
    expect(normalizeCode(' 12 345 ')).toBe('12345');
    expect(normalizeCode('123-456')).toBe('123456');
    expect(normalizeCode('12a45')).toBeNull();
    expect(normalizeCode('')).toBeNull();
  });
});

describe('the list', () => {
  it('is asked every 5 s while an account is on its way, every 30 s otherwise', () => {
    expect(pollInterval(undefined)).toBe(SLOW_POLL_MS);
    expect(pollInterval({ items: [] })).toBe(SLOW_POLL_MS);
    expect(pollInterval({ items: [account('online'), account('needs_login'), account('flood_wait'), account('offline')] })).toBe(SLOW_POLL_MS);
    for (const moving of ['connecting', 'reconnecting', 'awaiting_code', 'awaiting_password'] as const) {
      expect(pollInterval({ items: [account('online'), account(moving)] }), moving).toBe(FAST_POLL_MS);
    }
  });

  it('names an account by its Telegram name, else @username, else the number', () => {
    expect(accountName(account('online', { first_name: 'Olga', username: 'olga' }))).toBe('Olga');
    expect(accountName(account('online', { first_name: ' ', username: 'olga' }))).toBe('@olga');
    expect(accountName(account('awaiting_code'))).toBe('+380507770001');
  });

  it('shows channels once a login has finished', () => {
    expect(hasChannels(account('online'))).toBe(true);
    expect(hasChannels(account('offline'))).toBe(true);
    expect(hasChannels(account('awaiting_code'))).toBe(false);
    expect(hasChannels(account('awaiting_password'))).toBe(false);
    expect(hasChannels(account('needs_login'))).toBe(false);
    expect(hasChannels(account('needs_login', { tg_user_id: 5001 }))).toBe(true);
  });
});

describe('the login errors', () => {
  const t = i18n.t.bind(i18n);

  it('say how long Telegram asks to wait, in seconds, minutes or hours', () => {
    expect(waitText(t, 1)).toBe('Telegram asks to wait 1 second before trying again.');
    expect(waitText(t, 45)).toBe('Telegram asks to wait 45 seconds before trying again.');
    expect(waitText(t, 60)).toBe('Telegram asks to wait 1 minute before trying again.');
    expect(waitText(t, 61)).toBe('Telegram asks to wait 2 minutes before trying again.');
    expect(waitText(t, 3 * 3600 + 1)).toBe('Telegram asks to wait 4 hours before trying again.');
    expect(waitText(t, null)).toBe('Telegram asks to wait before trying again.');
  });

  it('use the Ukrainian plural forms', async () => {
    await setLanguage('uk', false);
    expect(waitText(t, 60)).toBe('Телеграм просить зачекати 1 хвилину, перш ніж пробувати знову.');
    expect(waitText(t, 180)).toBe('Телеграм просить зачекати 3 хвилини, перш ніж пробувати знову.');
    expect(waitText(t, 300)).toBe('Телеграм просить зачекати 5 хвилин, перш ніж пробувати знову.');
    expect(waitText(t, 21 * 60)).toBe('Телеграм просить зачекати 21 хвилину, перш ніж пробувати знову.');
    expect(waitText(t, 11)).toBe('Телеграм просить зачекати 11 секунд, перш ніж пробувати знову.');
  });

  it('name the service being down or slow, and Telegram’s wait from a 429', () => {
    expect(stepError(t, new ApiError(503, 'no_host', 'no host holds accounts'))).toBe('The account service is not running; try again in a minute.');
    expect(stepError(t, new ApiError(504, 'host_timeout', 'late'))).toBe('The account service did not answer in time; try again.');
    expect(stepError(t, new ApiError(429, 'flood_wait', 'wait', null, 42))).toBe('Telegram asks to wait 42 seconds before trying again.');
    // The API's own rate limit is not Telegram's.
    expect(stepError(t, new ApiError(429, 'rate_limited', 'slow down', null, 5))).toBe('Too many attempts. Please wait a moment and try again.');
  });

  it('tell an expired code from a wrong one', () => {
    expect(isExpiredCode(new ApiError(422, 'code_expired', 'The code has expired', 'code'))).toBe(true);
    expect(isExpiredCode(new ApiError(422, 'validation', 'The code has expired; ask for a new one', 'code'))).toBe(true);
    expect(isExpiredCode(new ApiError(422, 'code_invalid', 'The code is wrong', 'code'))).toBe(false);
  });

  it("show the server's words in English, and a translation by code or field otherwise", async () => {
    const wrong = new ApiError(422, 'validation', 'The code is wrong', 'code');
    expect(fieldErrorText(t, wrong)).toBe('The code is wrong');
    await setLanguage('uk', false);
    expect(fieldErrorText(t, wrong)).toBe('Телеграм не прийняв цей код. Перевірте його або попросіть новий.');
    expect(fieldErrorText(t, new ApiError(422, 'code_expired', 'The code has expired', 'code'))).toBe('Термін дії цього коду минув. Попросіть новий.');
    expect(fieldErrorText(t, new ApiError(422, 'password_invalid', 'Wrong password', 'password'))).toBe('Пароль неправильний.');
    expect(fieldErrorText(t, new ApiError(409, 'conflict', 'this account is already connected and online', 'phone'))).toBe('Цей акаунт уже підключений і в мережі.');
    expect(fieldErrorText(t, new ApiError(422, 'validation', 'write the number with its country code', 'phone'))).toBe(
      'Перевірте номер: потрібен код країни, і Телеграм має знати цей номер.',
    );
  });
});
