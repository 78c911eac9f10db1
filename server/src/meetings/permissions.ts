/**
 * Which role may do what in a meeting. One table, consulted by the domain operation that
 * performs the action (design convention 11), never by the transport that carried it.
 * docs/security.md ("Permissions") shows the same matrix; change both together.
 */
import type { MeetingRole } from '@konvent/protocol';

/** Actions that need a right. */
export type MeetingAction =
  | 'meeting.end'
  | 'chat.public'
  | 'chat.private'
  | 'moderation.mute'
  | 'moderation.muteAll'
  | 'moderation.stopCamera'
  | 'moderation.remove'
  | 'moderation.setRole'
  | 'moderation.setLocks';

const MODERATORS: readonly MeetingRole[] = ['moderator'];

const RIGHTS: Record<MeetingAction, readonly MeetingRole[]> = {
  'meeting.end': MODERATORS,
  'chat.public': ['moderator', 'presenter', 'participant', 'guest'],
  // Guests (admitted from outside) cannot whisper to people one by one.
  'chat.private': ['moderator', 'presenter', 'participant'],
  'moderation.mute': MODERATORS,
  'moderation.muteAll': MODERATORS,
  'moderation.stopCamera': MODERATORS,
  'moderation.remove': MODERATORS,
  'moderation.setRole': MODERATORS,
  'moderation.setLocks': MODERATORS,
};

/** Whether a role may perform an action. */
export function isAllowed(role: MeetingRole, action: MeetingAction): boolean {
  return RIGHTS[action].includes(role);
}
