import { createHmac, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Tables } from '../storage/Tables.ts';
import type { Vault } from '../vault/Vault.ts';

const LOOKUP_KEY = 'lookup';

/**
 * The auth module's lookup key: an HMAC key, random once per installation, stored sealed by
 * the vault. User names and identity-provider subjects are found by their HMAC, so the
 * database holds no user name in the clear, and a copy of the database without the keyring
 * cannot confirm a guessed name.
 */
export class AuthKeys {
  readonly #key: Buffer;

  private constructor(key: Buffer) {
    this.#key = key;
  }

  /** Loads the key, creating it on first start (safe when several processes start at once). */
  static async open(db: Kysely<Tables>, vault: Vault): Promise<AuthKeys> {
    const context = `auth-key:${LOOKUP_KEY}`;
    await db
      .insertInto('auth_keys')
      .values({
        name: LOOKUP_KEY,
        key_sealed: await vault.seal(randomBytes(32), context),
        created_at: new Date(),
      })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const row = await db
      .selectFrom('auth_keys')
      .select('key_sealed')
      .where('name', '=', LOOKUP_KEY)
      .executeTakeFirstOrThrow();
    return new AuthKeys(await vault.open(row.key_sealed, context));
  }

  /** The lookup value of a user name: case-insensitive, Unicode-normalised. */
  usernameKey(username: string): string {
    return this.#mac(`username\0${normaliseUsername(username)}`);
  }

  /** The lookup value of a person at an identity provider. */
  externalKey(provider: string, subject: string): string {
    return this.#mac(`external\0${provider}\0${subject}`);
  }

  #mac(text: string): string {
    return createHmac('sha256', this.#key).update(text, 'utf8').digest('base64url');
  }
}

/** A user name as compared: trimmed, NFKC, lower case. */
export function normaliseUsername(username: string): string {
  return username.trim().normalize('NFKC').toLowerCase();
}
