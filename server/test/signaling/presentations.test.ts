import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PresentationInfo } from '@konvent/protocol';
import { auditRows } from '../helpers/auditRows.ts';
import { eachBackend } from '../helpers/databases.ts';
import { makePdf } from '../helpers/pdfFixture.ts';
import { signalingFixture, type Person } from '../helpers/signalingFixture.ts';
import { code, data } from '../helpers/signalingKit.ts';
import { joinMeeting, TEST_ORIGIN } from '../helpers/testServer.ts';

/** Small limits, so "too large", "too many pages" and "too many uploads" need no big files. */
const LIMITS = { maxBytes: 64 * 1024, maxPages: 5, perMeeting: 3 };

for (const backend of eachBackend()) {
  describe(`presentations on ${backend.name}`, () => {
    const f = signalingFixture(backend, { presentations: LIMITS });
    const { connect, meeting } = f;

    function upload(
      person: { cookie: string },
      meetingId: string,
      body: Uint8Array,
      name = 'Quarterly plan.pdf',
      contentType = 'application/pdf',
    ): Promise<Response> {
      return fetch(
        `${f.baseUrl}/api/meetings/${meetingId}/presentations?name=${encodeURIComponent(name)}`,
        {
          method: 'POST',
          headers: { 'content-type': contentType, cookie: person.cookie, origin: TEST_ORIGIN },
          body,
        },
      );
    }

    async function uploaded(person: Person, meetingId: string, pdf: Buffer) {
      const response = await upload(person, meetingId, pdf);
      assert.equal(response.status, 201, await response.clone().text());
      return ((await response.json()) as { presentation: PresentationInfo }).presentation;
    }

    function download(cookie: string | undefined, meetingId: string, id: string) {
      return fetch(`${f.baseUrl}/api/meetings/${meetingId}/presentations/${id}`, {
        headers: cookie === undefined ? {} : { cookie },
      });
    }

    async function storedCount(meetingId: string): Promise<number> {
      const rows = await f.t.server.database.db
        .selectFrom('presentations')
        .select('id')
        .where('meeting_id', '=', meetingId)
        .execute();
      return rows.length;
    }

    async function errorOf(response: Response): Promise<{ code: string; message: string }> {
      return (await response.json()) as { code: string; message: string };
    }

    test('a presenter uploads a PDF, everyone sees it shown and follows page turns, a late joiner lands on the current page, and it is audited without its name', async () => {
      const { meetingId, participantToken, mod, others } = await meeting('Ada', 'Bob');
      const [ada, bob] = others;
      assert.ok(ada && bob);
      data(
        await mod.client.request('moderation.setRole', {
          participantId: ada.participantId,
          role: 'presenter',
        }),
      );
      const pdf = makePdf({ pages: 3, marker: 'SECRET-MARKER-4711' });
      const presentation = await uploaded(ada, meetingId, pdf);
      assert.deepEqual(
        { name: presentation.name, pages: presentation.pages, size: presentation.size },
        { name: 'Quarterly plan.pdf', pages: 3, size: pdf.byteLength },
      );

      data(
        await ada.client.request('presentation.show', { presentationId: presentation.id, page: 1 }),
      );
      for (const person of [mod, ada, bob]) {
        const changed = await person.client.notification('presentation.changed');
        assert.deepEqual(changed.presentation, {
          id: presentation.id,
          name: 'Quarterly plan.pdf',
          pages: 3,
          page: 1,
          presenterId: ada.participantId,
        });
      }
      data(
        await ada.client.request('presentation.show', { presentationId: presentation.id, page: 2 }),
      );
      for (const person of [mod, bob])
        await person.client.notification('presentation.changed', (d) => d.presentation?.page === 2);
      // Beyond the last page is refused; the meeting stays on page 2.
      assert.equal(
        code(
          await ada.client.request('presentation.show', {
            presentationId: presentation.id,
            page: 4,
          }),
        ),
        'bad_request',
      );

      const carl = await joinMeeting(f.baseUrl, meetingId, participantToken, 'Carl');
      const welcome = await connect(meetingId, carl.cookie).notification('session.welcome');
      assert.equal(welcome.presentation?.id, presentation.id);
      assert.equal(welcome.presentation.page, 2);

      // Everyone admitted downloads the PDF as is, with headers that keep it from being cached or sniffed.
      const got = await download(bob.cookie, meetingId, presentation.id);
      assert.equal(got.status, 200);
      assert.equal(got.headers.get('content-type'), 'application/pdf');
      assert.equal(got.headers.get('cache-control'), 'no-store');
      assert.equal(
        got.headers.get('content-disposition'),
        'attachment; filename="presentation.pdf"',
      );
      assert.match(got.headers.get('content-security-policy') ?? '', /^sandbox/);
      assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
      assert.deepEqual(Buffer.from(await got.arrayBuffer()), pdf);

      data(await mod.client.request('presentation.close', {}));
      await bob.client.notification('presentation.changed', (d) => d.presentation === null);

      const rows = await auditRows(f.t, meetingId);
      const ours = rows.filter((row) => row.action.startsWith('presentation.'));
      assert.deepEqual(
        ours.map((row) => [row.action, row.actor, row.target, row.outcome]),
        [
          ['presentation.uploaded', ada.participantId, presentation.id, 'success'],
          ['presentation.shown', ada.participantId, presentation.id, 'success'],
          ['presentation.closed', mod.participantId, presentation.id, 'success'],
        ],
      );
      const content = ours[0]?.content ?? '';
      assert.match(content, /"pages":3/);
      assert.equal(content.includes('Quarterly'), false);
    });

    test('the content is sealed at rest and goes with the meeting’s data', async () => {
      const { meetingId, mod } = await meeting();
      const pdf = makePdf({ pages: 2, marker: 'SEALED-MARKER-0815' });
      const presentation = await uploaded(mod, meetingId, pdf);
      const row = await f.t.server.database.db
        .selectFrom('presentations')
        .selectAll()
        .where('id', '=', presentation.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.uploaded_by, mod.participantId);
      assert.equal(row.pages, 2);
      assert.equal(row.size, pdf.byteLength);
      for (const sealed of [row.content_sealed, row.name_sealed]) {
        const bytes = Buffer.from(sealed);
        assert.equal(bytes.includes(Buffer.from('SEALED-MARKER-0815')), false);
        assert.equal(bytes.includes(Buffer.from('%PDF-')), false);
        assert.equal(bytes.includes(Buffer.from('Quarterly')), false);
      }

      await f.t.server.database.db.deleteFrom('meetings').where('id', '=', meetingId).execute();
      assert.equal(await storedCount(meetingId), 0);
    });

    test('a participant may neither upload nor show: forbidden, audited as denied, nothing stored', async () => {
      const { meetingId, mod, others } = await meeting('Ada');
      const [ada] = others;
      assert.ok(ada);
      const refused = await upload(ada, meetingId, makePdf({ pages: 1 }));
      assert.equal(refused.status, 403);
      assert.equal((await errorOf(refused)).code, 'forbidden');
      assert.equal(await storedCount(meetingId), 0);
      const listed = await fetch(`${f.baseUrl}/api/meetings/${meetingId}/presentations`, {
        headers: { cookie: ada.cookie },
      });
      assert.equal(listed.status, 403);

      const presentation = await uploaded(mod, meetingId, makePdf({ pages: 2 }));
      const show = { presentationId: presentation.id, page: 1 };
      assert.equal(code(await ada.client.request('presentation.show', show)), 'forbidden');
      data(await mod.client.request('presentation.show', show));
      assert.equal(code(await ada.client.request('presentation.close', {})), 'forbidden');

      const denied = (await auditRows(f.t, meetingId)).filter((row) => row.outcome === 'denied');
      assert.deepEqual(
        denied.map((row) => [row.action, row.actor]),
        [
          ['presentation.uploaded', ada.participantId],
          ['presentation.shown', ada.participantId],
          ['presentation.closed', ada.participantId],
        ],
      );
    });

    test('uploads that are not PDFs, too large, have too many pages, are encrypted or unreadable are refused with a clear reason and not stored', async () => {
      const { meetingId, mod } = await meeting();
      const cases: [string, Uint8Array, string, number, RegExp][] = [
        ['not a PDF', Buffer.from('<html>hello</html>'), 'application/pdf', 400, /not a PDF/],
        [
          'damaged',
          Buffer.from('%PDF-1.4\nnothing here'),
          'application/pdf',
          400,
          /cannot be read/,
        ],
        [
          'encrypted',
          makePdf({ pages: 1, encrypted: true }),
          'application/pdf',
          400,
          /Encrypted PDFs cannot be shown/,
        ],
        ['too many pages', makePdf({ pages: 6 }), 'application/pdf', 400, /6 pages; at most 5/],
        [
          'too large',
          Buffer.concat([makePdf({ pages: 1 }), Buffer.alloc(LIMITS.maxBytes)]),
          'application/pdf',
          413,
          /./,
        ],
        ['wrong type', makePdf({ pages: 1 }), 'text/plain', 400, /./],
      ];
      for (const [what, body, type, status, message] of cases) {
        const response = await upload(mod, meetingId, body, 'x.pdf', type);
        assert.equal(response.status, status, what);
        assert.match((await errorOf(response)).message, message, what);
      }
      assert.equal(await storedCount(meetingId), 0);
    });

    test('a meeting keeps a bounded number of presentations', async () => {
      const { meetingId, mod } = await meeting();
      for (let i = 0; i < LIMITS.perMeeting; i += 1)
        await uploaded(mod, meetingId, makePdf({ pages: 1 }));
      const refused = await upload(mod, meetingId, makePdf({ pages: 1 }));
      assert.equal(refused.status, 409);
      assert.match((await errorOf(refused)).message, /already has 3 presentations/);
      assert.equal(await storedCount(meetingId), LIMITS.perMeeting);
    });

    test('only admitted members of the meeting download its presentations', async () => {
      const { meetingId, mod } = await meeting();
      const presentation = await uploaded(mod, meetingId, makePdf({ pages: 1 }));
      assert.equal((await download(undefined, meetingId, presentation.id)).status, 401);
      // Presenters and moderators list the presentations to show one again.
      const list = await fetch(`${f.baseUrl}/api/meetings/${meetingId}/presentations`, {
        headers: { cookie: mod.cookie },
      });
      assert.deepEqual(await list.json(), { presentations: [presentation] });
      const stranger = await fetch(`${f.baseUrl}/api/meetings/${meetingId}/presentations`);
      assert.equal(stranger.status, 401);

      // Someone of another meeting: their cookie is not this meeting's.
      const other = await meeting();
      assert.equal((await download(other.mod.cookie, meetingId, presentation.id)).status, 401);
      // A presentation of another meeting is not found through this one.
      assert.equal(
        (await download(other.mod.cookie, other.meetingId, presentation.id)).status,
        404,
      );
      // An upload without this site's Origin is refused.
      const crossSite = await fetch(`${f.baseUrl}/api/meetings/${meetingId}/presentations`, {
        method: 'POST',
        headers: { 'content-type': 'application/pdf', cookie: mod.cookie },
        body: makePdf({ pages: 1 }),
      });
      assert.equal(crossSite.status, 403);
    });
  });
}
