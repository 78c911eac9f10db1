import type { Kysely, Selectable } from 'kysely';
import { hashSecret, newId, newToken } from '../meetings/secrets.ts';
import type { AuthSessionsTable, Tables } from '../storage/Tables.ts';

/** Where a session stands (see `SessionStage` in the protocol). */
export type Stage = 'full' | 'mfa' | 'enrol';

/** A stored session. */
export interface SessionRecord {
  readonly id: string;
  readonly userId: string;
  readonly stage: Stage;
  readonly method: string;
  readonly source: string | null;
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
  readonly expiresAt: Date;
  readonly pendingSealed: Uint8Array | null;
  readonly idTokenSealed: Uint8Array | null;
}

/** A session just opened or renewed: the secret goes into the cookie and nowhere else. */
export interface IssuedSession {
  readonly record: SessionRecord;
  readonly secret: string;
}

/**
 * The `auth_sessions` table. A session is found by the SHA-256 of its cookie secret; its
 * public `id` (for lists and revocation) is a different random value, so showing it
 * reveals nothing that opens the session.
 */
export class SessionStore {
  readonly #db: Kysely<Tables>;

  constructor(db: Kysely<Tables>) {
    this.#db = db;
  }

  /** Opens a session with a fresh id and secret. */
  async open(
    values: {
      userId: string;
      stage: Stage;
      method: string;
      source: string | null;
      expiresAt: Date;
    },
    now: Date,
  ): Promise<IssuedSession> {
    const secret = newToken();
    const id = newId();
    await this.#db
      .insertInto('auth_sessions')
      .values({
        id,
        secret_hash: hashSecret(secret),
        user_id: values.userId,
        stage: values.stage,
        method: values.method,
        source: values.source,
        created_at: now,
        last_seen_at: now,
        expires_at: values.expiresAt,
        ended_at: null,
        pending_sealed: null,
        id_token_sealed: null,
      })
      .execute();
    const record = await this.byId(id);
    if (record === undefined) throw new Error('opened session vanished');
    return { record, secret };
  }

  /** The live (not ended) session with this cookie secret. */
  async bySecret(secret: string): Promise<SessionRecord | undefined> {
    const row = await this.#db
      .selectFrom('auth_sessions')
      .selectAll()
      .where('secret_hash', '=', hashSecret(secret))
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    return row === undefined ? undefined : toRecord(row);
  }

  /** The live session with this id. */
  async byId(id: string): Promise<SessionRecord | undefined> {
    const row = await this.#db
      .selectFrom('auth_sessions')
      .selectAll()
      .where('id', '=', id)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    return row === undefined ? undefined : toRecord(row);
  }

  /** A user's live sessions, newest first. */
  async ofUser(userId: string): Promise<SessionRecord[]> {
    const rows = await this.#db
      .selectFrom('auth_sessions')
      .selectAll()
      .where('user_id', '=', userId)
      .where('ended_at', 'is', null)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map(toRecord);
  }

  /** The number of live sessions per user. */
  async countByUser(): Promise<Map<string, number>> {
    const rows = await this.#db
      .selectFrom('auth_sessions')
      .select(['user_id', (eb) => eb.fn.countAll<string>().as('n')])
      .where('ended_at', 'is', null)
      .groupBy('user_id')
      .execute();
    return new Map(rows.map((row) => [row.user_id, Number(row.n)]));
  }

  /**
   * Moves a session to another stage with a new secret (a new session id at every
   * privilege change defeats session fixation); the old secret stops working at once.
   */
  async elevate(
    id: string,
    stage: Stage,
    method: string,
    now: Date,
    expiresAt: Date,
  ): Promise<string | undefined> {
    const secret = newToken();
    const result = await this.#db
      .updateTable('auth_sessions')
      .set({
        secret_hash: hashSecret(secret),
        stage,
        method,
        last_seen_at: now,
        expires_at: expiresAt,
        pending_sealed: null,
      })
      .where('id', '=', id)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n ? secret : undefined;
  }

  /** Notes activity (for the idle timeout). */
  async touch(id: string, now: Date): Promise<void> {
    await this.#db
      .updateTable('auth_sessions')
      .set({ last_seen_at: now })
      .where('id', '=', id)
      .execute();
  }

  /** Stores (or clears) the sealed state of a ceremony in progress. */
  async setPending(id: string, sealed: Uint8Array | null): Promise<void> {
    await this.#db
      .updateTable('auth_sessions')
      .set({ pending_sealed: sealed })
      .where('id', '=', id)
      .execute();
  }

  /** Stores the identity provider's ID token (sealed) for logout there. */
  async setIdToken(id: string, sealed: Uint8Array): Promise<void> {
    await this.#db
      .updateTable('auth_sessions')
      .set({ id_token_sealed: sealed })
      .where('id', '=', id)
      .execute();
  }

  /** Ends sessions; resolves to the ids actually ended (those still live). */
  async end(ids: readonly string[], now: Date): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.#db
      .updateTable('auth_sessions')
      .set({ ended_at: now, pending_sealed: null, id_token_sealed: null })
      .where('id', 'in', ids)
      .where('ended_at', 'is', null)
      .returning('id')
      .execute();
    return rows.map((row) => row.id);
  }

  /** Ends every live session of a user (but `except`); resolves to the ids ended. */
  async endAllOf(userId: string, now: Date, except?: string): Promise<string[]> {
    let query = this.#db
      .updateTable('auth_sessions')
      .set({ ended_at: now, pending_sealed: null, id_token_sealed: null })
      .where('user_id', '=', userId)
      .where('ended_at', 'is', null);
    if (except !== undefined) query = query.where('id', '!=', except);
    const rows = await query.returning('id').execute();
    return rows.map((row) => row.id);
  }

  /** Deletes sessions ended or expired before `before` (data minimisation). */
  async prune(before: Date): Promise<void> {
    await this.#db
      .deleteFrom('auth_sessions')
      .where((eb) => eb.or([eb('ended_at', '<', before), eb('expires_at', '<', before)]))
      .execute();
  }
}

function toRecord(row: Selectable<AuthSessionsTable>): SessionRecord {
  return {
    id: row.id,
    userId: row.user_id,
    stage: row.stage as Stage,
    method: row.method,
    source: row.source,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    pendingSealed: row.pending_sealed,
    idTokenSealed: row.id_token_sealed,
  };
}
