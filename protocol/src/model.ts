import { Type, type Static } from '@sinclair/typebox';

/** Ids are 22-character base64url strings carrying 128 bits of randomness. */
export const Id = Type.String({ pattern: '^[A-Za-z0-9_-]{22}$', minLength: 22, maxLength: 22 });
/** Link tokens: 43-character base64url strings carrying 256 bits of randomness. */
export const Token = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', minLength: 43, maxLength: 43 });

/** A display name as people type it: trimmed, 1–64 characters, no control characters. */
export const DisplayName = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[^\\u0000-\\u001f\\u007f]*\\S[^\\u0000-\\u001f\\u007f]*$',
});
/** A meeting title: 0–200 characters, no control characters. */
export const Title = Type.String({ maxLength: 200, pattern: '^[^\\u0000-\\u001f\\u007f]*$' });

/**
 * The role a person holds in one meeting; what each may do is the matrix in
 * server/src/meetings/permissions.ts (and docs/security.md).
 */
export const MeetingRole = Type.Union([
  Type.Literal('moderator'),
  Type.Literal('presenter'),
  Type.Literal('participant'),
  Type.Literal('guest'),
]);
export type MeetingRole = Static<typeof MeetingRole>;

/** The roles a moderator can give someone in the meeting (guests come only through the lobby). */
export const AssignableRole = Type.Union([
  Type.Literal('moderator'),
  Type.Literal('presenter'),
  Type.Literal('participant'),
]);
export type AssignableRole = Static<typeof AssignableRole>;

/** Whether a participant's connection is currently up. */
export const Presence = Type.Union([Type.Literal('online'), Type.Literal('reconnecting')]);
export type Presence = Static<typeof Presence>;

/** One person in a meeting, as everyone in it sees them. */
export const Participant = Type.Object({
  id: Id,
  displayName: DisplayName,
  role: MeetingRole,
  presence: Presence,
  joinedAt: Type.String(),
  microphone: Type.Boolean(),
  camera: Type.Boolean(),
});
export type Participant = Static<typeof Participant>;

/** A chat message; `to` is set for a private message. */
export const ChatMessage = Type.Object({
  id: Id,
  senderId: Id,
  senderName: DisplayName,
  text: Type.String(),
  sentAt: Type.String(),
  to: Type.Optional(Id),
});
export type ChatMessage = Static<typeof ChatMessage>;

/** What kind of media a producer sends. */
export const MediaSource = Type.Union([Type.Literal('microphone'), Type.Literal('camera')]);
export type MediaSource = Static<typeof MediaSource>;

/** Public facts about a meeting that its participants may see. */
export const MeetingInfo = Type.Object({
  id: Id,
  title: Title,
  createdAt: Type.String(),
});
export type MeetingInfo = Static<typeof MeetingInfo>;

/**
 * What a moderator has locked for everyone who is not a moderator. `true` means locked:
 * microphones and cameras cannot send, public and private chat are closed, other
 * participants' cameras and the participant list show only moderators, and the meeting
 * admits no new joins (those already in it may reconnect).
 */
export const MeetingLocks = Type.Object(
  {
    microphones: Type.Boolean(),
    cameras: Type.Boolean(),
    publicChat: Type.Boolean(),
    privateChat: Type.Boolean(),
    seeCameras: Type.Boolean(),
    participantList: Type.Boolean(),
    meeting: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type MeetingLocks = Static<typeof MeetingLocks>;
/** The name of one lock. */
export type MeetingLockName = keyof MeetingLocks;
