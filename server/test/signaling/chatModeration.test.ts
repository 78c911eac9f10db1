import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatMessage } from '@konvent/protocol';
import { auditRows } from '../helpers/auditRows.ts';
import { eachBackend } from '../helpers/databases.ts';
import { signalingFixture, type Person } from '../helpers/signalingFixture.ts';
import { code, data } from '../helpers/signalingKit.ts';
import { joinMeeting } from '../helpers/testServer.ts';

for (const backend of eachBackend()) {
  describe(`chat moderation on ${backend.name}`, () => {
    const f = signalingFixture(backend);
    const { connect, meeting } = f;

    async function send(person: Person, text: string, to?: string): Promise<ChatMessage> {
      const request = to === undefined ? { text } : { text, to };
      return (data(await person.client.request('chat.send', request)) as { message: ChatMessage })
        .message;
    }

    function deleteChat(person: Person, messageId: string) {
      return person.client.request('moderation.deleteChat', { messageId });
    }

    /** The chat a fresh socket of this person is welcomed with (the late joiner's view). */
    async function history(meetingId: string, person: Person): Promise<string[]> {
      const client = connect(meetingId, person.cookie);
      const welcome = await client.notification('session.welcome');
      person.client = client;
      return welcome.chat.map((message) => message.text);
    }

    async function storedRow(messageId: string) {
      return f.t.server.database.db
        .selectFrom('chat_messages')
        .selectAll()
        .where('id', '=', messageId)
        .executeTakeFirstOrThrow();
    }

    test('a moderator deletes a public message: everyone is told, history no longer has it, its text is erased at rest and the deletion is audited without it', async () => {
      const { meetingId, participantToken, mod, others } = await meeting('Ada', 'Bob');
      const [ada, bob] = others;
      assert.ok(ada && bob);
      const text = 'my phone number is 0176 5550123';
      const message = await send(ada, text);
      await send(ada, 'this one stays');
      for (const person of [mod, bob])
        await person.client.notification('chat.message', (d) => d.message.id === message.id);
      const sealedBefore = (await storedRow(message.id)).body_sealed;
      assert.ok(sealedBefore !== null && sealedBefore.byteLength > 0);

      data(await deleteChat(mod, message.id));
      for (const person of [mod, ada, bob]) {
        assert.deepEqual(
          await person.client.notification('chat.deleted', (d) => d.messageId === message.id),
          { messageId: message.id },
        );
      }

      // Nothing of the text stays in the row: no sealed body, and no clear text anywhere.
      const row = await storedRow(message.id);
      assert.equal(row.body_sealed, null);
      assert.equal(row.deleted_by, mod.participantId);
      assert.ok(row.deleted_at instanceof Date);
      const rowBytes = Buffer.from(
        JSON.stringify(row, (_key, value: unknown) =>
          value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : value,
        ),
      );
      assert.equal(rowBytes.includes(Buffer.from('0176 5550123')), false);

      // Late joiners and reconnecting sockets do not get it back.
      assert.deepEqual(await history(meetingId, bob), ['this one stays']);
      const carl = await joinMeeting(f.baseUrl, meetingId, participantToken, 'Carl');
      const carlWelcome = await connect(meetingId, carl.cookie).notification('session.welcome');
      assert.deepEqual(
        carlWelcome.chat.map((m) => m.text),
        ['this one stays'],
      );

      // Deleting it again finds nothing.
      assert.equal(code(await deleteChat(mod, message.id)), 'not_found');

      const events = await auditRows(f.t, meetingId, 'moderation.chat_deleted');
      assert.equal(events.length, 1);
      const [event] = events;
      assert.ok(event);
      assert.deepEqual(
        [event.outcome, event.actor, event.target],
        ['success', mod.participantId, message.id],
      );
      assert.match(event.content, new RegExp(`"sender":"${ada.participantId}"`));
      assert.equal(event.content.includes('0176'), false);
    });

    test('a deleted private message is announced only to its sender and recipient; a moderator cannot delete a whisper they could not see', async () => {
      const { meetingId, mod, others } = await meeting('Ada', 'Bob');
      const [ada, bob] = others;
      assert.ok(ada && bob);
      const whisper = await send(mod, 'psst, Ada', ada.participantId);
      await ada.client.notification('chat.message', (d) => d.message.id === whisper.id);
      const between = await send(bob, 'just between us', ada.participantId);
      await ada.client.notification('chat.message', (d) => d.message.id === between.id);

      data(await deleteChat(mod, whisper.id));
      await mod.client.notification('chat.deleted', (d) => d.messageId === whisper.id);
      await ada.client.notification('chat.deleted', (d) => d.messageId === whisper.id);
      // A public message sent after it reaches Bob, so the deletion would have too.
      const marker = await send(mod, 'marker');
      await bob.client.notification('chat.message', (d) => d.message.id === marker.id);
      await sleep(50);
      assert.deepEqual(bob.client.notifications('chat.deleted'), []);

      // The moderator never saw Bob's whisper to Ada: as if it did not exist.
      assert.equal(code(await deleteChat(mod, between.id)), 'not_found');
      assert.equal((await storedRow(between.id)).deleted_at, null);
      assert.deepEqual(await history(meetingId, ada), ['just between us', 'marker']);
    });

    test("a participant's delete is refused and audited as denied; nothing changes", async () => {
      const { meetingId, mod, others } = await meeting('Ada');
      const [ada] = others;
      assert.ok(ada);
      const message = await send(mod, 'house rules');
      await ada.client.notification('chat.message', (d) => d.message.id === message.id);

      assert.equal(code(await deleteChat(ada, message.id)), 'forbidden');
      const row = await storedRow(message.id);
      assert.equal(row.deleted_at, null);
      assert.ok(row.body_sealed !== null);
      await sleep(50);
      assert.deepEqual(mod.client.notifications('chat.deleted'), []);
      assert.deepEqual(ada.client.notifications('chat.deleted'), []);
      assert.deepEqual(await history(meetingId, ada), ['house rules']);

      const events = await auditRows(f.t, meetingId, 'moderation.chat_deleted');
      assert.deepEqual(
        events.map((e) => [e.outcome, e.actor, e.target]),
        [['denied', ada.participantId, message.id]],
      );
    });

    test('deleting an unknown message id is not_found', async () => {
      const { meetingId, mod } = await meeting();
      assert.equal(code(await deleteChat(mod, 'A'.repeat(22))), 'not_found');
      assert.deepEqual(await auditRows(f.t, meetingId, 'moderation.chat_deleted'), []);
    });

    test('the 11th message within 10 seconds is rate_limited with a clear message, stored nowhere and sent to nobody, on any socket of the sender', async () => {
      const { meetingId, mod, others } = await meeting('Ada');
      const [ada] = others;
      assert.ok(ada);
      for (let i = 1; i <= 10; i++) await send(ada, `message ${String(i)}`);
      const refused = await ada.client.request('chat.send', { text: 'message 11' });
      assert.equal(code(refused), 'rate_limited');
      assert.ok(!refused.ok);
      assert.match(refused.error.message, /at most 10 in 10 seconds/);
      // The socket stays open: a chatty person is not an abusive client.
      assert.equal(
        ada.client.frames.some((f) => 'ok' in f && f.id === null),
        false,
      );

      // A fresh socket of the same person is still limited; others may still talk.
      assert.deepEqual((await history(meetingId, ada)).length, 10);
      assert.equal(
        code(await ada.client.request('chat.send', { text: 'message 12' })),
        'rate_limited',
      );
      await send(mod, 'calm down');
      await mod.client.notification('chat.message', (d) => d.message.text === 'message 10');
      await sleep(50);
      const seen = mod.client.notifications('chat.message').map((d) => d.message.text);
      assert.equal(seen.includes('message 11'), false);
      assert.equal(seen.includes('message 12'), false);

      const stored = await f.t.server.database.db
        .selectFrom('chat_messages')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('meeting_id', '=', meetingId)
        .where('sender_id', '=', ada.participantId)
        .executeTakeFirstOrThrow();
      assert.equal(Number(stored.n), 10);
    });
  });
}
