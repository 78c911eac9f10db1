/**
 * Reading stored events column by column with SELECT, exactly as stored: the reader for
 * PGlite, for reads inside a transaction, and for small reads. (`copyRows.ts` reads the
 * same rows from PostgreSQL faster.)
 */
import { sql, type Kysely } from 'kysely';
import type { Tables } from '../storage/Tables.ts';
import type { AuditRow } from './events.ts';

/** A bytea value as a Buffer (PGlite gives a Uint8Array, node-postgres a Buffer). */
export function toBuffer(value: Uint8Array): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.length);
}

/** The time as `Date.toISOString` writes it, formatted by the database (cheaper than Dates). */
export const ISO_TIME = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/** A timestamp column as `Date.toISOString` text. */
export function isoColumn(column: 'recorded_at' | 'erased_at') {
  return sql<
    string | null
  >`to_char(${sql.ref(column)} at time zone 'UTC', ${sql.raw(ISO_TIME)})`.as(column);
}

/** Rows of one page, exactly as stored: every column on its own. */
export async function fetchExact(
  db: Kysely<Tables>,
  fromSeq: number,
  limit: number,
): Promise<AuditRow[]> {
  const rows = await db
    .selectFrom('audit_events')
    .select([
      'seq',
      isoColumn('recorded_at'),
      'action',
      'actor_kind',
      'actor_id',
      'target',
      'meeting_id',
      'outcome',
      'source',
      'event_class',
      'content',
      'salt',
      'leaf_hash',
      isoColumn('erased_at'),
    ])
    .where('seq', '>=', fromSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    seq: Number(row.seq),
    recordedAt: row.recorded_at ?? '',
    action: row.action,
    actorKind: row.actor_kind,
    actorId: row.actor_id,
    target: row.target,
    meetingId: row.meeting_id,
    outcome: row.outcome,
    source: row.source,
    eventClass: row.event_class,
    content: row.content === null ? null : toBuffer(row.content),
    salt: row.salt === null ? null : toBuffer(row.salt),
    leafHash: toBuffer(row.leaf_hash),
    erasedAt: row.erased_at,
  }));
}
