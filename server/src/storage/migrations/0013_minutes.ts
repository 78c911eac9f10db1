import { sql, type Kysely } from 'kysely';

/**
 * Minutes (issue 7): one row per meeting with its notes (a Yjs document), decisions, action
 * items, minute-takers and the breakout rooms merged in, sealed with the vault as one object
 * bound to the meeting. The row goes with its meeting (and so with a breakout room, whose
 * meeting goes with its main meeting). An invitation may appoint whoever joins through it
 * minute-taker (`minute_taker`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('minutes')
    .addColumn('meeting_id', 'text', (c) =>
      c.primaryKey().references('meetings.id').onDelete('cascade'),
    )
    .addColumn('state_sealed', 'bytea', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .alterTable('invitations')
    .addColumn('minute_taker', 'boolean', (c) => c.notNull().defaultTo(sql`false`))
    .execute();
  // `GET /api/minutes`: the meetings an account took part in.
  await db.schema
    .createIndex('participants_user_id')
    .on('participants')
    .column('user_id')
    .execute();
}

/** Drops the minutes. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('participants_user_id').execute();
  await db.schema.alterTable('invitations').dropColumn('minute_taker').execute();
  await db.schema.dropTable('minutes').execute();
}
