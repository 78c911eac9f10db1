import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { ErrorBody } from '@konvent/protocol';
import { sql } from 'kysely';
import pg from 'pg';
import { createServer } from '../../src/App.ts';
import { createLogger } from '../../src/observability/createLogger.ts';
import { eachBackend } from '../helpers/databases.ts';
import {
  createMeeting,
  joinMeeting,
  startTestServer,
  type TestServer,
} from '../helpers/testServer.ts';

const CLI = join(import.meta.dirname, '../../src/auditor/cli.ts');
const ID = /^[A-Za-z0-9_-]{22}$/;

interface EventRow {
  seq: number;
  action: string;
  actorKind: string;
  actorId: string | null;
  meetingId: string | null;
  target: string | null;
  outcome: string;
  source: string | null;
  content: string;
}

async function events(t: TestServer, meetingId?: string): Promise<EventRow[]> {
  let query = t.server.database.db
    .selectFrom('audit_events')
    .select([
      'seq',
      'action',
      'actor_kind',
      'actor_id',
      'meeting_id',
      'target',
      'outcome',
      'source',
      'content',
    ])
    .orderBy('seq');
  if (meetingId !== undefined) query = query.where('meeting_id', '=', meetingId);
  const rows = await query.execute();
  return rows.map((row) => ({
    seq: Number(row.seq),
    action: row.action,
    actorKind: row.actor_kind,
    actorId: row.actor_id,
    meetingId: row.meeting_id,
    target: row.target,
    outcome: row.outcome,
    source: row.source,
    content: row.content === null ? '' : Buffer.from(row.content).toString('utf8'),
  }));
}

/** The session secret inside a signed session cookie (`kv_<id>=<value>.<signature>`). */
function secretOf(t: TestServer, cookie: string): string {
  const raw = decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1));
  const unsigned = t.server.app.unsignCookie(raw);
  assert.ok(unsigned.valid);
  return unsigned.value;
}

async function runCli(args: string[], env: NodeJS.ProcessEnv) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

for (const backend of eachBackend()) {
  describe(`audited meetings on ${backend.name}`, () => {
    let t: TestServer;

    before(async () => {
      t = await startTestServer(backend, { listen: true, apiPerMinute: 1000 });
    });
    after(() => t.close());

    test('the server records its start with a fingerprint of its configuration', async () => {
      const [start] = (await events(t)).filter((e) => e.action === 'server.start');
      assert.ok(start);
      assert.equal(start.actorKind, 'system');
      assert.match(start.content, /"details":\{"config":"[0-9a-f]{64}"\}/);
    });

    test('creating, joining, leaving and ending a meeting produce exactly those events, pseudonymously', async () => {
      const base = t.baseUrl ?? '';
      const meeting = await createMeeting(base, 'Secret board meeting');
      const moderator = await joinMeeting(
        base,
        meeting.meetingId,
        meeting.moderatorToken,
        'Ada Lovelace',
      );
      const guest = await joinMeeting(
        base,
        meeting.meetingId,
        meeting.participantToken,
        'Grace Hopper',
      );
      const service = t.server.meetings;
      const guestSession = await service.authenticate(meeting.meetingId, secretOf(t, guest.cookie));
      await assert.rejects(service.end(guestSession), { code: 'forbidden' });
      await service.leave(guestSession);
      const moderatorSession = await service.authenticate(
        meeting.meetingId,
        secretOf(t, moderator.cookie),
      );
      await service.end(moderatorSession);

      const recorded = await events(t, meeting.meetingId);
      assert.deepEqual(
        recorded.map((e) => [e.action, e.outcome, e.actorKind, e.actorId]),
        [
          ['meeting.created', 'success', 'user', t.organiser.userId],
          ['meeting.joined', 'success', 'participant', moderator.participantId],
          ['meeting.joined', 'success', 'participant', guest.participantId],
          ['meeting.ended', 'denied', 'participant', guest.participantId],
          ['meeting.left', 'success', 'participant', guest.participantId],
          ['meeting.ended', 'success', 'participant', moderator.participantId],
        ],
      );
      assert.match(recorded[1]?.content ?? '', /"role":"moderator"/);
      assert.match(recorded[2]?.content ?? '', /"role":"participant"/);
      // The source is the client's network (P1), not its address, and only edges know it.
      assert.equal(recorded[0]?.source, '127.0.0.0/24');
      assert.equal(recorded[1]?.source, '127.0.0.0/24');
      for (const event of recorded) {
        assert.match(event.actorId ?? '', /^(anonymous|[A-Za-z0-9_-]{22})$/);
        for (const personal of ['Ada', 'Grace', 'Lovelace', 'Hopper', 'Secret', 'board']) {
          assert.ok(!event.content.includes(personal), `${event.action} mentions ${personal}`);
        }
        assert.ok(!event.content.includes(meeting.moderatorToken));
        assert.ok(!event.content.includes(meeting.participantToken));
      }
    });

    test('a wrong link token is audited as a failure without revealing whether the meeting exists', async () => {
      const base = t.baseUrl ?? '';
      const meeting = await createMeeting(base);
      const wrong = 'A'.repeat(43);
      const unknownMeeting = 'B'.repeat(22);
      const replies: { status: number; body: ErrorBody }[] = [];
      for (const id of [meeting.meetingId, unknownMeeting]) {
        const response = await fetch(`${base}/api/meetings/${id}/join`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ token: wrong, displayName: 'Eve' }),
        });
        replies.push({ status: response.status, body: (await response.json()) as ErrorBody });
      }
      assert.deepEqual(replies[0], replies[1]);
      assert.equal(replies[0]?.status, 404);
      for (const id of [meeting.meetingId, unknownMeeting]) {
        const failures = (await events(t, id)).filter((e) => e.outcome === 'failure');
        assert.deepEqual(
          failures.map((e) => [e.action, e.source]),
          [['meeting.joined', '127.0.0.0/24']],
        );
        assert.ok(!failures[0]?.content.includes('Eve'));
      }
    });

    test('the reply to creating a meeting comes only after its event is committed', async () => {
      const base = t.baseUrl ?? '';
      const reply = await fetch(`${base}/api/meetings`, {
        method: 'POST',
        headers: t.organiser.headers,
        body: '{}',
      });
      assert.equal(reply.status, 201);
      const { meetingId } = (await reply.json()) as { meetingId: string };
      assert.match(meetingId, ID);
      // The reply is in hand: its event must be committed already.
      assert.deepEqual(
        (await events(t, meetingId)).map((e) => e.action),
        ['meeting.created'],
      );
    });

    if (backend.name === 'postgres') {
      test('while the audit table is locked, a created meeting is stored but not acknowledged', async () => {
        const base = t.baseUrl ?? '';
        const blocker = new pg.Client({ connectionString: t.config.databaseUrl });
        await blocker.connect();
        try {
          await blocker.query('BEGIN');
          await blocker.query('LOCK TABLE audit_events IN EXCLUSIVE MODE');
          const counted = await blocker.query<{ n: string }>('select count(*) as n from meetings');
          const meetingsBefore = Number(counted.rows[0]?.n);
          let settled = false;
          const pending = fetch(`${base}/api/meetings`, {
            method: 'POST',
            headers: t.organiser.headers,
            body: '{}',
          }).finally(() => {
            settled = true;
          });
          await sleep(700);
          assert.equal(settled, false, 'the reply must wait for the audit event');
          const stored = await blocker.query<{ n: string }>('select count(*) as n from meetings');
          assert.equal(Number(stored.rows[0]?.n), meetingsBefore + 1);
          await blocker.query('COMMIT');
          const reply = await pending;
          assert.equal(reply.status, 201);
          const { meetingId } = (await reply.json()) as { meetingId: string };
          assert.equal((await events(t, meetingId))[0]?.action, 'meeting.created');
        } finally {
          await blocker.end();
        }
      });
    }

    test('stopping records server.stop and a final checkpoint; a new configuration is recorded at the next start; the CLI verifies the data', async () => {
      await t.server.close();
      const db = t.database.database.db;
      const actions = (await events(t)).map((e) => e.action);
      assert.equal(actions.at(-1), 'server.stop');
      const size = await db
        .selectFrom('audit_checkpoints')
        .select(sql<string>`max(tree_size)`.as('size'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(size.size), actions.length);

      // Same database, one setting changed: config.changed precedes server.start.
      const changed = { ...t.config, logLevel: 'error' as const };
      const again = await createServer(changed, createLogger({ logLevel: 'silent' }), {
        database: t.database.database,
      });
      await again.close();
      const after = await db
        .selectFrom('audit_events')
        .select(['action', 'content'])
        .where('seq', '>=', actions.length)
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        after.map((row) => row.action),
        ['config.changed', 'server.start', 'server.stop'],
      );

      // Unchanged configuration: no config.changed.
      const same = await createServer(changed, createLogger({ logLevel: 'silent' }), {
        database: t.database.database,
      });
      await same.close();
      const last = await db
        .selectFrom('audit_events')
        .select('action')
        .where('seq', '>=', actions.length + 3)
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        last.map((row) => row.action),
        ['server.start', 'server.stop'],
      );

      await t.database.database.close();
      const env = {
        PATH: process.env['PATH'],
        DATA_DIR: t.config.dataDir,
        ...(t.config.databaseUrl === undefined ? {} : { DATABASE_URL: t.config.databaseUrl }),
      };
      const granted = await runCli(['grant-auditor', '--label', 'DPO Jane', '--hours', '2'], env);
      assert.equal(granted.code, 0, granted.stderr);
      assert.match(granted.stdout.trim(), /^http:\/\/localhost:8080\/audit#k=[A-Za-z0-9_-]{43}$/);
      const verified = await runCli(['verify'], env);
      assert.equal(verified.code, 0, verified.stdout + verified.stderr);
      assert.match(verified.stdout, /^ok: \d+ events/);
    });
  });
}
