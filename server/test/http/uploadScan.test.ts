import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { auditRows } from '../helpers/auditRows.ts';
import { EICAR, EICAR_BODY_SIGNATURE, startClamd, type TestClamd } from '../helpers/clamd.ts';
import { eachBackend, type TestBackend } from '../helpers/databases.ts';
import { makeMedia } from '../helpers/mediaFixture.ts';
import { makePdf } from '../helpers/pdfFixture.ts';
import {
  createMeeting,
  joinMeeting,
  startTestServer,
  TEST_ORIGIN,
  type TestServer,
} from '../helpers/testServer.ts';

/** A valid PDF that carries the EICAR test bytes in a comment after its end: "infected". */
function infectedPdf(): Buffer {
  return Buffer.concat([makePdf({ pages: 1 }), Buffer.from('%'), EICAR, Buffer.from('\n')]);
}

/** Starts a listening test server, with the virus scan on when given a clamd. */
function serverFixture(backend: TestBackend, clamd?: () => TestClamd) {
  const state: { t?: TestServer } = {};
  before(async () => {
    const scan = clamd?.();
    state.t = await startTestServer(backend, {
      listen: true,
      apiPerMinute: 10_000,
      ...(scan === undefined ? {} : { virusScan: { clamd: scan.address, timeoutMs: 10_000 } }),
    });
  });
  after(() => state.t?.close());
  return () => {
    if (state.t?.baseUrl === undefined) throw new Error('the server has not started');
    return { t: state.t, baseUrl: state.t.baseUrl };
  };
}

/** A new meeting and its moderator's session cookie (moderators may upload). */
async function moderatedMeeting(baseUrl: string) {
  const m = await createMeeting(baseUrl);
  const mod = await joinMeeting(baseUrl, m.meetingId, m.moderatorToken, 'Mod');
  return { meetingId: m.meetingId, mod };
}

function upload(baseUrl: string, cookie: string, meetingId: string, body: Uint8Array) {
  return fetch(`${baseUrl}/api/meetings/${meetingId}/presentations?name=Secret%20plan.pdf`, {
    method: 'POST',
    headers: { 'content-type': 'application/pdf', cookie, origin: TEST_ORIGIN },
    body,
  });
}

async function storedCount(t: TestServer, meetingId: string): Promise<number> {
  const rows = await t.server.database.db
    .selectFrom('presentations')
    .select('id')
    .where('meeting_id', '=', meetingId)
    .execute();
  return rows.length;
}

for (const backend of eachBackend()) {
  describe(`presentation uploads with the virus scan on (${backend.name})`, () => {
    let clamd: TestClamd;
    before(async () => {
      clamd = await startClamd();
    });
    after(() => clamd.stop());
    const server = serverFixture(backend, () => clamd);

    test('a clean PDF is scanned and stored', async () => {
      const { t, baseUrl } = server();
      const { meetingId, mod } = await moderatedMeeting(baseUrl);
      const response = await upload(baseUrl, mod.cookie, meetingId, makePdf({ pages: 2 }));
      assert.equal(response.status, 201, await response.clone().text());
      assert.equal(await storedCount(t, meetingId), 1);
    });

    test('an infected PDF is refused with a clear message, not stored, and audited with the signature but not the file name', async () => {
      const { t, baseUrl } = server();
      const { meetingId, mod } = await moderatedMeeting(baseUrl);
      const response = await upload(baseUrl, mod.cookie, meetingId, infectedPdf());
      assert.equal(response.status, 422);
      assert.deepEqual(await response.json(), {
        code: 'upload_refused',
        message: 'The file was refused by the virus scan.',
      });
      assert.equal(await storedCount(t, meetingId), 0);

      const rows = await auditRows(t, meetingId, 'presentation.uploaded');
      assert.deepEqual(
        rows.map((row) => [row.actor, row.outcome]),
        [[mod.participantId, 'denied']],
      );
      const content = JSON.parse(rows[0]?.content ?? '{}') as { details?: unknown };
      assert.deepEqual(content.details, {
        reason: 'malware',
        signature: `${EICAR_BODY_SIGNATURE}.UNOFFICIAL`,
      });
      assert.equal(rows[0]?.content.includes('Secret'), false);
    });

    test('the scan comes before the PDF is opened: malware that is not even a PDF is refused as malware', async () => {
      const { t, baseUrl } = server();
      const { meetingId, mod } = await moderatedMeeting(baseUrl);
      const response = await upload(baseUrl, mod.cookie, meetingId, EICAR);
      assert.equal(response.status, 422);
      assert.equal(
        ((await response.json()) as { message: string }).message,
        'The file was refused by the virus scan.',
      );
      assert.equal(await storedCount(t, meetingId), 0);
    });

    test('shared media is scanned too: a video carrying the EICAR bytes is refused and audited, a clean one is stored', async () => {
      const { t, baseUrl } = server();
      const { meetingId, mod } = await moderatedMeeting(baseUrl);
      const send = (body: Uint8Array) =>
        fetch(`${baseUrl}/api/meetings/${meetingId}/media?name=Holiday.webm`, {
          method: 'POST',
          headers: { 'content-type': 'video/webm', cookie: mod.cookie, origin: TEST_ORIGIN },
          body,
        });
      const clip = makeMedia('webm', 2);
      const infected = await send(Buffer.concat([clip, EICAR]));
      assert.equal(infected.status, 422);
      assert.equal(
        ((await infected.json()) as { message: string }).message,
        'The file was refused by the virus scan.',
      );
      const rows = await auditRows(t, meetingId, 'media.uploaded');
      assert.deepEqual(
        rows.map((row) => [row.actor, row.outcome]),
        [[mod.participantId, 'denied']],
      );
      assert.equal(rows[0]?.content.includes('Holiday'), false);
      const clean = await send(clip);
      assert.equal(clean.status, 201, await clean.clone().text());
      const stored = await t.server.database.db
        .selectFrom('shared_media')
        .select('id')
        .where('meeting_id', '=', meetingId)
        .execute();
      assert.equal(stored.length, 1);
    });

    test('with clamd down every upload is refused as unavailable (fail closed) and nothing is stored', async () => {
      const { t, baseUrl } = server();
      const { meetingId, mod } = await moderatedMeeting(baseUrl);
      await clamd.stop();
      const response = await upload(baseUrl, mod.cookie, meetingId, makePdf({ pages: 1 }));
      assert.equal(response.status, 503);
      const body = (await response.json()) as { code: string; message: string };
      assert.equal(body.code, 'unavailable');
      assert.match(body.message, /virus scan is unavailable/);
      assert.equal(await storedCount(t, meetingId), 0);
    });
  });

  describe(`presentation uploads with the virus scan off (${backend.name})`, () => {
    const server = serverFixture(backend);

    test('nothing is scanned: even a PDF carrying the EICAR test bytes is stored', async () => {
      const { t, baseUrl } = server();
      const { meetingId, mod } = await moderatedMeeting(baseUrl);
      const response = await upload(baseUrl, mod.cookie, meetingId, infectedPdf());
      assert.equal(response.status, 201, await response.clone().text());
      assert.equal(await storedCount(t, meetingId), 1);
    });
  });
}
