import type { MediaSource } from '@konvent/protocol';
import { useI18n } from '../i18n/I18n.tsx';
import type { MessageKey } from '../i18n/en.ts';
import { Icon, type IconName } from './Icons.tsx';

const STOPPED: Record<MediaSource, { icon: IconName; text: MessageKey }> = {
  microphone: { icon: 'micOff', text: 'moderation.stopped.microphone' },
  camera: { icon: 'cameraOff', text: 'moderation.stopped.camera' },
  screen: { icon: 'screenOff', text: 'share.stoppedByModerator' },
};

/** Whether a lock explains a stop (then the lock banner says it, not the stop notice). */
const LOCKED_BY: Record<MediaSource, (mic: boolean, cam: boolean) => boolean> = {
  microphone: (mic) => mic,
  camera: (_mic, cam) => cam,
  screen: () => false,
};

const SOURCE_ERRORS: Record<MediaSource, MessageKey> = {
  microphone: 'media.micError',
  camera: 'media.cameraError',
  screen: 'share.error',
};

/**
 * The meeting's own banners under the header: sound blocked by the browser, a moderator
 * muted me or stopped my camera (unless a lock explains it), what is locked for me, and a
 * device that could not be started.
 */
export function MeetingBanners({
  soundBlocked,
  onEnableSound,
  stoppedByModerator,
  onDismissModeratorNotice,
  micLocked,
  camLocked,
  sourceError,
  onDismissSourceError,
}: {
  soundBlocked: boolean;
  onEnableSound: () => void;
  stoppedByModerator: MediaSource | null;
  onDismissModeratorNotice: () => void;
  micLocked: boolean;
  camLocked: boolean;
  sourceError: MediaSource | null;
  onDismissSourceError: () => void;
}) {
  const { t } = useI18n();
  return (
    <>
      {soundBlocked && (
        <div className="banner banner--info" role="status">
          <Icon name="speaker" />
          <span>{t('sound.blocked')}</span>
          <button
            type="button"
            className="button button--small button--secondary"
            onClick={() => {
              onEnableSound();
            }}
          >
            {t('sound.enable')}
          </button>
        </div>
      )}
      {/* Under a lock the lock banner below explains it; "you may unmute" would not be true. */}
      {stoppedByModerator && !LOCKED_BY[stoppedByModerator](micLocked, camLocked) && (
        <div className="banner banner--info" role="status">
          <Icon name={STOPPED[stoppedByModerator].icon} />
          <span>{t(STOPPED[stoppedByModerator].text)}</span>
          <button
            type="button"
            className="icon-button icon-button--small"
            aria-label={t('common.close')}
            onClick={() => {
              onDismissModeratorNotice();
            }}
          >
            <Icon name="close" />
          </button>
        </div>
      )}
      {(micLocked || camLocked) && (
        <div className="banner banner--info" role="status">
          <Icon name="lock" />
          <span>
            {[micLocked && t('locks.micLocked'), camLocked && t('locks.camLocked')]
              .filter(Boolean)
              .join(' ')}
          </span>
        </div>
      )}
      {sourceError && (
        <div className="banner banner--warning" role="alert">
          <Icon name="alert" />
          <span>{t(SOURCE_ERRORS[sourceError])}</span>
          <button
            type="button"
            className="icon-button icon-button--small"
            aria-label={t('common.close')}
            onClick={() => {
              onDismissSourceError();
            }}
          >
            <Icon name="close" />
          </button>
        </div>
      )}
    </>
  );
}
