import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  MAX_WHITEBOARD_ELEMENT_BYTES,
  MAX_WHITEBOARD_ELEMENTS,
  type WhiteboardElement,
} from '@konvent/protocol';
import { auditRows } from '../helpers/auditRows.ts';
import { eachBackend } from '../helpers/databases.ts';
import { signalingFixture, type Person } from '../helpers/signalingFixture.ts';
import { code, data, until } from '../helpers/signalingKit.ts';
import { joinMeeting } from '../helpers/testServer.ts';

/** A rectangle as Excalidraw sends it (the server keeps the fields it does not read). */
function rect(id: string, version: number, extra: Record<string, unknown> = {}): WhiteboardElement {
  const element = {
    id,
    type: 'rectangle',
    x: 10,
    y: 20,
    width: 100,
    height: 50,
    version,
    versionNonce: 1000 + version,
    isDeleted: false,
    ...extra,
  };
  return element;
}

for (const backend of eachBackend()) {
  describe(`whiteboard on ${backend.name}`, () => {
    const f = signalingFixture(backend);

    async function meeting(...names: string[]) {
      const {
        meetingId,
        m,
        mod,
        others: [ada, bob],
      } = await f.meeting(...names);
      assert.ok(ada);
      return { meetingId, m, mod, ada, bob };
    }

    function allowDraw(mod: Person, who: Person, allowed: boolean) {
      return mod.client.request('moderation.allowDraw', {
        participantId: who.participantId,
        allowed,
      });
    }

    test('a moderator’s drawing reaches the others and a late joiner’s welcome; an older version is ignored', async () => {
      const { meetingId, m, mod, ada } = await meeting('Ada');
      assert.deepEqual(ada.welcome.whiteboard, { elements: [], drawers: [] });
      data(await mod.client.request('whiteboard.update', { elements: [rect('r1', 2)] }));
      const changed = await ada.client.notification('whiteboard.changed');
      assert.deepEqual(changed, { elements: [rect('r1', 2)], from: mod.participantId });
      assert.equal(mod.client.notifications('whiteboard.changed').length, 0);

      // An older copy changes nothing and reaches nobody; a newer one wins.
      data(await mod.client.request('whiteboard.update', { elements: [rect('r1', 1, { x: 99 })] }));
      data(await mod.client.request('whiteboard.update', { elements: [rect('r1', 3, { x: 50 })] }));
      const next = await ada.client.notification('whiteboard.changed', (d) =>
        d.elements.some((e) => e.version === 3),
      );
      assert.equal(next.elements.length, 1);
      assert.equal(ada.client.notifications('whiteboard.changed').length, 2);

      const late = await joinMeeting(f.baseUrl, meetingId, m.participantToken, 'Late');
      const client = f.connect(meetingId, late.cookie);
      const welcome = await client.notification('session.welcome');
      assert.deepEqual(welcome.whiteboard?.elements, [rect('r1', 3, { x: 50 })]);
    });

    test('a participant may not draw until a moderator allows it; revoking stops it again; every grant is audited', async () => {
      const { meetingId, mod, ada } = await meeting('Ada');
      const refused = await ada.client.request('whiteboard.update', { elements: [rect('a1', 1)] });
      assert.equal(code(refused), 'forbidden');
      assert.equal(mod.client.notifications('whiteboard.changed').length, 0);

      data(await allowDraw(mod, ada, true));
      assert.deepEqual(await ada.client.notification('whiteboard.allowed'), {
        participantId: ada.participantId,
        allowed: true,
      });
      data(await ada.client.request('whiteboard.update', { elements: [rect('a1', 1)] }));
      const seen = await mod.client.notification('whiteboard.changed');
      assert.equal(seen.from, ada.participantId);

      data(await allowDraw(mod, ada, false));
      await ada.client.notification('whiteboard.allowed', (d) => !d.allowed);
      assert.equal(
        code(await ada.client.request('whiteboard.update', { elements: [rect('a1', 2)] })),
        'forbidden',
      );
      const rows = await auditRows(f.t, meetingId, 'moderation.draw_allowed');
      assert.deepEqual(
        rows.map((r) => [r.actor, r.target, r.outcome]),
        [
          [mod.participantId, ada.participantId, 'success'],
          [mod.participantId, ada.participantId, 'success'],
        ],
      );
      assert.match(rows[0]?.content ?? '', /"allowed":true/);
      assert.match(rows[1]?.content ?? '', /"allowed":false/);
      // The refused updates were not audited (a scribbling client cannot flood the trail).
      assert.equal(
        (await auditRows(f.t, meetingId)).filter((r) => r.outcome === 'denied').length,
        0,
      );
    });

    test('a participant cannot allow drawing: refused and audited as denied', async () => {
      const { meetingId, mod, ada, bob } = await meeting('Ada', 'Bob');
      assert.ok(bob);
      assert.equal(code(await allowDraw(ada, bob, true)), 'forbidden');
      assert.equal(code(await allowDraw(ada, ada, true)), 'forbidden');
      const rows = await auditRows(f.t, meetingId, 'moderation.draw_allowed');
      assert.deepEqual(
        rows.map((r) => [r.actor, r.target, r.outcome]),
        [
          [ada.participantId, bob.participantId, 'denied'],
          [ada.participantId, ada.participantId, 'denied'],
        ],
      );
      assert.equal(mod.client.notifications('whiteboard.allowed').length, 0);
    });

    test('the board survives the meeting being reloaded and is sealed at rest', async () => {
      const { meetingId, m, mod, ada } = await meeting('Ada');
      const marker = 'Geheimer-Tafeltext-7f3a';
      data(
        await mod.client.request('whiteboard.update', {
          elements: [rect('t1', 1, { type: 'text', text: marker })],
        }),
      );
      data(await ada.client.request('meeting.leave', {}));
      data(await mod.client.request('meeting.leave', {}));
      await until(() => !f.t.server.meetings.liveMeetingIds().includes(meetingId));

      const back = await joinMeeting(f.baseUrl, meetingId, m.moderatorToken, 'Back');
      const client = f.connect(meetingId, back.cookie);
      const welcome = await client.notification('session.welcome');
      assert.deepEqual(welcome.whiteboard?.elements, [
        rect('t1', 1, { type: 'text', text: marker }),
      ]);

      const row = await f.t.server.database.db
        .selectFrom('whiteboards')
        .select('state_sealed')
        .where('meeting_id', '=', meetingId)
        .executeTakeFirstOrThrow();
      assert.ok(row.state_sealed.byteLength > 0);
      assert.equal(Buffer.from(row.state_sealed).includes(marker), false);
    });

    test('elements and boards beyond the bounds are refused with nothing applied', async () => {
      const { mod, ada } = await meeting('Ada');
      const big = rect('big', 1, { text: 'x'.repeat(MAX_WHITEBOARD_ELEMENT_BYTES) });
      const frame = await mod.client.request('whiteboard.update', { elements: [big] });
      assert.equal(code(frame), 'payload_too_large');

      const batch = (from: number) =>
        Array.from({ length: 500 }, (_, i) => rect(`e${String(from + i)}`, 1));
      for (let n = 0; n < MAX_WHITEBOARD_ELEMENTS; n += 500) {
        data(await mod.client.request('whiteboard.update', { elements: batch(n) }));
      }
      const full = await mod.client.request('whiteboard.update', {
        elements: [rect('one-more', 1)],
      });
      assert.equal(code(full), 'payload_too_large');
      // Changing an element already on the board still works.
      data(await mod.client.request('whiteboard.update', { elements: [rect('e0', 2)] }));
      await ada.client.notification('whiteboard.changed', (d) => d.elements[0]?.id === 'e0');
      assert.equal(
        ada.client
          .notifications('whiteboard.changed')
          .some((d) => d.elements.some((e) => e.id === 'one-more' || e.id === 'big')),
        false,
      );
    });
  });
}
