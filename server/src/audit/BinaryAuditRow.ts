import type { AuditRow } from './events.ts';

/** The columns of a row of `COPY … (FORMAT binary)` as `copyRows.ts` selects them. */
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

const SEQ = 0;
const RECORDED_AT = 1;
const ACTION = 2;
const ACTOR_KIND = 3;
const ACTOR_ID = 4;
const TARGET = 5;
const MEETING_ID = 6;
const OUTCOME = 7;
const SOURCE = 8;
const EVENT_CLASS = 9;
const CONTENT = 10;
const SALT = 11;
const LEAF_HASH = 12;
const ERASED_AT = 13;

/** PostgreSQL's binary timestamps count microseconds from 2000-01-01T00:00:00Z. */
const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);
const DAY_MS = 86_400_000;

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
/** The optional fields after `time` in the content, from the end backwards. */
const OPTIONAL_TAIL: readonly (readonly [number, Buffer])[] = [
  [TARGET, TARGET_OPEN],
  [SOURCE, SOURCE_OPEN],
];
/** Scratch space for an ISO time written from a binary timestamp. */
const isoScratch = Buffer.alloc(24);
/** The day whose `YYYY-MM-DD` is in isoScratch (events come in time order: mostly the same). */
let scratchDay = Number.NaN;

/**
 * A stored event read by binary `COPY` (`copyRows.ts`): its fields stay where they arrived,
 * in the page's buffer, and are decoded only when asked for. Verification asks for almost
 * nothing: content, salt and leaf hash as views for hashing, and `matchesOwnColumns`, which
 * compares the columns with the content byte by byte in place. That is what lets a million
 * events verify in seconds.
 */
export class BinaryAuditRow implements AuditRow {
  readonly seq: number;
  readonly #data: Buffer;
  /** Per column: start and length (−1 for NULL) of its bytes in #data, from #base on. */
  readonly #fields: Int32Array;
  readonly #base: number;
  #content: Buffer | null | undefined;
  #salt: Buffer | null | undefined;
  #leafHash: Uint8Array | undefined;

  /** A row whose column positions are `fields[base … base + 27]` (start, length pairs). */
  constructor(data: Buffer, fields: Int32Array, base: number) {
    this.#data = data;
    this.#fields = fields;
    this.#base = base;
    this.seq = this.#integer(SEQ) ?? -1;
  }

  get recordedAt(): string {
    return this.#time(RECORDED_AT) ?? '';
  }

  get action(): string {
    return this.#text(ACTION) ?? '';
  }

  get actorKind(): string {
    return this.#text(ACTOR_KIND) ?? '';
  }

  get actorId(): string | null {
    return this.#text(ACTOR_ID);
  }

  get target(): string | null {
    return this.#text(TARGET);
  }

  get meetingId(): string | null {
    return this.#text(MEETING_ID);
  }

  get outcome(): string {
    return this.#text(OUTCOME) ?? '';
  }

  get source(): string | null {
    return this.#text(SOURCE);
  }

  get eventClass(): string {
    return this.#text(EVENT_CLASS) ?? '';
  }

  // The three views the verifier asks for more than once are made once.
  get content(): Uint8Array | null {
    if (this.#content === undefined) this.#content = this.#bytes(CONTENT);
    return this.#content;
  }

  get salt(): Uint8Array | null {
    if (this.#salt === undefined) this.#salt = this.#bytes(SALT);
    return this.#salt;
  }

  get leafHash(): Uint8Array {
    this.#leafHash ??= this.#bytes(LEAF_HASH) ?? new Uint8Array(0);
    return this.#leafHash;
  }

  get erasedAt(): string | null {
    return this.#time(ERASED_AT);
  }

  /**
   * Whether the content is exactly the canonical content the columns describe (with any
   * details), compared byte by byte where both lie: the same test as `matchesColumns`,
   * without decoding a single string. False whenever anything is unusual; the verifier then
   * looks closer with the decoded values. Written out step by step: it runs once per event.
   */
  matchesOwnColumns(): boolean {
    const data = this.#data;
    const f = this.#fields;
    const b = this.#base;
    const start = f[b + 2 * CONTENT] as number;
    const length = f[b + 2 * CONTENT + 1] as number;
    if (
      length < 0 ||
      (f[b + 2 * ERASED_AT + 1] as number) >= 0 ||
      (f[b + 2 * ACTOR_ID + 1] as number) < 0 ||
      !this.#classMatches() ||
      !this.#timeInto(isoScratch)
    ) {
      return false;
    }
    const from = (column: number): number => f[b + 2 * column] as number;
    const size = (column: number): number => f[b + 2 * column + 1] as number;
    let end = start + length;
    let at = literalAt(data, start, end, ACTION_OPEN);
    at = fieldAt(data, at, end, from(ACTION), size(ACTION));
    at = literalAt(data, at, end, ACTOR_OPEN);
    at = fieldAt(data, at, end, from(ACTOR_ID), size(ACTOR_ID));
    at = literalAt(data, at, end, KIND_OPEN);
    at = fieldAt(data, at, end, from(ACTOR_KIND), size(ACTOR_KIND));
    at = literalAt(data, at, end, ACTOR_CLOSE);
    end = literalBefore(data, start, end, CONTENT_CLOSE);
    end = literalBefore(data, start, end, isoScratch);
    end = literalBefore(data, start, end, TIME_OPEN);
    for (const [column, open] of OPTIONAL_TAIL) {
      if (size(column) >= 0) {
        end = literalBefore(data, start, end, VALUE_CLOSE);
        end = fieldBefore(data, start, end, from(column), size(column));
        end = literalBefore(data, start, end, open);
      }
    }
    end = literalBefore(data, start, end, COMMA);
    end = seqBefore(data, start, end, this.seq);
    end = literalBefore(data, start, end, SEQ_OPEN);
    end = fieldBefore(data, start, end, from(OUTCOME), size(OUTCOME));
    end = literalBefore(data, start, end, OUTCOME_OPEN);
    if (size(MEETING_ID) >= 0) {
      end = literalBefore(data, start, end, VALUE_CLOSE);
      end = fieldBefore(data, start, end, from(MEETING_ID), size(MEETING_ID));
      end = literalBefore(data, start, end, MEETING_OPEN);
    }
    if (at < 0 || end < 0 || end < at) return false;
    if (at === end) return true;
    // Only details can lie between: `"details":{…},` with one balanced object.
    at = literalAt(data, at, end, DETAILS_OPEN);
    end = literalBefore(data, at, end, COMMA);
    return at >= 0 && end >= 0 && isObjectBytes(data, at, end);
  }

  #start(column: number): number {
    return this.#fields[this.#base + 2 * column] as number;
  }

  #length(column: number): number {
    return this.#fields[this.#base + 2 * column + 1] as number;
  }

  #bytes(column: number): Buffer | null {
    const length = this.#length(column);
    if (length < 0) return null;
    const start = this.#start(column);
    return this.#data.subarray(start, start + length);
  }

  #text(column: number): string | null {
    const length = this.#length(column);
    if (length < 0) return null;
    const start = this.#start(column);
    return this.#data.toString('utf8', start, start + length);
  }

  /** An int8 column (or a timestamp's microseconds) as a number. */
  #integer(column: number): number | null {
    if (this.#length(column) !== 8) return null;
    const start = this.#start(column);
    return this.#data.readInt32BE(start) * 2 ** 32 + this.#data.readUInt32BE(start + 4);
  }

  /** A timestamp column as `Date.toISOString` writes it (microseconds cut, as `to_char` does). */
  #time(column: number): string | null {
    const micros = this.#integer(column);
    if (micros === null) return null;
    return new Date(Math.floor(micros / 1000) + POSTGRES_EPOCH_MS).toISOString();
  }

  /**
   * Writes `recorded_at` into `target` as the 24 bytes `YYYY-MM-DDTHH:MM:SS.mmmZ`, without a
   * Date; false when it has no such spelling (a year beyond 9999, sub-millisecond parts).
   */
  #timeInto(target: Buffer): boolean {
    const micros = this.#integer(RECORDED_AT);
    if (micros === null || micros % 1000 !== 0) return false;
    const ms = micros / 1000 + POSTGRES_EPOCH_MS;
    const days = Math.floor(ms / DAY_MS);
    if (days !== scratchDay || target !== isoScratch) {
      if (!writeDate(target, days)) return false;
      if (target === isoScratch) scratchDay = days;
    }
    let rest = ms - days * DAY_MS;
    const hours = Math.floor(rest / 3_600_000);
    rest -= hours * 3_600_000;
    const minutes = Math.floor(rest / 60_000);
    rest -= minutes * 60_000;
    const seconds = Math.floor(rest / 1000);
    digits(target, 11, hours, 2);
    target[13] = 0x3a;
    digits(target, 14, minutes, 2);
    target[16] = 0x3a;
    digits(target, 17, seconds, 2);
    target[19] = 0x2e;
    digits(target, 20, rest - seconds * 1000, 3);
    target[23] = 0x5a;
    return true;
  }

  /** Whether `event_class` is the first segment of `action` (compared as bytes). */
  #classMatches(): boolean {
    const data = this.#data;
    const action = this.#start(ACTION);
    const actionLength = this.#length(ACTION);
    const eventClass = this.#start(EVENT_CLASS);
    const length = this.#length(EVENT_CLASS);
    if (actionLength < 0 || length < 0 || length > actionLength) return false;
    for (let i = 0; i < length; i++) {
      const c = data[eventClass + i];
      if (c === 0x2e || c !== data[action + i]) return false;
    }
    return length === actionLength || data[action + length] === 0x2e;
  }
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
 * {@link literalAt} for a column's bytes data[from, from + length). A quote or backslash in
 * the column refuses the match: only values without them read the same raw and JSON-escaped
 * (control characters, the only other escaped ones, never appear raw in the content).
 */
function fieldAt(data: Buffer, at: number, end: number, from: number, length: number): number {
  if (at < 0 || length < 0 || at + length > end) return -1;
  for (let i = 0; i < length; i++) {
    const c = data[from + i];
    if (c === 0x22 || c === 0x5c || c !== data[at + i]) return -1;
  }
  return at + length;
}

/** {@link literalBefore} for a column's bytes, as {@link fieldAt}. */
function fieldBefore(
  data: Buffer,
  start: number,
  end: number,
  from: number,
  length: number,
): number {
  if (end < 0 || length < 0) return -1;
  const at = end - length;
  return at >= start && fieldAt(data, at, end, from, length) === end ? at : -1;
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
