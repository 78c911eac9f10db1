import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../src/errors/AppError.ts';
import type { ReportRecord } from '../../src/meetings/ports.ts';
import { SqlMeetingRepository } from '../../src/storage/SqlMeetingRepository.ts';
import { SqlReportRepository } from '../../src/storage/SqlReportRepository.ts';
import { LocalKeyring } from '../../src/vault/LocalKeyring.ts';
import { Vault } from '../../src/vault/Vault.ts';
import { VaultError } from '../../src/vault/VaultError.ts';
import { eachBackend, type TestDatabase } from '../helpers/databases.ts';

const id = () => randomBytes(16).toString('base64url');
const hash = () => randomBytes(32).toString('base64url');
const at = (seconds: number) => new Date(Date.UTC(2030, 0, 1, 9, 0, seconds));

/** A meeting with three participants, by id. */
interface Scene {
  meetingId: string;
  anna: string;
  ben: string;
  carl: string;
}

for (const backend of eachBackend()) {
  describe(`SqlReportRepository on ${backend.name}`, () => {
    let t: TestDatabase;
    let keyDir: string;
    let meetings: SqlMeetingRepository;
    let repo: SqlReportRepository;

    before(async () => {
      t = await backend.open();
      keyDir = await mkdtemp(join(tmpdir(), 'konvent-keys-'));
      const vault = new Vault(await LocalKeyring.openOrCreate(keyDir));
      meetings = new SqlMeetingRepository(t.database.db, vault);
      repo = new SqlReportRepository(t.database.db, vault);
    });
    after(async () => {
      await t.cleanup();
      await rm(keyDir, { recursive: true, force: true });
    });

    async function scene(): Promise<Scene> {
      const meetingId = id();
      await meetings.createMeeting({
        id: meetingId,
        title: 'Stammtisch',
        createdAt: at(0),
        moderatorTokenHash: hash(),
        participantTokenHash: hash(),
      });
      const enter = async (displayName: string) => {
        const participantId = id();
        await meetings.addParticipant({
          id: participantId,
          meetingId,
          displayName,
          role: 'participant',
          joinedAt: at(1),
          sessionHash: hash(),
        });
        return participantId;
      };
      return {
        meetingId,
        anna: await enter('Anna'),
        ben: await enter('Ben'),
        carl: await enter('Carl'),
      };
    }

    async function report(
      s: Scene,
      reporterId: string,
      targetId: string,
      changes: Partial<ReportRecord> = {},
    ): Promise<ReportRecord> {
      const record: ReportRecord = {
        id: id(),
        meetingId: s.meetingId,
        reporterId,
        targetId,
        reason: 'harassment',
        text: 'Er beleidigt „alle“ im Chat 😠',
        reportedAt: at(10),
        ...changes,
      };
      await repo.add(record);
      return record;
    }

    test('reports are listed open oldest first, with reason and text, and only for their meeting', async () => {
      const s = await scene();
      const later = await report(s, s.anna, s.ben, { reportedAt: at(20), reason: 'spam' });
      const earlier = await report(s, s.carl, s.ben, { reportedAt: at(15), reason: 'other' });
      const other = await scene();
      await report(other, other.anna, other.ben);
      assert.deepEqual(await repo.listOpen(s.meetingId), [earlier, later]);
    });

    test('a report without text is stored and read without one', async () => {
      const s = await scene();
      const record: ReportRecord = {
        id: id(),
        meetingId: s.meetingId,
        reporterId: s.anna,
        targetId: s.carl,
        reason: 'impersonation',
        reportedAt: at(10),
      };
      await repo.add(record);
      const [found] = await repo.listOpen(s.meetingId);
      assert.deepEqual(found, record);
      assert.equal(Object.hasOwn(found, 'text'), false);
    });

    test('a report is answered once, and answering returns it with its text', async () => {
      const s = await scene();
      const filed = await report(s, s.anna, s.ben);
      const open = await report(s, s.carl, s.ben, { reportedAt: at(11) });
      assert.deepEqual(
        await repo.answer(s.meetingId, filed.id, 'mute', 'participant:m', at(30)),
        filed,
      );
      assert.equal(
        await repo.answer(s.meetingId, filed.id, 'ban', 'participant:m', at(31)),
        undefined,
      );
      assert.deepEqual(await repo.listOpen(s.meetingId), [open]);
      const row = await t.database.db
        .selectFrom('participant_reports')
        .select(['answer', 'answered_by', 'answered_at'])
        .where('id', '=', filed.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(row, { answer: 'mute', answered_by: 'participant:m', answered_at: at(30) });
    });

    test('of two moderators answering the same report at once, exactly one gets it', async () => {
      const s = await scene();
      const filed = await report(s, s.anna, s.ben);
      const results = await Promise.all([
        repo.answer(s.meetingId, filed.id, 'dismiss', 'participant:x', at(30)),
        repo.answer(s.meetingId, filed.id, 'remove', 'participant:y', at(30)),
      ]);
      assert.deepEqual(
        results.filter((r) => r !== undefined),
        [filed],
      );
    });

    test('a report cannot be answered from another meeting or when it does not exist', async () => {
      const s = await scene();
      const other = await scene();
      const filed = await report(s, s.anna, s.ben);
      assert.equal(
        await repo.answer(other.meetingId, filed.id, 'ban', 'participant:m', at(30)),
        undefined,
      );
      assert.equal(await repo.answer(s.meetingId, id(), 'ban', 'participant:m', at(30)), undefined);
      assert.deepEqual(await repo.listOpen(s.meetingId), [filed]);
    });

    test('reports are counted per reporter, answered or not', async () => {
      const s = await scene();
      const first = await report(s, s.anna, s.ben);
      await report(s, s.anna, s.carl);
      await report(s, s.ben, s.carl);
      await repo.answer(s.meetingId, first.id, 'dismiss', 'participant:m', at(30));
      assert.equal(await repo.countByReporter(s.anna), 2);
      assert.equal(await repo.countByReporter(s.ben), 1);
      assert.equal(await repo.countByReporter(s.carl), 0);
    });

    test('a report about or by someone who is not a participant is not_found, a duplicate id a conflict', async () => {
      const s = await scene();
      const notFound = (error: unknown) => error instanceof AppError && error.code === 'not_found';
      await assert.rejects(report(s, s.anna, id()), notFound);
      await assert.rejects(report(s, id(), s.anna), notFound);
      const filed = await report(s, s.anna, s.ben);
      await assert.rejects(
        report(s, s.anna, s.ben, { id: filed.id }),
        (error: unknown) => error instanceof AppError && error.code === 'conflict',
      );
    });

    test('a reason or answer the database does not know is refused', async () => {
      const s = await scene();
      const filed = await report(s, s.anna, s.ben);
      const { db } = t.database;
      await assert.rejects(
        db
          .updateTable('participant_reports')
          .set({ reason: 'boredom' })
          .where('id', '=', filed.id)
          .execute(),
      );
      await assert.rejects(
        db
          .updateTable('participant_reports')
          .set({ answer: 'shrug' })
          .where('id', '=', filed.id)
          .execute(),
      );
    });

    test('a report text re-attributed to another reporter fails to open', async () => {
      const s = await scene();
      const filed = await report(s, s.anna, s.ben);
      await t.database.db
        .updateTable('participant_reports')
        .set({ reporter_id: s.carl })
        .where('id', '=', filed.id)
        .execute();
      await assert.rejects(repo.listOpen(s.meetingId), VaultError);
    });
  });
}
