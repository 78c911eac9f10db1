import type { Kysely } from 'kysely';

/**
 * Annotations (issue 6, item 4): the strokes drawn on one page of a presentation, one row
 * per page, sealed with the vault (handwriting on a slide is content). Rows go with their
 * presentation and their meeting (cascade), so deleting a meeting's data deletes them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('annotations')
    .addColumn('meeting_id', 'text', (c) =>
      c.notNull().references('meetings.id').onDelete('cascade'),
    )
    .addColumn('presentation_id', 'text', (c) =>
      c.notNull().references('presentations.id').onDelete('cascade'),
    )
    .addColumn('page', 'integer', (c) => c.notNull())
    .addColumn('strokes_sealed', 'bytea', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('annotations_pk', ['meeting_id', 'presentation_id', 'page'])
    .execute();
  // The primary key serves lookups by meeting; this one keeps a presentation's cascade cheap.
  await db.schema
    .createIndex('annotations_presentation_idx')
    .on('annotations')
    .column('presentation_id')
    .execute();
}

/** Drops the annotations. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('annotations').execute();
}
