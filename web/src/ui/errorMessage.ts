import type { ErrorCode, PasswordProblem } from '@konvent/protocol';
import { ApiError } from '../api/ApiError.ts';
import { SignalingError } from '../media/SignalingError.ts';
import type { MessageKey } from '../i18n/en.ts';

/**
 * The message to show for a failed meeting-link request. Link problems get one deliberately
 * vague message, so a guesser learns nothing about which meetings exist.
 */
export function errorMessageKey(error: unknown): MessageKey {
  if (!(error instanceof ApiError)) return 'error.generic';
  switch (error.code) {
    case 'network':
      return 'error.network';
    case 'not_found':
    case 'unauthenticated':
    case 'forbidden':
      return 'error.invalidLink';
    case 'rate_limited':
      return 'error.rateLimited';
    case 'bad_request':
    case 'payload_too_large':
      return 'error.badRequest';
    case 'unavailable':
      return 'error.unavailable';
    default:
      return 'error.generic';
  }
}

/**
 * The message for a failed account, sign-in or admin request, or a failed signalling
 * request (a moderator command): the error catalogue's message for its code, in the
 * user's language (`apiError.<code>` in the catalogues).
 */
export function apiErrorKey(error: unknown): MessageKey {
  if (error instanceof SignalingError) {
    // No answer came: the socket closed or is reconnecting, or the server took too long.
    if (error.code === 'closed' || error.code === 'timeout') return 'error.network';
    return `apiError.${error.code}`;
  }
  if (!(error instanceof ApiError)) return 'error.generic';
  if (error.code === 'network') return 'error.network';
  return `apiError.${error.code}`;
}

/** The error code of a failed request, or null (network failures, other errors). */
export function errorCode(error: unknown): ErrorCode | null {
  return error instanceof ApiError && error.code !== 'network' ? error.code : null;
}

const PROBLEMS: readonly PasswordProblem[] = [
  'too_short',
  'too_long',
  'too_common',
  'too_guessable',
  'contains_username',
];

/**
 * The password problems a `password_rejected` answer names (its message lists them,
 * comma-separated), so the form can word each in the user's language.
 */
export function rejectedPasswordProblems(error: unknown): PasswordProblem[] {
  if (!(error instanceof ApiError) || error.code !== 'password_rejected') return [];
  return error.message
    .split(/[\s,]+/)
    .filter((word): word is PasswordProblem => (PROBLEMS as readonly string[]).includes(word));
}
