import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import {
  CLOSE_CODES,
  type CheckLinkReply,
  type CreateInvitationReply,
  type MeetingPolicyChanges,
  type PolicyReply,
} from '@konvent/protocol';
import { auditRows } from '../helpers/auditRows.ts';
import { eachBackend } from '../helpers/databases.ts';
import { signalingFixture } from '../helpers/signalingFixture.ts';
import { code, data } from '../helpers/signalingKit.ts';
import {
  createMeeting,
  joinMeeting,
  signedInAccount,
  tokenOf,
  TEST_ORIGIN,
  type JoinOptions,
} from '../helpers/testServer.ts';

/** Generous limits for the main server, so tests that fail on purpose do not lock each other out. */
const LOOSE = { maxFailures: 10_000, windowMs: 600_000, lockMs: 600_000 };

for (const backend of eachBackend()) {
  describe(`admission: lobby, policy, invitations and reports on ${backend.name}`, () => {
    const f = signalingFixture(backend, { linkThrottle: { source: LOOSE, secret: LOOSE } });
    const { connect } = f;

    async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
      const response = await fetch(`${f.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as unknown };
    }

    function audit(meetingId: string, action?: string) {
      return auditRows(f.t, meetingId, action);
    }

    /** A meeting with the given policy and its moderator connected. */
    async function moderated(policy: MeetingPolicyChanges) {
      const m = await createMeeting(f.baseUrl, 'Admission', policy);
      const mod = await joinMeeting(f.baseUrl, m.meetingId, m.moderatorToken, 'Mod');
      const modClient = connect(m.meetingId, mod.cookie);
      await modClient.notification('session.welcome');
      return { m, mod, modClient };
    }

    async function join(meetingId: string, token: string, name: string, options: JoinOptions = {}) {
      const joined = await joinMeeting(f.baseUrl, meetingId, token, name, options);
      return { ...joined, client: connect(meetingId, joined.cookie) };
    }

    async function invite(meetingId: string, body: object): Promise<CreateInvitationReply> {
      const reply = await post(
        `/api/meetings/${meetingId}/invitations`,
        body,
        f.t.organiser.headers,
      );
      assert.equal(reply.status, 201, JSON.stringify(reply.body));
      return reply.body as CreateInvitationReply;
    }

    test('by default a guest gives the passcode, waits in the lobby hearing nothing of the meeting, and enters when a moderator admits them', async () => {
      const { m, mod, modClient } = await moderated({});
      assert.match(m.reply.passcode ?? '', /^\d{8}$/);
      assert.deepEqual(m.reply.policy, {
        guestPolicy: 'ask_moderator',
        passcode: true,
        lockAfterStartMinutes: 10,
      });
      const check = await post(`/api/meetings/${m.meetingId}/check`, {
        token: m.participantToken,
      });
      const checked = check.body as CheckLinkReply;
      assert.equal(checked.secret, 'passcode');
      assert.equal(checked.lobby, true);
      assert.equal(checked.role, 'guest');
      const noPasscode = await post(`/api/meetings/${m.meetingId}/join`, {
        token: m.participantToken,
        displayName: 'Gast',
      });
      assert.equal(noPasscode.status, 401);
      const wrong = await post(`/api/meetings/${m.meetingId}/join`, {
        token: m.participantToken,
        displayName: 'Gast',
        secret: '00000000',
      });
      assert.equal(wrong.status, 401);
      assert.equal((await audit(m.meetingId, 'meeting.joined')).at(-1)?.outcome, 'failure');

      const guest = await join(m.meetingId, m.participantToken, '<b>Gast</b>', {
        as: 'guest',
        secret: m.reply.passcode ?? '',
      });
      assert.equal(guest.admission, 'waiting');
      assert.equal(guest.role, 'guest');
      assert.deepEqual(await guest.client.notification('lobby.waiting'), {});
      const queue = await modClient.notification('lobby.changed', (d) => d.waiting.length === 1);
      const [entry] = queue.waiting;
      assert.ok(entry);
      assert.deepEqual([entry.displayName, entry.arrival], ['<b>Gast</b>', 'link']);

      // Nothing said or done in the meeting reaches the lobby; the lobby can do nothing.
      data(await modClient.request('chat.send', { text: 'secret agenda' }));
      data(await modClient.request('moderation.setLocks', { locks: { publicChat: true } }));
      assert.equal(code(await guest.client.request('chat.send', { text: 'hi' })), 'forbidden');
      data(await modClient.request('lobby.message', { text: 'Einen Moment bitte' }));
      assert.equal(
        (await guest.client.notification('lobby.waiting', (d) => d.message !== undefined)).message,
        'Einen Moment bitte',
      );
      await sleep(100);
      const seen = guest.client.frames.map((f) => ('notification' in f ? f.notification : 'reply'));
      assert.deepEqual([...new Set(seen)].sort(), ['lobby.waiting', 'reply']);
      assert.doesNotMatch(JSON.stringify(guest.client.frames), /secret agenda|Mod/);

      const admitted = data(
        await modClient.request('lobby.admit', { participantIds: [guest.participantId] }),
      ) as { admitted: string[] };
      assert.deepEqual(admitted.admitted, [guest.participantId]);
      await guest.client.notification('lobby.admitted');
      assert.equal((await guest.client.closed).code, CLOSE_CODES.admitted);
      const inside = connect(m.meetingId, guest.cookie);
      const welcome = await inside.notification('session.welcome');
      assert.equal(welcome.self.role, 'guest');
      assert.equal(welcome.policy, undefined, 'only moderators see the policy');
      assert.equal(welcome.chat.length, 1);
      await modClient.notification(
        'participant.joined',
        (d) => d.participant.id === guest.participantId,
      );
      const [event] = await audit(m.meetingId, 'moderation.lobby_admitted');
      assert.deepEqual([event?.actor, event?.target], [mod.participantId, guest.participantId]);
    });

    test('a denied guest is told so, their socket closes, and their session is dead', async () => {
      const { m, modClient } = await moderated({ passcode: 'none' });
      const guest = await join(m.meetingId, m.participantToken, 'Gast', { as: 'guest' });
      await guest.client.notification('lobby.waiting');
      await modClient.notification('lobby.changed', (d) => d.waiting.length === 1);
      data(await modClient.request('lobby.deny', { all: true }));
      assert.equal((await guest.client.notification('meeting.ended')).reason, 'denied');
      assert.equal((await guest.client.closed).code, CLOSE_CODES.denied);
      const again = connect(m.meetingId, guest.cookie);
      assert.equal((await again.closed).code, CLOSE_CODES.unauthenticated);
      assert.equal((await audit(m.meetingId, 'moderation.lobby_denied')).length, 1);
    });

    test('someone who gives up waiting leaves the lobby, the moderators are told, and the session is dead', async () => {
      const { m, modClient } = await moderated({ passcode: 'none' });
      const guest = await join(m.meetingId, m.participantToken, 'Gast', { as: 'guest' });
      await guest.client.notification('lobby.waiting');
      await modClient.notification('lobby.changed', (d) => d.waiting.length === 1);
      data(await guest.client.request('meeting.leave', {}));
      assert.equal((await guest.client.closed).code, CLOSE_CODES.normal);
      await modClient.notification('lobby.changed', (d) => d.waiting.length === 0);
      const [left] = await audit(m.meetingId, 'meeting.left');
      assert.equal(left?.actor, guest.participantId);
      const again = connect(m.meetingId, guest.cookie);
      assert.equal((await again.closed).code, CLOSE_CODES.unauthenticated);
    });

    test('a new moderator is told at once who waits, the policy and open reports; every moderator sees the lobby message', async () => {
      const { m, mod, modClient } = await moderated({
        passcode: 'none',
        guestPolicy: 'accept_signed_in',
      });
      const member = await join(m.meetingId, m.participantToken, 'Member');
      const reporter = await join(m.meetingId, m.participantToken, 'Reporter');
      await member.client.notification('session.welcome');
      await reporter.client.notification('session.welcome');
      // A report about the moderator: the moderator is not told, a later moderator is.
      const { reportId } = data(
        await reporter.client.request('meeting.report', {
          participantId: mod.participantId,
          reason: 'spam',
        }),
      ) as { reportId: string };
      const guest = await join(m.meetingId, m.participantToken, 'Gast', { as: 'guest' });
      await modClient.notification('lobby.changed', (d) => d.waiting.length === 1);
      data(
        await modClient.request('moderation.setRole', {
          participantId: member.participantId,
          role: 'moderator',
        }),
      );
      const queue = await member.client.notification('lobby.changed');
      assert.deepEqual(
        queue.waiting.map((w) => w.id),
        [guest.participantId],
      );
      assert.equal(
        (await member.client.notification('meeting.policyChanged')).policy.guestPolicy,
        'accept_signed_in',
      );
      assert.equal((await member.client.notification('moderation.reported')).report.id, reportId);
      assert.equal(
        modClient.frames.some(
          (f) => 'notification' in f && f.notification === 'moderation.reported',
        ),
        false,
      );
      data(await member.client.request('lobby.message', { text: 'Gleich geht es los' }));
      assert.equal(
        (await modClient.notification('lobby.changed', (d) => d.message !== undefined)).message,
        'Gleich geht es los',
      );
    });

    test('admit all lets everyone waiting in at once, oldest first', async () => {
      const { m, modClient } = await moderated({ passcode: 'none' });
      const a = await join(m.meetingId, m.participantToken, 'A', { as: 'guest' });
      const b = await join(m.meetingId, m.participantToken, 'B');
      await modClient.notification('lobby.changed', (d) => d.waiting.length === 2);
      const reply = data(await modClient.request('lobby.admit', { all: true })) as {
        admitted: string[];
      };
      assert.deepEqual(reply.admitted, [a.participantId, b.participantId]);
      await modClient.notification('lobby.changed', (d) => d.waiting.length === 0);
    });

    test('a participant cannot admit, deny or message the lobby: refused, audited as denied, nothing changes', async () => {
      const { m, modClient } = await moderated({
        passcode: 'none',
        guestPolicy: 'accept_signed_in',
      });
      const member = await join(m.meetingId, m.participantToken, 'Member');
      assert.equal(member.admission, 'admitted');
      await member.client.notification('session.welcome');
      const guest = await join(m.meetingId, m.participantToken, 'Gast', { as: 'guest' });
      assert.equal(guest.admission, 'waiting');
      await modClient.notification('lobby.changed', (d) => d.waiting.length === 1);
      const refusals = [
        await member.client.request('lobby.admit', { all: true }),
        await member.client.request('lobby.deny', { participantIds: [guest.participantId] }),
        await member.client.request('lobby.message', { text: 'come in' }),
      ];
      assert.deepEqual(refusals.map(code), ['forbidden', 'forbidden', 'forbidden']);
      for (const action of [
        'moderation.lobby_admitted',
        'moderation.lobby_denied',
        'moderation.lobby_message',
      ]) {
        const events = await audit(m.meetingId, action);
        assert.deepEqual(
          events.map((e) => e.outcome),
          ['denied'],
          action,
        );
      }
      const waiting = await f.t.server.database.db
        .selectFrom('participants')
        .select('admission')
        .where('id', '=', guest.participantId)
        .executeTakeFirstOrThrow();
      assert.equal(waiting.admission, 'waiting');
    });

    test('guest policies: always deny refuses the participant link but not an invitation; accept signed-in lets accounts in', async () => {
      const { m } = await moderated({ passcode: 'none', guestPolicy: 'always_deny' });
      const refused = await post(`/api/meetings/${m.meetingId}/join`, {
        token: m.participantToken,
        displayName: 'Gast',
      });
      assert.equal(refused.status, 403);
      assert.equal(
        (await audit(m.meetingId, 'meeting.joined')).filter((e) => e.outcome === 'denied').length,
        1,
      );
      const invitation = await invite(m.meetingId, { label: 'Dr. Weber' });
      const invited = await join(m.meetingId, tokenOf(invitation.link), 'Weber', { as: 'guest' });
      assert.equal(invited.admission, 'admitted');
      assert.equal(invited.role, 'participant');

      const open = await moderated({ passcode: 'none', guestPolicy: 'accept_signed_in' });
      const member = await join(open.m.meetingId, open.m.participantToken, 'Member');
      assert.deepEqual([member.admission, member.role], ['admitted', 'participant']);
      const guest = await join(open.m.meetingId, open.m.participantToken, 'Gast', { as: 'guest' });
      assert.deepEqual([guest.admission, guest.role], ['waiting', 'guest']);
    });

    test('the moderator link works only for a signed-in account', async () => {
      const m = await createMeeting(f.baseUrl, 'Signed in', { passcode: 'none' });
      const checked = (
        await post(`/api/meetings/${m.meetingId}/check`, { token: m.moderatorToken })
      ).body as CheckLinkReply;
      assert.deepEqual([checked.role, checked.signIn], ['moderator', true]);
      const anonymous = await post(`/api/meetings/${m.meetingId}/join`, {
        token: m.moderatorToken,
        displayName: 'Impostor',
      });
      assert.equal(anonymous.status, 401);
      const member = await signedInAccount(f.t.server, ['member']);
      const signedIn = await joinMeeting(f.baseUrl, m.meetingId, m.moderatorToken, 'Colleague', {
        as: { cookie: member.cookie },
      });
      assert.equal(signedIn.role, 'moderator');
    });

    test('invitations: single use, PIN as a hash, expiry and revocation; a spent, expired or revoked token looks like an unknown meeting', async () => {
      const { m } = await moderated({ passcode: 'none' });
      const once = await invite(m.meetingId, {
        label: 'Frau Schulz',
        pin: true,
        role: 'presenter',
      });
      assert.match(once.pin ?? '', /^\d{6}$/);
      assert.deepEqual([once.invitation.maxUses, once.invitation.pin], [1, true]);
      const token = tokenOf(once.link);
      const unknown = await post(`/api/meetings/${'A'.repeat(22)}/join`, {
        token,
        displayName: 'X',
        secret: once.pin,
      });
      assert.equal(unknown.status, 404);
      const wrongPin = await post(`/api/meetings/${m.meetingId}/join`, {
        token,
        displayName: 'Schulz',
        secret: '000000',
      });
      assert.equal(wrongPin.status, 401);
      const used = await join(m.meetingId, token, 'Schulz', {
        as: 'guest',
        secret: once.pin ?? '',
      });
      assert.deepEqual([used.admission, used.role], ['admitted', 'presenter']);
      const replay = await post(`/api/meetings/${m.meetingId}/join`, {
        token,
        displayName: 'Schulz',
        secret: once.pin,
      });
      assert.deepEqual([replay.status, replay.body], [unknown.status, unknown.body]);

      const revoked = await invite(m.meetingId, { label: 'Herr Ott', maxUses: null });
      const del = await fetch(
        `${f.baseUrl}/api/meetings/${m.meetingId}/invitations/${revoked.invitation.id}`,
        // No body, so no content-type (Fastify refuses an empty JSON body).
        {
          method: 'DELETE',
          headers: {
            cookie: f.t.organiser.cookie,
            'x-csrf-token': f.t.organiser.csrfToken,
            origin: TEST_ORIGIN,
          },
        },
      );
      assert.equal(del.status, 204);
      const afterRevoke = await post(`/api/meetings/${m.meetingId}/join`, {
        token: tokenOf(revoked.link),
        displayName: 'Ott',
      });
      assert.deepEqual([afterRevoke.status, afterRevoke.body], [unknown.status, unknown.body]);

      const expiring = await invite(m.meetingId, { label: 'Frau Kim', expiresInHours: 1 });
      await sql`update invitations set expires_at = now() - interval '1 second' where id = ${expiring.invitation.id}`.execute(
        f.t.server.database.db,
      );
      const expired = await post(`/api/meetings/${m.meetingId}/check`, {
        token: tokenOf(expiring.link),
      });
      assert.deepEqual(
        [expired.status, expired.body],
        [404, (await post(`/api/meetings/${'A'.repeat(22)}/check`, { token })).body],
      );

      const list = await fetch(`${f.baseUrl}/api/meetings/${m.meetingId}/invitations`, {
        headers: f.t.organiser.headers,
      });
      const { invitations } = (await list.json()) as {
        invitations: { id: string; uses: number; revoked: boolean }[];
      };
      assert.equal(invitations.find((i) => i.id === once.invitation.id)?.uses, 1);
      assert.equal(invitations.find((i) => i.id === revoked.invitation.id)?.revoked, true);
      const stored = await f.t.server.database.db
        .selectFrom('invitations')
        .select(['pin_hash', 'token_hash'])
        .where('id', '=', once.invitation.id)
        .executeTakeFirstOrThrow();
      assert.match(stored.pin_hash ?? '', /^\$argon2id\$/);
      assert.notEqual(stored.token_hash, token);
      assert.equal((await audit(m.meetingId, 'meeting.invitation_created')).length, 3);
      assert.equal((await audit(m.meetingId, 'meeting.invitation_revoked')).length, 1);
    });

    test('a banned invitee cannot come back with the same link, nor a banned account with any link', async () => {
      const { m, modClient } = await moderated({ passcode: 'none', guestPolicy: 'always_accept' });
      const invitation = await invite(m.meetingId, { label: 'Troll', maxUses: 5 });
      const troll = await join(m.meetingId, tokenOf(invitation.link), 'Troll', { as: 'guest' });
      await troll.client.notification('session.welcome');
      data(
        await modClient.request('moderation.remove', {
          participantId: troll.participantId,
          ban: true,
        }),
      );
      assert.equal((await troll.client.notification('meeting.ended')).reason, 'banned');
      const back = await post(`/api/meetings/${m.meetingId}/join`, {
        token: tokenOf(invitation.link),
        displayName: 'Troll again',
      });
      assert.equal(back.status, 404);

      const account = await signedInAccount(f.t.server, ['member']);
      const member = await join(m.meetingId, m.participantToken, 'Member', {
        as: { cookie: account.cookie },
      });
      await member.client.notification('session.welcome');
      data(
        await modClient.request('moderation.remove', {
          participantId: member.participantId,
          ban: true,
        }),
      );
      await member.client.closed;
      const again = await post(
        `/api/meetings/${m.meetingId}/join`,
        { token: m.participantToken, displayName: 'Member again' },
        { cookie: account.cookie },
      );
      assert.equal(again.status, 403);
    });

    test('only signed-in or invited people can be made moderators', async () => {
      const { m, mod, modClient } = await moderated({
        passcode: 'none',
        guestPolicy: 'always_accept',
      });
      const guest = await join(m.meetingId, m.participantToken, 'Gast', { as: 'guest' });
      const member = await join(m.meetingId, m.participantToken, 'Member');
      await guest.client.notification('session.welcome');
      await member.client.notification('session.welcome');
      const refused = await modClient.request('moderation.setRole', {
        participantId: guest.participantId,
        role: 'moderator',
      });
      assert.equal(code(refused), 'forbidden');
      data(
        await modClient.request('moderation.setRole', {
          participantId: member.participantId,
          role: 'moderator',
        }),
      );
      const denied = (await audit(m.meetingId, 'moderation.role_changed')).filter(
        (e) => e.outcome === 'denied',
      );
      assert.deepEqual(
        denied.map((e) => [e.actor, e.target]),
        [[mod.participantId, guest.participantId]],
      );
    });

    test('a participant reports another; a moderator bans them from the report; the reporter is told it was handled', async () => {
      const { m, modClient } = await moderated({ passcode: 'none', guestPolicy: 'always_accept' });
      const reporter = await join(m.meetingId, m.participantToken, 'Reporter');
      const troll = await join(m.meetingId, m.participantToken, 'Troll', { as: 'guest' });
      await reporter.client.notification('session.welcome');
      await troll.client.notification('session.welcome');
      const filed = data(
        await reporter.client.request('meeting.report', {
          participantId: troll.participantId,
          reason: 'harassment',
          text: 'Beleidigungen im Chat',
        }),
      ) as { reportId: string };
      const reported = await modClient.notification('moderation.reported');
      assert.deepEqual(
        [reported.report.id, reported.report.targetId, reported.report.text],
        [filed.reportId, troll.participantId, 'Beleidigungen im Chat'],
      );
      assert.equal(
        code(
          await troll.client.request('moderation.answerReport', {
            reportId: filed.reportId,
            answer: 'dismiss',
          }),
        ),
        'forbidden',
      );
      data(
        await modClient.request('moderation.answerReport', {
          reportId: filed.reportId,
          answer: 'ban',
        }),
      );
      assert.equal((await troll.client.notification('meeting.ended')).reason, 'banned');
      await reporter.client.notification(
        'moderation.reportAnswered',
        (d) => d.reportId === filed.reportId,
      );
      assert.equal(
        code(
          await modClient.request('moderation.answerReport', {
            reportId: filed.reportId,
            answer: 'dismiss',
          }),
        ),
        'not_found',
      );
      const [report] = await audit(m.meetingId, 'meeting.reported');
      assert.doesNotMatch(report?.content ?? '', /Beleidigungen/);
      assert.deepEqual(
        (await audit(m.meetingId, 'moderation.report_answered')).map((e) => e.outcome),
        ['denied', 'success'],
      );
      const sealed = await f.t.server.database.db
        .selectFrom('participant_reports')
        .select('text_sealed')
        .executeTakeFirstOrThrow();
      assert.doesNotMatch(
        Buffer.from(sealed.text_sealed ?? new Uint8Array()).toString('latin1'),
        /Beleidigungen/,
      );
    });

    test('the policy: the organiser and moderators read and change it, relaxing is audited as such, others are refused', async () => {
      const { m, mod } = await moderated({});
      const path = `${f.baseUrl}/api/meetings/${m.meetingId}/policy`;
      const patch = (body: object, headers: Record<string, string>) =>
        fetch(path, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body),
        });
      const relaxed = await patch(
        { passcode: 'none', guestPolicy: 'always_accept' },
        f.t.organiser.headers,
      );
      assert.equal(relaxed.status, 200);
      assert.deepEqual(((await relaxed.json()) as PolicyReply).policy, {
        guestPolicy: 'always_accept',
        passcode: false,
        lockAfterStartMinutes: 10,
      });
      const [event] = await audit(m.meetingId, 'meeting.policy_changed');
      assert.match(event?.content ?? '', /"relaxed":true/);
      // A moderator from inside the meeting, with the meeting cookie and this site's Origin.
      const fromInside = await patch(
        { passcode: 'generate' },
        { cookie: mod.cookie, origin: TEST_ORIGIN },
      );
      const reply = (await fromInside.json()) as PolicyReply;
      assert.match(reply.passcode ?? '', /^\d{8}$/);
      const foreignOrigin = await patch(
        { passcode: 'none' },
        { cookie: mod.cookie, origin: 'https://evil.example' },
      );
      assert.equal(foreignOrigin.status, 403);
      const member = await join(m.meetingId, m.participantToken, 'Member', {
        secret: reply.passcode ?? '',
      });
      await member.client.notification('session.welcome');
      const byParticipant = await patch(
        { passcode: 'none' },
        { cookie: member.cookie, origin: TEST_ORIGIN },
      );
      assert.equal(byParticipant.status, 403);
      const otherOrganiser = await signedInAccount(f.t.server, ['organiser']);
      const byStranger = await patch({ passcode: 'none' }, otherOrganiser.headers);
      assert.equal(byStranger.status, 404);
      const stored = await f.t.server.database.db
        .selectFrom('meetings')
        .select(['guest_policy', 'passcode_hash'])
        .where('id', '=', m.meetingId)
        .executeTakeFirstOrThrow();
      assert.equal(stored.guest_policy, 'always_accept');
      assert.match(stored.passcode_hash ?? '', /^\$argon2id\$/);
    });

    test('locks are stored, and a locked meeting sends new arrivals to the lobby while moderators enter', async () => {
      const { m, modClient } = await moderated({ passcode: 'none', guestPolicy: 'always_accept' });
      data(
        await modClient.request('moderation.setLocks', { locks: { meeting: true, cameras: true } }),
      );
      const stored = await f.t.server.database.db
        .selectFrom('meetings')
        .select('locks')
        .where('id', '=', m.meetingId)
        .executeTakeFirstOrThrow();
      const locks = JSON.parse(stored.locks) as { meeting: boolean; cameras: boolean };
      assert.deepEqual([locks.meeting, locks.cameras], [true, true]);
      const late = await join(m.meetingId, m.participantToken, 'Late');
      assert.equal(late.admission, 'waiting');
      const invitation = await invite(m.meetingId, { label: 'Co-host', role: 'moderator' });
      const cohost = await join(m.meetingId, tokenOf(invitation.link), 'Co-host', { as: 'guest' });
      assert.deepEqual([cohost.admission, cohost.role], ['admitted', 'moderator']);
    });

    test('lock after start locks the meeting by itself, audited as the system', async () => {
      const m = await createMeeting(f.baseUrl, 'Auto lock', {
        passcode: 'none',
        guestPolicy: 'always_accept',
        lockAfterStartMinutes: 1,
      });
      // As if the meeting had started 59.7 s ago: the lock falls due in 0.3 s.
      await sql`update meetings set started_at = now() - interval '59700 milliseconds' where id = ${m.meetingId}`.execute(
        f.t.server.database.db,
      );
      const mod = await joinMeeting(f.baseUrl, m.meetingId, m.moderatorToken, 'Mod');
      const modClient = connect(m.meetingId, mod.cookie);
      await modClient.notification('session.welcome');
      await modClient.notification('meeting.locksChanged', (d) => d.locks.meeting, 5000);
      const [event] = await audit(m.meetingId, 'moderation.locks_changed');
      assert.equal(event?.actor, 'lock_after_start');
      const late = await join(m.meetingId, m.participantToken, 'Late');
      assert.equal(late.admission, 'waiting');
    });
  });

  describe(`throttling of guessed links and passcodes on ${backend.name}`, () => {
    const f = signalingFixture(backend, {
      linkThrottle: {
        source: { maxFailures: 8, windowMs: 600_000, lockMs: 600_000 },
        secret: { maxFailures: 3, windowMs: 600_000, lockMs: 600_000 },
      },
    });

    async function status(path: string, body: object): Promise<number> {
      const response = await fetch(`${f.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      await response.arrayBuffer();
      return response.status;
    }

    async function throttled(meetingId: string | null) {
      const query = f.t.server.database.db
        .selectFrom('audit_events')
        .select(['target', 'meeting_id'])
        .where('action', '=', 'meeting.link_throttled');
      return (meetingId === null ? query : query.where('meeting_id', '=', meetingId)).execute();
    }

    test('wrong passcodes lock the meeting’s passcode check for everyone, audited; a right one is then refused too', async () => {
      const m = await createMeeting(f.baseUrl, 'Throttled', { passcode: 'Richtig-2026' });
      const path = `/api/meetings/${m.meetingId}/join`;
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1)
        statuses.push(
          await status(path, { token: m.participantToken, displayName: 'X', secret: `wrong-${i}` }),
        );
      assert.deepEqual(statuses, [401, 401, 401, 429]);
      assert.equal(
        await status(path, { token: m.participantToken, displayName: 'X', secret: 'Richtig-2026' }),
        429,
      );
      const [lock] = await throttled(m.meetingId);
      assert.equal(lock?.target, m.meetingId);
    });

    test('meeting ids guessed at rate from one address are refused once the address is locked, audited', async () => {
      const m = await createMeeting(f.baseUrl, 'Real', {
        passcode: 'none',
        guestPolicy: 'always_accept',
      });
      const answers: number[] = [];
      for (let i = 0; i < 12; i += 1) {
        const guess = `${String(i).padStart(2, '0')}${'G'.repeat(20)}`;
        answers.push(await status(`/api/meetings/${guess}/check`, { token: 'x'.repeat(43) }));
      }
      // Earlier failures of this address (the passcode test) count too.
      assert.ok(answers.includes(404));
      assert.equal(answers.at(-1), 429);
      assert.equal(
        await status(`/api/meetings/${m.meetingId}/check`, { token: m.participantToken }),
        429,
      );
      assert.ok((await throttled(null)).some((row) => row.target === 'source'));
    });
  });
}
