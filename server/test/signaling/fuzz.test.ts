/**
 * Fuzzes the signalling endpoint with at least 10,000 random and malformed frames over
 * several sockets and checks that each gets a typed error or an abuse close, that the
 * server keeps serving, and that no state changed. Failures reproduce with the printed
 * seed: FUZZ_SEED=<seed> node --test server/test/signaling/fuzz.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CLOSE_CODES,
  MAX_SIGNALING_FRAME_BYTES,
  METHODS,
  isErrorCode,
  signalingPath,
} from '@konvent/protocol';
import WebSocket from 'ws';
import { eachBackend } from '../helpers/databases.ts';
import { SignalingClient } from '../helpers/SignalingClient.ts';
import {
  createMeeting,
  joinMeeting,
  startTestServer,
  type TestJoin,
  type TestServer,
} from '../helpers/testServer.ts';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20261126);
const TOTAL_FRAMES = 10_000;
const WORKERS = 4;
/** Codes a frame-level failure may produce. */
const FRAME_ERRORS = new Set(['bad_request', 'unknown_method', 'rate_limited']);
/** Ways the server may end a fuzzing socket. */
const ABUSE_CLOSES = new Set<number>([
  CLOSE_CODES.abuse,
  CLOSE_CODES.tooLarge,
  1007,
  CLOSE_CODES.policy,
]);

/** mulberry32: small, fast and seedable, so a failing run can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

interface Frame {
  data: string | Buffer;
  binary: boolean;
}

/** Builds frames that are invalid at the frame level: none may ever succeed. */
function generator(random: () => number) {
  const int = (max: number) => Math.floor(random() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const text = (length: number) => {
    let out = '';
    for (let i = 0; i < length; i++) out += String.fromCharCode(32 + int(95));
    return out;
  };
  const json = (value: unknown): Frame => ({ data: JSON.stringify(value), binary: false });
  const raw = (value: string): Frame => ({ data: value, binary: false });
  const weird = () =>
    pick<unknown>([
      null,
      true,
      -1,
      0,
      1.5,
      2 ** 53,
      '',
      'x',
      [],
      [1],
      {},
      { a: 1 },
      text(20),
      -0,
      1e300,
    ]);
  const id = () => 1 + int(1000);

  /** A method with data that breaks its schema (a wrong type, a missing or extra field). */
  const badData = (): unknown => {
    switch (pick(METHODS)) {
      case 'media.setRtpCapabilities':
        return {
          method: 'media.setRtpCapabilities',
          data: pick([
            {},
            { rtpCapabilities: pick([null, 1, 'x', []]) },
            { rtpCapabilities: {}, x: 1 },
          ]),
        };
      case 'media.createTransport':
        return {
          method: 'media.createTransport',
          data: pick([
            {},
            { direction: pick(['sideways', '', 1, null, ['send']]) },
            { direction: 'send', extra: true },
          ]),
        };
      case 'media.connectTransport':
        return {
          method: 'media.connectTransport',
          data: pick([
            { transportId: 'x' },
            { dtlsParameters: {} },
            { transportId: 'x'.repeat(65), dtlsParameters: {} },
            { transportId: 5, dtlsParameters: {} },
          ]),
        };
      case 'media.produce':
        return {
          method: 'media.produce',
          data: pick([
            { transportId: 't', kind: 'audio', source: 'microphone' },
            { transportId: 't', kind: 'data', source: 'microphone', rtpParameters: {} },
            { transportId: 't', kind: 'audio', source: 'printer', rtpParameters: {} },
            { transportId: 't', kind: 'audio', source: 'microphone', rtpParameters: [] },
            {
              transportId: 't',
              kind: 'audio',
              source: 'microphone',
              rtpParameters: {},
              paused: true,
            },
          ]),
        };
      case 'media.setProducerPaused':
        return {
          method: 'media.setProducerPaused',
          data: pick([
            { producerId: 'p' },
            { producerId: 'p', paused: 'yes' },
            { paused: true },
            { producerId: 'p', paused: 0 },
          ]),
        };
      case 'media.closeProducer':
        return {
          method: 'media.closeProducer',
          data: pick([{}, { producerId: null }, { producerId: 'p', force: true }]),
        };
      case 'media.setConsumerVisible':
        return {
          method: 'media.setConsumerVisible',
          data: pick([{ consumerId: 'c' }, { consumerId: 'c', visible: 1 }, { visible: true }]),
        };
      case 'media.setPreferredLayers':
        return {
          method: 'media.setPreferredLayers',
          data: pick([
            { consumerId: 'c', spatialLayer: pick([-1, 3, 1.5, '1', null]) },
            { consumerId: 'c' },
          ]),
        };
      case 'chat.send':
        return {
          method: 'chat.send',
          data: pick([
            {},
            { text: '' },
            { text: 'x'.repeat(4001) },
            { text: pick([1, null, [], {}]) },
            { text: 'hi', to: pick(['', 'short', 'A'.repeat(23), 5, null]) },
            { text: 'hi', from: 'A'.repeat(22) },
            { text: 'hi', role: 'moderator' },
          ]),
        };
      case 'meeting.leave':
        return { method: 'meeting.leave', data: pick([{ now: true }, { reason: 'x' }]) };
      case 'meeting.end':
        return {
          method: 'meeting.end',
          data: pick([{ force: true }, { participantId: 'A'.repeat(22) }]),
        };
      case 'moderation.mute':
      case 'moderation.stopCamera':
      case 'moderation.muteAll':
        return {
          method: pick(['moderation.mute', 'moderation.stopCamera', 'moderation.muteAll']),
          data: pick([
            { participantId: pick(['', 'short', 'A'.repeat(23), 5, null]) },
            { participantId: 'A'.repeat(22), role: 'moderator' },
            { participantId: 'A'.repeat(22), from: 'B'.repeat(22) },
          ]),
        };
      case 'moderation.remove':
        return {
          method: 'moderation.remove',
          data: pick([
            {},
            { participantId: 'A'.repeat(22), ban: pick(['yes', 1, null]) },
            { participantId: 'A'.repeat(22), sender: 'B'.repeat(22) },
          ]),
        };
      case 'moderation.setRole':
        return {
          method: 'moderation.setRole',
          data: pick([
            { participantId: 'A'.repeat(22) },
            { participantId: 'A'.repeat(22), role: pick(['guest', 'admin', '', null]) },
            { participantId: 'A'.repeat(22), role: 'moderator', actorRole: 'moderator' },
          ]),
        };
      case 'moderation.setLocks':
        return {
          method: 'moderation.setLocks',
          data: pick([
            {},
            { locks: pick([null, true, [], 'all']) },
            { locks: { microphones: pick(['yes', 1, null]) } },
            { locks: { everything: true } },
            { locks: { meeting: true }, actorRole: 'moderator' },
          ]),
        };
    }
  };

  const deep = (depth: number, open: string, close: string) =>
    open.repeat(depth) + close.repeat(depth);

  const strategies: (() => Frame)[] = [
    () => ({
      data: Buffer.from(Array.from({ length: 1 + int(200) }, () => int(256))),
      binary: true,
    }),
    () => ({
      data: Buffer.concat([
        Buffer.from('{"id":1,"method":"chat.send","data":{"text":"'),
        Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
        Buffer.from('"}}'),
      ]),
      binary: false,
    }),
    () => raw(text(1 + int(300))),
    () =>
      raw(
        pick([
          '',
          ' ',
          '{',
          '}',
          '[',
          '{"id":',
          'nul',
          '"unterminated',
          '{"id":1,}',
          "{'id':1}",
          '\u0000',
        ]),
      ),
    () => json(weird()),
    () =>
      json(
        pick([
          { id: id() },
          { method: 'chat.send' },
          { id: id(), method: 'chat.send' },
          { data: {} },
          { id: id(), data: {} },
        ]),
      ),
    () =>
      json({
        id: pick(['1', 0, -5, 1.5, 2 ** 31, null, [], {}, true]),
        method: 'chat.send',
        data: { text: 'hi' },
      }),
    () => json({ id: id(), method: pick([1, null, {}, [], true, 'x'.repeat(65)]), data: {} }),
    () => json({ id: id(), method: 'chat.send', data: pick([null, [], 'text', 5, true]) }),
    () =>
      json({
        id: id(),
        method: 'chat.send',
        data: { text: 'hi' },
        [pick(['extra', 'role', 'participantId', 'meetingId'])]: 'x',
      }),
    () =>
      json({
        id: id(),
        method: pick([
          'no.such',
          'toString',
          'constructor',
          'hasOwnProperty',
          '__proto__',
          'valueOf',
          'media.',
          'CHAT.SEND',
          text(10),
          '',
        ]),
        data: {},
      }),
    () => json({ id: id(), ...(badData() as object) }),
    () =>
      raw(
        `{"id":${id()},"method":"chat.send","data":{"text":"hi","${pick(['__proto__', 'constructor', 'prototype'])}":{"polluted":true}}}`,
      ),
    () =>
      raw(`{"__proto__":{"polluted":true},"id":${id()},"method":"chat.send","data":{"text":"hi"}}`),
    () =>
      raw(
        `{"id":${id()},"method":"media.produce","data":{"transportId":"t","kind":"audio","source":"microphone","rtpParameters":{"codecs":[{"a":{"b":{"constructor":{"prototype":{"polluted":true}}}}}]}}}`,
      ),
    () =>
      raw(
        `{"id":${id()},"method":"media.setRtpCapabilities","data":{"rtpCapabilities":{"x":${deep(33 + int(20_000), '[', ']')}}}}`,
      ),
    () =>
      raw(
        `{"id":${id()},"method":"media.setRtpCapabilities","data":{"rtpCapabilities":${'{"a":'.repeat(40 + int(3000))}1`,
      ),
    () => {
      const depth = 40 + int(3000);
      return raw(
        `{"id":${id()},"method":"media.setRtpCapabilities","data":{"rtpCapabilities":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}}`,
      );
    },
    () =>
      raw(
        `{"id":${id()},"method":"chat.send","data":{"text":"${'x'.repeat(MAX_SIGNALING_FRAME_BYTES - 100 + int(50_000))}"}}`,
      ),
    () => raw(`{"id":${id()},"method":"${'m'.repeat(50_000)}","data":{}}`),
    () => raw(`{"id":1e400,"method":"chat.send","data":{"text":"hi"}}`),
  ];
  /** Well-formed requests naming transports, producers or consumers that do not exist. */
  const unknownReference = (): Frame =>
    json({
      id: id(),
      ...pick([
        { method: 'media.setConsumerVisible', data: { consumerId: text(10), visible: true } },
        { method: 'media.setPreferredLayers', data: { consumerId: text(10), spatialLayer: 1 } },
        { method: 'media.setProducerPaused', data: { producerId: text(10), paused: true } },
        { method: 'media.closeProducer', data: { producerId: text(10) } },
        { method: 'media.connectTransport', data: { transportId: text(10), dtlsParameters: {} } },
        {
          method: 'media.produce',
          data: { transportId: text(10), kind: 'audio', source: 'microphone', rtpParameters: {} },
        },
      ]),
    });
  return { invalid: () => pick(strategies)(), unknownReference };
}

const [backend] = eachBackend();
if (backend === undefined) throw new Error('no backend');

describe(`signalling fuzz (seed ${SEED})`, () => {
  let t: TestServer;
  let meetingId: string;
  let mod: TestJoin;
  let ada: TestJoin;
  let modClient: SignalingClient;
  let adaClient: SignalingClient;
  const fuzzers: TestJoin[] = [];
  /** Each fuzzing participant's first socket, open before the "before" snapshot. */
  const firstSockets: SignalingClient[] = [];

  before(async () => {
    t = await startTestServer(backend, {
      listen: true,
      apiPerMinute: 10_000,
      signaling: { upgradesPerMinute: 100_000 },
    });
    const baseUrl = t.baseUrl ?? '';
    const m = await createMeeting(baseUrl, 'Fuzz target');
    meetingId = m.meetingId;
    mod = await joinMeeting(baseUrl, meetingId, m.moderatorToken, 'Mod');
    ada = await joinMeeting(baseUrl, meetingId, m.participantToken, 'Ada');
    for (let i = 0; i < WORKERS; i++)
      fuzzers.push(await joinMeeting(baseUrl, meetingId, m.participantToken, `Fuzz ${i}`));
    modClient = SignalingClient.connect(t.wsUrl ?? '', meetingId, { cookie: mod.cookie });
    adaClient = SignalingClient.connect(t.wsUrl ?? '', meetingId, { cookie: ada.cookie });
    await modClient.notification('session.welcome');
    const welcome = await adaClient.notification('session.welcome');
    // Some state to protect: a chat message and a producer.
    assert.ok((await adaClient.request('chat.send', { text: 'before the storm' })).ok);
    const send = await adaClient.request('media.createTransport', { direction: 'send' });
    assert.ok(send.ok);
    const produced = await adaClient.request('media.produce', {
      transportId: (send.data as { id: string }).id,
      kind: 'audio',
      source: 'microphone',
      rtpParameters: {
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
        encodings: [{ ssrc: 1234 }],
        rtcp: { cname: 'fuzz' },
      },
    });
    assert.ok(produced.ok);
    assert.ok(welcome.routerRtpCapabilities);
    for (const fuzzer of fuzzers) firstSockets.push(await open(fuzzer));
  });
  after(async () => {
    await modClient.close();
    await adaClient.close();
    await t.close();
  });

  async function stateSnapshot(): Promise<string> {
    const db = t.server.database.db;
    const count = async (table: 'meetings' | 'participants' | 'chat_messages') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const active = await db
      .selectFrom('participants')
      .select(['id', 'role'])
      .where('left_at', 'is', null)
      .orderBy('id')
      .execute();
    const media = t.server.media.snapshot(meetingId).map((p) => ({
      participantId: p.participantId,
      transports: p.transports.length,
      producers: p.producers,
    }));
    media.sort((a, b) => a.participantId.localeCompare(b.participantId));
    return JSON.stringify({
      participants: t.server.meetings.participants(meetingId),
      meetings: await count('meetings'),
      participantRows: await count('participants'),
      chat: await count('chat_messages'),
      active,
      media,
    });
  }

  /** Connects a fuzzing participant and waits for the welcome. */
  async function open(join: TestJoin): Promise<SignalingClient> {
    const client = SignalingClient.connect(t.wsUrl ?? '', meetingId, { cookie: join.cookie });
    await client.notification('session.welcome');
    return client;
  }

  async function settle(client: SignalingClient, sent: number): Promise<void> {
    for (let i = 0; i < 500; i++) {
      if (client.closeInfo !== undefined || client.responses().length >= sent) return;
      await sleep(5);
    }
    throw new Error(`no answer: ${client.responses().length} of ${sent} frames answered`);
  }

  /** Checks one finished socket: only typed frame errors, and an abuse close if closed. */
  function verify(client: SignalingClient, sent: number, seen: Set<string>): void {
    for (const response of client.responses()) {
      assert.ok(!response.ok, `a fuzz frame succeeded: ${JSON.stringify(response).slice(0, 200)}`);
      assert.ok(isErrorCode(response.error.code));
      assert.ok(FRAME_ERRORS.has(response.error.code), response.error.code);
      seen.add(response.error.code);
    }
    if (client.closeInfo === undefined) {
      assert.equal(client.responses().length, sent);
    } else {
      assert.ok(ABUSE_CLOSES.has(client.closeInfo.code), `closed with ${client.closeInfo.code}`);
      seen.add(`close ${client.closeInfo.code}`);
    }
  }

  async function fuzzWorker(index: number, frames: number, seen: Set<string>): Promise<number> {
    const join = fuzzers[index];
    assert.ok(join);
    const next = generator(prng(SEED + index));
    const random = prng(SEED * 31 + index);
    let client = firstSockets[index] ?? (await open(join));
    let sent = 0;
    let total = 0;
    let sockets = 1;
    while (total < frames) {
      // Mostly small batches; sometimes a burst past the rate limit.
      const burst = random() < 0.05;
      const batch = burst ? 120 : 1 + Math.floor(random() * 10);
      for (let i = 0; i < batch && total < frames && client.closeInfo === undefined; i++) {
        const frame = burst || random() < 0.1 ? next.unknownReference() : next.invalid();
        client.sendRaw(frame.data, frame.binary);
        sent++;
        total++;
      }
      await settle(client, sent);
      if (client.closeInfo !== undefined) {
        verify(client, sent, seen);
        client = await open(join);
        sockets++;
        sent = 0;
      }
    }
    await settle(client, sent);
    verify(client, sent, seen);
    await client.close();
    return sockets;
  }

  test('10,000 malformed frames get typed errors or abuse closes and change nothing', async (context) => {
    const before = await stateSnapshot();
    const seen = new Set<string>();
    const sockets = await Promise.all(
      Array.from({ length: WORKERS }, (_, i) =>
        fuzzWorker(i, Math.ceil(TOTAL_FRAMES / WORKERS), seen),
      ),
    );

    // Sockets for meetings that do not exist, or with malformed paths, are refused too.
    const random = prng(SEED + 999);
    for (let i = 0; i < 20; i++) {
      const fakeId = Array.from(
        { length: 22 },
        () =>
          'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[
            Math.floor(random() * 64)
          ],
      ).join('');
      const client = SignalingClient.connect(t.wsUrl ?? '', fakeId, {
        cookie: fuzzers[0]?.cookie ?? '',
      });
      assert.equal((await client.closed).code, CLOSE_CODES.unauthenticated);
    }
    for (const path of ['abc', 'A'.repeat(23), '%00', 'A'.repeat(21) + '!']) {
      const status = await new Promise<number>((resolve) => {
        const socket = new WebSocket(`${t.wsUrl ?? ''}${signalingPath(path)}`, {
          origin: 'http://localhost:8080',
        });
        socket.on('unexpected-response', (_request, response) => {
          resolve(response.statusCode ?? 0);
          socket.terminate();
        });
        socket.on('error', () => undefined);
      });
      assert.equal(status, 400, path);
    }

    // The fuzzed participants come back cleanly, so presence is comparable.
    const finals = await Promise.all(fuzzers.map((f) => open(f)));
    await sleep(100);
    assert.equal(await stateSnapshot(), before);
    for (const final of finals) await final.close();

    // The server still serves the legitimate participants.
    assert.equal(modClient.socket.readyState, WebSocket.OPEN);
    const chat = await adaClient.request('chat.send', { text: 'after the storm' });
    assert.ok(chat.ok);
    await modClient.notification('chat.message', (d) => d.message.text === 'after the storm');
    const health = await fetch(`${t.baseUrl ?? ''}/healthz`);
    assert.equal(health.status, 200);

    for (const expected of [
      'bad_request',
      'unknown_method',
      'rate_limited',
      `close ${CLOSE_CODES.abuse}`,
      `close ${CLOSE_CODES.tooLarge}`,
      'close 1007',
    ]) {
      assert.ok(
        seen.has(expected),
        `the fuzzer never produced ${expected} (seen: ${[...seen].join(', ')})`,
      );
    }
    const socketCount = sockets.reduce((a, b) => a + b, 0);
    assert.ok(socketCount >= WORKERS);
    context.diagnostic(
      `seed ${SEED}: ${TOTAL_FRAMES} frames over ${socketCount} sockets; outcomes: ${[...seen].sort().join(', ')}`,
    );
  });
});
