import type { ErrorCode } from '@konvent/protocol';

/** Why an HTTP API call failed: a server error code, or `network` when no answer came. */
export type ApiErrorCode = ErrorCode | 'network';

/** A failed API call. Pages switch on `code`; the message is for logs only. */
export class ApiError extends Error {
  /** Stable, machine-readable reason. */
  readonly code: ApiErrorCode;
  /** HTTP status, 0 when the server could not be reached. */
  readonly status: number;

  constructor(code: ApiErrorCode, status: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
  }
}
