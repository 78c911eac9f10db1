import type { MediaSource } from '@konvent/protocol';
import { useI18n } from '../i18n/I18n.tsx';
import { Icon } from './Icons.tsx';

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
      {stoppedByModerator && !(stoppedByModerator === 'microphone' ? micLocked : camLocked) && (
        <div className="banner banner--info" role="status">
          <Icon name={stoppedByModerator === 'camera' ? 'cameraOff' : 'micOff'} />
          <span>
            {t(
              stoppedByModerator === 'camera'
                ? 'moderation.stopped.camera'
                : 'moderation.stopped.microphone',
            )}
          </span>
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
          <span>{t(sourceError === 'camera' ? 'media.cameraError' : 'media.micError')}</span>
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
