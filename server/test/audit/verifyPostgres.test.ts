import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { readAuditPagesCopy } from '../../src/audit/copyRows.ts';
import { eventContent } from '../../src/audit/events.ts';
import { createAuditLeaf } from '../../src/audit/leaf.ts';
import { readCheckpoints, readVerifierKeys } from '../../src/audit/readLog.ts';
import { verifyLog, type VerifyInput, type VerifyResult } from '../../src/audit/verifyLog.ts';
import { verifyPostgres } from '../../src/audit/verifyPostgres.ts';
import { eachBackend } from '../helpers/databases.ts';
import { openFixture, sampleEvent, type AuditFixture } from './auditFixture.ts';

const EVENTS = 40;

/** The ways of reading that must agree: pages checked in place, by workers, at page edges. */
const READERS = [
  { workers: 0, pageSize: 10_000 },
  { workers: 0, pageSize: 3 },
  { workers: 1, pageSize: 7 },
  { workers: 2, pageSize: 4 },
] as const;

/** A changed byte of content, a stray column, a gap, a swap, erasures clean and not. */
const TAMPERINGS: { name: string; sql: string[]; seq: number | null; reason: RegExp }[] = [
  { name: 'nothing', sql: [], seq: null, reason: /^$/ },
  {
    name: 'a modified byte of content',
    sql: [
      `update audit_events set content = overlay(content placing '9' from 12 for 1) where seq = 5`,
    ],
    seq: 5,
    reason: /does not hash to its leaf hash/,
  },
  {
    name: 'a modified searchable column',
    sql: [`update audit_events set meeting_id = 'm-x' where seq = 22`],
    seq: 22,
    reason: /column meeting_id differs/,
  },
  {
    name: 'a modified time',
    sql: [`update audit_events set recorded_at = recorded_at + interval '1 ms' where seq = 9`],
    seq: 9,
    reason: /column recorded_at differs/,
  },
  {
    name: 'a wrong event class',
    sql: [`update audit_events set event_class = 'server' where seq = 30`],
    seq: 30,
    reason: /column event_class differs/,
  },
  {
    name: 'a deleted event',
    sql: [`delete from audit_events where seq = 14`],
    seq: 14,
    reason: /event 14 is missing/,
  },
  {
    name: 'two swapped events',
    sql: [
      `update audit_events set seq = 1000 where seq = 12`,
      `update audit_events set seq = 12 where seq = 4`,
      `update audit_events set seq = 4 where seq = 1000`,
    ],
    seq: 4,
    reason: /stored as 4 is event 12/,
  },
  {
    name: 'a cut tail',
    sql: [`delete from audit_events where seq >= 33`],
    seq: 33,
    reason: /ends after 33 events, but a checkpoint vouches for 40/,
  },
  {
    name: 'a cleanly erased event',
    sql: [
      `update audit_events set content = null, salt = null, actor_id = null, target = null,
         meeting_id = null, source = null, erased_at = now() where seq = 17`,
    ],
    seq: null,
    reason: /^$/,
  },
  {
    name: 'an erased event that kept a personal column',
    sql: [
      `update audit_events set content = null, salt = null, target = null, meeting_id = null,
         source = null, erased_at = now() where seq = 26`,
    ],
    seq: 26,
    reason: /marked erased but has personal columns/,
  },
  {
    name: 'a leaf hash that is not 32 bytes',
    sql: [
      // The owner can drop a constraint as well as a trigger.
      `alter table audit_events drop constraint audit_events_leaf_hash_check`,
      `update audit_events set leaf_hash = substring(leaf_hash from 1 for 31) where seq = 36`,
    ],
    seq: 36,
    reason: /leaf hash that is not 32 bytes/,
  },
  {
    name: 'a salt that is not 32 bytes',
    sql: [
      `alter table audit_events drop constraint audit_events_salt_check`,
      `update audit_events set salt = salt || '\\x00'::bytea where seq = 3`,
    ],
    seq: 3,
    reason: /salt is not 32 bytes/,
  },
];

function failure(result: VerifyResult): [number | null, string] {
  return result.ok ? [null, ''] : [result.firstBadSeq, result.reason];
}

for (const backend of eachBackend().filter((b) => b.name === 'postgres')) {
  describe('verifying by binary COPY pages, in place and in workers (PostgreSQL)', () => {
    let f: AuditFixture;
    let client: pg.Client;
    let input: VerifyInput;

    before(async () => {
      f = await openFixture(backend);
      const log = await f.open({ checkpointEvery: 8 });
      for (let i = 0; i < EVENTS; i++) {
        // A quote makes the in-place check decline: that event takes the slow path.
        await log.record(i === 20 ? sampleEvent(i, { target: 'say "hi"' }) : sampleEvent(i));
      }
      await log.close();
      const [key] = await readVerifierKeys(f.db);
      assert.ok(key);
      const checkpoints = (await readCheckpoints(f.db)).map((checkpoint) => checkpoint.text);
      input = { verifierKey: key.verifierKey, checkpoints };
      client = new pg.Client({ connectionString: f.t.databaseUrl });
      await client.connect();
    });
    after(async () => {
      await client.end();
      await f.cleanup();
    });

    for (const tampering of TAMPERINGS) {
      test(`${tampering.name}: every reader gives the verdict of the row-by-row path`, async () => {
        // Tampered inside a transaction on the verifying connection, which COPY then reads,
        // and rolled back afterwards.
        await client.query('begin');
        try {
          await client.query('set local session_replication_role = replica');
          for (const statement of tampering.sql) await client.query(statement);
          const rowByRow = await verifyLog(readAuditPagesCopy(client, { pageSize: 5 }), input);
          assert.deepEqual(failure(rowByRow)[0], tampering.seq, failure(rowByRow)[1]);
          assert.match(failure(rowByRow)[1], tampering.reason);
          for (const options of READERS) {
            const verdict = await verifyPostgres(client, input, options);
            assert.deepEqual(verdict, rowByRow, JSON.stringify(options));
          }
        } finally {
          await client.query('rollback');
        }
      });
    }

    test('an event rewritten consistently is caught by the checkpoint after it', async () => {
      const leaf = createAuditLeaf(
        eventContent(11, f.clock.now(), sampleEvent(11, { outcome: 'denied' }), '198.51.100.0/24'),
      );
      await client.query('begin');
      try {
        await client.query('set local session_replication_role = replica');
        await client.query(
          `update audit_events set content = $1, salt = $2, leaf_hash = $3, outcome = 'denied',
             recorded_at = $4 where seq = 11`,
          [leaf.bytes, leaf.salt, leaf.leafHash, f.clock.now()],
        );
        for (const options of READERS) {
          const verdict = await verifyPostgres(client, input, options);
          assert.deepEqual(failure(verdict)[0], 8, JSON.stringify(options));
          assert.match(failure(verdict)[1], /checkpoint for 16: an event from 8 to 15/);
        }
      } finally {
        await client.query('rollback');
      }
    });
  });
}
