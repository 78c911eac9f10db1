/**
 * Accounts, sign-in, sessions, MFA and user administration (issue 4): the HTTP contract
 * between the web client and the server. Every state-changing request made with a session
 * carries the session's CSRF token in the `x-csrf-token` header.
 */
import { Type, type Static } from '@sinclair/typebox';
import { DisplayName, Id, Token } from './model.ts';

/** Platform roles (not meeting roles): what a person may do on this installation. */
export const PLATFORM_ROLES = ['admin', 'auditor', 'key_custodian', 'organiser', 'member'] as const;
/** One platform role. */
export type PlatformRole = (typeof PLATFORM_ROLES)[number];
/** A platform role as a schema. */
export const PlatformRole = Type.Union(PLATFORM_ROLES.map((role) => Type.Literal(role)));
/** A set of roles: each at most once. */
export const PlatformRoles = Type.Array(PlatformRole, {
  maxItems: PLATFORM_ROLES.length,
  uniqueItems: true,
});

/** The name of the account session cookie (HttpOnly; SameSite=Lax; Secure with TLS). */
export const SESSION_COOKIE_NAME = 'kv_session';
/** The request header that carries the session's CSRF token. */
export const CSRF_HEADER = 'x-csrf-token';

/**
 * A user name: what a person types to sign in, usually an e-mail address. 3–254
 * characters, no spaces or control characters; compared case-insensitively.
 */
export const Username = Type.String({
  minLength: 3,
  maxLength: 254,
  pattern: '^[^\\s\\u0000-\\u001f\\u007f]+$',
});
/** A password as typed: the policy (length, dictionaries) is applied by the server. */
export const Password = Type.String({ minLength: 1, maxLength: 256 });

/** How the account signs in. */
export const AccountSource = Type.Union([
  Type.Literal('local'),
  Type.Literal('oidc'),
  Type.Literal('saml'),
]);
export type AccountSource = Static<typeof AccountSource>;

/** Second factors a user can use. */
export const MfaMethod = Type.Union([
  Type.Literal('totp'),
  Type.Literal('webauthn'),
  Type.Literal('recovery'),
]);
export type MfaMethod = Static<typeof MfaMethod>;

/**
 * Where a session stands: `full` may do everything its roles allow; `mfa` must first pass a
 * second factor (`methods`); `enrol` must first set up a second factor, because a role it
 * holds requires one (and may do nothing else).
 */
export const SessionStage = Type.Union([
  Type.Literal('full'),
  Type.Literal('mfa'),
  Type.Literal('enrol'),
]);
export type SessionStage = Static<typeof SessionStage>;

/** The signed-in user as the client sees them. */
export const AccountView = Type.Object({
  id: Id,
  username: Type.String(),
  displayName: Type.String(),
  roles: PlatformRoles,
  source: AccountSource,
  /** Whether the roles held require MFA. */
  mfaRequired: Type.Boolean(),
  totp: Type.Boolean(),
  webauthn: Type.Number(),
  recoveryCodesLeft: Type.Number(),
});
export type AccountView = Static<typeof AccountView>;

/** `GET /api/auth/session` and the answer to every completed sign-in step. */
export const SessionReply = Type.Object({
  stage: SessionStage,
  /** Factors that can complete an `mfa` stage. */
  methods: Type.Array(MfaMethod),
  account: AccountView,
  csrfToken: Type.String(),
  /** The absolute end of the session; idle sessions end earlier. */
  expiresAt: Type.String(),
  idleMinutes: Type.Number(),
});
export type SessionReply = Static<typeof SessionReply>;

/** `POST /api/auth/login`: local sign-in with user name and password. */
export const LoginBody = Type.Object(
  { username: Username, password: Password },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

/** A six-digit TOTP code, or a recovery code (`xxxxx-xxxxx`, case-insensitive). */
export const OtpCode = Type.String({ pattern: '^[0-9]{6}$' });
export const RecoveryCode = Type.String({ pattern: '^[A-Za-z0-9]{5}-?[A-Za-z0-9]{5}$' });

/** `POST /api/auth/mfa/totp`. */
export const TotpBody = Type.Object({ code: OtpCode }, { additionalProperties: false });
export type TotpBody = Static<typeof TotpBody>;

/** `POST /api/auth/mfa/recovery`. */
export const RecoveryBody = Type.Object({ code: RecoveryCode }, { additionalProperties: false });
export type RecoveryBody = Static<typeof RecoveryBody>;

/**
 * A WebAuthn response from the browser (`navigator.credentials.get/create` as JSON), checked
 * in depth by the server's WebAuthn library; here only its size is bounded.
 */
export const WebAuthnResponse = Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), {
  maxProperties: 16,
});

/** `POST /api/auth/mfa/webauthn`: the assertion for the options from `…/webauthn/options`. */
export const WebAuthnLoginBody = Type.Object(
  { response: WebAuthnResponse },
  { additionalProperties: false },
);
export type WebAuthnLoginBody = Static<typeof WebAuthnLoginBody>;

/**
 * Options for `navigator.credentials.get` or `.create` (as `@simplewebauthn/browser`
 * takes them, `optionsJSON`).
 */
export const WebAuthnOptionsReply = Type.Object({
  options: Type.Record(Type.String(), Type.Unknown()),
});
export type WebAuthnOptionsReply = Static<typeof WebAuthnOptionsReply>;

/** `POST /api/auth/setup`: create the first admin with the one-time setup token. */
export const SetupBody = Type.Object(
  { token: Token, username: Username, displayName: DisplayName, password: Password },
  { additionalProperties: false },
);
export type SetupBody = Static<typeof SetupBody>;

/** `POST /api/auth/link/check`: what a one-time link is for, before its form is shown. */
export const LinkCheckBody = Type.Object({ token: Token }, { additionalProperties: false });
export type LinkCheckBody = Static<typeof LinkCheckBody>;

/** What a one-time link does: first admin, invitation, or password reset. */
export const LinkKind = Type.Union([
  Type.Literal('setup'),
  Type.Literal('invite'),
  Type.Literal('reset'),
]);
export type LinkKind = Static<typeof LinkKind>;

/** Answer to a link check. */
export const LinkCheckReply = Type.Object({
  kind: LinkKind,
  /** For invitations and resets: the account's user name (the user may not change it). */
  username: Type.Union([Type.String(), Type.Null()]),
  expiresAt: Type.String(),
});
export type LinkCheckReply = Static<typeof LinkCheckReply>;

/** `POST /api/auth/link/redeem`: accept an invitation or reset a password. */
export const LinkRedeemBody = Type.Object(
  { token: Token, password: Password, displayName: Type.Optional(DisplayName) },
  { additionalProperties: false },
);
export type LinkRedeemBody = Static<typeof LinkRedeemBody>;

/** `POST /api/account/password`: change one's own password. */
export const PasswordChangeBody = Type.Object(
  { currentPassword: Password, newPassword: Password },
  { additionalProperties: false },
);
export type PasswordChangeBody = Static<typeof PasswordChangeBody>;

/** `POST /api/auth/password-check`: the policy's verdict on a candidate password. */
export const PasswordCheckBody = Type.Object(
  { password: Password, username: Type.Optional(Type.String({ maxLength: 254 })) },
  { additionalProperties: false },
);
export type PasswordCheckBody = Static<typeof PasswordCheckBody>;

/** Why a password is refused; the client words these in its language. */
export const PasswordProblem = Type.Union([
  Type.Literal('too_short'),
  Type.Literal('too_long'),
  Type.Literal('too_common'),
  Type.Literal('too_guessable'),
  Type.Literal('contains_username'),
]);
export type PasswordProblem = Static<typeof PasswordProblem>;

/** The policy's verdict: score 0–4 (zxcvbn) and the problems, empty when acceptable. */
export const PasswordCheckReply = Type.Object({
  ok: Type.Boolean(),
  score: Type.Number(),
  problems: Type.Array(PasswordProblem),
  minLength: Type.Number(),
});
export type PasswordCheckReply = Static<typeof PasswordCheckReply>;

/** Answer to `POST /api/account/totp/start`: a secret to enrol; the QR code is an SVG. */
export const TotpStartReply = Type.Object({
  secret: Type.String(),
  otpauthUri: Type.String(),
  qrSvg: Type.String(),
});
export type TotpStartReply = Static<typeof TotpStartReply>;

/** Answer to confirming TOTP or regenerating recovery codes: shown once, stored hashed. */
export const RecoveryCodesReply = Type.Object({ recoveryCodes: Type.Array(Type.String()) });
export type RecoveryCodesReply = Static<typeof RecoveryCodesReply>;

/** Answer to confirming TOTP: recovery codes (shown once) and the session as it now is. */
export const TotpConfirmReply = Type.Object({
  recoveryCodes: Type.Array(Type.String()),
  session: SessionReply,
});
export type TotpConfirmReply = Static<typeof TotpConfirmReply>;

/** Answer to registering a passkey: recovery codes if new ones were made, and the session. */
export const WebAuthnRegisterReply = Type.Object({
  recoveryCodes: Type.Union([Type.Array(Type.String()), Type.Null()]),
  session: SessionReply,
});
export type WebAuthnRegisterReply = Static<typeof WebAuthnRegisterReply>;

/** Answer to sign-out: where to go next (the identity provider's logout, if it has one). */
export const LogoutReply = Type.Object({ redirectTo: Type.Union([Type.String(), Type.Null()]) });
export type LogoutReply = Static<typeof LogoutReply>;

/** Answer to revoking sessions: how many ended. */
export const RevokedReply = Type.Object({ revoked: Type.Number() });
export type RevokedReply = Static<typeof RevokedReply>;

/** `POST /api/account/webauthn`: register a passkey or security key. */
export const WebAuthnRegisterBody = Type.Object(
  {
    response: WebAuthnResponse,
    name: Type.String({ minLength: 1, maxLength: 64, pattern: '^[^\\u0000-\\u001f\\u007f]+$' }),
  },
  { additionalProperties: false },
);
export type WebAuthnRegisterBody = Static<typeof WebAuthnRegisterBody>;

/** One registered WebAuthn credential. */
export const WebAuthnCredentialView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
});
export type WebAuthnCredentialView = Static<typeof WebAuthnCredentialView>;

/** `GET /api/account/factors`. */
export const FactorsReply = Type.Object({
  totp: Type.Boolean(),
  recoveryCodesLeft: Type.Number(),
  webauthn: Type.Array(WebAuthnCredentialView),
});
export type FactorsReply = Static<typeof FactorsReply>;

/** One of a user's sessions, as they (or an admin) see it. */
export const SessionView = Type.Object({
  id: Id,
  current: Type.Boolean(),
  createdAt: Type.String(),
  lastSeenAt: Type.String(),
  expiresAt: Type.String(),
  /** The source address, truncated (P1). */
  source: Type.Union([Type.String(), Type.Null()]),
  /** How the session was opened: password, oidc, saml, with which second factor. */
  method: Type.String(),
});
export type SessionView = Static<typeof SessionView>;

/** `GET /api/account/sessions`. */
export const SessionsReply = Type.Object({ sessions: Type.Array(SessionView) });
export type SessionsReply = Static<typeof SessionsReply>;

/** Path parameter naming a session, user or credential. */
export const IdParams = Type.Object({ id: Id });
export type IdParams = Static<typeof IdParams>;
/** Path parameter naming a WebAuthn credential (base64url, up to 1023 bytes of id). */
export const CredentialParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 1400, pattern: '^[A-Za-z0-9_-]+$' }),
});
export type CredentialParams = Static<typeof CredentialParams>;

/** A user as administrators see them. */
export const UserView = Type.Object({
  id: Id,
  username: Type.String(),
  displayName: Type.String(),
  roles: PlatformRoles,
  source: AccountSource,
  status: Type.Union([Type.Literal('active'), Type.Literal('invited'), Type.Literal('disabled')]),
  mfa: Type.Boolean(),
  createdAt: Type.String(),
  lastLoginAt: Type.Union([Type.String(), Type.Null()]),
  activeSessions: Type.Number(),
});
export type UserView = Static<typeof UserView>;

/** `GET /api/admin/users`. */
export const UsersReply = Type.Object({ users: Type.Array(UserView) });
export type UsersReply = Static<typeof UsersReply>;

/** `POST /api/admin/users`: invite a user; the answer holds a one-time link. */
export const InviteBody = Type.Object(
  { username: Username, displayName: DisplayName, roles: PlatformRoles },
  { additionalProperties: false },
);
export type InviteBody = Static<typeof InviteBody>;

/** A one-time link (invitation or reset): shown once to the admin, who passes it on. */
export const OneTimeLinkReply = Type.Object({ link: Type.String(), expiresAt: Type.String() });
export type OneTimeLinkReply = Static<typeof OneTimeLinkReply>;

/** `PATCH /api/admin/users/:id`: change roles and/or disable or enable. */
export const UpdateUserBody = Type.Object(
  { roles: Type.Optional(PlatformRoles), disabled: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateUserBody = Static<typeof UpdateUserBody>;

/** Identity providers the sign-in page offers (`GET /api/auth/providers`). */
export const ProvidersReply = Type.Object({
  password: Type.Boolean(),
  providers: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: Type.Union([Type.Literal('oidc'), Type.Literal('saml')]),
      label: Type.String(),
    }),
  ),
});
export type ProvidersReply = Static<typeof ProvidersReply>;
