import { sql, type Kysely } from 'kysely';

/**
 * Shared media (issue 6, item 5): audio and video files uploaded to a meeting. The name is
 * sealed; the content is sealed in chunks (one row each), so a byte range is served by
 * opening only the chunks it covers. Kind, MIME type, length and size stay in the clear
 * (limits, streaming headers). Rows go with their meeting, chunks with their file (cascade).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('shared_media')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) =>
      c.notNull().references('meetings.id').onDelete('cascade'),
    )
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('name_sealed', 'bytea', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('audio', 'video')`))
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('duration', 'double precision', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('chunk_bytes', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('shared_media_meeting_idx')
    .on('shared_media')
    .column('meeting_id')
    .execute();
  await db.schema
    .createTable('shared_media_chunks')
    .addColumn('media_id', 'text', (c) =>
      c.notNull().references('shared_media.id').onDelete('cascade'),
    )
    .addColumn('idx', 'integer', (c) => c.notNull())
    .addColumn('content_sealed', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('shared_media_chunks_pk', ['media_id', 'idx'])
    .execute();
}

/** Drops both tables (and every file in them). */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('shared_media_chunks').execute();
  await db.schema.dropTable('shared_media').execute();
}
