import type { ErrorCode } from '@konvent/protocol';

/** Why a signalling request failed: a server error code, or a local condition. */
export type SignalingErrorCode = ErrorCode | 'timeout' | 'closed';

/** A failed signalling request; `code` is stable, the message is for logs only. */
export class SignalingError extends Error {
  /** Stable, machine-readable reason. */
  readonly code: SignalingErrorCode;

  constructor(code: SignalingErrorCode, message: string) {
    super(message);
    this.name = 'SignalingError';
    this.code = code;
  }
}
