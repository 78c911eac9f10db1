import type {
  MeetingInfo,
  MeetingPolicy,
  MeetingPolicyChanges,
  MeetingRole,
} from '@konvent/protocol';
import { AppError } from '../errors/AppError.ts';
import { decideAdmission, linkRole } from './admission.ts';
import type { MeetingObserverEvents } from './events.ts';
import { sourceOf, type LinkGate, type ResolvedLink } from './LinkGate.ts';
import type { Lobbies } from './Lobbies.ts';
import type { Meeting } from './Meeting.ts';
import { DEFAULT_POLICY_CHANGES, toWire, type MeetingAdmin } from './MeetingAdmin.ts';
import type {
  LinkArrival,
  AuditTrail,
  Clock,
  DomainLogger,
  InvitationRepository,
  MeetingRepository,
  ParticipantRecord,
  RequestContext,
} from './ports.ts';
import { hashSecret, newId, newToken } from './secrets.ts';
import type { TypedEmitter } from './TypedEmitter.ts';

/** Who created a meeting when no account is named (tools, tests of the domain alone). */
export const ANONYMOUS_CREATOR = { kind: 'system', id: 'anonymous' } as const;

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
  arrival: LinkArrival;
  secret: 'none' | 'passcode' | 'pin';
  signIn: boolean;
  lobby: boolean;
}

/** The result of a successful join; `sessionSecret` goes into the session cookie. */
export interface JoinedMeeting {
  meetingId: string;
  participantId: string;
  role: MeetingRole;
  admission: 'admitted' | 'waiting';
  sessionSecret: string;
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

/** What the entrance needs from the meetings service. */
export interface EntranceDeps {
  repo: MeetingRepository;
  invitations: InvitationRepository;
  gate: LinkGate;
  lobbies: Lobbies;
  admin: MeetingAdmin;
  audit: AuditTrail;
  clock: Clock;
  logger: DomainLogger;
  observer: TypedEmitter<MeetingObserverEvents>;
  /** Most participants one meeting admits. */
  maxParticipants: number;
  /** Throws `unavailable` once the service is closed. */
  assertOpen: () => void;
  load: (meetingId: string) => Promise<Meeting>;
  live: (meetingId: string) => Meeting | undefined;
}

/**
 * How people get into meetings: creating one (with its policy), checking a link, and
 * joining, where the link, the passcode or PIN, bans, the guest policy and the locks decide
 * whether someone enters, waits in the lobby or is refused (docs/security.md, "Admission").
 * Kept out of `MeetingService` so each stays one readable file.
 */
export class Entrance {
  readonly #deps: EntranceDeps;

  constructor(deps: EntranceDeps) {
    this.#deps = deps;
  }

  /**
   * Turns a session secret (from the signed cookie) into a session. Anything but a
   * current participant of a running meeting is `unauthenticated`.
   */
  async authenticate(meetingId: string, sessionSecret: string): Promise<Session> {
    const participant = await this.#deps.repo.findParticipantBySession(
      meetingId,
      hashSecret(sessionSecret),
    );
    // A removed participant's session is dead; `forbidden` closes its socket as removed.
    if (participant?.removal !== undefined) throw new AppError('forbidden');
    if (participant === undefined || participant.leftAt !== null)
      throw new AppError('unauthenticated');
    if (participant.admission === 'waiting') {
      if (!(await this.#deps.lobbies.isWaiting(meetingId, participant.id)))
        throw new AppError('unauthenticated');
      return {
        meetingId,
        participantId: participant.id,
        role: participant.role,
        admission: 'waiting',
      };
    }
    const meeting = await this.#deps.load(meetingId).catch((error: unknown) => {
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
    this.#deps.assertOpen();
    const moderatorToken = newToken();
    const participantToken = newToken();
    const { policy, passcode } = await this.#deps.admin.resolve(
      { guestPolicy: 'ask_moderator', passcodeHash: null, lockAfterStartMinutes: null },
      { ...DEFAULT_POLICY_CHANGES, ...input.policy },
    );
    const record = {
      id: newId(),
      title: input.title?.trim() ?? '',
      createdAt: this.#deps.clock.now(),
      moderatorTokenHash: hashSecret(moderatorToken),
      participantTokenHash: hashSecret(participantToken),
      createdBy: input.createdBy ?? null,
      policy,
    };
    await this.#deps.repo.createMeeting(record);
    await this.#deps.audit.record({
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
    this.#deps.observer.emit('meetingCreated', { meetingId: record.id });
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
    this.#deps.assertOpen();
    const link = await this.#deps.gate.resolve(meetingId, token, context, 'meeting.link_checked');
    const { arrival, role } = this.#arrivalOf(link, context);
    const locked = this.#deps.live(meetingId)?.locks().meeting ?? link.meeting.locks.meeting;
    const policy = this.#deps.live(meetingId)?.policy ?? link.meeting.policy;
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
    const link = await this.#deps.gate.resolve(meetingId, token, context, 'meeting.joined');
    if (link.arrival === 'moderator_link' && context.userId === undefined)
      throw new AppError('unauthenticated', 'Sign in to use the moderator link.');
    await this.#deps.gate.verifySecret(link, context.secret, context, 'meeting.joined');
    await this.#refuseBanned(meetingId, context);
    const meeting = await this.#deps.load(meetingId);
    const { arrival, role } = this.#arrivalOf(link, context);
    if (link.invitation !== undefined) {
      // Used up atomically: two joins racing for a single-use invitation cannot both pass.
      if (!(await this.#deps.invitations.consume(link.invitation.id, this.#deps.clock.now())))
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
      await this.#deps.audit.record({
        action: 'meeting.joined',
        actor: ANONYMOUS_CREATOR,
        meetingId,
        outcome: 'denied',
        details: { reason: 'guest_policy', arrival },
        ...sourceOf(context),
      });
      throw new AppError('forbidden', 'This meeting admits only invited people.');
    }
    if (decision === 'admitted' && meeting.size >= this.#deps.maxParticipants) {
      await this.#releaseInvitation(link);
      throw new AppError('conflict', 'The meeting is full.');
    }
    const sessionSecret = newToken();
    const record: ParticipantRecord = {
      id: newId(),
      meetingId,
      displayName: displayName.trim(),
      role,
      joinedAt: this.#deps.clock.now(),
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
    else await this.#deps.lobbies.enqueue(record);
    try {
      await this.#deps.repo.addParticipant(record);
      await this.#deps.audit.record({
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
      else this.#deps.lobbies.revoke(meetingId, record.id);
      await this.#releaseInvitation(link);
      throw error;
    }
    if (decision === 'waiting') await this.#deps.lobbies.announce(meetingId);
    this.#deps.observer.emit('participantJoined', { meetingId, participantId: record.id, role });
    return { meetingId, participantId: record.id, role, admission: decision, sessionSecret };
  }

  /** How someone arrives by this link, and the role it gives them. */
  #arrivalOf(
    link: ResolvedLink,
    context: RequestContext,
  ): { arrival: LinkArrival; role: MeetingRole } {
    if (link.arrival !== 'link') return { arrival: link.arrival, role: link.role };
    return linkRole(context.userId !== undefined);
  }

  /** Gives back the use of an invitation a join consumed but did not complete. */
  async #releaseInvitation(link: ResolvedLink): Promise<void> {
    if (link.invitation === undefined) return;
    await this.#deps.invitations.release(link.invitation.id).catch((error: unknown) => {
      this.#deps.logger.warn({ err: error }, 'could not give back an invitation use');
    });
  }

  /**
   * Refuses a join from a browser that still holds the session of a participant who was
   * banned from this meeting; the refusal is audited as denied.
   */
  async #refuseBanned(meetingId: string, context: RequestContext): Promise<void> {
    if (
      context.userId !== undefined &&
      (await this.#deps.repo.isUserBanned(meetingId, context.userId))
    ) {
      await this.#deps.audit.record({
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
    const previous = await this.#deps.repo.findParticipantBySession(
      meetingId,
      hashSecret(context.previousSession),
    );
    if (previous?.removal !== 'banned') return;
    await this.#deps.audit.record({
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
}
