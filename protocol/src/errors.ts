/**
 * The error catalogue: every error the server can answer with, over HTTP or the
 * signalling socket, has a stable code here. Clients switch on the code, never on the
 * message text. `docs/errors.md` is checked against this table by a test.
 */
export const ERROR_CATALOGUE = {
  bad_request: { status: 400, message: 'The request is malformed or fails validation.' },
  unknown_method: { status: 400, message: 'The signalling method does not exist.' },
  payload_too_large: { status: 413, message: 'The request is larger than allowed.' },
  range_not_satisfiable: {
    status: 416,
    message: 'The requested byte range lies outside the file.',
  },
  unauthenticated: { status: 401, message: 'No valid session accompanies the request.' },
  invalid_credentials: {
    status: 401,
    message: 'The user name, password or code is wrong.',
  },
  forbidden: { status: 403, message: 'Your role does not allow this action.' },
  mfa_required: {
    status: 403,
    message: 'A second factor must be passed (or set up) before this action.',
  },
  csrf_failed: {
    status: 403,
    message: "The request lacks the session's CSRF token; reload the page.",
  },
  password_rejected: {
    status: 422,
    message: 'The password does not meet the password policy.',
  },
  upload_refused: {
    status: 422,
    message: 'The file was refused by the virus scan.',
  },
  not_found: {
    status: 404,
    message: 'The meeting or link does not exist, has expired or the token is wrong.',
  },
  meeting_ended: { status: 410, message: 'The meeting has ended.' },
  conflict: { status: 409, message: 'The request conflicts with the current state.' },
  rate_limited: { status: 429, message: 'Too many requests; slow down.' },
  media_error: { status: 502, message: 'The media server rejected the request.' },
  unavailable: { status: 503, message: 'The server cannot serve the request right now.' },
  internal: { status: 500, message: 'An unexpected error occurred.' },
} as const satisfies Record<string, { status: number; message: string }>;

/** A stable, machine-readable error code. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** All error codes, in catalogue order. */
export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

/** The JSON body of every error reply (HTTP) and the `error` field of a failed response. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

/** Whether a string is a known error code. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CATALOGUE, value);
}
