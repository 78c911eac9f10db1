/**
 * Reading enumerated and JSON columns back into domain types, and turning constraint
 * violations into domain errors; shared by the SQL repositories. A stored value the domain
 * does not know means the database was altered outside the server (or by a newer version),
 * so it is an `internal` error rather than something to guess around.
 */
import { OPEN_LOCKS } from '@konvent/protocol';
import type {
  GuestPolicy,
  InvitationRole,
  MeetingLocks,
  MeetingRole,
  ReportReason,
} from '@konvent/protocol';
import { AppError } from '../errors/AppError.ts';
import type { Admission, ArrivalKind } from '../meetings/ports.ts';

/** PostgreSQL error codes the repositories turn into domain errors. */
const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';

/**
 * Turns constraint violations into the domain's errors (a duplicate is a `conflict`, a
 * reference to a row that does not exist is `not_found`); rethrows anything else.
 */
export function translate(error: unknown): never {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === UNIQUE_VIOLATION) throw new AppError('conflict', undefined, { cause: error });
  if (code === FOREIGN_KEY_VIOLATION) throw new AppError('not_found', undefined, { cause: error });
  throw error;
}

/** An `internal` error for a stored value the server cannot read. */
function malformed(what: string): AppError {
  return new AppError('internal', undefined, { cause: new Error(`malformed stored ${what}`) });
}

/** Narrows a stored string to one of the allowed values, or throws `internal`. */
function oneOf<T extends string>(allowed: readonly T[], what: string): (value: string) => T {
  return (value) => {
    if ((allowed as readonly string[]).includes(value)) return value as T;
    throw malformed(what);
  };
}

/** A stored meeting role. */
export const toRole = oneOf<MeetingRole>(
  ['moderator', 'presenter', 'participant', 'guest'],
  'meeting role',
);

/** A stored invitation role (never `guest`). */
export const toInvitationRole = oneOf<InvitationRole>(
  ['moderator', 'presenter', 'participant'],
  'invitation role',
);

/** A stored guest policy. */
export const toGuestPolicy = oneOf<GuestPolicy>(
  ['always_accept', 'ask_moderator', 'accept_signed_in', 'always_deny'],
  'guest policy',
);

/** How a stored participant arrived. */
export const toArrival = oneOf<ArrivalKind>(
  ['moderator_link', 'link', 'account', 'invitation', 'breakout'],
  'arrival',
);

/** A stored participant's admission. */
export const toAdmission = oneOf<Admission>(['admitted', 'waiting', 'denied'], 'admission');

/** A stored report reason. */
export const toReportReason = oneOf<ReportReason>(
  ['harassment', 'spam', 'inappropriate', 'impersonation', 'other'],
  'report reason',
);

const LOCK_NAMES = Object.keys(OPEN_LOCKS) as (keyof MeetingLocks)[];

/**
 * Reads the `locks` column: a JSON object of lock name to boolean, merged over every lock
 * off (older rows hold `{}`). Unknown names are ignored, so a lock a later version dropped
 * does not break reading; anything else that is not a boolean object is `internal`.
 */
export function parseLocks(json: string): MeetingLocks {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw malformed('locks');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed('locks');
  }
  const stored = value as Record<string, unknown>;
  const locks = { ...OPEN_LOCKS };
  for (const name of LOCK_NAMES) {
    if (!Object.hasOwn(stored, name)) continue;
    const flag = stored[name];
    if (typeof flag !== 'boolean') throw malformed('locks');
    locks[name] = flag;
  }
  return locks;
}

/** The `locks` column for a lock state: exactly the known names, so nothing else is stored. */
export function serializeLocks(locks: MeetingLocks): string {
  const known = { ...OPEN_LOCKS };
  for (const name of LOCK_NAMES) known[name] = locks[name];
  return JSON.stringify(known);
}
