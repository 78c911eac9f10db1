import {
  startAuthentication,
  startRegistration,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';
import type { SessionReply, WebAuthnRegisterReply } from '@konvent/protocol';
import {
  loginWithPasskey,
  passkeyLoginOptions,
  passkeyRegistrationOptions,
  registerPasskey,
} from '../api/authApi.ts';

/**
 * Registers a new passkey or security key: options from the server, the browser's
 * ceremony, the result back to the server. Browser failures (cancelled, no authenticator,
 * timed out) reject with the browser's error, server refusals with an ApiError.
 */
export async function createPasskey(name: string): Promise<WebAuthnRegisterReply> {
  const { options } = await passkeyRegistrationOptions();
  // The server builds these with @simplewebauthn/server, the counterpart of this library.
  const response = await startRegistration({
    optionsJSON: options as unknown as PublicKeyCredentialCreationOptionsJSON,
  });
  return registerPasskey(response, name);
}

/** Passes the second factor with a registered passkey (the `mfa` stage of a sign-in). */
export async function signInWithPasskey(): Promise<SessionReply> {
  const { options } = await passkeyLoginOptions();
  const response = await startAuthentication({
    optionsJSON: options as unknown as PublicKeyCredentialRequestOptionsJSON,
  });
  return loginWithPasskey(response);
}
