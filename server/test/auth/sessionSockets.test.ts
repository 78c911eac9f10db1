import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CLOSE_CODES } from '@konvent/protocol';
import { eachBackend } from '../helpers/databases.ts';
import { SignalingClient } from '../helpers/SignalingClient.ts';
import {
  createMeeting,
  joinMeeting,
  signedInAccount,
  startTestServer,
  type TestServer,
} from '../helpers/testServer.ts';

for (const backend of eachBackend()) {
  describe(`meeting sockets follow the account session on ${backend.name}`, () => {
    let t: TestServer;

    before(async () => {
      t = await startTestServer(backend, { listen: true });
    });
    after(() => t.close());

    /** A meeting socket opened by a signed-in user (their account cookie goes along). */
    async function signedInSocket(accountCookie: string) {
      const meeting = await createMeeting(t.baseUrl ?? '');
      const joined = await joinMeeting(
        t.baseUrl ?? '',
        meeting.meetingId,
        meeting.participantToken,
        'Dana',
      );
      const client = SignalingClient.connect(t.wsUrl ?? '', meeting.meetingId, {
        cookie: `${joined.cookie}; ${accountCookie}`,
      });
      await client.notification('session.welcome');
      return client;
    }

    test('disabling a user closes their open meeting sockets at once with 4403', async () => {
      const dana = await signedInAccount(t.server, ['member']);
      const admin = await signedInAccount(t.server, ['admin']);
      const client = await signedInSocket(dana.cookie);
      const guest = await signedInSocket('kv_session=none');
      const answer = await fetch(`${t.baseUrl ?? ''}/api/admin/users/${dana.userId}`, {
        method: 'PATCH',
        headers: admin.headers,
        body: JSON.stringify({ disabled: true }),
      });
      // The admin here has no second factor yet, so the role's MFA rule holds them back.
      assert.equal(answer.status, 403);
      const ended = await t.server.auth.endAllSessionsOf(dana.userId, 'disabled');
      assert.equal(ended, 1);
      assert.deepEqual(await client.closed, {
        code: CLOSE_CODES.sessionEnded,
        reason: 'session ended',
      });
      assert.equal(guest.closeInfo, undefined, 'a socket without an account session stays open');
      guest.socket.close();
    });

    test('signing out everywhere else closes the sockets of the other sessions only', async () => {
      const erin = await signedInAccount(t.server, ['member'], 'erin@example.org');
      const laptop = await t.server.auth.loginWithPassword(
        'erin@example.org',
        'Lila Elefanten tanzen im Regen 2026',
        {},
      );
      const phoneSocket = await signedInSocket(erin.cookie);
      const laptopCookie = `kv_session=${t.server.app.signCookie(laptop.secret)}`;
      const laptopSocket = await signedInSocket(laptopCookie);
      const answer = await fetch(`${t.baseUrl ?? ''}/api/account/sessions/revoke-others`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          cookie: laptopCookie,
          'x-csrf-token': laptop.context.csrfToken,
          origin: erin.headers['origin'] ?? '',
        },
        body: '{}',
      });
      assert.equal(answer.status, 200);
      assert.equal((await phoneSocket.closed).code, CLOSE_CODES.sessionEnded);
      assert.equal(laptopSocket.closeInfo, undefined);
      laptopSocket.socket.close();
    });
  });
}
