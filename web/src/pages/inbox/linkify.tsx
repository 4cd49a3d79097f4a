import { Phone } from 'lucide-react';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/errors';

/** A piece of a message's text: plain, a web link or a phone number. */
export type Piece = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string } | { kind: 'phone'; text: string; tel: string };

// A link starts with http(s):// or www.; a phone is 7 to 15 digits, maybe
// with a leading +, spaces, dashes, dots or brackets between them.
// A phone does not start inside a word ("RAV4 2019…").
const PATTERN = /(https?:\/\/[^\s<>"]+|www\.[^\s<>"]+)|((?<![\p{L}\d])\+?\(?\d[\d\s().-]{5,}\d)/gu;

/**
 * Digit runs buyers write that are not phones: a range of years
 * ("2019-2021") and an amount grouped in thousands ("1 200 000", "1.200.000";
 * a phone starts with 0 or + when written so).
 */
function notAPhone(raw: string): boolean {
  if (/^(19|20)\d\d\s*[-–—]\s*(19|20)\d\d$/.test(raw)) return true;
  return !/^[0+]/.test(raw) && /^\d{1,3}(?:([ .,])\d{3})(?:\1\d{3})*$/.test(raw);
}

/** Splits `text` into plain text, links and phone numbers, in order. */
export function pieces(text: string): Piece[] {
  const out: Piece[] = [];
  let at = 0;
  for (const m of text.matchAll(PATTERN)) {
    const start = m.index ?? 0;
    let found: Piece | null = null;
    if (m[1]) {
      // A link's trailing full stop or bracket belongs to the sentence.
      const url = m[1].replace(/[.,;:!?)\]]+$/, '');
      found = { kind: 'link', text: url, href: url.startsWith('www.') ? `https://${url}` : url };
    } else if (m[2]) {
      const raw = m[2].trim();
      const digits = raw.replace(/\D/g, '');
      if (digits.length >= 7 && digits.length <= 15 && !notAPhone(raw)) found = { kind: 'phone', text: raw, tel: (raw.startsWith('+') ? '+' : '') + digits };
    }
    if (!found) continue;
    if (start > at) out.push({ kind: 'text', text: text.slice(at, start) });
    out.push(found);
    at = start + found.text.length;
  }
  if (at < text.length) out.push({ kind: 'text', text: text.slice(at) });
  return out;
}

/**
 * A message's text with its links and phone numbers clickable; a phone
 * offers "Save to contact" when `onSavePhone` is given.
 */
export function Linkified({ text, onSavePhone }: { text: string; onSavePhone?: (phone: string) => Promise<unknown> }) {
  return (
    <>
      {pieces(text).map((p, i) => (
        <Fragment key={i}>
          {p.kind === 'text' ? (
            p.text
          ) : p.kind === 'link' ? (
            <a href={p.href} target="_blank" rel="noopener noreferrer">
              {p.text}
            </a>
          ) : (
            <PhoneLink phone={p} onSave={onSavePhone} />
          )}
        </Fragment>
      ))}
    </>
  );
}

function PhoneLink({ phone, onSave }: { phone: { text: string; tel: string }; onSave?: (phone: string) => Promise<unknown> }) {
  const { t } = useTranslation('inbox');
  const [state, setState] = useState<{ busy: boolean; saved: boolean; error: unknown }>({ busy: false, saved: false, error: null });
  const save = async () => {
    if (!onSave) return;
    setState({ busy: true, saved: false, error: null });
    try {
      await onSave(phone.text);
      setState({ busy: false, saved: true, error: null });
    } catch (e) {
      setState({ busy: false, saved: false, error: e });
    }
  };
  return (
    <span className="msg-phone">
      <a href={`tel:${phone.tel}`}>{phone.text}</a>
      {onSave && (
        <button
          type="button"
          className="btn btn-ghost btn-xs msg-phone-save"
          onClick={() => void save()}
          disabled={state.busy || state.saved}
          title={state.error ? errorMessage(state.error) : undefined}
        >
          <Phone size={12} aria-hidden="true" />{' '}
          {state.saved ? t('triage.phoneSaved') : state.busy ? t('common:actions.saving') : state.error ? t('triage.phoneSaveFailed') : t('triage.savePhone')}
        </button>
      )}
    </span>
  );
}
