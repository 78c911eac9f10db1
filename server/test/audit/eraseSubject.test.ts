import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { AuditLog } from '../../src/audit/AuditLog.ts';
import type { AuditRow } from '../../src/audit/events.ts';
import { runCli } from '../../src/auditor/cli.ts';
import { auditOrigin } from '../../src/auditor/serverEvents.ts';
import { LocalKeyring } from '../../src/vault/LocalKeyring.ts';
import { Vault } from '../../src/vault/Vault.ts';
import { eachBackend } from '../helpers/databases.ts';
import {
  openFixture,
  sampleEvent,
  storedRows,
  verifyDatabase,
  type AuditFixture,
} from './auditFixture.ts';

/** The person to erase, and one whose id starts the same but is someone else. */
const SUBJECT = 'p-subject-7';
const OTHER = 'p-subject-71';

/** Whether `text` occurs anywhere in a stored event: a column or the content bytes. */
function mentions(row: AuditRow, text: string): boolean {
  const columns = [row.actorId, row.target, row.meetingId, row.source, row.action];
  if (columns.some((value) => value?.includes(text) === true)) return true;
  return row.content !== null && Buffer.from(row.content).includes(text);
}

/**
 * A log naming the subject in every way events do: as actor, as a bare target, as a
 * `participant:` or `user:` target, in an auditor's search filters; and events of others.
 */
async function recordMixedLog(log: AuditLog): Promise<void> {
  await log.record(sampleEvent(0)); // 0: someone else
  await log.record(sampleEvent(1, { actor: { kind: 'participant', id: SUBJECT } })); // 1
  await log.record(sampleEvent(2, { target: SUBJECT })); // 2: done to the subject
  await log.record(sampleEvent(3, { actor: { kind: 'participant', id: OTHER } })); // 3
  await log.record(sampleEvent(4, { target: `participant:${SUBJECT}` })); // 4
  await log.record({
    action: 'auditor.search',
    actor: { kind: 'user', id: 'grant-1' },
    outcome: 'success',
    details: { filters: { actor: SUBJECT }, results: 3 },
  }); // 5: an auditor looked the subject up
  await log.record({
    action: 'meeting.ended',
    actor: { kind: 'user', id: SUBJECT },
    target: `user:${SUBJECT}`,
    meetingId: 'm-9',
    outcome: 'denied',
  }); // 6
  await log.record(sampleEvent(7, { target: `user:${OTHER}` })); // 7
  await log.record({
    action: 'server.start',
    actor: { kind: 'system', id: 'server' },
    outcome: 'success',
  }); // 8
}

for (const backend of eachBackend()) {
  describe(`erasing a person on ${backend.name}`, () => {
    let f: AuditFixture;
    let log: AuditLog;

    before(async () => {
      f = await openFixture(backend);
      log = await f.open({ checkpointEvery: 3, dataDir: f.t.dataDir });
      await recordMixedLog(log);
      await log.checkpoint();
    });
    after(async () => {
      await f.cleanup();
    });

    test('erases every event naming the person, keeps the others, and still verifies', async () => {
      const before = await storedRows(f.db);
      assert.ok(before.some((row) => mentions(row, SUBJECT)));

      const erased = await log.eraseSubject(SUBJECT, { kind: 'system', id: 'cli' });
      assert.equal(erased, 5);

      const rows = await storedRows(f.db);
      const erasedSeqs = rows.filter((row) => row.erasedAt !== null).map((row) => row.seq);
      assert.deepEqual(erasedSeqs, [1, 2, 4, 5, 6]);
      for (const seq of erasedSeqs) {
        const row = rows[seq];
        assert.ok(row);
        assert.deepEqual(
          [row.content, row.salt, row.actorId, row.target, row.meetingId, row.source],
          [null, null, null, null, null, null],
        );
        // What the tree and statistics rest on stays.
        assert.deepEqual(row.leafHash, before[seq]?.leafHash);
        assert.equal(row.action, before[seq]?.action);
        assert.equal(row.actorKind, before[seq]?.actorKind);
        assert.equal(row.recordedAt, before[seq]?.recordedAt);
      }
      // Nothing of the subject's id is left anywhere, not even inside other values.
      assert.deepEqual(
        rows.filter((row) => mentions(row, SUBJECT)).map((row) => row.seq),
        [3, 7], // p-subject-71, another person, whose id merely starts the same
      );
      for (const seq of [0, 3, 7, 8]) assert.deepEqual(rows[seq], before[seq]);

      // The erasure is an audit event with the count only.
      const last = rows.at(-1);
      assert.equal(last?.action, 'audit.subject_erased');
      assert.equal(last.actorId, 'cli');
      assert.equal(last.target, null);
      assert.ok(last.content !== null);
      const content = JSON.parse(Buffer.from(last.content).toString('utf8')) as {
        details: unknown;
      };
      assert.deepEqual(content.details, { erased: 5 });
      assert.equal(mentions(last, SUBJECT), false);

      await log.checkpoint();
      const verdict = await verifyDatabase(f.db);
      assert.equal(verdict.ok, true, JSON.stringify(verdict));
    });

    test('erasing again finds nothing and records that too', async () => {
      const erased = await log.eraseSubject(SUBJECT, { kind: 'system', id: 'cli' });
      assert.equal(erased, 0);
      const last = (await storedRows(f.db)).at(-1);
      assert.equal(last?.action, 'audit.subject_erased');
      assert.ok(last.content !== null);
      assert.match(Buffer.from(last.content).toString('utf8'), /"details":\{"erased":0\}/);
    });

    test('a system actor or a malformed id is refused and nothing is erased', async () => {
      const count = async () =>
        Number(
          (
            await sql<{
              n: string | number;
            }>`select count(*) as n from audit_events where erased_at is not null`.execute(f.db)
          ).rows[0]?.n,
        );
      const erasedBefore = await count();
      for (const id of ['server', 'cli', '', 'p\n1']) {
        await assert.rejects(log.eraseSubject(id, { kind: 'system', id: 'cli' }), /subject id/);
      }
      await assert.rejects(
        log.eraseSubject(OTHER, { kind: 'participant', id: OTHER }),
        /cannot record its own erasure/,
      );
      await assert.rejects(
        log.eraseSubject(OTHER, { kind: 'robot' as 'system', id: 'x' }),
        /unknown actor kind/,
      );
      assert.equal(await count(), erasedBefore);
    });
  });

  describe(`erase-subject on the command line on ${backend.name}`, () => {
    let f: AuditFixture;
    let env: NodeJS.ProcessEnv;

    before(async () => {
      f = await openFixture(backend);
      env = {
        PATH: process.env['PATH'],
        DATA_DIR: f.t.dataDir,
        PUBLIC_URL: 'https://meet.example.org',
        LOG_LEVEL: 'silent',
        ...(f.t.databaseUrl === undefined ? {} : { DATABASE_URL: f.t.databaseUrl }),
      };
      // As the server writes it: the command signs with the same key, under the same name.
      const log = await f.open({
        checkpointEvery: 4,
        dataDir: f.t.dataDir,
        origin: auditOrigin('https://meet.example.org'),
        vault: new Vault(await LocalKeyring.openOrCreate(join(f.t.dataDir, 'keyring'))),
      });
      await recordMixedLog(log);
      await log.close();
      // The embedded database admits one process at a time: the command's.
      await f.t.database.close();
    });
    after(async () => {
      await f.cleanup();
    });

    async function cli(args: string[]) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(args, env, {
        out: (line) => out.push(line),
        err: (line) => err.push(line),
      });
      return { code, stdout: out.join('\n'), stderr: err.join('\n') };
    }

    test('without --yes it only counts, and exits 2', async () => {
      const { code, stderr } = await cli(['erase-subject', SUBJECT]);
      assert.equal(code, 2);
      assert.match(stderr, /would erase 5 events naming p-subject-7.*nothing was changed/s);
    });

    test('with --yes it erases, records the erasure, and the log verifies', async () => {
      const { code, stdout, stderr } = await cli(['erase-subject', SUBJECT, '--yes']);
      assert.equal(code, 0, stderr);
      assert.equal(stdout, 'erased 5 events naming p-subject-7; recorded as audit.subject_erased');
      const verified = await cli(['verify']);
      assert.equal(verified.code, 0, verified.stdout + verified.stderr);
      assert.match(verified.stdout, /^ok: 10 events/);
    });

    test('no id, or two, is a usage error', async () => {
      assert.equal((await cli(['erase-subject', '--yes'])).code, 2);
      const two = await cli(['erase-subject', 'a', 'b', '--yes']);
      assert.equal(two.code, 2);
      assert.match(two.stderr, /exactly one id/);
    });
  });
}
