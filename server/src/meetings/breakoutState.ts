/** The state of a running breakout session and the pure steps on it (see `BreakoutDesk`). */
import { randomInt } from 'node:crypto';
import type { BreakoutRoomRequest, BreakoutState, Participant } from '@konvent/protocol';
import { AppError } from '../errors/AppError.ts';
import type { StoredBreakout } from './ports.ts';

/** Where someone from the main meeting sits now: the room and their participant id there. */
export interface Entered {
  roomId: string;
  childId: string;
}

/** A running breakout session of one main meeting, as this process holds it. */
export interface Running {
  rooms: { id: string; name: string }[];
  /** Main meeting participant id → room id. */
  assignment: Map<string, string>;
  entered: Map<string, Entered>;
  startedAt: string;
  endsAt: string;
  allowChoose: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** The people the moderator listed, by room index; each must be here and listed once. */
export function placeListed(
  rooms: BreakoutRoomRequest[],
  present: Map<string, Participant>,
): Map<string, number> {
  const picks = new Map<string, number>();
  rooms.forEach((room, index) => {
    for (const pid of room.participantIds) {
      if (!present.has(pid))
        throw new AppError('bad_request', `Participant ${pid} is not in the meeting.`);
      if (picks.has(pid))
        throw new AppError('bad_request', `Participant ${pid} is listed in two rooms.`);
      picks.set(pid, index);
    }
  });
  return picks;
}

/** Everyone not listed (moderators excepted) goes to the emptiest room, in random order. */
export function placeAtRandom(
  picks: Map<string, number>,
  roomCount: number,
  present: Map<string, Participant>,
): void {
  const rest = [...present.values()]
    .filter((p) => p.role !== 'moderator' && !picks.has(p.id))
    .map((p) => p.id);
  for (let i = rest.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [rest[i], rest[j]] = [rest[j] ?? '', rest[i] ?? ''];
  }
  const sizes = Array.from({ length: roomCount }, () => 0);
  for (const index of picks.values()) sizes[index] = (sizes[index] ?? 0) + 1;
  for (const pid of rest) {
    const smallest = sizes.indexOf(Math.min(...sizes));
    picks.set(pid, smallest);
    sizes[smallest] = (sizes[smallest] ?? 0) + 1;
  }
}

export function toWire(run: Running): BreakoutState {
  return {
    rooms: run.rooms.map((room) => ({
      ...room,
      participantIds: [...run.assignment]
        .filter(([, roomId]) => roomId === room.id)
        .map(([pid]) => pid),
    })),
    startedAt: run.startedAt,
    endsAt: run.endsAt,
    allowChoose: run.allowChoose,
  };
}

export function toStored(run: Running): StoredBreakout {
  return {
    rooms: run.rooms,
    assignment: Object.fromEntries(run.assignment),
    entered: Object.fromEntries(run.entered),
    startedAt: run.startedAt,
    endsAt: run.endsAt,
    allowChoose: run.allowChoose,
  };
}

export function fromStored(state: StoredBreakout): Running {
  return {
    rooms: state.rooms,
    assignment: new Map(Object.entries(state.assignment)),
    entered: new Map(Object.entries(state.entered ?? {})),
    startedAt: state.startedAt,
    endsAt: state.endsAt,
    allowChoose: state.allowChoose,
    timer: undefined,
  };
}
