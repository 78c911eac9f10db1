import type { Kysely } from 'kysely';
import type { Tables } from './Tables.ts';

export type { Tables } from './Tables.ts';

/** An open, migrated database: embedded PGlite or a PostgreSQL server, same SQL for both. */
export interface Database {
  db: Kysely<Tables>;
  backend: 'pglite' | 'postgres';
  /** Closes the pool or the embedded database; idempotent. */
  close(): Promise<void>;
}
