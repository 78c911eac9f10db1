import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { OPEN_LOCKS } from '@konvent/protocol';
import { auditRows } from '../helpers/auditRows.ts';
import { eachBackend } from '../helpers/databases.ts';
import { signalingFixture, type Person } from '../helpers/signalingFixture.ts';
import { code, data, until } from '../helpers/signalingKit.ts';
import { joinMeeting } from '../helpers/testServer.ts';

for (const backend of eachBackend()) {
  describe(`meeting locks on ${backend.name}`, () => {
    const f = signalingFixture(backend);
    const { connect, meeting, produce, produceReply, receive } = f;

    function producers(meetingId: string, participantId: string) {
      return (
        f.t.server.media.snapshot(meetingId).find((p) => p.participantId === participantId)
          ?.producers ?? []
      );
    }

    function consumers(meetingId: string, participantId: string) {
      return (
        f.t.server.media.snapshot(meetingId).find((p) => p.participantId === participantId)
          ?.consumers ?? []
      );
    }

    function audit(meetingId: string, action?: string) {
      return auditRows(f.t, meetingId, action);
    }

    async function setLocks(person: Person, locks: Partial<typeof OPEN_LOCKS>) {
      return person.client.request('moderation.setLocks', { locks });
    }

    test('locks start open and come with the welcome; a change reaches everyone, is audited with what changed, and a reconnecting client sees it', async () => {
      const { meetingId, mod, others } = await meeting('Ada');
      const [ada] = others;
      assert.ok(ada);
      assert.deepEqual(mod.welcome.locks, OPEN_LOCKS);
      assert.deepEqual(ada.welcome.locks, OPEN_LOCKS);

      const reply = data(await setLocks(mod, { publicChat: true, microphones: true }));
      const expected = { ...OPEN_LOCKS, publicChat: true, microphones: true };
      assert.deepEqual(reply, { locks: expected });
      assert.deepEqual(await ada.client.notification('meeting.locksChanged'), { locks: expected });
      assert.deepEqual(await mod.client.notification('meeting.locksChanged'), { locks: expected });

      // Setting a lock to what it already is changes nothing and records nothing.
      data(await setLocks(mod, { publicChat: true }));
      const events = await audit(meetingId, 'moderation.locks_changed');
      const [event, ...more] = events;
      assert.ok(event);
      assert.equal(more.length, 0);
      assert.deepEqual([event.outcome, event.actor], ['success', mod.participantId]);
      assert.match(event.content, /"details":\{"microphones":true,"publicChat":true\}/);

      await ada.client.close();
      const again = connect(meetingId, ada.cookie);
      assert.deepEqual((await again.notification('session.welcome')).locks, expected);
    });

    test('a microphone lock mutes unmuted participants at once and refuses their audio, while a moderator still speaks; unlocked, they may unmute', async () => {
      const { meetingId, mod, others } = await meeting('Ada');
      const [ada] = others;
      assert.ok(ada);
      const adaMic = await produce(ada, 'microphone');
      await produce(mod, 'microphone');
      await until(() => producers(meetingId, ada.participantId)[0]?.paused === false);

      data(await setLocks(mod, { microphones: true }));
      assert.deepEqual(await ada.client.notification('moderation.sourceStopped'), {
        source: 'microphone',
      });
      await until(() => producers(meetingId, ada.participantId)[0]?.paused === true);
      assert.equal(producers(meetingId, mod.participantId)[0]?.paused, false);

      const unmute = await ada.client.request('media.setProducerPaused', {
        producerId: adaMic,
        paused: false,
      });
      assert.equal(code(unmute), 'forbidden');
      assert.equal(producers(meetingId, ada.participantId)[0]?.paused, true);
      // Pausing stays allowed.
      data(
        await ada.client.request('media.setProducerPaused', { producerId: adaMic, paused: true }),
      );
      data(await ada.client.request('media.closeProducer', { producerId: adaMic }));
      assert.equal(code(await produceReply(ada, 'microphone')), 'forbidden');
      assert.equal(producers(meetingId, ada.participantId).length, 0);
      assert.equal(mod.client.notifications('moderation.sourceStopped').length, 0);

      data(await setLocks(mod, { microphones: false }));
      await produce(ada, 'microphone');
      assert.equal(producers(meetingId, ada.participantId)[0]?.paused, false);
    });

    test('a camera lock stops running participant cameras and refuses new ones, not a moderator’s', async () => {
      const { meetingId, mod, others } = await meeting('Ada');
      const [ada] = others;
      assert.ok(ada);
      await produce(ada, 'camera');
      await produce(mod, 'camera');
      data(await setLocks(mod, { cameras: true }));
      assert.deepEqual(await ada.client.notification('moderation.sourceStopped'), {
        source: 'camera',
      });
      await until(() => producers(meetingId, ada.participantId).length === 0);
      assert.equal(producers(meetingId, mod.participantId).length, 1);
      assert.equal(code(await produceReply(ada, 'camera')), 'forbidden');
      // A microphone is another lock.
      await produce(ada, 'microphone');
    });

    test('chat locks refuse public and private messages from participants, not from moderators', async () => {
      const { mod, others } = await meeting('Ada', 'Bob');
      const [ada, bob] = others;
      assert.ok(ada && bob);
      data(await setLocks(mod, { publicChat: true }));
      assert.equal(code(await ada.client.request('chat.send', { text: 'hi all' })), 'forbidden');
      data(await ada.client.request('chat.send', { text: 'psst', to: bob.participantId }));
      data(await mod.client.request('chat.send', { text: 'only I speak' }));

      data(await setLocks(mod, { publicChat: false, privateChat: true }));
      assert.equal(
        code(await ada.client.request('chat.send', { text: 'psst', to: bob.participantId })),
        'forbidden',
      );
      data(await ada.client.request('chat.send', { text: 'hi all' }));
      data(await mod.client.request('chat.send', { text: 'to Ada', to: ada.participantId }));
      await sleep(100);
      assert.deepEqual(
        bob.client.notifications('chat.message').map((n) => n.message.text),
        ['psst', 'only I speak', 'hi all'],
      );
    });

    test('a participant-list lock shows participants only moderators and themselves, live and on reconnect; unlocking brings the others back', async () => {
      const { meetingId, mod, others } = await meeting('Ada', 'Bob');
      const [ada, bob] = others;
      assert.ok(ada && bob);
      data(await setLocks(mod, { participantList: true }));
      await ada.client.notification(
        'participant.left',
        (d) => d.participantId === bob.participantId,
      );
      await bob.client.notification(
        'participant.left',
        (d) => d.participantId === ada.participantId,
      );
      await ada.client.close();
      const adaAgain = connect(meetingId, ada.cookie);
      const welcome = await adaAgain.notification('session.welcome');
      assert.deepEqual(
        welcome.participants.map((p) => p.displayName),
        ['Mod', 'Ada'],
      );
      // Moderators see everyone, including Ada coming back; Bob is not told about her.
      await mod.client.notification(
        'participant.updated',
        (d) => d.participant.id === ada.participantId && d.participant.presence === 'online',
      );
      await sleep(100);
      assert.ok(
        bob.client
          .notifications('participant.updated')
          .every((d) => d.participant.id !== ada.participantId),
      );
      // Whom she cannot see she cannot whisper to.
      assert.equal(
        code(await adaAgain.request('chat.send', { text: 'psst', to: bob.participantId })),
        'bad_request',
      );

      data(await setLocks(mod, { participantList: false }));
      await adaAgain.notification(
        'participant.joined',
        (d) => d.participant.id === bob.participantId,
      );
      await bob.client.notification(
        'participant.joined',
        (d) => d.participant.id === ada.participantId,
      );
    });

    test('with other cameras hidden, participants receive only moderators’ video; their consumers of others close, audio stays', async () => {
      const { meetingId, mod, others } = await meeting('Ada', 'Bob');
      const [ada, bob] = others;
      assert.ok(ada && bob);
      await receive(ada);
      await receive(mod);
      await produce(bob, 'camera');
      await produce(bob, 'microphone');
      await produce(mod, 'camera');
      await until(() => consumers(meetingId, ada.participantId).length === 3);
      const bobCamera = producers(meetingId, bob.participantId).find((p) => p.source === 'camera');
      assert.ok(bobCamera);
      const closed = ada.client
        .notifications('media.newConsumer')
        .find((n) => n.producerId === bobCamera.id);
      assert.ok(closed);

      data(await setLocks(mod, { seeCameras: true }));
      await ada.client.notification(
        'media.consumerClosed',
        (d) => d.consumerId === closed.consumerId,
      );
      assert.equal(consumers(meetingId, ada.participantId).length, 2);
      // The moderator still receives Bob's camera.
      assert.equal(consumers(meetingId, mod.participantId).length, 2);

      data(await setLocks(mod, { seeCameras: false }));
      await until(() => consumers(meetingId, ada.participantId).length === 3);
    });

    test('a locked meeting sends a new arrival to the lobby (audited) but lets a participant reconnect and a moderator join', async () => {
      const { m, meetingId, mod, others } = await meeting('Ada');
      const [ada] = others;
      assert.ok(ada);
      data(await setLocks(mod, { meeting: true }));
      const late = await joinMeeting(f.baseUrl, meetingId, m.participantToken, 'Late');
      assert.equal(late.admission, 'waiting');
      const lobby = await mod.client.notification('lobby.changed', (d) =>
        d.waiting.some((w) => w.id === late.participantId),
      );
      assert.deepEqual(
        lobby.waiting.map((w) => w.displayName),
        ['Late'],
      );
      assert.ok(
        !f.t.server.meetings.participants(meetingId).some((p) => p.id === late.participantId),
      );
      const joins = await audit(meetingId, 'meeting.joined');
      const waiting = joins.find((e) => e.actor === late.participantId);
      assert.equal(waiting?.outcome, 'success');
      assert.match(waiting.content, /"admission":"waiting"/);

      await ada.client.close();
      const again = connect(meetingId, ada.cookie);
      assert.equal((await again.notification('session.welcome')).self.id, ada.participantId);
      const cohost = await joinMeeting(f.baseUrl, meetingId, m.moderatorToken, 'Co-host');
      assert.equal(cohost.admission, 'admitted');

      data(await setLocks(mod, { meeting: false }));
      const later = await joinMeeting(f.baseUrl, meetingId, m.participantToken, 'Later');
      assert.equal(later.admission, 'admitted');
    });

    test('a participant who tries to set locks is refused, audited as denied, and nothing changes', async () => {
      const { meetingId, mod, others } = await meeting('Ada');
      const [ada] = others;
      assert.ok(ada);
      assert.equal(code(await setLocks(ada, { microphones: true, meeting: true })), 'forbidden');
      const events = await audit(meetingId, 'moderation.locks_changed');
      assert.deepEqual(
        events.map((e) => [e.outcome, e.actor, e.target]),
        [['denied', ada.participantId, meetingId]],
      );
      await sleep(100);
      assert.equal(mod.client.notifications('meeting.locksChanged').length, 0);
      assert.deepEqual(f.t.server.meetings.participants(meetingId).length, 2);
      await produce(ada, 'microphone');
      data(await ada.client.request('chat.send', { text: 'still here' }));
      // A forged lock name is refused by the schema.
      const forged = await ada.client.request('moderation.setLocks', {
        locks: { everything: true } as never,
      });
      assert.equal(code(forged), 'bad_request');
    });

    test('demoting a moderator under a microphone lock mutes them; promoting a participant frees them', async () => {
      const { meetingId, mod, others } = await meeting('Ada');
      const [ada] = others;
      assert.ok(ada);
      data(await setLocks(mod, { microphones: true }));
      data(
        await mod.client.request('moderation.setRole', {
          participantId: ada.participantId,
          role: 'moderator',
        }),
      );
      await produce(ada, 'microphone');
      data(
        await mod.client.request('moderation.setRole', {
          participantId: ada.participantId,
          role: 'participant',
        }),
      );
      await ada.client.notification('moderation.sourceStopped');
      await until(() => producers(meetingId, ada.participantId)[0]?.paused === true);
    });
  });
}
