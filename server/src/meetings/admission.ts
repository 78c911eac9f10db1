/**
 * Who waits, who enters and who is refused: the guest policy applied to how someone
 * arrived (R3, R7). Pure, so the table in docs/security.md ("Admission") can be tested
 * line by line.
 */
import type { Arrival, GuestPolicy, MeetingRole } from '@konvent/protocol';
import type { ArrivalKind } from './ports.ts';

/** The outcome for one arrival. */
export type AdmissionDecision = 'admitted' | 'waiting' | 'refused';

/**
 * Moderators (signed-in holders of the moderator link, or invited as moderators) always
 * enter. Personal invitations enter unless the meeting is locked. The participant link
 * follows the guest policy; a locked meeting sends everyone who would enter to the lobby.
 */
export function decideAdmission(
  policy: GuestPolicy,
  arrival: ArrivalKind,
  role: MeetingRole,
  locked: boolean,
): AdmissionDecision {
  if (role === 'moderator') return 'admitted';
  if (arrival === 'invitation') return locked ? 'waiting' : 'admitted';
  switch (policy) {
    case 'always_deny':
      return 'refused';
    case 'ask_moderator':
      return 'waiting';
    case 'always_accept':
      return locked ? 'waiting' : 'admitted';
    case 'accept_signed_in':
      return arrival === 'account' && !locked ? 'admitted' : 'waiting';
  }
}

/**
 * The role someone gets from the participant link: a signed-in account of this server is a
 * participant, anyone else a guest. Other links carry their role.
 */
export function linkRole(signedIn: boolean): { arrival: Arrival; role: MeetingRole } {
  return signedIn
    ? { arrival: 'account', role: 'participant' }
    : { arrival: 'link', role: 'guest' };
}

const STRICTNESS: Record<GuestPolicy, number> = {
  always_accept: 0,
  accept_signed_in: 1,
  ask_moderator: 2,
  always_deny: 3,
};

/** Whether moving from one guest policy to another lets more people in without asking. */
export function relaxesGuestPolicy(from: GuestPolicy, to: GuestPolicy): boolean {
  return STRICTNESS[to] < STRICTNESS[from];
}
