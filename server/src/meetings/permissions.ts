/**
 * Which role may do what in a meeting. One table, consulted by the domain operation that
 * performs the action (design convention 11), never by the transport that carried it.
 */
import type { MeetingRole } from '@konvent/protocol';

/** Actions that need a right. */
export type MeetingAction = 'meeting.end' | 'chat.public' | 'chat.private';

const RIGHTS: Record<MeetingAction, readonly MeetingRole[]> = {
  'meeting.end': ['moderator'],
  'chat.public': ['moderator', 'participant'],
  'chat.private': ['moderator', 'participant'],
};

/** Whether a role may perform an action. */
export function isAllowed(role: MeetingRole, action: MeetingAction): boolean {
  return RIGHTS[action].includes(role);
}
