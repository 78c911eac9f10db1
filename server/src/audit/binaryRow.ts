/**
 * The rows of binary `COPY` output as `copyRows.ts` asks for them, and the checks the
 * verifier runs on such a row where it lies, in its page's buffer. A page is one Buffer plus
 * an Int32Array holding, per row and column, the start and length (−1 for NULL) of the
 * column's bytes; nothing per row or per field is allocated. That is what lets a million
 * events verify in a few seconds (docs/audit.md, Performance): objects, strings and
 * subarrays per event would cost more than the hashing.
 *
 * Everything here answers "is this row certainly fine?"; false means "look closer", and the
 * verifier then checks the row the slow way (`BinaryAuditRow`, `checkEvent`), which names
 * what is wrong. So these functions may decline anything unusual, but must never accept a
 * row that the slow checks would refuse.
 */
import { hash } from 'node:crypto';

/** The columns of a row of `COPY … (FORMAT binary)`, in the order they are selected. */
export const BINARY_COLUMNS = [
  'seq',
  'recorded_at',
  'action',
  'actor_kind',
  'actor_id',
  'target',
  'meeting_id',
  'outcome',
  'source',
  'event_class',
  'content',
  'salt',
  'leaf_hash',
  'erased_at',
] as const;

/** The Int32 slots a row takes in a page's field table: start and length per column. */
export const ROW_WIDTH = 2 * BINARY_COLUMNS.length;

/** Each column's index in {@link BINARY_COLUMNS}: its start is at `base + 2 * index`. */
export const COLUMN = {
  seq: 0,
  recordedAt: 1,
  action: 2,
  actorKind: 3,
  actorId: 4,
  target: 5,
  meetingId: 6,
  outcome: 7,
  source: 8,
  eventClass: 9,
  content: 10,
  salt: 11,
  leafHash: 12,
  erasedAt: 13,
} as const;

// Field table slots (start; the length follows) of the columns the hot path reads.
const SEQ = 2 * COLUMN.seq;
const RECORDED_AT = 2 * COLUMN.recordedAt;
const ACTION = 2 * COLUMN.action;
const ACTOR_KIND = 2 * COLUMN.actorKind;
const ACTOR_ID = 2 * COLUMN.actorId;
const TARGET = 2 * COLUMN.target;
const MEETING_ID = 2 * COLUMN.meetingId;
const OUTCOME = 2 * COLUMN.outcome;
const SOURCE = 2 * COLUMN.source;
const EVENT_CLASS = 2 * COLUMN.eventClass;
const CONTENT = 2 * COLUMN.content;
const SALT = 2 * COLUMN.salt;
const LEAF_HASH = 2 * COLUMN.leafHash;
const ERASED_AT = 2 * COLUMN.erasedAt;

/** The sizes the slow path insists on (`SALT_SIZE`, `HASH_SIZE`), repeated to stay import-free. */
const SALT_BYTES = 32;
const HASH_BYTES = 32;

/** PostgreSQL's binary timestamps count microseconds from 2000-01-01T00:00:00Z. */
const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);
const DAY_MS = 86_400_000;

/** The int8 at data[start, start + 8) as a number (exact below 2^53, as seqs and times are). */
export function int64At(data: Buffer, start: number): number {
  return data.readInt32BE(start) * 2 ** 32 + data.readUInt32BE(start + 4);
}

/** The seq of the row at `base`, or −1 when its seq column is not an int8. */
export function seqAt(data: Buffer, fields: Int32Array, base: number): number {
  if (fields[base + SEQ + 1] !== 8) return -1;
  return int64At(data, fields[base + SEQ] as number);
}

/**
 * A timestamp column's microseconds as `Date.toISOString` text (sub-milliseconds cut, as
 * `to_char` does), or null for NULL.
 */
export function isoTimeOf(micros: number | null): string | null {
  if (micros === null) return null;
  return new Date(Math.floor(micros / 1000) + POSTGRES_EPOCH_MS).toISOString();
}

/**
 * Whether the row at `base` is event `seq` with a 32-byte leaf hash and passes every check
 * `checkEvent` makes, decided in place: either it is intact (a 32-byte salt, content and
 * salt that hash to the leaf hash, searchable columns that say exactly what the content
 * says) or it is cleanly erased (no content, salt or personal columns left). Its leaf hash
 * (at `fields[base + 2 * COLUMN.leafHash]`) may then go into the tree as it is.
 */
export function rowVerifies(data: Buffer, fields: Int32Array, base: number, seq: number): boolean {
  if (
    fields[base + SEQ + 1] !== 8 ||
    int64At(data, fields[base + SEQ] as number) !== seq ||
    fields[base + LEAF_HASH + 1] !== HASH_BYTES
  ) {
    return false;
  }
  if ((fields[base + ERASED_AT + 1] as number) >= 0) {
    // Retention and erasure leave only what the tree and statistics need.
    return (
      fields[base + ERASED_AT + 1] === 8 &&
      fields[base + CONTENT + 1] === -1 &&
      fields[base + SALT + 1] === -1 &&
      fields[base + ACTOR_ID + 1] === -1 &&
      fields[base + TARGET + 1] === -1 &&
      fields[base + MEETING_ID + 1] === -1 &&
      fields[base + SOURCE + 1] === -1
    );
  }
  return (
    fields[base + SALT + 1] === SALT_BYTES &&
    leafMatches(data, fields, base) &&
    columnsMatchContent(data, fields, base, seq)
  );
}

/**
 * {@link rowVerifies} for every row of a page: `verdicts[i]` is 1 when row i verifies as
 * event `first + i`, `first` being the seq the page's first row names, else 0. (The verifier
 * trusts a verdict only where that is the seq it expects: a page that starts at the wrong
 * seq is checked again, the slow way.)
 */
export function pageVerdicts(
  data: Buffer,
  fields: Int32Array,
  count: number,
): Uint8Array<ArrayBuffer> {
  const verdicts = new Uint8Array(count);
  const first = count > 0 ? seqAt(data, fields, 0) : -1;
  if (first < 0) return verdicts;
  for (let index = 0; index < count; index++) {
    verdicts[index] = rowVerifies(data, fields, index * ROW_WIDTH, first + index) ? 1 : 0;
  }
  return verdicts;
}

/** Scratch for `0x00 || salt || content`, the input of a leaf hash. */
const leafInput = Buffer.alloc(16 * 1024);
/** Views of leafInput by length, made once each: a view per event would be garbage. */
const leafViews: (Buffer | undefined)[] = [];

/**
 * Whether SHA-256(0x00 || salt || content) of the row is its stored leaf hash (salt and leaf
 * hash known to be 32 bytes). The digest stays a latin1 string compared in place. Larger
 * contents than the scratch holds are left to the slow path.
 */
function leafMatches(data: Buffer, fields: Int32Array, base: number): boolean {
  const contentStart = fields[base + CONTENT] as number;
  const contentLength = fields[base + CONTENT + 1] as number;
  const length = 1 + SALT_BYTES + contentLength;
  if (contentLength < 0 || length > leafInput.length) return false;
  const saltStart = fields[base + SALT] as number;
  leafInput[0] = 0x00;
  data.copy(leafInput, 1, saltStart, saltStart + SALT_BYTES);
  data.copy(leafInput, 1 + SALT_BYTES, contentStart, contentStart + contentLength);
  let view = leafViews[length];
  if (view === undefined) {
    view = leafInput.subarray(0, length);
    leafViews[length] = view;
  }
  const digest = hash('sha256', view, 'binary');
  const leafStart = fields[base + LEAF_HASH] as number;
  for (let i = 0; i < HASH_BYTES; i++) {
    if (digest.charCodeAt(i) !== data[leafStart + i]) return false;
  }
  return true;
}

const ascii = (text: string): Buffer => Buffer.from(text, 'latin1');
const ACTION_OPEN = ascii('{"action":"');
const ACTOR_OPEN = ascii('","actor":{"id":"');
const KIND_OPEN = ascii('","kind":"');
const ACTOR_CLOSE = ascii('"},');
const DETAILS_OPEN = ascii('"details":');
const CONTENT_CLOSE = ascii('","v":1}');
const TIME_OPEN = ascii('"time":"');
const TARGET_OPEN = ascii('"target":"');
const SOURCE_OPEN = ascii('"source":"');
const SEQ_OPEN = ascii('","seq":');
const OUTCOME_OPEN = ascii('"outcome":"');
const MEETING_OPEN = ascii('"meeting":"');
const VALUE_CLOSE = ascii('",');
const COMMA = ascii(',');
/** Scratch space for the ISO time of `recorded_at`. */
const isoScratch = Buffer.alloc(24);
/** The day whose `YYYY-MM-DD` is in isoScratch (events come in time order: mostly the same). */
let scratchDay = Number.NaN;

/**
 * Whether the row's content is exactly the canonical content its columns describe (with any
 * details), compared byte by byte where both lie: the same test as `matchesColumns`, without
 * decoding a single string. The canonical layout is fixed (keys sorted: `action, actor{id,
 * kind}, details, meeting, outcome, seq, source, target, time, v`), so everything but the
 * details is compared from the front and from the back, and the details must be one
 * balanced JSON object. False for erased rows and whenever anything is unusual.
 */
export function columnsMatchContent(
  data: Buffer,
  fields: Int32Array,
  base: number,
  seq: number,
): boolean {
  const start = fields[base + CONTENT] as number;
  const length = fields[base + CONTENT + 1] as number;
  if (
    length < 0 ||
    (fields[base + ERASED_AT + 1] as number) >= 0 ||
    (fields[base + ACTOR_ID + 1] as number) < 0 ||
    !classMatches(data, fields, base) ||
    !recordedAtInto(data, fields, base)
  ) {
    return false;
  }
  let end = start + length;
  let at = literalAt(data, start, end, ACTION_OPEN);
  at = columnAt(data, at, end, fields, base + ACTION);
  at = literalAt(data, at, end, ACTOR_OPEN);
  at = columnAt(data, at, end, fields, base + ACTOR_ID);
  at = literalAt(data, at, end, KIND_OPEN);
  at = columnAt(data, at, end, fields, base + ACTOR_KIND);
  at = literalAt(data, at, end, ACTOR_CLOSE);
  end = literalBefore(data, start, end, CONTENT_CLOSE);
  end = literalBefore(data, start, end, isoScratch);
  end = literalBefore(data, start, end, TIME_OPEN);
  end = optionalBefore(data, start, end, fields, base + TARGET, TARGET_OPEN);
  end = optionalBefore(data, start, end, fields, base + SOURCE, SOURCE_OPEN);
  end = literalBefore(data, start, end, COMMA);
  end = seqBefore(data, start, end, seq);
  end = literalBefore(data, start, end, SEQ_OPEN);
  end = columnBefore(data, start, end, fields, base + OUTCOME);
  end = literalBefore(data, start, end, OUTCOME_OPEN);
  end = optionalBefore(data, start, end, fields, base + MEETING_ID, MEETING_OPEN);
  if (at < 0 || end < 0 || end < at) return false;
  if (at === end) return true;
  // Only details can lie between: `"details":{…},` with one balanced object.
  at = literalAt(data, at, end, DETAILS_OPEN);
  end = literalBefore(data, at, end, COMMA);
  return at >= 0 && end >= 0 && isObjectBytes(data, at, end);
}

/**
 * Before `end`: `"<name>":"<value>",` for an optional column that is set; nothing for one
 * that is NULL (its key is then absent from canonical content).
 */
function optionalBefore(
  data: Buffer,
  start: number,
  end: number,
  fields: Int32Array,
  slot: number,
  open: Buffer,
): number {
  if ((fields[slot + 1] as number) < 0) return end;
  let at = literalBefore(data, start, end, VALUE_CLOSE);
  at = columnBefore(data, start, at, fields, slot);
  return literalBefore(data, start, at, open);
}

/**
 * Writes `recorded_at` into isoScratch as the 24 bytes `YYYY-MM-DDTHH:MM:SS.mmmZ`, without a
 * Date; false when it has no such spelling (a year beyond 9999, sub-millisecond parts).
 */
function recordedAtInto(data: Buffer, fields: Int32Array, base: number): boolean {
  if (fields[base + RECORDED_AT + 1] !== 8) return false;
  const micros = int64At(data, fields[base + RECORDED_AT] as number);
  if (micros % 1000 !== 0) return false;
  const ms = micros / 1000 + POSTGRES_EPOCH_MS;
  const days = Math.floor(ms / DAY_MS);
  if (days !== scratchDay) {
    if (!writeDate(isoScratch, days)) return false;
    scratchDay = days;
  }
  let rest = ms - days * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  digits(isoScratch, 11, hours, 2);
  isoScratch[13] = 0x3a;
  digits(isoScratch, 14, minutes, 2);
  isoScratch[16] = 0x3a;
  digits(isoScratch, 17, seconds, 2);
  isoScratch[19] = 0x2e;
  digits(isoScratch, 20, rest - seconds * 1000, 3);
  isoScratch[23] = 0x5a;
  return true;
}

/** Whether `event_class` is the first segment of `action` (compared as bytes). */
function classMatches(data: Buffer, fields: Int32Array, base: number): boolean {
  const action = fields[base + ACTION] as number;
  const actionLength = fields[base + ACTION + 1] as number;
  const eventClass = fields[base + EVENT_CLASS] as number;
  const length = fields[base + EVENT_CLASS + 1] as number;
  if (actionLength < 0 || length < 0 || length > actionLength) return false;
  for (let i = 0; i < length; i++) {
    const c = data[eventClass + i];
    if (c === 0x2e || c !== data[action + i]) return false;
  }
  return length === actionLength || data[action + length] === 0x2e;
}

/**
 * Writes `YYYY-MM-DDT` of a day (counted from 1970-01-01) into target[0, 11), by H.
 * Hinnant's civil-from-days algorithm; false for years beyond 0–9999.
 */
function writeDate(target: Buffer, days: number): boolean {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0 || year > 9999) return false;
  digits(target, 0, year, 4);
  target[4] = 0x2d;
  digits(target, 5, month, 2);
  target[7] = 0x2d;
  digits(target, 8, day, 2);
  target[10] = 0x54;
  return true;
}

/** The position of the decimal digits of `seq` if data[…end) ends with them, else −1. */
function seqBefore(data: Buffer, start: number, end: number, seq: number): number {
  if (end < 0 || seq < 0) return -1;
  let at = end;
  let rest = seq;
  do {
    at -= 1;
    if (at < start || data[at] !== 0x30 + (rest % 10)) return -1;
    rest = Math.floor(rest / 10);
  } while (rest > 0);
  return at;
}

function digits(target: Buffer, at: number, value: number, width: number): void {
  let rest = value;
  for (let i = width - 1; i >= 0; i--) {
    target[at + i] = 0x30 + (rest % 10);
    rest = Math.floor(rest / 10);
  }
}

/** The position after `piece` if data[at…] starts with it (before `end`), else −1. */
function literalAt(data: Buffer, at: number, end: number, piece: Buffer): number {
  if (at < 0 || at + piece.length > end) return -1;
  for (let i = 0; i < piece.length; i++) if (data[at + i] !== piece[i]) return -1;
  return at + piece.length;
}

/** The position of `piece` if data[…end) ends with it (after `start`), else −1. */
function literalBefore(data: Buffer, start: number, end: number, piece: Buffer): number {
  const at = end - piece.length;
  if (end < 0 || at < start) return -1;
  for (let i = 0; i < piece.length; i++) if (data[at + i] !== piece[i]) return -1;
  return at;
}

/**
 * {@link literalAt} for the bytes of the column whose start is `fields[slot]`. A quote or
 * backslash in the column refuses the match: only values without them read the same raw and
 * JSON-escaped (control characters, the only other escaped ones, never appear raw in the
 * content). A NULL column never matches.
 */
function columnAt(data: Buffer, at: number, end: number, fields: Int32Array, slot: number): number {
  const from = fields[slot] as number;
  const length = fields[slot + 1] as number;
  if (at < 0 || length < 0 || at + length > end) return -1;
  for (let i = 0; i < length; i++) {
    const c = data[from + i];
    if (c === 0x22 || c === 0x5c || c !== data[at + i]) return -1;
  }
  return at + length;
}

/** {@link literalBefore} for a column's bytes, as {@link columnAt}. */
function columnBefore(
  data: Buffer,
  start: number,
  end: number,
  fields: Int32Array,
  slot: number,
): number {
  const length = fields[slot + 1] as number;
  if (end < 0 || length < 0) return -1;
  const at = end - length;
  return at >= start && columnAt(data, at, end, fields, slot) === end ? at : -1;
}

/**
 * Whether data[start, end) is one balanced `{…}` whose braces close only at its last byte,
 * not counting those inside strings: nothing can then stand beside the details object.
 */
function isObjectBytes(data: Buffer, start: number, end: number): boolean {
  if (end - start < 2 || data[start] !== 0x7b) return false;
  let depth = 0;
  let inString = false;
  for (let i = start; i < end; i++) {
    const c = data[i];
    if (inString) {
      if (c === 0x5c) i++;
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
