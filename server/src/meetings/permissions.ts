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
  | 'chat.delete'
  | 'moderation.mute'
  | 'moderation.muteAll'
  | 'moderation.stopCamera'
  | 'moderation.remove'
  | 'moderation.setRole'
  | 'moderation.setLocks'
  | 'lobby.admit'
  | 'lobby.deny'
  | 'lobby.message'
  | 'meeting.policy'
  | 'meeting.invite'
  | 'meeting.report'
  | 'moderation.answerReport'
  | 'moderation.allowShare'
  | 'moderation.stopShare'
  | 'presentation.upload'
  | 'presentation.show'
  | 'media.upload'
  | 'media.control'
  | 'whiteboard.draw'
  | 'moderation.allowDraw'
  | 'annotation.clear'
  | 'breakout.manage'
  | 'minutes.appoint';

const MODERATORS: readonly MeetingRole[] = ['moderator'];

const RIGHTS: Record<MeetingAction, readonly MeetingRole[]> = {
  'meeting.end': MODERATORS,
  'chat.public': ['moderator', 'presenter', 'participant', 'guest'],
  // Guests (admitted from outside) cannot whisper to people one by one.
  'chat.private': ['moderator', 'presenter', 'participant'],
  // Deleting someone's message is moderation (C4), like muting them.
  'chat.delete': MODERATORS,
  'moderation.mute': MODERATORS,
  'moderation.muteAll': MODERATORS,
  'moderation.stopCamera': MODERATORS,
  'moderation.remove': MODERATORS,
  'moderation.setRole': MODERATORS,
  'moderation.setLocks': MODERATORS,
  'lobby.admit': MODERATORS,
  'lobby.deny': MODERATORS,
  'lobby.message': MODERATORS,
  'meeting.policy': MODERATORS,
  'meeting.invite': MODERATORS,
  // Anyone in the meeting can report another (R7); reports go to the moderators.
  'meeting.report': ['moderator', 'presenter', 'participant', 'guest'],
  'moderation.answerReport': MODERATORS,
  // Screen sharing itself is decided per person (role, granted right, the screenShare lock)
  // in MeetingLocks.maySend; granting the right and stopping a share is moderation.
  'moderation.allowShare': MODERATORS,
  'moderation.stopShare': MODERATORS,
  // Presentations (issue 6): those who present upload PDFs, show them and turn pages.
  'presentation.upload': ['moderator', 'presenter'],
  'presentation.show': ['moderator', 'presenter'],
  // Shared media (issue 6, item 5): the same people upload files and play them for all.
  'media.upload': ['moderator', 'presenter'],
  'media.control': ['moderator', 'presenter'],
  // Drawing on the whiteboard: these roles always; others once a moderator allows them
  // (WhiteboardDesk), which is moderation like allowing a screen share.
  'whiteboard.draw': ['moderator', 'presenter'],
  'moderation.allowDraw': MODERATORS,
  // Annotations: who may draw on the whiteboard may annotate (WhiteboardDesk decides);
  // clearing a page, or removing someone else's stroke, is for those who present.
  'annotation.clear': ['moderator', 'presenter'],
  // Breakout rooms (issue 7): opening, moving people, broadcasting and closing is moderation;
  // anyone may pick a room when the moderator lets them choose (BreakoutDesk).
  'breakout.manage': MODERATORS,
  // Minutes (issue 7): moderators appoint minute-takers; moderators and the takers edit the
  // notes and items (MinutesDesk), everyone admitted reads them.
  'minutes.appoint': MODERATORS,
};

/** Whether a role may perform an action. */
export function isAllowed(role: MeetingRole, action: MeetingAction): boolean {
  return RIGHTS[action].includes(role);
}
