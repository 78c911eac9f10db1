import { BinaryPage } from './BinaryPage.ts';
import type { AuditRow } from './events.ts';
import { LogVerifier, type VerifyInput, type VerifyResult } from './LogVerifier.ts';
import type { CheckedPage, PageCheckPool } from './PageCheckPool.ts';

export type { VerifyInput, VerifyResult } from './LogVerifier.ts';

/** How `verifyLog` may spread its work. */
export interface VerifyOptions {
  /**
   * Worker threads for the pages of binary COPY (`readBinaryPages`): each page's rows are
   * checked there while this thread reads the next pages and builds the tree in order.
   */
  readonly checkers?: PageCheckPool;
}

/**
 * Verifies a whole audit log: every event in seq order, from an array, a generator, or the
 * database (`readAuditRows`, or `readAuditPages` whose pages of rows save an await per
 * event, or on PostgreSQL `readBinaryPages`, whose rows are checked in place, by
 * `options.checkers` if given), against the signed checkpoints and the verifier key. Pure:
 * it reads nothing but its arguments. See {@link LogVerifier} for what is checked.
 */
export async function verifyLog(
  rows: Iterable<AuditRow> | AsyncIterable<AuditRow | readonly AuditRow[] | BinaryPage>,
  input: VerifyInput,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const verifier = new LogVerifier(input);
  if (verifier.failed) return verifier.finish();
  if (Symbol.iterator in rows) {
    // A plain loop: awaiting each of a million in-memory rows would cost more than checking it.
    for (const row of rows) if (!verifier.push(row)) break;
    return verifier.finish();
  }
  const { checkers } = options;
  // Pages out with the checkers at most: enough that the reader never waits for a verdict
  // before asking the database for the next page (which would leave the database idle).
  const maxAhead = checkers === undefined ? 0 : checkers.size + 2;
  /** Pages handed to the checkers, oldest first; `checked` once the answer is in. */
  const ahead: { readonly answer: Promise<CheckedPage>; checked?: CheckedPage }[] = [];
  const take = (checked: CheckedPage): boolean => {
    const intact = verifier.pushPage(checked.page, checked.verdicts);
    checked.page.release();
    return intact;
  };
  /** Takes the oldest pages in order until at most `count` are left; false once failed. */
  const drain = async (count: number): Promise<boolean> => {
    while (ahead.length > count) {
      const oldest = ahead.shift() as (typeof ahead)[number];
      if (!take(oldest.checked ?? (await oldest.answer))) return false;
    }
    return true;
  };
  /** Takes the oldest pages whose answers are in, without waiting; false once failed. */
  const takeAnswered = (): boolean => {
    for (let oldest = ahead[0]; oldest?.checked !== undefined; oldest = ahead[0]) {
      ahead.shift();
      if (!take(oldest.checked)) return false;
    }
    return true;
  };
  /** Checks an item that is not for the checkers; false once failed. */
  const check = (item: AuditRow | readonly AuditRow[] | BinaryPage): boolean => {
    if (item instanceof BinaryPage) {
      const intact = verifier.pushPage(item);
      item.release();
      return intact;
    }
    if (!isPage(item)) return verifier.push(item);
    for (const row of item) if (!verifier.push(row)) return false;
    return true;
  };
  for await (const item of rows) {
    if (item instanceof BinaryPage && checkers !== undefined) {
      const entry: (typeof ahead)[number] = { answer: checkers.check(item) };
      // Pages left behind after a failure are never awaited; their rejections don't matter.
      entry.answer.then(
        (checked) => {
          entry.checked = checked;
        },
        () => undefined,
      );
      ahead.push(entry);
      if (!takeAnswered() || !(await drain(maxAhead))) return verifier.finish();
      continue;
    }
    // In order: after every page still with the checkers.
    if (ahead.length > 0 && !(await drain(0))) return verifier.finish();
    if (!check(item)) return verifier.finish();
  }
  await drain(0);
  return verifier.finish();
}

function isPage(item: AuditRow | readonly AuditRow[] | BinaryPage): item is readonly AuditRow[] {
  return Array.isArray(item);
}
