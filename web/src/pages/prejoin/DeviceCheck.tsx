import { useEffect, useRef, useSyncExternalStore } from 'react';
import { useI18n } from '../../i18n/I18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import type { LocalMedia } from '../../media/LocalMedia.ts';
import { Icon } from '../../ui/Icons.tsx';
import { initials } from '../../ui/initials.ts';
import { MediaToggle } from '../../ui/MediaToggle.tsx';
import { MicLevelMeter } from '../../ui/MicLevelMeter.tsx';

/**
 * The camera preview with microphone and camera switches and the level meter, as on the
 * pre-join page and the lobby page: people check (or switch off) their devices before
 * anyone sees them. Nothing is sent from here; the devices are the ones the meeting uses.
 */
export function DeviceCheck({ localMedia, name }: { localMedia: LocalMedia; name: string }) {
  const { t } = useI18n();
  const devices = useSyncExternalStore(localMedia.subscribe, localMedia.getState);
  const videoRef = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    video.srcObject = devices.video ? new MediaStream([devices.video]) : null;
  }, [devices.video]);

  const notices: MessageKey[] = [];
  if (devices.audioProblem === 'denied' || devices.videoProblem === 'denied') {
    notices.push('prejoin.permissionDenied');
  } else {
    if (devices.videoProblem === 'unavailable') notices.push('prejoin.cameraUnavailable');
    if (devices.audioProblem === 'unavailable') notices.push('prejoin.micUnavailable');
  }

  return (
    <section className="prejoin__media" aria-label={t('prejoin.deviceCheck')}>
      <div className="preview">
        <video
          ref={videoRef}
          className={devices.video ? 'preview__video' : 'preview__video is-hidden'}
          aria-label={t('prejoin.preview')}
          autoPlay
          playsInline
          muted
        />
        {!devices.video && (
          <div className="preview__placeholder">
            {devices.starting ? (
              <span className="spinner spinner--large" aria-hidden="true" />
            ) : (
              <span className="avatar avatar--large" aria-hidden="true">
                {initials(name)}
              </span>
            )}
            <span>{t(devices.starting ? 'prejoin.cameraStarting' : 'prejoin.cameraOff')}</span>
          </div>
        )}
        <div className="preview__controls">
          <MediaToggle
            kind="microphone"
            on={devices.audio !== null}
            onToggle={(on) => {
              if (on) void localMedia.enable('audio').catch(() => undefined);
              else localMedia.disable('audio');
            }}
          />
          <MediaToggle
            kind="camera"
            on={devices.video !== null}
            onToggle={(on) => {
              if (on) void localMedia.enable('video').catch(() => undefined);
              else localMedia.disable('video');
            }}
          />
        </div>
      </div>
      <div className="meter-row">
        <Icon name={devices.audio ? 'mic' : 'micOff'} />
        <span className="meter-row__label" aria-hidden="true">
          {t('prejoin.micLevel')}
        </span>
        <MicLevelMeter track={devices.audio} label={t('prejoin.micLevel')} />
      </div>
      {notices.map((key) => (
        <p key={key} className="notice notice--warning" role="status">
          <Icon name="alert" />
          {t(key)}
        </p>
      ))}
    </section>
  );
}
