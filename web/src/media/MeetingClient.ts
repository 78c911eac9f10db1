import type { ChatMessage, MediaSource, Participant } from '@konvent/protocol';
import { CLOSE_CODES, signalingPath } from '@konvent/protocol';
import type { LocalMedia } from './LocalMedia.ts';
import { MediaSession } from './MediaSession.ts';
import { ModerationDesk } from './ModerationDesk.ts';
import { AnnotationStore } from './AnnotationStore.ts';
import { BreakoutStore } from './BreakoutStore.ts';
import { MediaStore } from './MediaStore.ts';
import { MinutesStore } from './MinutesStore.ts';
import { PresentationStore } from './PresentationStore.ts';
import { prepareDevice } from './preparedDevice.ts';
import type { DevicePreparation } from './preparedDevice.ts';
import type { ViewState } from './MediaSession.ts';
import { OPEN_LOCKS } from '@konvent/protocol';
import type { EndReason, MeetingSnapshot } from './meetingState.ts';
import type { ChannelClose, ServerNotification } from './SignalingChannel.ts';
import { SignalingChannel } from './SignalingChannel.ts';
import { SignalingError } from './SignalingError.ts';
import { SupersededError } from './SupersededError.ts';
import { TypedEmitter } from './TypedEmitter.ts';
import { WhiteboardSync } from './WhiteboardSync.ts';

interface MeetingClientEvents {
  change: [MeetingSnapshot];
  chatMessage: [ChatMessage];
  participantJoined: [Participant];
  participantLeft: [Participant];
  ended: [EndReason];
}

/** Options for a MeetingClient. */
export interface MeetingClientOptions {
  meetingId: string;
  localMedia: LocalMedia;
  /** Override for tests and non-browser hosts; defaults to this page's origin. */
  socketUrl?: string;
  /**
   * Media capability probes started earlier (on the pre-join page), so joining does not
   * wait for them; the client starts its own when none is given.
   */
  devicePreparation?: DevicePreparation;
  /** The join put me in the lobby: expect `lobby.waiting` rather than a welcome. */
  waiting?: boolean;
}

const RECONNECT_DELAYS_MS = [1000, 2000, 4000, 8000, 8000];
const MAX_CHAT_HISTORY = 500;
/** Close codes after which reconnecting cannot help. */
const FINAL_CLOSE_CODES = new Map<number, EndReason>([
  [CLOSE_CODES.meetingEnded, 'ended'],
  [CLOSE_CODES.replaced, 'replaced'],
  [CLOSE_CODES.removed, 'removed'],
  [CLOSE_CODES.denied, 'denied'],
  [CLOSE_CODES.unauthenticated, 'expired'],
  // The account session the socket was opened under ended (signed out, revoked, disabled).
  [CLOSE_CODES.sessionEnded, 'signedOut'],
]);

function defaultSocketUrl(meetingId: string): string {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${window.location.host}${signalingPath(meetingId)}`;
}

/**
 * The meeting as the browser sees it: signalling, the mediasoup media session, the
 * participant list and the chat, with reconnection. Usable without React: subscribe to
 * `change` (or the finer events) and call the action methods.
 *
 * Someone the join put in the lobby gets only `lobby.waiting` frames (`snapshot.lobby`);
 * when a moderator admits them the server closes with `admitted` and the client opens the
 * meeting socket at once, whose welcome ends the lobby state. Moderation, admission and
 * reports live in {@link ModerationDesk} (`desk`), which outlives the sockets.
 *
 * Ownership: the client owns its current SignalingChannel and MediaSession and replaces
 * both on every reconnect; it borrows LocalMedia (the caller stops the devices).
 */
export class MeetingClient extends TypedEmitter<MeetingClientEvents> {
  /** Lobby, policy and reports for moderators; reporting for everyone. */
  readonly desk: ModerationDesk;
  /** The presentation shown to everyone, and the presenters' commands. */
  readonly presentations: PresentationStore;
  /** Shared audio and video: what plays, where, and the presenter's commands. */
  readonly media: MediaStore;
  /** The meeting's whiteboard: its elements, who may draw, my changes. */
  readonly board: WhiteboardSync;
  /** The strokes on the shown presentation page, and my drawing commands. */
  readonly annotations: AnnotationStore;
  /** The breakout rooms of this (main) meeting, their broadcasts and commands. */
  readonly breakouts: BreakoutStore;
  /** The minutes: notes, decisions and action items, who takes them. */
  readonly minutes: MinutesStore;
  readonly #socketUrl: string;
  readonly #local: LocalMedia;
  readonly #devices: DevicePreparation;
  #channel: SignalingChannel | null = null;
  #session: MediaSession | null = null;
  #reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  #closed = false;
  /** In a breakout room: this socket stays for notifications, without media. */
  #away = false;
  #visibleTiles = new Set<string>();
  #tileWidths = new Map<string, number>();
  #stageCovered = false;
  /** My screen-share track while I share; it outlives sockets (a reconnect sends it again). */
  #screen: MediaStreamTrack | null = null;
  #snapshot: MeetingSnapshot = {
    status: 'connecting',
    attempt: 0,
    maxAttempts: RECONNECT_DELAYS_MS.length,
    endReason: null,
    meeting: null,
    self: null,
    others: [],
    chat: [],
    remote: new Map(),
    sourceError: null,
    stoppedByModerator: null,
    locks: OPEN_LOCKS,
    lobby: null,
    screen: null,
  };

  constructor(options: MeetingClientOptions) {
    super();
    this.#socketUrl = options.socketUrl ?? defaultSocketUrl(options.meetingId);
    this.#local = options.localMedia;
    this.#devices = options.devicePreparation ?? prepareDevice();
    this.desk = new ModerationDesk(() => this.#requireChannel());
    this.presentations = new PresentationStore(options.meetingId, () => this.#requireChannel());
    this.media = new MediaStore(options.meetingId, () => this.#requireChannel());
    this.board = new WhiteboardSync(() => this.#requireChannel());
    this.annotations = new AnnotationStore(() => this.#requireChannel());
    this.breakouts = new BreakoutStore(options.meetingId, () => this.#requireChannel());
    this.minutes = new MinutesStore(() => this.#requireChannel());
    if (options.waiting === true) this.#snapshot.lobby = { message: null, admitted: false };
    document.addEventListener('visibilitychange', this.#onVisibility);
    window.addEventListener('online', this.#onOnline);
  }

  /** The current state (stable between changes, for useSyncExternalStore). */
  getSnapshot = (): MeetingSnapshot => this.#snapshot;

  /** Subscribes to state changes; returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => this.on('change', listener);

  /** Opens the signalling socket; the session cookie from the join request authenticates it. */
  connect(): void {
    if (this.#closed || this.#channel) return;
    const channel = new SignalingChannel(this.#socketUrl);
    this.#channel = channel;
    channel.on('notification', (n) => {
      if (this.#channel === channel) this.#onNotification(channel, n);
    });
    channel.on('close', (close) => {
      if (this.#channel === channel) this.#onClose(close);
    });
  }

  /**
   * Releases (`true`) or takes back my media here while I am in a breakout room. A fresh
   * socket makes the server drop my transports; its welcome starts no media while away.
   */
  setAway(away: boolean): void {
    if (away === this.#away || this.#closed) return;
    this.#away = away;
    const channel = this.#channel;
    if (!channel || this.#snapshot.status !== 'connected') return;
    this.#channel = null;
    channel.close(1000, away ? 'away' : 'back');
    this.#session?.close();
    this.#session = null;
    this.#update({ status: 'connecting', attempt: 0, remote: new Map() });
    this.connect();
  }

  /** Switches the microphone on or off (off stops the device, not just the sending). */
  async setMicrophone(on: boolean): Promise<void> {
    await this.#setSource('microphone', on);
  }

  /** Switches the camera on or off (off stops the device and its light). */
  async setCamera(on: boolean): Promise<void> {
    await this.#setSource('camera', on);
  }

  async #setSource(source: MediaSource, on: boolean): Promise<void> {
    this.#update({ sourceError: null, stoppedByModerator: null });
    if (this.#session) {
      await this.#session.setEnabled(source, on);
      return;
    }
    // No media session (reconnecting): change the device now, the next session sends it.
    const kind = source === 'microphone' ? 'audio' : 'video';
    if (!on) {
      this.#local.disable(kind);
      return;
    }
    try {
      await this.#local.enable(kind);
    } catch (error) {
      if (!(error instanceof SupersededError)) this.#update({ sourceError: source });
    }
  }

  /**
   * Shares a screen, window or tab the person picks in the browser's dialog. The capture
   * is tuned for text (detail over motion, at most 15 fps); the server refuses it unless
   * they may share. Picking nothing in the dialog is no error.
   */
  async startScreenShare(): Promise<void> {
    if (this.#screen) return;
    this.#update({ sourceError: null, stoppedByModerator: null });
    let track: MediaStreamTrack | undefined;
    try {
      const stream = await navigator.mediaDevices.getDisplayMedia({
        video: { frameRate: { max: 15 } },
        audio: false,
      });
      track = stream.getVideoTracks()[0];
    } catch (error) {
      if (!(error instanceof DOMException && error.name === 'NotAllowedError'))
        this.#update({ sourceError: 'screen' });
      return;
    }
    if (!track || this.#closed) {
      track?.stop();
      return;
    }
    track.contentHint = 'detail';
    const shared = track;
    // The browser's own "Stop sharing" button ends the track.
    shared.addEventListener('ended', () => {
      if (this.#screen === shared) void this.stopScreenShare();
    });
    this.#screen = shared;
    this.#update({ screen: shared });
    if (this.#session && !(await this.#session.shareScreen(shared))) this.#endScreen();
  }

  /** Stops sharing my screen (the capture ends, the server closes the producer). */
  async stopScreenShare(): Promise<void> {
    this.#endScreen();
    await this.#session?.stopScreen();
  }

  /** Asks the moderators for the right to share my screen. */
  async requestScreenShare(): Promise<void> {
    await this.#requireChannel().request('share.request', {});
  }

  /** Sends a chat message to everyone, or privately to one participant. */
  async sendChat(text: string, to?: string): Promise<void> {
    const channel = this.#requireChannel();
    const { message } = await channel.request(
      'chat.send',
      to === undefined ? { text } : { text, to },
    );
    this.#addChat(message);
  }

  /**
   * Deletes a chat message (moderators only; the server enforces it). It goes from my list
   * at once; everyone else who could see it is told by the server (`chat.deleted`).
   */
  async deleteChat(messageId: string): Promise<void> {
    await this.#requireChannel().request('moderation.deleteChat', { messageId });
    this.#removeChat(messageId);
  }

  /** Leaves the meeting; resolves once the server confirmed or a short timeout passed. */
  async leave(): Promise<void> {
    const channel = this.#channel;
    // Send first: listeners of `ended` may close the client right away.
    const answered = channel?.request('meeting.leave', {}, 3000).catch(() => undefined);
    this.#finish(this.#snapshot.lobby ? 'leftLobby' : 'left');
    await answered;
    channel?.close();
  }

  /** Ends the meeting for everyone (moderators only; the server enforces it). */
  async endForAll(): Promise<void> {
    await this.#requireChannel().request('meeting.end', {});
  }

  /** Hides the "a moderator muted your microphone / stopped your camera" notice. */
  dismissModeratorNotice(): void {
    this.#update({ stoppedByModerator: null });
  }

  /** Hides the "could not start camera/microphone" notice. */
  dismissSourceError(): void {
    this.#update({ sourceError: null });
  }

  /** Tries to reconnect at once, after the automatic attempts gave up. */
  retry(): void {
    if (this.#closed || this.#snapshot.status !== 'failed') return;
    this.#update({ status: 'reconnecting', attempt: 1 });
    this.connect();
  }

  /** Reports whether a participant's tile is on screen (IntersectionObserver). */
  setTileVisible(participantId: string, visible: boolean): void {
    if (visible === this.#visibleTiles.has(participantId)) return;
    if (visible) this.#visibleTiles.add(participantId);
    else this.#visibleTiles.delete(participantId);
    this.#session?.refreshViews();
  }

  /** Reports a tile's rendered width in device pixels (ResizeObserver), to pick a simulcast layer. */
  setTileWidth(participantId: string, width: number): void {
    this.#tileWidths.set(participantId, width);
    this.#session?.refreshViews();
  }

  /**
   * Reports that something covers the whole stage (a full-screen panel on a phone), so no
   * video is worth receiving even though the tiles are technically in the viewport.
   */
  setStageCovered(covered: boolean): void {
    if (covered === this.#stageCovered) return;
    this.#stageCovered = covered;
    this.#session?.refreshViews();
  }

  /** Stops everything (socket, transports, timers); leaves the devices to their owner. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    this.#screen?.stop();
    this.#screen = null;
    this.#session?.close();
    this.#session = null;
    const channel = this.#channel;
    this.#channel = null;
    channel?.close();
    document.removeEventListener('visibilitychange', this.#onVisibility);
    window.removeEventListener('online', this.#onOnline);
    this.desk.close();
    this.minutes.close();
    this.removeAllListeners();
  }

  #requireChannel(): SignalingChannel {
    if (!this.#channel || this.#snapshot.status !== 'connected') {
      throw new SignalingError('closed', 'not connected');
    }
    return this.#channel;
  }

  #view = (): ViewState => ({
    visibleTiles: this.#visibleTiles,
    tileWidths: this.#tileWidths,
    pageHidden: document.visibilityState === 'hidden' || this.#stageCovered,
  });

  #onVisibility = (): void => {
    this.#session?.refreshViews();
  };

  #onOnline = (): void => {
    // The network is back: do not wait for the back-off timer.
    if (this.#reconnectTimer && !this.#channel) {
      clearTimeout(this.#reconnectTimer);
      this.#reconnectTimer = null;
      this.connect();
    }
  };

  #onNotification(channel: SignalingChannel, n: ServerNotification): void {
    // Annotations first: they read `presentation.changed` and leave it to the presentations.
    if (this.annotations.handle(n)) return;
    // Minutes read my own `participant.updated` (role) but leave it to the code below.
    if (this.minutes.handle(n)) return;
    if (
      this.desk.handle(n) ||
      this.presentations.handle(n) ||
      this.media.handle(n) ||
      this.board.handle(n) ||
      this.breakouts.handle(n)
    )
      return;
    switch (n.notification) {
      case 'lobby.waiting':
        // The socket is up, but I am in the lobby: nothing of the meeting arrives until admitted.
        this.#update({
          status: 'connected',
          attempt: 0,
          lobby: { message: n.data.message ?? null, admitted: false },
        });
        return;
      case 'lobby.admitted':
        this.#update({ lobby: { message: this.#snapshot.lobby?.message ?? null, admitted: true } });
        return;
      case 'session.welcome':
        this.#onWelcome(channel, n.data);
        return;
      case 'participant.joined':
      case 'participant.updated':
        this.#upsertParticipant(n.data.participant, n.notification === 'participant.joined');
        return;
      case 'participant.left': {
        const gone = this.#snapshot.others.find((p) => p.id === n.data.participantId);
        if (!gone) return;
        this.#update({ others: this.#snapshot.others.filter((p) => p !== gone) });
        this.#visibleTiles.delete(gone.id);
        this.#tileWidths.delete(gone.id);
        this.emit('participantLeft', gone);
        return;
      }
      case 'chat.message':
        this.#addChat(n.data.message);
        return;
      case 'chat.deleted':
        this.#removeChat(n.data.messageId);
        return;
      case 'media.newConsumer':
        this.#session?.handleNewConsumer(n.data);
        return;
      case 'media.consumerClosed':
        this.#session?.handleConsumerClosed(n.data.consumerId);
        return;
      case 'media.producerPaused':
        this.#session?.handleProducerPaused(n.data.consumerId, n.data.paused);
        return;
      case 'meeting.locksChanged':
        this.#update({ locks: n.data.locks });
        return;
      case 'moderation.sourceStopped':
        this.#onSourceStopped(n.data.source);
        return;
      case 'meeting.ended':
        this.#finish(n.data.reason);
        channel.close();
        return;
    }
  }

  /** Ends my capture; the media side is closed by the caller (or was by the server). */
  #endScreen(): void {
    const track = this.#screen;
    this.#screen = null;
    track?.stop();
    if (this.#snapshot.screen !== null) this.#update({ screen: null });
  }

  /** A moderator stopped my microphone, camera or screen: stop it as switching it off does. */
  #onSourceStopped(source: MediaSource): void {
    if (source === 'screen') {
      if (this.#screen) this.#update({ stoppedByModerator: 'screen' });
      this.#endScreen();
      void this.#session?.stopByModerator('screen');
      return;
    }
    const kind = source === 'microphone' ? 'audio' : 'video';
    // "Mute all" reaches people whose microphone was off already; they need no notice.
    if (this.#local.track(kind) !== null) this.#update({ stoppedByModerator: source });
    if (this.#session) {
      void this.#session.stopByModerator(source);
      return;
    }
    this.#local.disable(kind);
  }

  #onWelcome(
    channel: SignalingChannel,
    data: Extract<ServerNotification, { notification: 'session.welcome' }>['data'],
  ): void {
    const self = data.self;
    this.#session?.close();
    // Away in a breakout room: the welcome's state, but no media.
    const session = this.#away
      ? null
      : new MediaSession(channel, this.#local, this.#view, this.#devices.create);
    this.#session = session;
    session?.on('remote', (remote) => {
      this.#update({ remote });
    });
    session?.on('sourceError', (source) => {
      this.#update({ sourceError: source });
    });
    session?.on('failed', () => {
      // ICE/DTLS failed: rebuild everything over a fresh socket.
      if (this.#channel === channel) channel.close(4000, 'media failed');
    });
    this.#update({
      status: 'connected',
      attempt: 0,
      meeting: data.meeting,
      self,
      others: data.participants.filter((p) => p.id !== self.id),
      chat: data.chat.slice(-MAX_CHAT_HISTORY),
      remote: new Map(),
      locks: data.locks,
      lobby: null,
    });
    this.desk.welcome(data);
    this.presentations.welcome(data);
    this.media.welcome(data);
    this.annotations.welcome(data);
    this.board.welcome(data);
    this.breakouts.welcome(data);
    this.minutes.welcome(data);
    if (!session) return;
    session
      .start(data.routerRtpCapabilities)
      .then(async () => {
        // A share running when the socket dropped goes on over the new one.
        const screen = this.#screen;
        if (screen && this.#session === session && !(await session.shareScreen(screen)))
          this.#endScreen();
      })
      .catch((error: unknown) => {
        if (this.#session !== session) return;
        console.error('media session failed to start', error);
        channel.close(4000, 'media setup failed');
      });
  }

  #upsertParticipant(participant: Participant, joined: boolean): void {
    const { self, others } = this.#snapshot;
    if (self && participant.id === self.id) {
      this.#update({ self: participant });
      return;
    }
    const index = others.findIndex((p) => p.id === participant.id);
    if (index === -1) {
      this.#update({ others: [...others, participant] });
      if (joined) this.emit('participantJoined', participant);
      return;
    }
    const next = [...others];
    next[index] = participant;
    this.#update({ others: next });
  }

  #addChat(message: ChatMessage): void {
    // My own message comes back both as the reply and, possibly, as a notification.
    if (this.#snapshot.chat.some((m) => m.id === message.id)) return;
    this.#update({ chat: [...this.#snapshot.chat, message].slice(-MAX_CHAT_HISTORY) });
    this.emit('chatMessage', message);
  }

  #removeChat(messageId: string): void {
    const chat = this.#snapshot.chat.filter((m) => m.id !== messageId);
    if (chat.length !== this.#snapshot.chat.length) this.#update({ chat });
  }

  #onClose(close: ChannelClose): void {
    this.#channel = null;
    this.#session?.close();
    this.#session = null;
    if (this.#closed || this.#snapshot.status === 'ended') return;
    if (close.code === CLOSE_CODES.admitted) {
      // Let in from the lobby: the meeting socket is a new one, opened at once.
      const message = this.#snapshot.lobby?.message ?? null;
      this.#update({ status: 'connecting', attempt: 0, lobby: { message, admitted: true } });
      this.connect();
      return;
    }
    const final = FINAL_CLOSE_CODES.get(close.code);
    if (final) {
      this.#finish(final);
      return;
    }
    const attempt = this.#snapshot.attempt + 1;
    const delay = RECONNECT_DELAYS_MS[attempt - 1];
    if (delay === undefined) {
      this.#update({ status: 'failed', remote: new Map() });
      return;
    }
    this.#update({ status: 'reconnecting', attempt, remote: new Map() });
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      this.connect();
    }, delay);
  }

  #finish(reason: EndReason): void {
    if (this.#snapshot.status === 'ended') return;
    this.#endScreen();
    this.#session?.close();
    this.#session = null;
    this.#update({ status: 'ended', endReason: reason, remote: new Map() });
    this.emit('ended', reason);
  }

  #update(patch: Partial<MeetingSnapshot>): void {
    this.#snapshot = { ...this.#snapshot, ...patch };
    this.emit('change', this.#snapshot);
  }
}
