import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { BinaryAuditRow } from '../../src/audit/BinaryAuditRow.ts';
import { readAuditPagesCopy } from '../../src/audit/copyRows.ts';
import type { AuditRow } from '../../src/audit/events.ts';
import { readAuditPages, readAuditRows, readCheckpoints } from '../../src/audit/readLog.ts';
import { verifyLog } from '../../src/audit/verifyLog.ts';
import { eachBackend } from '../helpers/databases.ts';
import { openFixture, sampleEvent, tamper, type AuditFixture } from './auditFixture.ts';

const DAY = 24 * 60 * 60 * 1000;

/** Rows as plain data (bytes as base64), comparable whatever reader made them. */
function plainRows(rows: readonly AuditRow[]): Record<string, unknown>[] {
  // Field by field: the binary reader's rows keep their columns behind getters.
  const b64 = (bytes: Uint8Array | null) =>
    bytes === null ? null : Buffer.from(bytes).toString('base64');
  return rows.map((row) => ({
    seq: row.seq,
    recordedAt: row.recordedAt,
    action: row.action,
    actorKind: row.actorKind,
    actorId: row.actorId,
    target: row.target,
    meetingId: row.meetingId,
    outcome: row.outcome,
    source: row.source,
    eventClass: row.eventClass,
    content: b64(row.content),
    salt: b64(row.salt),
    leafHash: b64(row.leafHash),
    erasedAt: row.erasedAt,
  }));
}

async function collect(pages: AsyncIterable<AuditRow[]>): Promise<AuditRow[]> {
  const rows: AuditRow[] = [];
  for await (const page of pages) rows.push(...page);
  return rows;
}

for (const backend of eachBackend()) {
  describe(`reading the stored log on ${backend.name}`, () => {
    let f: AuditFixture;
    let client: pg.Client | undefined;

    before(async () => {
      f = await openFixture(backend);
      const log = await f.open({ retentionDays: { default: 365, meeting: 1 } });
      await log.record(sampleEvent(0));
      await log.record({
        action: 'server.start',
        actor: { kind: 'system', id: 'n' },
        outcome: 'success',
      });
      await log.record(
        sampleEvent(2, { target: 'say "v"', details: { text: 'quote " and \\ and ü' } }),
      );
      f.clock.advance(2 * DAY + 7);
      await log.applyRetention(f.clock.now()); // erases events 0 and 2
      for (let i = 3; i < 11; i++)
        await log.record(sampleEvent(i, { meetingId: `Sitzung-${String(i)}-ü` }));
      await log.close();
      if (f.t.databaseUrl !== undefined) {
        client = new pg.Client({ connectionString: f.t.databaseUrl });
        await client.connect();
      }
    });
    after(async () => {
      await client?.end();
      await f.cleanup();
    });

    test('pages and single rows hold the same events', async () => {
      const rows = await collect(readAuditPages(f.db, { pageSize: 4 }));
      assert.equal(rows.length, 12);
      const single: AuditRow[] = [];
      for await (const row of readAuditRows(f.db, { pageSize: 5 })) single.push(row);
      assert.deepEqual(plainRows(single), plainRows(rows));
    });

    test('binary COPY gives exactly the rows of a SELECT (PostgreSQL)', async (t) => {
      if (client === undefined) {
        t.skip('PostgreSQL only');
        return;
      }
      const exact = plainRows(await collect(readAuditPages(f.db)));
      const copied = await collect(readAuditPagesCopy(client, { pageSize: 5 }));
      const binary = copied.filter((row) => row instanceof BinaryAuditRow);
      assert.equal(binary.length, copied.length);
      assert.deepEqual(plainRows(copied), exact);
      // Every intact event passes the in-place comparison; erased ones never do.
      assert.deepEqual(
        binary.map((row) => row.matchesOwnColumns()),
        copied.map((row) => row.erasedAt === null && row.target !== 'say "v"'),
      );
    });

    test('tampered rows read by COPY verify exactly as read by SELECT', async (t) => {
      if (client === undefined) {
        t.skip('PostgreSQL only');
        return;
      }
      const [key] = await f.db.selectFrom('audit_keys').select('verifier_key').execute();
      assert.ok(key);
      const checkpoints = (await readCheckpoints(f.db)).map((checkpoint) => checkpoint.text);
      const input = { verifierKey: key.verifier_key, checkpoints };
      const intact = await verifyLog(readAuditPagesCopy(client), input);
      assert.equal(intact.ok, true, JSON.stringify(intact));
      await tamper(f.db, async (trx) => {
        await trx
          .updateTable('audit_events')
          .set({ meeting_id: 'Sitzung-5-u' })
          .where('seq', '=', 5)
          .execute();
        await sql`update audit_events set content = '\\xff00'::bytea where seq = 8`.execute(trx);
      });
      const copied = await collect(readAuditPagesCopy(client, { pageSize: 3 }));
      assert.equal(copied[5]?.matchesOwnColumns?.(), false);
      const byCopy = await verifyLog(readAuditPagesCopy(client), input);
      const bySelect = await verifyLog(readAuditPages(f.db), input);
      assert.deepEqual(byCopy, bySelect);
      assert.match(byCopy.ok ? '' : byCopy.reason, /event 5: its column meeting_id differs/);
    });
  });
}
