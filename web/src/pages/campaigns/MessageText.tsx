import { useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n/format';
import { VARIABLES } from './campaign';

/** A variable the text may hold: `{name}` is put in, `label` is on its chip. */
export interface TextVariable {
  name: string;
  label: string;
}

/**
 * The message's text (the caption when there is media) with buttons that
 * put a variable where the cursor is, and how many characters are left.
 * A campaign's variables are the contact's; a channel post's are the car's.
 */
export function MessageText({
  value,
  onChange,
  limit,
  caption,
  error,
  variables,
  hint,
  placeholder,
}: {
  value: string;
  onChange: (text: string) => void;
  limit: number;
  /** It is the caption of a photo, video or file (a shorter limit). */
  caption: boolean;
  error?: string;
  /** The chips above the text (a campaign's contact variables by default). */
  variables?: readonly TextVariable[];
  /** What the variables become (under the text). */
  hint?: string;
  placeholder?: string;
}) {
  const { t } = useTranslation('campaigns');
  const id = useId();
  const chips = variables ?? VARIABLES.map((name) => ({ name, label: t(`variables.${name}`) }));
  const ref = useRef<HTMLTextAreaElement>(null);
  const length = [...value].length;
  const over = length > limit;

  const insert = (name: string) => {
    const el = ref.current;
    const token = `{${name}}`;
    const start = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? value.length;
    onChange(value.slice(0, start) + token + value.slice(end));
    requestAnimationFrame(() => {
      if (!el) return;
      el.focus();
      el.setSelectionRange(start + token.length, start + token.length);
    });
  };

  const described = [`${id}-hint`, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {caption ? t('fields.caption') : t('fields.text')}
      </label>
      <div className="campaign-variables" role="group" aria-label={t('variables.title')}>
        <span className="small muted">{t('variables.insert')}</span>
        {chips.map((v) => (
          <button key={v.name} type="button" className="btn btn-ghost btn-xs" onClick={() => insert(v.name)} title={v.label}>
            {v.label}
          </button>
        ))}
      </div>
      <textarea
        id={id}
        ref={ref}
        className="campaign-text"
        rows={6}
        value={value}
        placeholder={placeholder ?? t('fields.textPlaceholder')}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error || over ? true : undefined}
        aria-describedby={described}
      />
      <span className="field-hint campaign-text-hint" id={`${id}-hint`}>
        <span>{hint ?? t('variables.hint')}</span>
        <span className={over ? 'field-error' : undefined}>{t('fields.counter', { n: formatNumber(length), max: formatNumber(limit) })}</span>
      </span>
      {error && (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}
