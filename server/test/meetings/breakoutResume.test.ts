import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AuditLog } from '../../src/audit/AuditLog.ts';
import { AuditLogTrail } from '../../src/auditor/AuditLogTrail.ts';
import { InProcessBus } from '../../src/cluster/InProcessBus.ts';
import { MeetingService } from '../../src/meetings/MeetingService.ts';
import { SqlBreakoutRepository } from '../../src/storage/SqlBreakoutRepository.ts';
import { SqlMeetingRepository } from '../../src/storage/SqlMeetingRepository.ts';
import { systemClock } from '../../src/storage/SystemClock.ts';
import { LocalKeyring } from '../../src/vault/LocalKeyring.ts';
import { Vault } from '../../src/vault/Vault.ts';
import { eachBackend, type TestDatabase } from '../helpers/databases.ts';
import { admissionDeps, OPEN_POLICY, openTestAuditLog } from '../helpers/meetingDomain.ts';

const silent = { warn: () => undefined, error: () => undefined };

for (const backend of eachBackend()) {
  describe(`breakout rooms across a restart on ${backend.name}`, () => {
    let t: TestDatabase;
    let auditLog: AuditLog;
    let bus: InProcessBus;
    let vault: Vault;
    const services: MeetingService[] = [];

    before(async () => {
      t = await backend.open();
      vault = new Vault(await LocalKeyring.openOrCreate(join(t.dataDir, 'keyring')));
      auditLog = await openTestAuditLog(t.database, vault);
      bus = new InProcessBus();
    });
    after(async () => {
      for (const service of services) service.close();
      await bus.close();
      await auditLog.close();
      await t.cleanup();
    });

    /** A meeting service as one server process would have it; one "minute" lasts 300 ms. */
    function process(): MeetingService {
      const service = new MeetingService({
        repo: new SqlMeetingRepository(t.database.db, vault),
        ...admissionDeps(t.database, vault),
        bus,
        clock: systemClock,
        logger: silent,
        audit: new AuditLogTrail(auditLog),
        options: { breakoutMinuteMs: 300 },
      });
      services.push(service);
      return service;
    }

    test('the rooms are stored sealed, and a restarted server closes them on time', async () => {
      const first = process();
      const created = await first.create({ policy: OPEN_POLICY });
      const mainId = created.meeting.id;
      const mod = await first.join(mainId, created.moderatorToken, 'Mod', {
        userId: 'user-organiser',
      });
      const state = await first.breakouts.start(mod.participantId, mainId, {
        rooms: [{ name: 'Secret project', participantIds: [] }],
        durationMinutes: 2,
        assign: 'manual',
      });
      const roomId = state.rooms[0]?.id ?? '';
      const room = await new SqlMeetingRepository(t.database.db, vault).findMeeting(roomId);
      assert.equal(room?.parentId, mainId);
      assert.equal(room.endedAt, null);
      // The room names are sealed at rest.
      const stored = await t.database.db.selectFrom('breakouts').selectAll().execute();
      assert.equal(stored.length, 1);
      assert.ok(
        !Buffer.from(stored[0]?.state_sealed ?? [])
          .toString('latin1')
          .includes('Secret'),
      );

      // The process stops; another starts and takes the running session over.
      first.close();
      const second = process();
      await second.breakouts.resume();
      assert.deepEqual(second.breakouts.welcome(mainId).breakout, state);
      assert.deepEqual(second.breakouts.welcome(roomId).room, {
        parentId: mainId,
        endsAt: state.endsAt,
      });
      const repo = new SqlMeetingRepository(t.database.db, vault);
      for (let i = 0; i < 250; i++) {
        if ((await repo.findMeeting(roomId))?.endedAt != null) break;
        await sleep(20);
      }
      assert.notEqual((await repo.findMeeting(roomId))?.endedAt, null);
      assert.equal(await new SqlBreakoutRepository(t.database.db, vault).load(mainId), undefined);
      assert.deepEqual(second.breakouts.welcome(mainId), {});
    });
  });
}
