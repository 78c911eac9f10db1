/**
 * Reading the stored audit log for verification and export: every query is a plain SELECT,
 * paged by seq (keyset pagination, the same on PGlite and PostgreSQL), with the next page
 * fetched while the caller works on the current one.
 */
import type { Kysely } from 'kysely';
import type { Tables } from '../storage/Tables.ts';
import type { AuditRow } from './events.ts';
import { fetchExact, toBuffer } from './exactRows.ts';

export { toBuffer } from './exactRows.ts';

/** A checkpoint as stored: its size and root (as written next to it) and the signed text. */
export interface StoredCheckpoint {
  readonly treeSize: number;
  readonly rootHash: Buffer;
  readonly text: string;
  readonly state: Buffer;
  readonly createdAt: Date;
}

/** A stored signing key's public half. */
export interface StoredVerifierKey {
  readonly name: string;
  readonly keyId: string;
  readonly verifierKey: string;
  readonly createdAt: Date;
}

/** Options for the paged readers. */
export interface ReadOptions {
  /** The first seq to read; default 0. */
  readonly fromSeq?: number;
  /** Read only events with seq below this; default: to the end. */
  readonly toSeq?: number;
  /** Rows per query; default 10,000. */
  readonly pageSize?: number;
}

/** Yields pages from `fetch(fromSeq)` until one is short, prefetching the next page. */
export async function* paged<T extends { seq: number }>(
  fetch: (fromSeq: number, limit: number) => Promise<T[]>,
  options: ReadOptions,
): AsyncGenerator<T[]> {
  const pageSize = options.pageSize ?? 10_000;
  const toSeq = options.toSeq ?? Number.MAX_SAFE_INTEGER;
  const limitFor = (from: number): number => Math.max(0, Math.min(pageSize, toSeq - from));
  let from = options.fromSeq ?? 0;
  let page = limitFor(from) === 0 ? Promise.resolve([]) : fetch(from, limitFor(from));
  for (;;) {
    const rows = await page;
    const last = rows.at(-1);
    const more = last !== undefined && rows.length === limitFor(from);
    if (more) {
      from = last.seq + 1;
      const limit = limitFor(from);
      page = limit === 0 ? Promise.resolve([]) : fetch(from, limit);
    }
    if (rows.length > 0) yield rows;
    if (!more) return;
  }
}

/**
 * Every stored event from `fromSeq` on, in seq order, a page at a time, as the verifiers
 * read them. The query asks for `seq >= from`, not for a range of seqs, so a missing event
 * shows as a gap. (On PostgreSQL, `readAuditPagesCopy` reads the same rows several times
 * faster.)
 */
export async function* readAuditPages(
  db: Kysely<Tables>,
  options: ReadOptions = {},
): AsyncGenerator<AuditRow[]> {
  yield* paged((from, limit) => fetchExact(db, from, limit), options);
}

/** {@link readAuditPages} one event at a time. */
export async function* readAuditRows(
  db: Kysely<Tables>,
  options: ReadOptions = {},
): AsyncGenerator<AuditRow> {
  for await (const page of readAuditPages(db, options)) yield* page;
}

/** The leaf hashes from `fromSeq` on, in seq order, a page at a time. */
export async function* readLeafHashes(
  db: Kysely<Tables>,
  options: ReadOptions = {},
): AsyncGenerator<{ seq: number; leafHash: Buffer }[]> {
  const fetch = async (fromSeq: number, limit: number) => {
    const rows = await db
      .selectFrom('audit_events')
      .select(['seq', 'leaf_hash'])
      .where('seq', '>=', fromSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ seq: Number(row.seq), leafHash: toBuffer(row.leaf_hash) }));
  };
  yield* paged(fetch, options);
}

/** Every stored checkpoint, smallest tree first (ties in the order they were written). */
export async function readCheckpoints(db: Kysely<Tables>): Promise<StoredCheckpoint[]> {
  const rows = await db
    .selectFrom('audit_checkpoints')
    .selectAll()
    .orderBy('tree_size')
    .orderBy('id')
    .execute();
  return rows.map(toCheckpoint);
}

/** The checkpoint of the largest tree (the latest written among equals), if any. */
export async function readLatestCheckpoint(
  db: Kysely<Tables>,
): Promise<StoredCheckpoint | undefined> {
  const row = await db
    .selectFrom('audit_checkpoints')
    .selectAll()
    .orderBy('tree_size', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? undefined : toCheckpoint(row);
}

function toCheckpoint(row: {
  tree_size: string | number;
  root_hash: Uint8Array;
  text: string;
  state: Uint8Array;
  created_at: Date;
}): StoredCheckpoint {
  return {
    treeSize: Number(row.tree_size),
    rootHash: toBuffer(row.root_hash),
    text: row.text,
    state: toBuffer(row.state),
    createdAt: row.created_at,
  };
}

/** The public keys of every signing key the log has had, oldest first. */
export async function readVerifierKeys(db: Kysely<Tables>): Promise<StoredVerifierKey[]> {
  const rows = await db
    .selectFrom('audit_keys')
    .select(['name', 'key_id', 'verifier_key', 'created_at'])
    .orderBy('created_at')
    .execute();
  return rows.map((row) => ({
    name: row.name,
    keyId: row.key_id,
    verifierKey: row.verifier_key,
    createdAt: row.created_at,
  }));
}
