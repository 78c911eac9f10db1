import { sql, type Kysely } from 'kysely';
import type { Tables } from '../storage/Tables.ts';

/** How many failures a key may have in a window before it is locked, and for how long. */
export interface ThrottleRule {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly lockMs: number;
}

/** What a failure did. */
export interface FailureResult {
  readonly failures: number;
  /** Set when this failure started a lock. */
  readonly lockedUntil: Date | undefined;
}

/**
 * Failed attempts per key (an account's user-name key, a source network), stored in the
 * database so every server process of a cluster counts the same failures. A key with
 * `maxFailures` failures inside `windowMs` is locked for `lockMs`; while locked, callers
 * refuse without even checking the secret, the same way for existing and unknown accounts.
 */
export class Throttle {
  readonly #db: Kysely<Tables>;

  constructor(db: Kysely<Tables>) {
    this.#db = db;
  }

  /** The end of the key's lock, if it is locked at `now`. */
  async lockedUntil(key: string, now: Date): Promise<Date | undefined> {
    const row = await this.#db
      .selectFrom('auth_throttle')
      .select('locked_until')
      .where('key', '=', key)
      .executeTakeFirst();
    const until = row?.locked_until ?? null;
    return until !== null && until > now ? until : undefined;
  }

  /** Counts one failure, in one statement (no lost update between processes). */
  async fail(key: string, rule: ThrottleRule, now: Date): Promise<FailureResult> {
    const windowStart = new Date(now.getTime() - rule.windowMs);
    const lockUntil = new Date(now.getTime() + rule.lockMs);
    const { rows } = await sql<{
      failures: number;
      locked_until: Date | null;
      locked_now: boolean;
    }>`
      insert into auth_throttle as t (key, failures, window_started_at, locked_until)
      values (${key}, 1, ${now}, case when 1 >= ${rule.maxFailures} then ${lockUntil}::timestamptz end)
      on conflict (key) do update set
        failures = case when t.window_started_at < ${windowStart} then 1 else t.failures + 1 end,
        window_started_at = case when t.window_started_at < ${windowStart} then ${now} else t.window_started_at end,
        locked_until = case
          when (case when t.window_started_at < ${windowStart} then 1 else t.failures + 1 end) >= ${rule.maxFailures}
            and (t.locked_until is null or t.locked_until <= ${now})
          then ${lockUntil}::timestamptz
          else t.locked_until end
      returning failures, locked_until,
        (locked_until = ${lockUntil}::timestamptz) as locked_now`.execute(this.#db);
    const row = rows[0];
    if (row === undefined) throw new Error('throttle upsert returned no row');
    return {
      failures: row.failures,
      lockedUntil: row.locked_now ? (row.locked_until ?? undefined) : undefined,
    };
  }

  /** Forgets a key's failures (after a successful sign-in). */
  async clear(key: string): Promise<void> {
    await this.#db.deleteFrom('auth_throttle').where('key', '=', key).execute();
  }

  /** Removes rows whose window and lock are over; run now and then. */
  async prune(now: Date, maxWindowMs: number): Promise<void> {
    await this.#db
      .deleteFrom('auth_throttle')
      .where('window_started_at', '<', new Date(now.getTime() - maxWindowMs))
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .execute();
  }
}
