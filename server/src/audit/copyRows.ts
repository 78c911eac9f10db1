/**
 * Reading stored events from PostgreSQL by binary `COPY`, for verifying large logs: the
 * server sends every column in its binary form (bytea as raw bytes rather than twice as
 * much hex, timestamps as integers), with no per-field objects or strings on our side, so
 * this is several times faster than a SELECT (see docs/audit.md, Performance). Pages by seq
 * like the other readers (keyset pagination), prefetching the next page.
 */
import type pg from 'pg';
import { AuditError } from './AuditError.ts';
import { BINARY_COLUMNS, BinaryAuditRow } from './BinaryAuditRow.ts';
import { CopyOutQuery } from './CopyOutQuery.ts';
import type { AuditRow } from './events.ts';
import { paged, type ReadOptions } from './readLog.ts';

/** `PGCOPY\n\377\r\n\0`: the start of every binary COPY stream. */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * Every stored event from `fromSeq` on, in seq order, a page at a time, over a connected
 * node-postgres client (not a pool: a pool does not run Submittables). The same rows as
 * `readAuditPages`, faster.
 */
export async function* readAuditPagesCopy(
  client: pg.ClientBase,
  options: ReadOptions = {},
): AsyncGenerator<AuditRow[]> {
  const fetch = async (fromSeq: number, limit: number): Promise<AuditRow[]> => {
    // COPY takes no parameters: the statement is built from two integers only.
    if (!Number.isSafeInteger(fromSeq) || !Number.isSafeInteger(limit)) {
      throw new TypeError('fromSeq and limit must be integers');
    }
    const query = new CopyOutQuery(
      `copy (select ${BINARY_COLUMNS.join(', ')} from audit_events where seq >= ${String(fromSeq)}` +
        ` order by seq limit ${String(limit)}) to stdout (format binary)`,
    );
    client.query(query);
    return decodePage(await query.done, limit);
  };
  yield* paged(fetch, options);
}

/** The rows of one binary COPY output. */
export function decodePage(data: Buffer, limit: number): BinaryAuditRow[] {
  const malformed = (why: string): never => {
    throw new AuditError('malformed', `the binary COPY output ${why}`);
  };
  if (data.length < SIGNATURE.length + 8 || !data.subarray(0, SIGNATURE.length).equals(SIGNATURE)) {
    malformed('does not start with the PGCOPY signature');
  }
  let at = SIGNATURE.length + 4; // flags
  at += 4 + data.readInt32BE(at); // header extension
  const width = 2 * BINARY_COLUMNS.length;
  const fields = new Int32Array(limit * width);
  const rows: BinaryAuditRow[] = [];
  for (;;) {
    if (at + 2 > data.length) malformed('ends without its trailer');
    const count = data.readInt16BE(at);
    at += 2;
    if (count === -1) break;
    if (count !== BINARY_COLUMNS.length || rows.length === limit) malformed('has unexpected rows');
    const base = rows.length * width;
    for (let column = 0; column < count; column++) {
      if (at + 4 > data.length) malformed('is cut short');
      const length = data.readInt32BE(at);
      at += 4;
      fields[base + 2 * column] = at;
      fields[base + 2 * column + 1] = length;
      if (length > 0) at += length;
      if (at > data.length) malformed('is cut short');
    }
    rows.push(new BinaryAuditRow(data, fields, base));
  }
  return rows;
}
