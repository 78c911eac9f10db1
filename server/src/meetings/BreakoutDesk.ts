import type {
  BreakoutAssignMode,
  BreakoutRoomRequest,
  BreakoutState,
  Participant,
} from '@konvent/protocol';
import { AppError } from '../errors/AppError.ts';
import {
  fromStored,
  placeAtRandom,
  placeListed,
  toStored,
  toWire,
  type Entered,
  type Running,
} from './breakoutState.ts';
import type { Fanout } from './Fanout.ts';
import type { MeetingEvents } from './events.ts';
import type { Meeting } from './Meeting.ts';
import type {
  AuditTrail,
  BreakoutRepository,
  Clock,
  DomainLogger,
  MeetingAuditEvent,
  MeetingRepository,
  ParticipantRecord,
  RequestContext,
} from './ports.ts';
import { hashSecret, newId, newToken } from './secrets.ts';
import type { TypedEmitter } from './TypedEmitter.ts';

/** What the breakout desk needs from the meeting service. */
export interface BreakoutDeskDeps {
  repo: MeetingRepository;
  breakouts: BreakoutRepository;
  fanout: Fanout;
  audit: AuditTrail;
  clock: Clock;
  logger: DomainLogger;
  events: TypedEmitter<MeetingEvents>;
  load: (meetingId: string) => Promise<Meeting>;
  live: (meetingId: string) => Meeting | undefined;
  /** Merges a closed room's minutes into its main meeting's (the minutes desk). */
  mergeMinutes: (parentId: string, roomId: string, roomName: string) => Promise<void>;
  /** How long a "minute" of `durationMinutes` lasts (60 000 ms; shorter in tests). */
  minuteMs: number;
}

/** Why the rooms closed, as the audit trail records it. */
type CloseReason = 'time' | 'moderator' | 'meeting_ended';

/** What entering a room gives the caller; `sessionSecret` goes into the room's cookie. */
export interface EnteredRoom {
  meetingId: string;
  participantId: string;
  role: Participant['role'];
  title: string;
  sessionSecret: string;
}

/**
 * Breakout rooms (C5). A moderator opens rooms for a set time; each room is a meeting of
 * its own (own media router, chat, whiteboard, minutes) whose record names the main
 * meeting as its parent, with the main meeting's policy (without passcode) and locks. Its
 * link tokens are random and thrown away: the only way in is `enter`, with a session of
 * the main meeting, for the people assigned to the room and for moderators (who may visit
 * any room). Each person keeps their main meeting session (and socket, without media)
 * while in a room, so the timer, broadcasts and moves reach them there.
 *
 * The running sessions live in memory on the process that runs the main meeting and are
 * stored sealed (`BreakoutRepository`), so a restart resumes them (`resume`). Operations on
 * one main meeting run one after another. When the time is up, a moderator ends them or
 * the main meeting ends, every room's minutes are merged into the main meeting's, the
 * rooms end (their sockets close with `breakout_ended`) and the people return.
 */
export class BreakoutDesk {
  readonly #deps: BreakoutDeskDeps;
  readonly #running = new Map<string, Running>();
  /** Room id → main meeting id, for the rooms running. */
  readonly #parents = new Map<string, string>();
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(deps: BreakoutDeskDeps) {
    this.#deps = deps;
    deps.events.on('participantLeft', ({ meetingId, participantId }) => {
      this.#left(meetingId, participantId);
    });
    deps.events.on('meetingClosed', ({ meetingId, reason }) => {
      if (reason === 'shutdown' || !this.#running.has(meetingId)) return;
      // Everyone left the main meeting (or it ended): nobody is left to come back.
      this.#background(meetingId, () => this.#close(meetingId, 'meeting_ended'));
    });
  }

  /** Loads the stored sessions at start-up and sets their timers (past ones close now). */
  async resume(): Promise<void> {
    for (const { meetingId, state } of await this.#deps.breakouts.list()) {
      if (this.#running.has(meetingId)) continue;
      this.#install(meetingId, fromStored(state));
    }
  }

  /** What a new socket of this meeting starts with: the rooms (main) or its room (a room). */
  welcome(meetingId: string): {
    breakout?: BreakoutState;
    room?: { parentId: string; endsAt: string };
  } {
    const run = this.#running.get(meetingId);
    if (run !== undefined) return { breakout: toWire(run) };
    const parentId = this.#parents.get(meetingId);
    const parent = parentId === undefined ? undefined : this.#running.get(parentId);
    if (parentId === undefined || parent === undefined) return {};
    return { room: { parentId, endsAt: parent.endsAt } };
  }

  /** The main meeting of a running room, if it is one. */
  parentOf(meetingId: string): string | undefined {
    return this.#parents.get(meetingId);
  }

  /** A moderator opens rooms and puts people into them (see `breakout.start`). */
  start(
    actorId: string,
    mainId: string,
    request: { rooms: BreakoutRoomRequest[]; durationMinutes: number; assign: BreakoutAssignMode },
  ): Promise<BreakoutState> {
    return this.#serial(mainId, async () => {
      const main = await this.#deps.load(mainId);
      await main.requireRight(actorId, 'breakout.manage', 'breakout.started');
      if (this.#parents.has(mainId))
        throw new AppError('conflict', 'A breakout room cannot have breakout rooms of its own.');
      if (this.#running.has(mainId))
        throw new AppError('conflict', 'Breakout rooms are running already; end them first.');
      const names = new Set<string>();
      for (const room of request.rooms) {
        const key = room.name.trim().toLocaleLowerCase();
        if (names.has(key))
          throw new AppError('bad_request', `Two rooms are called "${room.name.trim()}".`);
        names.add(key);
      }
      const present = new Map(main.list().map((p) => [p.id, p]));
      const picks = placeListed(request.rooms, present);
      if (request.assign === 'random') placeAtRandom(picks, request.rooms.length, present);
      const record = await this.#deps.repo.findMeeting(mainId);
      if (record === undefined) throw new AppError('not_found');
      const now = this.#deps.clock.now();
      const rooms = request.rooms.map((room) => ({ id: newId(), name: room.name.trim() }));
      const run: Running = {
        rooms,
        assignment: new Map([...picks].map(([pid, index]) => [pid, rooms[index]?.id ?? ''])),
        entered: new Map(),
        startedAt: now.toISOString(),
        endsAt: new Date(
          now.getTime() + request.durationMinutes * this.#deps.minuteMs,
        ).toISOString(),
        allowChoose: request.assign === 'choose',
        timer: undefined,
      };
      const created: string[] = [];
      try {
        for (const room of rooms) {
          await this.#deps.repo.createMeeting({
            id: room.id,
            title: room.name,
            createdAt: now,
            // Nobody gets these: a room is entered from the main meeting only.
            moderatorTokenHash: hashSecret(newToken()),
            participantTokenHash: hashSecret(newToken()),
            createdBy: record.createdBy,
            policy: { ...main.policy, passcodeHash: null, lockAfterStartMinutes: null },
            locks: main.locks(),
            parentId: mainId,
          });
          created.push(room.id);
        }
        await this.#deps.breakouts.save(mainId, toStored(run));
        await this.#record(actorId, mainId, 'breakout.started', mainId, {
          rooms: rooms.length,
          durationMinutes: request.durationMinutes,
          assign: request.assign,
        });
        for (const [pid, roomId] of run.assignment) {
          const by = request.rooms.some((room) => room.participantIds.includes(pid))
            ? 'moderator'
            : 'random';
          await this.#record(actorId, mainId, 'breakout.assigned', pid, { room: roomId, by });
        }
      } catch (error) {
        // Nothing half done: the rooms created so far end, the stored session goes.
        for (const id of created) await this.#deps.repo.endMeeting(id, now).catch(() => undefined);
        await this.#deps.breakouts.delete(mainId).catch(() => undefined);
        throw error;
      }
      this.#install(mainId, run);
      await this.#changed(mainId, run);
      return toWire(run);
    });
  }

  /** A moderator moves someone to another room, or (`roomId` null) back to the main room. */
  move(
    actorId: string,
    mainId: string,
    participantId: string,
    roomId: string | null,
  ): Promise<void> {
    return this.#serial(mainId, async () => {
      const main = await this.#deps.load(mainId);
      await main.requireRight(actorId, 'breakout.manage', 'breakout.moved', participantId);
      const run = this.#runningOf(mainId);
      if (roomId !== null && !run.rooms.some((room) => room.id === roomId))
        throw new AppError('not_found', 'There is no such breakout room.');
      if (!main.has(participantId))
        throw new AppError('not_found', 'That person is not in the meeting.');
      const from = run.assignment.get(participantId) ?? null;
      if (from === roomId) return;
      await this.#assign(mainId, run, participantId, roomId);
      await this.#record(actorId, mainId, 'breakout.moved', participantId, {
        from: from ?? 'main',
        to: roomId ?? 'main',
      });
      await this.#changed(mainId, run);
    });
  }

  /** Someone picks a room themselves, while the rooms may be chosen. */
  choose(actorId: string, mainId: string, roomId: string): Promise<void> {
    return this.#serial(mainId, async () => {
      const main = await this.#deps.load(mainId);
      if (!main.has(actorId)) throw new AppError('unauthenticated');
      const run = this.#runningOf(mainId);
      if (!run.allowChoose)
        throw new AppError('forbidden', 'The moderators assign the rooms in this meeting.');
      if (!run.rooms.some((room) => room.id === roomId))
        throw new AppError('not_found', 'There is no such breakout room.');
      if (run.assignment.get(actorId) === roomId) return;
      await this.#assign(mainId, run, actorId, roomId);
      await this.#record(actorId, mainId, 'breakout.assigned', actorId, {
        room: roomId,
        by: 'self',
      });
      await this.#changed(mainId, run);
    });
  }

  /** A moderator's message to the main room and every room. */
  async broadcast(actorId: string, mainId: string, text: string): Promise<void> {
    const main = await this.#deps.load(mainId);
    await main.requireRight(actorId, 'breakout.manage', 'breakout.broadcast');
    const run = this.#runningOf(mainId);
    const message = {
      text: text.trim(),
      fromName: main.view(actorId)?.displayName ?? '',
      sentAt: this.#deps.clock.now().toISOString(),
    };
    // Recorded first (without the text, which is content): no message goes out unaudited.
    await this.#record(actorId, mainId, 'breakout.broadcast', mainId, {
      rooms: run.rooms.length,
      length: message.text.length,
    });
    for (const id of [mainId, ...run.rooms.map((room) => room.id)])
      await this.#deps.fanout.notify(id, 'all', 'breakout.broadcast', message);
  }

  /** A moderator closes every room now. */
  end(actorId: string, mainId: string): Promise<void> {
    return this.#serial(mainId, async () => {
      const main = await this.#deps.load(mainId);
      await main.requireRight(actorId, 'breakout.manage', 'breakout.ended');
      this.#runningOf(mainId);
      await this.#close(mainId, 'moderator', actorId);
    });
  }

  /** The main meeting ended: its rooms close with it. */
  async mainEnded(mainId: string): Promise<void> {
    if (!this.#running.has(mainId)) return;
    await this.#serial(mainId, () => this.#close(mainId, 'meeting_ended'));
  }

  /**
   * Someone of the main meeting enters a room: their assigned one, or any as a moderator.
   * They become a participant of the room with their main meeting role and name; an
   * earlier place in another room is given up.
   */
  enter(
    mainId: string,
    mainParticipantId: string,
    roomId: string,
    mainSessionSecret: string,
    context: RequestContext = {},
  ): Promise<EnteredRoom> {
    return this.#serial(mainId, async () => {
      const run = this.#runningOf(mainId);
      const room = run.rooms.find((candidate) => candidate.id === roomId);
      if (room === undefined) throw new AppError('not_found', 'There is no such breakout room.');
      const main = await this.#deps.load(mainId);
      const me = main.view(mainParticipantId);
      if (me === undefined) throw new AppError('unauthenticated');
      if (run.assignment.get(mainParticipantId) !== roomId && me.role !== 'moderator') {
        await this.#deps.audit.record({
          action: 'meeting.joined',
          actor: { kind: 'participant', id: mainParticipantId },
          meetingId: roomId,
          outcome: 'denied',
          details: { reason: 'not_assigned', arrival: 'breakout', parent: mainId },
          ...(context.source === undefined ? {} : { source: context.source }),
        });
        throw new AppError('forbidden', 'You are not assigned to this breakout room.');
      }
      // The account they joined the main meeting with goes along (their minutes, their bans).
      const { userId } =
        (await this.#deps.repo.findParticipantBySession(mainId, hashSecret(mainSessionSecret))) ??
        {};
      const meeting = await this.#deps.load(roomId);
      const sessionSecret = newToken();
      const record: ParticipantRecord = {
        id: newId(),
        meetingId: roomId,
        displayName: me.displayName,
        role: me.role,
        joinedAt: this.#deps.clock.now(),
        leftAt: null,
        sessionHash: hashSecret(sessionSecret),
        arrival: 'breakout',
        admission: 'admitted',
        ...(userId === undefined ? {} : { userId }),
      };
      meeting.admit(record);
      try {
        await this.#deps.repo.addParticipant(record);
        await this.#deps.audit.record({
          action: 'meeting.joined',
          actor: { kind: 'participant', id: record.id },
          meetingId: roomId,
          target: record.id,
          outcome: 'success',
          details: {
            role: me.role,
            arrival: 'breakout',
            admission: 'admitted',
            parent: mainId,
            as: mainParticipantId,
          },
          ...(context.source === undefined ? {} : { source: context.source }),
        });
      } catch (error) {
        meeting.revokeAdmission(record.id);
        throw error;
      }
      const before = run.entered.get(mainParticipantId);
      run.entered.set(mainParticipantId, { roomId, childId: record.id });
      await this.#deps.breakouts.save(mainId, toStored(run));
      if (before !== undefined) await this.#leaveRoom(before);
      return {
        meetingId: roomId,
        participantId: record.id,
        role: me.role,
        title: room.name,
        sessionSecret,
      };
    });
  }

  /** Stops the timers (shutdown); the stored sessions resume on the next start. */
  close(): void {
    for (const run of this.#running.values()) clearTimeout(run.timer);
  }

  #runningOf(mainId: string): Running {
    const run = this.#running.get(mainId);
    if (run === undefined) throw new AppError('conflict', 'No breakout rooms are running.');
    return run;
  }

  #install(mainId: string, run: Running): void {
    this.#running.set(mainId, run);
    for (const room of run.rooms) this.#parents.set(room.id, mainId);
    const delay = Math.max(0, Date.parse(run.endsAt) - this.#deps.clock.now().getTime());
    run.timer = setTimeout(() => {
      this.#background(mainId, () => this.#close(mainId, 'time'));
    }, delay);
    run.timer.unref();
  }

  /** Puts someone into a room (or none); a place in another room is given up. Stored. */
  async #assign(
    mainId: string,
    run: Running,
    participantId: string,
    roomId: string | null,
  ): Promise<void> {
    if (roomId === null) run.assignment.delete(participantId);
    else run.assignment.set(participantId, roomId);
    const entered = run.entered.get(participantId);
    if (entered !== undefined && entered.roomId !== roomId) run.entered.delete(participantId);
    await this.#deps.breakouts.save(mainId, toStored(run));
    if (entered !== undefined && entered.roomId !== roomId) await this.#leaveRoom(entered);
  }

  /** Takes someone's place in a room away; their room socket closes with `moved`. */
  async #leaveRoom(entered: Entered): Promise<void> {
    const room = this.#deps.live(entered.roomId);
    if (room !== undefined) await room.leave(entered.childId, 'moved');
    else await this.#deps.repo.markParticipantLeft(entered.childId, this.#deps.clock.now());
  }

  /** Closes every room of the main meeting (see the class comment). */
  async #close(mainId: string, reason: CloseReason, actorId?: string): Promise<void> {
    const run = this.#running.get(mainId);
    if (run === undefined) return;
    clearTimeout(run.timer);
    this.#running.delete(mainId);
    const now = this.#deps.clock.now();
    for (const room of run.rooms) {
      this.#parents.delete(room.id);
      try {
        await this.#deps.fanout.disconnect(room.id, 'all', 'breakout_ended');
        await this.#deps.mergeMinutes(mainId, room.id, room.name);
        await this.#deps.repo.endMeeting(room.id, now);
        this.#deps.live(room.id)?.close('ended');
      } catch (error) {
        this.#deps.logger.error(
          { err: error, meetingId: room.id },
          'closing a breakout room failed',
        );
      }
    }
    await this.#deps.breakouts.delete(mainId);
    await this.#deps.audit.record({
      action: 'breakout.ended',
      actor:
        actorId === undefined
          ? { kind: 'system', id: 'breakouts' }
          : { kind: 'participant', id: actorId },
      meetingId: mainId,
      target: mainId,
      outcome: 'success',
      details: { reason, rooms: run.rooms.length },
    });
    if (this.#deps.live(mainId) !== undefined)
      await this.#deps.fanout.notify(mainId, 'all', 'breakout.changed', { breakout: null });
  }

  /** Someone left a meeting for good: out of the rooms (main) or no longer in one (room). */
  #left(meetingId: string, participantId: string): void {
    const run = this.#running.get(meetingId);
    if (run !== undefined) {
      if (!run.assignment.has(participantId) && !run.entered.has(participantId)) return;
      this.#background(meetingId, async () => {
        const entered = run.entered.get(participantId);
        run.entered.delete(participantId);
        run.assignment.delete(participantId);
        await this.#deps.breakouts.save(meetingId, toStored(run));
        if (entered !== undefined) await this.#leaveRoom(entered);
        await this.#changed(meetingId, run);
      });
      return;
    }
    const mainId = this.#parents.get(meetingId);
    const parent = mainId === undefined ? undefined : this.#running.get(mainId);
    if (mainId === undefined || parent === undefined) return;
    for (const [pid, entered] of parent.entered) {
      if (entered.childId !== participantId) continue;
      parent.entered.delete(pid);
      this.#background(mainId, () => this.#deps.breakouts.save(mainId, toStored(parent)));
    }
  }

  async #changed(mainId: string, run: Running): Promise<void> {
    if (this.#running.get(mainId) !== run) return;
    await this.#deps.fanout.notify(mainId, 'all', 'breakout.changed', { breakout: toWire(run) });
  }

  async #record(
    actorId: string,
    mainId: string,
    action: MeetingAuditEvent['action'],
    target: string,
    details: Record<string, string | number | boolean>,
  ): Promise<void> {
    await this.#deps.audit.record({
      action,
      actor: { kind: 'participant', id: actorId },
      meetingId: mainId,
      target,
      outcome: 'success',
      details,
    });
  }

  /** Runs `work` after everything queued for this main meeting (one at a time). */
  #serial<T>(mainId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(mainId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.#queues.set(mainId, settled);
    void settled.then(() => {
      if (this.#queues.get(mainId) === settled) this.#queues.delete(mainId);
    });
    return next;
  }

  /** Queued work nobody awaits (timers, events); failures are logged. */
  #background(mainId: string, work: () => Promise<void>): void {
    this.#serial(mainId, work).catch((error: unknown) => {
      this.#deps.logger.error(
        { err: error, meetingId: mainId },
        'breakout rooms: background work failed',
      );
    });
  }
}
