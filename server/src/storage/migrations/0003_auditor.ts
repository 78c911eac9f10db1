import { sql, type Kysely } from 'kysely';

/**
 * Auditor access (issue 3 item 8), a bridge until accounts arrive: one row per grant made
 * with `npm run audit -- grant-auditor`. The sign-in token and the session secret are
 * stored only as SHA-256 hashes; the label (who the grant is for) is sealed by the vault.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('auditor_grants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('label_sealed', 'bytea', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('session_hash', 'text', (c) => c.unique())
    .addColumn('signed_out_at', 'timestamptz')
    .addCheckConstraint(
      'auditor_grants_session_check',
      sql`(session_hash is null) = (used_at is null)`,
    )
    .execute();
}

/** Drops the auditor grants. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('auditor_grants').execute();
}
