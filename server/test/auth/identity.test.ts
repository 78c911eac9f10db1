import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type {
  ErrorBody,
  OneTimeLinkReply,
  SessionReply,
  SessionsReply,
  TotpConfirmReply,
  TotpStartReply,
  UserView,
} from '@konvent/protocol';
import { generate } from 'otplib';
import { ApiClient } from '../helpers/ApiClient.ts';
import { eachBackend } from '../helpers/databases.ts';
import {
  signedInAccount,
  startTestServer,
  TEST_PASSWORD,
  type TestServer,
} from '../helpers/testServer.ts';

const NEW_PASSWORD = 'Kühe grasen friedlich am Deich 77';

/** The token of a one-time link (`…/welcome#k=<token>`). */
function tokenOf(link: string): string {
  return new URL(link).hash.slice(3);
}

/** The audit events of an action, oldest first. */
async function events(t: TestServer, action: string) {
  return t.server.database.db
    .selectFrom('audit_events')
    .select(['actor_kind', 'actor_id', 'target', 'outcome', 'content'])
    .where('action', '=', action)
    .orderBy('seq')
    .execute();
}

/** The TOTP code an authenticator app shows now, for a time step not used yet. */
async function nextCode(secret: string, after: Set<string>): Promise<string> {
  // A code is accepted once per 30 s step; wait for the next step if this one was used.
  for (;;) {
    const code = await generate({ secret });
    if (!after.has(code)) {
      after.add(code);
      return code;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

for (const backend of eachBackend()) {
  describe(`identity and access on ${backend.name}`, () => {
    let t: TestServer;
    let admin: ApiClient;
    let adminSecret = '';
    const usedCodes = new Set<string>();

    before(async () => {
      t = await startTestServer(backend, { apiPerMinute: 10_000 });
    });
    after(() => t.close());

    test('the first admin comes from a one-time setup link and must set up a second factor', async () => {
      // The test server already has an organiser, so no link is due; a fresh installation
      // (no accounts) gets one. Check both through the service, then use a link.
      assert.equal(await t.server.accounts.setupLinkIfNeeded(), undefined);
      await t.server.database.db.deleteFrom('users').execute();
      const first = await t.server.accounts.setupLinkIfNeeded();
      const second = await t.server.accounts.setupLinkIfNeeded();
      assert.ok(first !== undefined && second !== undefined);
      assert.match(first.link, /^http:\/\/localhost:8080\/setup#k=[A-Za-z0-9_-]{43}$/);

      admin = new ApiClient(t.server.app);
      // A new start voids the older link.
      const stale = await admin.call('POST', '/api/auth/link/check', {
        token: tokenOf(first.link),
      });
      assert.equal(stale.status, 404);

      const weak = await admin.call<ErrorBody>('POST', '/api/auth/setup', {
        token: tokenOf(second.link),
        username: 'root@example.org',
        displayName: 'Root',
        password: 'password123',
      });
      assert.equal(weak.status, 422);
      assert.equal(weak.body.code, 'password_rejected');
      assert.equal(await t.server.auth.users.count(), 0, 'a refused password creates nothing');

      const setup = await admin.call<SessionReply>('POST', '/api/auth/setup', {
        token: tokenOf(second.link),
        username: 'Root@Example.org',
        displayName: 'Root Admin',
        password: TEST_PASSWORD,
      });
      assert.equal(setup.status, 200);
      assert.equal(setup.body.stage, 'enrol');
      assert.deepEqual(setup.body.account.roles, ['admin', 'organiser']);
      const cookie = setup.setCookies.find((c) => c.startsWith('kv_session='));
      assert.ok(cookie);
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Lax/);
      assert.match(cookie, /Path=\//);

      const reused = await new ApiClient(t.server.app).call('POST', '/api/auth/setup', {
        token: tokenOf(second.link),
        username: 'mallory@example.org',
        displayName: 'Mallory',
        password: NEW_PASSWORD,
      });
      assert.equal(reused.status, 404, 'the setup link works once');
      assert.equal(await t.server.accounts.setupLinkIfNeeded(), undefined);

      // Held back until a factor is set up: nothing else works yet.
      const users = await admin.call<ErrorBody>('GET', '/api/admin/users');
      assert.equal(users.status, 403);
      assert.equal(users.body.code, 'mfa_required');

      const start = await admin.call<TotpStartReply>('POST', '/api/account/totp/start');
      assert.equal(start.status, 200);
      assert.match(start.body.qrSvg, /^<svg[\s\S]*<\/svg>\s*$/);
      assert.match(start.body.otpauthUri, /^otpauth:\/\/totp\/Konvent:root%40example\.org\?/i);
      adminSecret = start.body.secret;
      const wrong = await admin.call('POST', '/api/account/totp/confirm', { code: '000000' });
      assert.equal(wrong.status, 401);
      const before = admin.cookies.get('kv_session');
      const confirmed = await admin.call<TotpConfirmReply>('POST', '/api/account/totp/confirm', {
        code: await nextCode(adminSecret, usedCodes),
      });
      assert.equal(confirmed.status, 200);
      assert.equal(confirmed.body.recoveryCodes.length, 10);
      assert.equal(confirmed.body.session.stage, 'full');
      assert.notEqual(admin.cookies.get('kv_session'), before, 'a new session id after the step');
      assert.equal((await admin.call('GET', '/api/admin/users')).status, 200);
      assert.equal((await events(t, 'mfa.totp_enrolled')).at(-1)?.outcome, 'success');
    });

    test('wrong password and unknown user get the same answer; repeated failures lock and are audited', async () => {
      const guesser = new ApiClient(t.server.app, '203.0.113.50');
      const answers = [];
      for (const username of ['root@example.org', 'nobody@example.org']) {
        const answer = await guesser.call<ErrorBody>('POST', '/api/auth/login', {
          username,
          password: 'not the password',
        });
        answers.push({ status: answer.status, body: answer.body });
      }
      assert.deepEqual(answers[0], answers[1]);
      assert.equal(answers[0]?.status, 401);

      // Four more wrong passwords lock the account (5 in 15 minutes), also for the right one.
      for (let i = 0; i < 4; i++) {
        await guesser.call('POST', '/api/auth/login', {
          username: 'root@example.org',
          password: `guess ${i}`,
        });
      }
      const locked = await new ApiClient(t.server.app, '192.0.2.9').call<ErrorBody>(
        'POST',
        '/api/auth/login',
        { username: 'ROOT@example.org', password: TEST_PASSWORD },
      );
      assert.equal(locked.status, 429);
      assert.equal(locked.body.code, 'rate_limited');
      // An unknown name locks the same way, so a lock tells nothing about existence.
      for (let i = 0; i < 5; i++) {
        await guesser.call('POST', '/api/auth/login', {
          username: 'ghost@example.org',
          password: `g ${i}`,
        });
      }
      const ghost = await guesser.call('POST', '/api/auth/login', {
        username: 'ghost@example.org',
        password: 'x',
      });
      assert.equal(ghost.status, 429);
      const lockouts = await events(t, 'auth.lockout');
      assert.equal(lockouts.length, 2);
      const failures = await events(t, 'auth.login');
      assert.ok(failures.filter((e) => e.outcome === 'failure').length >= 11);
      assert.ok(failures.some((e) => e.outcome === 'denied'));
      // Nothing typed is stored: neither the names nor the passwords.
      const text = failures.map((e) => Buffer.from(e.content ?? []).toString()).join('\n');
      assert.doesNotMatch(text, /ghost|nobody|not the password|guess/);
      await t.server.database.db.deleteFrom('auth_throttle').execute();
    });

    test('state-changing requests need the session CSRF token and the deployment Origin', async () => {
      const noToken = await admin.call<ErrorBody>(
        'POST',
        '/api/admin/users',
        {},
        { 'x-csrf-token': 'forged' },
      );
      assert.equal(noToken.status, 400, 'validation first');
      const forged = await admin.call<ErrorBody>(
        'POST',
        '/api/admin/users',
        { username: 'x@example.org', displayName: 'X', roles: [] },
        { 'x-csrf-token': 'forged' },
      );
      assert.equal(forged.body.code, 'csrf_failed');
      const foreign = await admin.call<ErrorBody>(
        'POST',
        '/api/admin/users',
        { username: 'x@example.org', displayName: 'X', roles: [] },
        { origin: 'https://evil.example' },
      );
      assert.equal(foreign.body.code, 'csrf_failed');
      assert.equal(await t.server.auth.users.byUsername('x@example.org'), undefined);
    });

    let bob = '';
    test('an admin invites a user, who sets a password through the one-time link and signs in', async () => {
      const invited = await admin.call<OneTimeLinkReply>('POST', '/api/admin/users', {
        username: 'bob@example.org',
        displayName: 'Bob',
        roles: ['organiser'],
      });
      assert.equal(invited.status, 201);
      assert.match(invited.body.link, /\/welcome#k=/);
      const browser = new ApiClient(t.server.app);
      const check = await browser.call('POST', '/api/auth/link/check', {
        token: tokenOf(invited.body.link),
      });
      assert.deepEqual(
        (check.body as { kind: string; username: string }).username,
        'bob@example.org',
      );
      assert.equal(
        (
          await browser.call('POST', '/api/auth/login', {
            username: 'bob@example.org',
            password: TEST_PASSWORD,
          })
        ).status,
        401,
        'an invited account cannot sign in before it has a password',
      );
      const redeemed = await browser.call<SessionReply>('POST', '/api/auth/link/redeem', {
        token: tokenOf(invited.body.link),
        password: NEW_PASSWORD,
      });
      assert.equal(redeemed.status, 200);
      assert.equal(redeemed.body.stage, 'full');
      bob = redeemed.body.account.id;
      const again = await browser.call('POST', '/api/auth/link/redeem', {
        token: tokenOf(invited.body.link),
        password: NEW_PASSWORD,
      });
      assert.equal(again.status, 404);
      const meeting = await browser.call('POST', '/api/meetings', { title: 'Planning' });
      assert.equal(meeting.status, 201);
      const created = await events(t, 'meeting.created');
      assert.deepEqual(
        { kind: created.at(-1)?.actor_kind, id: created.at(-1)?.actor_id },
        { kind: 'user', id: bob },
      );
    });

    test('members cannot create meetings or manage users; anonymous requests are unauthenticated', async () => {
      const invited = await admin.call<OneTimeLinkReply>('POST', '/api/admin/users', {
        username: 'mia@example.org',
        displayName: 'Mia',
        roles: ['member'],
      });
      const mia = new ApiClient(t.server.app);
      await mia.call('POST', '/api/auth/link/redeem', {
        token: tokenOf(invited.body.link),
        password: NEW_PASSWORD,
      });
      assert.equal((await mia.call<ErrorBody>('POST', '/api/meetings', {})).body.code, 'forbidden');
      assert.equal((await mia.call<ErrorBody>('GET', '/api/admin/users')).body.code, 'forbidden');
      const anonymous = new ApiClient(t.server.app);
      assert.equal(
        (await anonymous.call<ErrorBody>('POST', '/api/meetings', {})).body.code,
        'unauthenticated',
      );
    });

    test('role changes are audited; the last admin cannot lose the role; a member cannot promote themself', async () => {
      const changed = await admin.call<UserView>('PATCH', `/api/admin/users/${bob}`, {
        roles: ['organiser', 'auditor'],
      });
      assert.equal(changed.status, 200);
      assert.deepEqual(changed.body.roles, ['auditor', 'organiser']);
      const roleEvents = await events(t, 'user.roles_changed');
      assert.equal(roleEvents.at(-1)?.target, `user:${bob}`);

      const me = (await admin.call<SessionReply>('GET', '/api/auth/session')).body.account.id;
      const demote = await admin.call<ErrorBody>('PATCH', `/api/admin/users/${me}`, {
        roles: ['organiser'],
      });
      assert.equal(demote.status, 409);
      assert.equal((await events(t, 'user.roles_changed')).at(-1)?.outcome, 'denied');
      const self = await admin.call<ErrorBody>('PATCH', `/api/admin/users/${me}`, {
        disabled: true,
      });
      assert.equal(self.status, 409);
    });

    test('an account with the auditor role searches the audit trail; others may not', async () => {
      const auditor = new ApiClient(t.server.app);
      await auditor.call('POST', '/api/auth/login', {
        username: 'bob@example.org',
        password: NEW_PASSWORD,
      });
      const found = await auditor.call<{ events: { action: string }[] }>(
        'GET',
        '/api/audit/events?action=user.roles_changed',
      );
      assert.equal(found.status, 200);
      assert.ok(found.body.events.length >= 1);
      const searches = await events(t, 'auditor.search');
      assert.equal(searches.at(-1)?.actor_id, bob);
      const member = await signedInAccount(t.server, ['member', 'organiser']);
      const other = new ApiClient(t.server.app);
      other.cookies.set('kv_session', member.cookie.slice('kv_session='.length));
      const refused = await other.call<ErrorBody>('GET', '/api/audit/events');
      assert.equal(refused.body.code, 'forbidden');
    });

    test('signing in with a second factor: TOTP once per code, recovery codes once each', async () => {
      const browser = new ApiClient(t.server.app);
      const first = await browser.call<SessionReply>('POST', '/api/auth/login', {
        username: 'root@example.org',
        password: TEST_PASSWORD,
      });
      assert.equal(first.body.stage, 'mfa');
      assert.deepEqual(first.body.methods, ['totp', 'recovery']);
      assert.equal(
        (await browser.call<ErrorBody>('GET', '/api/admin/users')).body.code,
        'mfa_required',
      );
      const code = await nextCode(adminSecret, usedCodes);
      const passed = await browser.call<SessionReply>('POST', '/api/auth/mfa/totp', { code });
      assert.equal(passed.body.stage, 'full');

      // The same code again (another sign-in, same 30 s step) is refused: replay.
      const other = new ApiClient(t.server.app);
      await other.call('POST', '/api/auth/login', {
        username: 'root@example.org',
        password: TEST_PASSWORD,
      });
      assert.equal((await other.call('POST', '/api/auth/mfa/totp', { code })).status, 401);

      const codes = await admin.call<{ recoveryCodes: string[] }>(
        'POST',
        '/api/account/recovery-codes',
      );
      const recovery = codes.body.recoveryCodes[0] ?? '';
      const withRecovery = await other.call<SessionReply>('POST', '/api/auth/mfa/recovery', {
        code: recovery.toLowerCase(),
      });
      assert.equal(withRecovery.body.stage, 'full');
      const third = new ApiClient(t.server.app);
      await third.call('POST', '/api/auth/login', {
        username: 'root@example.org',
        password: TEST_PASSWORD,
      });
      assert.equal(
        (await third.call('POST', '/api/auth/mfa/recovery', { code: recovery })).status,
        401,
      );
      await t.server.database.db.deleteFrom('auth_throttle').execute();
    });

    test('a user lists and ends their sessions; signing out ends the session', async () => {
      const laptop = new ApiClient(t.server.app);
      const phone = new ApiClient(t.server.app);
      for (const device of [laptop, phone]) {
        await device.call('POST', '/api/auth/login', {
          username: 'bob@example.org',
          password: NEW_PASSWORD,
        });
      }
      const listed = await laptop.call<SessionsReply>('GET', '/api/account/sessions');
      assert.ok(listed.body.sessions.length >= 2);
      assert.equal(listed.body.sessions.filter((s) => s.current).length, 1);
      const revoked = await laptop.call<{ revoked: number }>(
        'POST',
        '/api/account/sessions/revoke-others',
      );
      assert.ok(revoked.body.revoked >= 1);
      assert.equal((await phone.call('GET', '/api/auth/session')).status, 401);
      assert.equal((await laptop.call('GET', '/api/auth/session')).status, 200);
      assert.equal((await laptop.call('POST', '/api/auth/logout')).status, 200);
      assert.equal((await laptop.call('GET', '/api/auth/session')).status, 401);
      assert.ok((await events(t, 'auth.session_revoked')).length >= 1);
      assert.ok((await events(t, 'auth.logout')).length >= 1);
    });

    test('disabling a user ends their sessions at once; a reset link sets a new password', async () => {
      const device = new ApiClient(t.server.app);
      await device.call('POST', '/api/auth/login', {
        username: 'bob@example.org',
        password: NEW_PASSWORD,
      });
      const disabled = await admin.call<UserView>('PATCH', `/api/admin/users/${bob}`, {
        disabled: true,
      });
      assert.equal(disabled.body.status, 'disabled');
      assert.equal(disabled.body.activeSessions, 0);
      assert.equal((await device.call('GET', '/api/auth/session')).status, 401);
      const refused = await device.call('POST', '/api/auth/login', {
        username: 'bob@example.org',
        password: NEW_PASSWORD,
      });
      assert.equal(refused.status, 401);
      await admin.call('PATCH', `/api/admin/users/${bob}`, { disabled: false });
      const reset = await admin.call<OneTimeLinkReply>('POST', `/api/admin/users/${bob}/link`);
      assert.match(reset.body.link, /\/reset#k=/);
      const redeemed = await device.call<SessionReply>('POST', '/api/auth/link/redeem', {
        token: tokenOf(reset.body.link),
        password: 'Ein ganz anderes neues Kennwort 2027',
      });
      assert.equal(redeemed.body.stage, 'full');
      assert.equal(
        (
          await device.call('POST', '/api/auth/login', {
            username: 'bob@example.org',
            password: NEW_PASSWORD,
          })
        ).status,
        401,
      );
      for (const action of [
        'user.disabled',
        'user.enabled',
        'auth.link_issued',
        'auth.link_redeemed',
      ]) {
        assert.ok((await events(t, action)).length >= 1, action);
      }
    });

    test('the session table holds no usable secret and no user name in the clear', async () => {
      const sessions = await t.server.database.db.selectFrom('auth_sessions').selectAll().execute();
      const users = await t.server.database.db.selectFrom('users').selectAll().execute();
      const dump = JSON.stringify({ sessions, users }, (_key, value: unknown) =>
        value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : value,
      );
      assert.doesNotMatch(dump, /bob@example\.org|root@example\.org|Root Admin/i);
      assert.ok(
        users.every(
          (user) => user.password_hash === null || user.password_hash.startsWith('$argon2id$'),
        ),
      );
    });
  });
}
