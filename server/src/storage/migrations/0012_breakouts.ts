import { sql, type Kysely } from 'kysely';

/**
 * Breakout rooms (issue 7): a room is a meeting whose `parent_id` is its main meeting (and
 * goes with it); people enter a room with the arrival `breakout`. The running session of a
 * main meeting (rooms, who is where, when it ends) is one sealed row in `breakouts`, so a
 * restart resumes it; the row goes when the rooms close.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('meetings')
    .addColumn('parent_id', 'text', (c) => c.references('meetings.id').onDelete('cascade'))
    .execute();
  await db.schema.createIndex('meetings_parent_id').on('meetings').column('parent_id').execute();
  await sql`alter table participants drop constraint participants_arrival_check`.execute(db);
  await sql`alter table participants add constraint participants_arrival_check
    check (arrival in ('moderator_link', 'link', 'account', 'invitation', 'breakout'))`.execute(db);
  await db.schema
    .createTable('breakouts')
    .addColumn('meeting_id', 'text', (c) =>
      c.primaryKey().references('meetings.id').onDelete('cascade'),
    )
    .addColumn('state_sealed', 'bytea', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

/** Drops the breakouts (rooms stay as plain meetings). */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('breakouts').execute();
  await sql`delete from participants where arrival = 'breakout'`.execute(db);
  await sql`alter table participants drop constraint participants_arrival_check`.execute(db);
  await sql`alter table participants add constraint participants_arrival_check
    check (arrival in ('moderator_link', 'link', 'account', 'invitation'))`.execute(db);
  await db.schema.dropIndex('meetings_parent_id').execute();
  await db.schema.alterTable('meetings').dropColumn('parent_id').execute();
}
