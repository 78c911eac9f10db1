import { AuditError } from './AuditError.ts';
import type { BinaryPage } from './BinaryPage.ts';
import { COLUMN, ROW_WIDTH, rowVerifies, seqAt } from './binaryRow.ts';
import { parseVerifierKey, verifyCheckpoint, type Checkpoint } from './checkpoint.ts';
import { columnMismatch, matchesColumns, parseContent, type AuditRow } from './events.ts';
import { auditLeafMatches, canonicalJson, SALT_SIZE } from './leaf.ts';
import { bytesEqual, HASH_SIZE } from './merkle.ts';
import { MerkleAccumulator } from './MerkleAccumulator.ts';

/** Where a row's leaf hash starts, in a page's field table (`binaryRow.ts`). */
const LEAF_HASH_SLOT = 2 * COLUMN.leafHash;

/** What the verifier is given besides the events. */
export interface VerifyInput {
  /** Signed checkpoints (any order, duplicates allowed); each must verify and match the log. */
  readonly checkpoints: Iterable<string>;
  /** The log's public key, `<name>+<id>+<key>` (see `formatVerifierKey`). */
  readonly verifierKey: string;
  /** The log's origin, as the checkpoints must name it; default: the key's name. */
  readonly origin?: string;
}

/** The verdict on a log. */
export type VerifyResult =
  | {
      readonly ok: true;
      /** The number of events. */
      readonly size: number;
      /** The number of checkpoints that were checked against the log. */
      readonly checkpoints: number;
      /** The largest checkpointed size: events from here on are not yet sealed. */
      readonly sealedSize: number;
      /** The root hash of the whole log, base64. */
      readonly rootHash: string;
    }
  | {
      readonly ok: false;
      /**
       * The first event that is missing, altered or out of place; null when the fault is in
       * a checkpoint or the key rather than in an event.
       */
      readonly firstBadSeq: number | null;
      readonly reason: string;
    };

/**
 * Verifies an audit log in one streaming pass, holding only O(log n) hashes: feed it every
 * event in seq order with `push` (or leaf hashes alone with `pushLeaf`), then ask `finish`.
 *
 * Per event: the seq continues the sequence from 0 without gaps; an event that is not erased
 * has content and salt that hash to its stored leaf hash, content that names the same seq,
 * and searchable columns that agree with the content; an erased event has neither content,
 * salt nor personal columns. Per checkpoint: its signature verifies with the key, its origin
 * is the log's, and its root is the root of the log's first `treeSize` events. A log shorter
 * than its largest checkpoint has lost its tail.
 *
 * The first failure stops verification; it names the first bad event as precisely as the
 * evidence allows (a checkpoint whose root does not match can only say that an event after
 * the previous matching checkpoint was altered).
 */
export class LogVerifier {
  readonly #accumulator = new MerkleAccumulator();
  /** Verified checkpoints, smallest first. */
  readonly #checkpoints: Checkpoint[] = [];
  #nextCheckpoint = 0;
  /** The size of the last checkpoint the log matched. */
  #matchedSize = 0;
  #failure: { firstBadSeq: number | null; reason: string } | undefined;

  constructor(input: VerifyInput) {
    let verifier;
    try {
      verifier = parseVerifierKey(input.verifierKey);
    } catch (error) {
      this.#fail(null, `the verifier key is unusable: ${message(error)}`);
      return;
    }
    const origin = input.origin ?? verifier.name;
    // The same checkpoint from the database and from a witness counts once.
    for (const text of new Set(input.checkpoints)) {
      let checkpoint: Checkpoint;
      try {
        checkpoint = verifyCheckpoint(text, verifier);
      } catch (error) {
        this.#fail(null, `a checkpoint does not verify with the log's key: ${message(error)}`);
        return;
      }
      if (checkpoint.origin !== origin) {
        this.#fail(null, `a checkpoint is for the log "${checkpoint.origin}", not "${origin}"`);
        return;
      }
      this.#checkpoints.push(checkpoint);
    }
    this.#checkpoints.sort((a, b) => a.treeSize - b.treeSize);
    this.#checkReached();
  }

  /** Whether verification has already failed (further events are ignored). */
  get failed(): boolean {
    return this.#failure !== undefined;
  }

  /** The number of events taken so far. */
  get size(): number {
    return this.#accumulator.size;
  }

  /** Checks one event and adds it to the tree; false once the log has failed. */
  push(row: AuditRow): boolean {
    if (!this.#checkSeq(row.seq, row.leafHash)) return false;
    const problem = checkEvent(row);
    if (problem !== undefined) {
      this.#fail(problem.firstBadSeq, problem.reason);
      return false;
    }
    return this.#append(row.leafHash);
  }

  /**
   * Checks the events of a page read by binary COPY and adds them to the tree; false once
   * the log has failed. A row that passes every check in place (`rowVerifies`) goes into
   * the tree as it lies in the page; any other row takes `push`, which names what is wrong
   * exactly as for rows read by SELECT (or accepts what the in-place checks declined).
   *
   * `verdicts`, if given, are a `PageCheckPool`'s answers for this page (1: row i passed
   * `rowVerifies` as event `first + i`, `first` the seq of the page's first row); they are
   * taken only where that is the seq expected there, so they never decide more than the
   * in-place checks would have here.
   */
  pushPage(page: BinaryPage, verdicts?: Uint8Array): boolean {
    const { data, fields, count } = page;
    const accumulator = this.#accumulator;
    const first = verdicts === undefined || count === 0 ? -1 : seqAt(data, fields, 0);
    for (let index = 0; index < count && this.#failure === undefined; index++) {
      const base = index * ROW_WIDTH;
      const seq = accumulator.size;
      const verified =
        verdicts === undefined
          ? rowVerifies(data, fields, base, seq)
          : verdicts[index] === 1 && first + index === seq;
      if (verified) {
        accumulator.appendAt(data, fields[base + LEAF_HASH_SLOT] as number);
        if (seq + 1 === this.#checkpoints[this.#nextCheckpoint]?.treeSize) this.#checkReached();
      } else {
        this.push(page.row(index));
      }
    }
    return this.#failure === undefined;
  }

  /**
   * Adds an event known only by its leaf hash (an export leaves out the events outside its
   * time range); false once the log has failed.
   */
  pushLeaf(seq: number, leafHash: Uint8Array): boolean {
    if (!this.#checkSeq(seq, leafHash)) return false;
    return this.#append(leafHash);
  }

  /** The verdict, after the last event. */
  finish(): VerifyResult {
    if (this.#failure === undefined) {
      const size = this.#accumulator.size;
      const largest = this.#checkpoints.at(-1)?.treeSize ?? 0;
      if (size < largest) {
        this.#fail(
          size,
          `the log ends after ${size} events, but a checkpoint vouches for ${largest}: ` +
            `events ${size} to ${largest - 1} were cut off`,
        );
      }
    }
    if (this.#failure !== undefined) return { ok: false, ...this.#failure };
    return {
      ok: true,
      size: this.#accumulator.size,
      checkpoints: this.#checkpoints.length,
      sealedSize: this.#checkpoints.at(-1)?.treeSize ?? 0,
      rootHash: this.#accumulator.root().toString('base64'),
    };
  }

  #checkSeq(seq: number, leafHash: Uint8Array): boolean {
    if (this.#failure !== undefined) return false;
    const expected = this.#accumulator.size;
    if (seq > expected) {
      this.#fail(expected, `event ${expected} is missing (the next stored event is ${seq})`);
      return false;
    }
    if (seq < expected) {
      this.#fail(seq, `event ${seq} appears twice or out of order`);
      return false;
    }
    if (leafHash.length !== HASH_SIZE) {
      this.#fail(seq, `event ${seq} has a leaf hash that is not 32 bytes`);
      return false;
    }
    return true;
  }

  #append(leafHash: Uint8Array): boolean {
    this.#accumulator.append(leafHash);
    this.#checkReached();
    return this.#failure === undefined;
  }

  /** Compares the root with every checkpoint of the current size. */
  #checkReached(): void {
    const size = this.#accumulator.size;
    for (
      let next = this.#checkpoints[this.#nextCheckpoint];
      next !== undefined && next.treeSize === size && this.#failure === undefined;
      next = this.#checkpoints[++this.#nextCheckpoint]
    ) {
      if (!bytesEqual(this.#accumulator.root(), next.rootHash)) {
        const from = this.#matchedSize;
        this.#fail(
          from,
          `the first ${size} events do not hash to the root signed in the checkpoint for ` +
            `${size}: an event from ${from} to ${size - 1} was altered or replaced`,
        );
        return;
      }
      this.#matchedSize = size;
    }
  }

  #fail(firstBadSeq: number | null, reason: string): void {
    this.#failure ??= { firstBadSeq, reason };
  }
}

/**
 * The checks on one event that need no other event: the first problem found, or undefined.
 * Used alone by exports that hold only some events.
 */
export function checkEvent(row: AuditRow): { firstBadSeq: number; reason: string } | undefined {
  const { seq } = row;
  const bad = (reason: string) => ({ firstBadSeq: seq, reason: `event ${seq}: ${reason}` });
  if (row.erasedAt !== null) {
    if (row.content !== null || row.salt !== null) {
      return bad('it is marked erased but still has content');
    }
    if (
      row.actorId !== null ||
      row.target !== null ||
      row.meetingId !== null ||
      row.source !== null
    ) {
      return bad('it is marked erased but has personal columns that no content vouches for');
    }
    return undefined;
  }
  const { content, salt } = row;
  if (content === null || salt === null) {
    return bad('its content or salt is missing, but it is not marked erased');
  }
  if (salt.length !== SALT_SIZE) return bad('its salt is not 32 bytes');
  if (!auditLeafMatches(salt, content, row.leafHash)) {
    return bad('its content does not hash to its leaf hash (content, salt or hash altered)');
  }
  // The usual case, decided without parsing: the content is what the columns say.
  const text = (): string =>
    Buffer.from(content.buffer, content.byteOffset, content.length).toString('utf8');
  if (row.matchesOwnColumns !== undefined ? row.matchesOwnColumns() : matchesColumns(row, text())) {
    return undefined;
  }
  const parsed = parseContent(text());
  if (typeof parsed === 'string') return bad(parsed);
  if (parsed.seq !== seq) {
    // The event that claims seq c is at position seq: whichever comes first is out of place.
    return {
      firstBadSeq: Math.min(seq, parsed.seq),
      reason:
        `the event stored as ${seq} is event ${parsed.seq}: events were inserted, removed ` +
        'or swapped',
    };
  }
  const column = columnMismatch(row, parsed);
  if (column !== undefined) return bad(`its column ${column} differs from its signed content`);
  // The columns agree; the fast comparison declined for another reason (a quote in a
  // value, say). Still, the content must be spelled as AuditLog spells it.
  return isCanonical(parsed, text()) ? undefined : bad('its content is not in canonical form');
}

function isCanonical(content: unknown, text: string): boolean {
  try {
    return canonicalJson(content) === text;
  } catch {
    return false;
  }
}

function message(error: unknown): string {
  return error instanceof AuditError || error instanceof Error ? error.message : String(error);
}
