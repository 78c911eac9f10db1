import { AppError } from '../errors/AppError.ts';

/** Why a vault operation failed. */
export type VaultErrorReason =
  /** The sealed object is not in a format this vault reads (truncated, bad magic or lengths). */
  | 'malformed'
  /** The format version is newer or older than this code understands. */
  | 'unsupported_version'
  /** The KEK named in the object is not held by the key provider. */
  | 'unknown_key'
  /** Authentication failed: the object was altered, or the context is not the one it was sealed with. */
  | 'integrity'
  /** The key store itself is unusable (missing, unsafe permissions, corrupt). */
  | 'keystore';

/**
 * A failure to seal or open. It is an `internal` error towards clients (they learn nothing
 * about keys or ciphertexts); `reason` and the message are for logs and tests.
 */
export class VaultError extends AppError {
  readonly reason: VaultErrorReason;

  constructor(reason: VaultErrorReason, message: string, options?: ErrorOptions) {
    super('internal', undefined, options);
    this.name = 'VaultError';
    this.reason = reason;
    this.message = `vault: ${message}`;
  }
}
