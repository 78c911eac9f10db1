import { useI18n } from '../i18n/I18n.tsx';
import { Icon } from './Icons.tsx';

/**
 * The microphone or camera switch. Its accessible name says what pressing it does
 * ("Mute microphone" / "Unmute microphone"), so it carries no aria-pressed: a button whose
 * name changes with its state must not also announce a pressed state (WAI-ARIA APG).
 */
export function MediaToggle({
  kind,
  on,
  onToggle,
  withCaption = false,
  busy = false,
  locked = false,
}: {
  kind: 'microphone' | 'camera';
  on: boolean;
  onToggle: (on: boolean) => void;
  withCaption?: boolean;
  busy?: boolean;
  /** A moderator locked this source: it can only be switched off, and the name says why. */
  locked?: boolean;
}) {
  const { t } = useI18n();
  const label =
    kind === 'microphone'
      ? t(on ? 'media.muteMic' : 'media.unmuteMic')
      : t(on ? 'media.cameraOff' : 'media.cameraOn');
  const caption =
    kind === 'microphone'
      ? t(on ? 'toolbar.muteMic' : 'toolbar.unmuteMic')
      : t(on ? 'toolbar.cameraOff' : 'toolbar.cameraOn');
  // Locked and off: nothing to press. (Locked while on does not last: the server stops it.)
  const disabled = locked && !on;
  const lockedLabel = t(kind === 'microphone' ? 'locks.micLockedLabel' : 'locks.camLockedLabel');
  const name = disabled ? lockedLabel : label;
  const icon = kind === 'microphone' ? (on ? 'mic' : 'micOff') : on ? 'camera' : 'cameraOff';
  return (
    <button
      type="button"
      className={`control${on ? '' : ' control--off'}`}
      aria-label={name}
      aria-busy={busy || undefined}
      disabled={disabled}
      title={disabled ? lockedLabel : undefined}
      data-tooltip={withCaption ? undefined : name}
      onClick={() => {
        onToggle(!on);
      }}
    >
      <span className="control__icon">
        <Icon name={icon} />
      </span>
      {withCaption && (
        <span className="control__caption" aria-hidden="true">
          {disabled ? t('locks.caption') : caption}
        </span>
      )}
    </button>
  );
}
