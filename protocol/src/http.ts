import { Type, type Static } from '@sinclair/typebox';
import {
  Arrival,
  DisplayName,
  Id,
  InvitationLabel,
  InvitationRole,
  InvitationView,
  MeetingPolicy,
  MeetingPolicyChanges,
  MeetingRole,
  Passcode,
  PresentationInfo,
  SharedMediaInfo,
  Title,
  Token,
} from './model.ts';

/**
 * `POST /api/meetings`: create a meeting. Policy fields not given take the restrictive
 * defaults (R8): guests ask a moderator, a generated passcode, locked 10 minutes after start.
 */
export const CreateMeetingBody = Type.Object(
  { title: Type.Optional(Title), policy: Type.Optional(MeetingPolicyChanges) },
  { additionalProperties: false },
);
export type CreateMeetingBody = Static<typeof CreateMeetingBody>;

/** Answer to `POST /api/meetings`. The links carry their token in the fragment, which browsers never send to a server. */
export const CreateMeetingReply = Type.Object({
  meetingId: Id,
  title: Title,
  /** Works only for a signed-in account of this server (R1: moderators are of the organisation). */
  moderatorLink: Type.String(),
  participantLink: Type.String(),
  policy: MeetingPolicy,
  /** A passcode the server generated, shown this once (stored only as a hash). */
  passcode: Type.Optional(Type.String()),
});
export type CreateMeetingReply = Static<typeof CreateMeetingReply>;

/** `POST /api/meetings/:meetingId/check`: check a link before the pre-join page. */
export const CheckLinkBody = Type.Object({ token: Token }, { additionalProperties: false });
export type CheckLinkBody = Static<typeof CheckLinkBody>;

/**
 * Answer to a link check: what the pre-join page must ask for. `secret` is what the join
 * must carry (the meeting passcode, an invitation's PIN, or nothing); `signIn` that the link
 * works only when signed in (the moderator link); `lobby` that the person will wait until a
 * moderator admits them (as things stand now).
 */
export const CheckLinkReply = Type.Object({
  meetingId: Id,
  title: Title,
  role: MeetingRole,
  arrival: Type.Union([Arrival, Type.Literal('moderator_link')]),
  secret: Type.Union([Type.Literal('none'), Type.Literal('passcode'), Type.Literal('pin')]),
  signIn: Type.Boolean(),
  lobby: Type.Boolean(),
});
export type CheckLinkReply = Static<typeof CheckLinkReply>;

/** `POST /api/meetings/:meetingId/join`: become a participant; sets the session cookie. */
export const JoinBody = Type.Object(
  { token: Token, displayName: DisplayName, secret: Type.Optional(Passcode) },
  { additionalProperties: false },
);
export type JoinBody = Static<typeof JoinBody>;

/**
 * Answer to a join. `waiting`: the person is in the lobby; their socket receives only lobby
 * frames until a moderator admits them (close code `admitted`, then reconnect) or denies them.
 */
export const JoinReply = Type.Object({
  meetingId: Id,
  participantId: Id,
  role: MeetingRole,
  admission: Type.Union([Type.Literal('admitted'), Type.Literal('waiting')]),
});
export type JoinReply = Static<typeof JoinReply>;

/** Path parameters naming a meeting. */
export const MeetingParams = Type.Object({ meetingId: Id });
export type MeetingParams = Static<typeof MeetingParams>;

/**
 * `GET /api/meetings/:meetingId/policy` and the answer to `PATCH` (body
 * `MeetingPolicyChanges`). Allowed to the meeting's organiser (account session and CSRF
 * token) and to its current moderators (meeting session cookie). `passcode` is set only
 * when the server generated one.
 */
export const PolicyReply = Type.Object({
  policy: MeetingPolicy,
  passcode: Type.Optional(Type.String()),
});
export type PolicyReply = Static<typeof PolicyReply>;

/** `POST /api/meetings/:meetingId/invitations`: a personal invitation (same callers as the policy). */
export const CreateInvitationBody = Type.Object(
  {
    label: InvitationLabel,
    role: Type.Optional(InvitationRole),
    /** 1 hour to 90 days; default 7 days. */
    expiresInHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 2160 })),
    /** 1–1000 uses, or null for any number until it expires; default 1 (single use). */
    maxUses: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 1000 }), Type.Null()])),
    /** Whether the server draws a PIN that must be given with the link (default false). */
    pin: Type.Optional(Type.Boolean()),
    /** Whoever joins through it is appointed minute-taker on arrival (default false). */
    minuteTaker: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateInvitationBody = Static<typeof CreateInvitationBody>;

/** Answer to creating an invitation: the link (token in the fragment) and PIN, shown once. */
export const CreateInvitationReply = Type.Object({
  invitation: InvitationView,
  link: Type.String(),
  pin: Type.Optional(Type.String()),
});
export type CreateInvitationReply = Static<typeof CreateInvitationReply>;

/** `GET /api/meetings/:meetingId/invitations`: newest first. */
export const InvitationsReply = Type.Object({ invitations: Type.Array(InvitationView) });
export type InvitationsReply = Static<typeof InvitationsReply>;

/** `DELETE /api/meetings/:meetingId/invitations/:invitationId` revokes (204). */
export const InvitationParams = Type.Object({ meetingId: Id, invitationId: Id });
export type InvitationParams = Static<typeof InvitationParams>;

/** Path parameters naming a presentation of a meeting. */
export const PresentationParams = Type.Object({ meetingId: Id, presentationId: Id });
export type PresentationParams = Static<typeof PresentationParams>;

/**
 * Default limits of `POST /api/meetings/:meetingId/presentations` (a server may set
 * smaller ones): the PDF's size in bytes, its page count, and how many one meeting keeps.
 */
export const PRESENTATION_LIMITS = {
  maxBytes: 50 * 1024 * 1024,
  maxPages: 300,
  perMeeting: 20,
} as const;

/** Longest presentation file name kept (longer ones are cut). */
export const MAX_PRESENTATION_NAME = 200;

/**
 * Answer to `POST /api/meetings/:meetingId/presentations?name=<file name>` (body: the PDF,
 * `content-type: application/pdf`; presenters and moderators, meeting session cookie).
 */
export const UploadPresentationReply = Type.Object({ presentation: PresentationInfo });
export type UploadPresentationReply = Static<typeof UploadPresentationReply>;

/**
 * `GET /api/meetings/:meetingId/presentations`: the meeting's presentations, newest first,
 * to show one again (presenters and moderators).
 */
export const PresentationsReply = Type.Object({ presentations: Type.Array(PresentationInfo) });
export type PresentationsReply = Static<typeof PresentationsReply>;

/** Query of the upload: the file's name as the person picked it. */
export const UploadPresentationQuery = Type.Object(
  { name: Type.Optional(Type.String({ maxLength: 1000 })) },
  { additionalProperties: false },
);
export type UploadPresentationQuery = Static<typeof UploadPresentationQuery>;

/** Path parameters naming a shared media file of a meeting. */
export const SharedMediaParams = Type.Object({ meetingId: Id, mediaId: Id });
export type SharedMediaParams = Static<typeof SharedMediaParams>;

/**
 * Default limits of `POST /api/meetings/:meetingId/media` (a server may set smaller ones):
 * the file's size in bytes, its length in seconds, and how many one meeting keeps.
 */
export const SHARED_MEDIA_LIMITS = {
  maxBytes: 200 * 1024 * 1024,
  maxSeconds: 4 * 60 * 60,
  perMeeting: 10,
} as const;

/**
 * Answer to `POST /api/meetings/:meetingId/media?name=<file name>` (body: the file as is,
 * any `audio/*` or `video/*` content type or `application/octet-stream`; presenters and
 * moderators, meeting session cookie). The server checks container and codecs itself.
 */
export const UploadSharedMediaReply = Type.Object({ media: SharedMediaInfo });
export type UploadSharedMediaReply = Static<typeof UploadSharedMediaReply>;

/**
 * `GET /api/meetings/:meetingId/media`: the meeting's media files, newest first, to play one
 * again (presenters and moderators).
 */
export const SharedMediaListReply = Type.Object({ media: Type.Array(SharedMediaInfo) });
export type SharedMediaListReply = Static<typeof SharedMediaListReply>;

/** The WebSocket path for a meeting; the session cookie authenticates it. */
export function signalingPath(meetingId: string): string {
  return `/ws/meetings/${meetingId}`;
}
/** The name of the per-meeting session cookie. */
export function sessionCookieName(meetingId: string): string {
  return `kv_${meetingId}`;
}

/**
 * Every audit action, defined once here: the server's audit log accepts exactly these
 * (`AUDIT_ACTIONS` in server/src/audit/events.ts) and the auditor page filters by them.
 */
export const AUDIT_ACTION_NAMES = [
  'server.start',
  'server.stop',
  'config.changed',
  'meeting.created',
  'meeting.joined',
  'meeting.left',
  'meeting.ended',
  'audit.retention_applied',
  'audit.subject_erased',
  'meeting.link_checked',
  'moderation.mute',
  'moderation.mute_all',
  'moderation.stop_camera',
  'moderation.remove',
  'moderation.role_changed',
  'moderation.locks_changed',
  'moderation.lobby_admitted',
  'moderation.lobby_denied',
  'moderation.lobby_message',
  'moderation.report_answered',
  'moderation.chat_deleted',
  'meeting.policy_changed',
  'meeting.invitation_created',
  'meeting.invitation_revoked',
  'meeting.link_throttled',
  'meeting.reported',
  'media.share_started',
  'media.share_stopped',
  'moderation.share_stopped',
  'moderation.share_allowed',
  'meeting.share_requested',
  'presentation.uploaded',
  'presentation.shown',
  'presentation.closed',
  'media.uploaded',
  'media.shown',
  'media.closed',
  'moderation.draw_allowed',
  'annotation.cleared',
  'breakout.started',
  'breakout.assigned',
  'breakout.moved',
  'breakout.broadcast',
  'breakout.ended',
  'minutes.taker_appointed',
  'minutes.taker_released',
  'minutes.merged',
  'minutes.exported',
  'auditor.granted',
  'auditor.signin',
  'auditor.search',
  'auditor.signout',
  'auth.setup_link_issued',
  'auth.login',
  'auth.mfa',
  'auth.lockout',
  'auth.logout',
  'auth.session_revoked',
  'auth.password_changed',
  'auth.link_issued',
  'auth.link_redeemed',
  'user.created',
  'user.roles_changed',
  'user.disabled',
  'user.enabled',
  'mfa.totp_enrolled',
  'mfa.totp_removed',
  'mfa.webauthn_added',
  'mfa.webauthn_removed',
  'mfa.recovery_codes_generated',
] as const;

/** How an audited action ended. */
export const AuditOutcome = Type.Union([
  Type.Literal('success'),
  Type.Literal('failure'),
  Type.Literal('denied'),
]);
export type AuditOutcome = Static<typeof AuditOutcome>;

/** The name of the auditor session cookie. */
export const AUDIT_COOKIE_NAME = 'kv_audit';

/** `POST /api/audit/session`: exchange a single-use auditor link token for a session cookie. */
export const AuditSessionBody = Type.Object({ token: Token }, { additionalProperties: false });
export type AuditSessionBody = Static<typeof AuditSessionBody>;

/** Answer to a sign-in (and to `GET /api/audit/session`): when the session ends. */
export const AuditSessionReply = Type.Object({ expiresAt: Type.String() });
export type AuditSessionReply = Static<typeof AuditSessionReply>;

const IsoTime = Type.String({
  maxLength: 40,
  pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:\\d{2})?)?$',
});

/**
 * `GET /api/audit/events`: search the audit trail, newest first. Query values are strings
 * (nothing is coerced); `limit` is 1–200 (default 50), `before` a seq from `nextBefore`.
 */
export const AuditEventsQuery = Type.Object(
  {
    from: Type.Optional(IsoTime),
    to: Type.Optional(IsoTime),
    actor: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' }),
    ),
    meeting: Type.Optional(Id),
    action: Type.Optional(Type.String({ maxLength: 64, pattern: '^[a-z_]+\\.[a-z_]+$' })),
    outcome: Type.Optional(AuditOutcome),
    limit: Type.Optional(Type.String({ pattern: '^([1-9]|[1-9][0-9]|1[0-9][0-9]|200)$' })),
    before: Type.Optional(Type.String({ pattern: '^(0|[1-9][0-9]{0,15})$' })),
  },
  { additionalProperties: false },
);
export type AuditEventsQuery = Static<typeof AuditEventsQuery>;

/** One audit event as an auditor sees it; erased events (retention) have no personal fields. */
export const AuditEventView = Type.Object({
  seq: Type.Number(),
  time: Type.String(),
  actor: Type.Object({ kind: Type.String(), id: Type.Union([Type.String(), Type.Null()]) }),
  action: Type.String(),
  target: Type.Union([Type.String(), Type.Null()]),
  meetingId: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.String(),
  source: Type.Union([Type.String(), Type.Null()]),
  details: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  erased: Type.Boolean(),
});
export type AuditEventView = Static<typeof AuditEventView>;

/** Answer to a search: a page of events and the `before` value of the next page, if any. */
export const AuditEventsReply = Type.Object({
  events: Type.Array(AuditEventView),
  nextBefore: Type.Union([Type.String(), Type.Null()]),
});
export type AuditEventsReply = Static<typeof AuditEventsReply>;
