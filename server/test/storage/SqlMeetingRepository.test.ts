import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { OPEN_LOCKS } from '@konvent/protocol';
import { AppError } from '../../src/errors/AppError.ts';
import type { ChatRecord, ParticipantRecord, StoredPolicy } from '../../src/meetings/ports.ts';
import { SqlMeetingRepository } from '../../src/storage/SqlMeetingRepository.ts';
import { LocalKeyring } from '../../src/vault/LocalKeyring.ts';
import { Vault } from '../../src/vault/Vault.ts';
import { VaultError } from '../../src/vault/VaultError.ts';
import { eachBackend, type TestDatabase } from '../helpers/databases.ts';

const id = () => randomBytes(16).toString('base64url');
const hash = () => randomBytes(32).toString('base64url');
const at = (seconds: number) => new Date(Date.UTC(2030, 0, 1, 9, 0, seconds));

const DEFAULT_POLICY: StoredPolicy = {
  guestPolicy: 'ask_moderator',
  passcodeHash: null,
  lockAfterStartMinutes: null,
};

for (const backend of eachBackend()) {
  describe(`SqlMeetingRepository on ${backend.name}`, () => {
    let t: TestDatabase;
    let keyDir: string;
    let repo: SqlMeetingRepository;

    before(async () => {
      t = await backend.open();
      keyDir = await mkdtemp(join(tmpdir(), 'konvent-keys-'));
      repo = new SqlMeetingRepository(
        t.database.db,
        new Vault(await LocalKeyring.openOrCreate(keyDir)),
      );
    });
    after(async () => {
      await t.cleanup();
      await rm(keyDir, { recursive: true, force: true });
    });

    async function meeting(title = 'Haushaltsausschuss') {
      const record = {
        id: id(),
        title,
        createdAt: at(0),
        moderatorTokenHash: hash(),
        participantTokenHash: hash(),
      };
      await repo.createMeeting(record);
      return record;
    }

    async function participant(
      meetingId: string,
      displayName: string,
      joinedAt = at(1),
      role: ParticipantRecord['role'] = 'participant',
    ) {
      const record = {
        id: id(),
        meetingId,
        displayName,
        role,
        joinedAt,
        sessionHash: hash(),
        arrival: 'link',
        admission: 'admitted',
      } satisfies Omit<ParticipantRecord, 'leftAt' | 'removal'>;
      await repo.addParticipant(record);
      return record;
    }

    async function chat(
      meetingId: string,
      sender: { id: string; displayName: string },
      text: string,
      to?: string,
    ): Promise<ChatRecord> {
      const record: ChatRecord = {
        id: id(),
        meetingId,
        senderId: sender.id,
        senderName: sender.displayName,
        text,
        sentAt: at(2),
      };
      if (to !== undefined) record.to = to;
      await repo.appendChat(record);
      return record;
    }

    test('a created meeting is found with its title, times, token hashes and default policy and locks', async () => {
      const created = await meeting('Sitzung „Öffentlich“ 🗳');
      assert.deepEqual(await repo.findMeeting(created.id), {
        ...created,
        endedAt: null,
        createdBy: null,
        policy: DEFAULT_POLICY,
        startedAt: null,
        locks: OPEN_LOCKS,
      });
    });

    test('an unknown meeting is not found', async () => {
      assert.equal(await repo.findMeeting(id()), undefined);
    });

    test('an empty title is kept as empty', async () => {
      const created = await meeting('');
      assert.equal((await repo.findMeeting(created.id))?.title, '');
    });

    test('creating a meeting with an existing id is a conflict', async () => {
      const created = await meeting();
      await assert.rejects(repo.createMeeting(created), { name: 'AppError', code: 'conflict' });
    });

    test('a participant is found by meeting and session hash', async () => {
      const m = await meeting();
      const p = await participant(m.id, 'Erika Mustermann', at(1), 'moderator');
      assert.deepEqual(await repo.findParticipantBySession(m.id, p.sessionHash), {
        ...p,
        leftAt: null,
      });
      assert.equal(await repo.findParticipantBySession(m.id, hash()), undefined);
      const other = await meeting();
      assert.equal(await repo.findParticipantBySession(other.id, p.sessionHash), undefined);
    });

    test('one session cannot join the same meeting twice', async () => {
      const m = await meeting();
      const p = await participant(m.id, 'Anna');
      await assert.rejects(
        repo.addParticipant({ ...p, id: id() }),
        (error: unknown) => error instanceof AppError && error.code === 'conflict',
      );
    });

    test('joining a meeting that does not exist is not_found', async () => {
      await assert.rejects(
        repo.addParticipant({
          id: id(),
          meetingId: id(),
          displayName: 'Nobody',
          role: 'participant',
          joinedAt: at(1),
          sessionHash: hash(),
        }),
        (error: unknown) => error instanceof AppError && error.code === 'not_found',
      );
    });

    test('active participants are listed oldest first, without those who left', async () => {
      const m = await meeting();
      const late = await participant(m.id, 'Late', at(30));
      const early = await participant(m.id, 'Early', at(10));
      const gone = await participant(m.id, 'Gone', at(20));
      await repo.markParticipantLeft(gone.id, at(40));
      const active = await repo.listActiveParticipants(m.id);
      assert.deepEqual(
        active.map((p) => p.displayName),
        ['Early', 'Late'],
      );
      assert.deepEqual(active[0], { ...early, leftAt: null });
      assert.equal(active[1]?.id, late.id);
    });

    test('leaving twice keeps the first time', async () => {
      const m = await meeting();
      const p = await participant(m.id, 'Twice');
      await repo.markParticipantLeft(p.id, at(50));
      await repo.markParticipantLeft(p.id, at(60));
      const found = await repo.findParticipantBySession(m.id, p.sessionHash);
      assert.deepEqual(found?.leftAt, at(50));
    });

    test('a removal ends the participation, keeps the first leaving time, and a ban is never lifted', async () => {
      const m = await meeting();
      const p = await participant(m.id, 'Mallory');
      await repo.markParticipantRemoved(p.id, at(70), true);
      await repo.markParticipantRemoved(p.id, at(80), false);
      const found = await repo.findParticipantBySession(m.id, p.sessionHash);
      assert.deepEqual(found, { ...p, leftAt: at(70), removal: 'banned' });
      const q = await participant(m.id, 'Quentin');
      await repo.markParticipantLeft(q.id, at(75));
      await repo.markParticipantRemoved(q.id, at(90), false);
      const removed = await repo.findParticipantBySession(m.id, q.sessionHash);
      assert.deepEqual(removed, { ...q, leftAt: at(75), removal: 'removed' });
      assert.deepEqual(await repo.listActiveParticipants(m.id), []);
    });

    test('every meeting role is stored and changed, and nothing else is accepted', async () => {
      const m = await meeting();
      for (const role of ['moderator', 'presenter', 'participant', 'guest'] as const) {
        const p = await participant(m.id, role, at(1), role);
        assert.equal((await repo.findParticipantBySession(m.id, p.sessionHash))?.role, role);
      }
      const p = await participant(m.id, 'Promoted');
      await repo.setParticipantRole(p.id, 'presenter');
      assert.equal((await repo.findParticipantBySession(m.id, p.sessionHash))?.role, 'presenter');
      await assert.rejects(
        t.database.db
          .updateTable('participants')
          .set({ role: 'admin' })
          .where('id', '=', p.id)
          .execute(),
      );
      await assert.rejects(
        t.database.db
          .updateTable('participants')
          .set({ banned: true })
          .where('id', '=', p.id)
          .execute(),
      );
    });

    test('ending a meeting marks it ended and everyone still in it as left, once', async () => {
      const m = await meeting();
      const stays = await participant(m.id, 'Stays');
      const left = await participant(m.id, 'Left early');
      await repo.markParticipantLeft(left.id, at(5));
      await repo.endMeeting(m.id, at(100));
      assert.deepEqual((await repo.findMeeting(m.id))?.endedAt, at(100));
      assert.deepEqual(await repo.listActiveParticipants(m.id), []);
      assert.deepEqual(
        (await repo.findParticipantBySession(m.id, stays.sessionHash))?.leftAt,
        at(100),
      );
      assert.deepEqual(
        (await repo.findParticipantBySession(m.id, left.sessionHash))?.leftAt,
        at(5),
      );

      await repo.endMeeting(m.id, at(200));
      assert.deepEqual((await repo.findMeeting(m.id))?.endedAt, at(100));
      await repo.endMeeting(id(), at(200));
    });

    test('ending one meeting leaves other meetings untouched', async () => {
      const ended = await meeting();
      const running = await meeting();
      await participant(ended.id, 'A');
      const b = await participant(running.id, 'B');
      await repo.endMeeting(ended.id, at(100));
      assert.equal((await repo.findMeeting(running.id))?.endedAt, null);
      assert.deepEqual(
        (await repo.listActiveParticipants(running.id)).map((p) => p.id),
        [b.id],
      );
    });

    test('chat is returned oldest first with sender names and texts', async () => {
      const m = await meeting();
      const anna = await participant(m.id, 'Anna');
      const ben = await participant(m.id, 'Ben');
      const sent = [
        await chat(m.id, anna, 'Guten Morgen'),
        await chat(m.id, ben, 'Morgen! 👋'),
        await chat(m.id, anna, '{"not":"json"} "quoted"'),
      ];
      assert.deepEqual(await repo.listChat(m.id, ben.id, 50), sent);
    });

    test('a private message is visible only to its sender and recipient', async () => {
      const m = await meeting();
      const anna = await participant(m.id, 'Anna');
      const ben = await participant(m.id, 'Ben');
      const carl = await participant(m.id, 'Carl');
      const open = await chat(m.id, anna, 'for everyone');
      const secret = await chat(m.id, anna, 'only for Ben', ben.id);
      const reply = await chat(m.id, ben, 'thanks, Anna', anna.id);
      assert.deepEqual(await repo.listChat(m.id, anna.id, 50), [open, secret, reply]);
      assert.deepEqual(await repo.listChat(m.id, ben.id, 50), [open, secret, reply]);
      assert.deepEqual(await repo.listChat(m.id, carl.id, 50), [open]);
      assert.equal(secret.to, ben.id);
    });

    test('the chat limit keeps the latest messages, still oldest first', async () => {
      const m = await meeting();
      const anna = await participant(m.id, 'Anna');
      const ben = await participant(m.id, 'Ben');
      const carl = await participant(m.id, 'Carl');
      const texts: string[] = [];
      for (let i = 0; i < 8; i++) {
        texts.push(`message ${i}`);
        await chat(m.id, anna, `message ${i}`);
        // Private messages between others must not take up Carl's limit.
        await chat(m.id, anna, `private ${i}`, ben.id);
      }
      const latest = await repo.listChat(m.id, carl.id, 3);
      assert.deepEqual(
        latest.map((c) => c.text),
        texts.slice(-3),
      );
      assert.deepEqual(await repo.listChat(m.id, carl.id, 0), []);
    });

    test('chat of one meeting does not appear in another', async () => {
      const one = await meeting();
      const two = await meeting();
      const a = await participant(one.id, 'A');
      const b = await participant(two.id, 'B');
      await chat(one.id, a, 'in one');
      assert.deepEqual(await repo.listChat(two.id, b.id, 50), []);
    });

    test('a deleted message is gone from every history, its body erased, and only once, only in its meeting', async () => {
      const m = await meeting();
      const other = await meeting();
      const anna = await participant(m.id, 'Anna');
      const ben = await participant(m.id, 'Ben');
      const mod = await participant(m.id, 'Mod', at(1), 'moderator');
      const gone = await chat(m.id, anna, 'delete me');
      await chat(m.id, anna, 'keep me');
      assert.equal(await repo.deleteChat(other.id, gone.id, mod.id, at(5)), undefined);
      assert.deepEqual(await repo.deleteChat(m.id, gone.id, mod.id, at(5)), {
        senderId: anna.id,
      });
      assert.equal(await repo.deleteChat(m.id, gone.id, mod.id, at(6)), undefined);
      assert.equal(await repo.deleteChat(m.id, id(), mod.id, at(6)), undefined);
      for (const viewer of [anna, ben, mod])
        assert.deepEqual(
          (await repo.listChat(m.id, viewer.id, 50)).map((c) => c.text),
          ['keep me'],
        );
      const row = await t.database.db
        .selectFrom('chat_messages')
        .selectAll()
        .where('id', '=', gone.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.body_sealed, null);
      assert.deepEqual([row.deleted_by, row.deleted_at], [mod.id, at(5)]);
    });

    test('a private message is deleted only by its sender or recipient, who learn both ids', async () => {
      const m = await meeting();
      const anna = await participant(m.id, 'Anna');
      const ben = await participant(m.id, 'Ben');
      const mod = await participant(m.id, 'Mod', at(1), 'moderator');
      const whisper = await chat(m.id, anna, 'psst', ben.id);
      assert.equal(await repo.deleteChat(m.id, whisper.id, mod.id, at(5)), undefined);
      assert.deepEqual(await repo.listChat(m.id, ben.id, 50), [whisper]);
      assert.deepEqual(await repo.deleteChat(m.id, whisper.id, ben.id, at(5)), {
        senderId: anna.id,
        to: ben.id,
      });
      assert.deepEqual(await repo.listChat(m.id, anna.id, 50), []);
    });

    test('a row cannot be marked deleted while keeping its body', async () => {
      const m = await meeting();
      const anna = await participant(m.id, 'Anna');
      const kept = await chat(m.id, anna, 'hidden but kept?');
      await assert.rejects(
        t.database.db
          .updateTable('chat_messages')
          .set({ deleted_at: at(5), deleted_by: anna.id })
          .where('id', '=', kept.id)
          .execute(),
      );
    });

    test('a chat message from someone who is not a participant is not_found', async () => {
      const m = await meeting();
      await assert.rejects(
        chat(m.id, { id: id(), displayName: 'Ghost' }, 'boo'),
        (error: unknown) => error instanceof AppError && error.code === 'not_found',
      );
    });

    test('a sealed value moved to another row fails to open instead of showing wrong data', async () => {
      const m = await meeting();
      const anna = await participant(m.id, 'Anna');
      const ben = await participant(m.id, 'Ben');
      await chat(m.id, anna, 'private to Ben', ben.id);
      const { db } = t.database;
      // Someone with write access to the database turns the private message into a public one.
      await db
        .updateTable('chat_messages')
        .set({ recipient_id: null })
        .where('meeting_id', '=', m.id)
        .execute();
      await assert.rejects(repo.listChat(m.id, ben.id, 50), VaultError);
      // ...or copies Anna's sealed name onto Ben's row.
      const annaRow = await db
        .selectFrom('participants')
        .select('display_name_sealed')
        .where('id', '=', anna.id)
        .executeTakeFirstOrThrow();
      await db
        .updateTable('participants')
        .set({ display_name_sealed: annaRow.display_name_sealed })
        .where('id', '=', ben.id)
        .execute();
      await assert.rejects(repo.findParticipantBySession(m.id, ben.sessionHash), VaultError);
    });
  });
}
