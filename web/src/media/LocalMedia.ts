import { SupersededError } from './SupersededError.ts';
import { TypedEmitter } from './TypedEmitter.ts';

/** Audio or video, as in `MediaStreamTrack.kind`. */
export type TrackKind = 'audio' | 'video';

/** Why a device could not be used. */
export type DeviceProblem = 'denied' | 'unavailable';

/** An immutable picture of the local devices, for rendering. */
export interface LocalMediaState {
  audio: MediaStreamTrack | null;
  video: MediaStreamTrack | null;
  audioProblem: DeviceProblem | null;
  videoProblem: DeviceProblem | null;
  /** The first permission prompt / device start is still in progress. */
  starting: boolean;
}

interface LocalMediaEvents {
  /** A track was started, stopped or ended, or a device problem changed. */
  change: [];
}

const AUDIO_CONSTRAINTS: MediaTrackConstraints = {
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
};

const VIDEO_CONSTRAINTS: MediaTrackConstraints = {
  width: { ideal: 1280 },
  height: { ideal: 720 },
  frameRate: { ideal: 30, max: 30 },
};

function problemOf(error: unknown): DeviceProblem {
  const name = error instanceof DOMException ? error.name : '';
  return name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : 'unavailable';
}

/**
 * The local camera and microphone. A track exists exactly while the device is switched on:
 * switching off stops the track, so the camera light goes out, and switching on asks the
 * browser for a fresh one. The pre-join page starts it and hands the same object to the
 * meeting, so the devices are opened once.
 */
export class LocalMedia extends TypedEmitter<LocalMediaEvents> {
  readonly #tracks: Record<TrackKind, MediaStreamTrack | null> = { audio: null, video: null };
  readonly #problems: Record<TrackKind, DeviceProblem | null> = { audio: null, video: null };
  // Bumped on every enable/disable so a slow getUserMedia cannot resurrect a device the
  // user switched off meanwhile.
  readonly #generation: Record<TrackKind, number> = { audio: 0, video: 0 };
  #closed = false;
  #starting = false;
  #state: LocalMediaState = {
    audio: null,
    video: null,
    audioProblem: null,
    videoProblem: null,
    starting: false,
  };

  /** The current state; the same object until something changes (for useSyncExternalStore). */
  getState = (): LocalMediaState => this.#state;

  /** Subscribes to changes; returns the unsubscribe function (for useSyncExternalStore). */
  subscribe = (listener: () => void): (() => void) => this.on('change', listener);

  /** The live microphone track, or null while the microphone is off. */
  get audioTrack(): MediaStreamTrack | null {
    return this.#tracks.audio;
  }

  /** The live camera track, or null while the camera is off. */
  get videoTrack(): MediaStreamTrack | null {
    return this.#tracks.video;
  }

  /** The track of one kind, or null while it is off. */
  track(kind: TrackKind): MediaStreamTrack | null {
    return this.#tracks[kind];
  }

  /** Why the device of this kind could not be started the last time, if it could not. */
  problem(kind: TrackKind): DeviceProblem | null {
    return this.#problems[kind];
  }

  /**
   * Opens the wanted devices with one permission prompt. When the combined request fails
   * (no camera, camera busy) each device is tried alone, so a missing camera does not
   * cost the microphone.
   */
  async start(want: { audio: boolean; video: boolean }): Promise<void> {
    if (!want.audio && !want.video) return;
    const gens = { audio: ++this.#generation.audio, video: ++this.#generation.video };
    this.#starting = true;
    this.#changed();
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        audio: want.audio ? AUDIO_CONSTRAINTS : false,
        video: want.video ? VIDEO_CONSTRAINTS : false,
      });
      for (const track of stream.getTracks()) {
        const kind = track.kind === 'audio' ? 'audio' : 'video';
        this.#adopt(kind, track, gens[kind]);
      }
      this.#changed();
    } catch (error) {
      if (problemOf(error) === 'denied' || !(want.audio && want.video)) {
        if (want.audio) this.#problems.audio = problemOf(error);
        if (want.video) this.#problems.video = problemOf(error);
        this.#changed();
        return;
      }
      await Promise.allSettled([this.enable('audio'), this.enable('video')]);
    } finally {
      this.#starting = false;
      this.#changed();
    }
  }

  /** Switches a device on (reusing a live track) and returns its track. */
  async enable(kind: TrackKind): Promise<MediaStreamTrack> {
    const current = this.#tracks[kind];
    if (current && current.readyState === 'live') return current;
    const gen = ++this.#generation[kind];
    try {
      const stream = await navigator.mediaDevices.getUserMedia(
        kind === 'audio' ? { audio: AUDIO_CONSTRAINTS } : { video: VIDEO_CONSTRAINTS },
      );
      const [track] = kind === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks();
      if (!track) throw new DOMException('no track', 'NotFoundError');
      if (!this.#adopt(kind, track, gen)) throw new SupersededError();
      this.#changed();
      return track;
    } catch (error) {
      if (!(error instanceof SupersededError) && gen === this.#generation[kind]) {
        this.#problems[kind] = problemOf(error);
        this.#changed();
      }
      throw error;
    }
  }

  /** Switches a device off: the track is stopped, not just muted. */
  disable(kind: TrackKind): void {
    this.#generation[kind]++;
    const track = this.#tracks[kind];
    this.#tracks[kind] = null;
    if (track) {
      track.stop();
      this.#changed();
    }
  }

  /** Stops every device; the object stays usable (start or enable again). */
  stopAll(): void {
    this.disable('audio');
    this.disable('video');
  }

  /** Stops every device for good; later enables are refused. */
  close(): void {
    this.stopAll();
    this.#closed = true;
    this.removeAllListeners();
  }

  #changed(): void {
    this.#state = {
      audio: this.#tracks.audio,
      video: this.#tracks.video,
      audioProblem: this.#problems.audio,
      videoProblem: this.#problems.video,
      starting: this.#starting,
    };
    this.emit('change');
  }

  /** Keeps a new track unless a newer request or close() overtook it; reports whether it was kept. */
  #adopt(kind: TrackKind, track: MediaStreamTrack, gen: number): boolean {
    if (this.#closed || gen !== this.#generation[kind]) {
      track.stop();
      return false;
    }
    this.#tracks[kind]?.stop();
    this.#tracks[kind] = track;
    this.#problems[kind] = null;
    // The device went away (unplugged, permission revoked): treat it as switched off.
    track.addEventListener('ended', () => {
      if (this.#tracks[kind] !== track) return;
      this.#tracks[kind] = null;
      this.#changed();
    });
    return true;
  }
}
