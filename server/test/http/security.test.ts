import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import type { CreateMeetingReply, ErrorBody } from '@konvent/protocol';
import { eachBackend } from '../helpers/databases.ts';
import WebSocket from 'ws';
import {
  OPEN_POLICY,
  TEST_PASSWORD,
  startTestServer,
  TEST_ORIGIN,
  tokenOf,
} from '../helpers/testServer.ts';

const JSON_HEADERS = { 'content-type': 'application/json' };
const [backend] = eachBackend();
if (backend === undefined) throw new Error('no backend');

describe('HTTP security', () => {
  test('over TLS the server sends HSTS and marks the session cookie Secure', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'konvent-tls-'));
    const certFile = join(dir, 'cert.pem');
    const keyFile = join(dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-subj',
        '/CN=localhost',
        '-days',
        '1',
        '-keyout',
        keyFile,
        '-out',
        certFile,
      ],
      { stdio: 'ignore' },
    );
    const t = await startTestServer(backend, { tls: { certFile, keyFile } });
    try {
      const page = await t.server.app.inject({ method: 'GET', url: '/' });
      assert.equal(
        page.headers['strict-transport-security'],
        'max-age=63072000; includeSubDomains',
      );
      assert.match(String(page.headers['content-security-policy']), /upgrade-insecure-requests/);
      const created = await t.server.app.inject({
        method: 'POST',
        url: '/api/meetings',
        headers: t.organiser.headers,
        payload: JSON.stringify({ policy: OPEN_POLICY }),
      });
      const { meetingId, participantLink } = created.json<CreateMeetingReply>();
      const joined = await t.server.app.inject({
        method: 'POST',
        url: `/api/meetings/${meetingId}/join`,
        headers: JSON_HEADERS,
        payload: JSON.stringify({ token: tokenOf(participantLink), displayName: 'Ada' }),
      });
      assert.match(String(joined.headers['set-cookie']), /; Secure/);
    } finally {
      await t.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('API routes are rate-limited per address with a typed error', async () => {
    const t = await startTestServer(backend, { apiPerMinute: 3 });
    try {
      const statuses = [];
      let last: ErrorBody | undefined;
      for (let i = 0; i < 5; i++) {
        const response = await t.server.app.inject({
          method: 'POST',
          url: '/api/meetings',
          headers: t.organiser.headers,
          payload: '{}',
        });
        statuses.push(response.statusCode);
        if (response.statusCode === 429) last = response.json<ErrorBody>();
      }
      assert.deepEqual(statuses, [201, 201, 201, 429, 429]);
      assert.equal(last?.code, 'rate_limited');
      const count = await t.server.database.db
        .selectFrom('meetings')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 3);
    } finally {
      await t.close();
    }
  });

  test('signalling upgrades are rate-limited per address before any authentication', async () => {
    const t = await startTestServer(backend, { listen: true, signaling: { upgradesPerMinute: 2 } });
    try {
      const outcomes: (number | string)[] = [];
      for (let i = 0; i < 3; i++) {
        outcomes.push(
          await new Promise<number | string>((resolve) => {
            const socket = new WebSocket(`${t.wsUrl ?? ''}/ws/meetings/AAAAAAAAAAAAAAAAAAAAAA`, {
              origin: TEST_ORIGIN,
            });
            socket.on('unexpected-response', (_request, response) => {
              resolve(response.statusCode ?? 0);
              socket.terminate();
            });
            socket.on('close', (code) => {
              resolve(`close ${code}`);
            });
            socket.on('error', () => undefined);
          }),
        );
      }
      assert.deepEqual(outcomes, ['close 4401', 'close 4401', 429]);
    } finally {
      await t.close();
    }
  });

  test('logs never contain link tokens, session secrets or cookies', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const t = await startTestServer(backend, { logDestination: destination });
    try {
      const created = await t.server.app.inject({
        method: 'POST',
        url: '/api/meetings',
        headers: t.organiser.headers,
        payload: JSON.stringify({ policy: OPEN_POLICY }),
      });
      const { meetingId, moderatorLink, participantLink } = created.json<CreateMeetingReply>();
      const secrets = [tokenOf(moderatorLink), tokenOf(participantLink)];
      await t.server.app.inject({
        method: 'POST',
        url: `/api/meetings/${meetingId}/check`,
        headers: JSON_HEADERS,
        payload: JSON.stringify({ token: secrets[0] }),
      });
      const joined = await t.server.app.inject({
        method: 'POST',
        url: `/api/meetings/${meetingId}/join`,
        headers: JSON_HEADERS,
        payload: JSON.stringify({ token: secrets[1], displayName: 'Ada' }),
      });
      const cookie = joined.cookies[0]?.value ?? '';
      secrets.push(cookie, cookie.split('.')[0] ?? '');
      await t.server.app.inject({
        method: 'POST',
        url: `/api/meetings/${meetingId}/join`,
        headers: { ...JSON_HEADERS, cookie: `kv_${meetingId}=${cookie}` },
        payload: JSON.stringify({ token: secrets[1], displayName: 'x'.repeat(100) }),
      });
      // Sign-in: neither the password (right or wrong) nor the session secret is logged.
      for (const password of [TEST_PASSWORD, 'a wrong password typed by someone']) {
        const login = await t.server.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          headers: JSON_HEADERS,
          payload: JSON.stringify({ username: 'organiser@example.org', password }),
        });
        const session = login.cookies.find((c) => c.name === 'kv_session')?.value;
        if (session !== undefined) secrets.push(session, session.split('.')[0] ?? '');
        secrets.push(password);
      }
      secrets.push(t.organiser.cookie.slice('kv_session='.length), t.organiser.csrfToken);
      const log = lines.join('');
      assert.match(log, /\/api\/meetings/);
      for (const secret of secrets) {
        assert.ok(secret.length > 20);
        assert.ok(!log.includes(secret), 'a secret reached the log');
      }
      assert.doesNotMatch(log, /remoteAddress|127\.0\.0\.1/);
    } finally {
      await t.close();
    }
  });
});
