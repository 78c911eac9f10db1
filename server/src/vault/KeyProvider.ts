/**
 * A key-encryption-key (KEK) holder. The vault never sees a KEK: it hands a fresh data
 * key to the provider and stores only what the provider returns. Implementations: the
 * local keyring for a single server; HashiCorp Vault Transit or a PKCS#11 HSM later (G2).
 */
export interface KeyProvider {
  /** Names the provider kind, e.g. `local`; for logs and the record of processing. */
  readonly id: string;
  /**
   * Encrypts a data key under the active KEK. `context` is bound to the result: unwrapping
   * with another context fails.
   */
  wrapKey(dek: Buffer, context: string): Promise<{ kekId: string; wrapped: Buffer }>;
  /**
   * Decrypts a data key. Throws a `VaultError` when the KEK is unknown or the wrapped key
   * or context does not match.
   */
  unwrapKey(kekId: string, wrapped: Buffer, context: string): Promise<Buffer>;
}
