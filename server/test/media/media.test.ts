import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ResponseData, ResponseFrame } from '@konvent/protocol';
import { eachBackend } from '../helpers/databases.ts';
import { SignalingClient } from '../helpers/SignalingClient.ts';
import {
  createMeeting,
  joinMeeting,
  startTestServer,
  type TestServer,
} from '../helpers/testServer.ts';

/** RTP parameters a browser would send for Opus (mediasoup accepts them without DTLS). */
const OPUS = {
  mid: '0',
  codecs: [
    {
      mimeType: 'audio/opus',
      payloadType: 111,
      clockRate: 48000,
      channels: 2,
      parameters: {},
      rtcpFeedback: [],
    },
  ],
  headerExtensions: [],
  encodings: [{ ssrc: 11111111 }],
  rtcp: { cname: 'test' },
};
const VP8 = {
  mid: '1',
  codecs: [
    { mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, parameters: {}, rtcpFeedback: [] },
  ],
  headerExtensions: [],
  encodings: [{ ssrc: 22222222 }],
  rtcp: { cname: 'test' },
};
const DTLS = {
  role: 'client',
  fingerprints: [{ algorithm: 'sha-256', value: 'AB:'.repeat(31) + 'AB' }],
};

function code(frame: ResponseFrame): string | undefined {
  return frame.ok ? undefined : frame.error.code;
}

function data(frame: ResponseFrame): unknown {
  assert.ok(frame.ok, JSON.stringify(frame));
  return frame.data;
}

const [backend] = eachBackend();
if (backend === undefined) throw new Error('no backend');

describe('media over signalling', () => {
  let t: TestServer;
  const clients: SignalingClient[] = [];

  before(async () => {
    t = await startTestServer(backend, {
      listen: true,
      apiPerMinute: 10_000,
      signaling: { upgradesPerMinute: 10_000 },
    });
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await t.close();
  });

  async function meetingWith(...names: string[]) {
    const baseUrl = t.baseUrl ?? '';
    const m = await createMeeting(baseUrl);
    const people = [];
    for (const name of names) {
      const joined = await joinMeeting(baseUrl, m.meetingId, m.participantToken, name);
      const client = SignalingClient.connect(t.wsUrl ?? '', m.meetingId, { cookie: joined.cookie });
      clients.push(client);
      const welcome = await client.notification('session.welcome');
      people.push({ ...joined, client, caps: welcome.routerRtpCapabilities });
    }
    return { meetingId: m.meetingId, people };
  }

  const snapshot = (meetingId: string) => JSON.stringify(t.server.media.snapshot(meetingId));

  test('transports are limited to one send and one receive transport per connection', async () => {
    const { people } = await meetingWith('Ada');
    const ada = people[0];
    assert.ok(ada);
    const send = data(
      await ada.client.request('media.createTransport', { direction: 'send' }),
    ) as ResponseData<'media.createTransport'>;
    assert.ok(send.id.length > 0);
    assert.ok(send.iceCandidates.length > 0);
    assert.ok(send.iceCandidates.every((c) => (c as { ip: string }).ip === '127.0.0.1'));
    assert.equal(
      code(await ada.client.request('media.createTransport', { direction: 'send' })),
      'conflict',
    );
    data(await ada.client.request('media.createTransport', { direction: 'recv' }));
    assert.equal(
      code(await ada.client.request('media.createTransport', { direction: 'recv' })),
      'conflict',
    );
  });

  test("nobody can use another participant's transport, and bad produce requests change nothing", async () => {
    const { meetingId, people } = await meetingWith('Ada', 'Bob');
    const [ada, bob] = people;
    assert.ok(ada && bob);
    const adaSend = data(
      await ada.client.request('media.createTransport', { direction: 'send' }),
    ) as { id: string };
    const bobSend = data(
      await bob.client.request('media.createTransport', { direction: 'send' }),
    ) as { id: string };
    const bobRecv = data(
      await bob.client.request('media.createTransport', { direction: 'recv' }),
    ) as { id: string };
    const before = snapshot(meetingId);

    const attempts: [Parameters<SignalingClient['request']>, string][] = [
      [
        [
          'media.produce',
          { transportId: bobSend.id, kind: 'audio', source: 'microphone', rtpParameters: OPUS },
        ],
        'bad_request',
      ],
      [
        ['media.connectTransport', { transportId: bobSend.id, dtlsParameters: DTLS }],
        'bad_request',
      ],
      [
        [
          'media.produce',
          { transportId: adaSend.id, kind: 'video', source: 'microphone', rtpParameters: VP8 },
        ],
        'bad_request',
      ],
      [
        [
          'media.produce',
          { transportId: adaSend.id, kind: 'audio', source: 'camera', rtpParameters: OPUS },
        ],
        'bad_request',
      ],
      [
        [
          'media.produce',
          {
            transportId: 'no-such-transport',
            kind: 'audio',
            source: 'microphone',
            rtpParameters: OPUS,
          },
        ],
        'bad_request',
      ],
      [
        [
          'media.produce',
          { transportId: adaSend.id, kind: 'audio', source: 'microphone', rtpParameters: {} },
        ],
        'media_error',
      ],
      [
        [
          'media.produce',
          {
            transportId: adaSend.id,
            kind: 'audio',
            source: 'microphone',
            rtpParameters: { codecs: 'opus', encodings: 5 },
          },
        ],
        'media_error',
      ],
      [
        [
          'media.produce',
          {
            transportId: adaSend.id,
            kind: 'audio',
            source: 'microphone',
            rtpParameters: {
              ...OPUS,
              codecs: [{ mimeType: 'audio/evil', payloadType: 1, clockRate: 1 }],
            },
          },
        ],
        'media_error',
      ],
      [
        [
          'media.produce',
          { transportId: adaSend.id, kind: 'video', source: 'camera', rtpParameters: OPUS },
        ],
        'bad_request',
      ],
      [
        [
          'media.connectTransport',
          { transportId: adaSend.id, dtlsParameters: { role: 'x', fingerprints: 'no' } },
        ],
        'media_error',
      ],
      [['media.setProducerPaused', { producerId: 'nope', paused: true }], 'bad_request'],
      [['media.closeProducer', { producerId: 'nope' }], 'bad_request'],
      [['media.setConsumerVisible', { consumerId: 'nope', visible: true }], 'bad_request'],
      [['media.setRtpCapabilities', { rtpCapabilities: { codecs: 'garbage' } }], 'media_error'],
    ];
    for (const [[method, body], expected] of attempts) {
      const reply: ResponseFrame = await ada.client.request(method, body);
      assert.equal(code(reply), expected, `${method} ${JSON.stringify(body).slice(0, 100)}`);
    }
    assert.equal(snapshot(meetingId), before);
    assert.ok(t.server.meetings.participants(meetingId).every((p) => !p.microphone && !p.camera));
    assert.ok(bobRecv.id);
  });

  test('a producer is consumed paused by the others, follows visibility, pause and close', async () => {
    const { meetingId, people } = await meetingWith('Ada', 'Bob');
    const [ada, bob] = people;
    assert.ok(ada && bob);
    // Bob can receive before Ada sends; Ada's producer reaches him as it appears.
    data(await bob.client.request('media.setRtpCapabilities', { rtpCapabilities: bob.caps }));
    assert.equal(
      code(await bob.client.request('media.setRtpCapabilities', { rtpCapabilities: bob.caps })),
      'conflict',
    );
    data(await bob.client.request('media.createTransport', { direction: 'recv' }));
    const adaSend = data(
      await ada.client.request('media.createTransport', { direction: 'send' }),
    ) as { id: string };
    const { producerId } = data(
      await ada.client.request('media.produce', {
        transportId: adaSend.id,
        kind: 'audio',
        source: 'microphone',
        rtpParameters: OPUS,
      }),
    ) as { producerId: string };
    assert.equal(
      code(
        await ada.client.request('media.produce', {
          transportId: adaSend.id,
          kind: 'audio',
          source: 'microphone',
          rtpParameters: OPUS,
        }),
      ),
      'conflict',
    );
    const consumer = await bob.client.notification('media.newConsumer');
    assert.equal(consumer.producerId, producerId);
    assert.equal(consumer.participantId, ada.participantId);
    assert.equal(consumer.source, 'microphone');
    assert.equal(consumer.kind, 'audio');
    assert.equal(consumer.producerPaused, false);
    const adaState = await bob.client.notification(
      'participant.updated',
      (d) => d.participant.id === ada.participantId && d.participant.microphone,
    );
    assert.equal(adaState.participant.camera, false);

    const bobConsumers = () =>
      t.server.media.snapshot(meetingId).find((p) => p.participantId === bob.participantId)
        ?.consumers;
    assert.equal(bobConsumers()?.[0]?.paused, true);
    data(
      await bob.client.request('media.setConsumerVisible', {
        consumerId: consumer.consumerId,
        visible: true,
      }),
    );
    assert.equal(bobConsumers()?.[0]?.paused, false);
    data(
      await bob.client.request('media.setConsumerVisible', {
        consumerId: consumer.consumerId,
        visible: false,
      }),
    );
    assert.equal(bobConsumers()?.[0]?.paused, true);
    assert.equal(
      code(
        await bob.client.request('media.setPreferredLayers', {
          consumerId: consumer.consumerId,
          spatialLayer: 1,
        }),
      ),
      'bad_request',
    );
    // Ada may not touch Bob's consumer, nor Bob Ada's producer.
    assert.equal(
      code(
        await ada.client.request('media.setConsumerVisible', {
          consumerId: consumer.consumerId,
          visible: true,
        }),
      ),
      'bad_request',
    );
    assert.equal(
      code(await bob.client.request('media.setProducerPaused', { producerId, paused: true })),
      'bad_request',
    );
    assert.equal(
      code(await bob.client.request('media.closeProducer', { producerId })),
      'bad_request',
    );

    data(await ada.client.request('media.setProducerPaused', { producerId, paused: true }));
    assert.deepEqual(await bob.client.notification('media.producerPaused'), {
      consumerId: consumer.consumerId,
      paused: true,
    });
    await bob.client.notification(
      'participant.updated',
      (d) => d.participant.id === ada.participantId && !d.participant.microphone,
    );
    data(await ada.client.request('media.setProducerPaused', { producerId, paused: false }));
    await bob.client.notification('media.producerPaused', (d) => !d.paused);

    data(await ada.client.request('media.closeProducer', { producerId }));
    assert.deepEqual(await bob.client.notification('media.consumerClosed'), {
      consumerId: consumer.consumerId,
    });
    assert.deepEqual(bobConsumers(), []);
  });

  test("a receiver that joins later consumes existing producers, and a leaver's media is released", async () => {
    const { meetingId, people } = await meetingWith('Ada', 'Bob');
    const [ada, bob] = people;
    assert.ok(ada && bob);
    const adaSend = data(
      await ada.client.request('media.createTransport', { direction: 'send' }),
    ) as { id: string };
    data(
      await ada.client.request('media.produce', {
        transportId: adaSend.id,
        kind: 'audio',
        source: 'microphone',
        rtpParameters: OPUS,
      }),
    );
    data(
      await ada.client.request('media.produce', {
        transportId: adaSend.id,
        kind: 'video',
        source: 'camera',
        rtpParameters: VP8,
      }),
    );
    data(await bob.client.request('media.createTransport', { direction: 'recv' }));
    data(await bob.client.request('media.setRtpCapabilities', { rtpCapabilities: bob.caps }));
    await bob.client.notification('media.newConsumer', (d) => d.kind === 'video');
    await bob.client.notification('media.newConsumer', (d) => d.kind === 'audio');
    const video = bob.client.notifications('media.newConsumer').find((c) => c.kind === 'video');
    assert.ok(video);
    data(
      await bob.client.request('media.setPreferredLayers', {
        consumerId: video.consumerId,
        spatialLayer: 0,
      }),
    );

    data(await ada.client.request('meeting.leave', {}));
    await bob.client.notification('participant.left');
    await bob.client.waitFor(() => bob.client.notifications('media.consumerClosed').length === 2);
    await sleep(20);
    const peers = t.server.media.snapshot(meetingId);
    assert.deepEqual(
      peers.map((p) => p.participantId),
      [bob.participantId],
    );
    assert.deepEqual(peers[0]?.consumers, []);
  });

  test('a closed socket releases its media; the next socket starts fresh', async () => {
    const { meetingId, people } = await meetingWith('Ada');
    const ada = people[0];
    assert.ok(ada);
    const send = data(await ada.client.request('media.createTransport', { direction: 'send' })) as {
      id: string;
    };
    data(
      await ada.client.request('media.produce', {
        transportId: send.id,
        kind: 'audio',
        source: 'microphone',
        rtpParameters: OPUS,
      }),
    );
    assert.equal(t.server.meetings.participants(meetingId)[0]?.microphone, true);
    await ada.client.close();
    await sleep(50);
    assert.deepEqual(t.server.media.snapshot(meetingId), []);
    assert.equal(t.server.meetings.participants(meetingId)[0]?.microphone, false);
    const again = SignalingClient.connect(t.wsUrl ?? '', meetingId, { cookie: ada.cookie });
    clients.push(again);
    await again.notification('session.welcome');
    assert.equal(
      code(
        await again.request('media.produce', {
          transportId: send.id,
          kind: 'audio',
          source: 'microphone',
          rtpParameters: OPUS,
        }),
      ),
      'bad_request',
    );
    data(await again.request('media.createTransport', { direction: 'send' }));
  });

  test('a dead media worker fails health, makes its meetings reconnect, and is restarted', async () => {
    const { people } = await meetingWith('Ada');
    const ada = people[0];
    assert.ok(ada);
    const [load] = t.server.media.workerLoads();
    assert.ok(load?.pid !== undefined);
    process.kill(load.pid, 'SIGKILL');
    assert.equal((await ada.client.closed).code, 1012);
    const down = await t.server.app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(down.statusCode, 503);
    let healthy = false;
    for (let i = 0; i < 50 && !healthy; i++) {
      await sleep(100);
      healthy = (await t.server.app.inject({ method: 'GET', url: '/healthz' })).statusCode === 200;
    }
    assert.ok(healthy, 'the worker came back');
    const again = SignalingClient.connect(t.wsUrl ?? '', ada.meetingId, { cookie: ada.cookie });
    clients.push(again);
    const welcome = await again.notification('session.welcome');
    assert.ok((welcome.routerRtpCapabilities as { codecs: unknown[] }).codecs.length > 0);
  });
});
