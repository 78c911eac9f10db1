import { createHash, randomBytes } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Database } from '../../src/storage/Database.ts';
import { openDatabase } from '../../src/storage/openDatabase.ts';

/** A database opened for one test (suite), with what is needed to inspect and remove it. */
export interface TestDatabase {
  /** The open database; a test that closes and reopens it assigns the new one here. */
  database: Database;
  /** A fresh temporary folder; the PGlite files live in `<dataDir>/db`. */
  dataDir: string;
  /** The throwaway database's URL (PostgreSQL only). */
  databaseUrl: string | undefined;
  /** Closes the database and deletes it with its folder. */
  cleanup(): Promise<void>;
}

/** One storage backend the suite runs against. */
export interface TestBackend {
  name: 'pglite' | 'postgres';
  open(): Promise<TestDatabase>;
}

/**
 * The backends to run storage tests on: PGlite always, and PostgreSQL when DATABASE_URL is
 * set. Each `open()` gives a fresh, migrated database: PGlite in a new temporary folder,
 * PostgreSQL as a new database `konvent_t_<random>` on that server, dropped by `cleanup()`,
 * so test files never see each other's data.
 *
 * ```ts
 * for (const backend of eachBackend()) {
 *   describe(`meetings on ${backend.name}`, () => {
 *     let t: TestDatabase;
 *     before(async () => { t = await backend.open(); });
 *     after(() => t.cleanup());
 *   });
 * }
 * ```
 */
export function eachBackend(): TestBackend[] {
  const backends: TestBackend[] = [{ name: 'pglite', open: () => openTemporary(undefined) }];
  const adminUrl = process.env['DATABASE_URL'];
  if (adminUrl !== undefined && adminUrl !== '') {
    backends.push({ name: 'postgres', open: () => openTemporary(adminUrl) });
  }
  return backends;
}

async function openTemporary(adminUrl: string | undefined): Promise<TestDatabase> {
  const dataDir = await mkdtemp(join(tmpdir(), 'konvent-db-'));
  let databaseUrl: string | undefined;
  let dropDatabase = (): Promise<void> => Promise.resolve();
  try {
    if (adminUrl !== undefined) {
      const name = `konvent_t_${randomBytes(8).toString('hex')}`;
      await admin(adminUrl, `CREATE DATABASE ${name}`);
      dropDatabase = () => admin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      databaseUrl = url.toString();
    }
    if (databaseUrl === undefined) {
      await cp(join(await pgliteTemplate(), 'db'), join(dataDir, 'db'), { recursive: true });
    }
    const opened = await openDatabase({ databaseUrl, dataDir, poolSize: 4 });
    const result: TestDatabase = {
      database: opened,
      dataDir,
      databaseUrl,
      cleanup: async () => {
        // A test may have closed and reopened it; close whichever instance is current.
        await opened.close();
        await result.database.close();
        await dropDatabase();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
    return result;
  } catch (error) {
    await dropDatabase();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** Runs one statement on the server named by the admin URL. */
async function admin(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

const MIGRATIONS_DIR = join(import.meta.dirname, '../../src/storage/migrations');

/**
 * A migrated, closed PGlite data folder to copy from: PGlite's initdb takes seconds, a copy
 * opens in a fraction of that. It is cached in the temporary folder across test processes,
 * keyed by the PGlite version and the migration sources, so a changed migration makes a new
 * template. (`openDatabase` still runs migrations on the copy, and its own tests open
 * fresh folders, so the real start-up path stays tested.)
 */
async function pgliteTemplate(): Promise<string> {
  const hash = createHash('sha256');
  // PGlite's entry module changes with its version (its package.json is not exported).
  hash.update(await readFile(fileURLToPath(import.meta.resolve('@electric-sql/pglite'))));
  for (const name of (await readdir(MIGRATIONS_DIR)).sort()) {
    hash.update(name).update(await readFile(join(MIGRATIONS_DIR, name)));
  }
  const dir = join(tmpdir(), `konvent-pglite-template-${hash.digest('hex').slice(0, 16)}`);
  const ready = join(dir, 'ready');
  if (await exists(ready)) return dir;
  const building = await mkdtemp(`${dir}.building-`);
  try {
    const database = await openDatabase({ databaseUrl: undefined, dataDir: building });
    await database.close();
    await writeFile(join(building, 'ready'), '');
    await rename(building, dir);
  } catch (error) {
    // Another test process may have finished the same template first; use that one.
    await rm(building, { recursive: true, force: true });
    if (!(await exists(ready))) throw error;
  }
  return dir;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
