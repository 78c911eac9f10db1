import { randomInt } from 'node:crypto';
import type {
  CreateInvitationBody,
  InvitationView,
  MeetingPolicy,
  MeetingPolicyChanges,
} from '@konvent/protocol';
import { hashPassword } from '../auth/passwords.ts';
import { AppError } from '../errors/AppError.ts';
import { relaxesGuestPolicy } from './admission.ts';
import type { Fanout } from './Fanout.ts';
import { sourceOf } from './LinkGate.ts';
import type { Meeting } from './Meeting.ts';
import type {
  AuditTrail,
  Clock,
  InvitationRecord,
  InvitationRepository,
  MeetingRecord,
  MeetingRepository,
  RequestContext,
  StoredPolicy,
} from './ports.ts';
import { hashSecret, newId, newToken } from './secrets.ts';

/**
 * Who manages a meeting's policy and invitations: its organiser (the account that created
 * it, or an admin) through their account session, or one of its moderators from inside.
 */
export type MeetingManager =
  { kind: 'user'; id: string; admin: boolean } | { kind: 'participant'; id: string };

/** The restrictive defaults of a new meeting (R7, R8). */
export const DEFAULT_POLICY_CHANGES: Required<MeetingPolicyChanges> = {
  guestPolicy: 'ask_moderator',
  passcode: 'generate',
  lockAfterStartMinutes: 10,
};

/** What the admin side needs. */
export interface MeetingAdminDeps {
  repo: MeetingRepository;
  invitations: InvitationRepository;
  fanout: Fanout;
  audit: AuditTrail;
  clock: Clock;
  /** The live meeting, loaded if needed (for moderators acting from inside). */
  load: (meetingId: string) => Promise<Meeting>;
  /** The live meeting, if it runs here. */
  live: (meetingId: string) => Meeting | undefined;
}

/** A stored policy and the passcode the server drew for it, if it drew one. */
export interface PolicyResult {
  policy: StoredPolicy;
  passcode?: string;
}

/**
 * A meeting's admission policy and personal invitations (R3, R4). Every change is
 * authorised here, audited with who did it, and told to the moderators in the meeting.
 * Relaxing the policy (a less strict guest policy, no passcode, no lock after start) is
 * recorded as such: it is a deliberate act (R8).
 */
export class MeetingAdmin {
  readonly #deps: MeetingAdminDeps;

  constructor(deps: MeetingAdminDeps) {
    this.#deps = deps;
  }

  /** Turns requested changes into a stored policy, drawing a passcode if asked. */
  async resolve(base: StoredPolicy, changes: MeetingPolicyChanges): Promise<PolicyResult> {
    const policy: StoredPolicy = { ...base };
    let passcode: string | undefined;
    if (changes.guestPolicy !== undefined) policy.guestPolicy = changes.guestPolicy;
    if (changes.lockAfterStartMinutes !== undefined)
      policy.lockAfterStartMinutes = changes.lockAfterStartMinutes;
    if (changes.passcode === 'none') policy.passcodeHash = null;
    else if (changes.passcode !== undefined) {
      passcode = changes.passcode === 'generate' ? drawDigits(8) : changes.passcode;
      policy.passcodeHash = await hashPassword(passcode);
    }
    return {
      policy,
      ...(passcode !== undefined && changes.passcode === 'generate' ? { passcode } : {}),
    };
  }

  /** The policy (organiser or moderators only). */
  async policy(manager: MeetingManager, meetingId: string): Promise<MeetingPolicy> {
    const record = await this.#authorize(manager, meetingId, 'meeting.policy');
    return toWire(this.#deps.live(meetingId)?.policy ?? record.policy);
  }

  /** Changes the policy; audited with what changed and whether it relaxed anything. */
  async setPolicy(
    manager: MeetingManager,
    meetingId: string,
    changes: MeetingPolicyChanges,
    context: RequestContext,
  ): Promise<{ policy: MeetingPolicy; passcode?: string }> {
    const record = await this.#authorize(manager, meetingId, 'meeting.policy');
    const live = this.#deps.live(meetingId);
    const before = live?.policy ?? record.policy;
    const { policy, passcode } = await this.resolve(before, changes);
    await this.#deps.repo.setPolicy(meetingId, policy);
    const relaxed =
      relaxesGuestPolicy(before.guestPolicy, policy.guestPolicy) ||
      (before.passcodeHash !== null && policy.passcodeHash === null) ||
      (before.lockAfterStartMinutes !== null && policy.lockAfterStartMinutes === null);
    await this.#deps.audit.record({
      action: 'meeting.policy_changed',
      actor: actorOf(manager),
      meetingId,
      target: meetingId,
      outcome: 'success',
      details: {
        guestPolicy: policy.guestPolicy,
        passcode:
          changes.passcode === undefined
            ? 'unchanged'
            : changes.passcode === 'none'
              ? 'removed'
              : 'set',
        lockAfterStartMinutes: policy.lockAfterStartMinutes ?? 'off',
        relaxed,
      },
      ...sourceOf(context),
    });
    const wire = toWire(policy);
    if (live !== undefined) {
      live.policy = policy;
      const moderators = live.moderatorIds();
      if (moderators.length > 0)
        await this.#deps.fanout.notify(meetingId, moderators, 'meeting.policyChanged', {
          policy: wire,
        });
    }
    return { policy: wire, ...(passcode === undefined ? {} : { passcode }) };
  }

  /** The meeting's invitations, newest first (organiser or moderators only). */
  async invitations(manager: MeetingManager, meetingId: string): Promise<InvitationView[]> {
    await this.#authorize(manager, meetingId, 'meeting.invite');
    return (await this.#deps.invitations.list(meetingId)).map(toView);
  }

  /** Creates a personal invitation; its token and PIN are returned this once. */
  async invite(
    manager: MeetingManager,
    meetingId: string,
    body: CreateInvitationBody,
    context: RequestContext,
  ): Promise<{ invitation: InvitationView; token: string; pin?: string }> {
    await this.#authorize(manager, meetingId, 'meeting.invite');
    const token = newToken();
    const pin = body.pin === true ? drawDigits(6) : undefined;
    const now = this.#deps.clock.now();
    const record: Omit<InvitationRecord, 'uses' | 'revokedAt'> = {
      id: newId(),
      meetingId,
      tokenHash: hashSecret(token),
      label: body.label.trim(),
      role: body.role ?? 'participant',
      pinHash: pin === undefined ? null : await hashPassword(pin),
      createdBy: `${manager.kind}:${manager.id}`,
      createdAt: now,
      expiresAt: new Date(now.getTime() + (body.expiresInHours ?? 7 * 24) * 3_600_000),
      maxUses: body.maxUses === undefined ? 1 : body.maxUses,
      minuteTaker: body.minuteTaker === true,
    };
    await this.#deps.invitations.create(record);
    await this.#deps.audit.record({
      action: 'meeting.invitation_created',
      actor: actorOf(manager),
      meetingId,
      target: record.id,
      outcome: 'success',
      details: {
        role: record.role,
        expiresAt: record.expiresAt.toISOString(),
        maxUses: record.maxUses ?? 'unlimited',
        pin: pin !== undefined,
        minuteTaker: record.minuteTaker === true,
      },
      ...sourceOf(context),
    });
    return {
      invitation: toView({ ...record, uses: 0, revokedAt: null }),
      token,
      ...(pin === undefined ? {} : { pin }),
    };
  }

  /** Revokes an invitation; an unknown or already revoked one is `not_found`. */
  async revoke(
    manager: MeetingManager,
    meetingId: string,
    invitationId: string,
    context: RequestContext,
  ): Promise<void> {
    await this.#authorize(manager, meetingId, 'meeting.invite');
    const revoked = await this.#deps.invitations.revoke(
      meetingId,
      invitationId,
      this.#deps.clock.now(),
    );
    if (!revoked) throw new AppError('not_found', 'There is no such invitation to revoke.');
    await this.#deps.audit.record({
      action: 'meeting.invitation_revoked',
      actor: actorOf(manager),
      meetingId,
      target: invitationId,
      outcome: 'success',
      ...sourceOf(context),
    });
  }

  /**
   * The meeting, if the manager may manage it. Refusals are audited as denied; an unknown
   * meeting is `not_found` for everyone (a moderator session implies the meeting exists).
   */
  async #authorize(
    manager: MeetingManager,
    meetingId: string,
    action: 'meeting.policy' | 'meeting.invite',
  ): Promise<MeetingRecord> {
    const audit =
      action === 'meeting.policy' ? 'meeting.policy_changed' : 'meeting.invitation_created';
    if (manager.kind === 'participant') {
      const meeting = await this.#deps.load(meetingId);
      await meeting.requireRight(manager.id, action, audit);
    }
    const record = await this.#deps.repo.findMeeting(meetingId);
    if (record === undefined) throw new AppError('not_found');
    if (record.endedAt !== null) throw new AppError('meeting_ended');
    if (manager.kind === 'user' && record.createdBy !== manager.id && !manager.admin) {
      await this.#deps.audit.record({
        action: audit,
        actor: actorOf(manager),
        meetingId,
        target: meetingId,
        outcome: 'denied',
        details: { reason: 'not_organiser' },
      });
      // The same answer as for a meeting that does not exist: organisers cannot probe ids.
      throw new AppError('not_found');
    }
    return record;
  }
}

/** The policy as the wire shows it (never the passcode hash). */
export function toWire(policy: StoredPolicy): MeetingPolicy {
  return {
    guestPolicy: policy.guestPolicy,
    passcode: policy.passcodeHash !== null,
    lockAfterStartMinutes: policy.lockAfterStartMinutes,
  };
}

function toView(record: InvitationRecord): InvitationView {
  return {
    id: record.id,
    label: record.label,
    role: record.role,
    createdAt: record.createdAt.toISOString(),
    expiresAt: record.expiresAt.toISOString(),
    maxUses: record.maxUses,
    uses: record.uses,
    revoked: record.revokedAt !== null,
    pin: record.pinHash !== null,
    minuteTaker: record.minuteTaker === true,
  };
}

function actorOf(manager: MeetingManager): { kind: 'user' | 'participant'; id: string } {
  return { kind: manager.kind, id: manager.id };
}

/** A uniformly random string of decimal digits (passcodes, PINs). */
function drawDigits(length: number): string {
  let digits = '';
  for (let i = 0; i < length; i += 1) digits += String(randomInt(10));
  return digits;
}
