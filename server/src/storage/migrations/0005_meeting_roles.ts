import { sql, type Kysely } from 'kysely';

/**
 * Meeting roles and moderation (issue 5): participants may also be presenters or guests,
 * and a participant a moderator removed keeps a record of it. `banned` refuses a later
 * join from the browser that still holds the removed session (see docs/security.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // 0001 declared the check inline, so PostgreSQL named it `participants_role_check`.
  await sql`alter table participants drop constraint participants_role_check`.execute(db);
  await sql`alter table participants add constraint participants_role_check
    check (role in ('moderator', 'presenter', 'participant', 'guest'))`.execute(db);
  await db.schema
    .alterTable('participants')
    .addColumn('removed_at', 'timestamptz')
    .addColumn('banned', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  await sql`alter table participants add constraint participants_banned_check
    check (not banned or removed_at is not null)`.execute(db);
}

/** Restores the two roles of 0001; presenters and guests become participants. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table participants drop constraint participants_banned_check`.execute(db);
  await db.schema
    .alterTable('participants')
    .dropColumn('banned')
    .dropColumn('removed_at')
    .execute();
  await sql`alter table participants drop constraint participants_role_check`.execute(db);
  await sql`update participants set role = 'participant' where role in ('presenter', 'guest')`.execute(
    db,
  );
  await sql`alter table participants add constraint participants_role_check
    check (role in ('moderator', 'participant'))`.execute(db);
}
