import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { AuditError } from './AuditError.ts';
import { parseVerifierKey, verifyCheckpoint, type Checkpoint } from './checkpoint.ts';
import type { AuditRow } from './events.ts';
import {
  consecutiveSizes,
  EXPORT_FORMAT,
  EXPORT_VERSION,
  type ExportEvent,
  type ExportHeader,
} from './exportArchive.ts';
import { LogVerifier, type VerifyResult } from './LogVerifier.ts';
import { assertConsistency, assertInclusion, bytesEqual } from './merkle.ts';

/** Options for {@link verifyExport}. */
export interface VerifyExportOptions {
  /**
   * The log's verifier key as published out of band. Without it the key in the export's
   * header is used, which proves integrity but not who signed: compare it yourself.
   */
  readonly verifierKey?: string;
}

/** The verdict on an export, with what it claims to be. */
export interface ExportVerdict {
  readonly result: VerifyResult;
  /** The header, when it could be read. */
  readonly header: ExportHeader | undefined;
  /** Events present in full (the others are leaf hashes only). */
  readonly fullEvents: number;
}

/** A malformed export: the line and what is wrong with it. */
class Malformed extends Error {}

/**
 * Verifies an export file offline: needs nothing but the file (and, ideally, the published
 * verifier key). Checks every checkpoint's signature, that the latest one is the header's
 * tree head, every consistency proof between consecutive checkpoints, every event as
 * `verifyLog` does (the whole tree is rebuilt from the events and leaf hashes, gap-free,
 * and must give every checkpoint's root), and every full event's inclusion proof against
 * the tree head.
 */
export async function verifyExport(
  path: string,
  options: VerifyExportOptions = {},
): Promise<ExportVerdict> {
  const lines = createInterface({
    input: createReadStream(path).pipe(createGunzip()),
    crlfDelay: Infinity,
  });
  let header: ExportHeader | undefined;
  const checkpoints: string[] = [];
  const consistency = new Map<string, string[]>();
  let verifier: LogVerifier | undefined;
  let head: Checkpoint | undefined;
  let fullEvents = 0;
  let lineNumber = 0;
  const fail = (firstBadSeq: number | null, reason: string): ExportVerdict => ({
    result: { ok: false, firstBadSeq, reason },
    header,
    fullEvents,
  });
  try {
    for await (const line of lines) {
      lineNumber += 1;
      if (line === '') continue;
      const record = parseLine(line);
      if (header === undefined) {
        header = parseHeader(record);
        if (options.verifierKey !== undefined && options.verifierKey !== header.verifierKey) {
          return fail(null, 'the export names another verifier key than the one given');
        }
        continue;
      }
      const type = record['type'];
      if (type === 'checkpoint' && verifier === undefined) {
        checkpoints.push(text(record, 'text'));
      } else if (type === 'consistency' && verifier === undefined) {
        const size1 = count(record, 'size1');
        const size2 = count(record, 'size2');
        consistency.set(`${String(size1)}-${String(size2)}`, hashes(record, 'proof'));
      } else if (type === 'event' || type === 'leaf') {
        if (verifier === undefined) {
          const ready = prepare(header, checkpoints, consistency);
          if (typeof ready === 'string') return fail(null, ready);
          ({ verifier, head } = ready);
        }
        const seq = count(record, 'seq');
        if (head !== undefined && seq >= head.treeSize) {
          return fail(
            seq,
            `event ${String(seq)} lies beyond the tree head of ${String(head.treeSize)}`,
          );
        }
        if (type === 'leaf') {
          verifier.pushLeaf(seq, hash(record, 'leafHash'));
        } else {
          fullEvents += 1;
          const row = toRow(record);
          if (verifier.push(row) && head !== undefined) {
            try {
              assertInclusion(
                seq,
                head.treeSize,
                row.leafHash,
                hashes(record, 'inclusionProof').map(fromB64),
                head.rootHash,
              );
            } catch (error) {
              return fail(
                seq,
                `event ${String(seq)}: its inclusion proof fails (${errorText(error)})`,
              );
            }
          }
        }
        if (verifier.failed) break;
      } else {
        throw new Malformed(`unexpected record type ${JSON.stringify(type)}`);
      }
    }
  } catch (error) {
    if (error instanceof Malformed || error instanceof AuditError) {
      return fail(null, `the export is malformed at line ${String(lineNumber)}: ${error.message}`);
    }
    // A truncated or corrupt gzip stream, or an unreadable file.
    return fail(null, `the export cannot be read: ${errorText(error)}`);
  } finally {
    lines.close();
  }
  if (header === undefined) return fail(null, 'the export is empty');
  if (verifier === undefined) {
    const ready = prepare(header, checkpoints, consistency);
    if (typeof ready === 'string') return fail(null, ready);
    verifier = ready.verifier;
  }
  return { result: verifier.finish(), header, fullEvents };
}

/**
 * Checks the checkpoints against the header and the consistency proofs between them, and
 * returns the verifier to feed the events to; or what is wrong.
 */
function prepare(
  header: ExportHeader,
  texts: readonly string[],
  consistency: ReadonlyMap<string, string[]>,
): { verifier: LogVerifier; head: Checkpoint | undefined } | string {
  const verifier = new LogVerifier({
    verifierKey: header.verifierKey,
    checkpoints: texts,
    origin: header.origin,
  });
  if (verifier.failed) return { verifier, head: undefined };
  // The LogVerifier has checked every signature; read the contents again to use them.
  const key = parseVerifierKey(header.verifierKey);
  const verified = texts.map((note) => verifyCheckpoint(note, key));
  const head = verified.find(
    (c) => c.treeSize === header.treeSize && bytesEqual(c.rootHash, fromB64(header.rootHash)),
  );
  if (head === undefined) return 'no checkpoint in the export signs the tree head in its header';
  if (verified.some((c) => c.treeSize > head.treeSize)) {
    return 'the export holds a checkpoint beyond its tree head';
  }
  const rootAt = new Map(verified.map((c) => [c.treeSize, c.rootHash]));
  for (const [size1, size2] of consecutiveSizes(verified)) {
    const proof = consistency.get(`${String(size1)}-${String(size2)}`);
    if (proof === undefined) {
      return `the consistency proof from ${String(size1)} to ${String(size2)} is missing`;
    }
    try {
      assertConsistency(
        size1,
        size2,
        proof.map(fromB64),
        rootAt.get(size1) as Buffer,
        rootAt.get(size2) as Buffer,
      );
    } catch (error) {
      return `the consistency proof from ${String(size1)} to ${String(size2)} fails (${errorText(error)})`;
    }
  }
  return { verifier, head };
}

function parseLine(line: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new Malformed('not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Malformed('not a JSON object');
  }
  return value as Record<string, unknown>;
}

function parseHeader(record: Record<string, unknown>): ExportHeader {
  if (record['type'] !== 'header' || record['format'] !== EXPORT_FORMAT) {
    throw new Malformed(`not a ${EXPORT_FORMAT} file`);
  }
  if (record['version'] !== EXPORT_VERSION) {
    throw new Malformed(`format version ${String(record['version'])} is not supported`);
  }
  text(record, 'origin');
  text(record, 'verifierKey');
  count(record, 'treeSize');
  hash(record, 'rootHash');
  return record as unknown as ExportHeader;
}

function toRow(record: Record<string, unknown>): AuditRow {
  const bytes = (name: keyof ExportEvent): Buffer | null => {
    const value = record[name];
    if (value === null) return null;
    if (typeof value !== 'string') throw new Malformed(`${name} is not base64 text`);
    return fromB64(value);
  };
  return {
    seq: count(record, 'seq'),
    recordedAt: text(record, 'recordedAt'),
    action: text(record, 'action'),
    actorKind: text(record, 'actorKind'),
    actorId: optionalText(record, 'actorId'),
    target: optionalText(record, 'target'),
    meetingId: optionalText(record, 'meetingId'),
    outcome: text(record, 'outcome'),
    source: optionalText(record, 'source'),
    eventClass: text(record, 'eventClass'),
    content: bytes('content'),
    salt: bytes('salt'),
    leafHash: hash(record, 'leafHash'),
    erasedAt: optionalText(record, 'erasedAt'),
  };
}

function text(record: Record<string, unknown>, name: string): string {
  const value = record[name];
  if (typeof value !== 'string') throw new Malformed(`${name} is not text`);
  return value;
}

function optionalText(record: Record<string, unknown>, name: string): string | null {
  return record[name] === null ? null : text(record, name);
}

function count(record: Record<string, unknown>, name: string): number {
  const value = record[name];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new Malformed(`${name} is not a whole number`);
  }
  return value;
}

function hash(record: Record<string, unknown>, name: string): Buffer {
  return fromB64(text(record, name));
}

function hashes(record: Record<string, unknown>, name: string): string[] {
  const value = record[name];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new Malformed(`${name} is not a list of base64 hashes`);
  }
  return value;
}

function fromB64(value: string): Buffer {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value)) throw new Malformed('a value is not base64');
  return Buffer.from(value, 'base64');
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
