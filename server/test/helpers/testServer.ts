import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CreateMeetingReply, JoinReply, MeetingPolicyChanges } from '@konvent/protocol';
import type { DestinationStream } from 'pino';
import { createServer, type Server, type ServerOptions } from '../../src/App.ts';
import { hashPassword } from '../../src/auth/passwords.ts';
import type { Config } from '../../src/config/Config.ts';
import { createLogger } from '../../src/observability/createLogger.ts';
import type { TestBackend, TestDatabase } from './databases.ts';
import { OPEN_POLICY } from './meetingDomain.ts';

/** The open policy `createMeeting` uses by default (see `meetingDomain.ts`). */
export { OPEN_POLICY };

/** The public URL test servers pretend to be reached at; browsers' Origin must match it. */
export const TEST_PUBLIC_URL = 'http://localhost:8080';
/** The Origin header a browser on the test deployment sends. */
export const TEST_ORIGIN = 'http://localhost:8080';

/** Where the mediasoup worker binary is (the shared build cache unless overridden). */
export const WORKER_BIN =
  process.env['MEDIASOUP_WORKER_BIN'] ?? '/var/cache/konvent/mediasoup-worker-3.12.16';

/** A running test server with its database and web root. */
export interface TestServer {
  server: Server;
  config: Config;
  database: TestDatabase;
  /** `http://127.0.0.1:<port>` once listening, else undefined. */
  baseUrl: string | undefined;
  /** `ws://127.0.0.1:<port>` once listening, else undefined. */
  wsUrl: string | undefined;
  /** A signed-in organiser (may create meetings): headers for JSON requests as them. */
  organiser: TestAccount;
  close(): Promise<void>;
}

/** A signed-in account of a test server. */
export interface TestAccount {
  userId: string;
  /** `kv_session=<signed secret>`. */
  cookie: string;
  csrfToken: string;
  /** content-type JSON, the cookie, the CSRF token and the test Origin. */
  headers: Record<string, string>;
}

/** The organiser of each listening test server, so `createMeeting(baseUrl)` can act as them. */
const organisers = new Map<string, TestAccount>();
/** Each listening test server, so `joinMeeting(baseUrl, …)` can sign people in. */
const servers = new Map<string, Server>();
/** Moderator link tokens handed out by `createMeeting`, joined as the organiser. */
const moderatorTokens = new Set<string>();

/** The password every test account gets (passes the policy). */
export const TEST_PASSWORD = 'Lila Elefanten tanzen im Regen 2026';

/**
 * Creates an account directly in the store (no invitation) and signs it in through the real
 * sign-in path; the session cookie is signed as the server signs it.
 */
export async function signedInAccount(
  server: Server,
  roles: readonly ('admin' | 'auditor' | 'key_custodian' | 'organiser' | 'member')[],
  username = `user-${randomBytes(4).toString('hex')}@example.org`,
): Promise<TestAccount> {
  const user = await server.auth.users.insert(
    {
      username,
      displayName: 'Test User',
      roles,
      source: 'local',
      status: 'active',
      passwordHash: await hashPassword(TEST_PASSWORD),
    },
    new Date(),
  );
  const signIn = await server.auth.loginWithPassword(username, TEST_PASSWORD, {});
  const cookie = `kv_session=${server.app.signCookie(signIn.secret)}`;
  const csrfToken = signIn.context.csrfToken;
  return {
    userId: user.id,
    cookie,
    csrfToken,
    headers: {
      'content-type': 'application/json',
      cookie,
      'x-csrf-token': csrfToken,
      origin: TEST_ORIGIN,
    },
  };
}

let nextPortBlock = 0;

/**
 * Starts a complete server (real database of the given backend, real mediasoup worker,
 * in-process bus) with a small fake web client in its web root. `listen` binds it to a
 * free port on 127.0.0.1.
 */
export async function startTestServer(
  backend: TestBackend,
  options: ServerOptions & {
    listen?: boolean;
    tls?: Config['tls'];
    logDestination?: DestinationStream;
    identity?: Config['identity'];
    /** Scan uploads with this clamd (see `clamd.ts`); off when absent. */
    virusScan?: Config['virusScan'];
  } = {},
): Promise<TestServer> {
  const { listen, logDestination, tls, identity, virusScan, ...serverOptions } = options;
  const database = await backend.open();
  const webRoot = await mkdtemp(join(tmpdir(), 'konvent-web-'));
  await mkdir(join(webRoot, 'assets'));
  await writeFile(
    join(webRoot, 'index.html'),
    '<!doctype html><title>Konvent</title><div id="root"></div>',
  );
  await writeFile(join(webRoot, 'assets', 'app-1234.js'), 'console.log("app");');
  // Separate RTC port blocks keep servers of consecutive tests from colliding.
  const rtcMinPort = 41000 + (nextPortBlock++ % 20) * 200;
  const config: Config = {
    host: '127.0.0.1',
    port: 0,
    publicUrl: TEST_PUBLIC_URL,
    dataDir: database.dataDir,
    databaseUrl: database.databaseUrl,
    redisUrl: undefined,
    tls,
    sessionSecret: randomBytes(32),
    media: {
      workers: 1,
      listenIp: '127.0.0.1',
      announcedIp: undefined,
      rtcMinPort,
      rtcMaxPort: rtcMinPort + 199,
      workerBin: WORKER_BIN,
    },
    logLevel:
      logDestination === undefined
        ? ((process.env['TEST_LOG_LEVEL'] as Config['logLevel'] | undefined) ?? 'silent')
        : 'trace',
    webRoot,
    audit: { checkpointFile: undefined, checkpointUrl: undefined, retentionDays: { default: 365 } },
    ...(identity === undefined ? {} : { identity }),
    ...(virusScan === undefined ? {} : { virusScan }),
  };
  let server: Server;
  try {
    const logger = createLogger(config, logDestination);
    server = await createServer(config, logger, { ...serverOptions, database: database.database });
  } catch (error) {
    await database.cleanup();
    await rm(webRoot, { recursive: true, force: true });
    throw error;
  }
  let baseUrl: string | undefined;
  let wsUrl: string | undefined;
  if (listen === true) {
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    const address = server.app.server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    baseUrl = `http://127.0.0.1:${address.port}`;
    wsUrl = `ws://127.0.0.1:${address.port}`;
  }
  const organiser = await signedInAccount(server, ['organiser'], 'organiser@example.org');
  if (baseUrl !== undefined) {
    organisers.set(baseUrl, organiser);
    servers.set(baseUrl, server);
  }
  return {
    server,
    config,
    database,
    baseUrl,
    wsUrl,
    organiser,
    close: async () => {
      if (baseUrl !== undefined) {
        organisers.delete(baseUrl);
        servers.delete(baseUrl);
      }
      await server.close();
      await database.cleanup();
      await rm(webRoot, { recursive: true, force: true });
    },
  };
}

/** A meeting created over HTTP, with both link tokens. */
export interface TestMeeting {
  meetingId: string;
  moderatorToken: string;
  participantToken: string;
  reply: CreateMeetingReply;
}

/** The token in a meeting link's fragment (`#k=<token>`). */
export function tokenOf(link: string): string {
  const token = new URL(link).hash.replace(/^#k=/, '');
  if (token === '') throw new Error(`no token in ${link}`);
  return token;
}

/** Creates a meeting through the real HTTP API, as the test server's organiser. */
export async function createMeeting(
  baseUrl: string,
  title = 'Test meeting',
  policy: MeetingPolicyChanges = OPEN_POLICY,
): Promise<TestMeeting> {
  const organiser = organisers.get(baseUrl);
  if (organiser === undefined) throw new Error(`no organiser for ${baseUrl}`);
  const response = await fetch(`${baseUrl}/api/meetings`, {
    method: 'POST',
    headers: organiser.headers,
    body: JSON.stringify({ title, policy }),
  });
  if (response.status !== 201)
    throw new Error(`create failed: ${response.status} ${await response.text()}`);
  const reply = (await response.json()) as CreateMeetingReply;
  moderatorTokens.add(tokenOf(reply.moderatorLink));
  return {
    meetingId: reply.meetingId,
    moderatorToken: tokenOf(reply.moderatorLink),
    participantToken: tokenOf(reply.participantLink),
    reply,
  };
}

/** A participant joined over HTTP: their ids and the session cookie to present. */
export interface TestJoin extends JoinReply {
  cookie: string;
}

/** How a test person joins: signed in or not, with a passcode or PIN. */
export interface JoinOptions {
  /**
   * `organiser`: as the server's organiser (always so for a moderator link of
   * `createMeeting`); `member` (default for other links): as a fresh signed-in account, so
   * they are a participant; `guest`: not signed in; or an account cookie to send.
   */
  as?: 'organiser' | 'member' | 'guest' | { cookie: string };
  secret?: string;
}

/** Joins through the real HTTP API and keeps the session cookie. */
export async function joinMeeting(
  baseUrl: string,
  meetingId: string,
  token: string,
  displayName: string,
  options: JoinOptions = {},
): Promise<TestJoin> {
  const as = moderatorTokens.has(token) ? 'organiser' : (options.as ?? 'member');
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const account = await accountCookie(baseUrl, as);
  if (account !== undefined) headers['cookie'] = account;
  const response = await fetch(`${baseUrl}/api/meetings/${meetingId}/join`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      token,
      displayName,
      ...(options.secret === undefined ? {} : { secret: options.secret }),
    }),
  });
  if (response.status !== 200)
    throw new Error(`join failed: ${response.status} ${await response.text()}`);
  const setCookie = response.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0] ?? '';
  return { ...((await response.json()) as JoinReply), cookie };
}

/** The account cookie a test person joins with, if any. */
async function accountCookie(
  baseUrl: string,
  as: NonNullable<JoinOptions['as']>,
): Promise<string | undefined> {
  if (as === 'guest') return undefined;
  if (typeof as === 'object') return as.cookie;
  if (as === 'organiser') return organisers.get(baseUrl)?.cookie;
  const server = servers.get(baseUrl);
  if (server === undefined) throw new Error(`no server for ${baseUrl}`);
  return (await signedInAccount(server, ['member'])).cookie;
}
