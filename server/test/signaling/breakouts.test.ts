import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CLOSE_CODES, type BreakoutState, type NotificationData } from '@konvent/protocol';
import { auditRows } from '../helpers/auditRows.ts';
import { eachBackend } from '../helpers/databases.ts';
import {
  signalingFixture,
  type Person,
  type SignalingFixture,
} from '../helpers/signalingFixture.ts';
import { code, data, until } from '../helpers/signalingKit.ts';
import { TEST_ORIGIN } from '../helpers/testServer.ts';
import type { SignalingClient } from '../helpers/SignalingClient.ts';

/** Enters a breakout room as a browser would: the main meeting's cookie, this site's Origin. */
async function enter(
  f: SignalingFixture,
  meetingId: string,
  person: Person,
  roomId: string,
): Promise<{ status: number; body: Record<string, unknown>; cookie: string }> {
  const response = await fetch(`${f.baseUrl}/api/meetings/${meetingId}/breakouts/${roomId}/enter`, {
    method: 'POST',
    headers: { cookie: person.cookie, origin: TEST_ORIGIN },
  });
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    cookie,
  };
}

/** Enters a room and opens its socket; resolves once the room's welcome arrived. */
async function inRoom(
  f: SignalingFixture,
  meetingId: string,
  person: Person,
  roomId: string,
): Promise<{ client: SignalingClient; welcome: NotificationData<'session.welcome'> }> {
  const entered = await enter(f, meetingId, person, roomId);
  assert.equal(entered.status, 200, JSON.stringify(entered.body));
  const client = f.connect(roomId, entered.cookie);
  return { client, welcome: await client.notification('session.welcome') };
}

function start(
  mod: Person,
  rooms: { name: string; participantIds: string[] }[],
  assign: 'manual' | 'random' | 'choose' = 'manual',
  durationMinutes = 10,
) {
  return mod.client.request('breakout.start', { rooms, durationMinutes, assign });
}

const roomOf = (state: BreakoutState, pid: string) =>
  state.rooms.find((room) => room.participantIds.includes(pid))?.id ?? null;

for (const backend of eachBackend()) {
  describe(`breakout rooms on ${backend.name}`, () => {
    const f = signalingFixture(backend);

    test('a moderator opens rooms; people enter their own, a moderator visits any; others are refused', async () => {
      const { meetingId, mod, others } = await f.meeting('Ada', 'Bob', 'Cy');
      const [ada, bob, cy] = others as [Person, Person, Person];
      // Only moderators open rooms.
      assert.equal(code(await start(ada, [{ name: 'A', participantIds: [] }])), 'forbidden');
      const reply = data(
        await start(mod, [
          { name: 'Room 1', participantIds: [ada.participantId, bob.participantId] },
          { name: 'Room 2', participantIds: [cy.participantId] },
        ]),
      ) as { breakout: BreakoutState };
      const [one, two] = reply.breakout.rooms;
      assert.ok(one && two);
      assert.deepEqual(one.participantIds, [ada.participantId, bob.participantId]);
      assert.equal(reply.breakout.allowChoose, false);
      const told = await ada.client.notification('breakout.changed');
      assert.deepEqual(told.breakout, reply.breakout);

      // Ada enters Room 1 with her main meeting session; Room 2 is not hers.
      const adaRoom = await inRoom(f, meetingId, ada, one.id);
      assert.deepEqual(adaRoom.welcome.room, {
        parentId: meetingId,
        endsAt: reply.breakout.endsAt,
      });
      assert.equal(adaRoom.welcome.self.displayName, 'Ada');
      assert.equal(adaRoom.welcome.self.role, ada.role);
      assert.equal(adaRoom.welcome.meeting.title, 'Room 1');
      const refused = await enter(f, meetingId, ada, two.id);
      assert.equal(refused.status, 403);
      assert.equal(refused.cookie, '');
      // Without the site's Origin nothing happens.
      const foreign = await fetch(
        `${f.baseUrl}/api/meetings/${meetingId}/breakouts/${one.id}/enter`,
        { method: 'POST', headers: { cookie: ada.cookie, origin: 'https://evil.example' } },
      );
      assert.equal(foreign.status, 403);

      // Bob joins Ada's room; the moderator visits Room 2 and sees only Cy's room there.
      const bobRoom = await inRoom(f, meetingId, bob, one.id);
      assert.deepEqual(bobRoom.welcome.participants.map((p) => p.displayName).sort(), [
        'Ada',
        'Bob',
      ]);
      const cyRoom = await inRoom(f, meetingId, cy, two.id);
      const modRoom = await inRoom(f, meetingId, mod, two.id);
      assert.equal(modRoom.welcome.self.role, 'moderator');
      await cyRoom.client.notification(
        'participant.joined',
        (d) => d.participant.displayName === 'Mod',
      );
      // A room has no rooms of its own.
      assert.equal(
        code(
          await modRoom.client.request('breakout.start', {
            rooms: [{ name: 'X', participantIds: [] }],
            durationMinutes: 5,
            assign: 'manual',
          }),
        ),
        'conflict',
      );

      const started = await auditRows(f.t, meetingId, 'breakout.started');
      // Ada's refused attempt, then the moderator's.
      assert.deepEqual(
        started.map((row) => row.outcome),
        ['denied', 'success'],
      );
      started.shift();
      assert.match(started[0]?.content ?? '', /"assign":"manual"/);
      assert.doesNotMatch(started[0]?.content ?? '', /Room 1/);
      const assigned = await auditRows(f.t, meetingId, 'breakout.assigned');
      assert.deepEqual(
        assigned.map((row) => row.target).sort(),
        [ada.participantId, bob.participantId, cy.participantId].sort(),
      );
      const denied = await auditRows(f.t, two.id, 'meeting.joined');
      assert.ok(
        denied.some((row) => row.outcome === 'denied' && row.content.includes('not_assigned')),
      );

      // A broadcast reaches the main room and every room.
      data(await mod.client.request('breakout.broadcast', { text: 'Five minutes left' }));
      const heard = await bobRoom.client.notification('breakout.broadcast');
      assert.equal(heard.text, 'Five minutes left');
      assert.equal(heard.fromName, 'Mod');
      await cyRoom.client.notification('breakout.broadcast');
      await ada.client.notification('breakout.broadcast');
      assert.equal(
        code(await ada.client.request('breakout.broadcast', { text: 'hi' })),
        'forbidden',
      );
      const broadcastRows = await auditRows(f.t, meetingId, 'breakout.broadcast');
      assert.doesNotMatch(broadcastRows[0]?.content ?? '', /Five minutes/);

      // Moving Ada to Room 2 closes her Room 1 socket; she may enter Room 2 now.
      data(
        await mod.client.request('breakout.move', {
          participantId: ada.participantId,
          roomId: two.id,
        }),
      );
      const ended = await adaRoom.client.notification('meeting.ended');
      assert.equal(ended.reason, 'moved');
      assert.equal((await adaRoom.client.closed).code, CLOSE_CODES.meetingEnded);
      const moved = await ada.client.notification(
        'breakout.changed',
        (d) => d.breakout !== null && roomOf(d.breakout, ada.participantId) === two.id,
      );
      assert.ok(moved.breakout);
      await bobRoom.client.notification('participant.left');
      const adaTwo = await inRoom(f, meetingId, ada, two.id);
      assert.deepEqual(
        (await auditRows(f.t, meetingId, 'breakout.moved')).map((row) => row.target),
        [ada.participantId],
      );

      // Ending brings everyone back: the rooms' sockets close, the main room hears it.
      data(await mod.client.request('breakout.end', {}));
      for (const client of [adaTwo.client, bobRoom.client, cyRoom.client, modRoom.client]) {
        const why = await client.notification('meeting.ended');
        assert.equal(why.reason, 'breakout_ended');
      }
      await ada.client.notification('breakout.changed', (d) => d.breakout === null);
      assert.equal((await enter(f, meetingId, ada, one.id)).status, 409);
      const closed = await auditRows(f.t, meetingId, 'breakout.ended');
      assert.match(closed[0]?.content ?? '', /"reason":"moderator"/);
      // The main meeting carries on; new rooms may open.
      data(await start(mod, [{ name: 'Again', participantIds: [] }]));
      data(await mod.client.request('breakout.end', {}));
    });

    test('random assignment spreads everyone but the moderators evenly', async () => {
      const { mod, others } = await f.meeting('A', 'B', 'C', 'D', 'E');
      const reply = data(
        await start(
          mod,
          [
            { name: 'Red', participantIds: [] },
            { name: 'Blue', participantIds: [others[0]?.participantId ?? ''] },
          ],
          'random',
        ),
      ) as { breakout: BreakoutState };
      const sizes = reply.breakout.rooms.map((room) => room.participantIds.length).sort();
      assert.deepEqual(sizes, [2, 3]);
      assert.equal(
        roomOf(reply.breakout, others[0]?.participantId ?? ''),
        reply.breakout.rooms[1]?.id,
      );
      assert.equal(roomOf(reply.breakout, mod.participantId), null);
      data(await mod.client.request('breakout.end', {}));
    });

    test('bad requests change nothing: strangers, duplicates, a second session, choosing when assigned', async () => {
      const { meetingId, mod, others } = await f.meeting('Ada');
      const [ada] = others as [Person];
      const before = (await auditRows(f.t, meetingId)).length;
      assert.equal(
        code(await start(mod, [{ name: 'One', participantIds: ['AAAAAAAAAAAAAAAAAAAAAA'] }])),
        'bad_request',
      );
      assert.equal(
        code(
          await start(mod, [
            { name: 'One', participantIds: [ada.participantId] },
            { name: 'Two', participantIds: [ada.participantId] },
          ]),
        ),
        'bad_request',
      );
      assert.equal(
        code(
          await start(mod, [
            { name: 'Same', participantIds: [] },
            { name: 'same ', participantIds: [] },
          ]),
        ),
        'bad_request',
      );
      assert.equal(code(await start(mod, [{ name: '   ', participantIds: [] }])), 'bad_request');
      assert.equal(code(await mod.client.request('breakout.end', {})), 'conflict');
      assert.equal(
        code(await ada.client.request('breakout.choose', { roomId: 'AAAAAAAAAAAAAAAAAAAAAA' })),
        'conflict',
      );
      assert.equal(ada.client.notifications('breakout.changed').length, 0);
      assert.equal(
        (await auditRows(f.t, meetingId)).filter((row) => row.action.startsWith('breakout.'))
          .length,
        0,
      );
      assert.ok((await auditRows(f.t, meetingId)).length >= before);

      const { breakout } = data(await start(mod, [{ name: 'One', participantIds: [] }])) as {
        breakout: BreakoutState;
      };
      assert.equal(code(await start(mod, [{ name: 'Two', participantIds: [] }])), 'conflict');
      const room = breakout.rooms[0]?.id ?? '';
      assert.equal(
        code(await ada.client.request('breakout.choose', { roomId: room })),
        'forbidden',
      );
      assert.equal(
        code(
          await mod.client.request('breakout.move', {
            participantId: ada.participantId,
            roomId: 'AAAAAAAAAAAAAAAAAAAAAA',
          }),
        ),
        'not_found',
      );
      assert.equal(
        code(
          await ada.client.request('breakout.move', {
            participantId: ada.participantId,
            roomId: room,
          }),
        ),
        'forbidden',
      );
      data(await mod.client.request('breakout.end', {}));
    });

    test('people choose their room when the moderator lets them', async () => {
      const { meetingId, mod, others } = await f.meeting('Ada', 'Bob');
      const [ada] = others as [Person, Person];
      const { breakout } = data(
        await start(
          mod,
          [
            { name: 'Left', participantIds: [] },
            { name: 'Right', participantIds: [] },
          ],
          'choose',
        ),
      ) as { breakout: BreakoutState };
      assert.equal(breakout.allowChoose, true);
      assert.ok(breakout.rooms.every((room) => room.participantIds.length === 0));
      const right = breakout.rooms[1]?.id ?? '';
      assert.equal((await enter(f, meetingId, ada, right)).status, 403);
      data(await ada.client.request('breakout.choose', { roomId: right }));
      await mod.client.notification(
        'breakout.changed',
        (d) => d.breakout !== null && roomOf(d.breakout, ada.participantId) === right,
      );
      await inRoom(f, meetingId, ada, right);
      const rows = await auditRows(f.t, meetingId, 'breakout.assigned');
      assert.match(rows[0]?.content ?? '', /"by":"self"/);
      // Leaving the main meeting for good takes her out of her room too.
      data(await ada.client.request('meeting.leave', {}));
      await mod.client.notification(
        'breakout.changed',
        (d) => d.breakout !== null && roomOf(d.breakout, ada.participantId) === null,
      );
      data(await mod.client.request('breakout.end', {}));
    });

    test('ending the main meeting closes its rooms', async () => {
      const { meetingId, mod, others } = await f.meeting('Ada');
      const [ada] = others as [Person];
      const { breakout } = data(
        await start(mod, [{ name: 'Only', participantIds: [ada.participantId] }]),
      ) as { breakout: BreakoutState };
      const room = await inRoom(f, meetingId, ada, breakout.rooms[0]?.id ?? '');
      data(await mod.client.request('meeting.end', {}));
      assert.equal((await room.client.notification('meeting.ended')).reason, 'breakout_ended');
      await until(() => room.client.closeInfo !== undefined);
      const closed = await auditRows(f.t, meetingId, 'breakout.ended');
      assert.match(closed[0]?.content ?? '', /"reason":"meeting_ended"/);
    });
  });

  describe(`breakout timer on ${backend.name}`, () => {
    // One "minute" lasts 400 ms here.
    const f = signalingFixture(backend, { meetings: { breakoutMinuteMs: 400 } });

    test('when the time is up everyone returns to the main room', async () => {
      const { meetingId, mod, others } = await f.meeting('Ada');
      const [ada] = others as [Person];
      const { breakout } = data(
        await start(mod, [{ name: 'Quick', participantIds: [ada.participantId] }], 'manual', 1),
      ) as { breakout: BreakoutState };
      assert.equal(Date.parse(breakout.endsAt) - Date.parse(breakout.startedAt), 400);
      const room = await inRoom(f, meetingId, ada, breakout.rooms[0]?.id ?? '');
      assert.equal((await room.client.notification('meeting.ended')).reason, 'breakout_ended');
      await ada.client.notification('breakout.changed', (d) => d.breakout === null);
      const closed = await auditRows(f.t, meetingId, 'breakout.ended');
      const [row] = closed;
      assert.ok(row);
      assert.equal(row.actor, 'breakouts');
      assert.match(row.content, /"reason":"time"/);
      const left = await auditRows(f.t, meetingId, 'breakout.started');
      assert.equal(left.length, 1);
    });
  });
}
