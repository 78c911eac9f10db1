import { Device } from 'mediasoup-client';
import type { types } from 'mediasoup-client';
import type { MediaSource, NotificationData } from '@konvent/protocol';
import type { LocalMedia, TrackKind } from './LocalMedia.ts';
import type { SignalingChannel } from './SignalingChannel.ts';
import { SupersededError } from './SupersededError.ts';
import { TypedEmitter } from './TypedEmitter.ts';

/** A remote track as a tile shows it. */
export interface RemoteTrack {
  consumerId: string;
  track: MediaStreamTrack;
  /** The sender paused (muted) it. */
  paused: boolean;
}

/** The remote tracks of one participant, by source. */
export interface RemoteMedia {
  microphone?: RemoteTrack;
  camera?: RemoteTrack;
}

/** What the page currently shows; the session derives consumer visibility and layers from it. */
export interface ViewState {
  /** Participants whose tile is at least partly on screen. */
  readonly visibleTiles: ReadonlySet<string>;
  /** Rendered tile width in device pixels, by participant. */
  readonly tileWidths: ReadonlyMap<string, number>;
  /** The tab is in the background, or the stage is covered: no video is seen. */
  readonly pageHidden: boolean;
}

interface MediaSessionEvents {
  /** The set of remote tracks or their paused state changed. */
  remote: [ReadonlyMap<string, RemoteMedia>];
  /** A local source could not be started or sent. */
  sourceError: [MediaSource];
  /** A transport failed for good; the caller should rebuild the session. */
  failed: [];
}

interface ConsumerEntry {
  consumer: types.Consumer;
  participantId: string;
  source: MediaSource;
  producerPaused: boolean;
  sentVisible: boolean;
  sentLayer: number | null;
}

/**
 * Camera simulcast: three spatial layers (320, 640, 1280 px wide for a 720p camera) with
 * three temporal layers each, so the SFU can serve every tile size and bandwidth.
 */
const CAMERA_ENCODINGS: types.RtpEncodingParameters[] = [
  { scaleResolutionDownBy: 4, maxBitrate: 100_000, scalabilityMode: 'L1T3' },
  { scaleResolutionDownBy: 2, maxBitrate: 300_000, scalabilityMode: 'L1T3' },
  { scaleResolutionDownBy: 1, maxBitrate: 900_000, scalabilityMode: 'L1T3' },
];

function kindOf(source: MediaSource): TrackKind {
  return source === 'microphone' ? 'audio' : 'video';
}

/** The simulcast layer whose resolution covers a tile of this width (device pixels). */
function layerForWidth(width: number): number {
  if (width <= 360) return 0;
  if (width <= 720) return 1;
  return 2;
}

/**
 * The media half of one signalling connection: a mediasoup Device, one send and one
 * receive transport, my producers and the consumers the server offers. It lives exactly
 * as long as its socket; after a reconnect `MeetingClient` builds a new one, because the
 * server's transports died with the old socket.
 *
 * Ownership: the session owns its transports; closing a transport closes its producers and
 * consumers. Tracks belong to `LocalMedia` (producers are created with `stopTracks: false`).
 */
export class MediaSession extends TypedEmitter<MediaSessionEvents> {
  readonly #channel: SignalingChannel;
  readonly #local: LocalMedia;
  readonly #view: () => ViewState;
  #sendTransport: types.Transport | null = null;
  #recvTransport: types.Transport | null = null;
  #device: Device | null = null;
  readonly #producers = new Map<MediaSource, types.Producer>();
  readonly #consumers = new Map<string, ConsumerEntry>();
  // Consumer notifications and device toggles run one at a time, in arrival order, so a
  // `consumerClosed` can never overtake the `newConsumer` it refers to.
  #consumerQueue: Promise<void> = Promise.resolve();
  readonly #sourceQueues = new Map<MediaSource, Promise<void>>();
  #closed = false;

  constructor(channel: SignalingChannel, local: LocalMedia, view: () => ViewState) {
    super();
    this.#channel = channel;
    this.#local = local;
    this.#view = view;
  }

  /** Loads the device, creates both transports and sends whatever devices are switched on. */
  async start(routerRtpCapabilities: types.RtpCapabilities): Promise<void> {
    const ready = this.#setUp(routerRtpCapabilities);
    // Consumers announced while we were still setting up wait for the receive transport.
    this.#consumerQueue = ready.catch(() => undefined);
    await ready;
    await Promise.all(
      (['microphone', 'camera'] as const).map((source) =>
        this.#enqueue(source, async () => {
          const track = this.#local.track(kindOf(source));
          if (track) await this.#produce(source, track);
        }),
      ),
    );
  }

  async #setUp(routerRtpCapabilities: types.RtpCapabilities): Promise<void> {
    const device = await Device.factory();
    await device.load({ routerRtpCapabilities });
    this.#device = device;
    await this.#channel.request('media.setRtpCapabilities', {
      rtpCapabilities: device.recvRtpCapabilities,
    });
    this.#sendTransport = await this.#createTransport(device, 'send');
    this.#recvTransport = await this.#createTransport(device, 'recv');
  }

  async #createTransport(device: Device, direction: 'send' | 'recv'): Promise<types.Transport> {
    const info = await this.#channel.request('media.createTransport', { direction });
    const options: types.TransportOptions = {
      id: info.id,
      iceParameters: info.iceParameters as types.IceParameters,
      iceCandidates: info.iceCandidates as types.IceCandidate[],
      dtlsParameters: info.dtlsParameters as types.DtlsParameters,
      // No STUN/TURN from elsewhere: the SFU's own candidates are all we need (no third parties).
      iceServers: [],
    };
    const transport =
      direction === 'send'
        ? device.createSendTransport(options)
        : device.createRecvTransport(options);
    if (this.#closed) {
      transport.close();
      throw new Error('session closed');
    }
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.#channel
        .request('media.connectTransport', { transportId: transport.id, dtlsParameters })
        .then(() => {
          callback();
        }, errback);
    });
    if (direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        const source = appData.source === 'camera' ? 'camera' : 'microphone';
        this.#channel
          .request('media.produce', { transportId: transport.id, kind, source, rtpParameters })
          .then(({ producerId }) => {
            callback({ id: producerId });
          }, errback);
      });
    }
    transport.on('connectionstatechange', (state) => {
      if (state === 'failed' && !this.#closed) this.emit('failed');
    });
    return transport;
  }

  async #produce(source: MediaSource, track: MediaStreamTrack): Promise<void> {
    const transport = this.#sendTransport;
    const device = this.#device;
    if (!transport || !device || this.#closed) return;
    const options: types.ProducerOptions =
      source === 'camera'
        ? {
            track,
            encodings: CAMERA_ENCODINGS,
            codecOptions: { videoGoogleStartBitrate: 1000 },
            stopTracks: false,
            appData: { source },
          }
        : {
            track,
            codecOptions: { opusStereo: false, opusDtx: true, opusFec: true },
            stopTracks: false,
            appData: { source },
          };
    const codec = device.sendRtpCapabilities.codecs?.find(
      (c) => c.mimeType.toLowerCase() === (source === 'camera' ? 'video/vp8' : 'audio/opus'),
    );
    if (codec) options.codec = codec;
    try {
      const producer = await transport.produce(options);
      this.#producers.set(source, producer);
      producer.on('trackended', () => {
        // The device disappeared; show it as switched off everywhere.
        void this.setEnabled(source, false);
      });
    } catch (error) {
      if (this.#isClosed()) return;
      console.error(`could not send ${source}`, error);
      this.emit('sourceError', source);
    }
  }

  /**
   * Switches a source on or off. Off pauses the producer, stops the device track (the
   * camera light goes out) and tells the server; on takes a fresh track from the device,
   * swaps it into the producer and resumes it. Calls per source run one after another.
   */
  setEnabled(source: MediaSource, on: boolean): Promise<void> {
    return this.#enqueue(source, async () => {
      const kind = kindOf(source);
      const producer = this.#producers.get(source);
      const live = producer && !producer.closed ? producer : undefined;
      if (!on) {
        live?.pause();
        this.#local.disable(kind);
        if (live) {
          await this.#channel.request('media.setProducerPaused', {
            producerId: live.id,
            paused: true,
          });
        }
        return;
      }
      let track: MediaStreamTrack;
      try {
        track = await this.#local.enable(kind);
      } catch (error) {
        if (!(error instanceof SupersededError)) this.emit('sourceError', source);
        return;
      }
      if (!live) {
        await this.#produce(source, track);
        return;
      }
      await live.replaceTrack({ track });
      live.resume();
      await this.#channel.request('media.setProducerPaused', {
        producerId: live.id,
        paused: false,
      });
    });
  }

  #enqueue(source: MediaSource, task: () => Promise<void>): Promise<void> {
    const previous = this.#sourceQueues.get(source) ?? Promise.resolve();
    const next = previous.then(task).catch((error: unknown) => {
      if (!this.#closed) console.error(`${source} toggle failed`, error);
    });
    this.#sourceQueues.set(source, next);
    return next;
  }

  /** Handles the media notifications of this session's socket, in order. */
  handleNewConsumer(data: NotificationData<'media.newConsumer'>): void {
    this.#consumerQueue = this.#consumerQueue.then(() => this.#consume(data));
  }

  /** The server closed a consumer (its producer went away). */
  handleConsumerClosed(consumerId: string): void {
    this.#consumerQueue = this.#consumerQueue.then(() => {
      const entry = this.#consumers.get(consumerId);
      if (!entry) return;
      entry.consumer.close();
      this.#consumers.delete(consumerId);
      this.#emitRemote();
    });
  }

  /** The sender paused or resumed the producer behind a consumer. */
  handleProducerPaused(consumerId: string, paused: boolean): void {
    this.#consumerQueue = this.#consumerQueue.then(() => {
      const entry = this.#consumers.get(consumerId);
      if (!entry) return;
      entry.producerPaused = paused;
      this.#emitRemote();
    });
  }

  async #consume(data: NotificationData<'media.newConsumer'>): Promise<void> {
    const transport = this.#recvTransport;
    if (!transport || this.#closed) return;
    try {
      const consumer = await transport.consume({
        id: data.consumerId,
        producerId: data.producerId,
        kind: data.kind,
        rtpParameters: data.rtpParameters as types.RtpParameters,
        appData: { participantId: data.participantId, source: data.source },
      });
      if (this.#isClosed()) {
        consumer.close();
        return;
      }
      this.#consumers.set(data.consumerId, {
        consumer,
        participantId: data.participantId,
        source: data.source,
        producerPaused: data.producerPaused,
        sentVisible: false,
        sentLayer: null,
      });
      this.#emitRemote();
      this.refreshViews();
    } catch (error) {
      console.error('could not consume', data.source, error);
    }
  }

  /**
   * Tells the server which consumers are worth sending: audio always, video only while its
   * tile is on screen and the tab is in front, at the layer the tile's size needs.
   */
  refreshViews(): void {
    if (this.#closed) return;
    const view = this.#view();
    for (const [consumerId, entry] of this.#consumers) {
      const visible =
        entry.consumer.kind === 'audio' ||
        (!view.pageHidden && view.visibleTiles.has(entry.participantId));
      if (visible !== entry.sentVisible) {
        entry.sentVisible = visible;
        this.#quietly(this.#channel.request('media.setConsumerVisible', { consumerId, visible }));
      }
      const width = view.tileWidths.get(entry.participantId);
      if (entry.consumer.kind === 'video' && width !== undefined) {
        const layer = layerForWidth(width);
        if (layer !== entry.sentLayer) {
          entry.sentLayer = layer;
          this.#quietly(
            this.#channel.request('media.setPreferredLayers', { consumerId, spatialLayer: layer }),
          );
        }
      }
    }
  }

  // A method, not the field, so the compiler does not assume it is unchanged across an await.
  #isClosed(): boolean {
    return this.#closed;
  }

  #quietly(request: Promise<unknown>): void {
    request.catch((error: unknown) => {
      if (!this.#closed) console.warn('media request failed', error);
    });
  }

  #emitRemote(): void {
    const remote = new Map<string, RemoteMedia>();
    for (const [consumerId, entry] of this.#consumers) {
      const media = remote.get(entry.participantId) ?? {};
      media[entry.source] = {
        consumerId,
        track: entry.consumer.track,
        paused: entry.producerPaused,
      };
      remote.set(entry.participantId, media);
    }
    this.emit('remote', remote);
  }

  /** Closes transports (and with them producers and consumers). Tracks stay with LocalMedia. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#sendTransport?.close();
    this.#recvTransport?.close();
    this.#producers.clear();
    this.#consumers.clear();
    this.removeAllListeners();
  }
}
