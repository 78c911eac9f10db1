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
  /** Their shared screen, window or tab. */
  screen?: RemoteTrack;
}

/** The key a participant's screen-share tile reports its visibility and size under. */
export function screenTileId(participantId: string): string {
  return `${participantId}:screen`;
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

/**
 * Screen sharing is for reading text: one full-resolution layer (no simulcast: a smaller
 * layer of a document is unreadable anyway) at up to 15 fps, with a bitrate that keeps
 * text sharp; the track's `contentHint` and the sender's degradation preference make the
 * browser drop frames rather than resolution when bandwidth runs short.
 */
const SCREEN_ENCODINGS: types.RtpEncodingParameters[] = [
  { scaleResolutionDownBy: 1, maxFramerate: 15, maxBitrate: 1_500_000 },
];

function kindOf(source: MediaSource): TrackKind {
  return source === 'microphone' ? 'audio' : 'video';
}

/**
 * Tells the browser to keep a screen share's resolution and drop frames under pressure
 * (text must stay readable). Not every browser lets it be set; then its default stays.
 */
async function preferResolution(producer: types.Producer): Promise<void> {
  const sender = producer.rtpSender;
  if (!sender) return;
  try {
    const parameters = sender.getParameters() as RTCRtpSendParameters & {
      degradationPreference?: string;
    };
    parameters.degradationPreference = 'maintain-resolution';
    await sender.setParameters(parameters);
  } catch (error) {
    console.warn('could not set the screen share to keep its resolution', error);
  }
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
  // Settles once the receive transport exists (or could not be created); consumers wait.
  #resolveRecvReady: (ready: Promise<void>) => void = () => undefined;
  readonly #recvReady = new Promise<void>((resolve) => {
    this.#resolveRecvReady = resolve;
  });
  readonly #sourceQueues = new Map<MediaSource, Promise<void>>();
  // Tracks already handed to a producer (or that failed to be), so a failure is not
  // retried on every unrelated device change.
  readonly #tried = new WeakSet<MediaStreamTrack>();
  readonly #deviceFactory: () => Promise<Device>;
  #unsubscribeLocal: (() => void) | null = null;
  #closed = false;

  constructor(
    channel: SignalingChannel,
    local: LocalMedia,
    view: () => ViewState,
    deviceFactory: () => Promise<Device> = () => Device.factory(),
  ) {
    super();
    this.#channel = channel;
    this.#local = local;
    this.#view = view;
    this.#deviceFactory = deviceFactory;
  }

  /**
   * Loads the device, creates both transports and sends whatever devices are switched on,
   * and from then on any device track that appears later (a camera that was still starting
   * when "Join" was clicked, a device switched on in the meantime).
   *
   * The requests are pipelined: the server answers them in order, and none of the later
   * ones needs an earlier answer, so they go out together. The receive transport comes
   * before the send transport, so consumers of those already here are created first.
   */
  async start(routerRtpCapabilities: types.RtpCapabilities): Promise<void> {
    const device = await this.#deviceFactory();
    await device.load({ routerRtpCapabilities });
    if (this.#isClosed()) throw new Error('session closed');
    this.#device = device;
    const caps = this.#channel.request('media.setRtpCapabilities', {
      rtpCapabilities: device.recvRtpCapabilities,
    });
    const recv = this.#createTransport(device, 'recv');
    const send = this.#createTransport(device, 'send');
    // Consumers announced meanwhile wait for the receive transport, not for the send one.
    const recvReady = Promise.all([caps, recv]).then(([, transport]) => {
      if (this.#closed) transport.close();
      else this.#recvTransport = transport;
    });
    this.#resolveRecvReady(recvReady.catch(() => undefined));
    const sendReady = send.then((transport) => {
      if (this.#closed) transport.close();
      else this.#sendTransport = transport;
    });
    await Promise.all([recvReady, sendReady]);
    if (this.#isClosed()) return;
    this.#unsubscribeLocal = this.#local.on('change', () => {
      this.#publishNewTracks();
    });
    this.#publishNewTracks();
    await Promise.all([...this.#sourceQueues.values()]);
  }

  /**
   * Sends every local track that has no producer yet. A track is only there while its
   * device is wanted (switching off stops it), so "has a track" means "should be sent".
   * Runs in the per-source queue, so it cannot race a toggle of the same source.
   */
  #publishNewTracks(): void {
    for (const source of ['microphone', 'camera'] as const) {
      const track = this.#local.track(kindOf(source));
      if (!track || this.#producers.has(source) || this.#tried.has(track)) continue;
      void this.#enqueue(source, async () => {
        const current = this.#local.track(kindOf(source));
        if (current !== track || this.#producers.has(source) || this.#tried.has(track)) return;
        if (track.readyState !== 'live') return;
        this.#tried.add(track);
        await this.#produce(source, track);
      });
    }
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
        const source: MediaSource =
          appData.source === 'camera' || appData.source === 'screen'
            ? appData.source
            : 'microphone';
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

  async #produce(source: MediaSource, track: MediaStreamTrack): Promise<boolean> {
    const transport = this.#sendTransport;
    const device = this.#device;
    if (!transport || !device || this.#closed) return false;
    const options: types.ProducerOptions =
      source !== 'microphone'
        ? {
            track,
            encodings: source === 'camera' ? CAMERA_ENCODINGS : SCREEN_ENCODINGS,
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
      (c) => c.mimeType.toLowerCase() === (source === 'microphone' ? 'audio/opus' : 'video/vp8'),
    );
    if (codec) options.codec = codec;
    try {
      const producer = await transport.produce(options);
      this.#producers.set(source, producer);
      if (source === 'screen') {
        await preferResolution(producer);
        return true;
      }
      producer.on('trackended', () => {
        // The device disappeared; show it as switched off everywhere.
        void this.setEnabled(source, false);
      });
      return true;
    } catch (error) {
      if (this.#isClosed()) return false;
      console.error(`could not send ${source}`, error);
      this.emit('sourceError', source);
      return false;
    }
  }

  /**
   * Sends a screen-share track (the caller captured it and owns it); answers whether the
   * server accepted it (it refuses people who may not share).
   */
  async shareScreen(track: MediaStreamTrack): Promise<boolean> {
    let sent = false;
    await this.#enqueue('screen', async () => {
      if (this.#producers.has('screen') || track.readyState !== 'live') return;
      sent = await this.#produce('screen', track);
    });
    return sent;
  }

  /** Stops sending my screen: the producer is closed here and on the server. */
  stopScreen(): Promise<void> {
    return this.#enqueue('screen', async () => {
      const producer = this.#producers.get('screen');
      if (!producer) return;
      this.#producers.delete('screen');
      producer.close();
      await this.#channel.request('media.closeProducer', { producerId: producer.id });
    });
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
        this.#tried.add(track);
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

  /**
   * A moderator stopped one of my sources; the server has already paused (microphone) or
   * closed (camera) its producer. The device track is stopped as switching off does, so
   * nothing is captured any more. A closed producer is dropped, so switching the camera
   * on again produces anew; a paused one is resumed by `setEnabled` as after a self-mute.
   */
  stopByModerator(source: MediaSource): Promise<void> {
    return this.#enqueue(source, () => {
      const producer = this.#producers.get(source);
      if (source !== 'microphone') {
        producer?.close();
        this.#producers.delete(source);
      } else if (producer && !producer.closed) {
        producer.pause();
      }
      // The screen's track is the MeetingClient's, which stops it.
      if (source !== 'screen') this.#local.disable(kindOf(source));
      return Promise.resolve();
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

  /**
   * Handles the media notifications of this session's socket, in order. The browser-side
   * consumer is started at once, not after the previous one: mediasoup-client folds
   * consumers requested together into one SDP renegotiation, so a participant's audio and
   * video cost one round of it, not two. Registering it still waits its turn.
   */
  handleNewConsumer(data: NotificationData<'media.newConsumer'>): void {
    const started = this.#recvReady.then(() => this.#startConsumer(data));
    this.#consumerQueue = this.#consumerQueue.then(async () => {
      const consumer = await started;
      if (consumer) this.#addConsumer(data, consumer);
    });
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

  async #startConsumer(
    data: NotificationData<'media.newConsumer'>,
  ): Promise<types.Consumer | undefined> {
    const transport = this.#recvTransport;
    if (!transport || this.#closed) return undefined;
    try {
      return await transport.consume({
        id: data.consumerId,
        producerId: data.producerId,
        kind: data.kind,
        rtpParameters: data.rtpParameters as types.RtpParameters,
        appData: { participantId: data.participantId, source: data.source },
      });
    } catch (error) {
      if (!this.#isClosed()) console.error('could not consume', data.source, error);
      return undefined;
    }
  }

  #addConsumer(data: NotificationData<'media.newConsumer'>, consumer: types.Consumer): void {
    if (this.#closed) {
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
  }

  /**
   * Tells the server which consumers are worth sending: audio always, video only while its
   * tile is on screen and the tab is in front, at the layer the tile's size needs.
   */
  refreshViews(): void {
    if (this.#closed) return;
    const view = this.#view();
    for (const [consumerId, entry] of this.#consumers) {
      const screen = entry.source === 'screen';
      const tile = screen ? screenTileId(entry.participantId) : entry.participantId;
      const visible =
        entry.consumer.kind === 'audio' || (!view.pageHidden && view.visibleTiles.has(tile));
      // The layer goes out before the resume (the server handles requests in order), so
      // the SFU starts with the right layer and asks the sender for one key frame only,
      // instead of starting at the top layer and switching. A screen has one layer.
      const width = view.tileWidths.get(tile);
      if (entry.consumer.kind === 'video' && !screen && width !== undefined) {
        const layer = layerForWidth(width);
        if (layer !== entry.sentLayer) {
          entry.sentLayer = layer;
          this.#quietly(
            this.#channel.request('media.setPreferredLayers', { consumerId, spatialLayer: layer }),
          );
        }
      }
      if (visible !== entry.sentVisible) {
        entry.sentVisible = visible;
        this.#quietly(this.#channel.request('media.setConsumerVisible', { consumerId, visible }));
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
    this.#unsubscribeLocal?.();
    this.#sendTransport?.close();
    this.#recvTransport?.close();
    this.#producers.clear();
    this.#consumers.clear();
    this.removeAllListeners();
  }
}
