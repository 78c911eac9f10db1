/**
 * Reading stored events from PostgreSQL by binary `COPY`, for verifying large logs: the
 * server sends every column in its binary form (bytea as raw bytes rather than twice as
 * much hex, timestamps as integers), with no per-field objects or strings on our side, so
 * this is several times faster than a SELECT (see docs/audit.md, Performance). Pages by seq
 * like the other readers (keyset pagination), prefetching the next page.
 */
import type pg from 'pg';
import { BinaryPage } from './BinaryPage.ts';
import { BINARY_COLUMNS, ROW_WIDTH, seqAt } from './binaryRow.ts';
import { CopyOutQuery } from './CopyOutQuery.ts';
import type { AuditRow } from './events.ts';
import type { ReadOptions } from './readLog.ts';

/** The most released pages kept for reuse: more than are ever in flight at once. */
const MAX_SPARE = 8;

/**
 * Every stored event from `fromSeq` on, in seq order, a page at a time, over a connected
 * node-postgres client (not a pool: a pool does not run Submittables). The same rows as
 * `readAuditPages`, faster.
 */
export async function* readAuditPagesCopy(
  client: pg.ClientBase,
  options: ReadOptions = {},
): AsyncGenerator<AuditRow[]> {
  for await (const page of readBinaryPages(client, options)) yield page.rows();
}

/**
 * {@link readAuditPagesCopy} as raw pages, for `verifyLog`, which checks most rows in place
 * without making an object for each. A page handed back with `release()` lends its memory
 * to a later page.
 */
export async function* readBinaryPages(
  client: pg.ClientBase,
  options: ReadOptions = {},
): AsyncGenerator<BinaryPage> {
  const pageSize = options.pageSize ?? 10_000;
  const toSeq = options.toSeq ?? Number.MAX_SAFE_INTEGER;
  const limitFor = (from: number): number => Math.max(0, Math.min(pageSize, toSeq - from));
  let from = options.fromSeq ?? 0;
  // Pages are much alike: each is expected to take as many bytes per row as the last one.
  let bytesPerRow = 1024;
  /** Memory of released pages (a few are in flight at a time). */
  const spare: { data: ArrayBuffer; fields: ArrayBuffer }[] = [];
  const recycle = (page: BinaryPage): void => {
    const data = page.data.buffer;
    const fields = page.fields.buffer;
    // Memory sent to a worker and not back is detached (empty): of no use.
    if (spare.length < MAX_SPARE && data.byteLength > 0 && fields.byteLength > 0) {
      spare.push({ data, fields });
    }
  };
  const fetch = (limit: number) =>
    fetchPage(client, from, limit, spare.pop() ?? limit * bytesPerRow, recycle);
  let next = limitFor(from) === 0 ? undefined : fetch(limitFor(from));
  while (next !== undefined) {
    const page = await next;
    const limit = limitFor(from);
    if (page.count > 0) bytesPerRow = Math.ceil(page.data.length / page.count);
    next = undefined;
    if (page.count === limit) {
      // Asks for `seq >= last + 1`, not for a range, so a missing event shows as a gap.
      const last = seqAt(page.data, page.fields, (page.count - 1) * ROW_WIDTH);
      if (last >= 0 && last < Number.MAX_SAFE_INTEGER) {
        from = last + 1;
        if (limitFor(from) > 0) next = prefetch(fetch(limitFor(from)));
      }
    }
    if (page.count > 0) yield page;
  }
}

/**
 * The promise itself, marked as handled: a caller that stops early never awaits the page
 * fetched ahead, and its failure (say, the connection closed under it) is of no interest.
 */
function prefetch<T>(page: Promise<T>): Promise<T> {
  page.catch(() => undefined);
  return page;
}

/** One page by binary COPY: at most `limit` events from `fromSeq` on. */
async function fetchPage(
  client: pg.ClientBase,
  fromSeq: number,
  limit: number,
  memory: { data: ArrayBuffer; fields: ArrayBuffer } | number,
  recycle: (page: BinaryPage) => void,
): Promise<BinaryPage> {
  // COPY takes no parameters: the statement is built from two integers only.
  if (!Number.isSafeInteger(fromSeq) || !Number.isSafeInteger(limit)) {
    throw new TypeError('fromSeq and limit must be integers');
  }
  const query = new CopyOutQuery(
    `copy (select ${BINARY_COLUMNS.join(', ')} from audit_events where seq >= ${String(fromSeq)}` +
      ` order by seq limit ${String(limit)}) to stdout (format binary)`,
    typeof memory === 'number' ? memory : memory.data,
  );
  client.query(query);
  const fieldMemory = typeof memory === 'number' ? undefined : memory.fields;
  return BinaryPage.decode(await query.done, limit, fieldMemory, recycle);
}
