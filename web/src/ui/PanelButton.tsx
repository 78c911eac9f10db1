import { useId } from 'react';
import { Icon } from './Icons.tsx';
import type { IconName } from './Icons.tsx';

/**
 * A toolbar button that opens or closes a side panel. Its name never changes, so its state
 * is announced with aria-pressed; a badge (count, unread) is described, not named, so the
 * name stays exactly "Participants" / "Chat".
 */
export function PanelButton({
  icon,
  label,
  pressed,
  controls,
  badge,
  badgeLabel = null,
  attention = false,
  buttonRef,
  onClick,
}: {
  icon: IconName;
  label: string;
  pressed: boolean;
  controls: string;
  badge: string | null;
  badgeLabel?: string | null;
  attention?: boolean;
  buttonRef?: (element: HTMLButtonElement | null) => void;
  onClick: () => void;
}) {
  const id = useId();
  return (
    <button
      ref={buttonRef}
      type="button"
      className={`control control--panel${pressed ? ' is-pressed' : ''}`}
      aria-label={label}
      aria-pressed={pressed}
      aria-controls={pressed ? controls : undefined}
      aria-describedby={badgeLabel ? id : undefined}
      onClick={onClick}
    >
      <span className="control__icon">
        <Icon name={icon} />
        {badge !== null && (
          <span className={`badge${attention ? ' badge--attention' : ''}`} aria-hidden="true">
            {badge}
          </span>
        )}
      </span>
      <span className="control__caption" aria-hidden="true">
        {label}
      </span>
      {badgeLabel && (
        <span id={id} className="visually-hidden">
          {badgeLabel}
        </span>
      )}
    </button>
  );
}
