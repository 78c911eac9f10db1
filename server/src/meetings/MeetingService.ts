import type {
  AssignableRole,
  ChatMessage,
  LobbyEntry,
  MediaSource,
  MeetingInfo,
  MeetingLocks,
  MeetingPolicy,
  MeetingPolicyChanges,
  MeetingRole,
  Participant,
  ParticipantReport,
  ReportAnswer,
  ReportReason,
} from '@konvent/protocol';
import { AppError } from '../errors/AppError.ts';
import { decideAdmission, linkRole } from './admission.ts';
import { LinkGate, sourceOf, type LinkThrottleRules, type ResolvedLink } from './LinkGate.ts';
import { Lobbies, type LobbySelection } from './Lobbies.ts';
import { DEFAULT_POLICY_CHANGES, MeetingAdmin, toWire } from './MeetingAdmin.ts';
import { ReportDesk } from './ReportDesk.ts';
import type { MeetingEvents, MeetingObserverEvents } from './events.ts';
import { Fanout } from './Fanout.ts';
import { Meeting } from './Meeting.ts';
import type { MeetingOptions } from './MeetingDeps.ts';
import { toChatMessage } from './toChatMessage.ts';
import type {
  ArrivalKind,
  AttemptThrottle,
  AuditTrail,
  Bus,
  Clock,
  DomainLogger,
  InvitationRepository,
  MeetingRepository,
  ParticipantRecord,
  ReportRepository,
  RequestContext,
} from './ports.ts';
import { hashSecret, newId, newToken } from './secrets.ts';
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
  invitations: InvitationRepository;
  reports: ReportRepository;
  /** Counts wrong links, passcodes and PINs (the database-backed `Throttle`). */
  throttle: AttemptThrottle;
  linkThrottle?: LinkThrottleRules;
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
  /** `waiting`: the session belongs to someone in the lobby; only lobby frames flow. */
  admission: 'admitted' | 'waiting';
}

/** A new meeting and its two link tokens (shown once, stored only as hashes). */
export interface CreatedMeeting {
  meeting: MeetingInfo;
  moderatorToken: string;
  participantToken: string;
  policy: MeetingPolicy;
  /** The passcode the server drew, if it drew one (shown once). */
  passcode?: string;
}

/** What a link check tells the pre-join page. */
export interface CheckedLink {
  meetingId: string;
  title: string;
  role: MeetingRole;
  arrival: ArrivalKind;
  secret: 'none' | 'passcode' | 'pin';
  signIn: boolean;
  lobby: boolean;
}

/** Who created a meeting when no account is named (tools, tests of the domain alone). */
export const ANONYMOUS_CREATOR = { kind: 'system', id: 'anonymous' } as const;

/** The result of a successful join; `sessionSecret` goes into the session cookie. */
export interface JoinedMeeting {
  meetingId: string;
  participantId: string;
  role: MeetingRole;
  admission: 'admitted' | 'waiting';
  sessionSecret: string;
}

/** The state a freshly connected socket starts from. */
export interface WelcomeState {
  self: Participant;
  meeting: MeetingInfo;
  participants: Participant[];
  chat: ChatMessage[];
  locks: MeetingLocks;
  /** Moderators only. */
  policy?: MeetingPolicy;
  lobby?: LobbyEntry[];
  lobbyMessage?: string;
  reports?: ParticipantReport[];
}

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
  readonly #gate: LinkGate;
  readonly #lobbies: Lobbies;
  readonly #invitations: InvitationRepository;
  /** Policy and invitations. */
  readonly admin: MeetingAdmin;
  readonly #reports: ReportDesk;
  #closed = false;

  constructor(deps: MeetingServiceDeps) {
    this.#repo = deps.repo;
    this.#clock = deps.clock;
    this.#logger = deps.logger;
    this.#audit = deps.audit;
    this.#invitations = deps.invitations;
    this.#fanout = new Fanout(deps.bus);
    this.#options = { ...DEFAULT_MEETING_OPTIONS, ...deps.options };
    this.#gate = new LinkGate({
      repo: deps.repo,
      invitations: deps.invitations,
      throttle: deps.throttle,
      audit: deps.audit,
      clock: deps.clock,
      observer: this.observer,
      ...(deps.linkThrottle === undefined ? {} : { rules: deps.linkThrottle }),
    });
    const load = (meetingId: string) => this.#meeting(meetingId);
    const live = (meetingId: string) => this.#live.get(meetingId);
    this.#lobbies = new Lobbies({
      repo: deps.repo,
      fanout: this.#fanout,
      clock: deps.clock,
      logger: deps.logger,
      audit: deps.audit,
      graceMs: this.#options.reconnectGraceMs,
      load,
      live,
    });
    this.admin = new MeetingAdmin({
      repo: deps.repo,
      invitations: deps.invitations,
      fanout: this.#fanout,
      audit: deps.audit,
      clock: deps.clock,
      load,
      live,
    });
    this.#reports = new ReportDesk({
      reports: deps.reports,
      fanout: this.#fanout,
      audit: deps.audit,
      clock: deps.clock,
      load,
      remove: (actorId, meetingId, targetId, ban) =>
        this.#remove(actorId, meetingId, targetId, ban),
    });
  }

  /**
   * Creates a meeting; the returned tokens exist nowhere else afterwards. Resolves only once
   * `meeting.created` is durably in the audit trail.
   */
  async create(
    input: {
      title?: string | undefined;
      createdBy?: string | undefined;
      policy?: MeetingPolicyChanges | undefined;
    },
    context: RequestContext = {},
  ): Promise<CreatedMeeting> {
    this.#assertOpen();
    const moderatorToken = newToken();
    const participantToken = newToken();
    const { policy, passcode } = await this.admin.resolve(
      { guestPolicy: 'ask_moderator', passcodeHash: null, lockAfterStartMinutes: null },
      { ...DEFAULT_POLICY_CHANGES, ...input.policy },
    );
    const record = {
      id: newId(),
      title: input.title?.trim() ?? '',
      createdAt: this.#clock.now(),
      moderatorTokenHash: hashSecret(moderatorToken),
      participantTokenHash: hashSecret(participantToken),
      createdBy: input.createdBy ?? null,
      policy,
    };
    await this.#repo.createMeeting(record);
    await this.#audit.record({
      action: 'meeting.created',
      actor:
        input.createdBy === undefined ? ANONYMOUS_CREATOR : { kind: 'user', id: input.createdBy },
      meetingId: record.id,
      target: record.id,
      outcome: 'success',
      details: {
        guestPolicy: policy.guestPolicy,
        passcode: policy.passcodeHash !== null,
        lockAfterStartMinutes: policy.lockAfterStartMinutes ?? 'off',
      },
      ...sourceOf(context),
    });
    this.observer.emit('meetingCreated', { meetingId: record.id });
    return {
      meeting: { id: record.id, title: record.title, createdAt: record.createdAt.toISOString() },
      moderatorToken,
      participantToken,
      policy: toWire(policy),
      ...(passcode === undefined ? {} : { passcode }),
    };
  }

  /**
   * Checks a link for the pre-join page: what it opens and what the join must bring. An
   * unknown meeting and a wrong, expired or revoked token give the same `not_found` (see
   * `LinkGate`); failures are audited and throttled.
   */
  async checkLink(
    meetingId: string,
    token: string,
    context: RequestContext = {},
  ): Promise<CheckedLink> {
    this.#assertOpen();
    const link = await this.#gate.resolve(meetingId, token, context, 'meeting.link_checked');
    const { arrival, role } = this.#arrivalOf(link, context);
    const locked = this.#live.get(meetingId)?.locks().meeting ?? link.meeting.locks.meeting;
    const policy = this.#live.get(meetingId)?.policy ?? link.meeting.policy;
    const decision = decideAdmission(policy.guestPolicy, arrival, role, locked);
    return {
      meetingId,
      title: link.meeting.title,
      role,
      arrival,
      secret: link.secret,
      signIn: link.arrival === 'moderator_link' && context.userId === undefined,
      lobby: decision === 'waiting',
    };
  }

  /**
   * Joins a meeting with a link token (and the passcode or PIN it needs). Depending on the
   * guest policy, the locks and how the person arrived, they enter, wait in the lobby, or
   * are refused (`forbidden`, audited). Returns the new participant and their session
   * secret once `meeting.joined` is durably in the audit trail.
   */
  async join(
    meetingId: string,
    token: string,
    displayName: string,
    context: RequestContext = {},
  ): Promise<JoinedMeeting> {
    const link = await this.#gate.resolve(meetingId, token, context, 'meeting.joined');
    if (link.arrival === 'moderator_link' && context.userId === undefined)
      throw new AppError('unauthenticated', 'Sign in to use the moderator link.');
    await this.#gate.verifySecret(link, context.secret, context, 'meeting.joined');
    await this.#refuseBanned(meetingId, context);
    const meeting = await this.#meeting(meetingId);
    const { arrival, role } = this.#arrivalOf(link, context);
    if (link.invitation !== undefined) {
      // Used up atomically: two joins racing for a single-use invitation cannot both pass.
      if (!(await this.#invitations.consume(link.invitation.id, this.#clock.now())))
        throw new AppError('not_found');
    }
    const decision = decideAdmission(
      meeting.policy.guestPolicy,
      arrival,
      role,
      meeting.locks().meeting,
    );
    if (decision === 'refused') {
      await this.#releaseInvitation(link);
      await this.#audit.record({
        action: 'meeting.joined',
        actor: ANONYMOUS_CREATOR,
        meetingId,
        outcome: 'denied',
        details: { reason: 'guest_policy', arrival },
        ...sourceOf(context),
      });
      throw new AppError('forbidden', 'This meeting admits only invited people.');
    }
    if (decision === 'admitted' && meeting.size >= this.#options.maxParticipants) {
      await this.#releaseInvitation(link);
      throw new AppError('conflict', 'The meeting is full.');
    }
    const sessionSecret = newToken();
    const record: ParticipantRecord = {
      id: newId(),
      meetingId,
      displayName: displayName.trim(),
      role,
      joinedAt: this.#clock.now(),
      leftAt: null,
      sessionHash: hashSecret(sessionSecret),
      arrival,
      admission: decision,
      ...(context.userId === undefined ? {} : { userId: context.userId }),
      ...(link.invitation === undefined ? {} : { invitationId: link.invitation.id }),
    };
    // In memory first (synchronously with the decision above, so no join slips past a
    // fresh lock), so the live meeting cannot close as empty meanwhile.
    if (decision === 'admitted') meeting.admit(record);
    else await this.#lobbies.enqueue(record);
    try {
      await this.#repo.addParticipant(record);
      await this.#audit.record({
        action: 'meeting.joined',
        actor: { kind: 'participant', id: record.id },
        meetingId,
        target: record.id,
        outcome: 'success',
        details: {
          role,
          arrival,
          admission: decision,
          ...(link.invitation === undefined ? {} : { invitation: link.invitation.id }),
        },
        ...sourceOf(context),
      });
    } catch (error) {
      // Not acknowledged, so not admitted: the stored row stays unused (no session has it).
      if (decision === 'admitted') meeting.revokeAdmission(record.id);
      else this.#lobbies.revoke(meetingId, record.id);
      await this.#releaseInvitation(link);
      throw error;
    }
    if (decision === 'waiting') await this.#lobbies.announce(meetingId);
    this.observer.emit('participantJoined', { meetingId, participantId: record.id, role });
    return { meetingId, participantId: record.id, role, admission: decision, sessionSecret };
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
    if (participant.admission === 'waiting') {
      if (!(await this.#lobbies.isWaiting(meetingId, participant.id)))
        throw new AppError('unauthenticated');
      return {
        meetingId,
        participantId: participant.id,
        role: participant.role,
        admission: 'waiting',
      };
    }
    const meeting = await this.#meeting(meetingId).catch((error: unknown) => {
      throw error instanceof AppError && error.code === 'not_found'
        ? new AppError('unauthenticated')
        : error;
    });
    if (!meeting.has(participant.id)) throw new AppError('unauthenticated');
    return {
      meetingId,
      participantId: participant.id,
      role: participant.role,
      admission: 'admitted',
    };
  }

  /** A socket of the session opened; returns its connection id (older ones are replaced). */
  async attach(session: Session): Promise<string> {
    if (session.admission === 'waiting')
      return this.#lobbies.attach(session.meetingId, session.participantId);
    const meeting = await this.#meeting(session.meetingId);
    return meeting.attach(session.participantId);
  }

  /** A socket closed; the participant may become `reconnecting`. */
  detach(session: Session, connectionId: string): void {
    if (session.admission === 'waiting') {
      this.#lobbies.detach(session.meetingId, session.participantId, connectionId);
      return;
    }
    this.#live.get(session.meetingId)?.detach(session.participantId, connectionId);
  }

  /** The moderators' message for someone waiting in the lobby ('' for none). */
  lobbyMessage(session: Session): string {
    return this.#lobbies.message(session.meetingId);
  }

  /** Someone waiting in the lobby gives up. */
  async leaveLobby(session: Session): Promise<void> {
    await this.#lobbies.leave(session.meetingId, session.participantId);
  }

  /** A moderator admits people from the lobby; returns who was admitted. */
  async admitFromLobby(session: Session, selection: LobbySelection): Promise<string[]> {
    return this.#lobbies.admit(session.participantId, session.meetingId, selection);
  }

  /** A moderator denies people in the lobby; returns who was denied. */
  async denyFromLobby(session: Session, selection: LobbySelection): Promise<string[]> {
    return this.#lobbies.deny(session.participantId, session.meetingId, selection);
  }

  /** A moderator sets the message everyone waiting in the lobby sees. */
  async setLobbyMessage(session: Session, text: string): Promise<void> {
    await this.#lobbies.setMessage(session.participantId, session.meetingId, text);
  }

  /** Someone in the meeting reports another to the moderators. */
  async report(
    session: Session,
    targetId: string,
    reason: ReportReason,
    text: string | undefined,
  ): Promise<string> {
    return this.#reports.report(session.participantId, session.meetingId, targetId, reason, text);
  }

  /** A moderator answers a report. */
  async answerReport(session: Session, reportId: string, answer: ReportAnswer): Promise<void> {
    await this.#reports.answer(session.participantId, session.meetingId, reportId, answer);
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
    const state: WelcomeState = {
      self,
      meeting: meeting.info(),
      participants: meeting.list(session.participantId),
      chat: chat.map(toChatMessage),
      locks: meeting.locks(),
    };
    if (self.role !== 'moderator') return state;
    const message = this.#lobbies.message(session.meetingId);
    return {
      ...state,
      policy: toWire(meeting.policy),
      lobby: await this.#lobbies.entries(session.meetingId),
      ...(message === '' ? {} : { lobbyMessage: message }),
      reports: await this.#reports.open(session.meetingId),
    };
  }

  /** Sends a public or private chat message. */
  async sendChat(session: Session, text: string, to: string | undefined): Promise<ChatMessage> {
    const meeting = await this.#meeting(session.meetingId);
    return meeting.sendChat(session.participantId, text, to);
  }

  /** The participant leaves the meeting for good. */
  async leave(session: Session): Promise<void> {
    if (session.admission === 'waiting') {
      await this.#lobbies.leave(session.meetingId, session.participantId);
      return;
    }
    const meeting = this.#live.get(session.meetingId);
    if (meeting === undefined) return;
    await meeting.leave(session.participantId, 'left');
  }

  /** Ends the meeting for everyone (moderators only; refused and observed otherwise). */
  async end(session: Session): Promise<void> {
    const meeting = await this.#meeting(session.meetingId);
    await meeting.end(session.participantId);
    this.#lobbies.ended(session.meetingId);
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
    await this.#remove(session.participantId, session.meetingId, participantId, ban);
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
    this.#lobbies.close();
    for (const meeting of [...this.#live.values()]) meeting.close('shutdown');
  }

  /**
   * Removes someone; a ban also revokes the personal invitation they came with, so the
   * same link does not let them back in (signed-in accounts are refused by account).
   */
  async #remove(actorId: string, meetingId: string, targetId: string, ban: boolean): Promise<void> {
    const meeting = await this.#meeting(meetingId);
    const invitationId = meeting.invitationOf(targetId);
    await meeting.remove(actorId, targetId, ban);
    if (!ban || invitationId === undefined) return;
    if (await this.#invitations.revoke(meetingId, invitationId, this.#clock.now())) {
      await this.#audit.record({
        action: 'meeting.invitation_revoked',
        actor: { kind: 'participant', id: actorId },
        meetingId,
        target: invitationId,
        outcome: 'success',
        details: { reason: 'banned' },
      });
    }
  }

  /** How someone arrives by this link, and the role it gives them. */
  #arrivalOf(
    link: ResolvedLink,
    context: RequestContext,
  ): { arrival: ArrivalKind; role: MeetingRole } {
    if (link.arrival !== 'link') return { arrival: link.arrival, role: link.role };
    return linkRole(context.userId !== undefined);
  }

  /** Gives back the use of an invitation a join consumed but did not complete. */
  async #releaseInvitation(link: ResolvedLink): Promise<void> {
    if (link.invitation === undefined) return;
    await this.#invitations.release(link.invitation.id).catch((error: unknown) => {
      this.#logger.warn({ err: error }, 'could not give back an invitation use');
    });
  }

  #assertOpen(): void {
    if (this.#closed) throw new AppError('unavailable');
  }

  /**
   * Refuses a join from a browser that still holds the session of a participant who was
   * banned from this meeting; the refusal is audited as denied.
   */
  async #refuseBanned(meetingId: string, context: RequestContext): Promise<void> {
    if (
      context.userId !== undefined &&
      (await this.#repo.isUserBanned(meetingId, context.userId))
    ) {
      await this.#audit.record({
        action: 'meeting.joined',
        actor: { kind: 'user', id: context.userId },
        meetingId,
        outcome: 'denied',
        details: { reason: 'banned' },
        ...sourceOf(context),
      });
      throw new AppError('forbidden', 'You were removed from this meeting and cannot join again.');
    }
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
    throw new AppError('forbidden', 'You were removed from this meeting and cannot join again.');
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
