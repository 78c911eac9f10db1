import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../../src/storage/openDatabase.ts';
import { eachBackend, type TestDatabase } from '../helpers/databases.ts';

for (const backend of eachBackend()) {
  describe(`openDatabase on ${backend.name}`, () => {
    let t: TestDatabase;
    before(async () => {
      t = await backend.open();
    });
    after(async () => {
      await t.cleanup();
    });

    test('it reports its backend and has run every migration', async () => {
      assert.equal(t.database.backend, backend.name);
      const migrations = await sql<{ name: string }>`select name from kysely_migration`.execute(
        t.database.db,
      );
      assert.deepEqual(migrations.rows.map((row) => row.name).sort(), [
        '0001_initial',
        '0002_audit',
        '0003_auditor',
        '0004_identity',
        '0005_meeting_roles',
        '0006_admission',
        '0007_chat_moderation',
        '0008_presentations',
        '0009_whiteboards',
        '0010_annotations',
        '0011_shared_media',
        '0012_breakouts',
        '0013_minutes',
      ]);
    });

    test('opening an already migrated database again migrates nothing and keeps the data', async () => {
      const { db } = t.database;
      await db
        .insertInto('meetings')
        .values({
          id: 'kept-meeting',
          title_sealed: Buffer.from([1]),
          created_at: new Date(),
          ended_at: null,
          moderator_token_hash: 'm',
          participant_token_hash: 'p',
        })
        .execute();
      await t.database.close();
      await t.database.close();
      const again = await openDatabase({ databaseUrl: t.databaseUrl, dataDir: t.dataDir });
      t.database = again;
      const row = await again.db
        .selectFrom('meetings')
        .select('id')
        .where('id', '=', 'kept-meeting')
        .executeTakeFirst();
      assert.deepEqual(row, { id: 'kept-meeting' });
    });
  });
}

describe('openDatabase with embedded PGlite', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'konvent-pglite-'));
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  test('the database folder is private and a second open of it is refused while it is open', async () => {
    const database = await openDatabase({ databaseUrl: undefined, dataDir });
    try {
      assert.equal((await stat(join(dataDir, 'db'))).mode & 0o777, 0o700);
      await assert.rejects(
        openDatabase({ databaseUrl: undefined, dataDir }),
        /already open in this process/,
      );
    } finally {
      await database.close();
    }
    const reopened = await openDatabase({ databaseUrl: undefined, dataDir });
    await reopened.close();
  });

  test('a lock left behind by a process that no longer runs is taken over', async () => {
    // Process ids are below 2^22 on Linux, so this one cannot be running.
    await writeFile(join(dataDir, 'db.lock'), '99999999\n');
    const database = await openDatabase({ databaseUrl: undefined, dataDir });
    await database.close();
  });

  test('a lock held by another running process is refused', async () => {
    await writeFile(join(dataDir, 'db.lock'), `${process.ppid}\n`);
    await assert.rejects(
      openDatabase({ databaseUrl: undefined, dataDir }),
      new RegExp(`in use by process ${process.ppid}`),
    );
    await rm(join(dataDir, 'db.lock'));
  });
});

describe('openDatabase with PostgreSQL', () => {
  test('an unreachable server stops the start, without showing the password', async () => {
    await assert.rejects(
      openDatabase({ databaseUrl: 'postgres://konvent:hunter2@127.0.0.1:1/x', dataDir: tmpdir() }),
      (error: unknown) => {
        assert.ok(error instanceof Error);
        assert.match(error.message, /cannot prepare the postgres database at .*127\.0\.0\.1:1/);
        assert.doesNotMatch(error.message, /hunter2/);
        return true;
      },
    );
  });
});
