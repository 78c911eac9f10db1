import { sql, type Kysely } from 'kysely';
import type { Tables } from '../storage/Tables.ts';

/**
 * Takes the audit log's transaction-scoped advisory lock: every server process sharing the
 * PostgreSQL database appends under it, so seqs are assigned and committed strictly in order
 * and two processes never interleave. It is released at commit or rollback. (PGlite has one
 * connection, where it is uncontended.)
 */
export async function lockAuditLog(trx: Kysely<Tables>): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended('konvent.audit_log', 0))`.execute(trx);
}
