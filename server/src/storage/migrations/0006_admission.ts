import { sql, type Kysely } from 'kysely';

/**
 * Admission (issue 5): each meeting's policy (guest policy, passcode hash, lock after start),
 * its locks and who created it; how each participant arrived and whether they wait in the
 * lobby; personal invitations (token and PIN only as hashes, the label sealed); participants'
 * reports about one another (the text sealed). Meetings of earlier versions get the
 * restrictive default policy without a passcode.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('meetings')
    .addColumn('created_by', 'text')
    .addColumn('guest_policy', 'text', (c) => c.notNull().defaultTo('ask_moderator'))
    .addColumn('passcode_hash', 'text')
    .addColumn('lock_after_start_minutes', 'integer')
    .addColumn('started_at', 'timestamptz')
    .addColumn('locks', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await sql`alter table meetings add constraint meetings_guest_policy_check
    check (guest_policy in ('always_accept', 'ask_moderator', 'accept_signed_in', 'always_deny'))`.execute(
    db,
  );
  await sql`alter table meetings add constraint meetings_lock_after_start_check
    check (lock_after_start_minutes between 1 and 1440)`.execute(db);

  await db.schema
    .createTable('invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) =>
      c.notNull().references('meetings.id').onDelete('cascade'),
    )
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('label_sealed', 'bytea', (c) => c.notNull())
    .addColumn('role', 'text', (c) =>
      c.notNull().check(sql`role in ('moderator', 'presenter', 'participant')`),
    )
    .addColumn('pin_hash', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('max_uses', 'integer', (c) => c.check(sql`max_uses >= 1`))
    .addColumn('uses', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await sql`alter table invitations add constraint invitations_uses_check
    check (uses >= 0 and (max_uses is null or uses <= max_uses))`.execute(db);
  await db.schema
    .createIndex('invitations_meeting_idx')
    .on('invitations')
    .columns(['meeting_id', 'created_at'])
    .execute();

  await db.schema
    .alterTable('participants')
    .addColumn('user_id', 'text')
    .addColumn('invitation_id', 'text', (c) => c.references('invitations.id').onDelete('set null'))
    .addColumn('arrival', 'text', (c) => c.notNull().defaultTo('link'))
    .addColumn('admission', 'text', (c) => c.notNull().defaultTo('admitted'))
    .execute();
  await sql`alter table participants add constraint participants_arrival_check
    check (arrival in ('moderator_link', 'link', 'account', 'invitation'))`.execute(db);
  await sql`alter table participants add constraint participants_admission_check
    check (admission in ('admitted', 'waiting', 'denied'))`.execute(db);
  await db.schema
    .createIndex('participants_invitation_idx')
    .on('participants')
    .column('invitation_id')
    .where(sql.ref('invitation_id'), 'is not', null)
    .execute();

  await db.schema
    .createTable('participant_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) =>
      c.notNull().references('meetings.id').onDelete('cascade'),
    )
    .addColumn('reporter_id', 'text', (c) =>
      c.notNull().references('participants.id').onDelete('cascade'),
    )
    .addColumn('target_id', 'text', (c) =>
      c.notNull().references('participants.id').onDelete('cascade'),
    )
    .addColumn('reason', 'text', (c) =>
      c
        .notNull()
        .check(sql`reason in ('harassment', 'spam', 'inappropriate', 'impersonation', 'other')`),
    )
    .addColumn('text_sealed', 'bytea')
    .addColumn('reported_at', 'timestamptz', (c) => c.notNull())
    .addColumn('answered_at', 'timestamptz')
    .addColumn('answer', 'text', (c) =>
      c.check(sql`answer in ('dismiss', 'mute', 'remove', 'ban')`),
    )
    .addColumn('answered_by', 'text')
    .execute();
  await db.schema
    .createIndex('participant_reports_open_idx')
    .on('participant_reports')
    .columns(['meeting_id', 'reported_at'])
    .where(sql.ref('answered_at'), 'is', null)
    .execute();
  await db.schema
    .createIndex('participant_reports_reporter_idx')
    .on('participant_reports')
    .column('reporter_id')
    .execute();
  await db.schema
    .createIndex('participant_reports_target_idx')
    .on('participant_reports')
    .column('target_id')
    .execute();
}

/** Drops what `up` added. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('participant_reports').execute();
  await db.schema
    .alterTable('participants')
    .dropColumn('admission')
    .dropColumn('arrival')
    .dropColumn('invitation_id')
    .dropColumn('user_id')
    .execute();
  await db.schema.dropTable('invitations').execute();
  await db.schema
    .alterTable('meetings')
    .dropColumn('locks')
    .dropColumn('started_at')
    .dropColumn('lock_after_start_minutes')
    .dropColumn('passcode_hash')
    .dropColumn('guest_policy')
    .dropColumn('created_by')
    .execute();
}
