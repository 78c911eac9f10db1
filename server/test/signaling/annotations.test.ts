import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  MAX_ANNOTATION_POINTS,
  MAX_ANNOTATION_STROKES,
  type AnnotationStrokeInput,
  type PresentationInfo,
} from '@konvent/protocol';
import { auditRows } from '../helpers/auditRows.ts';
import { eachBackend } from '../helpers/databases.ts';
import { makePdf } from '../helpers/pdfFixture.ts';
import { signalingFixture, type Person } from '../helpers/signalingFixture.ts';
import { code, data, until } from '../helpers/signalingKit.ts';
import { joinMeeting, TEST_ORIGIN } from '../helpers/testServer.ts';

/** A short pen stroke; `points` as a flat x, y list in ten-thousandths of the page. */
function stroke(id: string, extra: Partial<AnnotationStrokeInput> = {}): AnnotationStrokeInput {
  return {
    id,
    tool: 'pen',
    colour: 'red',
    width: 4,
    points: [1000, 1000, 2500, 1800, 4000, 2600],
    ...extra,
  };
}

for (const backend of eachBackend()) {
  describe(`annotations on ${backend.name}`, () => {
    // Filling a page takes hundreds of frames: the per-socket rate limit is not under test.
    const f = signalingFixture(backend, {
      signaling: { upgradesPerMinute: 10_000, ratePerSecond: 10_000, burst: 10_000 },
    });

    /** A meeting whose moderator shows a 3-page PDF on page 1. */
    async function presenting(...names: string[]) {
      const people = await f.meeting(...names);
      const response = await fetch(
        `${f.baseUrl}/api/meetings/${people.meetingId}/presentations?name=plan.pdf`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/pdf',
            cookie: people.mod.cookie,
            origin: TEST_ORIGIN,
          },
          body: makePdf({ pages: 3 }),
        },
      );
      assert.equal(response.status, 201, await response.clone().text());
      const { presentation } = (await response.json()) as { presentation: PresentationInfo };
      await show(people.mod, presentation.id, 1);
      return { ...people, presentationId: presentation.id };
    }

    async function show(who: Person, presentationId: string, page: number) {
      data(await who.client.request('presentation.show', { presentationId, page }));
    }

    function add(who: Person, presentationId: string, page: number, s: AnnotationStrokeInput) {
      return who.client.request('annotation.add', { presentationId, page, stroke: s });
    }

    test('a presenter’s stroke reaches everyone with author and time, goes with its page on page turns, and a late joiner gets the shown page’s strokes', async () => {
      const { meetingId, participantToken, mod, others, presentationId } = await presenting('Ada');
      const [ada] = others;
      assert.ok(ada);
      const reply = data(await add(mod, presentationId, 1, stroke('s1'))) as {
        stroke: { authorId: string; createdAt: string };
      };
      assert.equal(reply.stroke.authorId, mod.participantId);
      const added = await ada.client.notification('annotation.added');
      assert.deepEqual(added, { presentationId, page: 1, stroke: reply.stroke });

      // Page 2 comes with its own (no) strokes; page 1 comes back with the stroke.
      await show(mod, presentationId, 2);
      const two = await ada.client.notification(
        'presentation.changed',
        (d) => d.presentation?.page === 2,
      );
      assert.deepEqual(two.annotations, []);
      await show(mod, presentationId, 1);
      const back = await ada.client.notification(
        'presentation.changed',
        (d) => d.presentation?.page === 1 && d.annotations?.length === 1,
      );
      assert.equal(back.annotations?.[0]?.id, 's1');

      // Once saved, a page turned away from leaves memory; turning back loads it again.
      const saved = async () =>
        (
          await f.t.server.database.db
            .selectFrom('annotations')
            .select('page')
            .where('meeting_id', '=', meetingId)
            .execute()
        ).length === 1;
      for (let i = 0; i < 50 && !(await saved()); i++) await sleep(100);
      await show(mod, presentationId, 3);
      await ada.client.notification('presentation.changed', (d) => d.presentation?.page === 3);
      await show(mod, presentationId, 1);
      // The fifth page change (1, 2, 1, 3, 1) carries page 1 as stored.
      await until(() => ada.client.notifications('presentation.changed').length === 5);
      const reloaded = ada.client.notifications('presentation.changed').at(-1);
      assert.equal(reloaded?.presentation?.page, 1);
      assert.deepEqual(reloaded.annotations, [reply.stroke]);

      const late = await joinMeeting(f.baseUrl, meetingId, participantToken, 'Late');
      const welcome = await f.connect(meetingId, late.cookie).notification('session.welcome');
      assert.equal(welcome.presentation?.page, 1);
      assert.deepEqual(welcome.annotations, [reply.stroke]);
    });

    test('a participant may annotate only once a moderator allowed drawing; refusals change nothing and are not audited', async () => {
      const { meetingId, mod, others, presentationId } = await presenting('Ada');
      const [ada] = others;
      assert.ok(ada);
      assert.equal(code(await add(ada, presentationId, 1, stroke('a1'))), 'forbidden');
      data(
        await mod.client.request('moderation.allowDraw', {
          participantId: ada.participantId,
          allowed: true,
        }),
      );
      await ada.client.notification('whiteboard.allowed');
      data(await add(ada, presentationId, 1, stroke('a1')));
      await mod.client.notification('annotation.added', (d) => d.stroke.id === 'a1');
      assert.equal(mod.client.notifications('annotation.added').length, 1);
      const denied = (await auditRows(f.t, meetingId)).filter((r) => r.outcome === 'denied');
      assert.deepEqual(denied, []);
    });

    test('anyone removes their own stroke, only presenters and moderators remove others’ and clear a page (audited, denial too)', async () => {
      const { meetingId, mod, others, presentationId } = await presenting('Ada');
      const [ada] = others;
      assert.ok(ada);
      data(
        await mod.client.request('moderation.allowDraw', {
          participantId: ada.participantId,
          allowed: true,
        }),
      );
      await ada.client.notification('whiteboard.allowed');
      data(await add(mod, presentationId, 1, stroke('m1')));
      data(await add(ada, presentationId, 1, stroke('a1')));
      data(await add(ada, presentationId, 1, stroke('a2')));
      const remove = (who: Person, strokeId: string) =>
        who.client.request('annotation.remove', { presentationId, page: 1, strokeId });

      assert.equal(code(await remove(ada, 'm1')), 'forbidden');
      data(await remove(ada, 'a2'));
      assert.deepEqual(await mod.client.notification('annotation.removed'), {
        presentationId,
        page: 1,
        strokeId: 'a2',
      });
      assert.equal(code(await remove(ada, 'a2')), 'not_found');
      data(await remove(mod, 'a1'));

      const clear = (who: Person) =>
        who.client.request('annotation.clear', { presentationId, page: 1 });
      assert.equal(code(await clear(ada)), 'forbidden');
      data(await clear(mod));
      assert.deepEqual(await ada.client.notification('annotation.cleared'), {
        presentationId,
        page: 1,
      });
      await show(mod, presentationId, 1);
      const again = await ada.client.notification(
        'presentation.changed',
        (d) => d.annotations?.length === 0,
      );
      assert.equal(again.presentation?.page, 1);

      const rows = await auditRows(f.t, meetingId, 'annotation.cleared');
      assert.deepEqual(
        rows.map((r) => [r.actor, r.target, r.outcome]),
        [
          [ada.participantId, presentationId, 'denied'],
          [mod.participantId, presentationId, 'success'],
        ],
      );
      assert.match(rows[1]?.content ?? '', /"count":1/);
    });

    test('bad strokes, other presentations, missing pages and full pages are refused with nothing applied', async () => {
      const { mod, others, presentationId } = await presenting('Ada');
      const [ada] = others;
      assert.ok(ada);
      const odd = stroke('odd', { points: [1, 2, 3] });
      assert.equal(code(await add(mod, presentationId, 1, odd)), 'bad_request');
      const off = stroke('off', { points: [0, 10_001] });
      assert.equal(code(await add(mod, presentationId, 1, off)), 'bad_request');
      const long = stroke('long', {
        points: Array.from({ length: 2 * MAX_ANNOTATION_POINTS + 2 }, () => 5),
      });
      assert.equal(code(await add(mod, presentationId, 1, long)), 'bad_request');
      const colour = { ...stroke('c'), colour: 'url(#x)' } as unknown as AnnotationStrokeInput;
      assert.equal(code(await add(mod, presentationId, 1, colour)), 'bad_request');
      assert.equal(code(await add(mod, presentationId, 4, stroke('p4'))), 'bad_request');
      const other = 'A'.repeat(22);
      assert.equal(code(await add(mod, other, 1, stroke('x'))), 'conflict');

      data(await add(mod, presentationId, 2, stroke('dup')));
      assert.equal(code(await add(mod, presentationId, 2, stroke('dup'))), 'conflict');
      for (let i = 1; i < MAX_ANNOTATION_STROKES; i++)
        data(await add(mod, presentationId, 2, stroke(`n${String(i)}`, { points: [i, i] })));
      assert.equal(
        code(await add(mod, presentationId, 2, stroke('one-more'))),
        'payload_too_large',
      );
      await until(
        () => ada.client.notifications('annotation.added').length === MAX_ANNOTATION_STROKES,
      );
      const ids = new Set(ada.client.notifications('annotation.added').map((d) => d.stroke.id));
      for (const refused of ['odd', 'off', 'long', 'c', 'p4', 'x', 'one-more'])
        assert.equal(ids.has(refused), false, refused);

      // Nothing shown: no annotations at all.
      data(await mod.client.request('presentation.close', {}));
      assert.equal(code(await add(mod, presentationId, 1, stroke('late'))), 'conflict');
    });

    test('strokes are saved sealed, survive the meeting being reloaded, and go with the meeting', async () => {
      const { m, meetingId, mod, others, presentationId } = await presenting('Ada');
      const [ada] = others;
      assert.ok(ada);
      data(await add(mod, presentationId, 2, stroke('kept', { colour: 'blue' })));
      // Saved (debounced) while the meeting runs; the row holds no plaintext.
      const stored = () =>
        f.t.server.database.db
          .selectFrom('annotations')
          .select(['page', 'strokes_sealed'])
          .where('meeting_id', '=', meetingId)
          .execute();
      for (let i = 0; i < 50 && (await stored()).length === 0; i++) await sleep(100);
      const [row] = await stored();
      assert.equal(row?.page, 2);
      const raw = Buffer.from(row.strokes_sealed);
      for (const plain of ['kept', 'blue', mod.participantId, '2500'])
        assert.equal(raw.includes(plain), false, plain);

      // What shutdown saves (`saveWhiteboards`) is written at once, not after the delay.
      data(await add(mod, presentationId, 3, stroke('flushed')));
      await f.t.server.meetings.saveWhiteboards();
      assert.deepEqual((await stored()).map((r) => r.page).sort(), [2, 3]);
      data(await add(mod, presentationId, 2, stroke('unsaved')));
      data(await ada.client.request('meeting.leave', {}));
      data(await mod.client.request('meeting.leave', {}));
      await until(() => !f.t.server.meetings.liveMeetingIds().includes(meetingId));

      const back = await joinMeeting(f.baseUrl, meetingId, m.moderatorToken, 'Back');
      const client = f.connect(meetingId, back.cookie);
      await client.notification('session.welcome');
      data(await client.request('presentation.show', { presentationId, page: 2 }));
      const changed = await client.notification('presentation.changed');
      assert.deepEqual(
        changed.annotations?.map((s) => s.id),
        ['kept', 'unsaved'],
      );

      data(await client.request('meeting.leave', {}));
      await until(() => !f.t.server.meetings.liveMeetingIds().includes(meetingId));
      await f.t.server.database.db.deleteFrom('meetings').where('id', '=', meetingId).execute();
      assert.deepEqual(await stored(), []);
    });
  });
}
