import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { AuditError } from '../../src/audit/AuditError.ts';
import type { AuditLog } from '../../src/audit/AuditLog.ts';
import { parseVerifierKey, verifyCheckpoint } from '../../src/audit/checkpoint.ts';
import type { AuditEventInput } from '../../src/audit/events.ts';
import { auditLeafHash } from '../../src/audit/leaf.ts';
import { rootHash } from '../../src/audit/merkle.ts';
import { readCheckpoints } from '../../src/audit/readLog.ts';
import { SIGNING_KEY_CONTEXT } from '../../src/audit/signingKey.ts';
import { openDatabase } from '../../src/storage/openDatabase.ts';
import { eachBackend } from '../helpers/databases.ts';
import {
  openFixture,
  ORIGIN,
  sampleEvent,
  storedRows,
  verifyDatabase,
  type AuditFixture,
} from './auditFixture.ts';

function isAuditError(reason: AuditError['reason']) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof AuditError, `expected an AuditError, got ${String(error)}`);
    assert.equal(error.reason, reason, error.message);
    return true;
  };
}

for (const backend of eachBackend()) {
  describe(`AuditLog on ${backend.name}`, () => {
    let f: AuditFixture;
    let log: AuditLog;

    before(async () => {
      f = await openFixture(backend);
      log = await f.open({ checkpointEvery: 1_000_000 });
    });
    after(async () => {
      await f.cleanup();
    });

    test('a recorded event is stored with seq 0, its salted leaf hash and canonical content', async () => {
      const receipt = await log.record(sampleEvent(7));
      assert.equal(receipt.seq, 0);
      assert.deepEqual(receipt.recordedAt, f.clock.now());
      const [row] = await storedRows(f.db);
      assert.ok(row?.content && row.salt);
      assert.equal(row.seq, 0);
      assert.equal(Buffer.from(row.leafHash).toString('base64'), receipt.leafHash);
      assert.deepEqual(auditLeafHash(row.salt, row.content), row.leafHash);
      assert.deepEqual(JSON.parse(Buffer.from(row.content).toString('utf8')), {
        action: 'meeting.joined',
        actor: { id: 'p-7', kind: 'participant' },
        details: { n: 7, role: 'participant' },
        meeting: 'm-1',
        outcome: 'success',
        seq: 0,
        source: '198.51.100.0/24',
        target: 'm-1',
        time: '2030-01-01T09:00:00.000Z',
        v: 1,
      });
      assert.equal(row.eventClass, 'meeting');
      assert.equal(row.recordedAt, '2030-01-01T09:00:00.000Z');
    });

    test('the source address is truncated to /24 or /48 before anything is stored', async () => {
      await log.record(sampleEvent(1, { source: '2001:db8:abcd:12:34::1' }));
      await log.record(sampleEvent(2, { source: '::ffff:203.0.113.9' }));
      const rows = await storedRows(f.db);
      assert.deepEqual(
        rows.slice(-2).map((row) => row.source),
        ['2001:db8:abcd::/48', '203.0.113.0/24'],
      );
      const stored = await sql<{ n: number }>`select count(*)::int as n from audit_events
        where convert_from(content, 'UTF8') like '%2001:db8:abcd:12%'`.execute(f.db);
      assert.equal(stored.rows[0]?.n, 0);
    });

    test('concurrent calls are committed in few transactions with gap-free seqs', async () => {
      const before = log.size;
      const receipts = await Promise.all(
        Array.from({ length: 1200 }, (_, i) => log.record(sampleEvent(i))),
      );
      const seqs = receipts.map((receipt) => receipt.seq).sort((a, b) => a - b);
      assert.deepEqual(
        seqs,
        Array.from({ length: 1200 }, (_, i) => before + i),
      );
      // The order of the calls is the order of the seqs.
      assert.deepEqual(
        receipts.map((receipt) => receipt.seq),
        seqs,
      );
      assert.equal(log.size, before + 1200);
      const count = await f.db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(count.n), before + 1200);
    });

    test('malformed events are refused and nothing of them is stored', async () => {
      const size = log.size;
      const bad: [AuditEventInput, AuditError['reason']][] = [
        [{ ...sampleEvent(1), action: 'meeting.hacked' as 'meeting.joined' }, 'invalid_argument'],
        [{ ...sampleEvent(1), actor: { kind: 'robot' as 'user', id: 'x' } }, 'invalid_argument'],
        [{ ...sampleEvent(1), actor: { kind: 'user', id: '' } }, 'invalid_argument'],
        [{ ...sampleEvent(1), outcome: 'maybe' as 'success' }, 'invalid_argument'],
        [{ ...sampleEvent(1), source: 'not-an-ip' }, 'invalid_argument'],
        [{ ...sampleEvent(1), details: { ratio: 0.5 } }, 'not_canonical'],
      ];
      for (const [event, reason] of bad) {
        await assert.rejects(log.record(event), isAuditError(reason));
      }
      // A good event in the same turn as a bad one is stored.
      const results = await Promise.allSettled([
        log.record(sampleEvent(1, { details: { when: new Date() as never } })),
        log.record(sampleEvent(2)),
      ]);
      assert.equal(results[0].status, 'rejected');
      assert.equal(results[1].status, 'fulfilled');
      assert.equal(log.size, size + 1);
    });

    test('an event is stored as it was when recorded, whatever the caller changes later', async () => {
      const details: Record<string, string> = { role: 'participant' };
      const actor = { kind: 'participant' as const, id: 'p-before' };
      const pending = log.record({ ...sampleEvent(1), actor, details });
      details['role'] = 'moderator';
      actor.id = 'p-after';
      const { seq } = await pending;
      const row = (await storedRows(f.db))[seq];
      assert.equal(row?.actorId, 'p-before');
      assert.match(Buffer.from(row.content ?? []).toString(), /"role":"participant"/);
    });

    test('a checkpoint is signed by the verifier key and states the root of every event', async () => {
      const text = await log.checkpoint();
      const checkpoint = verifyCheckpoint(text, parseVerifierKey(log.verifierKey));
      const rows = await storedRows(f.db);
      assert.equal(checkpoint.origin, ORIGIN);
      assert.equal(checkpoint.treeSize, rows.length);
      assert.deepEqual(checkpoint.rootHash, rootHash(rows.map((row) => row.leafHash)));
      // Nothing new: the same checkpoint again, not another row.
      assert.equal(await log.checkpoint(), text);
      assert.equal((await readCheckpoints(f.db)).length, 1);
      assert.deepEqual(await verifyDatabase(f.db), {
        ok: true,
        size: rows.length,
        checkpoints: 1,
        sealedSize: rows.length,
        rootHash: checkpoint.rootHash.toString('base64'),
      });
    });

    test('events whose ids hold quotes, backslashes or non-ASCII text verify', async () => {
      await log.record(sampleEvent(5, { target: 'a "quoted" \\ target', meetingId: 'Sitzung-ü' }));
      await log.checkpoint();
      const result = await verifyDatabase(f.db);
      assert.equal(result.ok, true, JSON.stringify(result));
    });

    test('the signing key is stored sealed, never in the clear, and survives a restart', async () => {
      const [key] = await f.db.selectFrom('audit_keys').selectAll().execute();
      assert.ok(key);
      assert.equal(key.verifier_key, log.verifierKey);
      assert.ok(!Buffer.from(key.signer_sealed).toString('latin1').includes('PRIVATE+KEY'));
      const opened = await f.vault.openText(key.signer_sealed, SIGNING_KEY_CONTEXT);
      assert.match(opened, /^PRIVATE\+KEY\+konvent\.test\/audit\+/);
      await log.close();
      log = await f.open({ checkpointEvery: 1_000_000 });
      assert.equal(log.verifierKey, key.verifier_key);
    });

    test('after a restart appends continue the sequence and the tree resumes without a gap', async () => {
      const size = log.size;
      assert.ok(size > 1000);
      const receipt = await log.record(sampleEvent(99));
      assert.equal(receipt.seq, size);
      await log.checkpoint();
      const result = await verifyDatabase(f.db);
      assert.equal(result.ok, true, JSON.stringify(result));
    });

    test('events are durable: a reopened database holds them', async () => {
      const size = log.size;
      await log.close();
      await f.t.database.close();
      f.t.database = await openDatabase({ databaseUrl: f.t.databaseUrl, dataDir: f.t.dataDir });
      log = await f.open({ checkpointEvery: 1_000_000 });
      assert.equal(log.size, size);
      assert.equal((await storedRows(f.db)).length, size);
    });

    test('after close, record is refused with a typed error', async () => {
      const closed = await f.open();
      await closed.close();
      await closed.close();
      await assert.rejects(closed.record(sampleEvent(1)), isAuditError('closed'));
    });
  });

  describe(`AuditLog checkpoints on ${backend.name}`, () => {
    let f: AuditFixture;

    before(async () => {
      f = await openFixture(backend);
    });
    after(async () => {
      await f.cleanup();
    });

    test('a checkpoint is written every N events, and on close', async () => {
      const log = await f.open({ checkpointEvery: 10 });
      for (let i = 0; i < 25; i++) await log.record(sampleEvent(i));
      await log.close();
      const sizes = (await readCheckpoints(f.db)).map((checkpoint) => checkpoint.treeSize);
      assert.deepEqual(sizes, [10, 20, 25]);
      assert.equal((await verifyDatabase(f.db)).ok, true);
    });

    test('a checkpoint is written after the interval when there are new events', async () => {
      const log = await f.open({ checkpointEvery: 1000, checkpointIntervalMs: 20 });
      await log.record(sampleEvent(1));
      const deadline = Date.now() + 5000;
      while ((await readCheckpoints(f.db)).at(-1)?.treeSize !== 26 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.equal((await readCheckpoints(f.db)).at(-1)?.treeSize, 26);
      await log.close();
    });

    test('two logs on one database (two server processes) append in turn without gaps', async () => {
      const first = await f.open({ checkpointEvery: 50 });
      const second = await f.open({ checkpointEvery: 50 });
      assert.equal(first.verifierKey, second.verifierKey);
      const receipts = await Promise.all(
        Array.from({ length: 300 }, (_, i) =>
          (i % 2 === 0 ? first : second).record(sampleEvent(i)),
        ),
      );
      const seqs = receipts.map((receipt) => receipt.seq).sort((a, b) => a - b);
      assert.deepEqual(
        seqs,
        Array.from({ length: 300 }, (_, i) => 26 + i),
      );
      await first.close();
      await second.close();
      const result = await verifyDatabase(f.db);
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.size, 326);
    });
  });
}
