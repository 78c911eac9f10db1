import type {
  BreakoutAssignMode,
  BreakoutBroadcast,
  BreakoutEnterReply,
  BreakoutRoomRequest,
  BreakoutState,
} from '@konvent/protocol';
import { request } from '../api/request.ts';
import type { ServerNotification, SignalingChannel } from './SignalingChannel.ts';
import { TypedEmitter } from './TypedEmitter.ts';

/** What the breakout UI renders. */
export interface BreakoutSnapshot {
  /** The running rooms and who is assigned where; null when none run. */
  breakout: BreakoutState | null;
  /** The latest moderator broadcast not yet dismissed here; null when there is none. */
  broadcast: BreakoutBroadcast | null;
}

type WelcomeData = Extract<ServerNotification, { notification: 'session.welcome' }>['data'];

/**
 * The main meeting's breakout rooms as this browser knows them (C5, issue 7): the rooms and
 * their members from the welcome and `breakout.changed`, the moderators' broadcasts, and
 * the commands (start, move, choose, broadcast, end, enter). Fed by the MAIN meeting's
 * client, which stays connected while its person is in a room. The server decides who may;
 * this only forwards.
 */
export class BreakoutStore extends TypedEmitter<{
  change: [BreakoutSnapshot];
  broadcast: [BreakoutBroadcast];
}> {
  readonly #meetingId: string;
  readonly #channel: () => SignalingChannel;
  #snapshot: BreakoutSnapshot = { breakout: null, broadcast: null };

  /** `channel` answers the connected channel or throws (as MeetingClient's commands do). */
  constructor(meetingId: string, channel: () => SignalingChannel) {
    super();
    this.#meetingId = meetingId;
    this.#channel = channel;
  }

  /** The current state (stable between changes, for useSyncExternalStore). */
  getSnapshot = (): BreakoutSnapshot => this.#snapshot;

  /** Subscribes to state changes; returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => this.on('change', listener);

  /** Takes the running rooms from a welcome (absent: none run). */
  welcome(data: WelcomeData): void {
    this.#update({ breakout: data.breakout ?? null });
  }

  /** Handles `breakout.changed` and `breakout.broadcast`; false for every other notification. */
  handle(n: ServerNotification): boolean {
    switch (n.notification) {
      case 'breakout.changed':
        // New rooms: a message to the last ones is no longer news.
        if (this.#snapshot.breakout === null && n.data.breakout !== null)
          this.#update({ breakout: n.data.breakout, broadcast: null });
        else this.#update({ breakout: n.data.breakout });
        return true;
      case 'breakout.broadcast':
        this.#update({ broadcast: n.data });
        this.emit('broadcast', n.data);
        return true;
      default:
        return false;
    }
  }

  /** Hides the broadcast notice. */
  dismissBroadcast(): void {
    if (this.#snapshot.broadcast !== null) this.#update({ broadcast: null });
  }

  /** The room a main meeting participant is assigned to, or null. */
  roomOf(participantId: string): string | null {
    const rooms = this.#snapshot.breakout?.rooms ?? [];
    return rooms.find((room) => room.participantIds.includes(participantId))?.id ?? null;
  }

  /** Moderators: opens the rooms. */
  async start(
    rooms: BreakoutRoomRequest[],
    durationMinutes: number,
    assign: BreakoutAssignMode,
  ): Promise<void> {
    const { breakout } = await this.#channel().request('breakout.start', {
      rooms,
      durationMinutes,
      assign,
    });
    this.#update({ breakout });
  }

  /** Moderators: moves someone to a room, or (`null`) back to the main room. */
  async move(participantId: string, roomId: string | null): Promise<void> {
    await this.#channel().request('breakout.move', { participantId, roomId });
  }

  /** Anyone, while rooms may be chosen: goes to this room. */
  async choose(roomId: string): Promise<void> {
    await this.#channel().request('breakout.choose', { roomId });
  }

  /** Moderators: a message to every room and the main room. */
  async broadcast(text: string): Promise<void> {
    await this.#channel().request('breakout.broadcast', { text });
  }

  /** Moderators: closes every room now. */
  async end(): Promise<void> {
    await this.#channel().request('breakout.end', {});
  }

  /**
   * Enters a room with the main meeting's session: the server sets the room's cookie, so a
   * MeetingClient for `reply.meetingId` can connect next. Failures are an `ApiError`
   * (`forbidden`: not my room; `conflict`: no rooms run).
   */
  enter(roomId: string): Promise<BreakoutEnterReply> {
    const path = `/api/meetings/${encodeURIComponent(this.#meetingId)}/breakouts/${encodeURIComponent(roomId)}/enter`;
    // The meeting cookie speaks here, not an account the browser may also be signed in to.
    return request<BreakoutEnterReply>('POST', path, {}, { csrf: 'never', accountSession: false });
  }

  #update(patch: Partial<BreakoutSnapshot>): void {
    this.#snapshot = { ...this.#snapshot, ...patch };
    this.emit('change', this.#snapshot);
  }
}
