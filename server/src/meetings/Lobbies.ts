import type { LobbyEntry } from '@konvent/protocol';
import { AppError } from '../errors/AppError.ts';
import type { Fanout } from './Fanout.ts';
import { Lobby, lobbyKey, type WaitingPerson } from './Lobby.ts';
import type { Meeting } from './Meeting.ts';
import type {
  AuditTrail,
  Clock,
  DomainLogger,
  MeetingRepository,
  ParticipantRecord,
} from './ports.ts';
import { SingleFlight } from './SingleFlight.ts';

/** What the lobbies need. */
export interface LobbiesDeps {
  repo: MeetingRepository;
  fanout: Fanout;
  clock: Clock;
  logger: DomainLogger;
  audit: AuditTrail;
  /** How long someone waiting has to open or reopen their lobby socket. */
  graceMs: number;
  /** The live meeting, if it runs here. */
  live: (meetingId: string) => Meeting | undefined;
  /** The live meeting, loaded if needed. */
  load: (meetingId: string) => Promise<Meeting>;
}

/** Whom a lobby decision is about. */
export type LobbySelection = readonly string[] | 'all';

/**
 * The lobbies of the meetings served here (R3): people who wait, their sockets, and the
 * moderators' decisions on them. A lobby exists independently of the live meeting, since
 * guests often arrive before any moderator. Moderators are told of every change
 * (`lobby.changed`); the people waiting hear only their own outcome and the moderators'
 * message, on a bus key of their own, so nothing said in the meeting reaches them.
 *
 * Ownership: `Map<meetingId, Lobby>`, a lobby dropped when it is empty; `close()` clears all.
 */
export class Lobbies {
  readonly #deps: LobbiesDeps;
  readonly #lobbies = new Map<string, Lobby>();
  readonly #loading = new SingleFlight<Lobby>();

  constructor(deps: LobbiesDeps) {
    this.#deps = deps;
  }

  /** Someone starts waiting (their row is about to be stored as `waiting`). */
  async enqueue(record: ParticipantRecord): Promise<void> {
    const lobby = await this.#lobby(record.meetingId);
    lobby.enqueue(record);
  }

  /** Takes back someone whose waiting could not be stored; nobody was told yet. */
  revoke(meetingId: string, participantId: string): void {
    this.#lobbies.get(meetingId)?.take([participantId]);
    this.#dropIfEmpty(meetingId);
  }

  /** Tells the meeting's moderators (or the listed ones) who waits now and the lobby message. */
  async announce(meetingId: string, to?: string[]): Promise<void> {
    const meeting = this.#deps.live(meetingId);
    if (meeting === undefined) return;
    const moderators = to ?? meeting.moderatorIds();
    if (moderators.length === 0) return;
    const message = this.message(meetingId);
    await this.#deps.fanout.notify(meetingId, moderators, 'lobby.changed', {
      waiting: await this.entries(meetingId),
      ...(message === '' ? {} : { message }),
    });
  }

  /** Who waits, oldest first. */
  async entries(meetingId: string): Promise<LobbyEntry[]> {
    return (await this.#lobby(meetingId)).entries();
  }

  /** The moderators' message to the lobby ('' for none). */
  message(meetingId: string): string {
    return this.#lobbies.get(meetingId)?.message ?? '';
  }

  /** A lobby socket opened; its connection id, or `unauthenticated` if they no longer wait. */
  async attach(meetingId: string, participantId: string): Promise<string> {
    const lobby = await this.#lobby(meetingId);
    const connectionId = lobby.attach(participantId);
    if (connectionId === undefined) throw new AppError('unauthenticated');
    return connectionId;
  }

  /** A lobby socket closed. */
  detach(meetingId: string, participantId: string, connectionId: string): void {
    this.#lobbies.get(meetingId)?.detach(participantId, connectionId);
  }

  /** Whether someone waits (in a lobby loaded here). */
  async isWaiting(meetingId: string, participantId: string): Promise<boolean> {
    return (await this.#lobby(meetingId)).has(participantId);
  }

  /** Someone waiting gives up. */
  async leave(meetingId: string, participantId: string): Promise<void> {
    const [person] = (await this.#lobby(meetingId)).take([participantId]);
    if (person === undefined) return;
    await this.#gone(person, 'left');
  }

  /**
   * A moderator admits people: each is stored as admitted, enters the live meeting (they
   * have the connect grace period to open their meeting socket), is audited, and told on
   * their lobby socket, which closes with `admitted`. Returns who was admitted.
   */
  async admit(actorId: string, meetingId: string, selection: LobbySelection): Promise<string[]> {
    const meeting = await this.#deps.load(meetingId);
    await meeting.requireRight(actorId, 'lobby.admit', 'moderation.lobby_admitted');
    return this.#decide(meetingId, selection, 'admitted', async (person) => {
      meeting.admit({ ...person.record, admission: 'admitted' });
      await this.#record(actorId, meetingId, 'moderation.lobby_admitted', person.record.id);
      await this.#deps.fanout.notify(lobbyKey(meetingId), [person.record.id], 'lobby.admitted', {});
      await this.#deps.fanout.disconnect(lobbyKey(meetingId), [person.record.id], 'admitted');
    });
  }

  /** A moderator denies people: stored as denied (and left), audited, told, socket closed. */
  async deny(actorId: string, meetingId: string, selection: LobbySelection): Promise<string[]> {
    const meeting = await this.#deps.load(meetingId);
    await meeting.requireRight(actorId, 'lobby.deny', 'moderation.lobby_denied');
    return this.#decide(meetingId, selection, 'denied', async (person) => {
      await this.#record(actorId, meetingId, 'moderation.lobby_denied', person.record.id);
      await this.#deps.fanout.disconnect(lobbyKey(meetingId), [person.record.id], 'denied');
    });
  }

  /** A moderator sets the message everyone waiting sees ('' clears it); audited without the text. */
  async setMessage(actorId: string, meetingId: string, text: string): Promise<void> {
    const meeting = await this.#deps.load(meetingId);
    await meeting.requireRight(actorId, 'lobby.message', 'moderation.lobby_message');
    const lobby = await this.#lobby(meetingId);
    lobby.message = text;
    await this.#record(actorId, meetingId, 'moderation.lobby_message', meetingId, {
      length: lobby.message.length,
    });
    await this.#deps.fanout.notify(lobbyKey(meetingId), 'all', 'lobby.waiting', {
      ...(lobby.message === '' ? {} : { message: lobby.message }),
    });
    // The other moderators see the new message too.
    await this.announce(meetingId);
    this.#dropIfEmpty(meetingId);
  }

  /** The meeting ended: everyone waiting is told and their sockets close. */
  ended(meetingId: string): void {
    const lobby = this.#lobbies.get(meetingId);
    lobby?.close();
    this.#lobbies.delete(meetingId);
    this.#deps.fanout.disconnect(lobbyKey(meetingId), 'all', 'ended').catch((error: unknown) => {
      this.#deps.logger.warn({ err: error, meetingId }, 'could not close the lobby');
    });
  }

  /** Clears every lobby's timers (shutdown); the queues stay in the repository. */
  close(): void {
    for (const lobby of this.#lobbies.values()) lobby.close();
    this.#lobbies.clear();
  }

  async #decide(
    meetingId: string,
    selection: LobbySelection,
    admission: 'admitted' | 'denied',
    then: (person: WaitingPerson) => Promise<void>,
  ): Promise<string[]> {
    const lobby = await this.#lobby(meetingId);
    const people = lobby.take(selection);
    const decided: string[] = [];
    try {
      while (people.length > 0) {
        const person = people[0];
        if (person === undefined) break;
        const now = this.#deps.clock.now();
        // False when someone else decided first (another moderator, another process).
        const stored = await this.#deps.repo.decideAdmission(person.record.id, admission, now);
        // Stored (or decided elsewhere): no longer waiting, whatever happens next.
        people.shift();
        if (!stored) continue;
        decided.push(person.record.id);
        await then(person);
      }
    } finally {
      // Whoever could not be decided waits on.
      for (const person of people) lobby.restore(person);
      this.#dropIfEmpty(meetingId);
      this.#closeMeetingIfEmpty(meetingId);
      await this.announce(meetingId);
    }
    return decided;
  }

  /** Records that someone left the lobby on their own or by timing out, and tells moderators. */
  async #gone(person: WaitingPerson, reason: 'left' | 'timeout'): Promise<void> {
    const { meetingId, id } = person.record;
    this.#dropIfEmpty(meetingId);
    await this.#deps.repo.markParticipantLeft(id, this.#deps.clock.now());
    await this.#deps.audit.record({
      action: 'meeting.left',
      actor: { kind: 'participant', id },
      meetingId,
      target: id,
      outcome: 'success',
      details: { reason, lobby: true },
    });
    this.#closeMeetingIfEmpty(meetingId);
    await this.announce(meetingId);
  }

  /**
   * A meeting loaded only because someone arrived to wait, with nobody in it and nobody
   * waiting any more, is closed here as empty (it loads again with the next arrival).
   */
  #closeMeetingIfEmpty(meetingId: string): void {
    const meeting = this.#deps.live(meetingId);
    if (meeting !== undefined && meeting.size === 0 && !this.#lobbies.has(meetingId))
      meeting.close('empty');
  }

  async #record(
    actorId: string,
    meetingId: string,
    action: 'moderation.lobby_admitted' | 'moderation.lobby_denied' | 'moderation.lobby_message',
    target: string,
    details?: Record<string, number>,
  ): Promise<void> {
    await this.#deps.audit.record({
      action,
      actor: { kind: 'participant', id: actorId },
      meetingId,
      target,
      outcome: 'success',
      ...(details === undefined ? {} : { details }),
    });
  }

  async #lobby(meetingId: string): Promise<Lobby> {
    const existing = this.#lobbies.get(meetingId);
    if (existing !== undefined) return existing;
    return this.#loading.run(meetingId, () =>
      this.#deps.repo.listWaiting(meetingId).then((waiting) => {
        const raced = this.#lobbies.get(meetingId);
        if (raced !== undefined) return raced;
        const lobby = new Lobby(meetingId, waiting, {
          graceMs: this.#deps.graceMs,
          onGone: (person) => {
            this.#gone(person, 'timeout').catch((error: unknown) => {
              this.#deps.logger.error(
                { err: error, meetingId },
                'could not record someone leaving the lobby',
              );
            });
          },
        });
        this.#lobbies.set(meetingId, lobby);
        return lobby;
      }),
    );
  }

  #dropIfEmpty(meetingId: string): void {
    const lobby = this.#lobbies.get(meetingId);
    if (lobby !== undefined && lobby.size === 0 && lobby.message === '')
      this.#lobbies.delete(meetingId);
  }
}
