import type { Kysely } from 'kysely';

/**
 * Whiteboards (issue 6): one row per meeting with its board, sealed with the vault (the
 * drawings and any text on them are content). The row goes with its meeting.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('whiteboards')
    .addColumn('meeting_id', 'text', (c) =>
      c.primaryKey().references('meetings.id').onDelete('cascade'),
    )
    .addColumn('state_sealed', 'bytea', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

/** Drops the whiteboards. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('whiteboards').execute();
}
