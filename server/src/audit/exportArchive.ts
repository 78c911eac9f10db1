/**
 * The audit export (A4): one gzip'd JSON Lines file that an auditor verifies offline, on a
 * machine without the server, its database or its keys (`audit verify --export`). Format
 * (docs/audit.md):
 *
 * 1. a header: format, version, origin, verifier key, tree size and root of the signed tree
 *    head (the latest checkpoint), the time range;
 * 2. every checkpoint up to the tree head, smallest first;
 * 3. a consistency proof between each two consecutive checkpoint sizes;
 * 4. every event in seq order: in the time range, the full stored event with its inclusion
 *    proof against the tree head; outside it only `{ type: "leaf", seq, leafHash }`, which
 *    reveals nothing about the event yet lets the verifier rebuild the whole tree.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Kysely } from 'kysely';
import type { Tables } from '../storage/Tables.ts';
import { AuditError } from './AuditError.ts';
import { parseVerifierKey, verifyCheckpoint, type Checkpoint } from './checkpoint.ts';
import type { AuditRow } from './events.ts';
import { bytesEqual, HASH_SIZE } from './merkle.ts';
import { MerkleTree } from './MerkleTree.ts';
import {
  readAuditRows,
  readCheckpoints,
  readLeafHashes,
  readVerifierKeys,
  type StoredCheckpoint,
} from './readLog.ts';

/** The `format` value of an export's header. */
export const EXPORT_FORMAT = 'konvent-audit-export';
/** The export format version this code writes and reads. */
export const EXPORT_VERSION = 1;

/** The first line of an export. */
export interface ExportHeader {
  readonly type: 'header';
  readonly format: typeof EXPORT_FORMAT;
  readonly version: typeof EXPORT_VERSION;
  readonly origin: string;
  readonly verifierKey: string;
  /** The size of the signed tree head: the export covers events 0 to treeSize − 1. */
  readonly treeSize: number;
  /** The tree head's root hash, base64. */
  readonly rootHash: string;
  readonly exportedAt: string;
  /** Events recorded at or after this time are exported in full (ISO 8601), or null. */
  readonly from: string | null;
  /** … and before this time, or null. */
  readonly to: string | null;
}

/** One exported event: the stored row, bytes in base64, and its inclusion proof. */
export interface ExportEvent {
  readonly type: 'event';
  readonly seq: number;
  readonly recordedAt: string;
  readonly action: string;
  readonly actorKind: string;
  readonly actorId: string | null;
  readonly target: string | null;
  readonly meetingId: string | null;
  readonly outcome: string;
  readonly source: string | null;
  readonly eventClass: string;
  readonly content: string | null;
  readonly salt: string | null;
  readonly leafHash: string;
  readonly erasedAt: string | null;
  /** Base64 hashes, from the leaf's sibling up (RFC 9162 §2.1.3). */
  readonly inclusionProof: readonly string[];
}

/** Options for {@link writeExport}. */
export interface ExportOptions {
  /** Export in full only events recorded at or after this time. */
  readonly from?: Date;
  /** … and before this time. */
  readonly to?: Date;
  /** The export time written to the header; default now. */
  readonly now?: Date;
}

/** What an export holds. */
export interface ExportSummary {
  readonly treeSize: number;
  /** Events exported in full (the others as leaf hashes only). */
  readonly events: number;
  readonly checkpoints: number;
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/**
 * Writes an export of the log up to its latest checkpoint to `path` (mode 0600, replaced
 * atomically). Needs only the database: the checkpoints are already signed, so no key is
 * used. Refuses with `AuditError('inconsistent')` when the stored log does not match its
 * own checkpoints (run `audit verify` to find out where); events after the latest
 * checkpoint are left for the next export.
 */
export async function writeExport(
  db: Kysely<Tables>,
  path: string,
  options: ExportOptions = {},
): Promise<ExportSummary> {
  const stored = await readCheckpoints(db);
  const head = stored.at(-1);
  if (head === undefined) {
    throw new AuditError('inconsistent', 'the log has no checkpoint yet: nothing is sealed');
  }
  const verifierKey = await keyFor(db, head);
  const verifier = parseVerifierKey(verifierKey);
  const verified = stored.map((checkpoint) => verifyCheckpoint(checkpoint.text, verifier));
  const tree = await loadTree(db, head.treeSize);
  for (const checkpoint of verified) {
    if (!bytesEqual(tree.root(checkpoint.treeSize), checkpoint.rootHash)) {
      throw new AuditError(
        'inconsistent',
        `the stored log does not match its checkpoint for ${String(checkpoint.treeSize)}; ` +
          'run `npm run audit -- verify`',
      );
    }
  }
  const from = options.from?.toISOString() ?? null;
  const to = options.to?.toISOString() ?? null;
  const header: ExportHeader = {
    type: 'header',
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    origin: verifier.name,
    verifierKey,
    treeSize: head.treeSize,
    rootHash: b64(tree.root()),
    exportedAt: (options.now ?? new Date()).toISOString(),
    from,
    to,
  };
  const summary = { treeSize: head.treeSize, events: 0, checkpoints: stored.length };
  const inRange = (row: AuditRow) =>
    (from === null || row.recordedAt >= from) && (to === null || row.recordedAt < to);

  async function* lines(): AsyncGenerator<string> {
    yield `${JSON.stringify(header)}\n`;
    for (const checkpoint of stored) {
      yield `${JSON.stringify({ type: 'checkpoint', text: checkpoint.text })}\n`;
    }
    for (const [size1, size2] of consecutiveSizes(verified)) {
      const proof = tree.consistencyProof(size1, size2).map(b64);
      yield `${JSON.stringify({ type: 'consistency', size1, size2, proof })}\n`;
    }
    for await (const row of readAuditRows(db, { toSeq: header.treeSize })) {
      if (!inRange(row)) {
        yield `${JSON.stringify({ type: 'leaf', seq: row.seq, leafHash: b64(row.leafHash) })}\n`;
        continue;
      }
      summary.events += 1;
      yield `${JSON.stringify(exportEvent(row, tree.inclusionProof(row.seq).map(b64)))}\n`;
    }
  }

  const temporary = `${path}.${String(process.pid)}.tmp`;
  try {
    await pipeline(
      Readable.from(lines()),
      createGzip(),
      createWriteStream(temporary, { mode: 0o600 }),
    );
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return summary;
}

function exportEvent(row: AuditRow, inclusionProof: string[]): ExportEvent {
  return {
    type: 'event',
    seq: row.seq,
    recordedAt: row.recordedAt,
    action: row.action,
    actorKind: row.actorKind,
    actorId: row.actorId,
    target: row.target,
    meetingId: row.meetingId,
    outcome: row.outcome,
    source: row.source,
    eventClass: row.eventClass,
    content: row.content === null ? null : b64(row.content),
    salt: row.salt === null ? null : b64(row.salt),
    leafHash: b64(row.leafHash),
    erasedAt: row.erasedAt,
    inclusionProof,
  };
}

/** The pairs of consecutive distinct checkpoint sizes, from the first non-empty tree on. */
export function consecutiveSizes(checkpoints: readonly Checkpoint[]): [number, number][] {
  const sizes = [...new Set(checkpoints.map((c) => c.treeSize))]
    .filter((size) => size > 0)
    .sort((a, b) => a - b);
  return sizes.slice(1).map((size, i) => [sizes[i] as number, size]);
}

/** The verifier key of the key that signed `head` (its name is the checkpoint's origin). */
async function keyFor(db: Kysely<Tables>, head: StoredCheckpoint): Promise<string> {
  const keys = await readVerifierKeys(db);
  for (const key of keys.reverse()) {
    try {
      verifyCheckpoint(head.text, parseVerifierKey(key.verifierKey));
      return key.verifierKey;
    } catch {
      // Not this key; try an older one.
    }
  }
  throw new AuditError('inconsistent', 'no stored key verifies the latest checkpoint');
}

/** The tree over the first `size` stored leaf hashes; refuses a gap. */
async function loadTree(db: Kysely<Tables>, size: number): Promise<MerkleTree> {
  const leaves = Buffer.allocUnsafe(size * HASH_SIZE);
  let next = 0;
  for await (const page of readLeafHashes(db, { toSeq: size, pageSize: 50_000 })) {
    for (const { seq, leafHash } of page) {
      if (seq !== next || leafHash.length !== HASH_SIZE) {
        throw new AuditError(
          'inconsistent',
          `the log has a gap or a bad leaf at event ${String(next)}`,
        );
      }
      leafHash.copy(leaves, next * HASH_SIZE);
      next += 1;
    }
  }
  if (next !== size) {
    throw new AuditError(
      'inconsistent',
      `the log ends after ${String(next)} of ${String(size)} events`,
    );
  }
  return new MerkleTree(leaves);
}
