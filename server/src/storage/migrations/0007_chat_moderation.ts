import { sql, type Kysely } from 'kysely';

/**
 * Chat moderation (issue 6): moderators delete chat messages. A deleted message keeps its
 * row (ids and times, for the audit trail's references) but not its text: the sealed body
 * becomes NULL, so nothing of what was written stays at rest. The check ties the two
 * together, so a row is either a readable message or a deleted one without a body.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('chat_messages')
    .addColumn('deleted_at', 'timestamptz')
    .addColumn('deleted_by', 'text')
    .execute();
  await db.schema
    .alterTable('chat_messages')
    .alterColumn('body_sealed', (c) => c.dropNotNull())
    .execute();
  await sql`alter table chat_messages add constraint chat_messages_deleted_check
    check ((deleted_at is null) = (body_sealed is not null)
      and (deleted_at is null) = (deleted_by is null))`.execute(db);
}

/** Drops what `up` added; deleted messages (which have no body any more) go with it. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from chat_messages where deleted_at is not null`.execute(db);
  await sql`alter table chat_messages drop constraint chat_messages_deleted_check`.execute(db);
  await db.schema
    .alterTable('chat_messages')
    .alterColumn('body_sealed', (c) => c.setNotNull())
    .execute();
  await db.schema
    .alterTable('chat_messages')
    .dropColumn('deleted_by')
    .dropColumn('deleted_at')
    .execute();
}
