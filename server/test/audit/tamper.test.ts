import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { splitCheckpoints } from '../../src/audit/CheckpointSink.ts';
import { eventContent } from '../../src/audit/events.ts';
import { createAuditLeaf } from '../../src/audit/leaf.ts';
import type { VerifyResult } from '../../src/audit/verifyLog.ts';
import type { Tables } from '../../src/storage/Tables.ts';
import { eachBackend } from '../helpers/databases.ts';
import { openFixture, sampleEvent, verifyDatabase, type AuditFixture } from './auditFixture.ts';

const EVENTS = 20;

/** Thrown to roll the tampering back once its verdict is in. */
class Rollback extends Error {}

/**
 * Tampers with the log (20 events, checkpoints at 8, 16 and 20, and a file witness) inside a
 * transaction, verifies what the transaction sees, and rolls the tampering back.
 */
async function verdictAfter(
  f: AuditFixture,
  change: (trx: Kysely<Tables>) => Promise<unknown>,
  options: { withFileWitness?: boolean } = {},
): Promise<VerifyResult> {
  const witness =
    options.withFileWitness === true
      ? splitCheckpoints(await readFile(join(f.t.dataDir, 'audit', 'checkpoints.log'), 'utf8'))
      : [];
  let verdict: VerifyResult | undefined;
  await f.db
    .transaction()
    .execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx);
      await change(trx);
      verdict = await verifyDatabase(trx, witness);
      throw new Rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
  assert.ok(verdict);
  return verdict;
}

function assertFailsAt(result: VerifyResult, seq: number | null, reason: RegExp): void {
  assert.equal(result.ok, false, 'the tampering went undetected');
  assert.ok(!result.ok);
  assert.equal(result.firstBadSeq, seq, result.reason);
  assert.match(result.reason, reason);
}

/** Moves the events from `from` on by `by` seqs (positive or negative), keeping their content. */
async function shift(trx: Kysely<Tables>, from: number, by: number): Promise<void> {
  // Through a far offset, so no two rows ever share a seq on the way.
  await sql`update audit_events set seq = seq + 1000000 where seq >= ${from}`.execute(trx);
  await sql`update audit_events set seq = seq - 1000000 + ${by} where seq >= 1000000`.execute(trx);
}

for (const backend of eachBackend()) {
  describe(`verification detects tampering with the database on ${backend.name}`, () => {
    let f: AuditFixture;

    before(async () => {
      f = await openFixture(backend);
      const log = await f.open({ checkpointEvery: 8, dataDir: f.t.dataDir });
      for (let i = 0; i < EVENTS; i++) await log.record(sampleEvent(i));
      await log.close();
    });
    after(async () => {
      await f.cleanup();
    });

    test('the untouched log verifies, with all three checkpoints', async () => {
      const result = await verifyDatabase(f.db);
      assert.deepEqual(result.ok && [result.size, result.checkpoints], [EVENTS, 3]);
    });

    test('a modified byte of an event’s content is named as that event', async () => {
      const result = await verdictAfter(f, (trx) =>
        sql`update audit_events set content = overlay(content placing '9' from 12 for 1)
            where seq = 5`.execute(trx),
      );
      assertFailsAt(result, 5, /does not hash to its leaf hash/);
    });

    test('content replaced by bytes that are not even UTF-8 is named as that event', async () => {
      const result = await verdictAfter(f, (trx) =>
        sql`update audit_events set content = '\\xc328ff'::bytea where seq = 13`.execute(trx),
      );
      assertFailsAt(result, 13, /does not hash to its leaf hash/);
    });

    test('a modified searchable column is named as that event', async () => {
      const result = await verdictAfter(f, (trx) =>
        trx
          .updateTable('audit_events')
          .set({ actor_id: 'p-framed' })
          .where('seq', '=', 11)
          .execute(),
      );
      assertFailsAt(result, 11, /column actor_id differs/);
    });

    test('a rewritten event with a fresh salt and leaf hash breaks the signed root', async () => {
      const result = await verdictAfter(f, async (trx) => {
        const leaf = createAuditLeaf(
          eventContent(3, f.clock.now(), sampleEvent(3, { outcome: 'denied' }), '198.51.100.0/24'),
        );
        await trx
          .updateTable('audit_events')
          .set({
            content: leaf.bytes,
            salt: leaf.salt,
            leaf_hash: leaf.leafHash,
            outcome: 'denied',
          })
          .where('seq', '=', 3)
          .execute();
      });
      // The row itself is consistent; only the checkpoint over 0..7 can tell.
      assertFailsAt(result, 0, /checkpoint for 8: an event from 0 to 7/);
    });

    test('a deleted event is named as missing', async () => {
      const result = await verdictAfter(f, (trx) =>
        trx.deleteFrom('audit_events').where('seq', '=', 9).execute(),
      );
      assertFailsAt(result, 9, /event 9 is missing/);
    });

    test('a deleted event whose successors were renumbered is named', async () => {
      const result = await verdictAfter(f, async (trx) => {
        await trx.deleteFrom('audit_events').where('seq', '=', 9).execute();
        await shift(trx, 10, -1);
      });
      assertFailsAt(result, 9, /stored as 9 is event 10/);
    });

    test('two swapped events are named by the first of them', async () => {
      const result = await verdictAfter(f, async (trx) => {
        await shift(trx, 12, 100); // 12 → 112, out of the way
        await sql`update audit_events set seq = 12 where seq = 4`.execute(trx);
        await sql`update audit_events set seq = 4 where seq = 112`.execute(trx);
      });
      assertFailsAt(result, 4, /stored as 4 is event 12/);
    });

    test('an inserted event, well formed and hashed, is named', async () => {
      const result = await verdictAfter(f, async (trx) => {
        await shift(trx, 6, 1);
        const event = sampleEvent(6, { actor: { kind: 'user', id: 'u-innocent' } });
        const leaf = createAuditLeaf(eventContent(6, f.clock.now(), event, '198.51.100.0/24'));
        await trx
          .insertInto('audit_events')
          .values({
            seq: 6,
            recorded_at: f.clock.now(),
            action: event.action,
            actor_kind: 'user',
            actor_id: 'u-innocent',
            target: event.target ?? null,
            meeting_id: event.meetingId ?? null,
            outcome: event.outcome,
            source: '198.51.100.0/24',
            event_class: 'meeting',
            content: leaf.bytes,
            salt: leaf.salt,
            leaf_hash: leaf.leafHash,
            erased_at: null,
          })
          .execute();
      });
      assertFailsAt(result, 6, /stored as 7 is event 6/);
    });

    test('a tail cut off after a checkpoint is detected', async () => {
      const result = await verdictAfter(f, (trx) =>
        trx.deleteFrom('audit_events').where('seq', '>=', 17).execute(),
      );
      assertFailsAt(result, 17, /ends after 17 events, but a checkpoint vouches for 20/);
    });

    test('a cut tail with its checkpoints deleted too is caught by the file witness', async () => {
      const result = await verdictAfter(
        f,
        async (trx) => {
          await trx.deleteFrom('audit_events').where('seq', '>=', 10).execute();
          await trx.deleteFrom('audit_checkpoints').where('tree_size', '>', 8).execute();
        },
        { withFileWitness: true },
      );
      assertFailsAt(result, 10, /ends after 10 events, but a checkpoint vouches for 20/);
    });

    test('a forged checkpoint is refused', async () => {
      const result = await verdictAfter(f, (trx) =>
        sql`update audit_checkpoints set text = replace(text, E'\n16\n', E'\n15\n')`.execute(trx),
      );
      assertFailsAt(result, null, /checkpoint does not verify/);
    });
  });
}
