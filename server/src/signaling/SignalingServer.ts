import {
  CLOSE_CODES,
  MAX_SIGNALING_FRAME_BYTES,
  MeetingParams,
  SESSION_COOKIE_NAME,
  sessionCookieName,
} from '@konvent/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from '@fastify/websocket';
import { classifyError } from '../http/errorReplies.ts';
import type { MediaService } from '../media/MediaService.ts';
import type { MeetingService, Session } from '../meetings/MeetingService.ts';
import type { Bus, DomainLogger } from '../meetings/ports.ts';
import {
  closeCodeFor,
  DEFAULT_SIGNALING_LIMITS,
  SignalingConnection,
  type SignalingLimits,
} from './SignalingConnection.ts';
import { SocketRegistry } from './SocketRegistry.ts';

/** Connection-level limits of the signalling endpoint. */
export interface EndpointLimits extends SignalingLimits {
  /** Upgrades one IP address may attempt per minute. */
  upgradesPerMinute: number;
  /** Sockets this process holds at most. */
  maxConnections: number;
  /** Interval of WebSocket pings; a socket that answers none of two pings is dropped. */
  heartbeatMs: number;
}

/** Defaults for the endpoint. */
export const DEFAULT_ENDPOINT_LIMITS: EndpointLimits = {
  ...DEFAULT_SIGNALING_LIMITS,
  upgradesPerMinute: 120,
  maxConnections: 5000,
  heartbeatMs: 15_000,
};

/** What the signalling server needs. */
export interface SignalingServerDeps {
  meetings: MeetingService;
  media: MediaService;
  bus: Bus;
  logger: DomainLogger;
  /** The only Origin a browser socket may come from: the origin of `publicUrl`. */
  allowedOrigin: string;
  limits?: Partial<EndpointLimits>;
  /**
   * The id of the live account session behind a `kv_session` cookie secret (throws if none):
   * a socket opened by a signed-in user closes when that session ends.
   */
  accountSession?: (secret: string) => Promise<string>;
}

type UpgradeOutcome =
  | { session: Session; accountSessionId: string | undefined }
  | { refuse: { code: number; text: string } };

/**
 * The WebSocket endpoint `/ws/meetings/:meetingId`. The Origin header and the signed
 * session cookie are checked before the socket is handed to a `SignalingConnection`;
 * failures close it with 1008 (origin) or 4401 (no session), since a browser can read a
 * close code but not the status of a refused upgrade.
 *
 * Ownership: holds the `SocketRegistry` and the set of open connections; `close()`
 * closes every socket with 1001 so clients reconnect elsewhere.
 */
export class SignalingServer {
  readonly #deps: SignalingServerDeps;
  readonly #limits: EndpointLimits;
  readonly #registry: SocketRegistry;
  readonly #connections = new Set<SignalingConnection>();
  /** Open sockets per account session, to close them when the session ends. */
  readonly #byAccountSession = new Map<string, Set<SignalingConnection>>();
  readonly #outcomes = new WeakMap<FastifyRequest, UpgradeOutcome>();
  readonly #heartbeat: NodeJS.Timeout;
  #closed = false;

  constructor(deps: SignalingServerDeps) {
    this.#deps = deps;
    this.#limits = { ...DEFAULT_ENDPOINT_LIMITS, ...deps.limits };
    this.#registry = new SocketRegistry(deps.bus, deps.logger);
    this.#heartbeat = setInterval(() => {
      for (const connection of this.#connections) connection.heartbeat();
    }, this.#limits.heartbeatMs);
    this.#heartbeat.unref();
  }

  /** How many sockets are open. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Options for `@fastify/websocket`: the frame size limit is enforced by `ws` (1009). */
  get websocketOptions(): { maxPayload: number } {
    return { maxPayload: MAX_SIGNALING_FRAME_BYTES };
  }

  /** Adds the WebSocket route. Needs @fastify/websocket, @fastify/cookie and @fastify/rate-limit. */
  register(app: FastifyInstance): void {
    app.get<{ Params: MeetingParams }>(
      '/ws/meetings/:meetingId',
      {
        websocket: true,
        schema: { params: MeetingParams },
        config: { rateLimit: { max: this.#limits.upgradesPerMinute, timeWindow: 60_000 } },
        // After schema validation, so only well-formed meeting ids reach the repository.
        preHandler: async (request) => {
          this.#outcomes.set(request, await this.#authenticate(request));
        },
      },
      (socket, request) => {
        this.#accept(socket, request);
      },
    );
  }

  /** Closes at once every socket opened under these account sessions (4403). */
  closeAccountSessions(sessionIds: readonly string[]): void {
    for (const id of sessionIds) {
      for (const connection of [...(this.#byAccountSession.get(id) ?? [])]) {
        connection.close(CLOSE_CODES.sessionEnded, 'session ended');
      }
      this.#byAccountSession.delete(id);
    }
  }

  /** Closes every socket with 1001 (going away) and refuses new ones. Idempotent. */
  close(): void {
    this.#closed = true;
    clearInterval(this.#heartbeat);
    for (const connection of [...this.#connections])
      connection.close(CLOSE_CODES.goingAway, 'server shutdown');
  }

  async #authenticate(request: FastifyRequest<{ Params: MeetingParams }>): Promise<UpgradeOutcome> {
    if (request.headers.origin !== this.#deps.allowedOrigin) {
      return { refuse: { code: CLOSE_CODES.policy, text: 'origin not allowed' } };
    }
    const { meetingId } = request.params;
    const raw = request.cookies[sessionCookieName(meetingId)];
    const unsigned = raw === undefined ? undefined : request.unsignCookie(raw);
    if (unsigned?.valid !== true) {
      return { refuse: { code: CLOSE_CODES.unauthenticated, text: 'unauthenticated' } };
    }
    try {
      const session = await this.#deps.meetings.authenticate(meetingId, unsigned.value);
      return { session, accountSessionId: await this.#accountSessionOf(request) };
    } catch (error) {
      const appError = classifyError(error);
      if (appError.code === 'internal')
        this.#deps.logger.error({ err: error }, 'socket authentication failed');
      return { refuse: { code: closeCodeFor(appError), text: appError.code } };
    }
  }

  /** The account session of a signed-in user's socket; none for guests (or a stale cookie). */
  async #accountSessionOf(request: FastifyRequest): Promise<string | undefined> {
    const raw = request.cookies[SESSION_COOKIE_NAME];
    const lookup = this.#deps.accountSession;
    if (raw === undefined || lookup === undefined) return undefined;
    const unsigned = request.unsignCookie(raw);
    if (!unsigned.valid) return undefined;
    try {
      return await lookup(unsigned.value);
    } catch {
      return undefined;
    }
  }

  #accept(socket: WebSocket, request: FastifyRequest): void {
    const outcome = this.#outcomes.get(request) ?? {
      refuse: { code: CLOSE_CODES.unauthenticated, text: 'unauthenticated' },
    };
    this.#outcomes.delete(request);
    if ('refuse' in outcome) {
      socket.close(outcome.refuse.code, outcome.refuse.text);
      return;
    }
    const { accountSessionId } = outcome;
    if (this.#closed) {
      socket.close(CLOSE_CODES.goingAway, 'server shutdown');
      return;
    }
    if (this.#connections.size >= this.#limits.maxConnections) {
      socket.close(CLOSE_CODES.tryAgainLater, 'server full');
      return;
    }
    const connection = new SignalingConnection(socket, outcome.session, {
      meetings: this.#deps.meetings,
      media: this.#deps.media,
      registry: this.#registry,
      logger: this.#deps.logger,
      limits: this.#limits,
      onClosed: (closed) => {
        this.#connections.delete(closed);
        if (accountSessionId !== undefined) {
          const set = this.#byAccountSession.get(accountSessionId);
          set?.delete(closed);
          if (set?.size === 0) this.#byAccountSession.delete(accountSessionId);
        }
      },
    });
    this.#connections.add(connection);
    if (accountSessionId !== undefined) {
      const set = this.#byAccountSession.get(accountSessionId) ?? new Set();
      set.add(connection);
      this.#byAccountSession.set(accountSessionId, set);
    }
  }
}
