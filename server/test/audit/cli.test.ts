import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { runAuditCli } from '../../src/audit/cli.ts';
import { openDatabase } from '../../src/storage/openDatabase.ts';
import { eachBackend } from '../helpers/databases.ts';
import { openFixture, sampleEvent, tamper, type AuditFixture } from './auditFixture.ts';

const CLI = join(import.meta.dirname, '../../src/audit/cli.ts');

/** Runs the CLI as `npm run audit` does, in its own process. */
async function spawnCli(args: string[], env: NodeJS.ProcessEnv) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Runs the CLI in this process, capturing its output. */
async function runCli(args: string[], env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAuditCli(args, env, {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

for (const backend of eachBackend()) {
  describe(`the audit command on ${backend.name}`, () => {
    let f: AuditFixture;
    let env: NodeJS.ProcessEnv;
    let verifierKey: string;
    let latest: string;

    before(async () => {
      f = await openFixture(backend);
      const log = await f.open({ checkpointEvery: 5, dataDir: f.t.dataDir });
      for (let i = 0; i < 12; i++) await log.record(sampleEvent(i));
      await log.close();
      latest = await log.checkpoint();
      verifierKey = log.verifierKey;
      env = {
        PATH: process.env['PATH'],
        DATA_DIR: f.t.dataDir,
        LOG_LEVEL: 'silent',
        ...(f.t.databaseUrl === undefined ? {} : { DATABASE_URL: f.t.databaseUrl }),
      };
      // The embedded database admits one process at a time: the command's.
      await f.t.database.close();
    });
    after(async () => {
      await f.cleanup();
    });

    test('verify prints the size, checkpoints and root of an intact log and exits 0', async () => {
      const { code, stdout } = await spawnCli(['verify'], env);
      assert.equal(code, 0);
      assert.match(stdout, /^ok: 12 events, 3 checkpoints, root [A-Za-z0-9+/]{43}=\n$/);
    });

    test('checkpoint prints the latest checkpoint', async () => {
      const { code, stdout } = await runCli(['checkpoint'], env);
      assert.equal(code, 0);
      assert.equal(`${stdout}\n`, latest);
    });

    test('an export verifies offline with the published key, and not with another', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'konvent-export-'));
      try {
        const file = join(dir, 'audit.jsonl.gz');
        const exported = await runCli(
          ['export', '--out', file, '--from', '2030-01-01T00:00:00Z'],
          env,
        );
        assert.equal(exported.code, 0, exported.stderr);
        assert.match(exported.stdout, /exported 12 of 12 events/);
        // Offline: no database, no data folder, nothing but the file.
        const offline = { PATH: process.env['PATH'] };
        const checked = await spawnCli(['verify', '--export', file, '--key', verifierKey], offline);
        assert.equal(checked.code, 0, checked.stderr);
        assert.match(checked.stdout, /^ok: 12 events, 3 checkpoints, root /);
        const unpinned = await runCli(['verify', '--export', file], offline);
        assert.equal(unpinned.code, 0);
        assert.match(unpinned.stderr, /compare it with the published key/);
        const wrongKey = verifierKey.replace(/\+[0-9a-f]{8}\+/, '+00000000+');
        const refused = await runCli(['verify', '--export', file, '--key', wrongKey], offline);
        assert.equal(refused.code, 1);
        assert.match(refused.stdout, /^FAILED: /);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    test('wrong usage exits 2 with a message and the usage', async () => {
      for (const args of [
        [],
        ['verfiy'],
        ['verify', '--bogus'],
        ['export'],
        ['export', '--out', '/tmp/x.gz', '--from', 'yesterday'],
        ['checkpoint', 'extra'],
      ]) {
        const { code, stderr } = await runCli(args, env);
        assert.equal(code, 2, args.join(' '));
        assert.match(stderr, /usage: npm run audit -- <command>/);
      }
    });

    test('a data folder without a database is an error, not an empty intact log', async () => {
      const empty = await mkdtemp(join(tmpdir(), 'konvent-empty-'));
      try {
        const { code, stderr } = await runCli(['verify'], { DATA_DIR: join(empty, 'data') });
        assert.equal(code, 2);
        assert.match(stderr, /no embedded database/);
      } finally {
        await rm(empty, { recursive: true, force: true });
      }
    });

    test('verify names the first bad event of a tampered log and exits 1', async () => {
      f.t.database = await openDatabase({ databaseUrl: f.t.databaseUrl, dataDir: f.t.dataDir });
      await tamper(f.db, (trx) =>
        sql`update audit_events set content = overlay(content placing 'X' from 30 for 1)
            where seq = 4`.execute(trx),
      );
      await f.t.database.close();
      const { code, stdout } = await spawnCli(['verify'], env);
      assert.equal(code, 1);
      assert.match(stdout, /^FAILED at event 4: event 4: its content does not hash/);
    });
  });
}
