import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MinutesItem, MinutesListReply, MinutesRecord } from '@konvent/protocol';
import * as Y from 'yjs';
import { auditRows } from '../helpers/auditRows.ts';
import { eachBackend } from '../helpers/databases.ts';
import { signalingFixture, type Person } from '../helpers/signalingFixture.ts';
import { code, data, until } from '../helpers/signalingKit.ts';
import { signedInAccount } from '../helpers/testServer.ts';

/** A socket's copy of the notes, kept up to date from `minutes.changed`. */
function mirror(person: Person): Y.Doc {
  const doc = new Y.Doc();
  const state = person.welcome.minutes?.doc ?? '';
  if (state !== '') Y.applyUpdate(doc, Buffer.from(state, 'base64'));
  return doc;
}

/** Types at the end of the doc and sends the update. */
async function type(person: Person, doc: Y.Doc, text: string) {
  let update = '';
  const listener = (u: Uint8Array) => {
    update = Buffer.from(u).toString('base64');
  };
  doc.on('update', listener);
  const notes = doc.getText('notes');
  notes.insert(notes.length, text);
  doc.off('update', listener);
  return person.client.request('minutes.update', { update });
}

/** Applies every `minutes.changed` the person received so far (once each). */
function catchUp(person: Person, doc: Y.Doc, seen: Set<string>) {
  for (const { update } of person.client.notifications('minutes.changed')) {
    if (seen.has(update)) continue;
    seen.add(update);
    Y.applyUpdate(doc, Buffer.from(update, 'base64'));
  }
}

async function pdfText(bytes: Uint8Array): Promise<string> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = getDocument({ data: bytes, useSystemFonts: false });
  const pdf = await task.promise;
  let text = '';
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    text += content.items.map((item) => ('str' in item ? item.str : '')).join(' ');
  }
  await task.destroy();
  return text;
}

for (const backend of eachBackend()) {
  describe(`minutes over signalling and HTTP on ${backend.name}`, () => {
    const f = signalingFixture(backend);

    const get = (path: string, cookie?: string) =>
      fetch(`${f.baseUrl}${path}`, cookie === undefined ? {} : { headers: { cookie } });

    test('live editing: a participant without the right cannot edit, an appointed taker can, two sockets converge', async () => {
      const { mod, others } = await f.meeting('Ada');
      const [ada] = others;
      assert.ok(ada);
      assert.deepEqual(ada.welcome.minutes?.takers, []);
      const modDoc = mirror(mod);
      const adaDoc = mirror(ada);
      assert.equal(code(await type(ada, adaDoc, 'sneaky')), 'forbidden');
      const refused = await ada.client.request('minutes.addItem', { kind: 'decision', text: 'x' });
      assert.equal(code(refused), 'forbidden');
      data(
        await mod.client.request('minutes.appoint', {
          participantId: ada.participantId,
          taker: true,
        }),
      );
      await ada.client.notification('minutes.takers', (d) => d.takers.includes(ada.participantId));
      // Ada's refused text never reached the server; she starts again from the server's copy.
      const fresh = new Y.Doc();
      const adaSeen = new Set<string>();
      const modSeen = new Set<string>();
      data(await type(mod, modDoc, 'Agenda. '));
      await until(() => ada.client.notifications('minutes.changed').length === 1);
      catchUp(ada, fresh, adaSeen);
      data(await type(ada, fresh, 'Budget approved.'));
      data(await type(mod, modDoc, ' Next: hiring.'));
      await until(() => mod.client.notifications('minutes.changed').length === 1);
      await until(() => ada.client.notifications('minutes.changed').length === 2);
      catchUp(mod, modDoc, modSeen);
      catchUp(ada, fresh, adaSeen);
      const text = modDoc.getText('notes').toJSON();
      assert.equal(fresh.getText('notes').toJSON(), text);
      assert.ok(text.includes('Budget approved.') && text.includes('Next: hiring.'));

      const added = data(
        await ada.client.request('minutes.addItem', {
          kind: 'action',
          text: 'Send the report',
          owner: 'Ada',
          due: '2026-12-24',
        }),
      ) as { item: MinutesItem };
      const seen = await mod.client.notification('minutes.itemChanged');
      assert.deepEqual(seen.item, added.item);
      const bad = await ada.client.request('minutes.addItem', {
        kind: 'action',
        text: 'x',
        due: '24.12.2026',
      });
      assert.equal(code(bad), 'bad_request');
    });

    test('read and export while the meeting runs and afterwards; access control; audit', async () => {
      const { meetingId, mod, others } = await f.meeting('Ada');
      const [ada] = others;
      assert.ok(ada);
      const doc = mirror(mod);
      data(await type(mod, doc, 'Grüße aus Köln: Protokoll'));
      data(
        await mod.client.request('minutes.addItem', {
          kind: 'action',
          text: 'Send the report',
          owner: 'Zoë',
          due: '2026-12-24',
        }),
      );
      data(await mod.client.request('minutes.addItem', { kind: 'decision', text: 'Go ahead' }));

      const read = await get(`/api/meetings/${meetingId}/minutes`, ada.cookie);
      assert.equal(read.status, 200);
      const record = (await read.json()) as MinutesRecord;
      assert.equal(record.notes, 'Grüße aus Köln: Protokoll');
      assert.equal(record.items.length, 2);
      assert.deepEqual(record.takers, []);
      assert.equal(record.endedAt, null);

      // Nobody else learns anything, not even whether the meeting exists: without any
      // session `unauthenticated`, with an account that may not read `not_found`.
      const stranger = await get(`/api/meetings/${meetingId}/minutes`);
      assert.equal(stranger.status, 401);
      const other = await f.meeting();
      const wrongCookie = other.mod.cookie.replace(other.meetingId, meetingId);
      assert.equal((await get(`/api/meetings/${meetingId}/minutes`, wrongCookie)).status, 401);
      const outsider = await signedInAccount(f.t.server, ['member']);
      assert.equal((await get(`/api/meetings/${meetingId}/minutes`, outsider.cookie)).status, 404);
      assert.equal((await get(`/api/meetings/${'Z'.repeat(22)}/minutes`, ada.cookie)).status, 401);

      const md = await get(`/api/meetings/${meetingId}/minutes/export?format=md`, ada.cookie);
      assert.equal(md.status, 200);
      assert.match(md.headers.get('content-type') ?? '', /^text\/markdown/);
      assert.match(
        md.headers.get('content-disposition') ?? '',
        /^attachment; filename="minutes-test-meeting-\d{4}-\d{2}-\d{2}\.md"$/i,
      );
      const markdown = await md.text();
      assert.match(markdown, /^# Minutes: Test meeting/);
      assert.match(markdown, /\| Zoë \| 2026-12-24 \| Send the report \| no \|/);
      assert.match(markdown, /- Go ahead/);
      assert.match(markdown, /Grüße aus Köln/);

      const pdf = await get(`/api/meetings/${meetingId}/minutes/export?format=pdf`, mod.cookie);
      assert.equal(pdf.status, 200);
      assert.equal(pdf.headers.get('content-type'), 'application/pdf');
      const bytes = new Uint8Array(await pdf.arrayBuffer());
      assert.equal(Buffer.from(bytes.subarray(0, 5)).toString('latin1'), '%PDF-');
      const text = await pdfText(bytes);
      for (const expected of ['Test meeting', 'Send the report', 'Zoë', 'Grüße aus Köln'])
        assert.ok(text.includes(expected), `${expected} in ${text}`);
      const bad = await get(`/api/meetings/${meetingId}/minutes/export?format=docx`, ada.cookie);
      assert.equal(bad.status, 400);

      const exported = await auditRows(f.t, meetingId, 'minutes.exported');
      assert.deepEqual(
        exported.map((row) => [row.actor, row.outcome]),
        [
          [ada.participantId, 'success'],
          [mod.participantId, 'success'],
        ],
      );
      assert.match(exported[0]?.content ?? '', /"format":"md"/);
      assert.match(exported[1]?.content ?? '', /"format":"pdf"/);

      // After the meeting: the session cookie is dead, the organiser's account reads on.
      data(await mod.client.request('meeting.end', {}));
      await until(() => ada.client.notifications('meeting.ended').length > 0);
      assert.equal((await get(`/api/meetings/${meetingId}/minutes`, ada.cookie)).status, 401);
      const organiser = f.t.organiser.cookie;
      const after = await get(`/api/meetings/${meetingId}/minutes`, organiser);
      assert.equal(after.status, 200);
      const ended = (await after.json()) as MinutesRecord;
      assert.notEqual(ended.endedAt, null);
      assert.equal(ended.takers, undefined);
      assert.equal(ended.items.length, 2);
      assert.equal((await get(`/api/meetings/${meetingId}/minutes`, outsider.cookie)).status, 404);
      const list = await get('/api/minutes', organiser);
      assert.equal(list.status, 200);
      const listed = (await list.json()) as MinutesListReply;
      assert.ok(listed.minutes.some((m) => m.meetingId === meetingId));
      const none = (await (await get('/api/minutes', outsider.cookie)).json()) as MinutesListReply;
      assert.deepEqual(none.minutes, []);
      assert.equal((await get('/api/minutes')).status, 401);
    });
  });
}
