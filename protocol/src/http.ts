import { Type, type Static } from '@sinclair/typebox';
import { DisplayName, Id, MeetingRole, Title, Token } from './model.ts';

/** `POST /api/meetings`: create a meeting. */
export const CreateMeetingBody = Type.Object(
  { title: Type.Optional(Title) },
  { additionalProperties: false },
);
export type CreateMeetingBody = Static<typeof CreateMeetingBody>;

/** Answer to `POST /api/meetings`. The links carry their token in the fragment, which browsers never send to a server. */
export const CreateMeetingReply = Type.Object({
  meetingId: Id,
  title: Title,
  moderatorLink: Type.String(),
  participantLink: Type.String(),
});
export type CreateMeetingReply = Static<typeof CreateMeetingReply>;

/** `POST /api/meetings/:meetingId/check`: check a link before the pre-join page. */
export const CheckLinkBody = Type.Object({ token: Token }, { additionalProperties: false });
export type CheckLinkBody = Static<typeof CheckLinkBody>;

/** Answer to a link check. */
export const CheckLinkReply = Type.Object({ meetingId: Id, title: Title, role: MeetingRole });
export type CheckLinkReply = Static<typeof CheckLinkReply>;

/** `POST /api/meetings/:meetingId/join`: become a participant; sets the session cookie. */
export const JoinBody = Type.Object(
  { token: Token, displayName: DisplayName },
  { additionalProperties: false },
);
export type JoinBody = Static<typeof JoinBody>;

/** Answer to a join. */
export const JoinReply = Type.Object({ meetingId: Id, participantId: Id, role: MeetingRole });
export type JoinReply = Static<typeof JoinReply>;

/** Path parameters naming a meeting. */
export const MeetingParams = Type.Object({ meetingId: Id });
export type MeetingParams = Static<typeof MeetingParams>;

/** The WebSocket path for a meeting; the session cookie authenticates it. */
export function signalingPath(meetingId: string): string {
  return `/ws/meetings/${meetingId}`;
}
/** The name of the per-meeting session cookie. */
export function sessionCookieName(meetingId: string): string {
  return `kv_${meetingId}`;
}
