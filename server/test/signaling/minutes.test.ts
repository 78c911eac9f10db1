import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BreakoutState, MinutesItem, MinutesRecord } from '@konvent/protocol';
import * as Y from 'yjs';
import { auditRows } from '../helpers/auditRows.ts';
import { eachBackend } from '../helpers/databases.ts';
import { signalingFixture, type Person } from '../helpers/signalingFixture.ts';
import { code, data, until } from '../helpers/signalingKit.ts';
import { joinMeeting, signedInAccount, TEST_ORIGIN } from '../helpers/testServer.ts';
import { pdfText } from '../helpers/pdfFixture.ts';

/** A participant's copy of the notes, kept in step as a browser does. */
class Notes {
  readonly doc = new Y.Doc();
  constructor(person: Person) {
    const state = person.welcome.minutes?.doc ?? '';
    if (state !== '') Y.applyUpdate(this.doc, Buffer.from(state, 'base64'));
  }
  get text(): string {
    return this.doc.getText('notes').toJSON();
  }
  /** Types at the end; the update to send, base64. */
  type(text: string): string {
    const before = Y.encodeStateVector(this.doc);
    const notes = this.doc.getText('notes');
    notes.insert(notes.length, text);
    return Buffer.from(Y.encodeStateAsUpdate(this.doc, before)).toString('base64');
  }
  apply(update: string): void {
    Y.applyUpdate(this.doc, Buffer.from(update, 'base64'));
  }
}

for (const backend of eachBackend()) {
  describe(`minutes on ${backend.name}`, () => {
    const f = signalingFixture(backend);

    test('moderators and appointed minute-takers edit the notes live; others read them', async () => {
      const { meetingId, participantToken, mod, others } = await f.meeting('Ada', 'Bob');
      const [ada, bob] = others as [Person, Person];
      const { minutes } = ada.welcome;
      assert.ok(minutes);
      assert.deepEqual(minutes.items, []);
      assert.deepEqual(minutes.takers, []);
      const modNotes = new Notes(mod);
      const adaNotes = new Notes(ada);
      data(await mod.client.request('minutes.update', { update: modNotes.type('Agenda: budget') }));
      adaNotes.apply((await ada.client.notification('minutes.changed')).update);
      assert.equal(adaNotes.text, 'Agenda: budget');
      assert.equal(mod.client.notifications('minutes.changed').length, 0);

      // Ada may not write until appointed; Ada may not appoint.
      assert.equal(
        code(await ada.client.request('minutes.update', { update: new Notes(ada).type('!') })),
        'forbidden',
      );
      assert.equal(
        code(
          await ada.client.request('minutes.appoint', {
            participantId: bob.participantId,
            taker: true,
          }),
        ),
        'forbidden',
      );
      data(
        await mod.client.request('minutes.appoint', {
          participantId: ada.participantId,
          taker: true,
        }),
      );
      const takers = await bob.client.notification('minutes.takers');
      assert.deepEqual(takers.takers, [ada.participantId]);

      // Both type at once; every copy converges.
      const adaUpdate = adaNotes.type(' — approved');
      const modUpdate = modNotes.type('\nNext: hiring');
      data(await ada.client.request('minutes.update', { update: adaUpdate }));
      data(await mod.client.request('minutes.update', { update: modUpdate }));
      modNotes.apply((await mod.client.notification('minutes.changed')).update);
      await until(() => ada.client.notifications('minutes.changed').length >= 2);
      for (const { update } of ada.client.notifications('minutes.changed')) adaNotes.apply(update);
      assert.equal(adaNotes.text, modNotes.text);
      assert.match(modNotes.text, /approved/);
      assert.match(modNotes.text, /hiring/);

      // A late joiner starts from the whole text.
      const late = await joinMeeting(f.baseUrl, meetingId, participantToken, 'Late');
      const lateClient = f.connect(meetingId, late.cookie);
      const lateWelcome = await lateClient.notification('session.welcome');
      assert.equal(new Notes({ ...ada, welcome: lateWelcome }).text, modNotes.text);

      // Releasing takes the right away again.
      data(
        await mod.client.request('minutes.appoint', {
          participantId: ada.participantId,
          taker: false,
        }),
      );
      assert.equal(
        code(await ada.client.request('minutes.update', { update: new Notes(ada).type('?') })),
        'forbidden',
      );
      const appointed = await auditRows(f.t, meetingId, 'minutes.taker_appointed');
      assert.deepEqual(
        appointed.map((row) => [row.outcome, row.target]),
        [
          ['denied', bob.participantId],
          ['success', ada.participantId],
        ],
      );
      assert.equal((await auditRows(f.t, meetingId, 'minutes.taker_released')).length, 1);
    });

    test('decisions and action items are structured and checked; bad changes change nothing', async () => {
      const { mod, others } = await f.meeting('Ada');
      const [ada] = others as [Person];
      const reply = data(
        await mod.client.request('minutes.addItem', {
          kind: 'action',
          text: 'Draft the budget',
          owner: 'Ada Lovelace',
          due: '2027-01-15',
        }),
      ) as { item: MinutesItem };
      assert.equal(reply.item.kind, 'action');
      assert.equal(reply.item.owner, 'Ada Lovelace');
      assert.equal(reply.item.done, false);
      assert.equal(reply.item.authorName, 'Mod');
      assert.deepEqual((await ada.client.notification('minutes.itemChanged')).item, reply.item);
      // A day that does not exist, an empty text, a guest's edit: refused.
      assert.equal(
        code(
          await mod.client.request('minutes.addItem', {
            kind: 'action',
            text: 'x',
            due: '2027-02-30',
          }),
        ),
        'bad_request',
      );
      assert.equal(
        code(await mod.client.request('minutes.addItem', { kind: 'decision', text: '  ' })),
        'bad_request',
      );
      assert.equal(
        code(await ada.client.request('minutes.addItem', { kind: 'decision', text: 'We agree' })),
        'forbidden',
      );
      const changed = data(
        await mod.client.request('minutes.updateItem', {
          id: reply.item.id,
          owner: null,
          done: true,
        }),
      ) as { item: MinutesItem };
      assert.equal(changed.item.owner, undefined);
      assert.equal(changed.item.done, true);
      assert.equal(changed.item.due, '2027-01-15');
      assert.equal(
        code(
          await mod.client.request('minutes.updateItem', {
            id: 'AAAAAAAAAAAAAAAAAAAAAA',
            done: true,
          }),
        ),
        'not_found',
      );
      // Garbage that is valid base64 is not a Yjs update.
      assert.equal(
        code(
          await mod.client.request('minutes.update', {
            update: Buffer.from('not yjs at all').toString('base64'),
          }),
        ),
        'bad_request',
      );
      data(await mod.client.request('minutes.removeItem', { id: reply.item.id }));
      assert.deepEqual((await ada.client.notification('minutes.itemRemoved')).id, reply.item.id);
      assert.equal(
        code(await mod.client.request('minutes.removeItem', { id: reply.item.id })),
        'not_found',
      );
    });

    test('after the meeting, the minutes are kept sealed and readable and exportable by those who took part', async () => {
      const { meetingId, mod, others } = await f.meeting('Ada');
      const [ada] = others as [Person];
      const notes = new Notes(mod);
      data(
        await mod.client.request('minutes.update', {
          update: notes.type('Größe: Übersicht der Maßnahmen'),
        }),
      );
      data(await mod.client.request('minutes.addItem', { kind: 'decision', text: 'Adopt plan B' }));
      data(
        await mod.client.request('minutes.addItem', {
          kind: 'action',
          text: 'Book | rooms',
          owner: 'Ada',
          due: '2027-03-01',
        }),
      );
      // During the meeting a participant reads them with the meeting's cookie.
      const during = await fetch(`${f.baseUrl}/api/meetings/${meetingId}/minutes`, {
        headers: { cookie: ada.cookie },
      });
      assert.equal(during.status, 200);
      assert.equal(((await during.json()) as MinutesRecord).items.length, 2);
      data(await mod.client.request('meeting.end', {}));
      await until(() => mod.client.closeInfo !== undefined);

      // Sealed at rest: the text is not in the table.
      const rows = await f.t.server.database.db
        .selectFrom('minutes')
        .selectAll()
        .where('meeting_id', '=', meetingId)
        .execute();
      assert.equal(rows.length, 1);
      assert.ok(
        !Buffer.from(rows[0]?.state_sealed ?? [])
          .toString('utf8')
          .includes('plan B'),
      );

      // The organiser (who created the meeting) reads and exports them afterwards.
      const organiser = f.t.organiser;
      const record = (await (
        await fetch(`${f.baseUrl}/api/meetings/${meetingId}/minutes`, {
          headers: { cookie: organiser.cookie },
        })
      ).json()) as MinutesRecord;
      assert.equal(record.notes, 'Größe: Übersicht der Maßnahmen');
      assert.notEqual(record.endedAt, null);
      assert.equal(record.takers, undefined);
      const md = await fetch(
        `${f.baseUrl}/api/meetings/${meetingId}/minutes/export?format=md&lang=de`,
        {
          headers: { cookie: organiser.cookie },
        },
      );
      assert.equal(md.status, 200);
      assert.match(md.headers.get('content-type') ?? '', /text\/markdown/);
      assert.match(
        md.headers.get('content-disposition') ?? '',
        /attachment; filename="minutes-Test-meeting-\d{4}-\d\d-\d\d\.md"/,
      );
      const text = await md.text();
      assert.match(text, /^# Protokoll: Test meeting/);
      assert.match(text, /## Beschlüsse\n\n- Adopt plan B/);
      assert.match(text, /\| Ada \| 2027-03-01 \| Book \\\| rooms \| nein \|/);
      assert.match(text, /Übersicht der Maßnahmen/);
      const pdf = await fetch(`${f.baseUrl}/api/meetings/${meetingId}/minutes/export?format=pdf`, {
        headers: { cookie: organiser.cookie },
      });
      assert.equal(pdf.status, 200);
      const bytes = Buffer.from(await pdf.arrayBuffer());
      assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
      const printed = await pdfText(bytes);
      assert.match(printed, /Adopt plan B/);
      assert.match(printed, /Maßnahmen/);

      // The meeting's list for the organiser's account has it.
      const list = (await (
        await fetch(`${f.baseUrl}/api/minutes`, { headers: { cookie: organiser.cookie } })
      ).json()) as { minutes: MinutesRecord[] };
      assert.ok(list.minutes.some((entry) => entry.meetingId === meetingId));

      // Another account, the ended meeting's cookie, no credentials: nothing.
      const stranger = await signedInAccount(f.t.server, ['member']);
      const strangerReply = await fetch(
        `${f.baseUrl}/api/meetings/${meetingId}/minutes/export?format=md`,
        {
          headers: { cookie: stranger.cookie },
        },
      );
      assert.equal(strangerReply.status, 404);
      assert.equal(
        (
          await fetch(`${f.baseUrl}/api/meetings/${meetingId}/minutes`, {
            headers: { cookie: ada.cookie },
          })
        ).status,
        401,
      );
      assert.equal((await fetch(`${f.baseUrl}/api/meetings/${meetingId}/minutes`)).status, 401);
      assert.equal(
        (
          await fetch(`${f.baseUrl}/api/meetings/${meetingId}/minutes/export?format=docx`, {
            headers: { cookie: organiser.cookie },
          })
        ).status,
        400,
      );
      const exported = await auditRows(f.t, meetingId, 'minutes.exported');
      assert.deepEqual(
        exported.map((row) => [row.actor, row.outcome]),
        [
          [organiser.userId, 'success'],
          [organiser.userId, 'success'],
        ],
      );
      assert.match(exported[1]?.content ?? '', /"format":"pdf"/);
    });

    test('an invitation can name the minute-taker before the meeting', async () => {
      const { meetingId, mod } = await f.meeting();
      const created = await fetch(`${f.baseUrl}/api/meetings/${meetingId}/invitations`, {
        method: 'POST',
        headers: { ...f.t.organiser.headers },
        body: JSON.stringify({ label: 'Secretary', minuteTaker: true }),
      });
      assert.equal(created.status, 201);
      const { invitation, link } = (await created.json()) as {
        invitation: { minuteTaker: boolean };
        link: string;
      };
      assert.equal(invitation.minuteTaker, true);
      const account = await signedInAccount(f.t.server, ['member']);
      const joined = await joinMeeting(f.baseUrl, meetingId, new URL(link).hash.slice(3), 'Sec', {
        as: account,
      });
      const client = f.connect(meetingId, joined.cookie);
      await client.notification('session.welcome');
      const takers = await mod.client.notification('minutes.takers');
      assert.deepEqual(takers.takers, [joined.participantId]);
      const rows = await auditRows(f.t, meetingId, 'minutes.taker_appointed');
      assert.equal(rows[0]?.actor, 'invitation');
    });

    test('a breakout room’s notes and items are merged into the main minutes when it closes', async () => {
      const { meetingId, mod, others } = await f.meeting('Ada');
      const [ada] = others as [Person];
      const { breakout } = data(
        await mod.client.request('breakout.start', {
          rooms: [{ name: 'Team Nord', participantIds: [ada.participantId] }],
          durationMinutes: 5,
          assign: 'manual',
        }),
      ) as { breakout: BreakoutState };
      const roomId = breakout.rooms[0]?.id ?? '';
      const entered = await fetch(
        `${f.baseUrl}/api/meetings/${meetingId}/breakouts/${roomId}/enter`,
        {
          method: 'POST',
          headers: { cookie: mod.cookie, origin: TEST_ORIGIN },
        },
      );
      assert.equal(entered.status, 200);
      const roomCookie = (entered.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const room = f.connect(roomId, roomCookie);
      const welcome = await room.notification('session.welcome');
      const roomNotes = new Notes({ ...mod, welcome });
      data(
        await room.request('minutes.update', { update: roomNotes.type('Idea: a shared calendar') }),
      );
      data(
        await room.request('minutes.addItem', { kind: 'action', text: 'Set it up', owner: 'Ada' }),
      );
      const mainNotes = new Notes(mod);
      data(await mod.client.request('breakout.end', {}));
      const merged = await mod.client.notification('minutes.changed');
      mainNotes.apply(merged.update);
      assert.equal(mainNotes.text, '## Team Nord\n\nIdea: a shared calendar\n');
      const item = await mod.client.notification('minutes.itemChanged');
      assert.equal(item.item.room, 'Team Nord');
      assert.equal(item.item.text, 'Set it up');
      const rows = await auditRows(f.t, meetingId, 'minutes.merged');
      const [row] = rows;
      assert.ok(row && rows.length === 1);
      assert.equal(row.target, roomId);
      assert.doesNotMatch(row.content, /calendar/);
    });
  });
}
