import {
  MAX_WHITEBOARD_BYTES,
  MAX_WHITEBOARD_ELEMENT_BYTES,
  MAX_WHITEBOARD_ELEMENTS,
  type Participant,
  type WhiteboardElement,
  type WhiteboardState,
} from '@konvent/protocol';
import { AppError } from '../errors/AppError.ts';
import type { DeskContext } from './DeskContext.ts';
import { isAllowed } from './permissions.ts';
import type { WhiteboardRepository } from './ports.ts';

/** How long after the last change a board is saved. */
const DEFAULT_SAVE_DELAY_MS = 1000;

/** What the desk needs. */
export interface WhiteboardDeskDeps extends DeskContext {
  repo: WhiteboardRepository;
  saveDelayMs?: number;
}

/** One meeting's board in memory: element id → element (with its JSON size). */
interface Board {
  elements: Map<string, { element: WhiteboardElement; bytes: number }>;
  bytes: number;
  /** Granted drawing by a moderator (in memory, like a granted screen share). */
  drawers: Set<string>;
  timer: NodeJS.Timeout | undefined;
}

/**
 * The whiteboard of each meeting running here (issue 6, item 3): elements merged by version
 * (as Excalidraw reconciles: the higher `version` wins, a tie goes to the lower
 * `versionNonce`), bounded in count and size, fanned out to everyone else and saved sealed
 * (debounced, and when the meeting closes), so it survives reloads and restarts.
 *
 * Who may draw: moderators and presenters (`whiteboard.draw`), and whom a moderator allowed
 * (`moderation.allowDraw`, audited). Anyone else's update is `forbidden` with nothing
 * applied; it is observed for metrics but not audited, so a scribbling client cannot flood
 * the audit trail.
 */
export class WhiteboardDesk {
  readonly #deps: WhiteboardDeskDeps;
  readonly #boards = new Map<string, Promise<Board>>();
  /** Saves in flight, so a reload waits for the last one. */
  readonly #saving = new Map<string, Promise<void>>();

  constructor(deps: WhiteboardDeskDeps) {
    this.#deps = deps;
    deps.events.on('participantLeft', ({ meetingId, participantId }) => {
      void this.#boards.get(meetingId)?.then((board) => board.drawers.delete(participantId));
    });
    deps.events.on('meetingClosed', ({ meetingId }) => {
      const board = this.#boards.get(meetingId);
      this.#boards.delete(meetingId);
      void board?.then((b) => {
        if (b.timer !== undefined) this.#save(meetingId, b);
      });
    });
  }

  /** The board for a new socket: every element and who was allowed to draw. */
  async state(meetingId: string): Promise<WhiteboardState> {
    const board = await this.#board(meetingId);
    return {
      elements: [...board.elements.values()].map((e) => e.element),
      drawers: [...board.drawers],
    };
  }

  /**
   * Applies someone's changed elements: `forbidden` without the right, `payload_too_large`
   * for an element or a board beyond the bounds (nothing applied either way). Elements
   * older than the board's copy are ignored; the rest go to everyone else.
   */
  async update(actorId: string, meetingId: string, elements: WhiteboardElement[]): Promise<void> {
    await this.assertMayDraw(actorId, meetingId);
    const board = await this.#board(meetingId);
    const accepted = new Map<string, { element: WhiteboardElement; bytes: number }>();
    let bytes = board.bytes;
    for (const element of elements) {
      const size = Buffer.byteLength(JSON.stringify(element));
      if (size > MAX_WHITEBOARD_ELEMENT_BYTES)
        throw new AppError('payload_too_large', 'A whiteboard element is too large.');
      const current = accepted.get(element.id) ?? board.elements.get(element.id);
      if (current !== undefined && !newer(element, current.element)) continue;
      bytes += size - (current?.bytes ?? 0);
      accepted.set(element.id, { element, bytes: size });
    }
    const count =
      board.elements.size + [...accepted.keys()].filter((id) => !board.elements.has(id)).length;
    if (count > MAX_WHITEBOARD_ELEMENTS || bytes > MAX_WHITEBOARD_BYTES)
      throw new AppError('payload_too_large', 'The whiteboard is full.');
    if (accepted.size === 0) return;
    for (const [id, entry] of accepted) board.elements.set(id, entry);
    board.bytes = bytes;
    this.#schedule(meetingId, board);
    await this.#deps.fanout.notify(
      meetingId,
      'all',
      'whiteboard.changed',
      { elements: [...accepted.values()].map((e) => e.element), from: actorId },
      actorId,
    );
  }

  /**
   * Refuses (`forbidden`) someone who may not draw: not a moderator or presenter, and not
   * allowed by a moderator. Observed for metrics, not audited (a scribbling client would
   * flood the trail). Annotations on presentation pages follow the same right; the actor's
   * wire view is returned for the caller's further checks.
   */
  async assertMayDraw(
    actorId: string,
    meetingId: string,
    action = 'whiteboard.draw',
  ): Promise<Participant> {
    const meeting = await this.#deps.load(meetingId);
    const actor = meeting.view(actorId);
    if (actor === undefined) throw new AppError('unauthenticated');
    const board = await this.#board(meetingId);
    if (!isAllowed(actor.role, 'whiteboard.draw') && !board.drawers.has(actorId)) {
      this.#deps.observer.emit('actionDenied', { meetingId, participantId: actorId, action });
      throw new AppError('forbidden', 'A moderator has not allowed you to draw.');
    }
    return actor;
  }

  /** A moderator grants or revokes someone's right to draw (audited either way). */
  async allow(actorId: string, meetingId: string, targetId: string, allowed: boolean) {
    const meeting = await this.#deps.load(meetingId);
    const audit = 'moderation.draw_allowed';
    await meeting.requireRight(actorId, 'moderation.allowDraw', audit, targetId);
    if (meeting.view(targetId) === undefined)
      throw new AppError('bad_request', 'The participant is not in the meeting.');
    const board = await this.#board(meetingId);
    if (board.drawers.has(targetId) === allowed) return;
    await this.#deps.audit.record({
      action: audit,
      actor: { kind: 'participant', id: actorId },
      meetingId,
      target: targetId,
      outcome: 'success',
      details: { allowed },
    });
    if (allowed) board.drawers.add(targetId);
    else board.drawers.delete(targetId);
    await this.#deps.fanout.notify(meetingId, 'all', 'whiteboard.allowed', {
      participantId: targetId,
      allowed,
    });
  }

  /** Saves every board with unsaved changes now (at shutdown). */
  async flush(): Promise<void> {
    for (const [meetingId, pending] of this.#boards) {
      const board = await pending;
      if (board.timer !== undefined) this.#save(meetingId, board);
    }
    await Promise.all(this.#saving.values());
  }

  #board(meetingId: string): Promise<Board> {
    let board = this.#boards.get(meetingId);
    if (board === undefined) {
      board = this.#read(meetingId);
      this.#boards.set(meetingId, board);
      // A failed read is tried again by the next caller.
      board.catch(() => {
        if (this.#boards.get(meetingId) === board) this.#boards.delete(meetingId);
      });
    }
    return board;
  }

  async #read(meetingId: string): Promise<Board> {
    await this.#saving.get(meetingId);
    const stored = await this.#deps.repo.load(meetingId);
    const board: Board = { elements: new Map(), bytes: 0, drawers: new Set(), timer: undefined };
    const elements = stored === undefined ? [] : (JSON.parse(stored) as WhiteboardElement[]);
    for (const element of elements) {
      const bytes = Buffer.byteLength(JSON.stringify(element));
      board.elements.set(element.id, { element, bytes });
      board.bytes += bytes;
    }
    return board;
  }

  #schedule(meetingId: string, board: Board): void {
    clearTimeout(board.timer);
    board.timer = setTimeout(() => {
      this.#save(meetingId, board);
    }, this.#deps.saveDelayMs ?? DEFAULT_SAVE_DELAY_MS);
    board.timer.unref();
  }

  /** Saves the board now (after any save in flight); failures are logged. */
  #save(meetingId: string, board: Board): void {
    clearTimeout(board.timer);
    board.timer = undefined;
    const state = JSON.stringify([...board.elements.values()].map((e) => e.element));
    const previous = this.#saving.get(meetingId) ?? Promise.resolve();
    const saving = previous
      .then(() => this.#deps.repo.save(meetingId, state, this.#deps.clock.now()))
      .catch((error: unknown) => {
        this.#deps.logger.error({ err: error, meetingId }, 'could not save a whiteboard');
      })
      .finally(() => {
        if (this.#saving.get(meetingId) === saving) this.#saving.delete(meetingId);
      });
    this.#saving.set(meetingId, saving);
  }
}

/** Whether `a` replaces `b`: a higher version, or the same version with a lower nonce. */
function newer(a: WhiteboardElement, b: WhiteboardElement): boolean {
  return a.version > b.version || (a.version === b.version && a.versionNonce < b.versionNonce);
}
