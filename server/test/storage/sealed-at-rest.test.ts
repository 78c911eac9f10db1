import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { SqlInvitationRepository } from '../../src/storage/SqlInvitationRepository.ts';
import { SqlMeetingRepository } from '../../src/storage/SqlMeetingRepository.ts';
import { SqlReportRepository } from '../../src/storage/SqlReportRepository.ts';
import { LocalKeyring } from '../../src/vault/LocalKeyring.ts';
import { Vault } from '../../src/vault/Vault.ts';
import { eachBackend, type TestDatabase } from '../helpers/databases.ts';

const id = () => randomBytes(16).toString('base64url');

/** Every file under a folder, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** The files whose raw bytes contain the needle. */
async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const bytes = Buffer.from(needle, 'utf8');
  const hits: string[] = [];
  for (const file of await filesUnder(dir)) {
    if ((await readFile(file)).includes(bytes)) hits.push(file);
  }
  return hits;
}

/**
 * Stores a meeting, participants, a chat message, an invitation and a report whose personal
 * text is the markers.
 */
async function storeMarkers(t: TestDatabase, keyDir: string) {
  const markers = {
    title: `title-marker-${randomBytes(8).toString('hex')}`,
    name: `name-marker-${randomBytes(8).toString('hex')}`,
    chat: `chat-marker-${randomBytes(8).toString('hex')}`,
    invitationLabel: `label-marker-${randomBytes(8).toString('hex')}`,
    reportText: `report-marker-${randomBytes(8).toString('hex')}`,
  };
  const vault = new Vault(await LocalKeyring.openOrCreate(keyDir));
  const repo = new SqlMeetingRepository(t.database.db, vault);
  const invitations = new SqlInvitationRepository(t.database.db, vault);
  const reports = new SqlReportRepository(t.database.db, vault);
  const meetingId = id();
  const participantId = id();
  await repo.createMeeting({
    id: meetingId,
    title: markers.title,
    createdAt: new Date(),
    moderatorTokenHash: 'm',
    participantTokenHash: 'p',
  });
  await repo.addParticipant({
    id: participantId,
    meetingId,
    displayName: markers.name,
    role: 'moderator',
    joinedAt: new Date(),
    sessionHash: 's',
  });
  await repo.appendChat({
    id: id(),
    meetingId,
    senderId: participantId,
    senderName: markers.name,
    text: markers.chat,
    sentAt: new Date(),
  });
  // The data really is there: it reads back through the repository.
  const [message] = await repo.listChat(meetingId, participantId, 10);
  assert.equal(message?.text, markers.chat);
  assert.equal(message.senderName, markers.name);

  const invitationId = id();
  await invitations.create({
    id: invitationId,
    meetingId,
    tokenHash: id(),
    label: markers.invitationLabel,
    role: 'participant',
    pinHash: null,
    createdBy: `participant:${participantId}`,
    createdAt: new Date(),
    expiresAt: new Date(Date.now() + 3_600_000),
    maxUses: 1,
  });
  const [invitation] = await invitations.list(meetingId);
  assert.equal(invitation?.label, markers.invitationLabel);

  const targetId = id();
  await repo.addParticipant({
    id: targetId,
    meetingId,
    displayName: 'target',
    role: 'participant',
    joinedAt: new Date(),
    sessionHash: 's2',
    invitationId,
  });
  await reports.add({
    id: id(),
    meetingId,
    reporterId: participantId,
    targetId,
    reason: 'other',
    text: markers.reportText,
    reportedAt: new Date(),
  });
  const [report] = await reports.listOpen(meetingId);
  assert.equal(report?.text, markers.reportText);
  return markers;
}

/** Every row of every table of ours, as PostgreSQL's text form (bytea shows as hex). */
async function allRowsAsText(t: TestDatabase): Promise<string> {
  const { db } = t.database;
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db);
  assert.ok(tables.rows.some((row) => row.name === 'chat_messages'));
  const texts: string[] = [];
  for (const { name } of tables.rows) {
    const rows = await sql<{
      row: string;
    }>`select t::text as row from ${sql.table(name)} t`.execute(db);
    texts.push(...rows.rows.map((row) => row.row));
  }
  return texts.join('\n');
}

function assertAbsent(haystack: string, markers: Record<string, string>): void {
  for (const [what, marker] of Object.entries(markers)) {
    assert.equal(haystack.includes(marker), false, `${what} stored in plaintext`);
    const hex = Buffer.from(marker, 'utf8').toString('hex');
    assert.equal(haystack.includes(hex), false, `${what} stored as plaintext bytea`);
  }
}

for (const backend of eachBackend()) {
  describe(`personal data at rest on ${backend.name}`, () => {
    let t: TestDatabase;
    before(async () => {
      t = await backend.open();
    });
    after(async () => {
      await t.cleanup();
    });

    test('no column of any table holds a title, display name, chat text, invitation label or report text in plaintext', async () => {
      const markers = await storeMarkers(t, join(t.dataDir, 'keyring'));
      assertAbsent(await allRowsAsText(t), markers);
    });

    if (backend.name === 'pglite') {
      test('no file in the data folder contains a title, display name, chat text, invitation label or report text', async () => {
        const markers = await storeMarkers(t, join(t.dataDir, 'keyring'));
        // Control: plaintext written the same way is found by this scan, so the scan works.
        const control = `control-marker-${randomBytes(8).toString('hex')}`;
        await sql`create table scan_control (t text)`.execute(t.database.db);
        await sql`insert into scan_control values (${control})`.execute(t.database.db);
        await t.database.close();
        assert.notDeepEqual(await filesContaining(t.dataDir, control), []);
        for (const [what, marker] of Object.entries(markers)) {
          assert.deepEqual(await filesContaining(t.dataDir, marker), [], `${what} found on disk`);
        }
      });
    }
  });
}
