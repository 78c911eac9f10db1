import type { MinutesState } from '@konvent/protocol';
import type { DeskContext } from './DeskContext.ts';

/** What the minutes desk needs (filled in by the minutes work). */
export type MinutesDeskDeps = DeskContext;

/**
 * Minutes (C7): the notes (a Yjs document), decisions and action items, and who takes
 * them. Placeholder until the minutes land.
 */
export class MinutesDesk {
  readonly deps: MinutesDeskDeps;

  constructor(deps: MinutesDeskDeps) {
    this.deps = deps;
  }

  /** The minutes as a new socket starts with them. */
  state(meetingId: string): Promise<MinutesState | undefined> {
    return Promise.resolve(meetingId.length < 0 ? { doc: '', items: [], takers: [] } : undefined);
  }

  /**
   * Appends a closed breakout room's notes and items to its main meeting's minutes, under
   * the room's name (called by the breakout desk when the rooms close).
   */
  mergeRoom(parentId: string, roomId: string, roomName: string): Promise<void> {
    this.deps.logger.warn({ parentId, roomId, length: roomName.length }, 'minutes: not merged');
    return Promise.resolve();
  }

  /** Saves unsaved notes (at shutdown). */
  flush(): Promise<void> {
    return Promise.resolve();
  }
}
