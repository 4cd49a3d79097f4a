import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

interface FieldProps {
  label: string;
  error?: string | null;
  hint?: ReactNode;
  grow?: boolean;
  /** Marks the label with an asterisk and the control as required (aria-required). */
  required?: boolean;
}

/** What every field shares: the label, the control, its hint and its error right under it. */
function Frame({ id, label, hint, error, grow, required, children }: FieldProps & { id: string; children: ReactNode }) {
  return (
    <div className={grow ? 'field grow' : 'field'}>
      {/* The asterisk sits outside the label and is hidden from screen readers: the field's name stays its label (aria-required says the rest). */}
      <span className="field-label-row">
        <label htmlFor={id} className="field-label">
          {label}
        </label>
        {required && (
          <span className="required-mark" aria-hidden="true">
            *
          </span>
        )}
      </span>
      {children}
      {hint && (
        <span className="field-hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {error && (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}

/** The control's accessibility attributes: invalid when there is an error, described by hint and error. */
function described(id: string, hint: ReactNode, error: string | null | undefined) {
  const by = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': by || undefined };
}

/** A labelled input with its hint and its error right under it. */
export function TextField({ label, error, hint, grow, required, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <Frame id={id} label={label} hint={hint} error={error} grow={grow} required={required}>
      <input {...described(id, hint, error)} aria-required={required || undefined} {...input} />
    </Frame>
  );
}

export function SelectField({ label, error, hint, grow, required, children, ...select }: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = useId();
  return (
    <Frame id={id} label={label} hint={hint} error={error} grow={grow} required={required}>
      <select {...described(id, hint, error)} aria-required={required || undefined} {...select}>
        {children}
      </select>
    </Frame>
  );
}

export function TextAreaField({ label, error, hint, grow, required, ...area }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  return (
    <Frame id={id} label={label} hint={hint} error={error} grow={grow} required={required}>
      <textarea {...described(id, hint, error)} aria-required={required || undefined} {...area} />
    </Frame>
  );
}
