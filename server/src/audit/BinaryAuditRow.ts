import { COLUMN, columnsMatchContent, int64At, isoTimeOf } from './binaryRow.ts';
import type { AuditRow } from './events.ts';

/**
 * A stored event read by binary `COPY` (`copyRows.ts`) as an {@link AuditRow}: its fields
 * stay where they arrived, in the page's buffer, and are decoded only when asked for. The
 * verifier checks most rows without such an object (`rowVerifies`); it makes one for a row
 * that needs a closer look, to name what is wrong with it as the SELECT reader's rows do.
 */
export class BinaryAuditRow implements AuditRow {
  readonly seq: number;
  readonly #data: Buffer;
  /** Per column: start and length (−1 for NULL) of its bytes in #data, from #base on. */
  readonly #fields: Int32Array;
  readonly #base: number;
  #content: Buffer | null | undefined;
  #salt: Buffer | null | undefined;
  #leafHash: Uint8Array | undefined;

  /** A row whose column positions are `fields[base … base + 27]` (start, length pairs). */
  constructor(data: Buffer, fields: Int32Array, base: number) {
    this.#data = data;
    this.#fields = fields;
    this.#base = base;
    this.seq = this.#integer(COLUMN.seq) ?? -1;
  }

  get recordedAt(): string {
    return isoTimeOf(this.#integer(COLUMN.recordedAt)) ?? '';
  }

  get action(): string {
    return this.#text(COLUMN.action) ?? '';
  }

  get actorKind(): string {
    return this.#text(COLUMN.actorKind) ?? '';
  }

  get actorId(): string | null {
    return this.#text(COLUMN.actorId);
  }

  get target(): string | null {
    return this.#text(COLUMN.target);
  }

  get meetingId(): string | null {
    return this.#text(COLUMN.meetingId);
  }

  get outcome(): string {
    return this.#text(COLUMN.outcome) ?? '';
  }

  get source(): string | null {
    return this.#text(COLUMN.source);
  }

  get eventClass(): string {
    return this.#text(COLUMN.eventClass) ?? '';
  }

  // The three views the verifier asks for more than once are made once.
  get content(): Uint8Array | null {
    if (this.#content === undefined) this.#content = this.#bytes(COLUMN.content);
    return this.#content;
  }

  get salt(): Uint8Array | null {
    if (this.#salt === undefined) this.#salt = this.#bytes(COLUMN.salt);
    return this.#salt;
  }

  get leafHash(): Uint8Array {
    this.#leafHash ??= this.#bytes(COLUMN.leafHash) ?? new Uint8Array(0);
    return this.#leafHash;
  }

  get erasedAt(): string | null {
    return isoTimeOf(this.#integer(COLUMN.erasedAt));
  }

  /**
   * Whether the content is exactly the canonical content the columns describe (with any
   * details), compared byte by byte where both lie (`columnsMatchContent`): the same test
   * as `matchesColumns`, without decoding a single string. False whenever anything is
   * unusual; the verifier then looks closer with the decoded values.
   */
  matchesOwnColumns(): boolean {
    return columnsMatchContent(this.#data, this.#fields, this.#base, this.seq);
  }

  #start(column: number): number {
    return this.#fields[this.#base + 2 * column] as number;
  }

  #length(column: number): number {
    return this.#fields[this.#base + 2 * column + 1] as number;
  }

  #bytes(column: number): Buffer | null {
    const length = this.#length(column);
    if (length < 0) return null;
    const start = this.#start(column);
    return this.#data.subarray(start, start + length);
  }

  #text(column: number): string | null {
    const length = this.#length(column);
    if (length < 0) return null;
    const start = this.#start(column);
    return this.#data.toString('utf8', start, start + length);
  }

  /** An int8 column (or a timestamp's microseconds) as a number; null unless 8 bytes. */
  #integer(column: number): number | null {
    if (this.#length(column) !== 8) return null;
    return int64At(this.#data, this.#start(column));
  }
}
