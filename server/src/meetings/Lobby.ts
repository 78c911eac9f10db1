import type { Arrival, LobbyEntry } from '@konvent/protocol';
import type { ParticipantRecord } from './ports.ts';
import { newId } from './secrets.ts';

/** The bus key of a meeting's lobby sockets: nothing sent to the meeting reaches them. */
export function lobbyKey(meetingId: string): string {
  return `${meetingId}.lobby`;
}

/** Someone waiting, as the lobby tracks them. */
export interface WaitingPerson {
  readonly record: ParticipantRecord;
  readonly since: Date;
  /** The current lobby socket's id; undefined while none is open. */
  connectionId: string | undefined;
  /** Grace timer that turns someone who went away into someone who left the lobby. */
  timer: NodeJS.Timeout | undefined;
}

/** What a lobby needs from its owner. */
export interface LobbyDeps {
  /** How long someone has to open (or reopen) their lobby socket. */
  graceMs: number;
  /** Someone's grace ran out; the owner records that they left. */
  onGone: (person: WaitingPerson) => void;
}

/**
 * The people waiting to enter one meeting, and the moderators' message to them. In memory
 * on the process that serves the meeting; who waits is also in the repository (admission
 * `waiting`), so a restarted process rebuilds the queue and people reconnect to it. The
 * message lives only here: after a restart the moderators write it again.
 *
 * Ownership: `Lobbies` holds one per meeting with someone waiting; each person's grace
 * timer is cleared when they leave the lobby either way. `close()` clears them all.
 */
export class Lobby {
  readonly meetingId: string;
  readonly #deps: LobbyDeps;
  readonly #waiting = new Map<string, WaitingPerson>();
  #message = '';

  constructor(meetingId: string, waiting: ParticipantRecord[], deps: LobbyDeps) {
    this.meetingId = meetingId;
    this.#deps = deps;
    for (const record of waiting) this.enqueue(record);
  }

  /** How many wait. */
  get size(): number {
    return this.#waiting.size;
  }

  /** The moderators' message ('' for none). */
  get message(): string {
    return this.#message;
  }

  set message(text: string) {
    this.#message = text.trim();
  }

  /** Someone starts waiting; they have the grace period to open their socket. */
  enqueue(record: ParticipantRecord): void {
    const person: WaitingPerson = {
      record,
      since: record.joinedAt,
      connectionId: undefined,
      timer: undefined,
    };
    this.#waiting.set(record.id, person);
    this.#startTimer(person);
  }

  /** Whether this person waits here. */
  has(participantId: string): boolean {
    return this.#waiting.has(participantId);
  }

  /** A lobby socket opened; returns its connection id (an older one is replaced). */
  attach(participantId: string): string | undefined {
    const person = this.#waiting.get(participantId);
    if (person === undefined) return undefined;
    clearTimeout(person.timer);
    person.timer = undefined;
    person.connectionId = newId();
    return person.connectionId;
  }

  /** A lobby socket closed; if it was the current one, the grace period starts. */
  detach(participantId: string, connectionId: string): void {
    const person = this.#waiting.get(participantId);
    if (person?.connectionId !== connectionId) return;
    person.connectionId = undefined;
    this.#startTimer(person);
  }

  /** Takes people out of the queue (for admission, denial or leaving); unknown ids are skipped. */
  take(ids: readonly string[] | 'all'): WaitingPerson[] {
    const chosen = ids === 'all' ? [...this.#waiting.keys()] : [...new Set(ids)];
    const taken: WaitingPerson[] = [];
    for (const id of chosen) {
      const person = this.#waiting.get(id);
      if (person === undefined) continue;
      clearTimeout(person.timer);
      person.timer = undefined;
      this.#waiting.delete(id);
      taken.push(person);
    }
    return taken;
  }

  /** Puts back someone whose admission or denial could not be stored. */
  restore(person: WaitingPerson): void {
    if (this.#waiting.has(person.record.id)) return;
    this.#waiting.set(person.record.id, person);
    if (person.connectionId === undefined) this.#startTimer(person);
  }

  /** The queue as moderators see it, oldest first. */
  entries(): LobbyEntry[] {
    return [...this.#waiting.values()]
      .sort((a, b) => a.since.getTime() - b.since.getTime())
      .map((person) => ({
        id: person.record.id,
        displayName: person.record.displayName,
        arrival: publicArrival(person.record),
        waitingSince: person.since.toISOString(),
      }));
  }

  /** Clears every timer (shutdown, or the meeting ended). */
  close(): void {
    for (const person of this.#waiting.values()) clearTimeout(person.timer);
    this.#waiting.clear();
  }

  #startTimer(person: WaitingPerson): void {
    clearTimeout(person.timer);
    person.timer = setTimeout(() => {
      person.timer = undefined;
      if (person.connectionId !== undefined || this.#waiting.get(person.record.id) !== person)
        return;
      this.#waiting.delete(person.record.id);
      this.#deps.onGone(person);
    }, this.#deps.graceMs);
    person.timer.unref();
  }
}

/** How someone arrived, as moderators are told (the moderator link never waits). */
function publicArrival(record: ParticipantRecord): Arrival {
  const arrival = record.arrival ?? 'link';
  // Nobody waits to enter a breakout room; the mapping keeps the type total.
  return arrival === 'moderator_link' || arrival === 'breakout' ? 'account' : arrival;
}
