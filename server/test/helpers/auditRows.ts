import type { TestServer } from './testServer.ts';

/** One audit event of a meeting as the signalling tests check it. */
export interface AuditRow {
  action: string;
  actor: string | null;
  target: string | null;
  outcome: string;
  /** The signed content (JSON) as text; '' once erased. */
  content: string;
}

/** A meeting's audit events in log order, of one action if given. */
export async function auditRows(
  t: TestServer,
  meetingId: string,
  action?: string,
): Promise<AuditRow[]> {
  let query = t.server.database.db
    .selectFrom('audit_events')
    .select(['action', 'actor_id', 'target', 'outcome', 'content'])
    .where('meeting_id', '=', meetingId)
    .orderBy('seq');
  if (action !== undefined) query = query.where('action', '=', action);
  const rows = await query.execute();
  return rows.map((row) => ({
    action: row.action,
    actor: row.actor_id,
    target: row.target,
    outcome: row.outcome,
    content: row.content === null ? '' : Buffer.from(row.content).toString('utf8'),
  }));
}
