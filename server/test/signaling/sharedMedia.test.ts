import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SharedMediaInfo } from '@konvent/protocol';
import { auditRows } from '../helpers/auditRows.ts';
import { eachBackend } from '../helpers/databases.ts';
import { makeMedia } from '../helpers/mediaFixture.ts';
import { makePdf } from '../helpers/pdfFixture.ts';
import { signalingFixture, type Person } from '../helpers/signalingFixture.ts';
import { code, data } from '../helpers/signalingKit.ts';
import { joinMeeting, TEST_ORIGIN } from '../helpers/testServer.ts';

/** Small limits, so "too large", "too long" and "too many" need no big files. */
const LIMITS = { maxBytes: 3 * 1024 * 1024, maxSeconds: 8, perMeeting: 3 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const backend of eachBackend()) {
  describe(`shared media on ${backend.name}`, () => {
    const f = signalingFixture(backend, { sharedMedia: LIMITS });
    const { connect, meeting } = f;

    function upload(
      person: { cookie: string },
      meetingId: string,
      body: Uint8Array,
      name = 'Welcome film.webm',
      contentType = 'video/webm',
    ): Promise<Response> {
      return fetch(
        `${f.baseUrl}/api/meetings/${meetingId}/media?name=${encodeURIComponent(name)}`,
        {
          method: 'POST',
          headers: { 'content-type': contentType, cookie: person.cookie, origin: TEST_ORIGIN },
          body,
        },
      );
    }

    async function uploaded(person: Person, meetingId: string, file: Buffer, type = 'video/webm') {
      const response = await upload(person, meetingId, file, 'Welcome film.webm', type);
      assert.equal(response.status, 201, await response.clone().text());
      return ((await response.json()) as { media: SharedMediaInfo }).media;
    }

    function download(
      cookie: string | undefined,
      meetingId: string,
      id: string,
      range?: string,
    ): Promise<Response> {
      const headers: Record<string, string> = {};
      if (cookie !== undefined) headers.cookie = cookie;
      if (range !== undefined) headers.range = range;
      return fetch(`${f.baseUrl}/api/meetings/${meetingId}/media/${id}`, { headers });
    }

    async function storedCount(meetingId: string): Promise<number> {
      const rows = await f.t.server.database.db
        .selectFrom('shared_media')
        .select('id')
        .where('meeting_id', '=', meetingId)
        .execute();
      return rows.length;
    }

    test('a presenter uploads a video and plays it for everyone; pause and seek reach all, a late joiner lands at the current second, and it is audited without its name', async () => {
      const { meetingId, participantToken, mod, others } = await meeting('Ada', 'Bob');
      const [ada, bob] = others;
      assert.ok(ada && bob);
      data(
        await mod.client.request('moderation.setRole', {
          participantId: ada.participantId,
          role: 'presenter',
        }),
      );
      const file = makeMedia('webm', 6);
      const media = await uploaded(ada, meetingId, file);
      assert.equal(media.name, 'Welcome film.webm');
      assert.equal(media.kind, 'video');
      assert.equal(media.mime, 'video/webm');
      assert.equal(media.size, file.byteLength);
      assert.ok(Math.abs(media.duration - 6) < 0.1, String(media.duration));

      data(await ada.client.request('media.show', { mediaId: media.id }));
      for (const person of [mod, ada, bob]) {
        const changed = await person.client.notification('media.changed');
        assert.ok(changed.media !== null);
        const { sentAt, ...rest } = changed.media;
        assert.deepEqual(rest, {
          media,
          playing: false,
          position: 0,
          presenterId: ada.participantId,
        });
        // Positions refer to the server's clock, which everyone can ask for.
        const { now } = data(await person.client.request('media.clock', {})) as { now: number };
        assert.ok(sentAt <= now && now - sentAt < 5000, `${String(sentAt)} vs ${String(now)}`);
      }
      data(await ada.client.request('media.control', { action: 'play', position: 1 }));
      for (const person of [mod, bob]) {
        const changed = await person.client.notification(
          'media.changed',
          (d) => d.media?.playing === true,
        );
        assert.ok(changed.media !== null && Math.abs(changed.media.position - 1) < 0.2);
      }

      await sleep(700);
      const carl = await joinMeeting(f.baseUrl, meetingId, participantToken, 'Carl');
      const welcome = await connect(meetingId, carl.cookie).notification('session.welcome');
      assert.equal(welcome.media?.media.id, media.id);
      assert.equal(welcome.media.playing, true);
      // The server's clock moved on while it played: the late joiner starts where the others are.
      assert.ok(
        welcome.media.position > 1.5 && welcome.media.position < 3,
        String(welcome.media.position),
      );

      data(await ada.client.request('media.control', { action: 'pause' }));
      // Paused where it had got to (not at 0, where it was shown).
      await bob.client.notification(
        'media.changed',
        (d) => d.media?.playing === false && d.media.position > 1.5,
      );
      data(await ada.client.request('media.control', { action: 'seek', position: 4.5 }));
      const sought = await bob.client.notification(
        'media.changed',
        (d) => d.media?.position === 4.5,
      );
      assert.equal(sought.media?.playing, false);
      // Seeking past the end stops at the end.
      data(await ada.client.request('media.control', { action: 'play', position: 999 }));
      const ended = await bob.client.notification(
        'media.changed',
        (d) => d.media !== null && d.media.position === media.duration,
      );
      assert.equal(ended.media?.playing, false);

      data(await ada.client.request('media.close', {}));
      await bob.client.notification('media.changed', (d) => d.media === null);

      const rows = (await auditRows(f.t, meetingId)).filter((row) =>
        row.action.startsWith('media.'),
      );
      assert.deepEqual(
        rows.map((row) => [row.action, row.actor, row.outcome]),
        [
          ['media.uploaded', ada.participantId, 'success'],
          ['media.shown', ada.participantId, 'success'],
          ['media.closed', ada.participantId, 'success'],
        ],
      );
      const content = JSON.stringify(rows);
      assert.equal(content.includes('Welcome'), false);
    });

    test('members stream the file with range requests; the answers are exact, partial and never cached or sniffed', async () => {
      const { meetingId, mod, others } = await meeting('Ada');
      const [ada] = others;
      assert.ok(ada);
      // Larger than one sealed chunk (1 MiB): ranges cross chunk borders.
      const file = makeMedia('webm-noisy', 4);
      assert.ok(file.byteLength > 1024 * 1024);
      const media = await uploaded(mod, meetingId, file);

      const whole = await download(ada.cookie, meetingId, media.id);
      assert.equal(whole.status, 200);
      assert.equal(whole.headers.get('content-type'), 'video/webm');
      assert.equal(whole.headers.get('accept-ranges'), 'bytes');
      assert.equal(whole.headers.get('content-length'), String(file.byteLength));
      assert.equal(whole.headers.get('cache-control'), 'no-store');
      assert.equal(whole.headers.get('x-content-type-options'), 'nosniff');
      assert.match(whole.headers.get('content-security-policy') ?? '', /sandbox/);
      assert.ok(Buffer.from(await whole.arrayBuffer()).equals(file));

      const cases: [string, number, number][] = [
        ['bytes=100-199', 100, 199],
        ['bytes=0-0', 0, 0],
        [`bytes=${String(file.byteLength - 10)}-`, file.byteLength - 10, file.byteLength - 1],
        ['bytes=-25', file.byteLength - 25, file.byteLength - 1],
        [`bytes=50-${String(file.byteLength + 1000)}`, 50, file.byteLength - 1],
        ['bytes=1048570-1048589', 1048570, 1048589],
        ['bytes=1000000-', 1000000, file.byteLength - 1],
      ];
      for (const [range, start, end] of cases) {
        const part = await download(ada.cookie, meetingId, media.id, range);
        assert.equal(part.status, 206, range);
        assert.equal(
          part.headers.get('content-range'),
          `bytes ${String(start)}-${String(end)}/${String(file.byteLength)}`,
          range,
        );
        assert.ok(
          Buffer.from(await part.arrayBuffer()).equals(file.subarray(start, end + 1)),
          range,
        );
      }
      const beyond = await download(
        ada.cookie,
        meetingId,
        media.id,
        `bytes=${String(file.byteLength)}-`,
      );
      assert.equal(beyond.status, 416);
      assert.equal(((await beyond.json()) as { code: string }).code, 'range_not_satisfiable');
      // Several ranges, or another unit, get the whole file (RFC 9110 lets a server ignore them).
      for (const range of ['bytes=0-1,5-6', 'items=0-1', 'bytes=9-3']) {
        const all = await download(ada.cookie, meetingId, media.id, range);
        assert.equal(all.status, 200, range);
        assert.equal((await all.arrayBuffer()).byteLength, file.byteLength, range);
      }

      assert.equal((await download(undefined, meetingId, media.id)).status, 401);
      const other = await meeting();
      assert.equal((await download(other.mod.cookie, meetingId, media.id)).status, 401);
      assert.equal((await download(other.mod.cookie, other.meetingId, media.id)).status, 404);
    });

    test('MP4 video and Ogg audio are taken for what they are; the content is sealed at rest and goes with the meeting', async () => {
      const { meetingId, mod } = await meeting();
      const mp4 = await uploaded(mod, meetingId, makeMedia('mp4', 3), 'video/mp4');
      assert.deepEqual([mp4.kind, mp4.mime], ['video', 'video/mp4']);
      // The declared type does not matter: the server reads what the file is.
      const ogg = await uploaded(mod, meetingId, makeMedia('ogg', 3), 'application/octet-stream');
      assert.deepEqual([ogg.kind, ogg.mime], ['audio', 'audio/ogg']);

      const chunks = await f.t.server.database.db
        .selectFrom('shared_media_chunks')
        .select('content_sealed')
        .where('media_id', '=', ogg.id)
        .execute();
      assert.ok(chunks.length >= 1);
      for (const { content_sealed: sealed } of chunks)
        assert.equal(Buffer.from(sealed).includes(Buffer.from('OggS')), false);
      const row = await f.t.server.database.db
        .selectFrom('shared_media')
        .select('name_sealed')
        .where('id', '=', ogg.id)
        .executeTakeFirstOrThrow();
      assert.equal(Buffer.from(row.name_sealed).includes(Buffer.from('Welcome')), false);

      await f.t.server.database.db.deleteFrom('meetings').where('id', '=', meetingId).execute();
      assert.equal(await storedCount(meetingId), 0);
      const left = await f.t.server.database.db
        .selectFrom('shared_media_chunks')
        .select('media_id')
        .where('media_id', 'in', [mp4.id, ogg.id])
        .execute();
      assert.equal(left.length, 0);
    });

    test('files that are not playable media, too large, too long or with codecs browsers do not play are refused with a reason and not stored', async () => {
      const { meetingId, mod } = await meeting();
      const playlist = Buffer.from('#EXTM3U\n#EXTINF:10,\nhttp://127.0.0.1:9/evil.ts\n');
      const cases: [string, Uint8Array, string, number, RegExp][] = [
        ['a PDF', makePdf({ pages: 1 }), 'video/webm', 400, /not an audio or video file/],
        [
          'a playlist pointing elsewhere',
          playlist,
          'audio/x-mpegurl',
          400,
          /not an audio or video file/,
        ],
        ['empty', Buffer.alloc(0), 'video/webm', 400, /./],
        ['H.264 in Matroska', makeMedia('mkv-h264', 2), 'video/x-matroska', 400, /codec h264/],
        ['ADPCM in WAV', makeMedia('wav-adpcm', 2), 'audio/wav', 400, /codec adpcm_ms/],
        ['too long', makeMedia('ogg', 10), 'audio/ogg', 400, /longer than/],
        ['too large', Buffer.alloc(LIMITS.maxBytes + 1), 'video/webm', 413, /./],
        ['wrong type', makeMedia('webm', 2), 'text/plain', 400, /./],
      ];
      for (const [what, body, type, status, message] of cases) {
        const response = await upload(mod, meetingId, body, 'x', type);
        assert.equal(response.status, status, what);
        const error = (await response.json()) as { message: string };
        assert.match(error.message, message, what);
      }
      assert.equal(await storedCount(meetingId), 0);
    });

    test('a participant may neither upload nor play: forbidden, audited as denied; a meeting keeps a bounded number of files', async () => {
      const { meetingId, mod, others } = await meeting('Ada');
      const [ada] = others;
      assert.ok(ada);
      const refused = await upload(ada, meetingId, makeMedia('webm', 2));
      assert.equal(refused.status, 403);
      const media = await uploaded(mod, meetingId, makeMedia('webm', 2));
      assert.equal(
        code(await ada.client.request('media.show', { mediaId: media.id })),
        'forbidden',
      );
      assert.equal(code(await mod.client.request('media.control', { action: 'play' })), 'conflict');
      data(await mod.client.request('media.show', { mediaId: media.id }));
      assert.equal(
        code(await ada.client.request('media.control', { action: 'play' })),
        'forbidden',
      );
      assert.equal(code(await ada.client.request('media.close', {})), 'forbidden');
      const denied = (await auditRows(f.t, meetingId)).filter((row) => row.outcome === 'denied');
      assert.deepEqual(
        denied.map((row) => [row.action, row.actor]),
        [
          ['media.uploaded', ada.participantId],
          ['media.shown', ada.participantId],
          ['media.shown', ada.participantId],
          ['media.closed', ada.participantId],
        ],
      );

      // Presenters and moderators list the uploads to play one again; others may not.
      const list = (cookie: string) =>
        fetch(`${f.baseUrl}/api/meetings/${meetingId}/media`, { headers: { cookie } });
      assert.equal((await list(ada.cookie)).status, 403);
      const listed = (await (await list(mod.cookie)).json()) as { media: SharedMediaInfo[] };
      assert.deepEqual(listed.media, [media]);

      for (let i = 1; i < LIMITS.perMeeting; i += 1)
        await uploaded(mod, meetingId, makeMedia('webm', 2));
      const full = await upload(mod, meetingId, makeMedia('webm', 2));
      assert.equal(full.status, 409);
      const all = (await (await list(mod.cookie)).json()) as { media: SharedMediaInfo[] };
      assert.equal(all.media.length, LIMITS.perMeeting);
      // Newest first: the first upload comes last.
      assert.equal(all.media.at(-1)?.id, media.id);
      assert.equal(await storedCount(meetingId), LIMITS.perMeeting);
      const crossSite = await fetch(`${f.baseUrl}/api/meetings/${meetingId}/media`, {
        method: 'POST',
        headers: { 'content-type': 'video/webm', cookie: mod.cookie },
        body: makeMedia('webm', 2),
      });
      assert.equal(crossSite.status, 403);
    });
  });
}
