/**
 * The one place where errors become replies, for HTTP and for the signalling socket
 * (design convention 5). Anything that is not an `AppError` is classified here; unknown
 * errors become `internal` and never leak their text or stack.
 */
import type { ErrorBody, ResponseFrame } from '@konvent/protocol';
import { AppError, toAppError } from '../errors/AppError.ts';

interface FastifyLikeError {
  code?: unknown;
  statusCode?: unknown;
  validation?: unknown;
  message?: unknown;
}

/** Maps framework errors (Fastify, its plugins, body parsing) onto the catalogue. */
export function classifyError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (typeof error === 'object' && error !== null) {
    const e = error as FastifyLikeError;
    if (e.validation !== undefined)
      return new AppError('bad_request', validationDetail(e.message), { cause: error });
    switch (e.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return new AppError('payload_too_large', undefined, { cause: error });
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return new AppError('bad_request', 'The body must be JSON.', { cause: error });
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return new AppError('bad_request', 'The body is not valid JSON.', { cause: error });
      default:
        break;
    }
    // JSON.parse failures and prototype-poisoning rejections from the body parser.
    if (e.statusCode === 400 || error instanceof SyntaxError) {
      return new AppError('bad_request', undefined, { cause: error });
    }
    if (e.statusCode === 413) return new AppError('payload_too_large', undefined, { cause: error });
    if (e.statusCode === 415)
      return new AppError('bad_request', 'The body must be JSON.', { cause: error });
    if (e.statusCode === 429) return new AppError('rate_limited', undefined, { cause: error });
  }
  return toAppError(error);
}

function validationDetail(message: unknown): string {
  return typeof message === 'string' && message.length <= 200
    ? message
    : 'The request fails validation.';
}

/** The HTTP status and JSON body for any error. */
export function httpErrorReply(error: unknown): { status: number; body: ErrorBody } {
  const appError = classifyError(error);
  return { status: appError.status, body: appError.toBody() };
}

/** The signalling response frame for any error; `id` is null when the request had none. */
export function errorResponseFrame(id: number | null, error: unknown): ResponseFrame {
  return { id, ok: false, error: classifyError(error).toBody() };
}
