import { useEffect, useLayoutEffect, useRef } from 'react';
import { useI18n } from '../i18n/I18n.tsx';
import { screenTileId } from '../media/MediaSession.ts';
import type { TileObserver } from './VideoTile.tsx';

/**
 * A shared screen on the stage: large, never cropped (text at the edges must stay
 * readable), labelled "{name}'s screen". A remote screen tile reports whether it is on
 * screen, so the server only sends it while it can be seen.
 */
export function ScreenTile({
  participantId,
  name,
  track,
  isSelf = false,
  observer,
}: {
  participantId: string;
  name: string;
  track: MediaStreamTrack;
  isSelf?: boolean;
  observer?: TileObserver;
}) {
  const { t } = useI18n();
  const figureRef = useRef<HTMLElement>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const label = isSelf ? t('share.tileSelf') : t('share.tile', { name });

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    video.defaultMuted = true;
    video.muted = true;
    video.srcObject = new MediaStream([track]);
  }, [track]);

  const id = screenTileId(participantId);
  useLayoutEffect(() => {
    const figure = figureRef.current;
    if (!figure || !observer) return;
    const visibility = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) observer.setTileVisible(id, entry.isIntersecting);
      },
      { threshold: 0.01 },
    );
    visibility.observe(figure);
    // Shown as soon as it is laid out: the observer's first callback can come late.
    observer.setTileVisible(id, true);
    return () => {
      visibility.disconnect();
      observer.setTileVisible(id, false);
    };
  }, [id, observer]);

  return (
    <figure ref={figureRef} className="tile tile--screen" aria-label={label}>
      <video
        ref={videoRef}
        className="tile__video tile__video--screen"
        data-screen-of={participantId}
        data-self={isSelf ? 'true' : undefined}
        autoPlay
        playsInline
        muted
      />
      <figcaption className="tile__label">
        <span className="tile__name">{label}</span>
      </figcaption>
    </figure>
  );
}
