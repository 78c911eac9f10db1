import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AuditLog } from '../../src/audit/AuditLog.ts';
import { parseRetentionDays } from '../../src/audit/retention.ts';
import { eachBackend } from '../helpers/databases.ts';
import {
  openFixture,
  sampleEvent,
  storedRows,
  verifyDatabase,
  type AuditFixture,
} from './auditFixture.ts';

const DAY = 24 * 60 * 60 * 1000;

describe('retention settings', () => {
  test('a setting like meeting=90,auth=365 gives days per class over the default', () => {
    assert.deepEqual(parseRetentionDays('meeting=90, auth=365'), {
      default: 365,
      meeting: 90,
      auth: 365,
    });
    assert.deepEqual(parseRetentionDays('default=30'), { default: 30 });
    assert.deepEqual(parseRetentionDays(''), { default: 365 });
  });

  test('a malformed entry is refused, naming it', () => {
    for (const bad of ['meeting', 'meeting=0', 'meeting=-1', 'Meeting=5', 'meeting=1.5']) {
      assert.throws(() => parseRetentionDays(bad), new RegExp(bad.replace('.', '\\.')));
    }
  });
});

for (const backend of eachBackend()) {
  describe(`retention on ${backend.name}`, () => {
    let f: AuditFixture;
    let log: AuditLog;

    before(async () => {
      f = await openFixture(backend);
      log = await f.open({ retentionDays: { default: 365, meeting: 90 }, checkpointEvery: 4 });
    });
    after(async () => {
      await f.cleanup();
    });

    test('expired events lose content, salt and personal columns; the log still verifies', async () => {
      // 0–2: meeting events 100 days old; 3: a server event 100 days old; 4–5: recent meeting events.
      for (let i = 0; i < 3; i++) await log.record(sampleEvent(i));
      await log.record({
        action: 'server.start',
        actor: { kind: 'system', id: 'server' },
        outcome: 'success',
      });
      f.clock.advance(100 * DAY);
      for (let i = 4; i < 6; i++) await log.record(sampleEvent(i));
      await log.checkpoint();
      const before = await storedRows(f.db);

      const erased = await log.applyRetention(f.clock.now());
      assert.equal(erased, 3);

      const rows = await storedRows(f.db);
      for (const seq of [0, 1, 2]) {
        const row = rows[seq];
        assert.ok(row);
        assert.deepEqual(
          [row.content, row.salt, row.actorId, row.target, row.meetingId, row.source],
          [null, null, null, null, null, null],
        );
        assert.equal(row.erasedAt, f.clock.now().toISOString());
        // What the tree and statistics need stays.
        assert.deepEqual(row.leafHash, before[seq]?.leafHash);
        assert.equal(row.action, 'meeting.joined');
        assert.equal(row.recordedAt, before[seq]?.recordedAt);
      }
      for (const seq of [3, 4, 5]) assert.notEqual(rows[seq]?.content, null, `event ${seq}`);
      // The erasure itself is an audit event.
      const last = rows.at(-1);
      assert.equal(last?.action, 'audit.retention_applied');
      assert.match(Buffer.from(last.content ?? []).toString(), /"erased":\{"meeting":3\}/);

      await log.checkpoint();
      const result = await verifyDatabase(f.db);
      assert.equal(result.ok, true, JSON.stringify(result));
    });

    test('the default period covers classes without their own', async () => {
      // Now the server event is 400 days old (default: 365), the recent meeting events 300
      // (meeting: 90), the first retention event 300 (audit: the default).
      f.clock.advance(300 * DAY);
      assert.equal(await log.applyRetention(f.clock.now()), 3);
      const rows = await storedRows(f.db);
      assert.deepEqual(
        rows.slice(3, 7).map((row) => [row.action, row.erasedAt === null]),
        [
          ['server.start', false],
          ['meeting.joined', false],
          ['meeting.joined', false],
          ['audit.retention_applied', true],
        ],
      );
      assert.equal((await verifyDatabase(f.db)).ok, true);
      // Nothing left to expire: no change, no event.
      const size = log.size;
      assert.equal(await log.applyRetention(f.clock.now()), 0);
      assert.equal(log.size, size);
    });
  });
}
