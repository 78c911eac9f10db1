import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import * as Y from 'yjs';
import { MINUTES_LIMITS } from '@konvent/protocol';
import type { MinutesItem } from '@konvent/protocol';
import { MinutesStore } from '../src/media/MinutesStore.ts';
import type { ServerNotification, SignalingChannel } from '../src/media/SignalingChannel.ts';
import { SignalingError } from '../src/media/SignalingError.ts';
import {
  chunkText,
  diffText,
  fromBase64,
  toBase64,
  transformIndex,
} from '../src/media/notesText.ts';

/** Applies a diff the way the notes editor does, to check it rebuilds the new text. */
function apply(before: string, after: string, caret?: number): string {
  const change = diffText(before, after, caret);
  if (change === null) return before;
  return before.slice(0, change.index) + change.insert + before.slice(change.index + change.remove);
}

describe('notes text helpers', () => {
  test('a diff is the one contiguous change, anchored at the caret when ambiguous', () => {
    assert.equal(diffText('abc', 'abc'), null);
    assert.deepEqual(diffText('ac', 'abc'), { index: 1, remove: 0, insert: 'b' });
    assert.deepEqual(diffText('abc', 'ac'), { index: 1, remove: 1, insert: '' });
    assert.deepEqual(diffText('hello world', 'hello there'), {
      index: 6,
      remove: 5,
      insert: 'there',
    });
    // Typing "a" into "a|a": without the caret the insert would land at the end.
    assert.deepEqual(diffText('aa', 'aaa', 2), { index: 1, remove: 0, insert: 'a' });
    assert.deepEqual(diffText('aa', 'aaa'), { index: 0, remove: 0, insert: 'a' });
    for (const [before, after, caret] of [
      ['', 'new text', 8],
      ['paste over this', 'paste here', 10],
      ['x\ny\nz', 'x\nz', 2],
    ] as const) {
      assert.equal(apply(before, after, caret), after);
    }
  });

  test('a diff never splits a surrogate pair', () => {
    // Two emoji share their high surrogate; replacing one must replace it whole.
    const change = diffText('a😀b', 'a😃b');
    assert.ok(change !== null);
    assert.equal(change.index, 1);
    assert.equal(change.remove, 2);
    assert.equal(change.insert, '😃');
  });

  test('chunks keep surrogate pairs together and cover the text', () => {
    const text = `${'x'.repeat(9)}😀${'y'.repeat(5)}`;
    const chunks = chunkText(text, 10);
    assert.equal(chunks.join(''), text);
    assert.ok(chunks.every((chunk) => chunk.length <= 10));
    assert.equal(chunks[0], 'x'.repeat(9));
  });

  test('a caret moves with others’ edits before it and stays put for edits after it', () => {
    // "hello|" and someone inserts "big " at 0: the caret moves by 4.
    assert.equal(transformIndex(5, [{ insert: 'big ' }]), 9);
    // An insert after the caret leaves it.
    assert.equal(transformIndex(2, [{ retain: 3 }, { insert: 'zz' }]), 2);
    // An insert exactly at the caret leaves it before the new text.
    assert.equal(transformIndex(3, [{ retain: 3 }, { insert: 'zz' }]), 3);
    // A delete spanning the caret pulls it to the start of the deletion.
    assert.equal(transformIndex(4, [{ retain: 2 }, { delete: 5 }]), 2);
    assert.equal(transformIndex(8, [{ retain: 2 }, { delete: 5 }]), 3);
  });

  test('base64 round-trips large updates', () => {
    const bytes = new Uint8Array(200_000).map((_, i) => (i * 7) % 256);
    assert.deepEqual(fromBase64(toBase64(bytes)), bytes);
  });
});

type Sent = { method: string; data: Record<string, unknown> };

/** A channel that records requests and answers them with `answer`. */
function fakeChannel(answer: (sent: Sent) => unknown = () => ({})) {
  const sent: Sent[] = [];
  const channel = {
    request: (method: string, data: Record<string, unknown>) => {
      const entry = { method, data };
      sent.push(entry);
      try {
        return Promise.resolve(answer(entry));
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
  };
  return { sent, channel: channel as unknown as SignalingChannel };
}

function docWith(text: string): string {
  const doc = new Y.Doc();
  doc.getText('notes').insert(0, text);
  return toBase64(Y.encodeStateAsUpdate(doc));
}

function welcome(
  role: string,
  minutes: { doc: string; items?: MinutesItem[]; takers?: string[] } | undefined,
  self = 'self-id-0000000000000000',
): Parameters<MinutesStore['welcome']>[0] {
  return {
    self: { id: self, role },
    ...(minutes === undefined ? {} : { minutes: { items: [], takers: [], ...minutes } }),
  } as unknown as Parameters<MinutesStore['welcome']>[0];
}

function note(n: unknown): ServerNotification {
  return n as ServerNotification;
}

describe('MinutesStore', () => {
  test('starts from the welcome, and only moderators and appointed takers may edit', () => {
    const { channel } = fakeChannel();
    const store = new MinutesStore(() => channel);
    store.welcome(welcome('guest', { doc: docWith('Agenda') }));
    const snap = store.getSnapshot();
    assert.equal(snap.available, true);
    assert.equal(store.notes().toJSON(), 'Agenda');
    assert.equal(snap.mayEdit, false);

    assert.equal(
      store.handle(
        note({ notification: 'minutes.takers', data: { takers: ['self-id-0000000000000000'] } }),
      ),
      true,
    );
    assert.equal(store.getSnapshot().mayEdit, true);
    store.handle(note({ notification: 'minutes.takers', data: { takers: [] } }));
    assert.equal(store.getSnapshot().mayEdit, false);

    // My own promotion to moderator is read, but left to the client (false).
    const promoted = note({
      notification: 'participant.updated',
      data: { participant: { id: 'self-id-0000000000000000', role: 'moderator' } },
    });
    assert.equal(store.handle(promoted), false);
    assert.equal(store.getSnapshot().mayEdit, true);
    store.close();
  });

  test('a meeting without minutes says so', () => {
    const { channel } = fakeChannel();
    const store = new MinutesStore(() => channel);
    store.welcome(welcome('moderator', undefined));
    assert.equal(store.getSnapshot().available, false);
    assert.equal(store.getSnapshot().mayEdit, false);
    store.close();
  });

  test('a typing burst goes out as one minutes.update; others’ updates are applied, not echoed', async () => {
    const { sent, channel } = fakeChannel();
    const store = new MinutesStore(() => channel);
    store.welcome(welcome('moderator', { doc: '' }));
    const text = store.notes();
    for (const ch of 'Decided: ship it.') text.insert(text.length, ch);
    await sleep(400);
    assert.equal(sent.length, 1);
    const [frame] = sent;
    assert.ok(frame !== undefined);
    assert.equal(frame.method, 'minutes.update');
    const other = new Y.Doc();
    Y.applyUpdate(other, fromBase64(String(frame.data.update)));
    assert.equal(other.getText('notes').toJSON(), 'Decided: ship it.');

    // Someone else appends; it shows here and is not sent back.
    other.getText('notes').insert(other.getText('notes').length, ' Agreed.');
    const theirs = Y.encodeStateAsUpdate(other, Y.encodeStateVector(store.getSnapshot().doc));
    store.handle(note({ notification: 'minutes.changed', data: { update: toBase64(theirs) } }));
    assert.equal(store.notes().toJSON(), 'Decided: ship it. Agreed.');
    await sleep(400);
    assert.equal(sent.length, 1);
    store.close();
  });

  test('a large edit is sent in frames under the limit', async () => {
    const { sent, channel } = fakeChannel();
    const store = new MinutesStore(() => channel);
    store.welcome(welcome('moderator', { doc: '' }));
    const text = store.notes();
    // Chunks as the editor makes them: each fits, together they do not.
    for (let i = 0; i < 10; i++) text.insert(text.length, 'ä'.repeat(8000));
    await sleep(400);
    assert.ok(sent.length > 1, `several frames, got ${String(sent.length)}`);
    const other = new Y.Doc();
    for (const frame of sent) {
      const update = String(frame.data.update);
      assert.ok(update.length <= MINUTES_LIMITS.updateChars, `${String(update.length)} chars`);
      Y.applyUpdate(other, fromBase64(update));
    }
    assert.equal(other.getText('notes').length, 80_000);
    store.close();
  });

  test('an edit the server refuses is taken back, with the reason', async () => {
    const { channel } = fakeChannel(({ method }) => {
      if (method === 'minutes.update') throw new SignalingError('forbidden', 'no');
      return {};
    });
    const store = new MinutesStore(() => channel);
    store.welcome(welcome('moderator', { doc: docWith('Kept') }));
    store.notes().insert(4, ' and refused');
    await sleep(400);
    const snap = store.getSnapshot();
    assert.equal(store.notes().toJSON(), 'Kept');
    assert.ok(snap.refused instanceof SignalingError);
    store.dismissRefusal();
    assert.equal(store.getSnapshot().refused, null);
    store.close();
  });

  test('after a reconnect, edits the server never got are sent again', async () => {
    let online = false;
    const { sent, channel } = fakeChannel(() => {
      if (!online) throw new SignalingError('closed', 'socket closed');
      return {};
    });
    const store = new MinutesStore(() => channel);
    const first = docWith('Start');
    store.welcome(welcome('moderator', { doc: first }));
    store.notes().insert(5, ' offline');
    await sleep(400);
    assert.equal(store.notes().toJSON(), 'Start offline', 'a dropped socket takes nothing back');
    online = true;
    store.welcome(welcome('moderator', { doc: first }));
    await sleep(400);
    const last = sent.at(-1);
    assert.ok(last !== undefined);
    assert.equal(last.method, 'minutes.update');
    const server = new Y.Doc();
    Y.applyUpdate(server, fromBase64(first));
    Y.applyUpdate(server, fromBase64(String(last.data.update)));
    assert.equal(server.getText('notes').toJSON(), 'Start offline');
    store.close();
  });

  test('items arrive, change and go in creation order', async () => {
    const item = (id: string, createdAt: string, text: string): MinutesItem => ({
      id,
      kind: 'action',
      text,
      done: false,
      authorName: 'Alice',
      createdAt,
    });
    const { sent, channel } = fakeChannel(({ method, data }) =>
      method === 'minutes.addItem'
        ? { item: { ...item('c'.repeat(22), '2026-12-05T10:02:00Z', String(data.text)) } }
        : {},
    );
    const store = new MinutesStore(() => channel);
    store.welcome(
      welcome('moderator', {
        doc: '',
        items: [item('b'.repeat(22), '2026-12-05T10:01:00Z', 'second')],
      }),
    );
    store.handle(
      note({
        notification: 'minutes.itemChanged',
        data: { item: item('a'.repeat(22), '2026-12-05T10:00:00Z', 'first') },
      }),
    );
    await store.addItem({ kind: 'action', text: 'third', owner: 'Carol', due: '2026-12-24' });
    assert.deepEqual(sent.at(-1), {
      method: 'minutes.addItem',
      data: { kind: 'action', text: 'third', owner: 'Carol', due: '2026-12-24' },
    });
    assert.deepEqual(
      store.getSnapshot().items.map((i) => i.text),
      ['first', 'second', 'third'],
    );
    store.handle(note({ notification: 'minutes.itemRemoved', data: { id: 'b'.repeat(22) } }));
    assert.deepEqual(
      store.getSnapshot().items.map((i) => i.text),
      ['first', 'third'],
    );
    store.close();
  });
});
