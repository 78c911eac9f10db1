import { AppError } from '../errors/AppError.ts';

/** Why an audit-log cryptographic check failed. */
export type AuditErrorReason =
  /** A size, index or hash length is out of range, e.g. a leaf index beyond the tree. */
  | 'invalid_argument'
  /** A Merkle proof does not lead to the claimed root hash(es). */
  | 'invalid_proof'
  /** A checkpoint, signed note, verifier key or data read back is not in its format. */
  | 'malformed'
  /** A signed note carries no signature by the verifier's key (name and key id). */
  | 'unknown_key'
  /** A signature line of the verifier's key is present but does not verify. */
  | 'bad_signature'
  /** A value cannot be written as canonical JSON (not a JSON value, or ambiguous). */
  | 'not_canonical'
  /** The audit log was used after `close()`. */
  | 'closed'
  /** The stored log contradicts itself or what this server saw (rows lost or out of order). */
  | 'inconsistent';

/**
 * A failed audit-log check: a proof, checkpoint or canonical encoding. Towards clients it is
 * `internal` (a broken log is the server's fault and reveals nothing useful to them);
 * `reason` and the message are for logs, the verify command and tests.
 */
export class AuditError extends AppError {
  readonly reason: AuditErrorReason;

  constructor(reason: AuditErrorReason, message: string, options?: ErrorOptions) {
    super('internal', undefined, options);
    this.name = 'AuditError';
    this.reason = reason;
    this.message = `audit: ${message}`;
  }
}
