/**
 * Erasing stored events (A3 retention, P4 erasure of a person): an event's content, salt and
 * personal columns become NULL and `erased_at` is set, through the one UPDATE the database
 * allows on `audit_events` (migration 0002: `SET LOCAL konvent.audit_retention = 'on'`, only
 * those columns, only once). Seq and leaf hash stay, so every root, checkpoint and proof
 * stays valid and `verify` still passes; action, actor kind, time, outcome and class stay
 * for statistics.
 */
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Tables } from '../storage/Tables.ts';
import { AuditError } from './AuditError.ts';

/** Rows erased per transaction, so that erasing years of events never holds locks for long. */
export const ERASE_BATCH = 5000;

/** The seqs of not yet erased events to erase: a subquery on `audit_events`. */
export type ErasablePick = (
  trx: Kysely<Tables>,
) => SelectQueryBuilder<Tables, 'audit_events', { seq: string | number }>;

/**
 * Erases, in one transaction, the events `pick` selects (at most `ERASE_BATCH` of them,
 * lowest seqs first, only those not yet erased); resolves to how many were erased and the
 * highest seq among them (−1 when none).
 */
export async function eraseBatch(
  db: Kysely<Tables>,
  pick: ErasablePick,
  now: Date,
): Promise<{ count: number; lastSeq: number }> {
  return db.transaction().execute(async (trx) => {
    // The database refuses every other UPDATE of an event (migration 0002).
    await sql`set local konvent.audit_retention = 'on'`.execute(trx);
    const chosen = pick(trx).where('erased_at', 'is', null).orderBy('seq').limit(ERASE_BATCH);
    const rows = await trx
      .updateTable('audit_events')
      .set({
        content: null,
        salt: null,
        actor_id: null,
        target: null,
        meeting_id: null,
        source: null,
        erased_at: now,
      })
      .where('seq', 'in', chosen)
      .returning('seq')
      .execute();
    let lastSeq = -1;
    for (const row of rows) lastSeq = Math.max(lastSeq, Number(row.seq));
    return { count: rows.length, lastSeq };
  });
}

/** The forms in which events name a person: as is, and as `participant:` / `user:` targets. */
function namesOf(subjectId: string): string[] {
  return [subjectId, `participant:${subjectId}`, `user:${subjectId}`];
}

/**
 * Picks the events that name a person, from seq `after + 1` on: those the person did
 * (`actor_id`, unless a system actor has that id), those done to them (`target`, bare or as
 * `participant:<id>` / `user:<id>`), and any other event whose signed content holds one of
 * these as a JSON string (e.g. an auditor's search filtered by the id, in its details). The
 * content is matched as the quoted, JSON-escaped string exactly as canonical JSON writes it,
 * so `p-1` does not match `p-12`.
 */
export function namingSubject(subjectId: string, after: number): ErasablePick {
  const names = namesOf(subjectId);
  const quoted = names.map((name) => Buffer.from(JSON.stringify(name), 'utf8'));
  return (trx) =>
    trx
      .selectFrom('audit_events')
      .select('seq')
      .where('seq', '>', after)
      .where((eb) =>
        eb.or([
          eb.and([eb('actor_id', '=', subjectId), eb('actor_kind', '<>', 'system')]),
          eb('target', 'in', names),
          ...quoted.map((bytes) => eb(sql`position(${bytes} in content)`, '>', 0)),
        ]),
      );
}

/** How many not yet erased events name a person (what `eraseSubject` would erase). */
export async function countNamingSubject(db: Kysely<Tables>, subjectId: string): Promise<number> {
  const row = await db
    .selectFrom(namingSubject(subjectId, -1)(db).where('erased_at', 'is', null).as('naming'))
    .select((eb) => eb.fn.countAll<string | number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * Refuses an id that cannot name a person: empty, too long, with control characters, or the
 * id of a system actor in the log (`server`, `anonymous`, …), whose events are no one's
 * personal data and would otherwise be swept up with the content match.
 */
export async function checkSubjectId(db: Kysely<Tables>, subjectId: string): Promise<void> {
  const invalid = (why: string): never => {
    throw new AuditError('invalid_argument', `erasure: the subject id ${why}`);
  };
  if (subjectId.length === 0 || subjectId.length > 512) invalid('must be 1 to 512 characters');
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(subjectId)) invalid('contains control characters');
  const system = await db
    .selectFrom('audit_events')
    .select('seq')
    .where('actor_kind', '=', 'system')
    .where('actor_id', '=', subjectId)
    .limit(1)
    .executeTakeFirst();
  if (system !== undefined) invalid('is that of a system actor, not of a person');
}
