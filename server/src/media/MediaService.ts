import type { MediaSource, RequestData, ResponseData } from '@konvent/protocol';
import type { types as ms } from 'mediasoup';
import { AppError } from '../errors/AppError.ts';
import { Fanout } from '../meetings/Fanout.ts';
import type { Bus, DomainLogger } from '../meetings/ports.ts';
import { TypedEmitter } from '../meetings/TypedEmitter.ts';
import { MEDIA_CODECS } from './codecs.ts';
import { DEFAULT_PEER_LIMITS, type PeerLimits } from './MediaPeer.ts';
import { MediaRoom, type PeerSnapshot, type TransportSettings } from './MediaRoom.ts';
import { WorkerPool, type WorkerPoolSettings } from './WorkerPool.ts';

/** Settings of the media service (from `config.media`). */
export interface MediaSettings extends WorkerPoolSettings, TransportSettings {
  limits?: Partial<PeerLimits>;
}

/** Events of the media service. */
export interface MediaEvents {
  /** A participant's microphone or camera started or stopped sending. */
  sourceStateChanged: {
    meetingId: string;
    participantId: string;
    source: MediaSource;
    active: boolean;
  };
  /** A room was lost with its worker; its participants must reconnect to rebuild media. */
  roomFailed: { meetingId: string };
}

/** Which connection of which participant in which meeting a media request comes from. */
export interface PeerRef {
  meetingId: string;
  participantId: string;
  connectionId: string;
}

type ValidateCaps = (caps: ms.RtpCapabilities) => void;

/** Whether `viewerId` may receive `ownerId`'s media of a source in a meeting. */
export type ConsumePolicy = (
  meetingId: string,
  viewerId: string,
  ownerId: string,
  source: MediaSource,
) => boolean;

/**
 * The SFU: a pool of mediasoup workers and one router (`MediaRoom`) per meeting, placed
 * on the least-loaded worker. Every request names the caller by `PeerRef`, taken from the
 * authenticated session, and may touch only that peer's transports, producers and
 * consumers.
 *
 * Ownership: holds the `WorkerPool` and `Map<meetingId, MediaRoom>`. `close()` is
 * idempotent, closes every room and stops the workers.
 */
export class MediaService {
  /** Media events (source state, lost rooms). */
  readonly events = new TypedEmitter<MediaEvents>();
  readonly #pool: WorkerPool;
  readonly #fanout: Fanout;
  readonly #logger: DomainLogger;
  readonly #transport: TransportSettings;
  readonly #limits: PeerLimits;
  readonly #validateCaps: ValidateCaps;
  readonly #rooms = new Map<string, MediaRoom>();
  readonly #opening = new Map<string, Promise<MediaRoom>>();
  #closed = false;
  // Everything reaches everyone until the composition root installs the meetings' locks.
  #mayConsume: ConsumePolicy = () => true;

  private constructor(
    pool: WorkerPool,
    settings: MediaSettings,
    validateCaps: ValidateCaps,
    bus: Bus,
    logger: DomainLogger,
  ) {
    this.#pool = pool;
    this.#fanout = new Fanout(bus);
    this.#logger = logger;
    this.#transport = { listenIp: settings.listenIp, announcedIp: settings.announcedIp };
    this.#limits = { ...DEFAULT_PEER_LIMITS, ...settings.limits };
    this.#validateCaps = validateCaps;
  }

  /** Starts the workers. Fails if the worker binary is missing or no worker starts. */
  static async start(
    settings: MediaSettings,
    deps: { bus: Bus; logger: DomainLogger },
  ): Promise<MediaService> {
    const pool = await WorkerPool.start(settings, deps.logger);
    const ortc = await import('mediasoup/node/lib/ortc.js');
    return new MediaService(pool, settings, ortc.validateRtpCapabilities, deps.bus, deps.logger);
  }

  /** How many media workers are alive (health). */
  aliveWorkers(): number {
    return this.#closed ? 0 : this.#pool.alive();
  }

  /**
   * Binds a participant's new connection to the meeting's room (opening the room on the
   * least-loaded worker if needed) and returns the router's RTP capabilities.
   */
  async openPeer(ref: PeerRef): Promise<ms.RtpCapabilities> {
    const room = await this.#room(ref.meetingId);
    room.openPeer(ref.participantId, ref.connectionId);
    return room.router.rtpCapabilities;
  }

  /** Releases a connection's media, unless a newer connection has replaced it. */
  closePeer(ref: PeerRef): void {
    this.#rooms.get(ref.meetingId)?.closePeer(ref.participantId, ref.connectionId);
  }

  /** Releases all media of a participant who left. */
  closeParticipant(meetingId: string, participantId: string): void {
    this.#rooms.get(meetingId)?.closePeer(participantId);
  }

  /** Closes a meeting's room (the meeting ended or emptied). Idempotent. */
  closeRoom(meetingId: string): void {
    this.#opening.delete(meetingId);
    this.#rooms.get(meetingId)?.close();
  }

  /**
   * Pauses (`pause`) or closes (`close`) a participant's producer of one source, on a
   * moderator's order; nothing happens if there is none.
   */
  async stopSource(
    meetingId: string,
    participantId: string,
    source: MediaSource,
    how: 'pause' | 'close',
  ): Promise<void> {
    await this.#rooms.get(meetingId)?.stopSource(participantId, source, how);
  }

  /** Installs who may receive whose media (the meetings domain's locks). */
  setConsumePolicy(policy: ConsumePolicy): void {
    this.#mayConsume = policy;
  }

  /** Re-checks a meeting's consumers against the policy (a lock or role changed). */
  refreshConsumers(meetingId: string): void {
    this.#rooms.get(meetingId)?.refreshConsumers();
  }

  /** The source one of the caller's producers carries. */
  producerSource(ref: PeerRef, producerId: string): MediaSource {
    return this.#existing(ref).producerSource(ref.participantId, ref.connectionId, producerId);
  }

  /** `media.setRtpCapabilities`. */
  setRtpCapabilities(ref: PeerRef, data: RequestData<'media.setRtpCapabilities'>): void {
    this.#existing(ref).setRtpCapabilities(
      ref.participantId,
      ref.connectionId,
      data.rtpCapabilities,
    );
  }

  /** `media.createTransport`. */
  async createTransport(
    ref: PeerRef,
    data: RequestData<'media.createTransport'>,
  ): Promise<ResponseData<'media.createTransport'>> {
    return this.#existing(ref).createTransport(ref.participantId, ref.connectionId, data.direction);
  }

  /** `media.connectTransport`. */
  async connectTransport(ref: PeerRef, data: RequestData<'media.connectTransport'>): Promise<void> {
    await this.#existing(ref).connectTransport(
      ref.participantId,
      ref.connectionId,
      data.transportId,
      data.dtlsParameters as ms.DtlsParameters,
    );
  }

  /** `media.produce`. */
  async produce(
    ref: PeerRef,
    data: RequestData<'media.produce'>,
  ): Promise<ResponseData<'media.produce'>> {
    const producerId = await this.#existing(ref).produce(ref.participantId, ref.connectionId, {
      transportId: data.transportId,
      kind: data.kind,
      source: data.source,
      rtpParameters: data.rtpParameters as ms.RtpParameters,
    });
    return { producerId };
  }

  /** `media.setProducerPaused`. */
  async setProducerPaused(
    ref: PeerRef,
    data: RequestData<'media.setProducerPaused'>,
  ): Promise<void> {
    await this.#existing(ref).setProducerPaused(
      ref.participantId,
      ref.connectionId,
      data.producerId,
      data.paused,
    );
  }

  /** `media.closeProducer`. */
  closeProducer(ref: PeerRef, data: RequestData<'media.closeProducer'>): void {
    this.#existing(ref).closeProducer(ref.participantId, ref.connectionId, data.producerId);
  }

  /** `media.setConsumerVisible`. */
  async setConsumerVisible(
    ref: PeerRef,
    data: RequestData<'media.setConsumerVisible'>,
  ): Promise<void> {
    await this.#existing(ref).setConsumerVisible(
      ref.participantId,
      ref.connectionId,
      data.consumerId,
      data.visible,
    );
  }

  /** `media.setPreferredLayers`. */
  async setPreferredLayers(
    ref: PeerRef,
    data: RequestData<'media.setPreferredLayers'>,
  ): Promise<void> {
    await this.#existing(ref).setPreferredLayers(
      ref.participantId,
      ref.connectionId,
      data.consumerId,
      data.spatialLayer,
    );
  }

  /** The media of every peer in a meeting (empty if no room), for tests and diagnostics. */
  snapshot(meetingId: string): PeerSnapshot[] {
    return this.#rooms.get(meetingId)?.snapshot() ?? [];
  }

  /** Per-worker load, for metrics. */
  workerLoads(): { pid: number | undefined; load: number }[] {
    return this.#pool.loads();
  }

  /** Closes every room and stops the workers. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#opening.clear();
    for (const room of [...this.#rooms.values()]) room.close();
    this.#pool.close();
  }

  #existing(ref: PeerRef): MediaRoom {
    const room = this.#rooms.get(ref.meetingId);
    if (room === undefined) throw new AppError('conflict', 'The media session was closed.');
    return room;
  }

  async #room(meetingId: string): Promise<MediaRoom> {
    if (this.#closed) throw new AppError('unavailable');
    const existing = this.#rooms.get(meetingId);
    if (existing !== undefined) return existing;
    const pending = this.#opening.get(meetingId);
    if (pending !== undefined) return pending;
    const opening = this.#createRoom(meetingId).finally(() => {
      if (this.#opening.get(meetingId) === opening) this.#opening.delete(meetingId);
    });
    this.#opening.set(meetingId, opening);
    return opening;
  }

  async #createRoom(meetingId: string): Promise<MediaRoom> {
    const worker = this.#pool.leastLoaded();
    const router = await worker.createRouter({ mediaCodecs: MEDIA_CODECS, appData: { meetingId } });
    // closeRoom() or close() during creation cancels it.
    if (this.#closed || !this.#opening.has(meetingId)) {
      router.close();
      throw new AppError('unavailable', 'The media room was closed.');
    }
    const room = new MediaRoom(meetingId, router, {
      fanout: this.#fanout,
      logger: this.#logger,
      transport: this.#transport,
      limits: this.#limits,
      validateRtpCapabilities: this.#validateCaps,
      mayConsume: (viewerId, ownerId, source) =>
        this.#mayConsume(meetingId, viewerId, ownerId, source),
      onSourceState: (participantId, source, active) => {
        this.events.emit('sourceStateChanged', { meetingId, participantId, source, active });
      },
      onClosed: (closed, workerDied) => {
        if (this.#rooms.get(meetingId) === closed) this.#rooms.delete(meetingId);
        if (workerDied) this.events.emit('roomFailed', { meetingId });
      },
    });
    this.#rooms.set(meetingId, room);
    return room;
  }
}
