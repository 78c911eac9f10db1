import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CheckLinkReply, CreateMeetingReply, ErrorBody, JoinReply } from '@konvent/protocol';
import type { LightMyRequestResponse } from 'fastify';
import { eachBackend } from '../helpers/databases.ts';
import {
  OPEN_POLICY,
  signedInAccount,
  startTestServer,
  tokenOf,
  type TestServer,
} from '../helpers/testServer.ts';

const JSON_HEADERS = { 'content-type': 'application/json' };
const ID = /^[A-Za-z0-9_-]{22}$/;

interface Created {
  meetingId: string;
  moderatorToken: string;
  participantToken: string;
}

function errorOf(response: LightMyRequestResponse): ErrorBody {
  const body = response.json<ErrorBody>();
  assert.deepEqual(Object.keys(body).sort(), ['code', 'message']);
  return body;
}

for (const backend of eachBackend()) {
  describe(`the HTTP API on ${backend.name}`, () => {
    let t: TestServer;

    before(async () => {
      t = await startTestServer(backend, { apiPerMinute: 1000 });
    });
    after(() => t.close());

    const post = (url: string, payload: unknown, headers: Record<string, string> = JSON_HEADERS) =>
      t.server.app.inject({
        method: 'POST',
        url,
        headers,
        payload:
          typeof payload === 'string' || Buffer.isBuffer(payload)
            ? payload
            : JSON.stringify(payload),
      });

    async function create(title?: string): Promise<Created> {
      const response = await post(
        '/api/meetings',
        title === undefined ? { policy: OPEN_POLICY } : { title, policy: OPEN_POLICY },
        t.organiser.headers,
      );
      assert.equal(response.statusCode, 201);
      const body = response.json<CreateMeetingReply>();
      return {
        meetingId: body.meetingId,
        moderatorToken: tokenOf(body.moderatorLink),
        participantToken: tokenOf(body.participantLink),
      };
    }

    async function counts(): Promise<{ meetings: number; participants: number }> {
      const db = t.server.database.db;
      const meetings = await db
        .selectFrom('meetings')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      const participants = await db
        .selectFrom('participants')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      return { meetings: Number(meetings.n), participants: Number(participants.n) };
    }

    test('every response carries a strict CSP and security headers, and no HSTS over plain HTTP', async () => {
      for (const url of ['/', '/m/AAAAAAAAAAAAAAAAAAAAAA', '/api/nothing', '/healthz']) {
        const response = await t.server.app.inject({ method: 'GET', url });
        const csp = String(response.headers['content-security-policy']);
        for (const directive of [
          "default-src 'self'",
          "script-src 'self'",
          "style-src 'self'",
          "img-src 'self' data: blob:",
          "media-src 'self' blob:",
          "connect-src 'self' ws://localhost:8080",
          "font-src 'self'",
          "object-src 'none'",
          "base-uri 'none'",
          "form-action 'self'",
          "frame-ancestors 'none'",
        ]) {
          assert.ok(csp.split(';').includes(directive), `${url}: ${directive} in ${csp}`);
        }
        assert.ok(!csp.includes('unsafe'), csp);
        assert.ok(!csp.includes('upgrade-insecure-requests'));
        assert.equal(response.headers['strict-transport-security'], undefined);
        assert.equal(response.headers['referrer-policy'], 'no-referrer');
        assert.equal(response.headers['x-content-type-options'], 'nosniff');
        assert.equal(response.headers['x-frame-options'], 'DENY');
        assert.match(
          String(response.headers['permissions-policy']),
          /camera=\(self\), microphone=\(self\), display-capture=\(self\)/,
        );
      }
    });

    test('health is ok while the database answers and a media worker runs', async () => {
      const response = await t.server.app.inject({ method: 'GET', url: '/healthz' });
      assert.equal(response.statusCode, 200);
      assert.equal(response.json<{ status: string }>().status, 'ok');
    });

    test('creating a meeting returns links with the token in the fragment', async () => {
      const response = await post('/api/meetings', { title: 'Budget 2027' }, t.organiser.headers);
      assert.equal(response.statusCode, 201);
      assert.equal(response.headers['cache-control'], 'no-store');
      const body = response.json<CreateMeetingReply>();
      assert.match(body.meetingId, ID);
      assert.equal(body.title, 'Budget 2027');
      assert.match(
        body.moderatorLink,
        new RegExp(`^http://localhost:8080/m/${body.meetingId}#k=[A-Za-z0-9_-]{43}$`),
      );
      assert.match(
        body.participantLink,
        new RegExp(`^http://localhost:8080/m/${body.meetingId}#k=[A-Za-z0-9_-]{43}$`),
      );
      assert.notEqual(tokenOf(body.moderatorLink), tokenOf(body.participantLink));
    });

    test('a link check tells title and role', async () => {
      const m = await create('Weekly');
      const moderator = await post(`/api/meetings/${m.meetingId}/check`, {
        token: m.moderatorToken,
      });
      assert.equal(moderator.statusCode, 200);
      assert.deepEqual(moderator.json<CheckLinkReply>(), {
        meetingId: m.meetingId,
        title: 'Weekly',
        role: 'moderator',
        arrival: 'moderator_link',
        secret: 'none',
        // The moderator link works only for a signed-in account, and this browser is not.
        signIn: true,
        lobby: false,
      });
      const member = await signedInAccount(t.server, ['member']);
      const participant = await post(
        `/api/meetings/${m.meetingId}/check`,
        { token: m.participantToken },
        { ...JSON_HEADERS, cookie: member.cookie },
      );
      assert.equal(participant.json<CheckLinkReply>().role, 'participant');
      const guest = await post(`/api/meetings/${m.meetingId}/check`, {
        token: m.participantToken,
      });
      assert.equal(guest.json<CheckLinkReply>().role, 'guest');
    });

    test('joining sets a signed, HttpOnly, SameSite=Strict session cookie for the whole site', async () => {
      const m = await create();
      const member = await signedInAccount(t.server, ['member']);
      const response = await post(
        `/api/meetings/${m.meetingId}/join`,
        { token: m.participantToken, displayName: 'Ada' },
        { ...JSON_HEADERS, cookie: member.cookie },
      );
      assert.equal(response.statusCode, 200);
      const body = response.json<JoinReply>();
      assert.equal(body.meetingId, m.meetingId);
      assert.match(body.participantId, ID);
      assert.equal(body.role, 'participant');
      assert.equal(body.admission, 'admitted');
      const cookie = String(response.headers['set-cookie']);
      assert.match(cookie, new RegExp(`^kv_${m.meetingId}=[A-Za-z0-9_-]{43}\\.[^;]+;`));
      assert.match(cookie, /; HttpOnly/);
      assert.match(cookie, /; SameSite=Strict/);
      assert.match(cookie, /; Path=\//);
      assert.doesNotMatch(cookie, /Secure/);
    });

    test('an unknown meeting and a wrong token are indistinguishable', async () => {
      const m = await create();
      const other = await create();
      const cases = [
        [`/api/meetings/${m.meetingId}/check`, { token: other.participantToken }],
        [`/api/meetings/AAAAAAAAAAAAAAAAAAAAAA/check`, { token: m.participantToken }],
        [`/api/meetings/${m.meetingId}/join`, { token: other.moderatorToken, displayName: 'Eve' }],
        [
          `/api/meetings/AAAAAAAAAAAAAAAAAAAAAA/join`,
          { token: m.moderatorToken, displayName: 'Eve' },
        ],
      ] as const;
      const before = await counts();
      const answers = [];
      for (const [url, body] of cases) {
        const response = await post(url, body);
        answers.push([response.statusCode, response.body]);
      }
      assert.equal(new Set(answers.map((a) => JSON.stringify(a))).size, 1);
      assert.equal(answers[0]?.[0], 404);
      assert.equal((JSON.parse(String(answers[0][1])) as ErrorBody).code, 'not_found');
      assert.deepEqual(await counts(), before);
    });

    test('every malformed request is refused with a typed error and changes nothing', async () => {
      const m = await create();
      const valid = { token: m.participantToken, displayName: 'Ada' };
      const big = 'x'.repeat(20 * 1024);
      const cases: [string, unknown, Record<string, string>?, number?][] = [
        ['/api/meetings', { title: 'x'.repeat(201) }],
        ['/api/meetings', { title: 'bad\u0007title' }],
        ['/api/meetings', { title: 5 }],
        ['/api/meetings', { title: 'ok', extra: true }],
        ['/api/meetings', []],
        ['/api/meetings', 'null'],
        ['/api/meetings', '{"title": '],
        ['/api/meetings', '{"__proto__": {"admin": true}}'],
        ['/api/meetings', '{"constructor": {"prototype": {"admin": true}}}'],
        ['/api/meetings', 'title=x', { 'content-type': 'application/x-www-form-urlencoded' }],
        ['/api/meetings', '', JSON_HEADERS],
        ['/api/meetings', JSON.stringify({ title: big }), JSON_HEADERS, 413],
        [`/api/meetings/${m.meetingId}/join`, { ...valid, token: 'short' }],
        [`/api/meetings/${m.meetingId}/join`, { ...valid, token: `${m.participantToken}!` }],
        [`/api/meetings/${m.meetingId}/join`, { ...valid, displayName: '' }],
        [`/api/meetings/${m.meetingId}/join`, { ...valid, displayName: '   ' }],
        [`/api/meetings/${m.meetingId}/join`, { ...valid, displayName: 'a'.repeat(65) }],
        [`/api/meetings/${m.meetingId}/join`, { ...valid, displayName: 'line\nbreak' }],
        [`/api/meetings/${m.meetingId}/join`, { ...valid, role: 'moderator' }],
        [`/api/meetings/${m.meetingId}/join`, { token: m.participantToken }],
        [`/api/meetings/${m.meetingId}/join`, { displayName: 'Ada' }],
        [`/api/meetings/${m.meetingId}/join`, { ...valid, displayName: ['Ada'] }],
        [`/api/meetings/not-an-id/join`, valid],
        [`/api/meetings/${m.meetingId}x/join`, valid],
        [`/api/meetings/${m.meetingId}/check`, {}],
        [`/api/meetings/${m.meetingId}/check`, { token: null }],
        [`/api/meetings/${m.meetingId}/check`, { token: m.participantToken, more: 1 }],
      ];
      const before = await counts();
      for (const [url, payload, headers, status] of cases) {
        const response = await post(url, payload, headers);
        const expected = status ?? 400;
        assert.equal(
          response.statusCode,
          expected,
          `${url} ${JSON.stringify(payload).slice(0, 80)}: ${response.body}`,
        );
        const body = errorOf(response);
        assert.equal(body.code, expected === 413 ? 'payload_too_large' : 'bad_request');
        assert.doesNotMatch(response.body, /at .*\.(ts|js):\d+/);
      }
      assert.deepEqual(await counts(), before);
      assert.equal(({} as Record<string, unknown>)['admin'], undefined);
    });

    test('an ended meeting answers meeting_ended to holders of a valid link only', async () => {
      const m = await create();
      const joined = await post(
        `/api/meetings/${m.meetingId}/join`,
        { token: m.moderatorToken, displayName: 'Mod' },
        { ...JSON_HEADERS, cookie: t.organiser.cookie },
      );
      const session = await t.server.meetings.authenticate(
        m.meetingId,
        String(t.server.app.unsignCookie(String(joined.cookies[0]?.value)).value),
      );
      await t.server.meetings.end(session);
      const ended = await post(`/api/meetings/${m.meetingId}/check`, { token: m.participantToken });
      assert.equal(ended.statusCode, 410);
      assert.equal(errorOf(ended).code, 'meeting_ended');
      const join = await post(`/api/meetings/${m.meetingId}/join`, {
        token: m.participantToken,
        displayName: 'Late',
      });
      assert.equal(errorOf(join).code, 'meeting_ended');
      const wrong = await post(`/api/meetings/${m.meetingId}/check`, { token: 'A'.repeat(43) });
      assert.equal(errorOf(wrong).code, 'not_found');
    });

    test('unknown API routes and methods are a JSON not_found', async () => {
      for (const [method, url] of [
        ['GET', '/api/nothing'],
        ['GET', '/api/meetings'],
        ['DELETE', '/api/meetings/AAAAAAAAAAAAAAAAAAAAAA'],
        ['POST', '/api'],
        ['GET', '/ws/nothing'],
      ] as const) {
        const response = await t.server.app.inject({ method, url });
        assert.equal(response.statusCode, 404, `${method} ${url}`);
        assert.equal(errorOf(response).code, 'not_found');
      }
    });

    test('the web client is served with an SPA fallback and long caching only for hashed assets', async () => {
      const page = await t.server.app.inject({ method: 'GET', url: '/m/AAAAAAAAAAAAAAAAAAAAAA' });
      assert.equal(page.statusCode, 200);
      assert.match(String(page.headers['content-type']), /text\/html/);
      assert.match(page.body, /<div id="root">/);
      assert.equal(page.headers['cache-control'], 'no-cache');
      const other = await t.server.app.inject({ method: 'GET', url: '/some/page?x=1' });
      assert.match(other.body, /<div id="root">/);
      const root = await t.server.app.inject({ method: 'GET', url: '/' });
      assert.match(root.body, /<div id="root">/);
      const asset = await t.server.app.inject({ method: 'GET', url: '/assets/app-1234.js' });
      assert.equal(asset.statusCode, 200);
      assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
      const traversal = await t.server.app.inject({ method: 'GET', url: '/../../etc/passwd' });
      assert.doesNotMatch(traversal.body, /root:/);
    });

    test('plain HTTP GET on the signalling path is not a page', async () => {
      const response = await t.server.app.inject({
        method: 'GET',
        url: '/ws/meetings/AAAAAAAAAAAAAAAAAAAAAA',
      });
      assert.equal(response.statusCode, 404);
    });
  });
}
