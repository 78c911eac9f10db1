import type {
  SharedMediaInfo,
  SharedMediaListReply,
  SharedMediaState,
  UploadSharedMediaReply,
} from '@konvent/protocol';
import { request } from '../api/request.ts';
import { uploadFile } from '../api/uploadFile.ts';
import type { ServerNotification, SignalingChannel } from './SignalingChannel.ts';
import { TypedEmitter } from './TypedEmitter.ts';

/** What the shared media stage renders. */
export interface MediaSnapshot {
  /** The file everyone plays now, as the server last said; null when none is shown. */
  state: SharedMediaState | null;
  /** When that was received (`performance.now()`), to move a playing position on. */
  receivedAt: number;
}

type WelcomeData = Extract<ServerNotification, { notification: 'session.welcome' }>['data'];

/**
 * The meeting's shared media as this browser knows it (issue 6, item 5): which file plays
 * and where, from the welcome and `media.changed`, and the commands of presenters and
 * moderators (upload, show, play, pause, seek, close). The server keeps the clock; this
 * says where the file should be now (`position`). It outlives sockets like the other stores.
 */
export class MediaStore extends TypedEmitter<{ change: [MediaSnapshot] }> {
  readonly #meetingId: string;
  readonly #channel: () => SignalingChannel;
  #snapshot: MediaSnapshot = { state: null, receivedAt: 0 };
  /** The server's clock minus ours (ms), once measured; null until then. */
  #offset: number | null = null;
  #measuring = false;

  /** `channel` answers the connected channel or throws (as MeetingClient's commands do). */
  constructor(meetingId: string, channel: () => SignalingChannel) {
    super();
    this.#meetingId = meetingId;
    this.#channel = channel;
  }

  /** The current state (stable between changes, for useSyncExternalStore). */
  getSnapshot = (): MediaSnapshot => this.#snapshot;

  /** Subscribes to state changes; returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => this.on('change', listener);

  /** Takes what a welcome says plays (a late joiner starts at the current second). */
  welcome(data: WelcomeData): void {
    // A new socket may reach another server process: its clock is measured afresh.
    this.#offset = null;
    this.#set(data.media ?? null);
  }

  /** Handles `media.changed`; false for every other notification. */
  handle(n: ServerNotification): boolean {
    if (n.notification !== 'media.changed') return false;
    this.#set(n.data.media);
    return true;
  }

  /**
   * Where the file should be now, in seconds: the server's position moved on while it
   * plays, by the server's clock once it is measured (so a page that was busy when the
   * state arrived is not behind), else by the time since it arrived.
   */
  position(): number {
    const { state, receivedAt } = this.#snapshot;
    if (state === null) return 0;
    if (!state.playing) return state.position;
    const elapsed =
      this.#offset === null
        ? performance.now() - receivedAt
        : Date.now() + this.#offset - state.sentAt;
    return Math.min(state.position + Math.max(0, elapsed) / 1000, state.media.duration);
  }

  /**
   * Measures the server's clock against ours (NTP-style): a few round trips, keeping the
   * one that took least time, whose middle is when the server read its clock.
   */
  async #measure(): Promise<void> {
    if (this.#measuring) return;
    this.#measuring = true;
    try {
      let best: { rtt: number; offset: number } | null = null;
      for (let i = 0; i < 5; i += 1) {
        const sent = Date.now();
        const { now } = await this.#channel().request('media.clock', {});
        const back = Date.now();
        const sample = { rtt: back - sent, offset: now - (sent + back) / 2 };
        if (best === null || sample.rtt < best.rtt) best = sample;
      }
      // The player reads `position()` every 250 ms while it plays: nothing to announce.
      if (best !== null) this.#offset = best.offset;
    } catch {
      // Not connected (or an old server): keep going by arrival times, try on the next state.
    } finally {
      this.#measuring = false;
    }
  }

  /** Where a file is streamed from (same origin, the meeting cookie, range requests). */
  mediaUrl(mediaId: string): string {
    return `/api/meetings/${this.#meetingId}/media/${mediaId}`;
  }

  /** Uploads an audio or video file; the server checks what it is. */
  async upload(file: Blob, name: string): Promise<SharedMediaInfo> {
    const path = `/api/meetings/${this.#meetingId}/media?name=${encodeURIComponent(name)}`;
    const type = /^(audio|video)\/[\w.+-]+$/.test(file.type)
      ? file.type
      : 'application/octet-stream';
    const reply = (await uploadFile(path, file, type)) as UploadSharedMediaReply;
    return reply.media;
  }

  /** The meeting's files, newest first (presenters and moderators), to play again. */
  async list(): Promise<SharedMediaInfo[]> {
    const path = `/api/meetings/${this.#meetingId}/media`;
    // The meeting cookie speaks here, not an account the browser may also be signed in to.
    const reply = await request<SharedMediaListReply>('GET', path, undefined, {
      csrf: 'never',
      accountSession: false,
    });
    return reply.media;
  }

  /** Shows a file to everyone, paused at its start. */
  async show(mediaId: string): Promise<void> {
    await this.#channel().request('media.show', { mediaId });
  }

  /** Plays, pauses or seeks for everyone (from `position`, or from where it is now). */
  async control(action: 'play' | 'pause' | 'seek', position?: number): Promise<void> {
    await this.#channel().request(
      'media.control',
      position === undefined ? { action } : { action, position },
    );
  }

  /** Stops showing the file. */
  async close(): Promise<void> {
    await this.#channel().request('media.close', {});
  }

  #set(state: SharedMediaState | null): void {
    this.#snapshot = { state, receivedAt: performance.now() };
    this.emit('change', this.#snapshot);
    if (state !== null && this.#offset === null) void this.#measure();
  }
}
