import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyProvider } from './KeyProvider.ts';
import { VaultError } from './VaultError.ts';

const MAGIC = Buffer.from('KV', 'latin1');
const VERSION = 1;
const DEK_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MAX_KEK_ID_BYTES = 255;
const MAX_WRAPPED_BYTES = 0xffff;

/**
 * Envelope encryption for everything personal the server stores (G1): each object gets a
 * fresh 256-bit data key (DEK), the object is encrypted with AES-256-GCM under it, and the
 * DEK is wrapped by a key-encryption key (KEK) that only the `KeyProvider` holds. Deleting
 * the wrapped DEK (or the KEK) makes the object unreadable (crypto-shredding, G4).
 *
 * The caller names a `context` for every object, e.g. `chat:<meetingId>:<messageId>`. It is
 * not stored but authenticated (GCM additional data, and bound to the wrapped DEK), so a
 * sealed blob copied into another row, or opened for another purpose, fails to open.
 *
 * Sealed format, version 1 (all integers big-endian):
 *
 * ```
 * offset  size  field
 * 0       2     magic "KV" (0x4B 0x56)
 * 2       1     format version = 1
 * 3       1     n = byte length of the KEK id (1..255)
 * 4       n     KEK id, UTF-8 (which provider key wrapped the DEK)
 * 4+n     2     m = byte length of the wrapped DEK (1..65535)
 * 6+n     m     wrapped DEK, opaque, as returned by KeyProvider.wrapKey(dek, context)
 * 6+n+m   12    IV, random per object
 * 18+n+m  16    GCM authentication tag
 * 34+n+m  *     ciphertext (same length as the plaintext)
 * ```
 *
 * The GCM additional data is every byte before the tag (so the header cannot be altered)
 * followed by the UTF-8 context.
 */
export class Vault {
  readonly #keys: KeyProvider;

  constructor(keys: KeyProvider) {
    this.#keys = keys;
  }

  /** Encrypts `plaintext` (a string is taken as UTF-8) for the given context. */
  async seal(plaintext: Uint8Array | string, context: string): Promise<Buffer> {
    checkContext(context);
    const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
    const dek = randomBytes(DEK_BYTES);
    try {
      const { kekId, wrapped } = await this.#keys.wrapKey(dek, context);
      const kekIdBytes = Buffer.from(kekId, 'utf8');
      if (kekIdBytes.length === 0 || kekIdBytes.length > MAX_KEK_ID_BYTES) {
        throw new VaultError('keystore', 'key provider returned an unusable KEK id');
      }
      if (wrapped.length === 0 || wrapped.length > MAX_WRAPPED_BYTES) {
        throw new VaultError('keystore', 'key provider returned an unusable wrapped key');
      }
      const header = Buffer.alloc(4 + kekIdBytes.length + 2 + wrapped.length + IV_BYTES);
      let at = MAGIC.copy(header, 0);
      at = header.writeUInt8(VERSION, at);
      at = header.writeUInt8(kekIdBytes.length, at);
      at += kekIdBytes.copy(header, at);
      at = header.writeUInt16BE(wrapped.length, at);
      at += wrapped.copy(header, at);
      randomBytes(IV_BYTES).copy(header, at);
      const iv = header.subarray(at, at + IV_BYTES);

      const cipher = createCipheriv('aes-256-gcm', dek, iv);
      cipher.setAAD(additionalData(header, context));
      const ciphertext = Buffer.concat([cipher.update(data), cipher.final()]);
      return Buffer.concat([header, cipher.getAuthTag(), ciphertext]);
    } finally {
      dek.fill(0);
    }
  }

  /**
   * Decrypts a sealed object. Throws `VaultError` when it is malformed, names an unknown
   * KEK, was altered in any byte, or was sealed for another context.
   */
  async open(sealed: Uint8Array, context: string): Promise<Buffer> {
    checkContext(context);
    const parts = parse(sealed);
    let dek: Buffer;
    try {
      dek = await this.#keys.unwrapKey(parts.kekId, parts.wrapped, context);
    } catch (error) {
      if (error instanceof VaultError) throw error;
      throw new VaultError('keystore', 'key provider failed to unwrap the data key', {
        cause: error,
      });
    }
    try {
      if (dek.length !== DEK_BYTES) throw new VaultError('integrity', 'data key has wrong size');
      const decipher = createDecipheriv('aes-256-gcm', dek, parts.iv);
      decipher.setAAD(additionalData(parts.header, context));
      decipher.setAuthTag(parts.tag);
      return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]);
    } catch (error) {
      if (error instanceof VaultError) throw error;
      throw new VaultError('integrity', 'sealed object fails authentication', { cause: error });
    } finally {
      dek.fill(0);
    }
  }

  /** Like `open`, for objects sealed from a string; rejects invalid UTF-8. */
  async openText(sealed: Uint8Array, context: string): Promise<string> {
    const bytes = await this.open(sealed, context);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch (error) {
      throw new VaultError('malformed', 'sealed object is not UTF-8 text', { cause: error });
    } finally {
      bytes.fill(0);
    }
  }
}

interface Parts {
  header: Buffer;
  kekId: string;
  wrapped: Buffer;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

function parse(sealed: Uint8Array): Parts {
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const truncated = (): never => {
    throw new VaultError('malformed', 'sealed object is truncated');
  };
  if (bytes.length < 4) return truncated();
  if (!bytes.subarray(0, 2).equals(MAGIC)) {
    throw new VaultError('malformed', 'not a sealed object (bad magic)');
  }
  const version = bytes.readUInt8(2);
  if (version !== VERSION) {
    throw new VaultError('unsupported_version', `sealed format version ${version} is unknown`);
  }
  const kekIdLength = bytes.readUInt8(3);
  if (kekIdLength === 0) throw new VaultError('malformed', 'empty KEK id');
  let at = 4;
  if (bytes.length < at + kekIdLength + 2) return truncated();
  const kekIdBytes = bytes.subarray(at, at + kekIdLength);
  at += kekIdLength;
  const wrappedLength = bytes.readUInt16BE(at);
  at += 2;
  if (wrappedLength === 0) throw new VaultError('malformed', 'empty wrapped key');
  if (bytes.length < at + wrappedLength + IV_BYTES + TAG_BYTES) return truncated();
  const wrapped = bytes.subarray(at, at + wrappedLength);
  at += wrappedLength;
  const iv = bytes.subarray(at, at + IV_BYTES);
  at += IV_BYTES;
  const header = bytes.subarray(0, at);
  const tag = bytes.subarray(at, at + TAG_BYTES);
  at += TAG_BYTES;
  let kekId: string;
  try {
    kekId = new TextDecoder('utf-8', { fatal: true }).decode(kekIdBytes);
  } catch {
    throw new VaultError('malformed', 'KEK id is not UTF-8');
  }
  return { header, kekId, wrapped, iv, tag, ciphertext: bytes.subarray(at) };
}

function additionalData(header: Buffer, context: string): Buffer {
  return Buffer.concat([header, Buffer.from(context, 'utf8')]);
}

function checkContext(context: string): void {
  // An empty context would let any two objects be swapped; every caller has a row to name.
  if (context.length === 0) throw new TypeError('vault context must not be empty');
}
