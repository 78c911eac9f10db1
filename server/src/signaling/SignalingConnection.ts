import {
  CLOSE_CODES,
  MAX_SIGNALING_FRAME_BYTES,
  type Method,
  type NotificationData,
  type NotificationFrame,
  type NotificationName,
  type ResponseFrame,
} from '@konvent/protocol';
import type { WebSocket } from '@fastify/websocket';
import type { RawData } from 'ws';
import { AppError } from '../errors/AppError.ts';
import { classifyError, errorResponseFrame } from '../http/errorReplies.ts';
import type { MediaService, PeerRef } from '../media/MediaService.ts';
import type { DisconnectReason } from '../meetings/delivery.ts';
import { lobbyKey } from '../meetings/Lobby.ts';
import type { MeetingService, Session } from '../meetings/MeetingService.ts';
import type { DomainLogger } from '../meetings/ports.ts';
import { dispatch } from './handlers.ts';
import {
  checkStructure,
  frameId,
  parseFrame,
  validateRequest,
  type ValidRequest,
} from './frames.ts';
import type { RegisteredSocket, SocketRegistry } from './SocketRegistry.ts';
import { TokenBucket } from './TokenBucket.ts';

/** Per-socket abuse limits. */
export interface SignalingLimits {
  /** Sustained frames per second a socket may send. */
  ratePerSecond: number;
  /** Frames a socket may send in a burst. */
  burst: number;
  /** Invalid or rate-limited frames after which the socket is closed (4429). */
  maxInvalidFrames: number;
  /** Valid requests waiting for their turn; more are refused as rate-limited. */
  maxQueuedRequests: number;
  /** Frames held back until the welcome went out; more close the socket. */
  maxPendingFrames: number;
  /** Unsent bytes tolerated for a slow reader before its socket is closed. */
  maxBufferedBytes: number;
}

/** Defaults: 50 frames/s, bursts of 100, 50 invalid frames. */
export const DEFAULT_SIGNALING_LIMITS: SignalingLimits = {
  ratePerSecond: 50,
  burst: 100,
  maxInvalidFrames: 50,
  maxQueuedRequests: 128,
  maxPendingFrames: 512,
  maxBufferedBytes: 4 * 1024 * 1024,
};

/** What a connection needs. */
export interface ConnectionDeps {
  meetings: MeetingService;
  media: MediaService;
  registry: SocketRegistry;
  logger: DomainLogger;
  limits: SignalingLimits;
  onClosed: (connection: SignalingConnection) => void;
}

const TERMINATION: Record<DisconnectReason, { code: number; text: string; notice: boolean }> = {
  ended: { code: CLOSE_CODES.meetingEnded, text: 'meeting ended', notice: true },
  left: { code: CLOSE_CODES.normal, text: 'left', notice: true },
  replaced: { code: CLOSE_CODES.replaced, text: 'replaced', notice: true },
  removed: { code: CLOSE_CODES.removed, text: 'removed', notice: true },
  banned: { code: CLOSE_CODES.removed, text: 'banned', notice: true },
  restart: { code: CLOSE_CODES.restart, text: 'media restart', notice: false },
  // The domain sent `lobby.admitted` first; the client reconnects as a participant.
  admitted: { code: CLOSE_CODES.admitted, text: 'admitted', notice: false },
  denied: { code: CLOSE_CODES.denied, text: 'denied', notice: true },
  breakout_ended: { code: CLOSE_CODES.meetingEnded, text: 'breakout ended', notice: true },
  moved: { code: CLOSE_CODES.meetingEnded, text: 'moved', notice: true },
};

/** Errors that count towards the abuse limit: the client sent something it never should. */
const PROTOCOL_ERRORS = new Set(['bad_request', 'unknown_method', 'rate_limited']);

/**
 * One authenticated signalling socket. Frames are rate-limited before parsing, then
 * parsed and validated; valid requests run one at a time in arrival order, so a client
 * sees its replies in the order it asked. Nothing is sent before `session.welcome`.
 *
 * Ownership: bound to one participant's session and a connection id from the domain;
 * on close it leaves the registry, releases the connection's media and tells the domain
 * (which starts the reconnect grace period).
 */
export class SignalingConnection implements RegisteredSocket {
  readonly session: Session;
  readonly #socket: WebSocket;
  readonly #deps: ConnectionDeps;
  readonly #bucket: TokenBucket;
  #connectionId = '';
  #ready = false;
  #closing = false;
  #released = false;
  #invalid = 0;
  #queued = 0;
  #chain: Promise<void> = Promise.resolve();
  readonly #pending: string[] = [];
  /** Set while leave/end runs, so the bus' disconnect waits for the reply to go out. */
  #holdTermination = false;
  #deferred: DisconnectReason | undefined;
  /** Heartbeats in a row without a pong or any frame. */
  #missed = 0;

  constructor(socket: WebSocket, session: Session, deps: ConnectionDeps) {
    this.#socket = socket;
    this.session = session;
    this.#deps = deps;
    this.#bucket = new TokenBucket(deps.limits.ratePerSecond, deps.limits.burst);
    // Listeners are attached synchronously, before any await, so no frame is missed.
    socket.on('message', (data, isBinary) => {
      this.#missed = 0;
      this.#onMessage(data, isBinary);
    });
    socket.on('pong', () => {
      this.#missed = 0;
    });
    socket.on('close', () => {
      this.#closing = true;
      this.#release();
      deps.onClosed(this);
    });
    this.#chain = this.#start();
  }

  /** The participant this socket belongs to. */
  get participantId(): string {
    return this.session.participantId;
  }

  /** The domain's id for this connection (empty until attached). */
  get connectionId(): string {
    return this.#connectionId;
  }

  /** Sends a notification; held back until the welcome frame went out. */
  notify<N extends NotificationName>(notification: N, data: NotificationData<N>): void {
    const frame: NotificationFrame<N> = { notification, data };
    this.#send(JSON.stringify(frame));
  }

  /** Closes the socket for a server-side reason, telling the client why first. */
  terminate(reason: DisconnectReason): void {
    if (this.#closing) return;
    if (this.#holdTermination) {
      this.#deferred = reason;
      return;
    }
    const how = TERMINATION[reason];
    if (how.notice && reason !== 'restart' && reason !== 'admitted') {
      // Sent even before the welcome: the client must learn why it was cut off.
      this.#ready = true;
      this.#flush();
      this.notify('meeting.ended', { reason });
    }
    this.close(how.code, how.text);
  }

  /**
   * Called periodically: a socket that answered none of the last two pings is dead (a
   * vanished laptop sends no FIN) and is dropped, so its participant shows as reconnecting.
   * Two, not one, so a pong delayed by a busy event loop does not cut a live client.
   */
  heartbeat(): void {
    if (this.#closing) return;
    if (this.#missed >= 2) {
      this.#closing = true;
      this.#release();
      this.#socket.terminate();
      return;
    }
    this.#missed += 1;
    this.#socket.ping();
  }

  /** Closes the socket with a code; idempotent. */
  close(code: number, text: string): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#release();
    this.#socket.close(code, text);
  }

  /**
   * Where this socket is registered: someone waiting in the lobby hears only the lobby's
   * bus key, never the meeting's.
   */
  get #registryKey(): string {
    const { meetingId, admission } = this.session;
    return admission === 'waiting' ? lobbyKey(meetingId) : meetingId;
  }

  /** A lobby socket: no media, no welcome; the moderators' message, then the outcome. */
  async #startWaiting(): Promise<void> {
    const { meetings, registry } = this.#deps;
    this.#connectionId = await meetings.attach(this.session);
    if (this.#abandoned()) return;
    await registry.register(this.#registryKey, this);
    if (this.#abandoned()) return;
    const message = meetings.lobbyMessage(this.session);
    const frame: NotificationFrame<'lobby.waiting'> = {
      notification: 'lobby.waiting',
      data: message === '' ? {} : { message },
    };
    this.#sendNow(JSON.stringify(frame));
    this.#ready = true;
    this.#flush();
  }

  async #start(): Promise<void> {
    const { meetings, media, registry } = this.#deps;
    try {
      if (this.session.admission === 'waiting') {
        await this.#startWaiting();
        return;
      }
      // Each step awaits; the socket may close meanwhile, and then the step's work is undone.
      this.#connectionId = await meetings.attach(this.session);
      if (this.#abandoned()) return;
      const routerRtpCapabilities = await media.openPeer(this.#peerRef());
      if (this.#abandoned()) return;
      await registry.register(this.session.meetingId, this);
      if (this.#abandoned()) return;
      const welcome = await meetings.welcome(this.session);
      if (this.#abandoned()) return;
      const frame: NotificationFrame<'session.welcome'> = {
        notification: 'session.welcome',
        data: { ...welcome, routerRtpCapabilities },
      };
      this.#sendNow(JSON.stringify(frame));
      this.#ready = true;
      this.#flush();
    } catch (error) {
      const appError = classifyError(error);
      if (appError.code === 'internal')
        this.#deps.logger.error({ err: error }, 'signalling session failed to start');
      this.close(closeCodeFor(appError), appError.code);
    }
  }

  /** Whether the socket closed during start-up; if so, releases what was set up. */
  #abandoned(): boolean {
    if (!this.#closing) return false;
    this.#release();
    return true;
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    if (this.#closing) return;
    if (!this.#bucket.take()) {
      this.#reject(null, new AppError('rate_limited'));
      return;
    }
    if (isBinary) {
      this.#reject(null, new AppError('bad_request', 'Binary frames are not accepted.'));
      return;
    }
    const bytes = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength;
    if (bytes > MAX_SIGNALING_FRAME_BYTES) {
      this.close(CLOSE_CODES.tooLarge, 'frame too large');
      return;
    }
    const text = (
      Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Uint8Array)
    ).toString('utf8');
    let parsed: unknown = null;
    let request: ValidRequest;
    try {
      parsed = parseFrame(text);
      checkStructure(parsed);
      request = validateRequest(parsed);
    } catch (error) {
      this.#reject(frameId(parsed), error);
      return;
    }
    if (this.#queued >= this.#deps.limits.maxQueuedRequests) {
      this.#reject(request.id, new AppError('rate_limited'));
      return;
    }
    this.#queued += 1;
    this.#chain = this.#chain.then(async () => {
      try {
        await this.#run(request);
      } finally {
        this.#queued -= 1;
      }
    });
  }

  async #run(request: ValidRequest): Promise<void> {
    if (this.#closing) return;
    const terminating = request.method === 'meeting.leave' || request.method === 'meeting.end';
    if (terminating) this.#holdTermination = true;
    let reply: ResponseFrame;
    try {
      // In the lobby, only leaving is possible: nothing of the meeting is within reach.
      if (this.session.admission === 'waiting' && request.method !== 'meeting.leave')
        throw new AppError('forbidden', 'You are waiting in the lobby.');
      const data = await dispatch(this.#context(), request.method, request.data);
      reply = { id: request.id, ok: true, data };
    } catch (error) {
      reply = errorResponseFrame(request.id, error);
      this.#logFailure(request.method, error);
    }
    this.#send(JSON.stringify(reply));
    if (!terminating) return;
    this.#holdTermination = false;
    const deferred = request.method === 'meeting.leave' && reply.ok ? 'left' : this.#deferred;
    this.#deferred = undefined;
    if (deferred !== undefined) this.terminate(deferred);
  }

  #context(): Parameters<typeof dispatch>[0] {
    return {
      session: this.session,
      peer: this.#peerRef(),
      meetings: this.#deps.meetings,
      media: this.#deps.media,
    };
  }

  #peerRef(): PeerRef {
    return {
      meetingId: this.session.meetingId,
      participantId: this.session.participantId,
      connectionId: this.#connectionId,
    };
  }

  /** Answers a bad frame and counts it; too many close the socket as abusive. */
  #reject(id: number | null, error: unknown): void {
    const frame = errorResponseFrame(id, error);
    this.#send(JSON.stringify(frame));
    if (!frame.ok && PROTOCOL_ERRORS.has(frame.error.code)) {
      this.#invalid += 1;
      if (this.#invalid >= this.#deps.limits.maxInvalidFrames)
        this.close(CLOSE_CODES.abuse, 'too many invalid frames');
    }
  }

  #logFailure(method: Method, error: unknown): void {
    const appError = classifyError(error);
    if (appError.code === 'internal') {
      this.#deps.logger.error({ err: error, method }, 'signalling request failed');
    }
  }

  #send(text: string): void {
    if (this.#closing) return;
    if (!this.#ready) {
      if (this.#pending.length >= this.#deps.limits.maxPendingFrames) {
        this.close(CLOSE_CODES.policy, 'too many pending frames');
        return;
      }
      this.#pending.push(text);
      return;
    }
    this.#sendNow(text);
  }

  #sendNow(text: string): void {
    if (this.#socket.readyState !== this.#socket.OPEN) return;
    if (this.#socket.bufferedAmount > this.#deps.limits.maxBufferedBytes) {
      this.close(CLOSE_CODES.policy, 'reader too slow');
      return;
    }
    this.#socket.send(text);
  }

  #flush(): void {
    for (const text of this.#pending.splice(0)) this.#sendNow(text);
  }

  /** Leaves the registry and releases the connection in domain and media. Idempotent. */
  #release(): void {
    this.#deps.registry.unregister(this.#registryKey, this);
    if (this.#released || this.#connectionId === '') return;
    this.#released = true;
    if (this.session.admission !== 'waiting') this.#deps.media.closePeer(this.#peerRef());
    this.#deps.meetings.detach(this.session, this.#connectionId);
  }
}

/** The close code for an error that prevents a session from starting. */
export function closeCodeFor(error: AppError): number {
  switch (error.code) {
    case 'unauthenticated':
    case 'not_found':
      return CLOSE_CODES.unauthenticated;
    case 'meeting_ended':
      return CLOSE_CODES.meetingEnded;
    // Only a removed participant's session is refused as forbidden.
    case 'forbidden':
      return CLOSE_CODES.removed;
    case 'unavailable':
      return CLOSE_CODES.tryAgainLater;
    default:
      return CLOSE_CODES.internal;
  }
}
