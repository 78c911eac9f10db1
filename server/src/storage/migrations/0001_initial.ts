import { sql, type Kysely } from 'kysely';

/**
 * Meetings, participants and chat. Personal content lives only in `*_sealed` bytea columns;
 * ids, roles, times and token hashes stay in the clear because queries need them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('meetings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title_sealed', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ended_at', 'timestamptz')
    .addColumn('moderator_token_hash', 'text', (c) => c.notNull())
    .addColumn('participant_token_hash', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('participants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) =>
      c.notNull().references('meetings.id').onDelete('cascade'),
    )
    .addColumn('display_name_sealed', 'bytea', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('moderator', 'participant')`))
    .addColumn('joined_at', 'timestamptz', (c) => c.notNull())
    .addColumn('left_at', 'timestamptz')
    .addColumn('session_hash', 'text', (c) => c.notNull())
    .addUniqueConstraint('participants_meeting_session_unique', ['meeting_id', 'session_hash'])
    .execute();
  // listActiveParticipants: the people still in a meeting, by join time.
  await db.schema
    .createIndex('participants_active_idx')
    .on('participants')
    .columns(['meeting_id', 'joined_at'])
    .where(sql.ref('left_at'), 'is', null)
    .execute();

  await db.schema
    .createTable('chat_messages')
    .addColumn('seq', 'bigint', (c) => c.generatedAlwaysAsIdentity().primaryKey())
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('meeting_id', 'text', (c) =>
      c.notNull().references('meetings.id').onDelete('cascade'),
    )
    .addColumn('sender_id', 'text', (c) =>
      c.notNull().references('participants.id').onDelete('cascade'),
    )
    .addColumn('recipient_id', 'text', (c) => c.references('participants.id').onDelete('cascade'))
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
    .addColumn('body_sealed', 'bytea', (c) => c.notNull())
    .execute();
  // listChat: the latest messages of a meeting, newest first, then filtered by visibility.
  await db.schema
    .createIndex('chat_messages_meeting_seq_idx')
    .on('chat_messages')
    .columns(['meeting_id', 'seq'])
    .execute();
  // Foreign keys are not indexed by PostgreSQL itself; these keep participant deletion cheap.
  await db.schema
    .createIndex('chat_messages_sender_idx')
    .on('chat_messages')
    .column('sender_id')
    .execute();
  await db.schema
    .createIndex('chat_messages_recipient_idx')
    .on('chat_messages')
    .column('recipient_id')
    .where(sql.ref('recipient_id'), 'is not', null)
    .execute();
}

/** Drops the tables of this migration. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('chat_messages').execute();
  await db.schema.dropTable('participants').execute();
  await db.schema.dropTable('meetings').execute();
}
