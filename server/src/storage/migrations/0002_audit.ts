import { sql, type Kysely } from 'kysely';

/**
 * The audit trail (issue 3, docs/audit.md): events, signed checkpoints and the sealed
 * signing key, and the triggers that make them append-only in the database itself.
 *
 * Why triggers and not only grants: they work the same on PGlite (a single superuser) and on
 * PostgreSQL, whatever role the server connects as, and they also stop an application bug or
 * an injected statement. They do not stop the table owner, who can disable or drop them;
 * that is what the Merkle tree, the signed checkpoints and external witnesses are for.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_events')
    .addColumn('seq', 'bigint', (c) => c.primaryKey().check(sql`seq >= 0`))
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('target', 'text')
    .addColumn('meeting_id', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('source', 'text')
    .addColumn('event_class', 'text', (c) => c.notNull())
    .addColumn('content', 'bytea')
    .addColumn('salt', 'bytea', (c) => c.check(sql`octet_length(salt) = 32`))
    .addColumn('leaf_hash', 'bytea', (c) => c.notNull().check(sql`octet_length(leaf_hash) = 32`))
    .addColumn('erased_at', 'timestamptz')
    // Content and salt exist together, exactly until the event is erased.
    .addCheckConstraint(
      'audit_events_erasure_check',
      sql`(content is null) = (salt is null) and (content is null) = (erased_at is not null)`,
    )
    .execute();
  // Search by time, actor, meeting and action (the auditor page), newest first.
  for (const [name, columns] of [
    ['audit_events_time_idx', ['recorded_at']],
    ['audit_events_actor_idx', ['actor_id', 'recorded_at']],
    ['audit_events_meeting_idx', ['meeting_id', 'recorded_at']],
    ['audit_events_action_idx', ['action', 'recorded_at']],
  ] as const) {
    await db.schema
      .createIndex(name)
      .on('audit_events')
      .columns([...columns])
      .execute();
  }
  // Retention: the not yet erased events of a class, oldest first.
  await db.schema
    .createIndex('audit_events_retention_idx')
    .on('audit_events')
    .columns(['event_class', 'recorded_at'])
    .where(sql.ref('erased_at'), 'is', null)
    .execute();

  await db.schema
    .createTable('audit_checkpoints')
    .addColumn('id', 'bigint', (c) => c.generatedAlwaysAsIdentity().primaryKey())
    .addColumn('tree_size', 'bigint', (c) => c.notNull().check(sql`tree_size >= 0`))
    .addColumn('root_hash', 'bytea', (c) => c.notNull().check(sql`octet_length(root_hash) = 32`))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('state', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('audit_checkpoints_size_idx')
    .on('audit_checkpoints')
    .column('tree_size')
    .execute();

  await db.schema
    .createTable('audit_keys')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('verifier_key', 'text', (c) => c.notNull())
    .addColumn('signer_sealed', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_keys_pk', ['name', 'key_id'])
    .execute();

  // Refuses a statement outright: DELETE and TRUNCATE on every audit table, UPDATE on the
  // checkpoints and keys. Statement-level, so even a DELETE that matches no row fails.
  await sql`
    create function audit_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception '% is append-only: % refused', tg_table_name, tg_op
        using errcode = 'insufficient_privilege';
    end
    $$`.execute(db);

  // An UPDATE of an event is only the retention (or erasure) path: the transaction has said
  // so with SET LOCAL konvent.audit_retention = 'on', and the row's content, salt and
  // personal columns become null while everything the Merkle tree and statistics rest on
  // (seq, leaf hash, time, action, actor kind, outcome, class) stays as it was.
  await sql`
    create function audit_events_guard_update() returns trigger language plpgsql as $$
    begin
      if coalesce(current_setting('konvent.audit_retention', true), '') <> 'on' then
        raise exception 'audit_events is append-only: UPDATE refused outside the retention path'
          using errcode = 'insufficient_privilege';
      end if;
      if old.erased_at is not null
        or new.seq is distinct from old.seq
        or new.leaf_hash is distinct from old.leaf_hash
        or new.recorded_at is distinct from old.recorded_at
        or new.action is distinct from old.action
        or new.actor_kind is distinct from old.actor_kind
        or new.outcome is distinct from old.outcome
        or new.event_class is distinct from old.event_class
        or new.content is not null or new.salt is not null
        or new.actor_id is not null or new.target is not null
        or new.meeting_id is not null or new.source is not null
        or new.erased_at is null then
        raise exception 'audit_events: the retention path may only erase content, salt and personal columns of event %', old.seq
          using errcode = 'insufficient_privilege';
      end if;
      return new;
    end
    $$`.execute(db);

  await sql`create trigger audit_events_no_update before update on audit_events
    for each row execute function audit_events_guard_update()`.execute(db);
  for (const table of ['audit_events', 'audit_checkpoints', 'audit_keys']) {
    const operations =
      table === 'audit_events' ? ['delete', 'truncate'] : ['update', 'delete', 'truncate'];
    for (const operation of operations) {
      await sql`create trigger ${sql.id(`${table}_no_${operation}`)} before ${sql.raw(operation)}
        on ${sql.id(table)} for each statement execute function audit_refuse_change()`.execute(db);
    }
  }
}

/** Drops the audit tables and their trigger functions. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('audit_keys').execute();
  await db.schema.dropTable('audit_checkpoints').execute();
  await db.schema.dropTable('audit_events').execute();
  await sql`drop function audit_events_guard_update()`.execute(db);
  await sql`drop function audit_refuse_change()`.execute(db);
}
