import type { AuditRow } from './events.ts';
import { LogVerifier, type VerifyInput, type VerifyResult } from './LogVerifier.ts';

export type { VerifyInput, VerifyResult } from './LogVerifier.ts';

/**
 * Verifies a whole audit log: every event in seq order, from an array, a generator, or the
 * database (`readAuditRows`, or `readAuditPages` whose pages of rows save an await per
 * event), against the signed checkpoints and the verifier key. Pure: it reads nothing but
 * its arguments. See {@link LogVerifier} for what is checked.
 */
export async function verifyLog(
  rows: Iterable<AuditRow> | AsyncIterable<AuditRow | readonly AuditRow[]>,
  input: VerifyInput,
): Promise<VerifyResult> {
  const verifier = new LogVerifier(input);
  if (verifier.failed) return verifier.finish();
  if (Symbol.iterator in rows) {
    // A plain loop: awaiting each of a million in-memory rows would cost more than checking it.
    for (const row of rows) if (!verifier.push(row)) break;
    return verifier.finish();
  }
  outer: for await (const item of rows) {
    if (isPage(item)) {
      for (const row of item) if (!verifier.push(row)) break outer;
    } else if (!verifier.push(item)) {
      break;
    }
  }
  return verifier.finish();
}

function isPage(item: AuditRow | readonly AuditRow[]): item is readonly AuditRow[] {
  return Array.isArray(item);
}
