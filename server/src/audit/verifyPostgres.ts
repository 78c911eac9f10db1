import { availableParallelism } from 'node:os';
import type pg from 'pg';
import { readBinaryPages } from './copyRows.ts';
import { PageCheckPool } from './PageCheckPool.ts';
import { verifyLog, type VerifyInput, type VerifyResult } from './verifyLog.ts';

/** How `verifyPostgres` spreads its work. */
export interface PostgresVerifyOptions {
  /**
   * Worker threads that check the pages' rows (0: check them on this thread); default
   * {@link defaultVerifyWorkers}.
   */
  readonly workers?: number;
  /** Events per COPY page; default 10,000. */
  readonly pageSize?: number;
}

/**
 * The default number of page-checking workers on this machine: none on two cores or fewer,
 * else the number of cores minus two, at most three.
 */
export function defaultVerifyWorkers(): number {
  // This thread (reading pages, building the tree) and a local PostgreSQL producing the
  // pages keep two cores busy. On two cores a worker only adds CPU per event (about 0.6 µs,
  // for the same rate: docs/audit.md, Performance). Beyond three workers, this thread's
  // reading sets the pace.
  const cores = availableParallelism();
  return cores <= 2 ? 0 : Math.min(3, cores - 2);
}

/**
 * Verifies the log stored in a PostgreSQL database, as `npm run audit -- verify` does:
 * binary COPY pages (`readBinaryPages`) over `client`, a connection of its own (not a pool,
 * which does not run COPY), their rows checked in place, by worker threads (`PageCheckPool`)
 * if there are any, while this thread reads on and builds the tree in seq order
 * (`verifyLog`). Reads only; the caller closes the client.
 */
export async function verifyPostgres(
  client: pg.ClientBase,
  input: VerifyInput,
  options: PostgresVerifyOptions = {},
): Promise<VerifyResult> {
  const workers = options.workers ?? defaultVerifyWorkers();
  const checkers = workers > 0 ? new PageCheckPool(workers) : undefined;
  try {
    const pages = readBinaryPages(client, {
      ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
    });
    return await verifyLog(pages, input, checkers === undefined ? {} : { checkers });
  } finally {
    await checkers?.close();
  }
}
