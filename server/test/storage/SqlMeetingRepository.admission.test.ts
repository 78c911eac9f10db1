import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { OPEN_LOCKS, type MeetingLocks } from '@konvent/protocol';
import { AppError } from '../../src/errors/AppError.ts';
import type {
  NewMeetingRecord,
  ParticipantRecord,
  StoredPolicy,
} from '../../src/meetings/ports.ts';
import { SqlInvitationRepository } from '../../src/storage/SqlInvitationRepository.ts';
import { SqlMeetingRepository } from '../../src/storage/SqlMeetingRepository.ts';
import { LocalKeyring } from '../../src/vault/LocalKeyring.ts';
import { Vault } from '../../src/vault/Vault.ts';
import { eachBackend, type TestDatabase } from '../helpers/databases.ts';

// Policy, locks, the lobby and bans of SqlMeetingRepository (issue 5); the rest of it is
// tested in SqlMeetingRepository.test.ts.

const id = () => randomBytes(16).toString('base64url');
const hash = () => randomBytes(32).toString('base64url');
const at = (seconds: number) => new Date(Date.UTC(2030, 0, 1, 9, 0, seconds));

const DEFAULT_POLICY: StoredPolicy = {
  guestPolicy: 'ask_moderator',
  passcodeHash: null,
  lockAfterStartMinutes: null,
};

for (const backend of eachBackend()) {
  describe(`SqlMeetingRepository admission on ${backend.name}`, () => {
    let t: TestDatabase;
    let keyDir: string;
    let repo: SqlMeetingRepository;
    let invitations: SqlInvitationRepository;

    before(async () => {
      t = await backend.open();
      keyDir = await mkdtemp(join(tmpdir(), 'konvent-keys-'));
      const vault = new Vault(await LocalKeyring.openOrCreate(keyDir));
      repo = new SqlMeetingRepository(t.database.db, vault);
      invitations = new SqlInvitationRepository(t.database.db, vault);
    });
    after(async () => {
      await t.cleanup();
      await rm(keyDir, { recursive: true, force: true });
    });

    async function meeting() {
      const record = {
        id: id(),
        title: 'Gemeinderat',
        createdAt: at(0),
        moderatorTokenHash: hash(),
        participantTokenHash: hash(),
      };
      await repo.createMeeting(record);
      return record;
    }

    async function participant(meetingId: string, displayName: string, joinedAt: Date) {
      const record = {
        id: id(),
        meetingId,
        displayName,
        role: 'participant',
        joinedAt,
        sessionHash: hash(),
        arrival: 'link',
        admission: 'admitted',
      } satisfies Omit<ParticipantRecord, 'leftAt' | 'removal'>;
      await repo.addParticipant(record);
      return record;
    }

    async function waiting(meetingId: string, displayName: string, joinedAt: Date) {
      const record = {
        id: id(),
        meetingId,
        displayName,
        role: 'guest',
        joinedAt,
        sessionHash: hash(),
        arrival: 'link',
        admission: 'waiting',
      } satisfies Omit<ParticipantRecord, 'leftAt' | 'removal'>;
      await repo.addParticipant(record);
      return record;
    }

    test('a meeting keeps who created it, its policy and locks, and both can be changed', async () => {
      const record = {
        id: id(),
        title: 'Vorstand',
        createdAt: at(0),
        moderatorTokenHash: hash(),
        participantTokenHash: hash(),
        createdBy: id(),
        policy: {
          guestPolicy: 'accept_signed_in',
          passcodeHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
          lockAfterStartMinutes: 15,
        },
        locks: { ...OPEN_LOCKS, microphones: true, meeting: true },
      } satisfies NewMeetingRecord;
      await repo.createMeeting(record);
      assert.deepEqual(await repo.findMeeting(record.id), {
        ...record,
        endedAt: null,
        startedAt: null,
      });

      const policy: StoredPolicy = {
        guestPolicy: 'always_deny',
        passcodeHash: null,
        lockAfterStartMinutes: 1440,
      };
      await repo.setPolicy(record.id, policy);
      const locks = { ...OPEN_LOCKS, publicChat: true, seeCameras: true };
      await repo.setLocks(record.id, locks);
      const found = await repo.findMeeting(record.id);
      assert.deepEqual(found?.policy, policy);
      assert.deepEqual(found.locks, locks);
      assert.equal(found.createdBy, record.createdBy);
    });

    test('a policy outside the allowed values is refused by the database', async () => {
      const m = await meeting();
      await assert.rejects(repo.setPolicy(m.id, { ...DEFAULT_POLICY, lockAfterStartMinutes: 0 }));
      await assert.rejects(
        t.database.db
          .updateTable('meetings')
          .set({ guest_policy: 'everyone' })
          .where('id', '=', m.id)
          .execute(),
      );
      assert.deepEqual((await repo.findMeeting(m.id))?.policy, DEFAULT_POLICY);
    });

    test('stored locks read as the known locks over all off, and a malformed value is an internal error', async () => {
      const m = await meeting();
      const setRaw = (locks: string) =>
        t.database.db.updateTable('meetings').set({ locks }).where('id', '=', m.id).execute();
      // A later version's lock, unknown here, is ignored; a missing one is off.
      await setRaw('{"cameras":true,"whiteboard":true}');
      assert.deepEqual((await repo.findMeeting(m.id))?.locks, { ...OPEN_LOCKS, cameras: true });
      for (const malformed of ['not json', '[]', 'null', '{"cameras":"yes"}']) {
        await setRaw(malformed);
        await assert.rejects(
          repo.findMeeting(m.id),
          (error: unknown) => error instanceof AppError && error.code === 'internal',
          malformed,
        );
      }
    });

    test('only the lock names are stored, whatever else the object carries', async () => {
      const m = await meeting();
      await repo.setLocks(m.id, { ...OPEN_LOCKS, privateChat: true, extra: 'x' } as MeetingLocks);
      const row = await t.database.db
        .selectFrom('meetings')
        .select('locks')
        .where('id', '=', m.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(row.locks), { ...OPEN_LOCKS, privateChat: true });
    });

    test('the start of a meeting is recorded once', async () => {
      const m = await meeting();
      await repo.markStarted(m.id, at(10));
      await repo.markStarted(m.id, at(20));
      assert.deepEqual((await repo.findMeeting(m.id))?.startedAt, at(10));
    });

    test('a participant keeps how they arrived, their admission, account and invitation', async () => {
      const m = await meeting();
      const invitationId = id();
      await invitations.create({
        id: invitationId,
        meetingId: m.id,
        tokenHash: hash(),
        label: 'Frau Schmidt',
        role: 'presenter',
        pinHash: null,
        createdBy: 'user:u1',
        createdAt: at(0),
        expiresAt: at(3600),
        maxUses: 1,
      });
      const invited = {
        id: id(),
        meetingId: m.id,
        displayName: 'Invited',
        role: 'presenter',
        joinedAt: at(1),
        sessionHash: hash(),
        arrival: 'invitation',
        admission: 'waiting',
        userId: id(),
        invitationId,
      } satisfies Omit<ParticipantRecord, 'leftAt' | 'removal'>;
      await repo.addParticipant(invited);
      assert.deepEqual(await repo.findParticipantBySession(m.id, invited.sessionHash), {
        ...invited,
        leftAt: null,
      });

      // Without them: arrived by link, admitted, and no account or invitation keys at all.
      const plain = {
        id: id(),
        meetingId: m.id,
        displayName: 'Plain',
        role: 'guest',
        joinedAt: at(2),
        sessionHash: hash(),
      } satisfies Omit<ParticipantRecord, 'leftAt' | 'removal'>;
      await repo.addParticipant(plain);
      assert.deepEqual(await repo.findParticipantBySession(m.id, plain.sessionHash), {
        ...plain,
        leftAt: null,
        arrival: 'link',
        admission: 'admitted',
      });
    });

    test('people waiting are listed apart from admitted participants, longest waiting first', async () => {
      const m = await meeting();
      const inside = await participant(m.id, 'Inside', at(1));
      const second = await waiting(m.id, 'Second', at(20));
      const first = await waiting(m.id, 'First', at(10));
      const gaveUp = await waiting(m.id, 'Gave up', at(5));
      await repo.markParticipantLeft(gaveUp.id, at(30));
      assert.deepEqual(
        (await repo.listWaiting(m.id)).map((p) => p.id),
        [first.id, second.id],
      );
      assert.deepEqual(await repo.listActiveParticipants(m.id), [{ ...inside, leftAt: null }]);
      const other = await meeting();
      assert.deepEqual(await repo.listWaiting(other.id), []);
    });

    test('someone waiting is admitted or denied once, and a denial means they left', async () => {
      const m = await meeting();
      const anna = await waiting(m.id, 'Anna', at(1));
      assert.equal(await repo.decideAdmission(anna.id, 'admitted', at(10)), true);
      assert.equal(await repo.decideAdmission(anna.id, 'denied', at(11)), false);
      assert.equal(await repo.decideAdmission(anna.id, 'admitted', at(12)), false);
      assert.deepEqual(await repo.findParticipantBySession(m.id, anna.sessionHash), {
        ...anna,
        admission: 'admitted',
        leftAt: null,
      });

      const ben = await waiting(m.id, 'Ben', at(2));
      assert.equal(await repo.decideAdmission(ben.id, 'denied', at(20)), true);
      assert.equal(await repo.decideAdmission(ben.id, 'admitted', at(21)), false);
      assert.deepEqual(await repo.findParticipantBySession(m.id, ben.sessionHash), {
        ...ben,
        admission: 'denied',
        leftAt: at(20),
      });

      const gone = await waiting(m.id, 'Gone', at(3));
      await repo.markParticipantLeft(gone.id, at(4));
      assert.equal(await repo.decideAdmission(gone.id, 'admitted', at(30)), false);
      const inside = await participant(m.id, 'Inside', at(5));
      assert.equal(await repo.decideAdmission(inside.id, 'denied', at(30)), false);
      assert.equal(await repo.decideAdmission(id(), 'admitted', at(30)), false);

      assert.deepEqual(
        (await repo.listActiveParticipants(m.id)).map((p) => p.id),
        [anna.id, inside.id],
      );
      assert.deepEqual(await repo.listWaiting(m.id), []);
    });

    test('of two moderators deciding on the same person at once, exactly one succeeds', async () => {
      const m = await meeting();
      const carl = await waiting(m.id, 'Carl', at(1));
      const results = await Promise.all([
        repo.decideAdmission(carl.id, 'admitted', at(10)),
        repo.decideAdmission(carl.id, 'denied', at(10)),
      ]);
      assert.deepEqual(results.filter(Boolean), [true]);
    });

    test('an account is banned from a meeting only by a removal with ban in that meeting', async () => {
      const m = await meeting();
      const other = await meeting();
      const banned = id();
      const removedOnly = id();
      const addWithAccount = async (meetingId: string, userId: string) => {
        const record = {
          id: id(),
          meetingId,
          displayName: 'Account',
          role: 'participant',
          joinedAt: at(1),
          sessionHash: hash(),
          arrival: 'account',
          userId,
        } satisfies Omit<ParticipantRecord, 'leftAt' | 'removal'>;
        await repo.addParticipant(record);
        return record;
      };
      await repo.markParticipantRemoved((await addWithAccount(m.id, banned)).id, at(5), true);
      await repo.markParticipantRemoved((await addWithAccount(m.id, removedOnly)).id, at(5), false);
      // A later, unremoved stay of the banned account does not lift the ban.
      await addWithAccount(m.id, banned);
      await addWithAccount(other.id, banned);

      assert.equal(await repo.isUserBanned(m.id, banned), true);
      assert.equal(await repo.isUserBanned(m.id, removedOnly), false);
      assert.equal(await repo.isUserBanned(other.id, banned), false);
      assert.equal(await repo.isUserBanned(m.id, id()), false);
    });
  });
}
