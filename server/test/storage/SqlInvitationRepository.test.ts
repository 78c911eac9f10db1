import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../src/errors/AppError.ts';
import type { InvitationRecord } from '../../src/meetings/ports.ts';
import { SqlInvitationRepository } from '../../src/storage/SqlInvitationRepository.ts';
import { SqlMeetingRepository } from '../../src/storage/SqlMeetingRepository.ts';
import { LocalKeyring } from '../../src/vault/LocalKeyring.ts';
import { Vault } from '../../src/vault/Vault.ts';
import { VaultError } from '../../src/vault/VaultError.ts';
import { eachBackend, type TestDatabase } from '../helpers/databases.ts';

const id = () => randomBytes(16).toString('base64url');
const hash = () => randomBytes(32).toString('base64url');
const at = (seconds: number) => new Date(Date.UTC(2030, 0, 1, 9, 0, seconds));
const isCode = (code: string) => (error: unknown) =>
  error instanceof AppError && error.code === code;

type NewInvitation = Omit<InvitationRecord, 'uses' | 'revokedAt'>;

for (const backend of eachBackend()) {
  describe(`SqlInvitationRepository on ${backend.name}`, () => {
    let t: TestDatabase;
    let keyDir: string;
    let meetings: SqlMeetingRepository;
    let repo: SqlInvitationRepository;

    before(async () => {
      t = await backend.open();
      keyDir = await mkdtemp(join(tmpdir(), 'konvent-keys-'));
      const vault = new Vault(await LocalKeyring.openOrCreate(keyDir));
      meetings = new SqlMeetingRepository(t.database.db, vault);
      repo = new SqlInvitationRepository(t.database.db, vault);
    });
    after(async () => {
      await t.cleanup();
      await rm(keyDir, { recursive: true, force: true });
    });

    async function meeting(): Promise<string> {
      const meetingId = id();
      await meetings.createMeeting({
        id: meetingId,
        title: 'Elternabend',
        createdAt: at(0),
        moderatorTokenHash: hash(),
        participantTokenHash: hash(),
      });
      return meetingId;
    }

    async function invitation(
      meetingId: string,
      changes: Partial<NewInvitation> = {},
    ): Promise<NewInvitation> {
      const record: NewInvitation = {
        id: id(),
        meetingId,
        tokenHash: hash(),
        label: 'Dr. Erika Mustermann <erika@example.org>',
        role: 'participant',
        pinHash: null,
        createdBy: `user:${id()}`,
        createdAt: at(0),
        expiresAt: at(3600),
        maxUses: 1,
        ...changes,
      };
      await repo.create(record);
      return record;
    }

    test('a created invitation is found by its token with its label, unused and not revoked', async () => {
      const m = await meeting();
      const created = await invitation(m, {
        role: 'moderator',
        pinHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
        maxUses: 3,
        label: 'Frau Özdemir (Kämmerei) 📎',
      });
      assert.deepEqual(await repo.findByToken(m, created.tokenHash), {
        ...created,
        uses: 0,
        revokedAt: null,
        minuteTaker: false,
      });
      assert.equal(await repo.findByToken(m, hash()), undefined);
    });

    test('a token is found only in its own meeting', async () => {
      const m = await meeting();
      const other = await meeting();
      const created = await invitation(m);
      assert.equal(await repo.findByToken(other, created.tokenHash), undefined);
    });

    test("a meeting's invitations are listed newest first, with their state", async () => {
      const m = await meeting();
      const older = await invitation(m, { createdAt: at(1), maxUses: null });
      const newer = await invitation(m, { createdAt: at(2), role: 'presenter' });
      await invitation(await meeting());
      assert.equal(await repo.revoke(m, older.id, at(5)), true);
      assert.deepEqual(await repo.list(m), [
        { ...newer, uses: 0, revokedAt: null, minuteTaker: false },
        { ...older, uses: 0, revokedAt: at(5), minuteTaker: false },
      ]);
      assert.deepEqual(await repo.list(await meeting()), []);
    });

    test('an invitation for an unknown meeting is not_found, a duplicate id or token a conflict', async () => {
      await assert.rejects(invitation(id()), isCode('not_found'));
      const m = await meeting();
      const created = await invitation(m);
      await assert.rejects(invitation(m, { id: created.id }), isCode('conflict'));
      await assert.rejects(invitation(m, { tokenHash: created.tokenHash }), isCode('conflict'));
    });

    test('a single-use invitation is used by exactly one of two racing joins', async () => {
      const m = await meeting();
      const single = await invitation(m, { maxUses: 1 });
      const results = await Promise.all([
        repo.consume(single.id, at(10)),
        repo.consume(single.id, at(10)),
      ]);
      assert.deepEqual(results.filter(Boolean), [true]);
      assert.equal((await repo.findByToken(m, single.tokenHash))?.uses, 1);
      assert.equal(await repo.consume(single.id, at(11)), false);
    });

    test('an invitation for three is used by exactly three of ten racing joins', async () => {
      const m = await meeting();
      const three = await invitation(m, { maxUses: 3 });
      const results = await Promise.all(
        Array.from({ length: 10 }, () => repo.consume(three.id, at(10))),
      );
      assert.equal(results.filter(Boolean).length, 3);
      assert.equal((await repo.findByToken(m, three.tokenHash))?.uses, 3);
    });

    test('an invitation without a use limit can be used until it expires', async () => {
      const m = await meeting();
      const open = await invitation(m, { maxUses: null, expiresAt: at(100) });
      for (let i = 0; i < 5; i++) assert.equal(await repo.consume(open.id, at(50)), true);
      assert.equal((await repo.findByToken(m, open.tokenHash))?.uses, 5);
      assert.equal(await repo.consume(open.id, at(100)), false);
    });

    test('an expired invitation cannot be used', async () => {
      const m = await meeting();
      const expiring = await invitation(m, { expiresAt: at(100) });
      assert.equal(await repo.consume(expiring.id, at(100)), false);
      assert.equal(await repo.consume(expiring.id, at(200)), false);
      assert.equal((await repo.findByToken(m, expiring.tokenHash))?.uses, 0);
      // The same invitation just before its expiry still works.
      assert.equal(await repo.consume(expiring.id, at(99)), true);
    });

    test('a revoked invitation cannot be used, and it is revoked once, only from its meeting', async () => {
      const m = await meeting();
      const other = await meeting();
      const revoked = await invitation(m, { maxUses: null });
      assert.equal(await repo.revoke(other, revoked.id, at(5)), false);
      assert.equal(await repo.revoke(m, revoked.id, at(10)), true);
      assert.equal(await repo.revoke(m, revoked.id, at(20)), false);
      assert.equal(await repo.revoke(m, id(), at(20)), false);
      assert.deepEqual((await repo.findByToken(m, revoked.tokenHash))?.revokedAt, at(10));
      assert.equal(await repo.consume(revoked.id, at(30)), false);
      assert.equal(await repo.consume(id(), at(30)), false);
    });

    test('a released use can be used again, and releasing never goes below zero', async () => {
      const m = await meeting();
      const single = await invitation(m, { maxUses: 1 });
      await repo.release(single.id);
      assert.equal((await repo.findByToken(m, single.tokenHash))?.uses, 0);
      assert.equal(await repo.consume(single.id, at(10)), true);
      assert.equal(await repo.consume(single.id, at(10)), false);
      await repo.release(single.id);
      assert.equal((await repo.findByToken(m, single.tokenHash))?.uses, 0);
      assert.equal(await repo.consume(single.id, at(11)), true);
      await repo.release(id());
    });

    test('a label copied onto another invitation fails to open instead of naming the wrong person', async () => {
      const m = await meeting();
      const erika = await invitation(m, { label: 'Erika' });
      const max = await invitation(m, { label: 'Max' });
      const { db } = t.database;
      const row = await db
        .selectFrom('invitations')
        .select('label_sealed')
        .where('id', '=', erika.id)
        .executeTakeFirstOrThrow();
      await db
        .updateTable('invitations')
        .set({ label_sealed: row.label_sealed })
        .where('id', '=', max.id)
        .execute();
      await assert.rejects(repo.findByToken(m, max.tokenHash), VaultError);
    });
  });
}
