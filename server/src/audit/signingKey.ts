import { generateKeyPairSync } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../meetings/ports.ts';
import type { Tables } from '../storage/Tables.ts';
import type { Vault } from '../vault/Vault.ts';
import { lockAuditLog } from './auditLock.ts';
import {
  checkpointKeyId,
  formatSignerKey,
  formatVerifierKey,
  parseSignerKey,
  type CheckpointSigner,
} from './checkpoint.ts';
import { AuditError } from './AuditError.ts';

/** The vault context the signing key is sealed under. */
export const SIGNING_KEY_CONTEXT = 'audit:signing-key';

/** The log's signing key and its public verifier key string. */
export interface AuditSigningKey {
  readonly signer: CheckpointSigner;
  readonly verifierKey: string;
}

/**
 * The Ed25519 key that signs the log's checkpoints, named after the origin: the newest one
 * stored for this origin, or a new one, created under the audit lock (so two servers
 * starting at once agree on one key) and stored sealed by the vault. Only the public key is
 * stored in the clear.
 */
export async function loadOrCreateSigningKey(
  db: Kysely<Tables>,
  vault: Vault,
  origin: string,
  clock: Clock,
): Promise<AuditSigningKey> {
  return db.transaction().execute(async (trx) => {
    await lockAuditLog(trx);
    const stored = await trx
      .selectFrom('audit_keys')
      .select(['key_id', 'signer_sealed', 'verifier_key'])
      .where('name', '=', origin)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (stored !== undefined) {
      const text = await vault.openText(stored.signer_sealed, SIGNING_KEY_CONTEXT);
      const { name, keyId, privateKey } = parseSignerKey(text);
      if (name !== origin || keyId.toString('hex') !== stored.key_id) {
        throw new AuditError('inconsistent', 'the stored audit signing key does not match its row');
      }
      return { signer: { name, privateKey }, verifierKey: stored.verifier_key };
    }
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const verifierKey = formatVerifierKey(origin, publicKey);
    await trx
      .insertInto('audit_keys')
      .values({
        name: origin,
        key_id: checkpointKeyId(origin, publicKey).toString('hex'),
        verifier_key: verifierKey,
        signer_sealed: await vault.seal(formatSignerKey(origin, privateKey), SIGNING_KEY_CONTEXT),
        created_at: clock.now(),
      })
      .execute();
    return { signer: { name: origin, privateKey }, verifierKey };
  });
}
