import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { AuditError } from '../../src/audit/AuditError.ts';
import type { AuditLog } from '../../src/audit/AuditLog.ts';
import { formatVerifierKey } from '../../src/audit/checkpoint.ts';
import { writeExport } from '../../src/audit/exportArchive.ts';
import { verifyExport } from '../../src/audit/verifyExport.ts';
import { eachBackend } from '../helpers/databases.ts';
import { openFixture, sampleEvent, tamper, type AuditFixture } from './auditFixture.ts';

const DAY = 24 * 60 * 60 * 1000;

/** The export's lines, parsed. */
async function exportLines(path: string): Promise<Record<string, unknown>[]> {
  const text = gunzipSync(await readFile(path)).toString('utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Writes a copy of an export with its lines changed by `edit`. */
async function edited(
  path: string,
  name: string,
  edit: (lines: Record<string, unknown>[]) => Record<string, unknown>[],
): Promise<string> {
  const lines = edit(await exportLines(path));
  const copy = join(path, '..', name);
  await writeFile(copy, gzipSync(lines.map((line) => `${JSON.stringify(line)}\n`).join('')));
  return copy;
}

function failsAt(
  verdict: Awaited<ReturnType<typeof verifyExport>>,
  seq: number | null,
  reason: RegExp,
) {
  const { result } = verdict;
  assert.ok(!result.ok, 'the altered export verified');
  assert.equal(result.firstBadSeq, seq, result.reason);
  assert.match(result.reason, reason);
}

for (const backend of eachBackend()) {
  describe(`audit export on ${backend.name}`, () => {
    let f: AuditFixture;
    let log: AuditLog;
    let full: string;

    before(async () => {
      f = await openFixture(backend);
      log = await f.open({ checkpointEvery: 10, retentionDays: { default: 365, meeting: 20 } });
      // One event a day for 30 days, from 2030-01-01; the first ones expire (20 days).
      for (let i = 0; i < 30; i++) {
        await log.record(sampleEvent(i));
        f.clock.advance(DAY);
      }
      await log.applyRetention(f.clock.now()); // erases days 0–9, records event 30
      await log.checkpoint(); // 31 events
      await log.record(sampleEvent(99)); // not yet sealed: not exported
      full = join(f.t.dataDir, 'full.jsonl.gz');
    });
    after(async () => {
      await f.cleanup();
    });

    test('a full export verifies offline, up to the latest checkpoint', async () => {
      const summary = await writeExport(f.db, full, { now: f.clock.now() });
      assert.deepEqual(summary, { treeSize: 31, events: 31, checkpoints: 4 });
      const verdict = await verifyExport(full, { verifierKey: log.verifierKey });
      assert.ok(verdict.result.ok, JSON.stringify(verdict.result));
      assert.equal(verdict.result.size, 31);
      assert.equal(verdict.fullEvents, 31);
      const lines = await exportLines(full);
      assert.deepEqual(
        lines.slice(0, 8).map((line) => line['type']),
        [
          'header',
          'checkpoint',
          'checkpoint',
          'checkpoint',
          'checkpoint',
          'consistency',
          'consistency',
          'consistency',
        ],
      );
      assert.equal(lines[0]?.['verifierKey'], log.verifierKey);
      // Erased events are in it with their leaf hash only.
      const erased = lines.find((line) => line['seq'] === 2 && line['type'] === 'event');
      assert.deepEqual([erased?.['content'], erased?.['actorId']], [null, null]);
    });

    test('a time-range export holds only those events in full, the rest as leaf hashes', async () => {
      const path = join(f.t.dataDir, 'range.jsonl.gz');
      const from = new Date(Date.UTC(2030, 0, 15));
      const to = new Date(Date.UTC(2030, 0, 20));
      const summary = await writeExport(f.db, path, { from, to });
      assert.equal(summary.events, 5);
      const lines = await exportLines(path);
      const events = lines.filter((line) => line['type'] === 'event').map((line) => line['seq']);
      assert.deepEqual(events, [14, 15, 16, 17, 18]);
      assert.equal(lines.filter((line) => line['type'] === 'leaf').length, 26);
      const text = JSON.stringify(lines.filter((line) => line['type'] === 'leaf'));
      assert.doesNotMatch(text, /p-2[0-9]|actor|content/);
      const verdict = await verifyExport(path);
      assert.equal(verdict.result.ok, true, JSON.stringify(verdict.result));
      assert.equal(verdict.fullEvents, 5);
    });

    test('an altered event in an export is named', async () => {
      const copy = await edited(full, 'altered.jsonl.gz', (lines) =>
        lines.map((line) =>
          line['seq'] === 17 && line['type'] === 'event' ? { ...line, outcome: 'denied' } : line,
        ),
      );
      failsAt(await verifyExport(copy), 17, /column outcome differs/);
    });

    test('an event removed from an export is named', async () => {
      const copy = await edited(full, 'removed.jsonl.gz', (lines) =>
        lines.filter((line) => line['seq'] !== 12),
      );
      failsAt(await verifyExport(copy), 12, /event 12 is missing/);
    });

    test('a wrong inclusion proof is named', async () => {
      const copy = await edited(full, 'proof.jsonl.gz', (lines) =>
        lines.map((line) => {
          if (line['seq'] !== 20 || line['type'] !== 'event') return line;
          const proof = [...(line['inclusionProof'] as string[])].reverse();
          return { ...line, inclusionProof: proof };
        }),
      );
      failsAt(await verifyExport(copy), 20, /inclusion proof fails/);
    });

    test('a missing or wrong consistency proof fails the export', async () => {
      const missing = await edited(full, 'noconsistency.jsonl.gz', (lines) =>
        lines.filter((line) => line['type'] !== 'consistency' || line['size1'] !== 20),
      );
      failsAt(await verifyExport(missing), null, /consistency proof from 20 to 30 is missing/);
      const wrong = await edited(full, 'badconsistency.jsonl.gz', (lines) =>
        lines.map((line) =>
          line['type'] === 'consistency' && line['size1'] === 10 ? { ...line, proof: [] } : line,
        ),
      );
      failsAt(await verifyExport(wrong), null, /consistency proof from 10 to 20 fails/);
    });

    test('an export checked against another published key fails', async () => {
      const other = formatVerifierKey(
        'konvent.test/audit',
        generateKeyPairSync('ed25519').publicKey,
      );
      failsAt(await verifyExport(full, { verifierKey: other }), null, /another verifier key/);
      const swapped = await edited(full, 'swapped-key.jsonl.gz', (lines) =>
        lines.map((line) => (line['type'] === 'header' ? { ...line, verifierKey: other } : line)),
      );
      failsAt(await verifyExport(swapped), null, /checkpoint does not verify/);
    });

    test('a truncated file or something else entirely is refused', async () => {
      const bytes = await readFile(full);
      const truncated = join(f.t.dataDir, 'truncated.gz');
      await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
      assert.equal((await verifyExport(truncated)).result.ok, false);
      const other = join(f.t.dataDir, 'other.gz');
      await writeFile(other, gzipSync('{"hello":"world"}\n'));
      failsAt(await verifyExport(other), null, /not a konvent-audit-export file/);
    });

    test('a database that no longer matches its checkpoints is not exported', async () => {
      await tamper(f.db, (trx) =>
        trx
          .updateTable('audit_events')
          .set({ leaf_hash: Buffer.alloc(32, 7) })
          .where('seq', '=', 3)
          .execute(),
      );
      await assert.rejects(
        writeExport(f.db, join(f.t.dataDir, 'never.jsonl.gz')),
        (error: unknown) => error instanceof AuditError && error.reason === 'inconsistent',
      );
    });
  });
}
