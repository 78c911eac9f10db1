import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { resolveRange } from '../../src/meetings/MediaDesk.ts';
import type { SharedMediaRecord } from '../../src/meetings/ports.ts';
import { SqlMeetingRepository } from '../../src/storage/SqlMeetingRepository.ts';
import { SqlSharedMediaRepository } from '../../src/storage/SqlSharedMediaRepository.ts';
import { LocalKeyring } from '../../src/vault/LocalKeyring.ts';
import { Vault } from '../../src/vault/Vault.ts';
import { eachBackend, type TestDatabase } from '../helpers/databases.ts';

const id = () => randomBytes(16).toString('base64url');
const hash = () => randomBytes(32).toString('base64url');

/** Small chunks, so a few KiB span many of them. */
const CHUNK = 1000;

for (const backend of eachBackend()) {
  describe(`SqlSharedMediaRepository on ${backend.name}`, () => {
    let t: TestDatabase;
    let keyDir: string;
    let meetings: SqlMeetingRepository;
    let repo: SqlSharedMediaRepository;

    before(async () => {
      t = await backend.open();
      keyDir = await mkdtemp(join(tmpdir(), 'konvent-keys-'));
      const vault = new Vault(await LocalKeyring.openOrCreate(keyDir));
      meetings = new SqlMeetingRepository(t.database.db, vault);
      repo = new SqlSharedMediaRepository(t.database.db, vault, CHUNK);
    });
    after(async () => {
      await t.cleanup();
      await rm(keyDir, { recursive: true, force: true });
    });

    async function stored(size: number): Promise<{ record: SharedMediaRecord; content: Buffer }> {
      const meetingId = id();
      await meetings.createMeeting({
        id: meetingId,
        title: 'Filmabend',
        createdAt: new Date(),
        moderatorTokenHash: hash(),
        participantTokenHash: hash(),
      });
      const content = randomBytes(size);
      const record: SharedMediaRecord = {
        id: id(),
        meetingId,
        uploadedBy: id(),
        name: 'Urlaub.webm',
        kind: 'video',
        mime: 'video/webm',
        duration: 12.5,
        size,
        chunkBytes: repo.chunkBytes,
        createdAt: new Date(),
      };
      await repo.add(record, content);
      return { record, content };
    }

    async function read(record: SharedMediaRecord, first: number, last: number): Promise<Buffer> {
      const parts: Buffer[] = [];
      for await (const chunk of repo.chunks(record.meetingId, record.id, first, last))
        parts.push(chunk);
      return Buffer.concat(parts);
    }

    test('a file is stored in sealed chunks and read back chunk by chunk, exactly', async () => {
      const { record, content } = await stored(4500);
      const found = await repo.find(record.meetingId, record.id);
      assert.deepEqual(found, record);
      assert.equal(await repo.count(record.meetingId), 1);
      const rows = await t.database.db
        .selectFrom('shared_media_chunks')
        .selectAll()
        .where('media_id', '=', record.id)
        .orderBy('idx')
        .execute();
      assert.deepEqual(
        rows.map((row) => row.idx),
        [0, 1, 2, 3, 4],
      );
      for (const row of rows)
        assert.equal(Buffer.from(row.content_sealed).includes(content.subarray(0, 16)), false);
      assert.ok((await read(record, 0, 4)).equals(content));
      assert.ok((await read(record, 2, 3)).equals(content.subarray(2000, 4000)));
      // Beyond the last chunk there is nothing; another meeting's id finds nothing.
      assert.equal((await read(record, 5, 9)).length, 0);
      assert.equal((await read({ ...record, meetingId: id() }, 0, 4)).length, 0);
    });

    test('a chunk moved to another place fails to open instead of playing the wrong bytes', async () => {
      const { record } = await stored(2500);
      const first = await t.database.db
        .selectFrom('shared_media_chunks')
        .select('content_sealed')
        .where('media_id', '=', record.id)
        .where('idx', '=', 0)
        .executeTakeFirstOrThrow();
      await t.database.db
        .updateTable('shared_media_chunks')
        .set({ content_sealed: first.content_sealed })
        .where('media_id', '=', record.id)
        .where('idx', '=', 1)
        .execute();
      await assert.rejects(read(record, 1, 1));
    });

    test('an upload into a meeting that does not exist stores nothing', async () => {
      const { record } = await stored(10);
      const orphan = { ...record, id: id(), meetingId: id() };
      await assert.rejects(repo.add(orphan, randomBytes(3000)), { code: 'not_found' });
      const chunks = await t.database.db
        .selectFrom('shared_media_chunks')
        .select('idx')
        .where('media_id', '=', orphan.id)
        .execute();
      assert.equal(chunks.length, 0);
    });

    test('byte ranges resolve as RFC 9110 says, cut to the file', () => {
      assert.deepEqual(resolveRange(undefined, 100), { start: 0, end: 99 });
      assert.deepEqual(resolveRange({ start: 10, end: 19 }, 100), { start: 10, end: 19 });
      assert.deepEqual(resolveRange({ start: 90 }, 100), { start: 90, end: 99 });
      assert.deepEqual(resolveRange({ start: 90, end: 500 }, 100), { start: 90, end: 99 });
      assert.deepEqual(resolveRange({ suffix: 30 }, 100), { start: 70, end: 99 });
      assert.deepEqual(resolveRange({ suffix: 300 }, 100), { start: 0, end: 99 });
      for (const asked of [{ start: 100 }, { suffix: 0 }, { start: 20, end: 10 }])
        assert.throws(() => resolveRange(asked, 100), { code: 'range_not_satisfiable' });
    });
  });
}
