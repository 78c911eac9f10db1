import type { MeetingRole } from '@konvent/protocol';
import { verifyAgainstNothing, verifyPassword } from '../auth/passwords.ts';
import { AppError } from '../errors/AppError.ts';
import type { MeetingObserverEvents } from './events.ts';
import type {
  LinkArrival,
  AttemptThrottle,
  AuditTrail,
  Clock,
  InvitationRecord,
  InvitationRepository,
  MeetingRecord,
  MeetingRepository,
  RequestContext,
} from './ports.ts';
import { hashSecret, sameHash } from './secrets.ts';
import type { TypedEmitter } from './TypedEmitter.ts';

/** How many failures lock a key, in what window, for how long. */
export interface LinkThrottleRules {
  /** Every failure from one source address (unknown meeting, wrong token, passcode or PIN). */
  source: { maxFailures: number; windowMs: number; lockMs: number };
  /** Wrong passcodes and PINs of one meeting, from anywhere. */
  secret: { maxFailures: number; windowMs: number; lockMs: number };
}

/**
 * Defaults: 20 failures from one address in 10 minutes, or 10 wrong passcodes/PINs for one
 * meeting in 10 minutes, lock for 15 minutes. A token carries 256 bits, so only the short
 * secrets need a per-meeting count; counting tokens per meeting would only let a stranger
 * lock a meeting's guests out.
 */
export const DEFAULT_LINK_THROTTLE: LinkThrottleRules = {
  source: { maxFailures: 20, windowMs: 10 * 60_000, lockMs: 15 * 60_000 },
  secret: { maxFailures: 10, windowMs: 10 * 60_000, lockMs: 15 * 60_000 },
};

/** What a valid link opens. */
export interface ResolvedLink {
  meeting: MeetingRecord;
  arrival: LinkArrival;
  /** The role the link gives (`participant` for the participant link; see `roleFor`). */
  role: MeetingRole;
  invitation?: InvitationRecord;
  /** What the join must carry besides the token. */
  secret: 'none' | 'passcode' | 'pin';
}

/** What the gate needs. */
export interface LinkGateDeps {
  repo: MeetingRepository;
  invitations: InvitationRepository;
  throttle: AttemptThrottle;
  audit: AuditTrail;
  clock: Clock;
  observer: TypedEmitter<MeetingObserverEvents>;
  rules?: LinkThrottleRules;
}

type Purpose = 'meeting.link_checked' | 'meeting.joined';

// Compared against when the meeting does not exist, so that case costs what a wrong
// token costs.
const DUMMY_HASH = hashSecret('konvent-no-such-meeting');

/**
 * The door of every meeting: turns a meeting id and link token into what the link opens
 * (moderator link, participant link or a personal invitation) and checks the passcode or
 * PIN. An unknown meeting, a wrong token and an expired, used-up or revoked invitation all
 * give the same `not_found`, so nobody learns whether a meeting exists; only a holder of a
 * valid token learns that it ended or needs a passcode. Failures are audited and counted
 * per source address, wrong passcodes and PINs also per meeting; a locked key is refused
 * (`rate_limited`) without checking anything.
 */
export class LinkGate {
  readonly #deps: LinkGateDeps;
  readonly #rules: LinkThrottleRules;

  constructor(deps: LinkGateDeps) {
    this.#deps = deps;
    this.#rules = deps.rules ?? DEFAULT_LINK_THROTTLE;
  }

  /** Resolves a link; see the class comment for what is refused and how. */
  async resolve(
    meetingId: string,
    token: string,
    context: RequestContext,
    purpose: Purpose,
  ): Promise<ResolvedLink> {
    await this.#refuseLocked(sourceKey(context));
    const record = await this.#deps.repo.findMeeting(meetingId);
    const hash = hashSecret(token);
    const moderator = sameHash(hash, record?.moderatorTokenHash ?? DUMMY_HASH);
    const participant = sameHash(hash, record?.participantTokenHash ?? DUMMY_HASH);
    let invitation: InvitationRecord | undefined;
    if (!moderator && !participant) {
      // Asked even for an unknown meeting, so both cases cost one more query.
      invitation = await this.#deps.invitations.findByToken(meetingId, hash);
      if (invitation !== undefined && !usable(invitation, this.#deps.clock.now()))
        invitation = undefined;
    }
    if (record === undefined || (!moderator && !participant && invitation === undefined)) {
      this.#deps.observer.emit('linkRejected', { meetingId });
      await this.#failure(meetingId, purpose, 'invalid_link', context, [
        [sourceKey(context), this.#rules.source],
      ]);
      throw new AppError('not_found');
    }
    if (record.endedAt !== null) throw new AppError('meeting_ended');
    if (moderator)
      return { meeting: record, arrival: 'moderator_link', role: 'moderator', secret: 'none' };
    if (invitation !== undefined) {
      return {
        meeting: record,
        arrival: 'invitation',
        role: invitation.role,
        invitation,
        secret: invitation.pinHash === null ? 'none' : 'pin',
      };
    }
    return {
      meeting: record,
      arrival: 'link',
      role: 'participant',
      secret: record.policy.passcodeHash === null ? 'none' : 'passcode',
    };
  }

  /**
   * Checks the passcode or PIN a link needs. A missing one is `invalid_credentials` (not
   * counted: the page asks for it); a wrong one is audited, counted against the meeting
   * and the source, and `invalid_credentials`.
   */
  async verifySecret(
    link: ResolvedLink,
    secret: string | undefined,
    context: RequestContext,
    purpose: Purpose,
  ): Promise<void> {
    const expected =
      link.secret === 'pin'
        ? (link.invitation?.pinHash ?? null)
        : link.secret === 'passcode'
          ? link.meeting.policy.passcodeHash
          : null;
    if (expected === null) return;
    const what = link.secret === 'pin' ? 'PIN' : 'passcode';
    if (secret === undefined) throw new AppError('invalid_credentials', `The ${what} is required.`);
    const meetingKey = `meeting-secret:${link.meeting.id}`;
    const locked = await this.#deps.throttle.lockedUntil(meetingKey, this.#deps.clock.now());
    if (locked !== undefined) {
      // Spend the same time as a check, so a lock cannot be told from a wrong secret by timing.
      await verifyAgainstNothing(secret);
      throw new AppError('rate_limited', `Too many wrong ${what}s for this meeting; try later.`);
    }
    if (await verifyPassword(expected, secret)) return;
    await this.#failure(link.meeting.id, purpose, `wrong_${link.secret}`, context, [
      [meetingKey, this.#rules.secret],
      [sourceKey(context), this.#rules.source],
    ]);
    throw new AppError('invalid_credentials', `The ${what} is wrong.`);
  }

  async #refuseLocked(key: string | undefined): Promise<void> {
    if (key === undefined) return;
    if ((await this.#deps.throttle.lockedUntil(key, this.#deps.clock.now())) !== undefined)
      throw new AppError('rate_limited');
  }

  /** Audits a failed attempt and counts it; a key that becomes locked is audited too. */
  async #failure(
    meetingId: string,
    purpose: Purpose,
    reason: string,
    context: RequestContext,
    keys: [string | undefined, LinkThrottleRules['source']][],
  ): Promise<void> {
    await this.#deps.audit.record({
      action: purpose,
      actor: { kind: 'system', id: 'anonymous' },
      meetingId,
      outcome: 'failure',
      details: { reason },
      ...sourceOf(context),
    });
    const now = this.#deps.clock.now();
    for (const [key, rule] of keys) {
      if (key === undefined) continue;
      const result = await this.#deps.throttle.fail(key, rule, now);
      if (result.lockedUntil === undefined) continue;
      await this.#deps.audit.record({
        action: 'meeting.link_throttled',
        actor: { kind: 'system', id: 'throttle' },
        meetingId,
        target: key.startsWith('meeting-secret:') ? meetingId : 'source',
        outcome: 'success',
        details: { failures: result.failures, until: result.lockedUntil.toISOString() },
        ...sourceOf(context),
      });
    }
  }
}

/** Whether an invitation can still be used at `now`. */
export function usable(invitation: InvitationRecord, now: Date): boolean {
  return (
    invitation.revokedAt === null &&
    invitation.expiresAt > now &&
    (invitation.maxUses === null || invitation.uses < invitation.maxUses)
  );
}

function sourceKey(context: RequestContext): string | undefined {
  return context.source === undefined ? undefined : `meeting-source:${context.source}`;
}

/** The context's source address as an optional audit field. */
export function sourceOf(context: RequestContext): { source?: string } {
  return context.source === undefined ? {} : { source: context.source };
}
