import type { WhiteboardElement } from '@konvent/protocol';
import { MAX_WHITEBOARD_ELEMENTS_PER_UPDATE } from '@konvent/protocol';
import type { ServerNotification, SignalingChannel } from './SignalingChannel.ts';
import { TypedEmitter } from './TypedEmitter.ts';

/** How often local changes are sent at most. */
const SEND_INTERVAL_MS = 100;
/** JSON bytes per update frame, well under the server's 64 KiB frame limit. */
const FRAME_BUDGET_BYTES = 48 * 1024;

/** What the whiteboard view renders besides the drawing itself. */
export interface BoardSnapshot {
  /** Participants a moderator allowed to draw (moderators and presenters draw anyway). */
  drawers: ReadonlySet<string>;
  /** Why the server refused my last change (its error, for `apiErrorKey`); null if none. */
  refused: unknown;
}

interface BoardEvents {
  change: [BoardSnapshot];
  /** Elements others changed (already newer than what this client knew). */
  remote: [readonly WhiteboardElement[]];
  /**
   * The server refused my changes of these elements: the view puts back the server's copy
   * (`element`), or removes an element the server never had (`element` undefined).
   */
  revert: [readonly { id: string; element: WhiteboardElement | undefined }[]];
}

type WelcomeData = Extract<ServerNotification, { notification: 'session.welcome' }>['data'];

/** Whether `a` replaces `b` (the server's and Excalidraw's rule: version, then lower nonce). */
export function isNewer(a: WhiteboardElement, b: WhiteboardElement | undefined): boolean {
  if (b === undefined) return true;
  return a.version > b.version || (a.version === b.version && a.versionNonce < b.versionNonce);
}

/**
 * The meeting's whiteboard as this browser knows it: every element (from the welcome and
 * `whiteboard.changed`), who may draw, and my changes, sent at most every 100 ms and only
 * the elements whose version changed, in frames under the signalling limit. It outlives
 * sockets like the ModerationDesk; the server decides who may draw.
 */
export class WhiteboardSync extends TypedEmitter<BoardEvents> {
  readonly #channel: () => SignalingChannel;
  readonly #known = new Map<string, WhiteboardElement>();
  /** What the server holds, as far as this client knows (welcome, changes, accepted sends). */
  readonly #confirmed = new Map<string, WhiteboardElement>();
  readonly #pending = new Map<string, WhiteboardElement>();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #snapshot: BoardSnapshot = { drawers: new Set(), refused: null };

  /** `channel` answers the connected channel or throws. */
  constructor(channel: () => SignalingChannel) {
    super();
    this.#channel = channel;
  }

  /** The current state (stable between changes, for useSyncExternalStore). */
  getSnapshot = (): BoardSnapshot => this.#snapshot;

  /** Subscribes to state changes; returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => this.on('change', listener);

  /** Every element known, for a board that opens. */
  elements(): WhiteboardElement[] {
    return [...this.#known.values()];
  }

  /** Takes the board from a welcome (after a reconnect too: newer elements are merged). */
  welcome(data: WelcomeData): void {
    const board = data.whiteboard ?? { elements: [], drawers: [] };
    this.#merge(board.elements);
    this.#update({ drawers: new Set(board.drawers) });
  }

  /** Handles the whiteboard's notifications; false for all others. */
  handle(n: ServerNotification): boolean {
    switch (n.notification) {
      case 'whiteboard.changed':
        this.#merge(n.data.elements);
        return true;
      case 'whiteboard.allowed': {
        const drawers = new Set(this.#snapshot.drawers);
        if (n.data.allowed) drawers.add(n.data.participantId);
        else drawers.delete(n.data.participantId);
        this.#update({ drawers });
        return true;
      }
      default:
        return false;
    }
  }

  /** The scene changed here: elements newer than known are sent (throttled). */
  local(elements: readonly WhiteboardElement[]): void {
    for (const element of elements) {
      if (!isNewer(element, this.#known.get(element.id))) continue;
      this.#known.set(element.id, element);
      this.#pending.set(element.id, element);
    }
    if (this.#pending.size > 0 && this.#timer === null)
      this.#timer = setTimeout(this.#flush, SEND_INTERVAL_MS);
  }

  /** Grants or revokes someone's right to draw (moderators only; the server enforces it). */
  async allow(participantId: string, allowed: boolean): Promise<void> {
    await this.#channel().request('moderation.allowDraw', { participantId, allowed });
  }

  /** Forgets the last refusal (the person closed the notice). */
  dismissRefusal(): void {
    this.#update({ refused: null });
  }

  readonly #flush = (): void => {
    this.#timer = null;
    const elements = [...this.#pending.values()];
    this.#pending.clear();
    let frame: WhiteboardElement[] = [];
    let bytes = 0;
    const frames: WhiteboardElement[][] = [];
    for (const element of elements) {
      const size = JSON.stringify(element).length;
      if (
        frame.length > 0 &&
        (bytes + size > FRAME_BUDGET_BYTES || frame.length >= MAX_WHITEBOARD_ELEMENTS_PER_UPDATE)
      ) {
        frames.push(frame);
        frame = [];
        bytes = 0;
      }
      frame.push(element);
      bytes += size;
    }
    if (frame.length > 0) frames.push(frame);
    for (const chunk of frames) void this.#send(chunk);
  };

  async #send(elements: WhiteboardElement[]): Promise<void> {
    try {
      await this.#channel().request('whiteboard.update', { elements });
      for (const element of elements) {
        if (isNewer(element, this.#confirmed.get(element.id)))
          this.#confirmed.set(element.id, element);
      }
      if (this.#snapshot.refused !== null) this.#update({ refused: null });
    } catch (error) {
      // Nobody else sees these changes: the board goes back to what the server holds.
      const reverted = elements.map(({ id }) => ({ id, element: this.#confirmed.get(id) }));
      for (const { id, element } of reverted) {
        if (element === undefined) this.#known.delete(id);
        else this.#known.set(id, element);
      }
      this.#update({ refused: error });
      this.emit('revert', reverted);
    }
  }

  #merge(elements: readonly WhiteboardElement[]): void {
    for (const element of elements) {
      if (isNewer(element, this.#confirmed.get(element.id)))
        this.#confirmed.set(element.id, element);
    }
    const newer = elements.filter((e) => isNewer(e, this.#known.get(e.id)));
    for (const element of newer) this.#known.set(element.id, element);
    if (newer.length > 0) this.emit('remote', newer);
  }

  #update(changes: Partial<BoardSnapshot>): void {
    this.#snapshot = { ...this.#snapshot, ...changes };
    this.emit('change', this.#snapshot);
  }
}
