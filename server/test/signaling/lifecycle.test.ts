import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CLOSE_CODES } from '@konvent/protocol';
import { eachBackend } from '../helpers/databases.ts';
import { SignalingClient } from '../helpers/SignalingClient.ts';
import { createMeeting, joinMeeting, startTestServer } from '../helpers/testServer.ts';

const [backend] = eachBackend();
if (backend === undefined) throw new Error('no backend');

describe('socket lifecycle', () => {
  test('closes every socket with 1001 and keeps participants so they can reconnect', async () => {
    const t = await startTestServer(backend, { listen: true });
    try {
      const baseUrl = t.baseUrl ?? '';
      const m = await createMeeting(baseUrl);
      const ada = await joinMeeting(baseUrl, m.meetingId, m.participantToken, 'Ada');
      const client = SignalingClient.connect(t.wsUrl ?? '', m.meetingId, { cookie: ada.cookie });
      await client.notification('session.welcome');
      await t.server.close();
      assert.equal((await client.closed).code, CLOSE_CODES.goingAway);
      assert.equal(t.server.media.aliveWorkers(), 0);
      // Nobody was recorded as having left: another process can take the meeting over.
      const active = await t.database.database.db
        .selectFrom('participants')
        .select('id')
        .where('left_at', 'is', null)
        .execute();
      assert.deepEqual(
        active.map((p) => p.id),
        [ada.participantId],
      );
    } finally {
      await t.close();
    }
  });

  test('a socket that stops answering pings is dropped and its participant shows as reconnecting', async () => {
    const t = await startTestServer(backend, { listen: true, signaling: { heartbeatMs: 100 } });
    try {
      const baseUrl = t.baseUrl ?? '';
      const m = await createMeeting(baseUrl);
      const ada = await joinMeeting(baseUrl, m.meetingId, m.participantToken, 'Ada');
      const bob = await joinMeeting(baseUrl, m.meetingId, m.participantToken, 'Bob');
      const adaClient = SignalingClient.connect(t.wsUrl ?? '', m.meetingId, { cookie: ada.cookie });
      await adaClient.notification('session.welcome');
      const silent = SignalingClient.connect(t.wsUrl ?? '', m.meetingId, {
        cookie: bob.cookie,
        autoPong: false,
      });
      await silent.notification('session.welcome');
      await silent.closed;
      const update = await adaClient.notification(
        'participant.updated',
        (d) => d.participant.id === bob.participantId && d.participant.presence === 'reconnecting',
      );
      assert.equal(update.participant.displayName, 'Bob');
      // A client that answers pings stays, however long it is quiet.
      assert.equal(adaClient.closeInfo, undefined);
      await adaClient.close();
    } finally {
      await t.close();
    }
  });
});
