import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AuditLog } from '../../src/audit/AuditLog.ts';
import { AuditLogTrail } from '../../src/auditor/AuditLogTrail.ts';
import { InProcessBus } from '../../src/cluster/InProcessBus.ts';
import { AppError } from '../../src/errors/AppError.ts';
import { meetingChannel, type Delivery } from '../../src/meetings/delivery.ts';
import { MeetingService } from '../../src/meetings/MeetingService.ts';
import type { MeetingObserverEvents } from '../../src/meetings/events.ts';
import { SqlMeetingRepository } from '../../src/storage/SqlMeetingRepository.ts';
import { systemClock } from '../../src/storage/SystemClock.ts';
import { LocalKeyring } from '../../src/vault/LocalKeyring.ts';
import { Vault } from '../../src/vault/Vault.ts';
import { eachBackend, type TestDatabase } from '../helpers/databases.ts';
import { admissionDeps, OPEN_POLICY, openTestAuditLog } from '../helpers/meetingDomain.ts';

const silent = { warn: () => undefined, error: () => undefined };
/** The moderator link works only for a signed-in account; any account id does here. */
const organiser = { userId: 'user-organiser' };
/** A signed-in member, so the participant link makes them a participant (not a guest). */
const member = (name: string) => ({ userId: `user-${name}` });

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

/** Polls until the condition holds (or fails after 5 s), for timer-driven behaviour. */
async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if (await condition()) return;
    await sleep(20);
  }
  throw new Error('condition not reached in 5 s');
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(
    promise,
    (error: unknown) => error instanceof AppError && error.code === code,
  );
}

for (const backend of eachBackend()) {
  describe(`the meetings domain on ${backend.name}`, () => {
    let t: TestDatabase;
    let repo: SqlMeetingRepository;
    let bus: InProcessBus;
    let service: MeetingService;
    let deps: ReturnType<typeof admissionDeps>;
    let auditLog: AuditLog;
    let audit: AuditLogTrail;
    const observed: { event: keyof MeetingObserverEvents; payload: unknown }[] = [];

    before(async () => {
      t = await backend.open();
      const vault = new Vault(await LocalKeyring.openOrCreate(join(t.dataDir, 'keyring')));
      repo = new SqlMeetingRepository(t.database.db, vault);
      auditLog = await openTestAuditLog(t.database, vault);
      audit = new AuditLogTrail(auditLog);
      bus = new InProcessBus();
      deps = admissionDeps(t.database, vault);
      service = new MeetingService({
        repo,
        ...deps,
        bus,
        clock: systemClock,
        logger: silent,
        audit,
        // Generous where a test needs someone to stay, short where it waits for a timeout.
        options: { reconnectGraceMs: 400, connectGraceMs: 10_000 },
      });
      for (const event of [
        'linkRejected',
        'actionDenied',
        'meetingEnded',
        'participantLeft',
      ] as const) {
        service.observer.on(event, (payload) => observed.push({ event, payload }));
      }
    });
    after(async () => {
      service.close();
      await bus.close();
      await auditLog.close();
      await t.cleanup();
    });

    /** Collects what the domain publishes on a meeting's channel. */
    async function listen(meetingId: string): Promise<Delivery[]> {
      const deliveries: Delivery[] = [];
      await bus.subscribe(meetingChannel(meetingId), (message) =>
        deliveries.push(message as Delivery),
      );
      return deliveries;
    }

    test('a new meeting has a 128-bit id and 256-bit tokens that are stored only as hashes', async () => {
      const created = await service.create({ title: '  Board meeting ' });
      assert.match(created.meeting.id, /^[A-Za-z0-9_-]{22}$/);
      assert.match(created.moderatorToken, /^[A-Za-z0-9_-]{43}$/);
      assert.match(created.participantToken, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(created.meeting.title, 'Board meeting');
      const stored = await repo.findMeeting(created.meeting.id);
      assert.ok(stored);
      assert.equal(stored.moderatorTokenHash, sha256(created.moderatorToken));
      assert.equal(stored.participantTokenHash, sha256(created.participantToken));
      assert.notEqual(stored.moderatorTokenHash, created.moderatorToken);
    });

    test('a link check tells the role, and an unknown meeting looks exactly like a wrong token', async () => {
      const created = await service.create({ policy: OPEN_POLICY });
      const id = created.meeting.id;
      assert.equal((await service.checkLink(id, created.moderatorToken)).role, 'moderator');
      assert.equal(
        (await service.checkLink(id, created.participantToken, member('Ada'))).role,
        'participant',
      );
      // Without an account, the participant link makes a guest.
      assert.equal((await service.checkLink(id, created.participantToken)).role, 'guest');
      const wrongToken = await service.checkLink(id, 'x'.repeat(43)).catch((e: unknown) => e);
      const unknownMeeting = await service
        .checkLink('A'.repeat(22), created.participantToken)
        .catch((e: unknown) => e);
      assert.ok(wrongToken instanceof AppError && unknownMeeting instanceof AppError);
      assert.deepEqual(wrongToken.toBody(), unknownMeeting.toBody());
      assert.equal(wrongToken.code, 'not_found');
      assert.ok(observed.some((o) => o.event === 'linkRejected'));
    });

    test('a joined participant authenticates with their session secret and nothing else', async () => {
      const created = await service.create({ policy: OPEN_POLICY });
      const id = created.meeting.id;
      const joined = await service.join(id, created.participantToken, ' Ada ', member('Ada'));
      assert.equal(joined.role, 'participant');
      assert.match(joined.sessionSecret, /^[A-Za-z0-9_-]{43}$/);
      const session = await service.authenticate(id, joined.sessionSecret);
      assert.deepEqual(session, {
        meetingId: id,
        participantId: joined.participantId,
        role: 'participant',
        admission: 'admitted',
      });
      await rejectsWith(service.authenticate(id, 'y'.repeat(43)), 'unauthenticated');
      await rejectsWith(
        service.authenticate('B'.repeat(22), joined.sessionSecret),
        'unauthenticated',
      );
    });

    test('presence goes online, reconnecting on a dropped socket, and left after the grace period', async () => {
      const created = await service.create({ policy: OPEN_POLICY });
      const id = created.meeting.id;
      const deliveries = await listen(id);
      const mod = await service.join(id, created.moderatorToken, 'Mod', organiser);
      const modSession = await service.authenticate(id, mod.sessionSecret);
      await service.attach(modSession);
      const ada = await service.join(id, created.participantToken, 'Ada', member('Ada'));
      const session = await service.authenticate(id, ada.sessionSecret);
      const connection = await service.attach(session);
      const welcome = await service.welcome(session);
      assert.equal(welcome.self.displayName, 'Ada');
      assert.equal(welcome.self.presence, 'online');
      assert.deepEqual(
        welcome.participants.map((p) => p.displayName),
        ['Mod', 'Ada'],
      );

      service.detach(session, connection);
      assert.equal(
        service.participants(id).find((p) => p.id === ada.participantId)?.presence,
        'reconnecting',
      );
      await until(async () => (await repo.listActiveParticipants(id)).length === 1);
      assert.equal(
        service.participants(id).find((p) => p.id === ada.participantId),
        undefined,
      );
      assert.deepEqual(
        (await repo.listActiveParticipants(id)).map((p) => p.id),
        [mod.participantId],
      );
      await rejectsWith(service.authenticate(id, ada.sessionSecret), 'unauthenticated');
      const names = deliveries.map((d) => (d.type === 'notify' ? d.notification : d.type));
      assert.deepEqual(names, [
        'participant.joined',
        'participant.joined',
        'participant.updated',
        'participant.left',
      ]);
    });

    test('a reconnect within the grace period keeps the participant', async () => {
      const created = await service.create({ policy: OPEN_POLICY });
      const id = created.meeting.id;
      const ada = await service.join(id, created.participantToken, 'Ada', member('Ada'));
      const session = await service.authenticate(id, ada.sessionSecret);
      service.detach(session, await service.attach(session));
      await service.attach(session);
      await sleep(600);
      assert.equal(service.participants(id)[0]?.presence, 'online');
    });

    test('someone who joins but never connects leaves silently', async () => {
      const impatient = new MeetingService({
        repo,
        ...deps,
        bus,
        clock: systemClock,
        logger: silent,
        audit,
        options: { connectGraceMs: 50 },
      });
      const created = await impatient.create({ policy: OPEN_POLICY });
      const id = created.meeting.id;
      const deliveries = await listen(id);
      const ada = await impatient.join(id, created.participantToken, 'Ada', member('Ada'));
      await until(async () => (await repo.listActiveParticipants(id)).length === 0);
      await rejectsWith(impatient.authenticate(id, ada.sessionSecret), 'unauthenticated');
      assert.deepEqual(deliveries, []);
      impatient.close();
    });

    test('private chat reaches only the recipient; the history shows each person what they may read', async () => {
      const created = await service.create({ policy: OPEN_POLICY });
      const id = created.meeting.id;
      const deliveries = await listen(id);
      const sessions = [];
      for (const name of ['Ada', 'Bob', 'Cy']) {
        const joined = await service.join(id, created.participantToken, name, member(name));
        const session = await service.authenticate(id, joined.sessionSecret);
        await service.attach(session);
        sessions.push(session);
      }
      const [ada, bob, cy] = sessions as [
        (typeof sessions)[0],
        (typeof sessions)[0],
        (typeof sessions)[0],
      ];
      const open = await service.sendChat(ada, 'hello all', undefined);
      const secret = await service.sendChat(ada, 'psst', bob.participantId);
      assert.equal(secret.to, bob.participantId);
      await sleep(10);
      const chat = deliveries.filter(
        (d) => d.type === 'notify' && d.notification === 'chat.message',
      );
      assert.deepEqual(
        chat.map((d) => d.type === 'notify' && [d.to, d.except]),
        [
          ['all', ada.participantId],
          [[bob.participantId], ada.participantId],
        ],
      );
      assert.deepEqual(
        (await service.welcome(cy)).chat.map((m) => m.id),
        [open.id],
      );
      assert.deepEqual(
        (await service.welcome(bob)).chat.map((m) => m.id),
        [open.id, secret.id],
      );
      await rejectsWith(service.sendChat(ada, '   ', undefined), 'bad_request');
      await rejectsWith(service.sendChat(ada, 'hi', 'Z'.repeat(22)), 'bad_request');
      await rejectsWith(service.sendChat(ada, 'hi', ada.participantId), 'bad_request');
    });

    test('a participant who tries to end the meeting is refused and observed; a moderator ends it', async () => {
      const created = await service.create({ policy: OPEN_POLICY });
      const id = created.meeting.id;
      const deliveries = await listen(id);
      const closedEvents: unknown[] = [];
      service.events.on('meetingClosed', (e) => closedEvents.push(e));
      const mod = await service.authenticate(
        id,
        (await service.join(id, created.moderatorToken, 'Mod', organiser)).sessionSecret,
      );
      const ada = await service.authenticate(
        id,
        (await service.join(id, created.participantToken, 'Ada', member('Ada'))).sessionSecret,
      );
      await service.attach(mod);
      await service.attach(ada);
      await rejectsWith(service.end(ada), 'forbidden');
      assert.ok(
        observed.some(
          (o) =>
            o.event === 'actionDenied' && (o.payload as { meetingId: string }).meetingId === id,
        ),
      );
      await service.end(mod);
      await sleep(10);
      assert.deepEqual(deliveries.at(-1), { type: 'disconnect', to: 'all', reason: 'ended' });
      assert.ok(closedEvents.some((e) => (e as { meetingId: string }).meetingId === id));
      assert.notEqual((await repo.findMeeting(id))?.endedAt, null);
      assert.deepEqual(await repo.listActiveParticipants(id), []);
      await rejectsWith(service.checkLink(id, created.participantToken), 'meeting_ended');
      await rejectsWith(
        service.join(id, created.participantToken, 'Late', member('Late')),
        'meeting_ended',
      );
      await rejectsWith(service.authenticate(id, 'q'.repeat(43)), 'unauthenticated');
    });

    test("leaving tells the others, closes the leaver's socket and empties the meeting", async () => {
      const created = await service.create({ policy: OPEN_POLICY });
      const id = created.meeting.id;
      const deliveries = await listen(id);
      const ada = await service.authenticate(
        id,
        (await service.join(id, created.participantToken, 'Ada', member('Ada'))).sessionSecret,
      );
      await service.attach(ada);
      await service.leave(ada);
      await service.leave(ada);
      await sleep(10);
      assert.deepEqual(
        deliveries.map((d) => (d.type === 'notify' ? d.notification : d.type)),
        ['participant.joined', 'participant.left', 'disconnect'],
      );
      assert.deepEqual(service.participants(id), []);
      assert.ok(!service.liveMeetingIds().includes(id));
    });

    test('closing the service is idempotent and later use is refused', async () => {
      const other = new MeetingService({
        repo,
        ...deps,
        bus,
        clock: systemClock,
        logger: silent,
        audit,
      });
      const created = await other.create({ policy: OPEN_POLICY });
      const joined = await other.join(
        created.meeting.id,
        created.participantToken,
        'Ada',
        member('Ada'),
      );
      other.close();
      other.close();
      assert.deepEqual(other.liveMeetingIds(), []);
      await rejectsWith(
        other.authenticate(created.meeting.id, joined.sessionSecret),
        'unavailable',
      );
      // Closing wrote nothing: the participant can resume on another process.
      assert.equal((await repo.listActiveParticipants(created.meeting.id)).length, 1);
    });
  });
}
