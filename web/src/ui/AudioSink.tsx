import { useEffect, useRef } from 'react';

/** One remote microphone. */
export interface RemoteAudio {
  consumerId: string;
  track: MediaStreamTrack;
}

function RemoteAudioElement({
  track,
  attempt,
  onBlocked,
}: {
  track: MediaStreamTrack;
  attempt: number;
  onBlocked: () => void;
}) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const audio = ref.current;
    if (!audio) return;
    if (!(audio.srcObject instanceof MediaStream) || audio.srcObject.getTracks()[0] !== track) {
      audio.srcObject = new MediaStream([track]);
    }
    audio.play().catch((error: unknown) => {
      if (error instanceof DOMException && error.name === 'NotAllowedError') onBlocked();
    });
  }, [track, attempt, onBlocked]);
  return <audio ref={ref} autoPlay hidden />;
}

/**
 * Plays every remote microphone in its own hidden <audio> element, independent of the
 * video tiles, so people stay audible when their tile is scrolled away or their camera is
 * off. `attempt` changes when the user unlocks sound after the browser blocked autoplay.
 */
export function AudioSink({
  tracks,
  attempt,
  onBlocked,
}: {
  tracks: readonly RemoteAudio[];
  attempt: number;
  onBlocked: () => void;
}) {
  return (
    <div className="audio-sink">
      {tracks.map(({ consumerId, track }) => (
        <RemoteAudioElement
          key={consumerId}
          track={track}
          attempt={attempt}
          onBlocked={onBlocked}
        />
      ))}
    </div>
  );
}
