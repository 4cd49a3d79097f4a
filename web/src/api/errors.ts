// API errors in the user's language. The UI translates the error's `code`
// (and names its `field`); the server's English `message` is the fallback for
// a code this app does not know, and what an English reader sees for the
// codes whose message carries the specifics (which value, which limit).
import { currentLanguage, i18n } from '../i18n';
import { ApiError } from './client';

/** Codes whose server message says exactly what is wrong (in English). */
const SPECIFIC = new Set(['validation', 'bad_request', 'conflict', 'invalid_scenario', 'telegram_refused', 'telegram_error', 'file_refused']);

function has(key: string): boolean {
  return i18n.exists(key, { postProcess: [] });
}

/** A field's name in the user's words ("e-mail", "рік від"), or the raw name. */
export function fieldName(field: string): string {
  const key = `common:fields.${field}`;
  return has(key) ? i18n.t(key, { postProcess: [] }) : field;
}

export function translateError(e: ApiError): string {
  const code = e.code;
  if (SPECIFIC.has(code) && currentLanguage() === 'en' && e.message) return e.message;
  if (e.field && has(`common:errors.byField.${code}`)) {
    return i18n.t(`common:errors.byField.${code}`, { field: fieldName(e.field) });
  }
  if (has(`common:errors.codes.${code}`)) return i18n.t(`common:errors.codes.${code}`);
  const http = /^http_(\d+)$/.exec(code);
  if (http) {
    const status = Number(http[1]);
    const key =
      status === 401 ? 'unauthenticated' : status === 403 ? 'forbidden' : status === 404 ? 'not_found' : status === 429 ? 'rate_limited' : status >= 500 ? 'internal' : null;
    return key ? i18n.t(`common:errors.codes.${key}`) : i18n.t('common:errors.http', { status });
  }
  // A code this version does not know: the server's own words.
  return e.message || i18n.t('common:errors.unknown');
}

/** Any thrown thing as one sentence for the user. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return translateError(error);
  if (error instanceof Error && error.message) return error.message;
  return i18n.t('common:errors.unknown');
}
