import type {
  FactorsReply,
  InviteBody,
  LinkCheckReply,
  LinkRedeemBody,
  LogoutReply,
  OneTimeLinkReply,
  PasswordCheckReply,
  ProvidersReply,
  RecoveryCodesReply,
  RevokedReply,
  SessionReply,
  SessionsReply,
  SetupBody,
  TotpConfirmReply,
  TotpStartReply,
  UpdateUserBody,
  UsersReply,
  UserView,
  WebAuthnOptionsReply,
  WebAuthnRegisterReply,
} from '@konvent/protocol';
import { request } from './request.ts';

// ---- sign-in (`/api/auth`) ---------------------------------------------------------------

/** The sign-in methods this installation offers. */
export function fetchProviders(): Promise<ProvidersReply> {
  return request('GET', '/api/auth/providers');
}

/** The current session; 401 `unauthenticated` without one. */
export function fetchSession(): Promise<SessionReply> {
  return request('GET', '/api/auth/session');
}

/** Signs in with user name and password; the stage says what comes next. */
export function login(username: string, password: string): Promise<SessionReply> {
  return request('POST', '/api/auth/login', { username, password });
}

/** Passes the second factor with an authenticator app code. */
export function loginWithTotp(code: string): Promise<SessionReply> {
  return request('POST', '/api/auth/mfa/totp', { code });
}

/** Passes the second factor with a recovery code. */
export function loginWithRecoveryCode(code: string): Promise<SessionReply> {
  return request('POST', '/api/auth/mfa/recovery', { code });
}

/** Options for `startAuthentication` (passkey as second factor). */
export function passkeyLoginOptions(): Promise<WebAuthnOptionsReply> {
  return request('POST', '/api/auth/mfa/webauthn/options');
}

/** Passes the second factor with the browser's passkey assertion. */
export function loginWithPasskey(response: object): Promise<SessionReply> {
  return request('POST', '/api/auth/mfa/webauthn', { response });
}

/** Signs out; the reply may name the identity provider's logout page. */
export function logout(): Promise<LogoutReply> {
  return request('POST', '/api/auth/logout');
}

/** The password policy's verdict, for live feedback while typing. */
export function checkPassword(password: string, username?: string): Promise<PasswordCheckReply> {
  return request('POST', '/api/auth/password-check', {
    password,
    ...(username === undefined || username === '' ? {} : { username }),
  });
}

/** What a one-time link (setup, invitation, reset) is for. */
export function checkOneTimeLink(token: string): Promise<LinkCheckReply> {
  return request('POST', '/api/auth/link/check', { token });
}

/** Creates the first administrator with the setup link, and signs them in. */
export function completeSetup(body: SetupBody): Promise<SessionReply> {
  return request('POST', '/api/auth/setup', body);
}

/** Accepts an invitation or resets a password, and signs in. */
export function redeemLink(body: LinkRedeemBody): Promise<SessionReply> {
  return request('POST', '/api/auth/link/redeem', body);
}

// ---- one's own account (`/api/account`) -----------------------------------------------------

/** My live sessions. */
export function fetchSessions(): Promise<SessionsReply> {
  return request('GET', '/api/account/sessions');
}

/** Ends one of my sessions. */
export function endSession(id: string): Promise<void> {
  return request('DELETE', `/api/account/sessions/${encodeURIComponent(id)}`);
}

/** Ends every session of mine except this one. */
export function endOtherSessions(): Promise<RevokedReply> {
  return request('POST', '/api/account/sessions/revoke-others');
}

/** Changes my password (local accounts). */
export function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  return request('POST', '/api/account/password', { currentPassword, newPassword });
}

/** My second factors. */
export function fetchFactors(): Promise<FactorsReply> {
  return request('GET', '/api/account/factors');
}

/** Starts setting up an authenticator app: secret and QR code. */
export function startTotp(): Promise<TotpStartReply> {
  return request('POST', '/api/account/totp/start');
}

/** Confirms the authenticator app with a first code; answers recovery codes. */
export function confirmTotp(code: string): Promise<TotpConfirmReply> {
  return request('POST', '/api/account/totp/confirm', { code });
}

/** Removes the authenticator app. */
export function removeTotp(): Promise<void> {
  return request('DELETE', '/api/account/totp');
}

/** Replaces my recovery codes with new ones. */
export function regenerateRecoveryCodes(): Promise<RecoveryCodesReply> {
  return request('POST', '/api/account/recovery-codes');
}

/** Options for `startRegistration` (a new passkey). */
export function passkeyRegistrationOptions(): Promise<WebAuthnOptionsReply> {
  return request('POST', '/api/account/webauthn/options');
}

/** Registers the passkey the browser created. */
export function registerPasskey(response: object, name: string): Promise<WebAuthnRegisterReply> {
  return request('POST', '/api/account/webauthn', { response, name });
}

/** Removes a passkey. */
export function removePasskey(id: string): Promise<void> {
  return request('DELETE', `/api/account/webauthn/${encodeURIComponent(id)}`);
}

// ---- administration (`/api/admin`) ----------------------------------------------------------

/** Every account. */
export function fetchUsers(): Promise<UsersReply> {
  return request('GET', '/api/admin/users');
}

/** Invites a user; the reply holds the one-time link. */
export function inviteUser(body: InviteBody): Promise<OneTimeLinkReply> {
  return request('POST', '/api/admin/users', body);
}

/** Changes a user's roles, or disables or enables the account. */
export function updateUser(id: string, body: UpdateUserBody): Promise<UserView> {
  return request('PATCH', `/api/admin/users/${encodeURIComponent(id)}`, body);
}

/** A new one-time link for a user: the invitation again, or a password reset. */
export function issueUserLink(id: string): Promise<OneTimeLinkReply> {
  return request('POST', `/api/admin/users/${encodeURIComponent(id)}/link`);
}

/** Ends every session of a user. */
export function endUserSessions(id: string): Promise<RevokedReply> {
  return request('POST', `/api/admin/users/${encodeURIComponent(id)}/revoke-sessions`);
}
