import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { auditRows } from '../helpers/auditRows.ts';
import { eachBackend } from '../helpers/databases.ts';
import { signalingFixture, type Person } from '../helpers/signalingFixture.ts';
import { code, data, until } from '../helpers/signalingKit.ts';

for (const backend of eachBackend()) {
  describe(`screen sharing on ${backend.name}`, () => {
    const f = signalingFixture(backend);
    const { produceReply, receive } = f;

    /** A meeting with a connected moderator and Ada (and Bob), who all saw each other. */
    async function meeting(...names: string[]) {
      const {
        meetingId,
        mod,
        others: [ada, bob],
      } = await f.meeting(...names);
      assert.ok(ada);
      return { meetingId, mod, ada, bob };
    }

    async function share(person: Person): Promise<string> {
      return (data(await produceReply(person, 'screen')) as { producerId: string }).producerId;
    }

    function screens(meetingId: string, participantId: string) {
      const peer = f.t.server.media
        .snapshot(meetingId)
        .find((p) => p.participantId === participantId);
      return (peer?.producers ?? []).filter((p) => p.source === 'screen');
    }

    /** Audit rows of one action, once there are `count` (share start/stop is audited async). */
    async function auditOf(meetingId: string, action: string, count: number) {
      for (let i = 0; i < 100; i++) {
        const rows = await auditRows(f.t, meetingId, action);
        if (rows.length >= count) return rows;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`fewer than ${String(count)} ${action} events`);
    }

    async function setRole(mod: Person, who: Person, role: 'presenter' | 'participant') {
      data(
        await mod.client.request('moderation.setRole', { participantId: who.participantId, role }),
      );
    }

    test('a presenter shares a screen: a viewer gets a screen consumer, everyone sees them sharing, start and stop are audited', async () => {
      const { meetingId, mod, ada } = await meeting('Ada');
      assert.equal(ada.welcome.self.screen, false);
      assert.equal(ada.welcome.self.mayShare, false);
      await receive(mod);
      await setRole(mod, ada, 'presenter');
      const producerId = await share(ada);
      const consumer = await mod.client.notification(
        'media.newConsumer',
        (d) => d.source === 'screen',
      );
      assert.deepEqual(
        [consumer.participantId, consumer.kind, consumer.producerId],
        [ada.participantId, 'video', producerId],
      );
      await mod.client.notification(
        'participant.updated',
        (d) => d.participant.id === ada.participantId && d.participant.screen,
      );

      data(await ada.client.request('media.closeProducer', { producerId }));
      await mod.client.notification(
        'media.consumerClosed',
        (d) => d.consumerId === consumer.consumerId,
      );
      await mod.client.notification(
        'participant.updated',
        (d) => d.participant.id === ada.participantId && !d.participant.screen,
      );
      await until(() => screens(meetingId, ada.participantId).length === 0);
      const started = await auditOf(meetingId, 'media.share_started', 1);
      assert.deepEqual(
        started.map((r) => [r.actor, r.outcome]),
        [[ada.participantId, 'success']],
      );
      const stopped = await auditOf(meetingId, 'media.share_stopped', 1);
      assert.deepEqual(
        stopped.map((r) => [r.actor, r.target]),
        [[ada.participantId, ada.participantId]],
      );
      assert.match(stopped[0]?.content ?? '', /"reason":"self"/);
    });

    test('a participant may not share until a moderator allows it; revoking stops the running share', async () => {
      const { meetingId, mod, ada } = await meeting('Ada');
      assert.equal(code(await produceReply(ada, 'screen')), 'forbidden');
      assert.equal(screens(meetingId, ada.participantId).length, 0);

      // Asking reaches the moderators and is audited.
      data(await ada.client.request('share.request', {}));
      assert.deepEqual(await mod.client.notification('share.requested'), {
        participantId: ada.participantId,
      });
      assert.equal((await auditRows(f.t, meetingId, 'meeting.share_requested')).length, 1);

      data(
        await mod.client.request('moderation.allowShare', {
          participantId: ada.participantId,
          allowed: true,
        }),
      );

      await ada.client.notification(
        'participant.updated',
        (d) => d.participant.id === ada.participantId && d.participant.mayShare,
      );
      await share(ada);
      assert.equal(screens(meetingId, ada.participantId).length, 1);

      data(
        await mod.client.request('moderation.allowShare', {
          participantId: ada.participantId,
          allowed: false,
        }),
      );
      assert.deepEqual(await ada.client.notification('moderation.sourceStopped'), {
        source: 'screen',
      });
      await until(() => screens(meetingId, ada.participantId).length === 0);
      assert.equal(code(await produceReply(ada, 'screen')), 'forbidden');

      const allowed = await auditRows(f.t, meetingId, 'moderation.share_allowed');
      assert.deepEqual(
        allowed.map((r) => [r.actor, r.target, r.outcome]),
        [
          [mod.participantId, ada.participantId, 'success'],
          [mod.participantId, ada.participantId, 'success'],
        ],
      );
      assert.match(allowed[0]?.content ?? '', /"allowed":true/);
      assert.match(allowed[1]?.content ?? '', /"allowed":false/);
      const stopped = await auditOf(meetingId, 'media.share_stopped', 1);
      assert.match(stopped[0]?.content ?? '', /"reason":"stopped"/);
    });

    test('an open request to share reaches a moderator who connects later, until it is answered', async () => {
      const { meetingId, mod, ada } = await meeting('Ada');
      data(await ada.client.request('share.request', {}));
      await mod.client.notification('share.requested');
      // The moderator reloads the page: the new socket's welcome lists the open request.
      const again = f.connect(meetingId, mod.cookie);
      assert.deepEqual((await again.notification('session.welcome')).shareRequests, [
        ada.participantId,
      ]);
      // Nobody else learns who asked.
      const own = await f.connect(meetingId, ada.cookie).notification('session.welcome');
      assert.equal(own.shareRequests, undefined);
      data(
        await again.request('moderation.allowShare', {
          participantId: ada.participantId,
          allowed: true,
        }),
      );
      const answered = await f.connect(meetingId, mod.cookie).notification('session.welcome');
      assert.deepEqual(answered.shareRequests, []);
    });

    test('a moderator stops a presenter’s share; the presenter is told and it is audited', async () => {
      const { meetingId, mod, ada } = await meeting('Ada');
      await setRole(mod, ada, 'presenter');
      await share(ada);
      data(await mod.client.request('moderation.stopShare', { participantId: ada.participantId }));
      assert.deepEqual(await ada.client.notification('moderation.sourceStopped'), {
        source: 'screen',
      });
      await until(() => screens(meetingId, ada.participantId).length === 0);
      const rows = await auditRows(f.t, meetingId, 'moderation.share_stopped');
      assert.deepEqual(
        rows.map((r) => [r.actor, r.target, r.outcome]),
        [[mod.participantId, ada.participantId, 'success']],
      );
      // The presenter may share again (a stop is not a revoked right).
      await share(ada);
    });

    test('the screenShare lock stops presenters’ and granted shares and refuses new ones, not a moderator’s', async () => {
      const { meetingId, mod, ada, bob } = await meeting('Ada', 'Bob');
      assert.ok(bob);
      await setRole(mod, ada, 'presenter');
      data(
        await mod.client.request('moderation.allowShare', {
          participantId: bob.participantId,
          allowed: true,
        }),
      );
      await share(ada);
      await share(bob);
      await share(mod);
      data(await mod.client.request('moderation.setLocks', { locks: { screenShare: true } }));
      assert.deepEqual(await ada.client.notification('moderation.sourceStopped'), {
        source: 'screen',
      });
      assert.deepEqual(await bob.client.notification('moderation.sourceStopped'), {
        source: 'screen',
      });
      await until(
        () =>
          screens(meetingId, ada.participantId).length === 0 &&
          screens(meetingId, bob.participantId).length === 0,
      );
      assert.equal(screens(meetingId, mod.participantId).length, 1);
      assert.equal(code(await produceReply(ada, 'screen')), 'forbidden');
      assert.equal(code(await produceReply(bob, 'screen')), 'forbidden');
      // Asking is pointless while locked.
      assert.equal(code(await bob.client.request('share.request', {})), 'forbidden');

      data(await mod.client.request('moderation.setLocks', { locks: { screenShare: false } }));
      await share(ada);
      await share(bob);
    });

    test('demoting a presenter stops their share', async () => {
      const { meetingId, mod, ada } = await meeting('Ada');
      await setRole(mod, ada, 'presenter');
      await share(ada);
      await setRole(mod, ada, 'participant');
      assert.deepEqual(await ada.client.notification('moderation.sourceStopped'), {
        source: 'screen',
      });
      await until(() => screens(meetingId, ada.participantId).length === 0);
    });

    test('a participant cannot allow or stop shares: refused and audited as denied', async () => {
      const { meetingId, mod, ada, bob } = await meeting('Ada', 'Bob');
      assert.ok(bob);
      await share(mod);
      const allow = await ada.client.request('moderation.allowShare', {
        participantId: bob.participantId,
        allowed: true,
      });
      assert.equal(code(allow), 'forbidden');
      const stop = await ada.client.request('moderation.stopShare', {
        participantId: mod.participantId,
      });
      assert.equal(code(stop), 'forbidden');
      assert.equal(screens(meetingId, mod.participantId).length, 1);
      const denied = (await auditRows(f.t, meetingId)).filter((r) => r.outcome === 'denied');
      assert.deepEqual(
        denied.map((r) => [r.action, r.actor, r.target]),
        [
          ['moderation.share_allowed', ada.participantId, bob.participantId],
          ['moderation.share_stopped', ada.participantId, mod.participantId],
        ],
      );
      // Unknown fields are refused by the schema.
      const extra = await ada.client.request('share.request', { please: true });
      assert.equal(code(extra), 'bad_request');
    });
  });
}
