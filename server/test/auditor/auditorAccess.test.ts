import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AUDIT_ACTION_NAMES,
  type AuditEventsReply,
  type AuditSessionReply,
  type ErrorBody,
} from '@konvent/protocol';
import { AUDIT_ACTIONS } from '../../src/audit/events.ts';
import { eachBackend } from '../helpers/databases.ts';
import { startTestServer, type TestServer } from '../helpers/testServer.ts';

const JSON_HEADERS = { 'content-type': 'application/json' };

test('the protocol lists exactly the audit actions the server knows', () => {
  assert.deepEqual([...AUDIT_ACTION_NAMES].sort(), [...AUDIT_ACTIONS].sort());
});

for (const backend of eachBackend()) {
  describe(`auditor access on ${backend.name}`, () => {
    let t: TestServer;

    before(async () => {
      t = await startTestServer(backend, { apiPerMinute: 1000 });
    });
    after(() => t.close());

    const signIn = (token: string) =>
      t.server.app.inject({
        method: 'POST',
        url: '/api/audit/session',
        headers: JSON_HEADERS,
        payload: JSON.stringify({ token }),
      });
    const search = (query: string, cookie?: string) =>
      t.server.app.inject({
        method: 'GET',
        url: `/api/audit/events${query}`,
        headers: cookie === undefined ? {} : { cookie },
      });
    const actionsOf = async (action: string) =>
      t.server.database.db
        .selectFrom('audit_events')
        .select(['actor_kind', 'actor_id', 'outcome', 'source', 'content'])
        .where('action', '=', action)
        .orderBy('seq')
        .execute();

    async function signedIn(): Promise<{ cookie: string; grantId: string }> {
      const granted = await t.server.auditors.grant('Data protection officer', 8);
      const response = await signIn(granted.token);
      assert.equal(response.statusCode, 200);
      const setCookie = String(response.headers['set-cookie']);
      assert.match(setCookie, /^kv_audit=/);
      assert.match(setCookie, /HttpOnly/);
      assert.match(setCookie, /SameSite=Strict/);
      assert.match(setCookie, /Path=\/api\/audit/);
      return { cookie: setCookie.split(';')[0] ?? '', grantId: granted.grantId };
    }

    test('a grant link signs in once; a used, wrong or expired token is not_found and audited', async () => {
      const granted = await t.server.auditors.grant('Jane Doe, DPO', 1);
      const first = await signIn(granted.token);
      assert.equal(first.statusCode, 200);
      assert.ok(!Number.isNaN(Date.parse(first.json<AuditSessionReply>().expiresAt)));
      const again = await signIn(granted.token);
      assert.equal(again.statusCode, 404);
      assert.equal(again.json<ErrorBody>().code, 'not_found');
      const wrong = await signIn('x'.repeat(43));
      assert.deepEqual(wrong.json<ErrorBody>(), again.json<ErrorBody>());

      const signins = await actionsOf('auditor.signin');
      assert.deepEqual(
        signins.map((row) => [row.outcome, row.actor_kind]),
        [
          ['success', 'user'],
          ['failure', 'system'],
          ['failure', 'system'],
        ],
      );
      const [success] = signins;
      assert.ok(success);
      assert.equal(success.actor_id, granted.grantId);
      assert.equal(success.source, '127.0.0.0/24');
      const grants = await actionsOf('auditor.granted');
      for (const row of grants) {
        assert.ok(
          !Buffer.from(row.content ?? [])
            .toString()
            .includes('Jane'),
        );
      }
    });

    test('an expired grant cannot be used', async () => {
      const granted = await t.server.auditors.grant('Late auditor', 1);
      await t.server.database.db
        .updateTable('auditor_grants')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('id', '=', granted.grantId)
        .execute();
      assert.equal((await signIn(granted.token)).statusCode, 404);
    });

    test('searching without an auditor session is unauthenticated', async () => {
      const none = await search('');
      assert.equal(none.statusCode, 401);
      assert.equal(none.json<ErrorBody>().code, 'unauthenticated');
      const forged = await search('', 'kv_audit=abc.def');
      assert.equal(forged.statusCode, 401);
      const meetingCookie = await search('', 'kv_AAAAAAAAAAAAAAAAAAAAAA=x');
      assert.equal(meetingCookie.statusCode, 401);
    });

    test('a search is validated: bad filters and a limit above 200 are refused', async () => {
      const { cookie } = await signedIn();
      for (const query of [
        '?limit=201',
        '?limit=0',
        '?outcome=maybe',
        '?meeting=short',
        '?from=yesterday',
        '?action=DROP%20TABLE',
        '?unknown=1',
        '?action=meeting.created&action=meeting.joined',
      ]) {
        const response = await search(query, cookie);
        assert.equal(response.statusCode, 400, query);
        assert.equal(response.json<ErrorBody>().code, 'bad_request');
      }
    });

    test('auditors filter events, page through them by seq, and every search is audited', async () => {
      const first = await t.server.meetings.create({ title: 'Board' }, { source: '198.51.100.7' });
      await t.server.meetings.create({}, {});
      await t.server.meetings.create({}, {});
      const { cookie, grantId } = await signedIn();

      const byMeeting = await search(`?meeting=${first.meeting.id}`, cookie);
      assert.equal(byMeeting.statusCode, 200);
      const found = byMeeting.json<AuditEventsReply>();
      assert.equal(found.events.length, 1);
      const [event] = found.events;
      assert.ok(event);
      assert.equal(event.action, 'meeting.created');
      assert.equal(event.source, '198.51.100.0/24');
      assert.equal(event.erased, false);
      assert.deepEqual(event.actor, { kind: 'system', id: 'anonymous' });
      assert.ok(!JSON.stringify(found).includes('Board'));

      const pages: number[][] = [];
      let before: string | null = '';
      while (before !== null) {
        const query = `?action=meeting.created&limit=2${before === '' ? '' : `&before=${before}`}`;
        const page: AuditEventsReply = (await search(query, cookie)).json<AuditEventsReply>();
        pages.push(page.events.map((e) => e.seq));
        before = page.nextBefore;
      }
      const seqs = pages.flat();
      assert.ok(seqs.length >= 3);
      assert.deepEqual(
        seqs,
        [...seqs].sort((a, b) => b - a),
      );
      assert.equal(new Set(seqs).size, seqs.length);
      assert.ok(pages.every((page) => page.length <= 2));

      const outcome = await search('?outcome=denied', cookie);
      assert.ok(outcome.json<AuditEventsReply>().events.every((e) => e.outcome === 'denied'));
      const future = await search('?from=2999-01-01', cookie);
      assert.deepEqual(future.json<AuditEventsReply>().events, []);

      const searches = await actionsOf('auditor.search');
      const mine = searches.filter((row) => row.actor_id === grantId);
      assert.ok(mine.length >= 4);
      assert.match(
        Buffer.from(mine[0]?.content ?? []).toString(),
        new RegExp(`"filters":\\{"meeting":"${first.meeting.id}"\\},"results":1`),
      );
      // The audit of a search shows up in the next search.
      const audited = await search(`?action=auditor.search&actor=${grantId}`, cookie);
      assert.ok(audited.json<AuditEventsReply>().events.length >= mine.length);
    });

    test('signing out ends the session and is audited', async () => {
      const { cookie, grantId } = await signedIn();
      const session = await t.server.app.inject({
        method: 'GET',
        url: '/api/audit/session',
        headers: { cookie },
      });
      assert.equal(session.statusCode, 200);
      const out = await t.server.app.inject({
        method: 'POST',
        url: '/api/audit/signout',
        headers: { cookie },
      });
      assert.equal(out.statusCode, 204);
      assert.match(String(out.headers['set-cookie']), /kv_audit=;/);
      assert.equal((await search('', cookie)).statusCode, 401);
      const signouts = await actionsOf('auditor.signout');
      assert.equal(signouts.at(-1)?.actor_id, grantId);
    });

    test('guessing sign-in tokens is throttled per address', async () => {
      let status = 0;
      for (let attempt = 0; attempt < 11 && status !== 429; attempt++) {
        status = (await signIn('g'.repeat(43))).statusCode;
      }
      assert.equal(status, 429);
    });
  });
}
