/**
 * Signed checkpoints in the C2SP formats, so that standard transparency-log witnesses and
 * tools can read them:
 *
 * - tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the body is
 *   `<origin>\n<tree size, decimal>\n<root hash, base64>\n`, optionally followed by
 *   non-empty extension lines;
 * - signed-note (https://c2sp.org/signed-note): the body, a blank line, then one line per
 *   signature `— <key name> <base64(4-byte key id || signature)>\n` (U+2014 em dash). For
 *   Ed25519 the key id is the first 4 bytes of SHA-256(name || 0x0A || 0x01 || public key)
 *   and the signature covers the body bytes; verifier keys are written
 *   `<name>+<hex key id>+<base64(0x01 || public key)>`, signer keys
 *   `PRIVATE+KEY+<name>+<hex key id>+<base64(0x01 || seed)>` (as Go's `note` package does).
 *
 * The note functions (`signNote`, `parseNote`, `verifyNote`) serve any signed note, e.g. a
 * witness cosigning; the checkpoint functions build on them.
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { AuditError } from './AuditError.ts';
import { HASH_SIZE, bytesEqual, sha256 } from './merkle.ts';

/** What a checkpoint states: the log, its size and its root hash. */
export interface CheckpointBody {
  /** The log's unique name, e.g. `konvent.example.org/audit`. */
  readonly origin: string;
  readonly treeSize: number;
  readonly rootHash: Uint8Array;
  /** Optional extra body lines (non-empty, opaque); usually none. */
  readonly extensions?: readonly string[];
}

/** A verified (or parsed) checkpoint's content. */
export interface Checkpoint {
  readonly origin: string;
  readonly treeSize: number;
  readonly rootHash: Buffer;
  readonly extensions: readonly string[];
}

/** One signature line of a signed note, not yet verified. */
export interface NoteSignature {
  readonly name: string;
  /** The 4-byte key id. */
  readonly keyId: Buffer;
  /** The signature bytes after the key id (64 bytes for Ed25519). */
  readonly signature: Buffer;
}

/** A checkpoint as parsed from text: its content, signed body text and signature lines. */
export interface ParsedCheckpoint extends Checkpoint {
  /** The exact signed text: the body lines, each ending in a newline. */
  readonly body: string;
  readonly signatures: readonly NoteSignature[];
}

/** The log's signing key: its name (usually the origin) and Ed25519 private key. */
export interface CheckpointSigner {
  readonly name: string;
  readonly privateKey: KeyObject;
}

/** A key that checkpoints are verified against: its name and Ed25519 public key. */
export interface CheckpointVerifier {
  readonly name: string;
  readonly publicKey: KeyObject;
}

/** A parsed verifier key string: the verifier plus the key id it declared. */
export interface VerifierKey extends CheckpointVerifier {
  readonly keyId: Buffer;
}

const SIGNATURE_PREFIX = '\u2014 ';
const ED25519_TYPE = 0x01;
const ED25519_SIGNATURE_SIZE = 64;
const KEY_ID_SIZE = 4;
// Bounds a hostile input's cost; real checkpoints are a few hundred bytes.
const MAX_NOTE_LENGTH = 64 * 1024;
const MAX_SIGNATURES = 100;

function malformed(why: string): never {
  throw new AuditError('malformed', why);
}

/** Decodes standard base64 with padding, refusing every non-canonical spelling. */
function decodeBase64(text: string, what: string): Buffer {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    malformed(`${what} is not base64`);
  }
  const bytes = Buffer.from(text, 'base64');
  // Node's decoder is lenient (stray padding bits, misplaced '='): insist on the one spelling.
  if (bytes.toString('base64') !== text) malformed(`${what} is not canonical base64`);
  return bytes;
}

/** Key names: non-empty, no whitespace and no '+' (signed-note). */
function isValidKeyName(name: string): boolean {
  return name.length > 0 && name.isWellFormed() && !/[\s+]/u.test(name);
}

function checkKeyName(name: string): void {
  if (!isValidKeyName(name)) {
    throw new AuditError('invalid_argument', 'a key name must be non-empty, without spaces or +');
  }
}

/** Note text: well-formed Unicode without control characters other than newline. */
function isValidText(text: string): boolean {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what we refuse
  return text.isWellFormed() && !/[\u0000-\u0009\u000b-\u001f\u007f]/.test(text);
}

function rawPublicKey(publicKey: KeyObject): Buffer {
  if (publicKey.type !== 'public' || publicKey.asymmetricKeyType !== 'ed25519') {
    throw new AuditError('invalid_argument', 'an Ed25519 public key is needed');
  }
  const { x } = publicKey.export({ format: 'jwk' });
  if (x === undefined) throw new AuditError('invalid_argument', 'the public key has no x');
  return Buffer.from(x, 'base64url');
}

/** The signed-note key id of an Ed25519 key: SHA-256(name || 0x0A || 0x01 || key)[:4]. */
export function checkpointKeyId(name: string, publicKey: KeyObject): Buffer {
  checkKeyName(name);
  const input = Buffer.concat([
    Buffer.from(`${name}\n`, 'utf8'),
    Buffer.of(ED25519_TYPE),
    rawPublicKey(publicKey),
  ]);
  return sha256(input).subarray(0, KEY_ID_SIZE);
}

/** The verifier key string `<name>+<hex key id>+<base64(0x01 || public key)>`. */
export function formatVerifierKey(name: string, publicKey: KeyObject): string {
  const keyId = checkpointKeyId(name, publicKey).toString('hex');
  const key = Buffer.concat([Buffer.of(ED25519_TYPE), rawPublicKey(publicKey)]);
  return `${name}+${keyId}+${key.toString('base64')}`;
}

/** Splits at the first `count - 1` '+' signs; the last part keeps any further '+'. */
function splitPlus(text: string, count: number, shape: string): string[] {
  const parts: string[] = [];
  let rest = text;
  for (let i = 1; i < count; i++) {
    const at = rest.indexOf('+');
    if (at < 0) malformed(shape);
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  parts.push(rest);
  return parts;
}

/**
 * Parses a verifier key string (see {@link formatVerifierKey}); throws
 * `AuditError('malformed')` unless it is an Ed25519 key whose declared id matches.
 */
export function parseVerifierKey(text: string): VerifierKey {
  // The base64 key may itself contain '+': only the first two are separators.
  const [name, idHex, keyBase64] = splitPlus(text, 3, 'a verifier key is <name>+<id>+<key>') as [
    string,
    string,
    string,
  ];
  if (!isValidKeyName(name)) malformed('the verifier key name is invalid');
  if (!/^[0-9a-f]{8}$/.test(idHex)) malformed('the verifier key id is not 8 hex digits');
  const key = decodeBase64(keyBase64, 'the verifier key');
  if (key.length !== 1 + 32 || key[0] !== ED25519_TYPE) {
    malformed('the verifier key is not an Ed25519 key');
  }
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: key.subarray(1).toString('base64url') },
      format: 'jwk',
    });
  } catch (error) {
    throw new AuditError('malformed', 'the verifier key is not a valid Ed25519 key', {
      cause: error,
    });
  }
  const keyId = checkpointKeyId(name, publicKey);
  if (keyId.toString('hex') !== idHex) malformed('the verifier key id does not match the key');
  return { name, keyId, publicKey };
}

/**
 * The private signer key string `PRIVATE+KEY+<name>+<hex key id>+<base64(0x01 || seed)>`
 * (the Go `note` package's format). It is secret: store it only sealed.
 */
export function formatSignerKey(name: string, privateKey: KeyObject): string {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new AuditError('invalid_argument', 'an Ed25519 private key is needed');
  }
  const { d } = privateKey.export({ format: 'jwk' });
  if (d === undefined) throw new AuditError('invalid_argument', 'the private key has no seed');
  const keyId = checkpointKeyId(name, createPublicKey(privateKey)).toString('hex');
  const seed = Buffer.concat([Buffer.of(ED25519_TYPE), Buffer.from(d, 'base64url')]);
  const text = `PRIVATE+KEY+${name}+${keyId}+${seed.toString('base64')}`;
  seed.fill(0); // strings cannot be wiped, but at least the bytes do not linger
  return text;
}

/** Parses a signer key string (see {@link formatSignerKey}); throws `AuditError('malformed')`. */
export function parseSignerKey(text: string): CheckpointSigner & { readonly keyId: Buffer } {
  const shape = 'a signer key is PRIVATE+KEY+<name>+<id>+<key>';
  const [private_, key_, name, idHex, seedBase64] = splitPlus(text, 5, shape) as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (private_ !== 'PRIVATE' || key_ !== 'KEY') malformed(shape);
  if (!isValidKeyName(name)) malformed('the signer key name is invalid');
  const seed = decodeBase64(seedBase64, 'the signer key');
  if (seed.length !== 1 + 32 || seed[0] !== ED25519_TYPE) {
    malformed('the signer key is not an Ed25519 key');
  }
  // Node imports a raw Ed25519 seed as PKCS#8: a fixed 16-byte prefix, then the seed.
  const pkcs8 = Buffer.concat([
    Buffer.from('302e020100300506032b657004220420', 'hex'),
    seed.subarray(1),
  ]);
  const privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  seed.fill(0);
  pkcs8.fill(0);
  const keyId = checkpointKeyId(name, createPublicKey(privateKey));
  if (keyId.toString('hex') !== idHex) malformed('the signer key id does not match the key');
  return { name, keyId, privateKey };
}

function checkSigner(signer: CheckpointSigner): void {
  checkKeyName(signer.name);
  const { privateKey } = signer;
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new AuditError('invalid_argument', 'an Ed25519 private key is needed');
  }
}

/**
 * Signs a note text (non-empty, ending in a newline, no control characters) with an
 * Ed25519 key; returns the text, a blank line and the signature line.
 */
export function signNote(text: string, signer: CheckpointSigner): string {
  checkSigner(signer);
  if (!text.endsWith('\n') || !isValidText(text)) {
    throw new AuditError('invalid_argument', 'a note text ends in a newline, without controls');
  }
  const keyId = checkpointKeyId(signer.name, createPublicKey(signer.privateKey));
  const signature = sign(null, Buffer.from(text, 'utf8'), signer.privateKey);
  const encoded = Buffer.concat([keyId, signature]).toString('base64');
  return `${text}\n${SIGNATURE_PREFIX}${signer.name} ${encoded}\n`;
}

function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(SIGNATURE_PREFIX)) malformed('a signature line must start with "— "');
  const parts = line.slice(SIGNATURE_PREFIX.length).split(' ');
  if (parts.length !== 2) malformed('a signature line is "— <name> <signature>"');
  const [name, encoded] = parts as [string, string];
  if (!isValidKeyName(name)) malformed('a signature line has an invalid key name');
  const bytes = decodeBase64(encoded, 'a signature');
  if (bytes.length <= KEY_ID_SIZE) malformed('a signature is too short');
  return { name, keyId: bytes.subarray(0, KEY_ID_SIZE), signature: bytes.subarray(KEY_ID_SIZE) };
}

/**
 * Splits a signed note into its text and signature lines without verifying anything.
 * Throws `AuditError('malformed')` on control characters, a missing final newline, no
 * signature, a malformed signature line, or two signatures by the same key.
 */
export function parseNote(note: string): { text: string; signatures: NoteSignature[] } {
  if (note.length > MAX_NOTE_LENGTH) malformed('the note is too long');
  if (!isValidText(note)) malformed('the note contains control characters');
  if (!note.endsWith('\n')) malformed('the note does not end with a newline');
  // Signature lines are never blank, so the last blank line starts the signature block.
  const split = note.lastIndexOf('\n\n');
  if (split < 0) malformed('the note has no signatures');
  const text = note.slice(0, split + 1);
  const signatureBlock = note.slice(split + 2);
  if (signatureBlock.length === 0) malformed('the note has no signatures');
  const signatureLines = signatureBlock.slice(0, -1).split('\n');
  if (signatureLines.length > MAX_SIGNATURES) malformed('the note has too many signatures');
  const signatures = signatureLines.map(parseSignatureLine);
  for (let i = 0; i < signatures.length; i++) {
    const a = signatures[i] as NoteSignature;
    for (let j = i + 1; j < signatures.length; j++) {
      const b = signatures[j] as NoteSignature;
      if (a.name === b.name && bytesEqual(a.keyId, b.keyId)) {
        malformed('the note has two signatures by the same key');
      }
    }
  }
  return { text, signatures };
}

/**
 * Verifies a signed note's signature by `verifier` and returns the signed text. Throws
 * `AuditError` with reason `malformed`, `unknown_key` (no signature by this key name and
 * key id) or `bad_signature` (the text or the signature was altered). Signatures by other
 * keys (e.g. witness cosignatures) are ignored.
 */
export function verifyNote(note: string, verifier: CheckpointVerifier): string {
  const { text, signatures } = parseNote(note);
  checkSignature(text, signatures, verifier);
  return text;
}

function checkSignature(
  text: string,
  signatures: readonly NoteSignature[],
  verifier: CheckpointVerifier,
): void {
  const keyId = checkpointKeyId(verifier.name, verifier.publicKey);
  const mine = signatures.find(
    (signature) => signature.name === verifier.name && bytesEqual(signature.keyId, keyId),
  );
  if (mine === undefined) {
    throw new AuditError('unknown_key', `the note is not signed by ${verifier.name}`);
  }
  const valid =
    mine.signature.length === ED25519_SIGNATURE_SIZE &&
    verify(null, Buffer.from(text, 'utf8'), verifier.publicKey, mine.signature);
  if (!valid) throw new AuditError('bad_signature', 'the note signature does not verify');
}

function formatBody(checkpoint: CheckpointBody): string {
  const { origin, treeSize, rootHash, extensions = [] } = checkpoint;
  if (origin.length === 0 || origin.includes('\n') || !isValidText(origin)) {
    throw new AuditError('invalid_argument', 'the origin must be one non-empty line of text');
  }
  if (!Number.isSafeInteger(treeSize) || treeSize < 0) {
    throw new AuditError('invalid_argument', 'the tree size must be a non-negative safe integer');
  }
  if (rootHash.length !== HASH_SIZE) {
    throw new AuditError('invalid_argument', 'the root hash must be 32 bytes');
  }
  for (const line of extensions) {
    if (line.length === 0 || line.includes('\n') || !isValidText(line)) {
      throw new AuditError('invalid_argument', 'extension lines must be non-empty single lines');
    }
  }
  const lines = [origin, String(treeSize), Buffer.from(rootHash).toString('base64'), ...extensions];
  return lines.map((line) => `${line}\n`).join('');
}

function parseTreeSize(line: string): number {
  if (!/^(0|[1-9][0-9]*)$/.test(line)) malformed('the tree size is not a decimal number');
  const size = Number(line);
  if (!Number.isSafeInteger(size)) malformed('the tree size is beyond 2^53 - 1');
  return size;
}

function parseBody(body: string): Checkpoint {
  const lines = body.slice(0, -1).split('\n');
  if (lines.length < 3) malformed('a checkpoint body needs origin, size and root hash');
  if (lines.some((line) => line.length === 0)) malformed('the checkpoint has an empty line');
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string];
  const treeSize = parseTreeSize(sizeLine);
  const rootHash = decodeBase64(rootLine, 'the root hash');
  if (rootHash.length !== HASH_SIZE) malformed('the root hash is not 32 bytes');
  return { origin, treeSize, rootHash, extensions };
}

/** Writes a checkpoint and signs it as a signed note with the log's Ed25519 key. */
export function signCheckpoint(checkpoint: CheckpointBody, signer: CheckpointSigner): string {
  return signNote(formatBody(checkpoint), signer);
}

/**
 * Parses a signed checkpoint without checking any signature (use {@link verifyCheckpoint}
 * for that). Throws `AuditError('malformed')` on any deviation from the formats: missing
 * final newline, control characters, empty body lines, a size with leading zeros or beyond
 * 2^53 - 1, non-canonical base64, a root hash that is not 32 bytes, no or malformed
 * signature lines.
 */
export function parseCheckpoint(text: string): ParsedCheckpoint {
  const { text: body, signatures } = parseNote(text);
  return { ...parseBody(body), body, signatures };
}

/**
 * Verifies a checkpoint's signature by `verifier` and returns its content. Throws
 * `AuditError`: `malformed` (not a checkpoint), `unknown_key` (not signed by this key name
 * and id) or `bad_signature` (size, root, origin or signature altered). The caller still
 * compares the origin with the log it expects.
 */
export function verifyCheckpoint(text: string, verifier: CheckpointVerifier): Checkpoint {
  // Parse fully first, so a malformed checkpoint is reported as such whatever its signature.
  const { body, signatures, ...checkpoint } = parseCheckpoint(text);
  checkSignature(body, signatures, verifier);
  return checkpoint;
}
