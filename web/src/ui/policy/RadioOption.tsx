import { useId } from 'react';
import type { ReactNode } from 'react';

/**
 * One radio button with its title as the accessible name and an explanation tied to it with
 * `aria-describedby` (so the name stays short), a "recommended" tag, and optional content
 * that belongs to the option (shown under it, e.g. a field for an own passcode).
 */
export function RadioOption({
  name,
  value,
  checked,
  label,
  description,
  tag,
  onSelect,
  children,
}: {
  name: string;
  value: string;
  checked: boolean;
  label: string;
  description?: string;
  tag?: string | undefined;
  onSelect: () => void;
  children?: ReactNode;
}) {
  const id = useId();
  return (
    <div className={`radio-option${checked ? ' is-checked' : ''}`}>
      <input
        id={id}
        className="radio-option__input"
        type="radio"
        name={name}
        value={value}
        checked={checked}
        aria-describedby={description === undefined ? undefined : `${id}-text`}
        onChange={onSelect}
      />
      <label htmlFor={id} className="radio-option__label">
        {label}
        {tag !== undefined && <span className="pill pill--success radio-option__tag">{tag}</span>}
      </label>
      {description !== undefined && (
        <p id={`${id}-text`} className="radio-option__text">
          {description}
        </p>
      )}
      {children !== undefined && <div className="radio-option__extra">{children}</div>}
    </div>
  );
}
