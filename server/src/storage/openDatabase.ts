import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import type { Logger } from '../observability/createLogger.ts';
import { redactUrl } from '../observability/redactUrl.ts';
import type { Database } from './Database.ts';
import type { Tables } from './Tables.ts';
import { lockDirectory } from './lockDirectory.ts';
import { migrationProvider } from './migrations/index.ts';

/** Options for `openDatabase`. */
export interface OpenDatabaseOptions {
  /** PostgreSQL connection string; undefined means embedded PGlite in `<dataDir>/db`. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Receives pool errors and migration progress. */
  logger?: Logger;
  /** Largest number of PostgreSQL connections; default 10. */
  poolSize?: number;
}

/**
 * Opens the database and brings its schema to the latest migration. With a URL it is a
 * PostgreSQL pool; without, an embedded PGlite (PostgreSQL compiled to WebAssembly)
 * persisted in `<dataDir>/db`, so one SQL dialect serves both deployments.
 * Migrations take PostgreSQL's advisory lock, so several servers may start at once.
 */
export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  const { db, backend, release } =
    opts.databaseUrl === undefined
      ? await openPglite(opts.dataDir)
      : openPostgres(opts.databaseUrl, opts.poolSize ?? 10, opts.logger);
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= db.destroy().finally(release);
    return closing;
  };
  try {
    await migrate(db, opts.logger);
  } catch (error) {
    await close();
    const where = opts.databaseUrl === undefined ? opts.dataDir : redactUrl(opts.databaseUrl);
    throw new Error(`cannot prepare the ${backend} database at ${where}`, { cause: error });
  }
  return { db, backend, close };
}

interface Opened {
  db: Kysely<Tables>;
  backend: Database['backend'];
  release: () => Promise<void>;
}

async function openPglite(dataDir: string): Promise<Opened> {
  const dir = join(dataDir, 'db');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const release = await lockDirectory(join(dataDir, 'db.lock'), `the database in ${dir}`);
  try {
    const pglite = await PGlite.create(dir);
    const db = new Kysely<Tables>({ dialect: new PGliteDialect(pglite) });
    return { db, backend: 'pglite', release };
  } catch (error) {
    await release();
    throw error;
  }
}

function openPostgres(url: string, max: number, logger: Logger | undefined): Opened {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle connection that drops (server restart, network) is replaced by the pool; without
  // a listener the 'error' event would end the process.
  pool.on('error', (error) => {
    logger?.warn({ err: error }, 'idle PostgreSQL connection failed');
  });
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  return { db, backend: 'postgres', release: () => Promise.resolve() };
}

async function migrate(db: Kysely<Tables>, logger: Logger | undefined): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  for (const result of results ?? []) {
    if (result.status === 'Success') logger?.info({ migration: result.migrationName }, 'migrated');
    if (result.status === 'Error') {
      logger?.error({ migration: result.migrationName }, 'migration failed');
    }
  }
  if (error !== undefined) {
    throw error instanceof Error ? error : new Error('migration failed', { cause: error });
  }
}
