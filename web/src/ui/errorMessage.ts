import { ApiError } from '../api/ApiError.ts';
import type { MessageKey } from '../i18n/en.ts';

/**
 * The message to show for a failed request. Link problems get one deliberately vague
 * message, so a guesser learns nothing about which meetings exist.
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
