import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useI18n } from '../../i18n/I18n.tsx';
import type { MediaStore } from '../../media/MediaStore.ts';
import { apiErrorKey } from '../errorMessage.ts';
import { Icon } from '../Icons.tsx';
import { clock } from './clock.ts';

/** How often the player is checked against the meeting's clock while it plays. */
const CHECK_MS = 250;
/** Further off than this, the player jumps; nearer, it speeds up or slows down a little. */
const JUMP_SECONDS = 0.6;
/** The most it plays faster or slower to catch up (the pitch is kept). */
const MAX_NUDGE = 0.15;
/** Nearer than this, it plays at normal speed. */
const CLOSE_SECONDS = 0.08;

/**
 * The shared media everyone plays (issue 6, item 5): one player per browser, kept on the
 * meeting's clock. The server says where the file is and whether it plays; this player
 * follows, jumping when it is more than 0.6 s off and otherwise speeding up or slowing
 * down slightly until it is in step (so nobody hears a stutter). Presenters and moderators
 * play, pause, seek and close for everyone; each person sets their own volume. When the
 * browser refuses to start sound without a click, a button asks for one.
 */
export function MediaStage({
  store,
  canControl,
  nameOf,
  onError,
}: {
  store: MediaStore;
  canControl: boolean;
  nameOf: (participantId: string) => string;
  onError: (message: string) => void;
}) {
  const { t } = useI18n();
  const { state } = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const player = useRef<HTMLVideoElement>(null);
  const [blocked, setBlocked] = useState(false);
  const [failed, setFailed] = useState(false);
  const [at, setAt] = useState(0);
  /** Where the presenter drags the position slider to, until they let go. */
  const [dragging, setDragging] = useState<number | null>(null);
  const [volume, setVolume] = useState(1);
  const id = state?.media.id ?? null;
  const playing = state?.playing ?? false;

  const align = useCallback(() => {
    const element = player.current;
    const current = store.getSnapshot().state;
    if (element === null || current === null) return;
    const want = store.position();
    const off = want - element.currentTime;
    if (!current.playing) {
      if (!element.paused) element.pause();
      element.playbackRate = 1;
      if (Math.abs(off) > 0.05) element.currentTime = want;
      return;
    }
    if (Math.abs(off) > JUMP_SECONDS) {
      element.playbackRate = 1;
      element.currentTime = want;
    } else if (Math.abs(off) > CLOSE_SECONDS) {
      // Catch up (or wait) over a second or two: at most 15 % faster or slower.
      element.playbackRate = 1 + Math.max(-MAX_NUDGE, Math.min(MAX_NUDGE, off));
    } else {
      element.playbackRate = 1;
    }
    if (element.paused && element.currentTime < current.media.duration)
      element.play().then(
        () => {
          setBlocked(false);
        },
        (error: unknown) => {
          if ((error as { name?: string } | null)?.name === 'NotAllowedError') setBlocked(true);
        },
      );
  }, [store]);

  useEffect(() => {
    setFailed(false);
    setBlocked(false);
  }, [id]);

  useEffect(() => {
    align();
    if (!playing) return;
    const timer = setInterval(align, CHECK_MS);
    return () => {
      clearInterval(timer);
    };
  }, [state, playing, align]);

  useEffect(() => {
    if (player.current !== null) player.current.volume = volume;
  }, [volume, id]);

  if (state === null) return null;
  const { media } = state;

  const command = (action: 'play' | 'pause' | 'seek', position: number) => {
    store.control(action, position).catch((error: unknown) => {
      onError(t(apiErrorKey(error)));
    });
  };
  const close = () => {
    store.close().catch((error: unknown) => {
      onError(t(apiErrorKey(error)));
    });
  };
  const shownAt = dragging ?? at;

  return (
    <section
      className={`shared-media shared-media--${media.kind}`}
      aria-label={t('media.stage', { name: media.name })}
      data-media={media.id}
      data-playing={String(state.playing)}
    >
      <div className="shared-media__screen">
        <video
          ref={player}
          className="shared-media__player"
          src={store.mediaUrl(media.id)}
          preload="auto"
          playsInline
          onLoadedMetadata={align}
          onTimeUpdate={(event) => {
            setAt(event.currentTarget.currentTime);
          }}
          onError={() => {
            setFailed(true);
          }}
        />
        {media.kind === 'audio' && (
          <span className="shared-media__audio" aria-hidden="true">
            <Icon name="speaker" />
          </span>
        )}
        {blocked && (
          <button
            type="button"
            className="shared-media__start"
            onClick={() => {
              // Started inside the click: the browser allows sound now.
              void player.current?.play().then(() => {
                setBlocked(false);
                align();
              });
            }}
          >
            <Icon name="play" />
            {t('media.startHere')}
          </button>
        )}
        {failed && (
          <p className="shared-media__error" role="alert">
            {t('media.loadError')}
          </p>
        )}
      </div>
      <div className="shared-media__bar">
        {canControl && (
          <button
            type="button"
            className="presentation__button shared-media__toggle"
            aria-label={state.playing ? t('media.pause') : t('media.play')}
            onClick={() => {
              command(state.playing ? 'pause' : 'play', store.position());
            }}
          >
            <Icon name={state.playing ? 'pause' : 'play'} />
          </button>
        )}
        <span className="shared-media__name">{media.name}</span>
        {canControl ? (
          <input
            type="range"
            className="shared-media__seek"
            aria-label={t('media.seek')}
            min={0}
            max={media.duration}
            step={0.1}
            value={Math.min(shownAt, media.duration)}
            onChange={(event) => {
              setDragging(Number(event.currentTarget.value));
            }}
            onPointerUp={() => {
              if (dragging !== null) command('seek', dragging);
              setDragging(null);
            }}
            onKeyUp={() => {
              if (dragging !== null) command('seek', dragging);
              setDragging(null);
            }}
          />
        ) : (
          <span className="shared-media__who">
            {state.playing
              ? t('media.presentedBy', { name: nameOf(state.presenterId) })
              : t('media.paused')}
          </span>
        )}
        <span className="shared-media__time">
          {t('media.time', { at: clock(shownAt), total: clock(media.duration) })}
        </span>
        <input
          type="range"
          className="shared-media__volume"
          aria-label={t('media.volume')}
          min={0}
          max={1}
          step={0.05}
          value={volume}
          onChange={(event) => {
            setVolume(Number(event.currentTarget.value));
          }}
        />
        {canControl && (
          <button
            type="button"
            className="presentation__button"
            aria-label={t('media.closeLabel')}
            onClick={close}
          >
            <Icon name="close" />
          </button>
        )}
      </div>
    </section>
  );
}
