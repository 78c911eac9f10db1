import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLOSE_CODES, sessionCookieName, type ResponseFrame } from '@konvent/protocol';
import { auditRows } from '../helpers/auditRows.ts';
import { eachBackend } from '../helpers/databases.ts';
import { signalingFixture } from '../helpers/signalingFixture.ts';
import type { SignalingClient } from '../helpers/SignalingClient.ts';
import { code, data, until } from '../helpers/signalingKit.ts';
import { signedInAccount } from '../helpers/testServer.ts';

for (const backend of eachBackend()) {
  describe(`moderation on ${backend.name}`, () => {
    const f = signalingFixture(backend);
    const { connect, meeting, produce, receive } = f;

    function producers(meetingId: string, participantId: string) {
      return (
        f.t.server.media.snapshot(meetingId).find((p) => p.participantId === participantId)
          ?.producers ?? []
      );
    }

    function audit(meetingId: string, action?: string) {
      return auditRows(f.t, meetingId, action);
    }

    /** Sends a request frame as raw JSON (data the typed client would not let through). */
    async function raw(client: SignalingClient, id: number, method: string, body: unknown) {
      client.sendRaw(JSON.stringify({ id, method, data: body }));
      return (await client.waitFor((f) => 'ok' in f && f.id === id)) as ResponseFrame;
    }

    /** Joins again over HTTP from a browser that presents `cookie`; returns the status. */
    async function rejoin(meetingId: string, token: string, cookie: string): Promise<number> {
      const response = await fetch(`${f.baseUrl}/api/meetings/${meetingId}/join`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ token, displayName: 'Again' }),
      });
      await response.arrayBuffer();
      return response.status;
    }

    test('a moderator mutes a participant: the server pauses the microphone, the participant is told and may unmute', async () => {
      const { meetingId, mod, others } = await meeting('Ada');
      const [ada] = others;
      assert.ok(ada);
      await receive(mod);
      const producerId = await produce(ada, 'microphone');
      const consumer = await mod.client.notification('media.newConsumer');

      data(await mod.client.request('moderation.mute', { participantId: ada.participantId }));
      assert.deepEqual(await ada.client.notification('moderation.sourceStopped'), {
        source: 'microphone',
      });
      await mod.client.notification(
        'media.producerPaused',
        (d) => d.consumerId === consumer.consumerId && d.paused,
      );
      await mod.client.notification(
        'participant.updated',
        (d) => d.participant.id === ada.participantId && !d.participant.microphone,
      );
      assert.deepEqual(producers(meetingId, ada.participantId), [
        { id: producerId, source: 'microphone', paused: true },
      ]);

      // No lock in force: the participant may unmute herself.
      data(await ada.client.request('media.setProducerPaused', { producerId, paused: false }));
      assert.equal(producers(meetingId, ada.participantId)[0]?.paused, false);

      const events = await audit(meetingId, 'moderation.mute');
      assert.deepEqual(
        events.map((e) => [e.outcome, e.actor, e.target]),
        [['success', mod.participantId, ada.participantId]],
      );
    });

    test('mute all pauses every microphone but the caller’s', async () => {
      const { meetingId, mod, others } = await meeting('Ada', 'Bob');
      const [ada, bob] = others;
      assert.ok(ada && bob);
      for (const person of [mod, ada, bob]) await produce(person, 'microphone');

      data(await mod.client.request('moderation.muteAll', {}));
      await ada.client.notification('moderation.sourceStopped');
      await bob.client.notification('moderation.sourceStopped');
      await until(
        () =>
          producers(meetingId, ada.participantId)[0]?.paused === true &&
          producers(meetingId, bob.participantId)[0]?.paused === true,
      );
      assert.equal(producers(meetingId, mod.participantId)[0]?.paused, false);
      assert.equal(mod.client.notifications('moderation.sourceStopped').length, 0);

      const [event] = await audit(meetingId, 'moderation.mute_all');
      assert.equal(event?.outcome, 'success');
      assert.equal(event.actor, mod.participantId);
      assert.equal(event.target, meetingId);
      assert.match(event.content, /"details":\{"count":2\}/);
    });

    test('a moderator stops a camera: its producer closes and the participant is told', async () => {
      const { meetingId, mod, others } = await meeting('Ada');
      const [ada] = others;
      assert.ok(ada);
      await receive(mod);
      await produce(ada, 'microphone');
      await produce(ada, 'camera');
      const camera = await mod.client.notification('media.newConsumer', (d) => d.kind === 'video');

      data(await mod.client.request('moderation.stopCamera', { participantId: ada.participantId }));
      assert.deepEqual(await ada.client.notification('moderation.sourceStopped'), {
        source: 'camera',
      });
      await mod.client.notification(
        'media.consumerClosed',
        (d) => d.consumerId === camera.consumerId,
      );
      await mod.client.notification(
        'participant.updated',
        (d) => d.participant.id === ada.participantId && !d.participant.camera,
      );
      assert.deepEqual(
        producers(meetingId, ada.participantId).map((p) => [p.source, p.paused]),
        [['microphone', false]],
      );
      const events = await audit(meetingId, 'moderation.stop_camera');
      assert.deepEqual(
        events.map((e) => [e.outcome, e.actor, e.target]),
        [['success', mod.participantId, ada.participantId]],
      );
    });

    test('a removed participant is cut off at once, their session is dead, and they may join again with the link', async () => {
      const { m, meetingId, mod, others } = await meeting('Ada', 'Bob');
      const [ada, bob] = others;
      assert.ok(ada && bob);
      await produce(ada, 'microphone');

      data(await mod.client.request('moderation.remove', { participantId: ada.participantId }));
      assert.deepEqual(await ada.client.notification('meeting.ended'), { reason: 'removed' });
      assert.equal((await ada.client.closed).code, CLOSE_CODES.removed);
      await bob.client.notification(
        'participant.left',
        (d) => d.participantId === ada.participantId,
      );
      assert.deepEqual(producers(meetingId, ada.participantId), []);
      assert.ok(
        !f.t.server.meetings.participants(meetingId).some((p) => p.id === ada.participantId),
      );
      // The old session cannot reconnect.
      assert.equal((await connect(meetingId, ada.cookie).closed).code, CLOSE_CODES.removed);

      // Without a ban, the link still works, from the same browser too.
      assert.equal(await rejoin(meetingId, m.participantToken, ada.cookie), 200);

      const [event] = await audit(meetingId, 'moderation.remove');
      assert.equal(event?.outcome, 'success');
      assert.equal(event.actor, mod.participantId);
      assert.equal(event.target, ada.participantId);
      assert.match(event.content, /"details":\{"ban":false\}/);
    });

    test('a banned participant cannot join again from the same browser, and the refusal is audited', async () => {
      const { m, meetingId, mod, others } = await meeting('Ada');
      const [ada] = others;
      assert.ok(ada);

      data(
        await mod.client.request('moderation.remove', {
          participantId: ada.participantId,
          ban: true,
        }),
      );
      assert.equal((await ada.client.closed).code, CLOSE_CODES.removed);
      assert.equal((await connect(meetingId, ada.cookie).closed).code, CLOSE_CODES.removed);
      // Neither link lets the banned browser back in.
      assert.equal(await rejoin(meetingId, m.participantToken, ada.cookie), 403);
      // The moderator link needs a signed-in account; signing in to another one does not help.
      const other = await signedInAccount(f.t.server, ['member']);
      assert.equal(
        await rejoin(meetingId, m.moderatorToken, `${ada.cookie}; ${other.cookie}`),
        403,
      );
      assert.deepEqual(
        f.t.server.meetings.participants(meetingId).map((p) => p.id),
        [mod.participantId],
      );
      // A cookie of another meeting's name does not count (each meeting has its own cookie).
      assert.ok(ada.cookie.startsWith(`${sessionCookieName(meetingId)}=`));

      const events = await audit(meetingId);
      const remove = events.find((e) => e.action === 'moderation.remove');
      assert.match(remove?.content ?? '', /"details":\{"ban":true\}/);
      const refused = events.filter((e) => e.action === 'meeting.joined' && e.outcome === 'denied');
      assert.equal(refused.length, 2);
      for (const e of refused) {
        assert.equal(e.target, ada.participantId);
        assert.match(e.content, /"reason":"banned"/);
      }
    });

    test('moderators promote and demote; the change reaches everyone and survives a reconnect; the last moderator stays', async () => {
      const { meetingId, mod, others } = await meeting('Ada', 'Bob');
      const [ada, bob] = others;
      assert.ok(ada && bob);
      const roleOf = (id: string) =>
        f.t.server.meetings.participants(meetingId).find((p) => p.id === id)?.role;

      data(
        await mod.client.request('moderation.setRole', {
          participantId: ada.participantId,
          role: 'presenter',
        }),
      );
      for (const person of [mod, ada, bob]) {
        await person.client.notification(
          'participant.updated',
          (d) => d.participant.id === ada.participantId && d.participant.role === 'presenter',
        );
      }
      // A presenter has no moderation rights.
      assert.equal(
        code(await ada.client.request('moderation.mute', { participantId: bob.participantId })),
        'forbidden',
      );
      data(
        await mod.client.request('moderation.setRole', {
          participantId: ada.participantId,
          role: 'moderator',
        }),
      );
      await bob.client.notification(
        'participant.updated',
        (d) => d.participant.id === ada.participantId && d.participant.role === 'moderator',
      );
      // The new role is stored: a new socket of Ada's is welcomed as a moderator.
      const adaAgain = connect(meetingId, ada.cookie);
      assert.equal((await adaAgain.notification('session.welcome')).self.role, 'moderator');
      data(await adaAgain.request('moderation.mute', { participantId: bob.participantId }));

      // The first moderator steps down; Ada is now the last one and cannot.
      data(
        await mod.client.request('moderation.setRole', {
          participantId: mod.participantId,
          role: 'participant',
        }),
      );
      assert.equal(roleOf(mod.participantId), 'participant');
      assert.equal(
        code(
          await adaAgain.request('moderation.setRole', {
            participantId: ada.participantId,
            role: 'participant',
          }),
        ),
        'conflict',
      );
      assert.equal(roleOf(ada.participantId), 'moderator');
      // The former moderator's rights went with the role, on the socket they already had.
      assert.equal(
        code(await mod.client.request('moderation.remove', { participantId: bob.participantId })),
        'forbidden',
      );

      const changes = (await audit(meetingId, 'moderation.role_changed')).filter(
        (e) => e.outcome === 'success',
      );
      assert.deepEqual(
        changes.map((e) => [
          e.actor,
          e.target,
          /"from":"(\w+)","to":"(\w+)"/.exec(e.content)?.slice(1),
        ]),
        [
          [mod.participantId, ada.participantId, ['participant', 'presenter']],
          [mod.participantId, ada.participantId, ['presenter', 'moderator']],
          [mod.participantId, mod.participantId, ['moderator', 'participant']],
        ],
      );
    });

    test('a participant who sends every moderator command is refused each time, audited as denied, and nothing changes', async () => {
      const { meetingId, mod, others } = await meeting('Ada', 'Bob');
      const [ada, bob] = others;
      assert.ok(ada && bob);
      await receive(mod);
      await produce(mod, 'microphone');
      await produce(bob, 'microphone');
      await produce(bob, 'camera');
      await until(() => producers(meetingId, bob.participantId).length === 2);
      await sleep(100);
      const state = () =>
        JSON.stringify({
          participants: f.t.server.meetings.participants(meetingId),
          media: f.t.server.media.snapshot(meetingId).map((p) => [p.participantId, p.producers]),
        });
      const before = state();
      const auditBefore = (await audit(meetingId)).length;

      const attacks = [
        ['moderation.mute', { participantId: bob.participantId }, bob.participantId],
        ['moderation.mute', { participantId: mod.participantId }, mod.participantId],
        ['moderation.muteAll', {}, meetingId],
        ['moderation.stopCamera', { participantId: bob.participantId }, bob.participantId],
        ['moderation.remove', { participantId: mod.participantId }, mod.participantId],
        ['moderation.remove', { participantId: bob.participantId, ban: true }, bob.participantId],
        [
          'moderation.setRole',
          { participantId: ada.participantId, role: 'moderator' },
          ada.participantId,
        ],
        [
          'moderation.setRole',
          { participantId: mod.participantId, role: 'participant' },
          mod.participantId,
        ],
        ['meeting.end', {}, meetingId],
      ] as const;
      let id = 1000;
      for (const [method, body] of attacks) {
        assert.equal(code(await raw(ada.client, id++, method, body)), 'forbidden', method);
      }
      await sleep(200);
      assert.equal(state(), before);
      assert.equal(ada.client.closeInfo, undefined);
      assert.equal(mod.client.closeInfo, undefined);
      assert.equal(bob.client.notifications('moderation.sourceStopped').length, 0);

      const denied = (await audit(meetingId)).slice(auditBefore);
      const expected = {
        'moderation.mute': 'moderation.mute',
        'moderation.muteAll': 'moderation.mute_all',
        'moderation.stopCamera': 'moderation.stop_camera',
        'moderation.remove': 'moderation.remove',
        'moderation.setRole': 'moderation.role_changed',
        'meeting.end': 'meeting.ended',
      } as const;
      assert.deepEqual(
        denied.map((e) => [e.action, e.outcome, e.actor, e.target]),
        attacks.map(([method, , target]) => [
          expected[method],
          'denied',
          ada.participantId,
          target,
        ]),
      );
      for (const e of denied) assert.match(e.content, /"details":\{"role":"participant"\}/);
    });

    test('a command that claims a sender or role is refused by its schema before it reaches the domain', async () => {
      const { meetingId, mod, others } = await meeting('Ada');
      const [ada] = others;
      assert.ok(ada);
      const auditBefore = (await audit(meetingId)).length;
      const target = { participantId: mod.participantId };
      const forged = [
        ['moderation.mute', { ...target, role: 'moderator' }],
        ['moderation.mute', { ...target, senderId: mod.participantId }],
        ['moderation.muteAll', { from: mod.participantId }],
        ['moderation.stopCamera', { ...target, actor: { role: 'moderator' } }],
        ['moderation.remove', { ...target, ban: true, participantRole: 'moderator' }],
        ['moderation.setRole', { participantId: ada.participantId, role: 'guest' }],
        ['moderation.setRole', { participantId: ada.participantId, role: 'moderator', as: 'x' }],
        ['moderation.remove', { participantId: 'not-an-id' }],
      ] as const;
      let id = 2000;
      for (const [method, body] of forged) {
        const reply = await raw(ada.client, id++, method, body);
        assert.equal(code(reply), 'bad_request', `${method} ${JSON.stringify(body)}`);
      }
      assert.equal((await audit(meetingId)).length, auditBefore);
      assert.deepEqual(
        f.t.server.meetings.participants(meetingId).map((p) => [p.id, p.role]),
        [
          [mod.participantId, 'moderator'],
          [ada.participantId, 'participant'],
        ],
      );
      assert.equal(mod.client.closeInfo, undefined);
    });

    test('moderators cannot act on someone who is not in the meeting, nor mute or remove themselves', async () => {
      const { meetingId, mod } = await meeting();
      const stranger = 'A'.repeat(22);
      let id = 3000;
      for (const [method, body] of [
        ['moderation.mute', { participantId: stranger }],
        ['moderation.remove', { participantId: mod.participantId }],
        ['moderation.stopCamera', { participantId: mod.participantId }],
        ['moderation.setRole', { participantId: stranger, role: 'presenter' }],
      ] as const) {
        assert.equal(code(await raw(mod.client, id++, method, body)), 'bad_request', method);
      }
      assert.deepEqual(
        f.t.server.meetings.participants(meetingId).map((p) => p.id),
        [mod.participantId],
      );
    });
  });
}
