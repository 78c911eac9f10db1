/**
 * The set-up the signalling tests share: one listening test server per `describe` (started
 * before its tests, closed after, with every socket it opened), sockets, a meeting with
 * people who all saw each other, and sending and receiving media as a browser would.
 */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { MediaSource, NotificationData, ResponseFrame } from '@konvent/protocol';
import type { ServerOptions } from '../../src/App.ts';
import type { TestBackend } from './databases.ts';
import { SignalingClient } from './SignalingClient.ts';
import { data, RTP } from './signalingKit.ts';
import {
  createMeeting,
  joinMeeting,
  startTestServer,
  type TestJoin,
  type TestMeeting,
  type TestServer,
} from './testServer.ts';

/** Someone in a test meeting: their join, their socket and its welcome. */
export interface Person extends TestJoin {
  client: SignalingClient;
  welcome: NotificationData<'session.welcome'>;
  /** Their send transport, once `produce` created one. */
  sendTransport?: string;
}

/** A meeting with its connected moderator (first) and the others, in join order. */
export interface PeopleMeeting {
  m: TestMeeting;
  meetingId: string;
  participantToken: string;
  mod: Person;
  others: Person[];
}

/** What a test file uses; `t` and `baseUrl` are valid inside tests (after `before`). */
export interface SignalingFixture {
  readonly t: TestServer;
  readonly baseUrl: string;
  /** Opens a socket to a meeting with a session cookie; closed after the suite. */
  connect: (meetingId: string, cookie: string) => SignalingClient;
  /** A meeting (open policy) with a connected moderator and participants. */
  meeting: (...names: string[]) => Promise<PeopleMeeting>;
  /** Asks to send a source; the raw reply. */
  produceReply: (person: Person, source: MediaSource) => Promise<ResponseFrame>;
  /** Sends a source; its producer id. */
  produce: (person: Person, source: MediaSource) => Promise<string>;
  /** Sets the person's RTP capabilities and opens a receive transport. */
  receive: (person: Person) => Promise<void>;
}

/**
 * Registers the hooks of one suite's server (call inside `describe`). Generous HTTP and
 * upgrade limits, so tests that open many sockets are not limited by the suite itself.
 */
export function signalingFixture(
  backend: TestBackend,
  options: ServerOptions = {},
): SignalingFixture {
  let server: TestServer | undefined;
  const clients: SignalingClient[] = [];
  before(async () => {
    server = await startTestServer(backend, {
      listen: true,
      apiPerMinute: 10_000,
      signaling: { upgradesPerMinute: 10_000 },
      ...options,
    });
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await server?.close();
  });
  const started = (): TestServer => {
    if (server === undefined) throw new Error('the suite’s server has not started');
    return server;
  };

  const fixture: SignalingFixture = {
    get t() {
      return started();
    },
    get baseUrl() {
      return started().baseUrl ?? '';
    },
    connect: (meetingId, cookie) => {
      const client = SignalingClient.connect(started().wsUrl ?? '', meetingId, { cookie });
      clients.push(client);
      return client;
    },
    meeting: async (...names) => {
      const m = await createMeeting(fixture.baseUrl);
      const people: Person[] = [];
      for (const [index, name] of ['Mod', ...names].entries()) {
        const token = index === 0 ? m.moderatorToken : m.participantToken;
        const joined = await joinMeeting(fixture.baseUrl, m.meetingId, token, name);
        const client = fixture.connect(m.meetingId, joined.cookie);
        const welcome = await client.notification('session.welcome');
        for (const other of people) {
          await other.client.notification(
            'participant.joined',
            (d) => d.participant.id === joined.participantId,
          );
        }
        people.push({ ...joined, client, welcome });
      }
      const [mod, ...others] = people;
      assert.ok(mod);
      return { m, meetingId: m.meetingId, participantToken: m.participantToken, mod, others };
    },
    produceReply: async (person, source) => {
      person.sendTransport ??= (
        data(await person.client.request('media.createTransport', { direction: 'send' })) as {
          id: string;
        }
      ).id;
      return person.client.request('media.produce', {
        transportId: person.sendTransport,
        kind: source === 'microphone' ? 'audio' : 'video',
        source,
        rtpParameters: RTP[source],
      });
    },
    produce: async (person, source) => {
      const reply = data(await fixture.produceReply(person, source)) as { producerId: string };
      return reply.producerId;
    },
    receive: async (person) => {
      data(
        await person.client.request('media.setRtpCapabilities', {
          rtpCapabilities: person.welcome.routerRtpCapabilities,
        }),
      );
      data(await person.client.request('media.createTransport', { direction: 'recv' }));
    },
  };
  return fixture;
}
