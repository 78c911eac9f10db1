import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Tables } from '../storage/Tables.ts';
import type { Vault } from '../vault/Vault.ts';

/**
 * Sign-ins in progress at an identity provider (OIDC state with its PKCE verifier and nonce,
 * SAML request ids), sealed by the vault, keyed by a hash of their public key (state or
 * request id), and single-use: `take` deletes what it returns, so a replayed callback finds
 * nothing. In the database rather than in memory so that any node can finish a flow.
 */
export class FlowStore {
  readonly #db: Kysely<Tables>;
  readonly #vault: Vault;

  constructor(db: Kysely<Tables>, vault: Vault) {
    this.#db = db;
    this.#vault = vault;
  }

  /** Stores a flow's data until `expiresAt`. */
  async save(
    kind: string,
    provider: string,
    key: string,
    data: unknown,
    expiresAt: Date,
  ): Promise<void> {
    const id = flowId(kind, key);
    await this.#db
      .insertInto('auth_flows')
      .values({
        id,
        kind,
        provider,
        data_sealed: await this.#vault.seal(JSON.stringify(data), `auth-flow:${id}`),
        expires_at: expiresAt,
      })
      .execute();
  }

  /** The flow's data, removed from the store; undefined if unknown, used or expired. */
  async take(kind: string, provider: string, key: string, now: Date): Promise<unknown> {
    const id = flowId(kind, key);
    const row = await this.#db
      .deleteFrom('auth_flows')
      .where('id', '=', id)
      .where('provider', '=', provider)
      .returning(['data_sealed', 'expires_at'])
      .executeTakeFirst();
    if (row === undefined || row.expires_at <= now) return undefined;
    return JSON.parse(await this.#vault.openText(row.data_sealed, `auth-flow:${id}`)) as unknown;
  }

  /** Deletes expired flows and SAML assertion ids (run now and then). */
  async prune(now: Date): Promise<void> {
    await this.#db.deleteFrom('auth_flows').where('expires_at', '<', now).execute();
    await this.#db.deleteFrom('saml_seen_assertions').where('expires_at', '<', now).execute();
  }

  /**
   * Records a SAML assertion id until it expires; false if it was seen before (a replay).
   * One statement, so two nodes receiving the same assertion cannot both accept it.
   */
  async firstSeen(assertionId: string, notOnOrAfter: Date): Promise<boolean> {
    const rows = await this.#db
      .insertInto('saml_seen_assertions')
      .values({ id_hash: hashKey(`saml-assertion\0${assertionId}`), expires_at: notOnOrAfter })
      .onConflict((oc) => oc.column('id_hash').doNothing())
      .returning('id_hash')
      .execute();
    return rows.length === 1;
  }
}

function flowId(kind: string, key: string): string {
  return hashKey(`${kind}\0${key}`);
}

function hashKey(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64url');
}
