import type { AssignableRole, Participant } from '@konvent/protocol';
import { AppError } from '../errors/AppError.ts';
import type { LockEnforcer } from './LockEnforcer.ts';
import type { LiveParticipant, MeetingDeps } from './MeetingDeps.ts';
import type { MeetingRights } from './MeetingRights.ts';

/** What a role change needs from its meeting; the actor's right was checked already. */
export interface RoleContext {
  meetingId: string;
  actorId: string;
  target: LiveParticipant;
  participants: ReadonlyMap<string, LiveParticipant>;
  locks: LockEnforcer<LiveParticipant>;
  rights: MeetingRights;
  deps: Pick<MeetingDeps, 'repo' | 'fanout'>;
  view: (p: LiveParticipant) => Participant;
}

/**
 * Gives someone another role. Only people of the organisation or named in an invitation
 * become moderators (R1), and the last moderator keeps the role. The change is stored and
 * audited before anyone is told; the locks are then applied to the new role at once.
 */
export async function changeRole(ctx: RoleContext, role: AssignableRole): Promise<void> {
  const { target, actorId, rights, locks, deps } = ctx;
  const from = target.role;
  if (from === role) return;
  if (role === 'moderator' && !target.mayModerate) {
    await rights.recordDenied(actorId, 'moderation.role_changed', target.id, {
      reason: 'not_of_organisation',
      to: role,
    });
    throw new AppError(
      'forbidden',
      'Only people signed in with an account here, or named in an invitation, can be moderators.',
    );
  }
  const moderators = [...ctx.participants.values()].filter((p) => p.role === 'moderator');
  if (from === 'moderator' && moderators.length === 1)
    throw new AppError('conflict', 'The last moderator cannot give up the role.');
  const seen = locks.visibility();
  // Changed before any await, so two demotions at once cannot both pass the check above.
  target.role = role;
  try {
    await deps.repo.setParticipantRole(target.id, role);
    await rights.recordSuccess(actorId, 'moderation.role_changed', target.id, { from, to: role });
  } catch (error) {
    target.role = from;
    await deps.repo.setParticipantRole(target.id, from).catch(() => undefined);
    throw error;
  }
  // Awaited so the moderator's reply never overtakes what the others see.
  await deps.fanout.notify(ctx.meetingId, locks.audience(target), 'participant.updated', {
    participant: ctx.view(target),
  });
  // Locks bind by role: the new role may stop media or change who sees whom.
  locks.enforce(seen);
}
