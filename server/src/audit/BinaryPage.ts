import { AuditError } from './AuditError.ts';
import { BinaryAuditRow } from './BinaryAuditRow.ts';
import { BINARY_COLUMNS, ROW_WIDTH } from './binaryRow.ts';

/** `PGCOPY\n\377\r\n\0`: the start of every binary COPY stream. */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * One page of events as binary `COPY` delivered them (`copyRows.ts`): the raw output and a
 * table of where each row's columns lie in it (`binaryRow.ts`). The verifier works on the
 * table directly; {@link BinaryPage.row} makes an {@link BinaryAuditRow} for a row that
 * needs a closer look, and {@link BinaryPage.rows} all of them for other readers.
 */
export class BinaryPage {
  /** The COPY output. */
  readonly data: Buffer<ArrayBuffer>;
  /** Per row `ROW_WIDTH` slots: start and length (−1 for NULL) of each column in `data`. */
  readonly fields: Int32Array<ArrayBuffer>;
  /** The number of rows. */
  readonly count: number;
  /** Hands the memory back to the reader that filled it; undefined if it does not recycle. */
  readonly #recycle: ((page: BinaryPage) => void) | undefined;
  #released = false;

  /**
   * A page of `count` rows laid out in `fields` (see {@link BinaryPage.decode}); `recycle`
   * is called with it on {@link BinaryPage.release}.
   */
  constructor(
    data: Buffer<ArrayBuffer>,
    fields: Int32Array<ArrayBuffer>,
    count: number,
    recycle?: (page: BinaryPage) => void,
  ) {
    this.data = data;
    this.fields = fields;
    this.count = count;
    this.#recycle = recycle;
  }

  /**
   * Reads the row layout of one binary COPY output of at most `limit` rows of
   * `BINARY_COLUMNS`; throws `AuditError('malformed')` if it is not such an output.
   * `fieldMemory`, if large enough, holds the field table (reused from an earlier page);
   * `recycle` goes to the page (see the constructor).
   */
  static decode(
    data: Buffer<ArrayBuffer>,
    limit: number,
    fieldMemory?: ArrayBuffer,
    recycle?: (page: BinaryPage) => void,
  ): BinaryPage {
    const malformed = (why: string): never => {
      throw new AuditError('malformed', `the binary COPY output ${why}`);
    };
    if (
      data.length < SIGNATURE.length + 8 ||
      !data.subarray(0, SIGNATURE.length).equals(SIGNATURE)
    ) {
      malformed('does not start with the PGCOPY signature');
    }
    let at = SIGNATURE.length + 4; // flags
    at += 4 + data.readInt32BE(at); // header extension
    const slots = limit * ROW_WIDTH;
    // Only the slots of the rows read are written, and only those are read.
    const fields =
      fieldMemory !== undefined && fieldMemory.byteLength >= slots * 4
        ? new Int32Array(fieldMemory, 0, slots)
        : new Int32Array(slots);
    let count = 0;
    for (;;) {
      if (at + 2 > data.length) malformed('ends without its trailer');
      const columns = data.readInt16BE(at);
      at += 2;
      if (columns === -1) break;
      if (columns !== BINARY_COLUMNS.length || count === limit) malformed('has unexpected rows');
      const base = count * ROW_WIDTH;
      for (let column = 0; column < columns; column++) {
        if (at + 4 > data.length) malformed('is cut short');
        const length = data.readInt32BE(at);
        at += 4;
        fields[base + 2 * column] = at;
        fields[base + 2 * column + 1] = length;
        if (length > 0) at += length;
        if (at > data.length) malformed('is cut short');
      }
      count += 1;
    }
    return new BinaryPage(data, fields, count, recycle);
  }

  /**
   * This page over the same bytes in other objects: its memory after a trip to a worker
   * thread, which detached the ArrayBuffers it was sent in (`PageCheckPool`).
   */
  movedTo(data: Buffer<ArrayBuffer>, fields: Int32Array<ArrayBuffer>): BinaryPage {
    return new BinaryPage(data, fields, this.count, this.#recycle);
  }

  /**
   * Hands the page's memory back to the reader for a later page: a fresh page of megabytes
   * costs a page fault per 4 KiB and garbage collections. The page and every row taken
   * from it are unusable afterwards. Does nothing when the reader does not recycle.
   */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#recycle?.(this);
  }

  /** The offset of row `index`'s slots in {@link BinaryPage.fields}. */
  base(index: number): number {
    return index * ROW_WIDTH;
  }

  /** Row `index` as an {@link BinaryAuditRow}. */
  row(index: number): BinaryAuditRow {
    return new BinaryAuditRow(this.data, this.fields, index * ROW_WIDTH);
  }

  /** Every row as an {@link BinaryAuditRow}. */
  rows(): BinaryAuditRow[] {
    return Array.from({ length: this.count }, (_, index) => this.row(index));
  }
}
