import { ERROR_CATALOGUE, type ErrorBody, type ErrorCode } from '@konvent/protocol';

/**
 * The one error type the server raises on purpose. Its code comes from the protocol's
 * catalogue, which fixes the HTTP status and the stable text; `detail` may add a
 * client-safe explanation (never secrets, tokens or personal data).
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail: string | undefined;

  constructor(code: ErrorCode, detail?: string, options?: ErrorOptions) {
    super(detail ?? ERROR_CATALOGUE[code].message, options);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CATALOGUE[code].status;
    this.detail = detail;
  }

  /** The body sent to clients. */
  toBody(): ErrorBody {
    return { code: this.code, message: this.detail ?? ERROR_CATALOGUE[this.code].message };
  }
}

/** Turns anything thrown into an AppError; unknown errors become `internal` without leaking their text. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError('internal', undefined, { cause: error });
}
