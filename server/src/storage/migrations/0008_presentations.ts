import type { Kysely } from 'kysely';

/**
 * Presentations (issue 6, item 4): PDFs uploaded to a meeting. File name and content are
 * sealed with the vault; size and page count stay in the clear (limits, listing). Rows go
 * with their meeting (cascade), so deleting a meeting's data deletes its uploads.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('presentations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) =>
      c.notNull().references('meetings.id').onDelete('cascade'),
    )
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('name_sealed', 'bytea', (c) => c.notNull())
    .addColumn('content_sealed', 'bytea', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('pages', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  // Foreign keys are not indexed by PostgreSQL itself; this keeps meeting deletion cheap.
  await db.schema
    .createIndex('presentations_meeting_idx')
    .on('presentations')
    .column('meeting_id')
    .execute();
}

/** Drops the table (and every upload in it). */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('presentations').execute();
}
