/**
 * What an audit event is: the actions known to the log, the input `AuditLog.record` takes,
 * the stored row, and the canonical content that is hashed into the Merkle leaf. Shared by
 * the writer (`AuditLog`) and every verifier, so both agree on one mapping between the
 * signed content and the searchable columns.
 */

import { AUDIT_ACTION_NAMES } from '@konvent/protocol';

/**
 * Every action the audit log accepts, `<class>.<verb>`; the class (first segment) is what
 * retention periods are configured for. The list is defined once in the protocol (the
 * auditor page filters by it); add new actions there (A1 lists what must come).
 */
export const AUDIT_ACTIONS = AUDIT_ACTION_NAMES;

/** A known audit action. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Who acted: a pseudonymous id, never a name or e-mail address (P1). */
export interface AuditActor {
  readonly kind: 'participant' | 'user' | 'system';
  readonly id: string;
}

/** How the action ended. */
export type AuditOutcome = 'success' | 'failure' | 'denied';

/** A JSON value that canonical JSON accepts (integers only, no undefined). */
export type AuditJson =
  null | boolean | number | string | readonly AuditJson[] | { readonly [key: string]: AuditJson };

/** What a caller hands to `AuditLog.record`. */
export interface AuditEventInput {
  readonly action: AuditAction;
  readonly actor: AuditActor;
  /** What the action was done to, e.g. a participant id or a setting name. */
  readonly target?: string;
  readonly meetingId?: string;
  readonly outcome: AuditOutcome;
  /** The client's IP address; `record` truncates it (IPv4 /24, IPv6 /48) before storing. */
  readonly source?: string;
  /** Further facts; ids and codes, never names or message content. */
  readonly details?: { readonly [key: string]: AuditJson };
}

/** What `AuditLog.record` resolves to once the event is durably stored. */
export interface AuditReceipt {
  /** The event's leaf index in the Merkle tree. */
  readonly seq: number;
  readonly recordedAt: Date;
  /** The leaf hash, base64: with an inclusion proof it proves the event is in the log. */
  readonly leafHash: string;
}

/** The version of the canonical content layout; hashed into every leaf. */
export const CONTENT_VERSION = 1;

/**
 * The signed content of an event: the canonical JSON of this object (keys sorted) is what
 * the leaf hashes, after a random salt. Optional fields are absent, never null.
 */
export interface AuditContent {
  readonly v: typeof CONTENT_VERSION;
  readonly seq: number;
  /** ISO 8601 UTC with milliseconds, as `Date.toISOString` writes it. */
  readonly time: string;
  readonly action: string;
  readonly actor: { readonly kind: string; readonly id: string };
  readonly outcome: string;
  readonly target?: string;
  readonly meeting?: string;
  readonly source?: string;
  readonly details?: { readonly [key: string]: AuditJson };
}

/**
 * One stored event as the verifiers read it: the searchable columns, which must agree with
 * the content, and the bytes of the tree. Erased events (retention, P4) have no content,
 * salt or personal columns, but keep `seq` and `leafHash`.
 */
export interface AuditRow {
  readonly seq: number;
  /** ISO 8601 UTC with milliseconds. */
  readonly recordedAt: string;
  readonly action: string;
  readonly actorKind: string;
  readonly actorId: string | null;
  readonly target: string | null;
  readonly meetingId: string | null;
  readonly outcome: string;
  readonly source: string | null;
  readonly eventClass: string;
  readonly content: Uint8Array | null;
  /**
   * Whether the columns say what the content says, for a row that can tell more cheaply
   * than {@link matchesColumns} (the binary reader's rows compare bytes in place).
   */
  matchesOwnColumns?(): boolean;
  readonly salt: Uint8Array | null;
  readonly leafHash: Uint8Array;
  readonly erasedAt: string | null;
}

/** The class of an action: its first segment (`meeting.joined` → `meeting`). */
export function eventClassOf(action: string): string {
  const dot = action.indexOf('.');
  return dot < 0 ? action : action.slice(0, dot);
}

/** Whether a string is a known audit action. */
export function isAuditAction(value: unknown): value is AuditAction {
  return typeof value === 'string' && (AUDIT_ACTIONS as readonly string[]).includes(value);
}

/** The content of an event: what is signed. `source` must already be truncated. */
export function eventContent(
  seq: number,
  time: Date,
  input: AuditEventInput,
  source: string | undefined,
): AuditContent {
  return {
    v: CONTENT_VERSION,
    seq,
    time: time.toISOString(),
    action: input.action,
    actor: { kind: input.actor.kind, id: input.actor.id },
    outcome: input.outcome,
    ...(input.target === undefined ? {} : { target: input.target }),
    ...(input.meetingId === undefined ? {} : { meeting: input.meetingId }),
    ...(source === undefined ? {} : { source }),
    ...(input.details === undefined ? {} : { details: input.details }),
  };
}

/**
 * Where a row's searchable columns disagree with its signed content: the name of the first
 * differing column, or undefined when they agree. A search that trusts the columns is then
 * as trustworthy as the content.
 */
export function columnMismatch(row: AuditRow, content: AuditContent): string | undefined {
  if (row.recordedAt !== content.time) return 'recorded_at';
  if (row.action !== content.action) return 'action';
  if (row.actorKind !== content.actor.kind) return 'actor_kind';
  if (row.actorId !== content.actor.id) return 'actor_id';
  if (row.target !== (content.target ?? null)) return 'target';
  if (row.meetingId !== (content.meeting ?? null)) return 'meeting_id';
  if (row.outcome !== content.outcome) return 'outcome';
  if (row.source !== (content.source ?? null)) return 'source';
  if (row.eventClass !== eventClassOf(content.action)) return 'event_class';
  return undefined;
}

const OPTIONAL_STRINGS = ['target', 'meeting', 'source'] as const;
const CONTENT_KEYS = new Set([
  'v',
  'seq',
  'time',
  'action',
  'actor',
  'outcome',
  'target',
  'meeting',
  'source',
  'details',
]);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads stored content (UTF-8 decoded) back into an event: the content, or a message
 * saying what is wrong with it. Checks the shape only; the leaf hash vouches for the bytes.
 */
export function parseContent(text: string): AuditContent | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'the content is not JSON';
  }
  if (!isPlainObject(value)) return 'the content is not a JSON object';
  for (const key of Object.keys(value)) {
    if (!CONTENT_KEYS.has(key)) return `the content has an unknown field ${key}`;
  }
  const { v, seq, time, action, actor, outcome, details } = value;
  if (v !== CONTENT_VERSION) return `the content version is not ${String(CONTENT_VERSION)}`;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
    return 'the content has no valid seq';
  }
  if (typeof time !== 'string' || typeof action !== 'string' || typeof outcome !== 'string') {
    return 'the content lacks time, action or outcome';
  }
  if (
    !isPlainObject(actor) ||
    typeof actor['kind'] !== 'string' ||
    typeof actor['id'] !== 'string'
  ) {
    return 'the content has no valid actor';
  }
  for (const key of OPTIONAL_STRINGS) {
    if (key in value && typeof value[key] !== 'string') return `the content's ${key} is not text`;
  }
  if (details !== undefined && !isPlainObject(details))
    return "the content's details are not an object";
  return value as unknown as AuditContent;
}

/**
 * Whether `text` (an event's stored content) is exactly the canonical content the row's
 * columns describe, with any details: the columns then agree with the content. A cheap
 * test, since the canonical layout is fixed (sorted keys `action, actor{id, kind}, details,
 * meeting, outcome, seq, source, target, time, v`): everything but the details is compared
 * in place, front to back and back to front, without building strings, and the details
 * must be one balanced JSON object. Verifying a million events leans on this; parsing each
 * event is several times slower. False means "look closer" (`parseContent` and
 * `columnMismatch` say what differs), not necessarily tampering.
 */
export function matchesColumns(row: AuditRow, text: string): boolean {
  const { actorId, meetingId, source, target } = row;
  if (actorId === null || row.eventClass !== eventClassOf(row.action)) return false;
  let at = 0;
  const literal = (piece: string): boolean => {
    if (!text.startsWith(piece, at)) return false;
    at += piece.length;
    return true;
  };
  const value = (piece: string): boolean => plain(piece) && literal(piece);
  let end = text.length;
  const literalBefore = (piece: string): boolean => {
    if (!text.endsWith(piece, end)) return false;
    end -= piece.length;
    return true;
  };
  const valueBefore = (piece: string): boolean => plain(piece) && literalBefore(piece);
  const field = (name: string, content: string): boolean =>
    literalBefore('",') && valueBefore(content) && literalBefore(name);
  return (
    literal('{"action":"') &&
    value(row.action) &&
    literal('","actor":{"id":"') &&
    value(actorId) &&
    literal('","kind":"') &&
    value(row.actorKind) &&
    literal('"},') &&
    literalBefore('","v":1}') &&
    valueBefore(row.recordedAt) &&
    literalBefore('"time":"') &&
    (target === null || field('"target":"', target)) &&
    (source === null || field('"source":"', source)) &&
    literalBefore(',') &&
    literalBefore(String(row.seq)) &&
    literalBefore('","seq":') &&
    valueBefore(row.outcome) &&
    literalBefore('"outcome":"') &&
    (meetingId === null || field('"meeting":"', meetingId)) &&
    (at === end || (literal('"details":') && literalBefore(',') && isObjectText(text, at, end)))
  );
}

/**
 * A JSON string's content compared raw equals its JSON-escaped form compared only when it
 * holds no quote or backslash (control characters, the only other escaped ones, cannot
 * appear raw in canonical content and so fail the comparison anyway).
 */
function plain(value: string): boolean {
  return !value.includes('"') && !value.includes('\\');
}

/**
 * Whether text[start, end) is one balanced `{…}`: its braces close only at its last
 * character, counting none inside strings. So nothing can stand beside the details object
 * at the top level of an event; its inner syntax is left to `parseContent`, which looks
 * whenever anything else is off, and to the leaf hash, which vouches for every byte.
 */
function isObjectText(text: string, start: number, end: number): boolean {
  if (end - start < 2 || text.charCodeAt(start) !== 0x7b) return false;
  let depth = 0;
  let inString = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0 && i !== end - 1) return false;
    }
  }
  return depth === 0 && !inString;
}
