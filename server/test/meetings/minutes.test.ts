import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MINUTES_LIMITS } from '@konvent/protocol';
import * as Y from 'yjs';
import type { AuditLog } from '../../src/audit/AuditLog.ts';
import { AuditLogTrail } from '../../src/auditor/AuditLogTrail.ts';
import { InProcessBus } from '../../src/cluster/InProcessBus.ts';
import { AppError } from '../../src/errors/AppError.ts';
import { meetingChannel, type Delivery } from '../../src/meetings/delivery.ts';
import { MeetingService, type Session } from '../../src/meetings/MeetingService.ts';
import { SqlMeetingRepository } from '../../src/storage/SqlMeetingRepository.ts';
import { systemClock } from '../../src/storage/SystemClock.ts';
import { LocalKeyring } from '../../src/vault/LocalKeyring.ts';
import { Vault } from '../../src/vault/Vault.ts';
import { eachBackend, type TestDatabase } from '../helpers/databases.ts';
import { admissionDeps, OPEN_POLICY, openTestAuditLog } from '../helpers/meetingDomain.ts';

const silent = { warn: () => undefined, error: () => undefined };
const organiser = { userId: 'user-organiser' };
const member = (name: string) => ({ userId: `user-${name}` });

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(
    promise,
    (error: unknown) => error instanceof AppError && error.code === code,
  );
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** A client's document typing `text` at the end of the notes; returns the update. */
function type(doc: Y.Doc, text: string): string {
  let update: Uint8Array | undefined;
  const listener = (u: Uint8Array) => {
    update = u;
  };
  doc.on('update', listener);
  const notes = doc.getText('notes');
  notes.insert(notes.length, text);
  doc.off('update', listener);
  assert.ok(update);
  return b64(update);
}

for (const backend of eachBackend()) {
  describe(`minutes in the meetings domain on ${backend.name}`, () => {
    let t: TestDatabase;
    let vault: Vault;
    let repo: SqlMeetingRepository;
    let bus: InProcessBus;
    let auditLog: AuditLog;
    let service: MeetingService;
    let deps: ReturnType<typeof admissionDeps>;

    const newService = () =>
      new MeetingService({
        repo,
        ...deps,
        bus,
        clock: systemClock,
        logger: silent,
        audit: new AuditLogTrail(auditLog),
        options: { reconnectGraceMs: 400, connectGraceMs: 10_000 },
      });

    before(async () => {
      t = await backend.open();
      vault = new Vault(await LocalKeyring.openOrCreate(join(t.dataDir, 'keyring')));
      repo = new SqlMeetingRepository(t.database.db, vault);
      auditLog = await openTestAuditLog(t.database, vault);
      bus = new InProcessBus();
      deps = admissionDeps(t.database, vault);
      service = newService();
    });
    after(async () => {
      service.close();
      await service.saveWhiteboards();
      await bus.close();
      await auditLog.close();
      await t.cleanup();
    });

    async function listen(meetingId: string): Promise<Delivery[]> {
      const deliveries: Delivery[] = [];
      await bus.subscribe(meetingChannel(meetingId), (message) =>
        deliveries.push(message as Delivery),
      );
      return deliveries;
    }

    async function enter(
      meetingId: string,
      token: string,
      name: string,
      as = member(name),
    ): Promise<Session> {
      const joined = await service.join(meetingId, token, name, as);
      const session = await service.authenticate(meetingId, joined.sessionSecret);
      await service.attach(session);
      return session;
    }

    /** A meeting with a moderator and a participant, connected. */
    async function meeting() {
      const created = await service.create({ policy: OPEN_POLICY, createdBy: 'user-organiser' });
      const id = created.meeting.id;
      const mod = await enter(id, created.moderatorToken, 'Mod', organiser);
      const ada = await enter(id, created.participantToken, 'Ada');
      return { created, id, mod, ada };
    }

    async function audited(meetingId: string, action: string) {
      return t.database.db
        .selectFrom('audit_events')
        .select(['actor_id', 'target', 'outcome'])
        .where('meeting_id', '=', meetingId)
        .where('action', '=', action)
        .orderBy('seq')
        .execute();
    }

    test('moderators edit, a participant is refused until a moderator appoints them; appointments are audited', async () => {
      const { id, mod, ada } = await meeting();
      const desk = service.minutes;
      const doc = new Y.Doc();
      await desk.update(mod.participantId, id, type(doc, 'Agenda\n'));
      await rejectsWith(desk.update(ada.participantId, id, type(doc, 'x')), 'forbidden');
      await rejectsWith(
        desk.addItem(ada.participantId, id, { kind: 'decision', text: 'No' }),
        'forbidden',
      );
      await rejectsWith(desk.appoint(ada.participantId, id, ada.participantId, true), 'forbidden');
      await rejectsWith(desk.appoint(mod.participantId, id, 'N'.repeat(22), true), 'not_found');
      const deliveries = await listen(id);
      await desk.appoint(mod.participantId, id, ada.participantId, true);
      const item = await desk.addItem(ada.participantId, id, {
        kind: 'action',
        text: ' Send the report ',
        owner: 'Ada',
        due: '2026-12-24',
      });
      assert.equal(item.text, 'Send the report');
      assert.equal(item.authorName, 'Ada');
      const state = await service.minutes.state(id);
      assert.deepEqual(state.takers, [ada.participantId]);
      assert.equal(state.items.length, 1);
      const names = deliveries.map((d) => (d.type === 'notify' ? d.notification : d.type));
      assert.deepEqual(names, ['minutes.takers', 'minutes.itemChanged']);
      await desk.appoint(mod.participantId, id, ada.participantId, false);
      await rejectsWith(
        desk.updateItem(ada.participantId, id, item.id, { done: true }),
        'forbidden',
      );
      const appointed = await audited(id, 'minutes.taker_appointed');
      assert.deepEqual(
        appointed.map((r) => [r.actor_id, r.target, r.outcome]),
        [
          [ada.participantId, ada.participantId, 'denied'],
          [mod.participantId, ada.participantId, 'success'],
        ],
      );
      const released = await audited(id, 'minutes.taker_released');
      assert.equal(released.length, 1);
    });

    test('items: validation, update, removal and the cap', async () => {
      const { id, mod } = await meeting();
      const desk = service.minutes;
      await rejectsWith(
        desk.addItem(mod.participantId, id, { kind: 'action', text: 'x', due: '2026-02-30' }),
        'bad_request',
      );
      const item = await desk.addItem(mod.participantId, id, {
        kind: 'action',
        text: 'Book a room',
        owner: 'Bo',
        due: '2026-03-01',
      });
      const changed = await desk.updateItem(mod.participantId, id, item.id, {
        owner: null,
        due: null,
        done: true,
      });
      assert.equal(changed.owner, undefined);
      assert.equal(changed.due, undefined);
      assert.equal(changed.done, true);
      await rejectsWith(
        desk.updateItem(mod.participantId, id, 'N'.repeat(22), { done: true }),
        'not_found',
      );
      await desk.removeItem(mod.participantId, id, item.id);
      await rejectsWith(desk.removeItem(mod.participantId, id, item.id), 'not_found');
      for (let i = 0; i < MINUTES_LIMITS.items; i++)
        await desk.addItem(mod.participantId, id, { kind: 'decision', text: `D${String(i)}` });
      await rejectsWith(
        desk.addItem(mod.participantId, id, { kind: 'decision', text: 'one more' }),
        'conflict',
      );
    });

    test('bad updates are refused with nothing changed; two editors converge', async () => {
      const { id, mod, ada } = await meeting();
      const desk = service.minutes;
      await desk.appoint(mod.participantId, id, ada.participantId, true);
      const modDoc = new Y.Doc();
      const adaDoc = new Y.Doc();
      const deliveries = await listen(id);
      await desk.update(mod.participantId, id, type(modDoc, 'Hello '));
      await desk.update(ada.participantId, id, type(adaDoc, 'world'));
      // Each applies what the other sent (as `minutes.changed` carries it).
      for (const d of deliveries) {
        if (d.type !== 'notify' || d.notification !== 'minutes.changed') continue;
        const update = Buffer.from((d.data as { update: string }).update, 'base64');
        for (const [doc, who] of [
          [modDoc, mod.participantId],
          [adaDoc, ada.participantId],
        ] as const)
          if (d.except !== who) Y.applyUpdate(doc, update);
      }
      const server = new Y.Doc();
      Y.applyUpdate(server, Buffer.from((await desk.state(id)).doc, 'base64'));
      const text = server.getText('notes').toJSON();
      assert.equal(modDoc.getText('notes').toJSON(), text);
      assert.equal(adaDoc.getText('notes').toJSON(), text);
      assert.equal(text.length, 'Hello world'.length);

      const before = (await desk.state(id)).doc;
      await rejectsWith(desk.update(mod.participantId, id, '/////w=='), 'bad_request');
      const other = new Y.Doc();
      let otherUpdate = '';
      other.on('update', (u: Uint8Array) => {
        otherUpdate = b64(u);
      });
      other.getMap('secret').set('k', 'v');
      await rejectsWith(desk.update(mod.participantId, id, otherUpdate), 'bad_request');
      assert.equal((await desk.state(id)).doc, before);
      // Close to the bound: a large update is refused once the document would outgrow it.
      const big = new Y.Doc();
      const chunk = 'x'.repeat(30_000);
      let refused = false;
      for (let i = 0; i < 40 && !refused; i++) {
        try {
          await desk.update(mod.participantId, id, type(big, chunk));
        } catch (error) {
          assert.ok(error instanceof AppError && error.code === 'payload_too_large');
          refused = true;
        }
      }
      assert.ok(refused);
      const after = Buffer.from((await desk.state(id)).doc, 'base64');
      assert.ok(after.length <= MINUTES_LIMITS.docBytes);
      assert.notEqual(before, undefined);
    });

    test('the minutes survive a restart (saved at shutdown, loaded lazily)', async () => {
      const { id, mod, ada } = await meeting();
      const doc = new Y.Doc();
      await service.minutes.update(mod.participantId, id, type(doc, 'Kept across restarts'));
      await service.minutes.addItem(mod.participantId, id, { kind: 'decision', text: 'Ship it' });
      await service.minutes.appoint(mod.participantId, id, ada.participantId, true);
      service.close();
      await service.saveWhiteboards();
      // Sealed at rest: the text is not in the row.
      const row = await t.database.db
        .selectFrom('minutes')
        .select('state_sealed')
        .where('meeting_id', '=', id)
        .executeTakeFirstOrThrow();
      assert.ok(!Buffer.from(row.state_sealed).toString('latin1').includes('Ship it'));
      service = newService();
      const state = await service.minutes.state(id);
      const reloaded = new Y.Doc();
      Y.applyUpdate(reloaded, Buffer.from(state.doc, 'base64'));
      assert.equal(reloaded.getText('notes').toJSON(), 'Kept across restarts');
      assert.deepEqual(
        state.items.map((i) => i.text),
        ['Ship it'],
      );
      assert.deepEqual(state.takers, [ada.participantId]);
    });

    test('mergeRoom appends a room’s notes and items once, also after a restart', async () => {
      const { id, mod } = await meeting();
      await service.minutes.update(mod.participantId, id, type(new Y.Doc(), 'Main notes'));
      const roomId = 'R'.repeat(21) + 'a';
      await repo.createMeeting({
        id: roomId,
        title: 'Room A',
        createdAt: new Date(),
        moderatorTokenHash: 'm'.repeat(43),
        participantTokenHash: 'p'.repeat(43),
        parentId: id,
      });
      const roomDoc = new Y.Doc();
      roomDoc.getText('notes').insert(0, 'Room talk');
      await deps.minutes.save(
        roomId,
        {
          doc: b64(Y.encodeStateAsUpdate(roomDoc)),
          items: [
            {
              id: 'I'.repeat(22),
              kind: 'action',
              text: 'Follow up',
              owner: 'Ada',
              done: false,
              authorName: 'Ada',
              createdAt: new Date().toISOString(),
            },
          ],
          takers: [],
          merged: [],
        },
        new Date(),
      );
      const deliveries = await listen(id);
      await service.minutes.mergeRoom(id, roomId, 'Room A');
      await service.minutes.mergeRoom(id, roomId, 'Room A');
      const snapshot = await service.minutes.read(id);
      assert.equal(snapshot.notes, 'Main notes\n\n## Room A\n\nRoom talk\n');
      assert.deepEqual(
        snapshot.items.map((i) => [i.text, i.room]),
        [['Follow up', 'Room A']],
      );
      const names = deliveries.map((d) => (d.type === 'notify' ? d.notification : d.type));
      assert.deepEqual(names, ['minutes.changed', 'minutes.itemChanged']);
      service.close();
      await service.saveWhiteboards();
      service = newService();
      await service.minutes.mergeRoom(id, roomId, 'Room A');
      assert.equal((await service.minutes.read(id)).items.length, 1);
      assert.equal((await audited(id, 'minutes.merged')).length, 1);
    });

    test('whoever joins through an invitation marked minuteTaker is appointed on arrival', async () => {
      const created = await service.create({ policy: OPEN_POLICY, createdBy: 'user-organiser' });
      const id = created.meeting.id;
      const invited = await service.admin.invite(
        { kind: 'user', id: 'user-organiser', admin: false },
        id,
        { label: 'Scribe', minuteTaker: true },
        {},
      );
      assert.equal(invited.invitation.minuteTaker, true);
      const mod = await enter(id, created.moderatorToken, 'Mod', organiser);
      const scribe = await enter(id, invited.token, 'Scribe');
      // Appointed when their first socket connects (asynchronously to the attach).
      for (let i = 0; i < 250; i++) {
        if ((await service.minutes.state(id)).takers.includes(scribe.participantId)) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const welcome = await service.welcome(scribe);
      assert.deepEqual(welcome.minutes?.takers, [scribe.participantId]);
      await service.minutes.addItem(scribe.participantId, id, { kind: 'decision', text: 'OK' });
      assert.equal((await service.welcome(mod)).minutes?.items.length, 1);
      const rows = await audited(id, 'minutes.taker_appointed');
      assert.deepEqual(
        rows.map((r) => [r.actor_id, r.target]),
        [['invitation', scribe.participantId]],
      );
    });
  });
}
