import type { MediaSource, NotificationData, ResponseData } from '@konvent/protocol';
import type { types as ms } from 'mediasoup';
import { AppError } from '../errors/AppError.ts';
import type { Fanout } from '../meetings/Fanout.ts';
import type { DomainLogger } from '../meetings/ports.ts';
import { INITIAL_OUTGOING_BITRATE, MAX_INCOMING_BITRATE } from './codecs.ts';
import { MediaPeer, type PeerLimits } from './MediaPeer.ts';

/** Where transports listen. */
export interface TransportSettings {
  listenIp: string;
  announcedIp: string | undefined;
}

/** What a room needs from the media service. */
export interface MediaRoomDeps {
  fanout: Fanout;
  logger: DomainLogger;
  transport: TransportSettings;
  limits: PeerLimits;
  /** mediasoup's own RTP capabilities validator (throws on anything unusable). */
  validateRtpCapabilities: (caps: ms.RtpCapabilities) => void;
  onSourceState: (participantId: string, source: MediaSource, active: boolean) => void;
  /** Whether one participant may receive another's media of a source (the meeting's locks). */
  mayConsume: (viewerId: string, ownerId: string, source: MediaSource) => boolean;
  onClosed: (room: MediaRoom, workerDied: boolean) => void;
}

/** A media snapshot of one participant, for tests and diagnostics. */
export interface PeerSnapshot {
  participantId: string;
  transports: string[];
  producers: { id: string; source: MediaSource; paused: boolean }[];
  consumers: { id: string; producerId: string; paused: boolean }[];
}

function mimeTypeOf(codec: unknown): string {
  if (typeof codec !== 'object' || codec === null || !('mimeType' in codec)) return '';
  return typeof codec.mimeType === 'string' ? codec.mimeType.toLowerCase() : '';
}

/** Wraps a mediasoup rejection (invalid parameters, closed objects) as `media_error`. */
async function mediasoupCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('media_error', `The media server rejected ${what}.`, { cause: error });
  }
}

/**
 * The media side of one meeting: a mediasoup Router and a peer per connected participant.
 * Every peer with RTP capabilities and a receive transport consumes every other peer's
 * producers (created paused; the client resumes what it shows).
 *
 * Ownership: holds the Router and `Map<participantId, MediaPeer>`. `close()` is idempotent
 * and closes the router, which closes every transport, producer and consumer in it.
 */
export class MediaRoom {
  readonly meetingId: string;
  readonly router: ms.Router;
  readonly #peers = new Map<string, MediaPeer>();
  readonly #deps: MediaRoomDeps;
  #closed = false;

  constructor(meetingId: string, router: ms.Router, deps: MediaRoomDeps) {
    this.meetingId = meetingId;
    this.router = router;
    this.#deps = deps;
    router.on('workerclose', () => {
      this.#close(true);
    });
  }

  /** Whether the room was closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Binds a participant's new connection; any earlier peer of theirs is closed first. */
  openPeer(participantId: string, connectionId: string): void {
    this.#assertOpen();
    this.closePeer(participantId);
    this.#peers.set(participantId, new MediaPeer(participantId, connectionId, this.#deps.limits));
  }

  /** Closes a participant's peer; with a connection id, only if it is still that one. */
  closePeer(participantId: string, connectionId?: string): void {
    const peer = this.#peers.get(participantId);
    if (peer === undefined) return;
    if (connectionId !== undefined && peer.connectionId !== connectionId) return;
    this.#peers.delete(participantId);
    const sources = new Set(
      [...peer.producers.values()].filter((p) => !p.producer.paused).map((p) => p.source),
    );
    peer.close();
    for (const source of sources) this.#deps.onSourceState(participantId, source, false);
  }

  /** Records what the participant's browser can receive; consumers for it follow. */
  setRtpCapabilities(participantId: string, connectionId: string, caps: ms.RtpCapabilities): void {
    const peer = this.#peer(participantId, connectionId);
    if (peer.rtpCapabilities !== undefined)
      throw new AppError('conflict', 'RTP capabilities are already set.');
    // Validate a copy: mediasoup's validator normalises its argument in place.
    const copy = structuredClone(caps);
    try {
      this.#deps.validateRtpCapabilities(copy);
    } catch (error) {
      throw new AppError('media_error', 'The media server rejected the RTP capabilities.', {
        cause: error,
      });
    }
    peer.rtpCapabilities = copy;
    this.#consumeAll(peer);
  }

  /** Creates a send or receive WebRTC transport (UDP and TCP) for the participant. */
  async createTransport(
    participantId: string,
    connectionId: string,
    direction: 'send' | 'recv',
  ): Promise<ResponseData<'media.createTransport'>> {
    const peer = this.#peer(participantId, connectionId);
    peer.reserveTransport(direction);
    let transport: ms.WebRtcTransport;
    try {
      const { listenIp, announcedIp } = this.#deps.transport;
      transport = await mediasoupCall('the transport', () =>
        this.router.createWebRtcTransport({
          listenIps: [announcedIp === undefined ? { ip: listenIp } : { ip: listenIp, announcedIp }],
          enableUdp: true,
          enableTcp: true,
          preferUdp: true,
          initialAvailableOutgoingBitrate: INITIAL_OUTGOING_BITRATE,
          appData: { participantId, direction },
        }),
      );
    } finally {
      peer.releaseTransport(direction);
    }
    if (peer.closed) {
      transport.close();
      peer.assertOpen();
    }
    if (direction === 'send') {
      await mediasoupCall('the bitrate limit', () =>
        transport.setMaxIncomingBitrate(MAX_INCOMING_BITRATE),
      ).catch((error: unknown) => {
        this.#deps.logger.warn({ err: error }, 'could not limit incoming bitrate');
      });
    }
    peer.transports.set(transport.id, { transport, direction });
    transport.observer.on('close', () => peer.transports.delete(transport.id));
    if (direction === 'recv') this.#consumeAll(peer);
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
    };
  }

  /** Completes the DTLS handshake of one of the participant's transports. */
  async connectTransport(
    participantId: string,
    connectionId: string,
    transportId: string,
    dtlsParameters: ms.DtlsParameters,
  ): Promise<void> {
    const { transport } = this.#peer(participantId, connectionId).transport(transportId);
    await mediasoupCall('the DTLS parameters', () => transport.connect({ dtlsParameters }));
  }

  /** Starts a producer on the participant's send transport; everyone else consumes it. */
  async produce(
    participantId: string,
    connectionId: string,
    request: {
      transportId: string;
      kind: 'audio' | 'video';
      source: MediaSource;
      rtpParameters: ms.RtpParameters;
    },
  ): Promise<string> {
    const peer = this.#peer(participantId, connectionId);
    const { transport, direction } = peer.transport(request.transportId);
    if (direction !== 'send') throw new AppError('bad_request', 'Producers need a send transport.');
    const expected = request.source === 'microphone' ? 'audio' : 'video';
    if (request.kind !== expected)
      throw new AppError('bad_request', `A ${request.source} sends ${expected}.`);
    // mediasoup matches codecs by MIME type only, so it would let "video" carry Opus.
    const codecs: unknown = request.rtpParameters.codecs;
    if (
      Array.isArray(codecs) &&
      !codecs.every((c) => mimeTypeOf(c).startsWith(`${request.kind}/`))
    ) {
      throw new AppError('bad_request', `The codecs are not ${request.kind} codecs.`);
    }
    peer.reserveSource(request.source);
    let producer: ms.Producer;
    try {
      producer = await mediasoupCall('the RTP parameters', () =>
        transport.produce({
          kind: request.kind,
          rtpParameters: structuredClone(request.rtpParameters),
          appData: { participantId, source: request.source },
        }),
      );
    } finally {
      peer.releaseSource(request.source);
    }
    if (peer.closed) {
      producer.close();
      peer.assertOpen();
    }
    peer.producers.set(producer.id, { producer, source: request.source });
    producer.observer.on('close', () => {
      if (peer.producers.delete(producer.id) && !peer.closed) {
        this.#deps.onSourceState(participantId, request.source, false);
      }
    });
    this.#deps.onSourceState(participantId, request.source, !producer.paused);
    for (const other of this.#peers.values()) {
      if (other !== peer) this.#consume(other, peer, producer, request.source);
    }
    return producer.id;
  }

  /** Pauses (mutes) or resumes one of the participant's producers. */
  async setProducerPaused(
    participantId: string,
    connectionId: string,
    producerId: string,
    paused: boolean,
  ): Promise<void> {
    const { producer, source } = this.#peer(participantId, connectionId).producer(producerId);
    await mediasoupCall('the pause', () => (paused ? producer.pause() : producer.resume()));
    this.#deps.onSourceState(participantId, source, !producer.paused);
  }

  /** The source a producer of the participant carries (`bad_request` if it has none). */
  producerSource(participantId: string, connectionId: string, producerId: string): MediaSource {
    return this.#peer(participantId, connectionId).producer(producerId).source;
  }

  /**
   * Brings consumers in line with who may receive what (after a lock or role change):
   * closes those no longer allowed, creates those that now are.
   */
  refreshConsumers(): void {
    if (this.closed) return;
    for (const peer of this.#peers.values()) {
      for (const consumer of [...peer.consumers.values()]) {
        const { source } = consumer.appData as { source: MediaSource };
        const owner = [...this.#peers.values()].find((o) => o.producers.has(consumer.producerId));
        if (owner === undefined) continue;
        if (this.#deps.mayConsume(peer.participantId, owner.participantId, source)) continue;
        consumer.close();
        peer.consumers.delete(consumer.id);
        peer.consumed.delete(consumer.producerId);
        this.#notify(peer, 'media.consumerClosed', { consumerId: consumer.id });
      }
    }
    for (const peer of this.#peers.values()) this.#consumeAll(peer);
  }

  /** Closes one of the participant's producers; its consumers close with it. */
  closeProducer(participantId: string, connectionId: string, producerId: string): void {
    const { producer } = this.#peer(participantId, connectionId).producer(producerId);
    producer.close();
  }

  /**
   * Stops a participant's source on a moderator's order, whichever connection they are on:
   * `pause` pauses the producer (its owner may resume it), `close` closes it. Nothing
   * happens if they have no producer for that source.
   */
  async stopSource(
    participantId: string,
    source: MediaSource,
    how: 'pause' | 'close',
  ): Promise<void> {
    const peer = this.#peers.get(participantId);
    const entry = [...(peer?.producers.values() ?? [])].find((p) => p.source === source);
    if (entry === undefined) return;
    if (how === 'close') {
      entry.producer.close();
      return;
    }
    if (entry.producer.paused) return;
    await mediasoupCall('the pause', () => entry.producer.pause());
    this.#deps.onSourceState(participantId, source, !entry.producer.paused);
  }

  /** Resumes a consumer whose tile is visible and pauses one that is not. */
  async setConsumerVisible(
    participantId: string,
    connectionId: string,
    consumerId: string,
    visible: boolean,
  ): Promise<void> {
    const consumer = this.#peer(participantId, connectionId).consumer(consumerId);
    await mediasoupCall('the consumer state', () =>
      visible ? consumer.resume() : consumer.pause(),
    );
  }

  /** Picks the simulcast layer a video consumer should receive. */
  async setPreferredLayers(
    participantId: string,
    connectionId: string,
    consumerId: string,
    spatialLayer: number,
  ): Promise<void> {
    const consumer = this.#peer(participantId, connectionId).consumer(consumerId);
    if (consumer.kind !== 'video') throw new AppError('bad_request', 'Only video has layers.');
    await mediasoupCall('the layers', () => consumer.setPreferredLayers({ spatialLayer }));
  }

  /** Every peer's media, for tests and diagnostics. */
  snapshot(): PeerSnapshot[] {
    return [...this.#peers.values()].map((peer) => ({
      participantId: peer.participantId,
      transports: [...peer.transports.keys()],
      producers: [...peer.producers.values()].map((p) => ({
        id: p.producer.id,
        source: p.source,
        paused: p.producer.paused,
      })),
      consumers: [...peer.consumers.values()].map((c) => ({
        id: c.id,
        producerId: c.producerId,
        paused: c.paused,
      })),
    }));
  }

  /** Closes the room (see the class comment). Idempotent. */
  close(): void {
    this.#close(false);
  }

  #close(workerDied: boolean): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const peer of this.#peers.values()) peer.close();
    this.#peers.clear();
    this.router.close();
    this.#deps.onClosed(this, workerDied);
  }

  #assertOpen(): void {
    if (this.#closed) throw new AppError('unavailable', 'The media room was closed.');
  }

  /** The caller's peer, bound to their current connection. */
  #peer(participantId: string, connectionId: string): MediaPeer {
    this.#assertOpen();
    const peer = this.#peers.get(participantId);
    if (peer?.connectionId !== connectionId)
      throw new AppError('conflict', 'The media session was closed.');
    return peer;
  }

  /** Consumes every other peer's producers for a peer that just became able to. */
  #consumeAll(peer: MediaPeer): void {
    if (!peer.canConsume) return;
    for (const owner of this.#peers.values()) {
      if (owner === peer) continue;
      for (const { producer, source } of owner.producers.values())
        this.#consume(peer, owner, producer, source);
    }
  }

  /** Creates one paused consumer and tells its peer; failures only skip that consumer. */
  #consume(peer: MediaPeer, owner: MediaPeer, producer: ms.Producer, source: MediaSource): void {
    const transport = peer.recvTransport;
    const rtpCapabilities = peer.rtpCapabilities;
    if (transport === undefined || rtpCapabilities === undefined || peer.closed) return;
    if (peer.consumed.has(producer.id)) return;
    if (!this.#deps.mayConsume(peer.participantId, owner.participantId, source)) return;
    if (!this.router.canConsume({ producerId: producer.id, rtpCapabilities })) return;
    peer.consumed.add(producer.id);
    transport
      .consume({ producerId: producer.id, rtpCapabilities, paused: true, appData: { source } })
      .then((consumer) => {
        if (peer.closed || producer.closed || consumer.closed) {
          consumer.close();
          peer.consumed.delete(producer.id);
          return;
        }
        this.#track(peer, consumer);
        this.#notify(peer, 'media.newConsumer', {
          consumerId: consumer.id,
          producerId: producer.id,
          participantId: owner.participantId,
          kind: consumer.kind,
          source,
          rtpParameters: consumer.rtpParameters,
          producerPaused: consumer.producerPaused,
        });
      })
      .catch((error: unknown) => {
        peer.consumed.delete(producer.id);
        this.#deps.logger.warn(
          { err: error, meetingId: this.meetingId },
          'could not create a consumer',
        );
      });
  }

  #track(peer: MediaPeer, consumer: ms.Consumer): void {
    peer.consumers.set(consumer.id, consumer);
    consumer.on('transportclose', () => {
      peer.consumers.delete(consumer.id);
    });
    consumer.on('producerclose', () => {
      peer.consumers.delete(consumer.id);
      peer.consumed.delete(consumer.producerId);
      this.#notify(peer, 'media.consumerClosed', { consumerId: consumer.id });
    });
    consumer.on('producerpause', () => {
      this.#notify(peer, 'media.producerPaused', { consumerId: consumer.id, paused: true });
    });
    consumer.on('producerresume', () => {
      this.#notify(peer, 'media.producerPaused', { consumerId: consumer.id, paused: false });
    });
  }

  #notify<N extends 'media.newConsumer' | 'media.consumerClosed' | 'media.producerPaused'>(
    peer: MediaPeer,
    notification: N,
    data: NotificationData<N>,
  ): void {
    if (peer.closed) return;
    this.#deps.fanout
      .notify(this.meetingId, [peer.participantId], notification, data)
      .catch((error: unknown) => {
        this.#deps.logger.warn(
          { err: error, meetingId: this.meetingId },
          'could not publish a media notification',
        );
      });
  }
}
