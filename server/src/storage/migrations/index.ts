import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './0001_initial.ts';

/**
 * Every migration, in order. Kept in code (not read from a folder) so that the server
 * needs no file-system access to its own source at run time. Names sort in run order;
 * never rename or edit one that has shipped, add a new one.
 */
const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': initial,
};

/** The provider for Kysely's Migrator. */
export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
};
