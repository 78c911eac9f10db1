import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { createMeetingViaApi, launchBrowser, startServer, type ServerProcess } from './harness.ts';
import { REPO_ROOT } from './ServerProcess.ts';

let browser: Browser | undefined;
const servers: ServerProcess[] = [];
let ownDataDir: string | undefined;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  for (const server of servers) await server.stop();
  if (ownDataDir !== undefined) await rm(ownDataDir, { recursive: true, force: true });
});

/** Runs `npm run audit -- grant-auditor` as an operator would; returns the link's token. */
async function grantAuditor(env: Record<string, string>): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['server/src/auditor/cli.ts', 'grant-auditor', '--label', 'E2E auditor', '--hours', '1'],
    { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', ...env } },
  );
  const token = /\/audit#k=([A-Za-z0-9_-]{43})\s*$/.exec(stdout)?.[1];
  assert.ok(token, `no auditor link in: ${stdout}`);
  return token;
}

/**
 * A server with an auditor grant. On PostgreSQL the CLI runs beside the server, as in
 * production; the embedded database admits one process, so there the server is stopped for
 * the grant and a new one started on the same data folder.
 */
async function serverWithGrant(): Promise<{
  server: ServerProcess;
  token: string;
  meetingId: string;
}> {
  if (process.env.DATABASE_URL !== undefined && process.env.DATABASE_URL !== '') {
    const server = await startServer();
    servers.push(server);
    const { meetingId } = await runMeeting(server);
    const token = await grantAuditor({
      DATA_DIR: server.dataDir,
      DATABASE_URL: server.databaseUrl ?? '',
      PUBLIC_URL: server.origin,
    });
    return { server, token, meetingId };
  }
  ownDataDir = await mkdtemp(path.join(tmpdir(), 'konvent-e2e-audit-'));
  const first = await startServer({ env: { DATA_DIR: ownDataDir } });
  servers.push(first);
  const { meetingId } = await runMeeting(first);
  await first.stop();
  const token = await grantAuditor({ DATA_DIR: ownDataDir });
  const server = await startServer({ env: { DATA_DIR: ownDataDir } });
  servers.push(server);
  return { server, token, meetingId };
}

/** A meeting run through the API: created, joined by a participant. */
async function runMeeting(server: ServerProcess): Promise<{ meetingId: string }> {
  const created = await createMeetingViaApi(server, 'Confidential budget talk');
  const token = new URL(created.participantLink).hash.replace(/^#k=/, '');
  const joined = await fetch(`${server.origin}/api/meetings/${created.meetingId}/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, displayName: 'Erika Mustermann' }),
  });
  assert.equal(joined.status, 200);
  return { meetingId: created.meetingId };
}

async function filterByAction(
  page: Page,
  actionLabel: string,
  submitLabel: string,
  action: string,
) {
  await page.getByLabel(actionLabel, { exact: true }).selectOption(action);
  await page.getByRole('button', { name: submitLabel, exact: true }).click();
}

test('an auditor opens a granted link, filters by action and sees the meeting being created — in English and German', async () => {
  assert.ok(browser);
  const { server, token, meetingId } = await serverWithGrant();
  const context = await browser.newContext({ viewport: { width: 1360, height: 1000 } });
  try {
    const page = await context.newPage();
    await page.goto(`${server.origin}/audit?lang=en#k=${token}`);
    await page.getByRole('heading', { name: 'Audit trail', level: 1 }).waitFor();
    await page.getByText(/Signed in until/).waitFor();
    assert.equal(new URL(page.url()).hash, '', 'the token must leave the address bar');

    const table = page.getByRole('table', { name: /Audit events, newest first/ });
    // The page first loads the newest events unfiltered, and ignores a search while busy:
    // wait for that page, then for the filtered one to replace it.
    await table.getByText('meeting.joined').first().waitFor();
    await page.locator('table[aria-busy="false"]').waitFor();
    await filterByAction(page, 'Action', 'Search', 'meeting.created');
    await table.getByText('meeting.joined').first().waitFor({ state: 'detached' });
    await page.locator('table[aria-busy="false"]').waitFor();
    const row = table.getByRole('row').filter({ hasText: meetingId });
    await row.first().waitFor();
    assert.match((await row.first().textContent()) ?? '', /meeting\.created/);
    assert.equal(await table.getByText('meeting.joined').count(), 0);
    const text = (await page.textContent('main')) ?? '';
    assert.ok(!text.includes('Confidential') && !text.includes('Erika'), 'no meeting content');
    for (const name of ['From', 'To', 'Actor', 'Meeting', 'Outcome']) {
      await page.getByLabel(name, { exact: true }).waitFor();
    }
    if (process.env.E2E_SCREENSHOTS !== undefined) {
      await page.screenshot({
        path: path.join(process.env.E2E_SCREENSHOTS, 'audit-en.png'),
        fullPage: true,
      });
    }

    // The session survives a reload (the cookie), in German this time.
    await page.goto(`${server.origin}/audit?lang=de`);
    await page.getByRole('heading', { name: 'Prüfprotokoll', level: 1 }).waitFor();
    await filterByAction(page, 'Aktion', 'Suchen', 'meeting.created');
    await page
      .getByRole('table', { name: /Protokollereignisse/ })
      .getByRole('row')
      .filter({ hasText: meetingId })
      .first()
      .waitFor();
    if (process.env.E2E_SCREENSHOTS !== undefined) {
      await page.screenshot({
        path: path.join(process.env.E2E_SCREENSHOTS, 'audit-de.png'),
        fullPage: true,
      });
    }

    // Each search was audited, and signing out ends the session.
    await filterByAction(page, 'Aktion', 'Suchen', 'auditor.search');
    await page.getByRole('cell', { name: 'auditor.search' }).first().waitFor();
    await page.getByRole('button', { name: 'Abmelden' }).click();
    await page.getByText('Sie haben sich abgemeldet.', { exact: false }).waitFor();
    const after = await page.request.get(`${server.origin}/api/audit/events`);
    assert.equal(after.status(), 401);
  } finally {
    await context.close();
  }
});

test('a used or wrong auditor link shows a clear refusal and no data', async () => {
  assert.ok(browser);
  const server = servers.at(-1);
  assert.ok(server);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${server.origin}/audit?lang=en#k=${'z'.repeat(43)}`);
    await page
      .getByRole('alert')
      .filter({ hasText: 'invalid, has expired or has already been used' })
      .waitFor();
    assert.equal(await page.getByRole('table').count(), 0);
    if (process.env.E2E_SCREENSHOTS !== undefined) {
      await page.screenshot({
        path: path.join(process.env.E2E_SCREENSHOTS, 'audit-invalid-en.png'),
      });
    }
  } finally {
    await context.close();
  }
});
