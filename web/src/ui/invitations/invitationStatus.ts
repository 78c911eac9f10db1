import type { InvitationView } from '@konvent/protocol';

/** Whether an invitation still lets someone in, and if not, why not. */
export type InvitationStatus = 'active' | 'usedUp' | 'expired' | 'revoked';

/** The status of `invitation` at `now` (revoked wins, then expiry, then uses). */
export function invitationStatus(invitation: InvitationView, now: number): InvitationStatus {
  if (invitation.revoked) return 'revoked';
  if (Date.parse(invitation.expiresAt) <= now) return 'expired';
  if (invitation.maxUses !== null && invitation.uses >= invitation.maxUses) return 'usedUp';
  return 'active';
}
