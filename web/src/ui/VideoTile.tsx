import { useEffect, useLayoutEffect, useRef } from 'react';
import type { Participant } from '@konvent/protocol';
import { useI18n } from '../i18n/I18n.tsx';
import { Icon } from './Icons.tsx';
import { avatarSlot, initials } from './initials.ts';

/** Where a tile reports its visibility and size (the MeetingClient for remote tiles). */
export interface TileObserver {
  setTileVisible(participantId: string, visible: boolean): void;
  setTileWidth(participantId: string, width: number): void;
}

/**
 * One person on the stage: their video, or an avatar with initials while the camera is off,
 * and a name label with microphone and camera state. Remote tiles report whether they are
 * on screen and how large they are, so the server only sends video worth showing.
 */
export function VideoTile({
  participant,
  track,
  micOn,
  camOn,
  isSelf = false,
  observer,
}: {
  participant: Participant;
  track: MediaStreamTrack | null;
  micOn: boolean;
  camOn: boolean;
  isSelf?: boolean;
  observer?: TileObserver;
}) {
  const { t } = useI18n();
  const figureRef = useRef<HTMLElement>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const showVideo = track !== null && camOn;
  const name = isSelf
    ? t('meeting.you', { name: participant.displayName })
    : participant.displayName;

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    // `muted` must be the content attribute too (React only sets the property), so that
    // autoplay policies and anyone inspecting the DOM see a muted element.
    video.defaultMuted = true;
    video.muted = true;
    video.srcObject = track ? new MediaStream([track]) : null;
  }, [track]);

  const id = participant.id;
  // A layout effect, and a first measurement before the next paint: the observers' first
  // callbacks come a frame or more later (much more on a busy machine), and the video is
  // only resumed once the tile is known to be on screen. The measurement waits for a
  // microtask so the grid's own layout effect (which runs after this one and may change
  // the column count when a tile joins) has settled the tile's size.
  useLayoutEffect(() => {
    const figure = figureRef.current;
    if (!figure || !observer) return;
    let active = true;
    queueMicrotask(() => {
      if (!active) return;
      const rect = figure.getBoundingClientRect();
      if (rect.width <= 0 || rect.height <= 0) return;
      observer.setTileWidth(id, Math.round(rect.width * window.devicePixelRatio));
      const onScreen =
        rect.bottom > 0 &&
        rect.right > 0 &&
        rect.top < window.innerHeight &&
        rect.left < window.innerWidth;
      if (onScreen) observer.setTileVisible(id, true);
    });
    const visibility = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) observer.setTileVisible(id, entry.isIntersecting);
      },
      { threshold: 0.01 },
    );
    const size = new ResizeObserver((entries) => {
      for (const entry of entries) {
        observer.setTileWidth(id, Math.round(entry.contentRect.width * window.devicePixelRatio));
      }
    });
    visibility.observe(figure);
    size.observe(figure);
    return () => {
      active = false;
      visibility.disconnect();
      size.disconnect();
      observer.setTileVisible(id, false);
    };
  }, [id, observer]);

  return (
    <figure
      ref={figureRef}
      className={`tile${showVideo ? '' : ' tile--no-video'}${isSelf ? ' tile--self' : ''}`}
      aria-label={name}
    >
      <video
        ref={videoRef}
        className={isSelf ? 'tile__video tile__video--mirrored' : 'tile__video'}
        data-participant-id={isSelf ? undefined : participant.id}
        data-self={isSelf ? 'true' : undefined}
        autoPlay
        playsInline
        muted
      />
      {!showVideo && (
        <div className="tile__avatar" aria-hidden="true">
          <span className={`avatar avatar--tile avatar--c${avatarSlot(participant.id)}`}>
            {initials(participant.displayName)}
          </span>
        </div>
      )}
      <figcaption className="tile__label">
        <Icon
          name={micOn ? 'mic' : 'micOff'}
          label={t(micOn ? 'media.micIsOn' : 'media.micIsOff')}
          className={micOn ? 'tile__state' : 'tile__state tile__state--off'}
        />
        {!camOn && (
          <Icon
            name="cameraOff"
            label={t('media.camIsOff')}
            className="tile__state tile__state--off"
          />
        )}
        <span className="tile__name">{name}</span>
        {participant.presence === 'reconnecting' && (
          <span className="tile__presence">{t('presence.reconnecting')}</span>
        )}
      </figcaption>
    </figure>
  );
}
