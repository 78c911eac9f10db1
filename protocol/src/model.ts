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
  /** Whether they are sharing their screen (a window or tab) right now. */
  screen: Type.Boolean(),
  /**
   * Whether a moderator granted them the right to share their screen. Moderators and
   * presenters share without it; the `screenShare` lock leaves only moderators sharing.
   */
  mayShare: Type.Boolean(),
});
export type Participant = Static<typeof Participant>;

/**
 * A chat message; `to` is set for a private message. A message a moderator deletes simply
 * disappears (`chat.deleted`); no placeholder or marker stays behind.
 */
export const ChatMessage = Type.Object({
  id: Id,
  senderId: Id,
  senderName: DisplayName,
  text: Type.String(),
  sentAt: Type.String(),
  to: Type.Optional(Id),
});
export type ChatMessage = Static<typeof ChatMessage>;

/** What kind of media a producer sends; `screen` is a shared screen, window or tab (video). */
export const MediaSource = Type.Union([
  Type.Literal('microphone'),
  Type.Literal('camera'),
  Type.Literal('screen'),
]);
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
 * participants' cameras and the participant list show only moderators, and new arrivals who
 * are not moderators wait in the lobby (those already in it may reconnect).
 */
export const MeetingLocks = Type.Object(
  {
    microphones: Type.Boolean(),
    cameras: Type.Boolean(),
    publicChat: Type.Boolean(),
    privateChat: Type.Boolean(),
    seeCameras: Type.Boolean(),
    participantList: Type.Boolean(),
    /** New arrivals who are not moderators wait in the lobby, whatever the guest policy. */
    meeting: Type.Boolean(),
    /** Only moderators share their screen (presenters and granted people too are stopped). */
    screenShare: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type MeetingLocks = Static<typeof MeetingLocks>;

/**
 * Every lock open, defined once for server, client and tests. Typed as `MeetingLocks` so a
 * lock added to the protocol fails to compile here until it gets a default.
 */
export const OPEN_LOCKS: Readonly<MeetingLocks> = Object.freeze({
  microphones: false,
  cameras: false,
  publicChat: false,
  privateChat: false,
  seeCameras: false,
  participantList: false,
  meeting: false,
  screenShare: false,
});
/** The name of one lock. */
export type MeetingLockName = keyof MeetingLocks;

/**
 * Who enters a meeting without waiting (issue 5, R3). Moderators (signed-in holders of the
 * moderator link) and people with a personal invitation are never guests; everyone else who
 * arrives by the participant link is.
 * - `always_accept`: everyone with a valid link enters.
 * - `ask_moderator` (default): everyone arriving by the participant link waits in the lobby.
 * - `accept_signed_in`: signed-in accounts of this server enter; anonymous guests wait.
 * - `always_deny`: only moderators and personal invitations; the participant link is refused.
 */
export const GuestPolicy = Type.Union([
  Type.Literal('always_accept'),
  Type.Literal('ask_moderator'),
  Type.Literal('accept_signed_in'),
  Type.Literal('always_deny'),
]);
export type GuestPolicy = Static<typeof GuestPolicy>;

/** How a person arrived: the participant link anonymously, signed in, or by personal invitation. */
export const Arrival = Type.Union([
  Type.Literal('link'),
  Type.Literal('account'),
  Type.Literal('invitation'),
]);
export type Arrival = Static<typeof Arrival>;

/** A meeting passcode as people type it: 6–64 characters, no control characters. */
export const Passcode = Type.String({
  minLength: 6,
  maxLength: 64,
  pattern: '^[^\\u0000-\\u001f\\u007f]*$',
});

/**
 * A meeting's admission policy as moderators and its organiser see it. `passcode` says
 * whether arrivals by the participant link must give the meeting passcode (stored only as a
 * hash); `lockAfterStartMinutes` locks the meeting that many minutes after the first
 * moderator joined (null: never by itself). A locked meeting sends every new arrival who is
 * not a moderator to the lobby.
 */
export const MeetingPolicy = Type.Object(
  {
    guestPolicy: GuestPolicy,
    passcode: Type.Boolean(),
    lockAfterStartMinutes: Type.Union([Type.Integer({ minimum: 1, maximum: 1440 }), Type.Null()]),
  },
  { additionalProperties: false },
);
export type MeetingPolicy = Static<typeof MeetingPolicy>;

/**
 * A change to the policy; absent fields stay. `passcode`: `generate` makes the server draw
 * an 8-digit passcode (returned once), `none` removes it, a string sets it.
 */
export const MeetingPolicyChanges = Type.Object(
  {
    guestPolicy: Type.Optional(GuestPolicy),
    passcode: Type.Optional(Type.Union([Type.Literal('generate'), Type.Literal('none'), Passcode])),
    lockAfterStartMinutes: Type.Optional(
      Type.Union([Type.Integer({ minimum: 1, maximum: 1440 }), Type.Null()]),
    ),
  },
  { additionalProperties: false },
);
export type MeetingPolicyChanges = Static<typeof MeetingPolicyChanges>;

/** Someone waiting in the lobby, as moderators see them. */
export const LobbyEntry = Type.Object({
  id: Id,
  displayName: DisplayName,
  arrival: Arrival,
  waitingSince: Type.String(),
});
export type LobbyEntry = Static<typeof LobbyEntry>;

/** The roles a personal invitation can carry (named invitees may be moderators, R1). */
export const InvitationRole = AssignableRole;
export type InvitationRole = AssignableRole;

/** A free-text note who an invitation is for (name or address), sealed at rest. */
export const InvitationLabel = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '^[^\\u0000-\\u001f\\u007f]*\\S[^\\u0000-\\u001f\\u007f]*$',
});

/** A personal invitation as its meeting's organiser and moderators see it (never its token). */
export const InvitationView = Type.Object({
  id: Id,
  label: InvitationLabel,
  role: InvitationRole,
  createdAt: Type.String(),
  expiresAt: Type.String(),
  /** null: any number of uses until it expires. */
  maxUses: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
  uses: Type.Integer({ minimum: 0 }),
  revoked: Type.Boolean(),
  /** Whether a one-time PIN must be given with the link. */
  pin: Type.Boolean(),
  /** Whoever joins through it is appointed minute-taker on arrival. */
  minuteTaker: Type.Boolean(),
});
export type InvitationView = Static<typeof InvitationView>;

/** Why a participant reports another (R7). */
export const ReportReason = Type.Union([
  Type.Literal('harassment'),
  Type.Literal('spam'),
  Type.Literal('inappropriate'),
  Type.Literal('impersonation'),
  Type.Literal('other'),
]);
export type ReportReason = Static<typeof ReportReason>;

/** A participant's report about another, as moderators see it. */
export const ParticipantReport = Type.Object({
  id: Id,
  reporterId: Id,
  targetId: Id,
  reason: ReportReason,
  text: Type.Optional(Type.String({ maxLength: 500 })),
  reportedAt: Type.String(),
});
export type ParticipantReport = Static<typeof ParticipantReport>;

/** How a moderator answers a report. */
export const ReportAnswer = Type.Union([
  Type.Literal('dismiss'),
  Type.Literal('mute'),
  Type.Literal('remove'),
  Type.Literal('ban'),
]);
export type ReportAnswer = Static<typeof ReportAnswer>;

/** An uploaded presentation (a PDF): its file name as uploaded, page count and size in bytes. */
export const PresentationInfo = Type.Object({
  id: Id,
  name: Type.String({ maxLength: 200 }),
  pages: Type.Integer({ minimum: 1 }),
  size: Type.Integer({ minimum: 1 }),
});
export type PresentationInfo = Static<typeof PresentationInfo>;

/** The presentation everyone sees now: which page (1-based) and who turned to it last. */
export const ShownPresentation = Type.Object({
  id: Id,
  name: Type.String({ maxLength: 200 }),
  pages: Type.Integer({ minimum: 1 }),
  page: Type.Integer({ minimum: 1 }),
  presenterId: Id,
});
export type ShownPresentation = Static<typeof ShownPresentation>;

/** Whether a shared media file has pictures (`video`) or only sound (`audio`). */
export const SharedMediaKind = Type.Union([Type.Literal('video'), Type.Literal('audio')]);
export type SharedMediaKind = Static<typeof SharedMediaKind>;

/**
 * An uploaded audio or video file (shared media): its name as uploaded, what it holds, the
 * MIME type it is streamed with, its length in seconds and size in bytes.
 */
export const SharedMediaInfo = Type.Object({
  id: Id,
  name: Type.String({ maxLength: 200 }),
  kind: SharedMediaKind,
  mime: Type.String({ maxLength: 100 }),
  duration: Type.Number({ minimum: 0 }),
  size: Type.Integer({ minimum: 1 }),
});
export type SharedMediaInfo = Static<typeof SharedMediaInfo>;

/**
 * The media everyone plays now: whether it plays, and its position in seconds at `sentAt`
 * (the server's clock, ms since the epoch, when it sent this). While it plays, a client adds
 * the time since then, measured on the server's clock (see `media.clock`).
 */
export const SharedMediaState = Type.Object({
  media: SharedMediaInfo,
  playing: Type.Boolean(),
  position: Type.Number({ minimum: 0 }),
  sentAt: Type.Number(),
  presenterId: Id,
});
export type SharedMediaState = Static<typeof SharedMediaState>;
