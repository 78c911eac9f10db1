import type { MediaSource } from '@konvent/protocol';
import type { types as ms } from 'mediasoup';
import { AppError } from '../errors/AppError.ts';

/** Per-participant media limits. */
export interface PeerLimits {
  /** Transports one connection may hold (one send and one receive). */
  maxTransports: number;
  /** Producers one connection may hold. */
  maxProducers: number;
}

/** Limits applied unless configured otherwise. */
export const DEFAULT_PEER_LIMITS: PeerLimits = { maxTransports: 2, maxProducers: 4 };

/** What a producer carries, kept next to it. */
export interface ProducerEntry {
  producer: ms.Producer;
  source: MediaSource;
}

/**
 * One participant's media on one connection: transports, producers and consumers. Bound
 * to the socket's connection id, because a new socket rebuilds media from scratch.
 *
 * Ownership: holds `Map<id, WebRtcTransport>`, `Map<id, Producer>`, `Map<id, Consumer>`.
 * `close()` is idempotent and closes the transports, which in mediasoup closes their
 * producers and consumers (and other peers' consumers of those producers).
 */
export class MediaPeer {
  readonly participantId: string;
  readonly connectionId: string;
  readonly transports = new Map<
    string,
    { transport: ms.WebRtcTransport; direction: 'send' | 'recv' }
  >();
  readonly producers = new Map<string, ProducerEntry>();
  readonly consumers = new Map<string, ms.Consumer>();
  /** Producer ids this peer already consumes, or is about to. */
  readonly consumed = new Set<string>();
  rtpCapabilities: ms.RtpCapabilities | undefined;
  /** Directions and sources reserved by an operation still awaiting mediasoup. */
  readonly #pendingDirections = new Set<'send' | 'recv'>();
  readonly #pendingSources = new Set<MediaSource>();
  readonly #limits: PeerLimits;
  #closed = false;

  constructor(participantId: string, connectionId: string, limits: PeerLimits) {
    this.participantId = participantId;
    this.connectionId = connectionId;
    this.#limits = limits;
  }

  /** Whether the peer was closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** The receive transport, once created. */
  get recvTransport(): ms.WebRtcTransport | undefined {
    for (const entry of this.transports.values())
      if (entry.direction === 'recv') return entry.transport;
    return undefined;
  }

  /** Whether consumers can be created for this peer. */
  get canConsume(): boolean {
    return !this.#closed && this.rtpCapabilities !== undefined && this.recvTransport !== undefined;
  }

  /** Reserves a transport direction; throws `conflict` past the limits. Pair with `release`. */
  reserveTransport(direction: 'send' | 'recv'): void {
    this.assertOpen();
    const taken = [...this.transports.values()].some((t) => t.direction === direction);
    if (taken || this.#pendingDirections.has(direction)) {
      throw new AppError('conflict', `A ${direction} transport already exists.`);
    }
    if (this.transports.size + this.#pendingDirections.size >= this.#limits.maxTransports) {
      throw new AppError('conflict', 'Too many transports.');
    }
    this.#pendingDirections.add(direction);
  }

  /** Ends a transport reservation. */
  releaseTransport(direction: 'send' | 'recv'): void {
    this.#pendingDirections.delete(direction);
  }

  /** Reserves a media source; at most one producer per source. Pair with `releaseSource`. */
  reserveSource(source: MediaSource): void {
    this.assertOpen();
    const taken = [...this.producers.values()].some((p) => p.source === source);
    if (taken || this.#pendingSources.has(source)) {
      throw new AppError('conflict', `A ${source} producer already exists.`);
    }
    if (this.producers.size + this.#pendingSources.size >= this.#limits.maxProducers) {
      throw new AppError('conflict', 'Too many producers.');
    }
    this.#pendingSources.add(source);
  }

  /** Ends a source reservation. */
  releaseSource(source: MediaSource): void {
    this.#pendingSources.delete(source);
  }

  /** A transport of this peer, or `bad_request` if it has none with that id. */
  transport(transportId: string): { transport: ms.WebRtcTransport; direction: 'send' | 'recv' } {
    const entry = this.transports.get(transportId);
    if (entry === undefined) throw new AppError('bad_request', 'No such transport.');
    return entry;
  }

  /** A producer of this peer, or `bad_request` if it has none with that id. */
  producer(producerId: string): ProducerEntry {
    const entry = this.producers.get(producerId);
    if (entry === undefined) throw new AppError('bad_request', 'No such producer.');
    return entry;
  }

  /** A consumer of this peer, or `bad_request` if it has none with that id. */
  consumer(consumerId: string): ms.Consumer {
    const consumer = this.consumers.get(consumerId);
    if (consumer === undefined) throw new AppError('bad_request', 'No such consumer.');
    return consumer;
  }

  /** Throws `conflict` once the peer is closed (its connection was replaced or closed). */
  assertOpen(): void {
    if (this.#closed) throw new AppError('conflict', 'The media session was closed.');
  }

  /** Closes every transport (and with them producers and consumers). Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const { transport } of this.transports.values()) transport.close();
    this.transports.clear();
    this.producers.clear();
    this.consumers.clear();
    this.consumed.clear();
  }
}
