import type {
  AssignableRole,
  ChatMessage,
  MediaSource,
  MeetingInfo,
  MeetingLocks,
  MeetingRole,
  Participant,
} from '@konvent/protocol';
import { AppError } from '../errors/AppError.ts';
import type { MeetingEvents, MeetingObserverEvents } from './events.ts';
import { Fanout } from './Fanout.ts';
import { Meeting } from './Meeting.ts';
import type { MeetingOptions } from './MeetingDeps.ts';
import { toChatMessage } from './toChatMessage.ts';
import type {
  AuditTrail,
  Bus,
  Clock,
  DomainLogger,
  MeetingRecord,
  MeetingRepository,
  RequestContext,
} from './ports.ts';
import { hashSecret, newId, newToken, sameHash } from './secrets.ts';
import { TypedEmitter } from './TypedEmitter.ts';

/** Tunables of the meetings domain; all have safe defaults. */
export interface MeetingServiceOptions extends MeetingOptions {
  /** How many recent chat messages a new socket receives. */
  chatHistory: number;
  /** Most participants (connected or not yet) one meeting admits. */
  maxParticipants: number;
}

/** Defaults: a dropped socket has 15 s to come back; a fresh join 30 s to connect. */
export const DEFAULT_MEETING_OPTIONS: MeetingServiceOptions = {
  reconnectGraceMs: 15_000,
  connectGraceMs: 30_000,
  chatHistory: 200,
  maxParticipants: 100,
};

/** What the meeting service needs. */
export interface MeetingServiceDeps {
  repo: MeetingRepository;
  bus: Bus;
  clock: Clock;
  logger: DomainLogger;
  /** Where creating, joining, leaving and ending meetings (and refusals) are recorded. */
  audit: AuditTrail;
  options?: Partial<MeetingServiceOptions>;
}

/**
 * An authenticated participant session; identity comes only from here. `role` is the role
 * when the session was authenticated: rights are checked against the live meeting's
 * current role, which a moderator may have changed since.
 */
export interface Session {
  meetingId: string;
  participantId: string;
  role: MeetingRole;
}

/** A new meeting and its two link tokens (shown once, stored only as hashes). */
export interface CreatedMeeting {
  meeting: MeetingInfo;
  moderatorToken: string;
  participantToken: string;
}

/** Who created a meeting when no account is named (tools, tests of the domain alone). */
export const ANONYMOUS_CREATOR = { kind: 'system', id: 'anonymous' } as const;

/** The result of a successful join; `sessionSecret` goes into the session cookie. */
export interface JoinedMeeting {
  meetingId: string;
  participantId: string;
  role: MeetingRole;
  sessionSecret: string;
}

/** The state a freshly connected socket starts from. */
export interface WelcomeState {
  self: Participant;
  meeting: MeetingInfo;
  participants: Participant[];
  chat: ChatMessage[];
  locks: MeetingLocks;
}

// Compared against when the meeting does not exist, so that case costs what a wrong
// token costs.
const DUMMY_HASH = hashSecret('konvent-no-such-meeting');

/**
 * The meetings domain: links, joins, sessions, presence, chat and ending a meeting.
 * It imports no HTTP, WebSocket, SQL or mediasoup code; storage and the bus come in as
 * ports. Owns `Map<meetingId, Meeting>` of the meetings running on this process;
 * `close()` closes them all without writing anything, for a graceful shutdown.
 */
export class MeetingService {
  /** Events other parts of the server act on. */
  readonly events = new TypedEmitter<MeetingEvents>();
  /** Events for audit and metrics. */
  readonly observer = new TypedEmitter<MeetingObserverEvents>();
  readonly #repo: MeetingRepository;
  readonly #clock: Clock;
  readonly #logger: DomainLogger;
  readonly #audit: AuditTrail;
  readonly #fanout: Fanout;
  readonly #options: MeetingServiceOptions;
  readonly #live = new Map<string, Meeting>();
  readonly #loading = new Map<string, Promise<Meeting>>();
  #closed = false;

  constructor(deps: MeetingServiceDeps) {
    this.#repo = deps.repo;
    this.#clock = deps.clock;
    this.#logger = deps.logger;
    this.#audit = deps.audit;
    this.#fanout = new Fanout(deps.bus);
    this.#options = { ...DEFAULT_MEETING_OPTIONS, ...deps.options };
  }

  /**
   * Creates a meeting; the returned tokens exist nowhere else afterwards. Resolves only once
   * `meeting.created` is durably in the audit trail.
   */
  async create(
    input: { title?: string | undefined; createdBy?: string | undefined },
    context: RequestContext = {},
  ): Promise<CreatedMeeting> {
    this.#assertOpen();
    const moderatorToken = newToken();
    const participantToken = newToken();
    const record = {
      id: newId(),
      title: input.title?.trim() ?? '',
      createdAt: this.#clock.now(),
      moderatorTokenHash: hashSecret(moderatorToken),
      participantTokenHash: hashSecret(participantToken),
    };
    await this.#repo.createMeeting(record);
    await this.#audit.record({
      action: 'meeting.created',
      actor:
        input.createdBy === undefined ? ANONYMOUS_CREATOR : { kind: 'user', id: input.createdBy },
      meetingId: record.id,
      target: record.id,
      outcome: 'success',
      ...sourceOf(context),
    });
    this.observer.emit('meetingCreated', { meetingId: record.id });
    return {
      meeting: { id: record.id, title: record.title, createdAt: record.createdAt.toISOString() },
      moderatorToken,
      participantToken,
    };
  }

  /**
   * Checks a link. An unknown meeting and a wrong token give the same `not_found`; only
   * a holder of a valid token learns that the meeting has ended. A rejected link is
   * audited as a failure of `purpose` (the reply stays the same `not_found`).
   */
  async checkLink(
    meetingId: string,
    token: string,
    context: RequestContext = {},
    purpose: 'meeting.link_checked' | 'meeting.joined' = 'meeting.link_checked',
  ): Promise<{ meeting: MeetingRecord; role: MeetingRole }> {
    this.#assertOpen();
    const record = await this.#repo.findMeeting(meetingId);
    const hash = hashSecret(token);
    const moderator = sameHash(hash, record?.moderatorTokenHash ?? DUMMY_HASH);
    const participant = sameHash(hash, record?.participantTokenHash ?? DUMMY_HASH);
    if (record === undefined || (!moderator && !participant)) {
      this.observer.emit('linkRejected', { meetingId });
      await this.#audit.record({
        action: purpose,
        actor: ANONYMOUS_CREATOR,
        meetingId,
        outcome: 'failure',
        details: { reason: 'invalid_link' },
        ...sourceOf(context),
      });
      throw new AppError('not_found');
    }
    if (record.endedAt !== null) throw new AppError('meeting_ended');
    return { meeting: record, role: moderator ? 'moderator' : 'participant' };
  }

  /**
   * Joins a meeting with a link token; returns the new participant and their session secret
   * once `meeting.joined` is durably in the audit trail.
   */
  async join(
    meetingId: string,
    token: string,
    displayName: string,
    context: RequestContext = {},
  ): Promise<JoinedMeeting> {
    const { role } = await this.checkLink(meetingId, token, context, 'meeting.joined');
    await this.#refuseBanned(meetingId, context);
    const meeting = await this.#meeting(meetingId);
    if (role !== 'moderator' && meeting.locks().meeting) {
      await this.#audit.record({
        action: 'meeting.joined',
        actor: ANONYMOUS_CREATOR,
        meetingId,
        outcome: 'denied',
        details: { reason: 'locked' },
        ...sourceOf(context),
      });
      throw new AppError('forbidden', 'The meeting is locked.');
    }
    if (meeting.size >= this.#options.maxParticipants) {
      throw new AppError('conflict', 'The meeting is full.');
    }
    const sessionSecret = newToken();
    const record = {
      id: newId(),
      meetingId,
      displayName: displayName.trim(),
      role,
      joinedAt: this.#clock.now(),
      leftAt: null,
      sessionHash: hashSecret(sessionSecret),
    };
    // Admitted in memory first, so the live meeting cannot close as empty meanwhile.
    meeting.admit(record);
    try {
      await this.#repo.addParticipant(record);
      await this.#audit.record({
        action: 'meeting.joined',
        actor: { kind: 'participant', id: record.id },
        meetingId,
        target: record.id,
        outcome: 'success',
        details: { role },
        ...sourceOf(context),
      });
    } catch (error) {
      // Not acknowledged, so not admitted: the stored row stays unused (no session has it).
      meeting.revokeAdmission(record.id);
      throw error;
    }
    this.observer.emit('participantJoined', { meetingId, participantId: record.id, role });
    return { meetingId, participantId: record.id, role, sessionSecret };
  }

  /**
   * Turns a session secret (from the signed cookie) into a session. Anything but a
   * current participant of a running meeting is `unauthenticated`.
   */
  async authenticate(meetingId: string, sessionSecret: string): Promise<Session> {
    this.#assertOpen();
    const participant = await this.#repo.findParticipantBySession(
      meetingId,
      hashSecret(sessionSecret),
    );
    // A removed participant's session is dead; `forbidden` closes its socket as removed.
    if (participant?.removal !== undefined) throw new AppError('forbidden');
    if (participant === undefined || participant.leftAt !== null)
      throw new AppError('unauthenticated');
    const meeting = await this.#meeting(meetingId).catch((error: unknown) => {
      throw error instanceof AppError && error.code === 'not_found'
        ? new AppError('unauthenticated')
        : error;
    });
    if (!meeting.has(participant.id)) throw new AppError('unauthenticated');
    return { meetingId, participantId: participant.id, role: participant.role };
  }

  /** A socket of the session opened; returns its connection id (older ones are replaced). */
  async attach(session: Session): Promise<string> {
    const meeting = await this.#meeting(session.meetingId);
    return meeting.attach(session.participantId);
  }

  /** A socket closed; the participant may become `reconnecting`. */
  detach(session: Session, connectionId: string): void {
    this.#live.get(session.meetingId)?.detach(session.participantId, connectionId);
  }

  /** Who I am, who is here and the chat I may read. */
  async welcome(session: Session): Promise<WelcomeState> {
    const meeting = await this.#meeting(session.meetingId);
    const self = meeting.view(session.participantId);
    if (self === undefined) throw new AppError('unauthenticated');
    const chat = await this.#repo.listChat(
      session.meetingId,
      session.participantId,
      this.#options.chatHistory,
    );
    return {
      self,
      meeting: meeting.info(),
      participants: meeting.list(session.participantId),
      chat: chat.map(toChatMessage),
      locks: meeting.locks(),
    };
  }

  /** Sends a public or private chat message. */
  async sendChat(session: Session, text: string, to: string | undefined): Promise<ChatMessage> {
    const meeting = await this.#meeting(session.meetingId);
    return meeting.sendChat(session.participantId, text, to);
  }

  /** The participant leaves the meeting for good. */
  async leave(session: Session): Promise<void> {
    const meeting = this.#live.get(session.meetingId);
    if (meeting === undefined) return;
    await meeting.leave(session.participantId, 'left');
  }

  /** Ends the meeting for everyone (moderators only; refused and observed otherwise). */
  async end(session: Session): Promise<void> {
    const meeting = await this.#meeting(session.meetingId);
    await meeting.end(session.participantId);
  }

  /** Mutes a participant (moderators only; refused and audited as denied otherwise). */
  async mute(session: Session, participantId: string): Promise<void> {
    const meeting = await this.#meeting(session.meetingId);
    await meeting.mute(session.participantId, participantId);
  }

  /** Mutes everyone but the caller (moderators only). */
  async muteAll(session: Session): Promise<void> {
    const meeting = await this.#meeting(session.meetingId);
    await meeting.muteAll(session.participantId);
  }

  /** Stops a participant's camera (moderators only). */
  async stopCamera(session: Session, participantId: string): Promise<void> {
    const meeting = await this.#meeting(session.meetingId);
    await meeting.stopCamera(session.participantId, participantId);
  }

  /** Removes a participant, with `ban` for good from this browser (moderators only). */
  async remove(session: Session, participantId: string, ban: boolean): Promise<void> {
    const meeting = await this.#meeting(session.meetingId);
    await meeting.remove(session.participantId, participantId, ban);
  }

  /** Gives a participant another role (moderators only). */
  async setRole(session: Session, participantId: string, role: AssignableRole): Promise<void> {
    const meeting = await this.#meeting(session.meetingId);
    await meeting.setRole(session.participantId, participantId, role);
  }

  /** Changes some of the meeting's locks (moderators only); returns the full state. */
  async setLocks(session: Session, changes: Partial<MeetingLocks>): Promise<MeetingLocks> {
    const meeting = await this.#meeting(session.meetingId);
    return meeting.setLocks(session.participantId, changes);
  }

  /** Refuses (`forbidden`) a microphone or camera the meeting's locks forbid this participant. */
  async assertMaySend(session: Session, source: MediaSource): Promise<void> {
    const meeting = await this.#meeting(session.meetingId);
    meeting.assertMaySend(session.participantId, source);
  }

  /**
   * Whether a participant may receive another's media of this source (a camera lock hides
   * non-moderators' cameras from non-moderators). Nothing is received from a meeting that
   * is not running here.
   */
  mayReceive(meetingId: string, viewerId: string, ownerId: string, source: MediaSource): boolean {
    return this.#live.get(meetingId)?.mayReceive(viewerId, ownerId, source) ?? false;
  }

  /** Records that a participant's microphone or camera started or stopped sending. */
  setSourceState(
    meetingId: string,
    participantId: string,
    source: MediaSource,
    active: boolean,
  ): void {
    this.#live.get(meetingId)?.setSource(participantId, source, active);
  }

  /** Announced participants of a meeting running here (empty if it is not running). */
  participants(meetingId: string): Participant[] {
    return this.#live.get(meetingId)?.list() ?? [];
  }

  /** Ids of the meetings running on this process. */
  liveMeetingIds(): string[] {
    return [...this.#live.keys()];
  }

  /**
   * Shuts the domain down: every live meeting closes without recording anyone as left,
   * so participants can reconnect to this or another process. Idempotent.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const meeting of [...this.#live.values()]) meeting.close('shutdown');
  }

  #assertOpen(): void {
    if (this.#closed) throw new AppError('unavailable');
  }

  /**
   * Refuses a join from a browser that still holds the session of a participant who was
   * banned from this meeting; the refusal is audited as denied.
   */
  async #refuseBanned(meetingId: string, context: RequestContext): Promise<void> {
    if (context.previousSession === undefined) return;
    const previous = await this.#repo.findParticipantBySession(
      meetingId,
      hashSecret(context.previousSession),
    );
    if (previous?.removal !== 'banned') return;
    await this.#audit.record({
      action: 'meeting.joined',
      actor: { kind: 'participant', id: previous.id },
      meetingId,
      target: previous.id,
      outcome: 'denied',
      details: { reason: 'banned' },
      ...sourceOf(context),
    });
    throw new AppError('forbidden');
  }

  /** The live meeting, loaded from the repository on first use. */
  async #meeting(meetingId: string): Promise<Meeting> {
    this.#assertOpen();
    const live = this.#live.get(meetingId);
    if (live !== undefined) return live;
    const pending = this.#loading.get(meetingId);
    if (pending !== undefined) return pending;
    const loading = this.#load(meetingId).finally(() => this.#loading.delete(meetingId));
    this.#loading.set(meetingId, loading);
    return loading;
  }

  async #load(meetingId: string): Promise<Meeting> {
    const record = await this.#repo.findMeeting(meetingId);
    if (record === undefined) throw new AppError('not_found');
    if (record.endedAt !== null) throw new AppError('meeting_ended');
    const active = await this.#repo.listActiveParticipants(meetingId);
    this.#assertOpen();
    const meeting = new Meeting(record, active, {
      repo: this.#repo,
      fanout: this.#fanout,
      clock: this.#clock,
      logger: this.#logger,
      audit: this.#audit,
      events: this.events,
      observer: this.observer,
      options: this.#options,
      onClosed: (closed) => {
        if (this.#live.get(closed.id) === closed) this.#live.delete(closed.id);
      },
    });
    this.#live.set(meetingId, meeting);
    return meeting;
  }
}

/** The context's source address as an optional audit field. */
function sourceOf(context: RequestContext): { source?: string } {
  return context.source === undefined ? {} : { source: context.source };
}
