import { useI18n } from '../i18n/I18n.tsx';
import type { MessageKey } from '../i18n/en.ts';
import { Icon } from './Icons.tsx';

/** Where I stand with screen sharing, which decides what the toolbar button does. */
export type ShareState = 'sharing' | 'may' | 'ask' | 'asked' | 'locked';

const TEXTS: Record<ShareState, { caption: MessageKey; label: MessageKey }> = {
  sharing: { caption: 'share.stop', label: 'share.stopLabel' },
  may: { caption: 'share.start', label: 'share.startLabel' },
  ask: { caption: 'share.ask', label: 'share.askLabel' },
  asked: { caption: 'share.asked', label: 'share.askedLabel' },
  locked: { caption: 'share.locked', label: 'share.lockedLabel' },
};

/**
 * The toolbar's screen-share button: "Share screen" for those who may (moderators,
 * presenters, people a moderator allowed), "Stop sharing" while sharing, and "Ask to share"
 * for everyone else. The server decides in the end; this only offers what makes sense.
 */
export function ScreenShareButton({
  state,
  onStart,
  onStop,
  onAsk,
}: {
  state: ShareState;
  onStart: () => void;
  onStop: () => void;
  onAsk: () => void;
}) {
  const { t } = useI18n();
  const { caption, label } = TEXTS[state];
  const disabled = state === 'asked' || state === 'locked';
  return (
    <button
      type="button"
      className={`control${state === 'sharing' ? ' control--active' : ''}`}
      aria-label={t(label)}
      disabled={disabled}
      title={disabled ? t(label) : undefined}
      onClick={() => {
        if (state === 'sharing') onStop();
        else if (state === 'may') onStart();
        else if (state === 'ask') onAsk();
      }}
    >
      <span className="control__icon">
        <Icon name={state === 'sharing' ? 'screenOff' : 'screen'} />
      </span>
      <span className="control__caption" aria-hidden="true">
        {t(caption)}
      </span>
    </button>
  );
}
