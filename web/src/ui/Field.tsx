import { useId } from 'react';
import type { InputHTMLAttributes, ReactNode, Ref } from 'react';
import { Icon } from './Icons.tsx';

/** Input attributes a field passes through (everything but what the field itself owns). */
type PassThrough = Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'id' | 'className' | 'value' | 'onChange' | 'aria-describedby' | 'aria-invalid'
>;

/**
 * A labelled text input with an optional hint, an error and extra content (such as live
 * feedback) below it. The hint, error and extra content are tied to the input with
 * `aria-describedby`, so a screen reader reads them with the field.
 */
export function Field({
  label,
  hint,
  error,
  value,
  onChange,
  children,
  inputRef,
  describedBy,
  ...input
}: PassThrough & {
  label: string;
  hint?: string | undefined;
  error?: string | null | undefined;
  value: string;
  onChange: (value: string) => void;
  /** Shown under the input, e.g. live feedback; give it the id in `describedBy`. */
  children?: ReactNode;
  inputRef?: Ref<HTMLInputElement>;
  /** Ids of further elements that describe the input. */
  describedBy?: string | undefined;
}) {
  const id = useId();
  const described = [
    hint === undefined ? null : `${id}-hint`,
    error ? `${id}-error` : null,
    describedBy ?? null,
  ]
    .filter((part) => part !== null)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {hint !== undefined && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      <input
        {...input}
        ref={inputRef}
        id={id}
        className="input"
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={described === '' ? undefined : described}
        onChange={(event) => {
          onChange(event.target.value);
        }}
      />
      {error && (
        <p id={`${id}-error`} className="field-error">
          <Icon name="alert" />
          {error}
        </p>
      )}
      {children}
    </div>
  );
}
