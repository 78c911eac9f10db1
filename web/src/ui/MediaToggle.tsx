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
}: {
  kind: 'microphone' | 'camera';
  on: boolean;
  onToggle: (on: boolean) => void;
  withCaption?: boolean;
  busy?: boolean;
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
  const icon = kind === 'microphone' ? (on ? 'mic' : 'micOff') : on ? 'camera' : 'cameraOff';
  return (
    <button
      type="button"
      className={`control${on ? '' : ' control--off'}`}
      aria-label={label}
      aria-busy={busy || undefined}
      data-tooltip={withCaption ? undefined : label}
      onClick={() => {
        onToggle(!on);
      }}
    >
      <span className="control__icon">
        <Icon name={icon} />
      </span>
      {withCaption && (
        <span className="control__caption" aria-hidden="true">
          {caption}
        </span>
      )}
    </button>
  );
}
