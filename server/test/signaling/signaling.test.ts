import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLOSE_CODES, MAX_SIGNALING_FRAME_BYTES, type ResponseFrame } from '@konvent/protocol';
import { eachBackend } from '../helpers/databases.ts';
import { SignalingClient } from '../helpers/SignalingClient.ts';
import {
  createMeeting,
  joinMeeting,
  startTestServer,
  type TestServer,
} from '../helpers/testServer.ts';

function errorCode(frame: ResponseFrame): string | undefined {
  return frame.ok ? undefined : frame.error.code;
}

for (const backend of eachBackend()) {
  describe(`signalling on ${backend.name}`, () => {
    let t: TestServer;
    let baseUrl: string;
    let wsUrl: string;
    const clients: SignalingClient[] = [];

    before(async () => {
      t = await startTestServer(backend, {
        listen: true,
        apiPerMinute: 10_000,
        meetings: { reconnectGraceMs: 300 },
        signaling: { upgradesPerMinute: 10_000 },
      });
      baseUrl = t.baseUrl ?? '';
      wsUrl = t.wsUrl ?? '';
    });
    after(async () => {
      await Promise.all(clients.map((c) => c.close()));
      await t.close();
    });

    function connect(meetingId: string, cookie?: string, origin?: string | null): SignalingClient {
      const client = SignalingClient.connect(wsUrl, meetingId, {
        ...(cookie === undefined ? {} : { cookie }),
        ...(origin === undefined ? {} : { origin }),
      });
      clients.push(client);
      return client;
    }

    /** A meeting with a connected moderator and participant who saw each other arrive. */
    async function twoPeople() {
      const m = await createMeeting(baseUrl);
      const mod = await joinMeeting(baseUrl, m.meetingId, m.moderatorToken, 'Mod');
      const ada = await joinMeeting(baseUrl, m.meetingId, m.participantToken, 'Ada');
      const modClient = connect(m.meetingId, mod.cookie);
      await modClient.notification('session.welcome');
      const adaClient = connect(m.meetingId, ada.cookie);
      await adaClient.notification('session.welcome');
      await modClient.notification(
        'participant.joined',
        (d) => d.participant.id === ada.participantId,
      );
      return { m, mod, ada, modClient, adaClient };
    }

    test('a socket without a valid session cookie is closed with 4401', async () => {
      const m = await createMeeting(baseUrl);
      const ada = await joinMeeting(baseUrl, m.meetingId, m.participantToken, 'Ada');
      const other = await createMeeting(baseUrl);
      const value = ada.cookie.split('=')[1] ?? '';
      const unsigned = value.split('.')[0] ?? '';
      for (const [meetingId, cookie] of [
        [m.meetingId, undefined],
        [m.meetingId, `kv_${m.meetingId}=${unsigned}`],
        [m.meetingId, `kv_${m.meetingId}=${unsigned}.forged`],
        [other.meetingId, ada.cookie],
        [other.meetingId, `kv_${other.meetingId}=${value}`],
      ] as const) {
        const closed = await connect(meetingId, cookie).closed;
        assert.equal(closed.code, CLOSE_CODES.unauthenticated);
      }
    });

    test('a socket from a foreign origin is closed with 1008', async () => {
      const m = await createMeeting(baseUrl);
      const ada = await joinMeeting(baseUrl, m.meetingId, m.participantToken, 'Ada');
      assert.equal(
        (await connect(m.meetingId, ada.cookie, 'https://evil.example').closed).code,
        CLOSE_CODES.policy,
      );
      assert.equal((await connect(m.meetingId, ada.cookie, null).closed).code, CLOSE_CODES.policy);
      // The refused sockets did not count as a visit.
      assert.deepEqual(t.server.meetings.participants(m.meetingId), []);
    });

    test('participants are welcomed with who is here, the chat and the router capabilities', async () => {
      const { mod, ada, modClient, adaClient } = await twoPeople();
      const welcome = await adaClient.notification('session.welcome');
      assert.equal(
        adaClient.frames[0] &&
          'notification' in adaClient.frames[0] &&
          adaClient.frames[0].notification,
        'session.welcome',
      );
      assert.equal(welcome.self.id, ada.participantId);
      assert.equal(welcome.self.role, 'participant');
      assert.deepEqual(
        welcome.participants.map((p) => [p.displayName, p.role, p.presence]),
        [
          ['Mod', 'moderator', 'online'],
          ['Ada', 'participant', 'online'],
        ],
      );
      const codecs = (
        welcome.routerRtpCapabilities as { codecs: { mimeType: string }[] }
      ).codecs.map((c) => c.mimeType);
      assert.ok(codecs.includes('audio/opus') && codecs.includes('video/VP8'));
      const joined = await modClient.notification('participant.joined');
      assert.equal(joined.participant.displayName, 'Ada');
      assert.equal((await modClient.notification('session.welcome')).self.id, mod.participantId);
    });

    test('public chat reaches everyone, private chat only its recipient', async () => {
      const { m, ada, modClient, adaClient } = await twoPeople();
      const bob = await joinMeeting(baseUrl, m.meetingId, m.participantToken, 'Bob');
      const bobClient = connect(m.meetingId, bob.cookie);
      await bobClient.notification('session.welcome');
      await adaClient.notification(
        'participant.joined',
        (d) => d.participant.id === bob.participantId,
      );

      const sent = await adaClient.request('chat.send', { text: 'Hello everyone' });
      assert.ok(sent.ok);
      const message = (sent.data as { message: { id: string; senderName: string; text: string } })
        .message;
      assert.equal(message.senderName, 'Ada');
      assert.equal((await modClient.notification('chat.message')).message.id, message.id);
      assert.equal((await bobClient.notification('chat.message')).message.text, 'Hello everyone');

      const whisper = await adaClient.request('chat.send', {
        text: 'Just for you',
        to: bob.participantId,
      });
      assert.ok(whisper.ok);
      const received = await bobClient.notification(
        'chat.message',
        (d) => d.message.to === bob.participantId,
      );
      assert.equal(received.message.text, 'Just for you');
      await sleep(100);
      assert.equal(modClient.notifications('chat.message').length, 1);
      assert.equal(adaClient.notifications('chat.message').length, 0);

      // History follows the same visibility.
      await modClient.close();
      const mod2 = connect(
        m.meetingId,
        (await joinMeeting(baseUrl, m.meetingId, m.moderatorToken, 'Mod 2')).cookie,
      );
      assert.deepEqual(
        (await mod2.notification('session.welcome')).chat.map((c) => c.text),
        ['Hello everyone'],
      );
      const bob2 = connect(m.meetingId, bob.cookie);
      assert.deepEqual(
        (await bob2.notification('session.welcome')).chat.map((c) => c.text),
        ['Hello everyone', 'Just for you'],
      );
      assert.ok(ada.participantId);
    });

    test('a participant may not end the meeting; a moderator ends it for everyone', async () => {
      const { m, mod, ada, modClient, adaClient } = await twoPeople();
      const refused = await adaClient.request('meeting.end', {});
      assert.equal(errorCode(refused), 'forbidden');
      assert.equal(t.server.meetings.participants(m.meetingId).length, 2);

      const ended = await modClient.request('meeting.end', {});
      assert.ok(ended.ok);
      assert.deepEqual(await adaClient.notification('meeting.ended'), { reason: 'ended' });
      assert.deepEqual(await modClient.notification('meeting.ended'), { reason: 'ended' });
      assert.equal((await adaClient.closed).code, CLOSE_CODES.meetingEnded);
      assert.equal((await modClient.closed).code, CLOSE_CODES.meetingEnded);
      const again = await connect(m.meetingId, ada.cookie).closed;
      assert.ok(
        [CLOSE_CODES.unauthenticated, CLOSE_CODES.meetingEnded].includes(again.code as 4401),
      );
      assert.ok(mod.participantId);
    });

    test('leaving updates the others and closes the leaver, whose session is then dead', async () => {
      const { m, ada, modClient, adaClient } = await twoPeople();
      const left = await adaClient.request('meeting.leave', {});
      assert.ok(left.ok);
      assert.equal((await adaClient.closed).code, CLOSE_CODES.normal);
      assert.deepEqual(await modClient.notification('participant.left'), {
        participantId: ada.participantId,
      });
      assert.deepEqual(
        t.server.meetings.participants(m.meetingId).map((p) => p.displayName),
        ['Mod'],
      );
      assert.equal(
        (await connect(m.meetingId, ada.cookie).closed).code,
        CLOSE_CODES.unauthenticated,
      );
    });

    test('a second socket of the same participant replaces the first', async () => {
      const { m, ada, modClient, adaClient } = await twoPeople();
      const second = connect(m.meetingId, ada.cookie);
      await second.notification('session.welcome');
      assert.deepEqual(await adaClient.notification('meeting.ended'), { reason: 'replaced' });
      assert.equal((await adaClient.closed).code, CLOSE_CODES.replaced);
      const sent = await second.request('chat.send', { text: 'still here' });
      assert.ok(sent.ok);
      await modClient.notification('chat.message');
      assert.equal(modClient.notifications('participant.left').length, 0);
      assert.equal(
        t.server.meetings.participants(m.meetingId).find((p) => p.id === ada.participantId)
          ?.presence,
        'online',
      );
    });

    test('a dropped socket shows as reconnecting, then as left after the grace period', async () => {
      const { ada, modClient, adaClient } = await twoPeople();
      adaClient.socket.terminate();
      const update = await modClient.notification(
        'participant.updated',
        (d) => d.participant.id === ada.participantId,
      );
      assert.equal(update.participant.presence, 'reconnecting');
      assert.deepEqual(await modClient.notification('participant.left', () => true, 2000), {
        participantId: ada.participantId,
      });
    });

    test('malformed frames get typed errors and too many close the socket with 4429', async () => {
      const { adaClient } = await twoPeople();
      const expectError = async (
        raw: string | Buffer,
        binary: boolean,
        code: string,
        id: number | null,
      ) => {
        const before = adaClient.frames.length;
        adaClient.sendRaw(raw, binary);
        const frame = (await adaClient.waitFor(
          (f) => 'ok' in f && adaClient.frames.indexOf(f) >= before,
        )) as ResponseFrame;
        assert.equal(errorCode(frame), code, String(raw));
        assert.equal(frame.id, id);
      };
      await expectError('not json', false, 'bad_request', null);
      await expectError(Buffer.from([1, 2, 3]), true, 'bad_request', null);
      await expectError(
        JSON.stringify({ id: 7, method: 'no.such', data: {} }),
        false,
        'unknown_method',
        7,
      );
      await expectError(
        JSON.stringify({ id: 8, method: 'chat.send', data: { text: 5 } }),
        false,
        'bad_request',
        8,
      );
      await expectError(JSON.stringify({ id: 9, method: 'chat.send' }), false, 'bad_request', 9);
      await expectError(
        '{"id":10,"method":"chat.send","data":{"text":"x","__proto__":{"a":1}}}',
        false,
        'bad_request',
        10,
      );
      const detail = await adaClient.request('media.setPreferredLayers', {
        consumerId: 'x',
        spatialLayer: 7,
      });
      assert.ok(
        !detail.ok && detail.error.message.startsWith('/data/spatialLayer'),
        JSON.stringify(detail),
      );
      for (let i = 0; i < 60; i++) adaClient.sendRaw('{');
      assert.equal((await adaClient.closed).code, CLOSE_CODES.abuse);
    });

    test('a frame above the size limit closes the socket with 1009', async () => {
      const { adaClient } = await twoPeople();
      adaClient.sendRaw(
        JSON.stringify({
          id: 1,
          method: 'chat.send',
          data: { text: 'x'.repeat(MAX_SIGNALING_FRAME_BYTES) },
        }),
      );
      assert.equal((await adaClient.closed).code, CLOSE_CODES.tooLarge);
    });

    test('a burst beyond the rate limit is answered with rate_limited, in order, without closing', async () => {
      const { adaClient } = await twoPeople();
      for (let i = 1001; i <= 1130; i++) {
        adaClient.sendRaw(
          JSON.stringify({
            id: i,
            method: 'media.setConsumerVisible',
            data: { consumerId: 'nope', visible: true },
          }),
        );
      }
      await adaClient.waitFor(() => adaClient.frames.filter((f) => 'ok' in f).length >= 130);
      const replies = adaClient.frames.filter((f): f is ResponseFrame => 'ok' in f);
      const limited = replies.filter((r) => errorCode(r) === 'rate_limited');
      assert.ok(limited.length >= 1 && limited.length <= 40, String(limited.length));
      const answered = replies.filter((r) => r.id !== null).map((r) => r.id);
      assert.deepEqual(
        answered,
        [...answered].sort((a, b) => Number(a) - Number(b)),
      );
      const ok = await adaClient
        .request('chat.send', { text: 'after the burst' })
        .catch(() => undefined);
      assert.ok(ok === undefined || errorCode(ok) === 'rate_limited' || ok.ok);
      assert.equal(adaClient.socket.readyState, adaClient.socket.OPEN);
    });
  });
}
