import {
  AuthorizationResponseError,
  ClientError,
  ResponseBodyError,
  WWWAuthenticateChallengeError,
} from 'openid-client';
import { AppError } from '../../errors/AppError.ts';

/** Authorization-response error codes that mean the provider is down, not that it said no. */
const PROVIDER_DOWN = new Set(['server_error', 'temporarily_unavailable']);
/**
 * Token-endpoint errors that mean this server's client registration is wrong: the user can
 * do nothing about them, so they are reported as the service being unavailable.
 */
const MISCONFIGURED = new Set(['invalid_client', 'unauthorized_client']);
/** Node's and undici's codes for a network that does not carry the request. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
/** A standard error code is safe to show; anything else in `error=` may be attacker text. */
const ERROR_CODE = /^[a-z_]{1,64}$/;

/**
 * Turns whatever openid-client (or fetch under it) threw while completing a sign-in into
 * the AppError the routes answer with: `unavailable` when the provider cannot be reached
 * or answers like a broken server, `invalid_credentials` for anything wrong with the
 * response itself. Details are short, fixed texts: the original error (which may hold
 * codes, tokens or claims) stays only in `cause`, for the server log.
 */
export function oidcFailure(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const fail = (code: 'unavailable' | 'invalid_credentials', detail: string) =>
    new AppError(code, detail, { cause: error });

  if (unreachable(error)) return fail('unavailable', 'the identity provider cannot be reached');
  if (error instanceof AuthorizationResponseError) {
    if (PROVIDER_DOWN.has(error.error)) {
      return fail('unavailable', `the identity provider reported ${error.error}`);
    }
    const code = ERROR_CODE.test(error.error) ? error.error : 'an error';
    return fail('invalid_credentials', `the identity provider refused the sign-in (${code})`);
  }
  if (error instanceof ResponseBodyError) {
    if (error.status >= 500) return fail('unavailable', 'the identity provider failed');
    if (MISCONFIGURED.has(error.error)) {
      return fail('unavailable', 'the identity provider does not accept this server as a client');
    }
    return fail('invalid_credentials', 'the identity provider did not accept the sign-in code');
  }
  if (error instanceof WWWAuthenticateChallengeError) {
    // 401 with a challenge: the provider did not accept our client authentication (a wrong
    // or rotated client secret), which only the operator can fix.
    if (error.status === 401) {
      return fail('unavailable', 'the identity provider does not accept this server as a client');
    }
    return fail('invalid_credentials', 'the identity provider did not accept the sign-in code');
  }
  if (error instanceof ClientError) {
    switch (error.code) {
      case 'OAUTH_RESPONSE_IS_NOT_CONFORM':
      case 'OAUTH_RESPONSE_IS_NOT_JSON':
        // An error page from the provider or a proxy in front of it, not a protocol answer.
        return fail('unavailable', 'the identity provider answered with an unexpected response');
      case 'OAUTH_JWT_CLAIM_COMPARISON_FAILED':
        return fail('invalid_credentials', 'the ID token does not belong to this sign-in');
      case 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED':
        return fail('invalid_credentials', 'the ID token has expired or is not yet valid');
      default:
        return fail('invalid_credentials', 'the identity provider response failed validation');
    }
  }
  return new AppError('internal', undefined, { cause: error });
}

/** Whether `error` says the provider could not be reached (network, TLS, timeout). */
function unreachable(error: unknown): boolean {
  if (error instanceof ClientError) {
    return error.code === 'OAUTH_TIMEOUT' || error.code === 'OAUTH_ABORT';
  }
  if (error instanceof DOMException) {
    return error.name === 'TimeoutError' || error.name === 'AbortError';
  }
  // fetch() reports network failures as TypeError('fetch failed') with the socket error as cause.
  if (error instanceof TypeError && error.message === 'fetch failed') return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && NETWORK_CODES.has(code);
}
