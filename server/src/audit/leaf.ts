/**
 * Audit leaves: leaf = leafHash(salt || canonical event bytes), with a random 32-byte salt
 * per event. The salt makes the leaf hash reveal nothing about the event (an event's fields
 * are guessable, e.g. "user X joined meeting Y", so an unsalted hash could be confirmed by
 * brute force). Erasing salt and content (P4, retention) leaves the stored leaf hash, and
 * with it every root, checkpoint and proof, valid.
 */
import { randomBytes } from 'node:crypto';
import { AuditError } from './AuditError.ts';
import { leafHashOfParts, leafHashOfPartsEquals } from './merkle.ts';

/** Length in bytes of the per-event salt. */
export const SALT_SIZE = 32;

/** Nesting deeper than this is refused: audit events are shallow, and recursion is bounded. */
const MAX_DEPTH = 32;

function refuse(path: string, why: string): never {
  // Only the path goes into the message: values may be personal data.
  throw new AuditError('not_canonical', `${path} ${why}`);
}

function encodeString(text: string, path: string): string {
  // A lone surrogate would become U+FFFD in UTF-8, so two different strings would share
  // the same bytes; refuse it instead of hashing something ambiguous.
  if (!text.isWellFormed()) refuse(path, 'contains a lone UTF-16 surrogate');
  return JSON.stringify(text);
}

function encode(value: unknown, path: string, ancestors: object[]): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return encodeString(value, path);
    case 'number':
      if (!Number.isSafeInteger(value)) refuse(path, 'is not a safe integer');
      if (Object.is(value, -0)) refuse(path, 'is -0');
      return String(value);
    case 'object':
      return encodeContainer(value, path, ancestors);
    default:
      return refuse(path, `is a ${typeof value}, not a JSON value`);
  }
}

function encodeContainer(value: object, path: string, ancestors: object[]): string {
  if (ancestors.includes(value)) refuse(path, 'is a cycle');
  if (ancestors.length >= MAX_DEPTH) refuse(path, `nests deeper than ${MAX_DEPTH}`);
  ancestors.push(value);
  let text: string;
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (let i = 0; i < value.length; i++) {
      if (!Object.hasOwn(value, i)) refuse(`${path}[${i}]`, 'is a hole in an array');
      items.push(encode(value[i], `${path}[${i}]`, ancestors));
    }
    text = `[${items.join(',')}]`;
  } else {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      refuse(path, 'is not a plain object (Date, Map, class instance, …)');
    }
    if (Object.getOwnPropertySymbols(value).length > 0) refuse(path, 'has symbol keys');
    // Default sort orders by UTF-16 code units, as RFC 8785 §3.2.3 demands.
    const keys = Object.keys(value).sort();
    const members: string[] = [];
    for (const key of keys) {
      const keyPath = `${path}.${key}`;
      const member: unknown = (value as Record<string, unknown>)[key];
      members.push(`${encodeString(key, keyPath)}:${encode(member, keyPath, ancestors)}`);
    }
    text = `{${members.join(',')}}`;
  }
  ancestors.pop();
  return text;
}

/**
 * Deterministic JSON (RFC 8785 / JCS for our value set): object keys sorted by UTF-16 code
 * units, no whitespace, strings escaped as `JSON.stringify` does. Equal values give equal
 * text regardless of key insertion order, in any language that implements JCS.
 *
 * Accepted: null, booleans, strings, safe integers, arrays and plain objects of these.
 * Refused with `AuditError('not_canonical')` rather than silently dropped or coerced (as
 * `JSON.stringify` would): undefined (also as an object member or array hole), functions,
 * symbols, bigints, NaN, ±Infinity, non-integers (their decimal form is a cross-language
 * trap), integers beyond ±(2^53 − 1), -0 (it would read back as 0), strings with lone
 * surrogates, Dates, Maps and other non-plain objects, symbol keys, cycles, and nesting
 * deeper than 32.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, '$', []);
}

/** The UTF-8 bytes of {@link canonicalJson}: what an audit leaf hashes. */
export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalJson(value), 'utf8');
}

/** A fresh random salt for one audit event. */
export function newSalt(): Buffer {
  return randomBytes(SALT_SIZE);
}

/**
 * The leaf hash of an audit event: SHA-256(0x00 || salt || canonical event bytes).
 * `eventBytes` are the stored canonical bytes, so a verifier recomputes the hash from
 * exactly what is stored, without re-encoding.
 */
export function auditLeafHash(salt: Uint8Array, eventBytes: Uint8Array): Buffer {
  if (salt.length !== SALT_SIZE) {
    throw new AuditError('invalid_argument', `an audit salt must be ${SALT_SIZE} bytes`);
  }
  return leafHashOfParts(salt, eventBytes);
}

/** Whether `auditLeafHash(salt, eventBytes)` is `expected` (cheaper than computing it). */
export function auditLeafMatches(
  salt: Uint8Array,
  eventBytes: Uint8Array,
  expected: Uint8Array,
): boolean {
  if (salt.length !== SALT_SIZE) {
    throw new AuditError('invalid_argument', `an audit salt must be ${SALT_SIZE} bytes`);
  }
  return leafHashOfPartsEquals(salt, eventBytes, expected);
}

/** An audit event ready to store: its salt, canonical bytes and leaf hash. */
export interface AuditLeaf {
  readonly salt: Buffer;
  readonly bytes: Buffer;
  readonly leafHash: Buffer;
}

/** Encodes an event canonically and hashes it with a new (or the given) salt. */
export function createAuditLeaf(event: unknown, salt: Uint8Array = newSalt()): AuditLeaf {
  const bytes = canonicalBytes(event);
  const saltCopy = Buffer.from(salt);
  return { salt: saltCopy, bytes, leafHash: auditLeafHash(saltCopy, bytes) };
}
