import {
  SHARED_MEDIA_LIMITS,
  type SharedMediaInfo,
  type SharedMediaState,
} from '@konvent/protocol';
import { AppError } from '../errors/AppError.ts';
import type { MeetingEvents } from './events.ts';
import type { Fanout } from './Fanout.ts';
import type { Meeting } from './Meeting.ts';
import { classifyMedia } from './mediaFormats.ts';
import type {
  AuditTrail,
  Clock,
  MediaProbe,
  RequestContext,
  SharedMediaRecord,
  SharedMediaRepository,
  UploadScanner,
} from './ports.ts';
import { newId } from './secrets.ts';
import { UploadIntake } from './uploadIntake.ts';
import type { TypedEmitter } from './TypedEmitter.ts';
import { cleanUploadName } from './uploadName.ts';

/** What uploads are held to: bytes, seconds, and how many files one meeting keeps. */
export interface SharedMediaLimits {
  maxBytes: number;
  maxSeconds: number;
  perMeeting: number;
}

/** What the desk needs. */
export interface MediaDeskDeps {
  media: SharedMediaRepository;
  probe: MediaProbe;
  fanout: Fanout;
  audit: AuditTrail;
  clock: Clock;
  events: TypedEmitter<MeetingEvents>;
  load: (meetingId: string) => Promise<Meeting>;
  /** `SHARED_MEDIA_LIMITS` by default. */
  limits?: Partial<SharedMediaLimits>;
  /** The virus scan uploads pass before they are probed or stored; none when absent. */
  scanner?: UploadScanner;
}

/** What plays in a meeting: where it was at `at` (ms since the epoch) and whether it runs. */
interface Playback {
  media: SharedMediaInfo;
  playing: boolean;
  position: number;
  at: number;
  presenterId: string;
}

/** A byte range of a file, both ends inclusive. */
export interface ByteRange {
  start: number;
  end: number;
}

/** A file to stream: what it is and the plain bytes of the asked range, in order. */
export interface MediaStream {
  record: SharedMediaRecord;
  range: ByteRange;
  body: AsyncIterable<Buffer>;
}

/**
 * Shared media (issue 6, item 5; C4): presenters and moderators upload an audio or video
 * file (container and codecs checked with ffprobe, sealed at rest in chunks, deleted with
 * the meeting) and play it for everyone: show, play, pause and seek. The server keeps the
 * playback clock: each `media.changed` says where the file is at the moment it is sent, and
 * a late joiner's welcome says where it is now, so every browser plays the same second.
 * Which file plays is kept in this process's memory only, like the shown presentation.
 * Uploads, showing and closing are audited; play, pause and seek are not.
 */
export class MediaDesk {
  readonly #deps: MediaDeskDeps;
  readonly #limits: SharedMediaLimits;
  readonly #intake: UploadIntake;
  readonly #playing = new Map<string, Playback>();

  constructor(deps: MediaDeskDeps) {
    this.#deps = deps;
    this.#limits = { ...SHARED_MEDIA_LIMITS, ...deps.limits };
    this.#intake = new UploadIntake(deps, {
      right: 'media.upload',
      action: 'media.uploaded',
      kind: 'media',
      plural: 'media files',
      maxBytes: this.#limits.maxBytes,
      perMeeting: this.#limits.perMeeting,
      count: (meetingId) => deps.media.count(meetingId),
    });
    deps.events.on('meetingClosed', ({ meetingId }) => {
      this.#playing.delete(meetingId);
    });
  }

  /** The limits uploads are held to (the HTTP body limit follows them). */
  get limits(): SharedMediaLimits {
    return this.#limits;
  }

  /** The server's clock in ms since the epoch, which `sentAt` of every state refers to. */
  now(): number {
    return this.#now();
  }

  /** What plays in a meeting now, for a new socket's welcome. */
  current(meetingId: string): SharedMediaState | undefined {
    const playback = this.#playing.get(meetingId);
    return playback === undefined ? undefined : this.#state(playback);
  }

  /** The meeting's files, newest first, for presenters and moderators to play again. */
  async list(actorId: string, meetingId: string): Promise<SharedMediaInfo[]> {
    await this.#intake.authorizeList(actorId, meetingId);
    return (await this.#deps.media.list(meetingId)).map(toInfo);
  }

  /** Refuses someone who may not upload, before the HTTP route reads the body. */
  authorizeUpload(actorId: string, meetingId: string): Promise<void> {
    return this.#intake.authorize(actorId, meetingId);
  }

  /**
   * Stores an uploaded file (presenters and moderators; others `forbidden`). It is scanned
   * for malware when a scanner is configured, then probed, and refused (`bad_request`,
   * nothing stored) unless the scan passes and `classifyMedia` accepts it.
   */
  async upload(
    actorId: string,
    meetingId: string,
    fileName: string | undefined,
    bytes: Uint8Array,
    context: RequestContext = {},
  ): Promise<SharedMediaInfo> {
    // Scanned (when on) before ffprobe parses it: no known-malicious file reaches a demuxer.
    await this.#intake.admit(actorId, meetingId, bytes, context);
    const format = classifyMedia(await this.#deps.probe.probe(bytes), this.#limits.maxSeconds);
    const record: SharedMediaRecord = {
      id: newId(),
      meetingId,
      uploadedBy: actorId,
      name: cleanUploadName(fileName, format.kind === 'video' ? 'video' : 'audio'),
      ...format,
      size: bytes.byteLength,
      chunkBytes: this.#deps.media.chunkBytes,
      createdAt: this.#deps.clock.now(),
    };
    await this.#deps.media.add(record, bytes);
    // The file name is personal content: the audit trail keeps only what the file is.
    await this.#deps.audit.record({
      action: 'media.uploaded',
      actor: { kind: 'participant', id: actorId },
      meetingId,
      target: record.id,
      outcome: 'success',
      ...(context.source === undefined ? {} : { source: context.source }),
      details: { kind: record.kind, size: record.size, seconds: Math.round(record.duration) },
    });
    return toInfo(record);
  }

  /**
   * The bytes of a file for someone admitted to the meeting: all of it, or the asked range
   * (`range_not_satisfiable` when it lies outside the file). Unknown files are `not_found`.
   */
  async read(
    participantId: string,
    meetingId: string,
    mediaId: string,
    asked: { start?: number; end?: number; suffix?: number } | undefined,
  ): Promise<MediaStream> {
    const meeting = await this.#deps.load(meetingId);
    if (!meeting.has(participantId)) throw new AppError('unauthenticated');
    const record = await this.#deps.media.find(meetingId, mediaId);
    if (record === undefined) throw new AppError('not_found', 'There is no such media file.');
    const range = resolveRange(asked, record.size);
    const first = Math.floor(range.start / record.chunkBytes);
    const last = Math.floor(range.end / record.chunkBytes);
    const chunks = this.#deps.media.chunks(meetingId, mediaId, first, last);
    return { record, range, body: slice(chunks, range, first * record.chunkBytes) };
  }

  /** Shows a file to everyone, paused at its start (presenters and moderators). */
  async show(actorId: string, meetingId: string, mediaId: string): Promise<void> {
    const meeting = await this.#deps.load(meetingId);
    await meeting.requireRight(actorId, 'media.control', 'media.shown', mediaId);
    const record = await this.#deps.media.find(meetingId, mediaId);
    if (record === undefined) throw new AppError('not_found', 'There is no such media file.');
    await this.#deps.audit.record({
      action: 'media.shown',
      actor: { kind: 'participant', id: actorId },
      meetingId,
      target: mediaId,
      outcome: 'success',
    });
    await this.#set(meetingId, {
      media: toInfo(record),
      playing: false,
      position: 0,
      at: this.#now(),
      presenterId: actorId,
    });
  }

  /**
   * Plays, pauses or seeks the shown file for everyone (presenters and moderators); without
   * a position it plays or pauses from where it is now. Nothing shown is `conflict`.
   */
  async control(
    actorId: string,
    meetingId: string,
    action: 'play' | 'pause' | 'seek',
    position: number | undefined,
  ): Promise<void> {
    const meeting = await this.#deps.load(meetingId);
    await meeting.requireRight(actorId, 'media.control', 'media.shown', meetingId);
    const playback = this.#playing.get(meetingId);
    if (playback === undefined) throw new AppError('conflict', 'No media is shown.');
    const now = this.#state(playback);
    const at = Math.min(position ?? now.position, playback.media.duration);
    const playing = action === 'seek' ? now.playing : action === 'play';
    await this.#set(meetingId, {
      media: playback.media,
      playing: playing && at < playback.media.duration,
      position: at,
      at: this.#now(),
      presenterId: actorId,
    });
  }

  /** Stops showing the file (presenters and moderators); nothing shown is a no-op. */
  async close(actorId: string, meetingId: string): Promise<void> {
    const meeting = await this.#deps.load(meetingId);
    const playback = this.#playing.get(meetingId);
    await meeting.requireRight(
      actorId,
      'media.control',
      'media.closed',
      playback?.media.id ?? meetingId,
    );
    if (playback === undefined) return;
    await this.#deps.audit.record({
      action: 'media.closed',
      actor: { kind: 'participant', id: actorId },
      meetingId,
      target: playback.media.id,
      outcome: 'success',
    });
    if (this.#playing.get(meetingId) === playback) this.#playing.delete(meetingId);
    await this.#deps.fanout.notify(meetingId, 'all', 'media.changed', { media: null });
  }

  async #set(meetingId: string, playback: Playback): Promise<void> {
    this.#playing.set(meetingId, playback);
    await this.#deps.fanout.notify(meetingId, 'all', 'media.changed', {
      media: this.#state(playback),
    });
  }

  /** Where the file is now: a playing file moves on with the clock and stops at its end. */
  #state(playback: Playback): SharedMediaState {
    const { media, presenterId } = playback;
    let { playing, position } = playback;
    const sentAt = this.#now();
    if (playing) {
      position += (sentAt - playback.at) / 1000;
      if (position >= media.duration) {
        position = media.duration;
        playing = false;
      }
    }
    return { media, playing, position, sentAt, presenterId };
  }

  #now(): number {
    return this.#deps.clock.now().getTime();
  }
}

/** The wire view of a stored file. */
function toInfo(record: SharedMediaRecord): SharedMediaInfo {
  const { id, name, kind, mime, duration, size } = record;
  return { id, name, kind, mime, duration, size };
}

/**
 * The inclusive byte range a request asks for (RFC 9110, section 14.1.2): `start-end`,
 * `start-`, or the last `suffix` bytes; the end is cut to the file. Nothing asked is the
 * whole file; a start beyond the file or an empty suffix is `range_not_satisfiable`.
 */
export function resolveRange(
  asked: { start?: number; end?: number; suffix?: number } | undefined,
  size: number,
): ByteRange {
  if (asked === undefined) return { start: 0, end: size - 1 };
  if (asked.suffix !== undefined) {
    if (asked.suffix <= 0) throw new AppError('range_not_satisfiable');
    return { start: Math.max(0, size - asked.suffix), end: size - 1 };
  }
  const start = asked.start ?? 0;
  const end = Math.min(asked.end ?? size - 1, size - 1);
  if (start >= size || start > end) throw new AppError('range_not_satisfiable');
  return { start, end };
}

/** Cuts whole chunks (the first starting at byte `offset` of the file) to the range. */
async function* slice(
  chunks: AsyncIterable<Buffer>,
  range: ByteRange,
  offset: number,
): AsyncIterable<Buffer> {
  let at = offset;
  for await (const chunk of chunks) {
    const from = Math.max(range.start - at, 0);
    const to = Math.min(range.end + 1 - at, chunk.length);
    if (to > from) yield chunk.subarray(from, to);
    at += chunk.length;
    if (at > range.end) return;
  }
}
