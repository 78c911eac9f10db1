import { CSRF_HEADER, isErrorCode } from '@konvent/protocol';
import { ApiError } from './ApiError.ts';

/** The HTTP methods the API uses. */
export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** Options for {@link request}. */
export interface RequestOptions {
  /**
   * Whether a 401 `unauthenticated` answer means the account session has ended (default
   * true). The auditor API has sessions of its own and turns this off.
   */
  accountSession?: boolean;
  /**
   * When to send the account session's CSRF token: with every request that changes
   * something (`changes`, the default), with every request (`always`: the server takes the
   * header as "act as this account", as the meeting policy routes do), or never (`never`:
   * the request speaks for the meeting session cookie, not the account).
   */
  csrf?: 'changes' | 'always' | 'never';
}

// The CSRF token of the current account session. The session cookie is HttpOnly, so the
// client learns the token only from a SessionReply; the auth store keeps it up to date.
let csrfToken: string | null = null;
let sessionLostListener: (() => void) | null = null;

/** Sets (or clears) the CSRF token sent with every state-changing request. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/**
 * Registers the one listener told when a request that carried a session is refused with
 * 401 `unauthenticated`: the session was signed out, revoked, expired or its account
 * disabled elsewhere, and the page must show the sign-in again.
 */
export function onSessionLost(listener: (() => void) | null): void {
  sessionLostListener = listener;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * One JSON API call. Every non-GET request carries the session's CSRF token; POST and
 * PATCH always send a JSON body (`{}` when there is nothing to say), because the server
 * refuses a JSON content type without one. Failures become an {@link ApiError}.
 */
export async function request<T>(
  method: Method,
  path: string,
  body?: object,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const sendsBody = method === 'POST' || method === 'PATCH';
  if (sendsBody) headers['content-type'] = 'application/json';
  const csrf = options.csrf ?? 'changes';
  const sendCsrf = csrf === 'always' || (csrf === 'changes' && method !== 'GET');
  if (sendCsrf && csrfToken !== null) headers[CSRF_HEADER] = csrfToken;
  const hadSession = csrfToken !== null;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      ...(sendsBody ? { body: JSON.stringify(body ?? {}) } : {}),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (error) {
    throw new ApiError('network', 0, error instanceof Error ? error.message : 'fetch failed');
  }
  if (response.status === 204) return undefined as T;
  const payload: unknown = await response.json().catch(() => null);
  // The server validates its replies against the protocol schemas.
  if (response.ok) return payload as T;
  const code = isRecord(payload) && isErrorCode(payload.code) ? payload.code : 'internal';
  const message = isRecord(payload) && typeof payload.message === 'string' ? payload.message : '';
  if (code === 'unauthenticated' && hadSession && options.accountSession !== false) {
    sessionLostListener?.();
  }
  throw new ApiError(code, response.status, message || response.statusText);
}
