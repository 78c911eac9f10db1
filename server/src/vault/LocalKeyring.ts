import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, open, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyProvider } from './KeyProvider.ts';
import { VaultError } from './VaultError.ts';

const FILE_NAME = 'keyring.json';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Domain separation: a wrapped data key can never be mistaken for any other GCM output. */
const WRAP_AAD_PREFIX = 'konvent/keyring/wrap/v1\0';

/** One KEK as stored in `keyring.json`. */
interface StoredKey {
  id: string;
  createdAt: string;
  /** The raw 256-bit KEK, base64. */
  key: string;
}

/** The content of `keyring.json`. */
interface KeyringFile {
  version: 1;
  /** The KEK that wraps new data keys; the others only unwrap existing ones. */
  active: string;
  keys: StoredKey[];
}

/**
 * The embedded key provider: AES-256 KEKs in `<dir>/keyring.json` (mode 0600). Several KEKs
 * may be held, one active, so that a rotation adds a key without making older objects
 * unreadable. A wrapped data key is `IV (12) ‖ GCM tag (16) ‖ encrypted key`, with the KEK id
 * and the caller's context as additional authenticated data.
 *
 * This keeps KEKs on the same disk as the data, which only protects against leaks of the
 * database (backups, a PostgreSQL server run by someone else); production deployments
 * plug in an HSM or Vault Transit through the same `KeyProvider` interface.
 */
export class LocalKeyring implements KeyProvider {
  readonly id = 'local';
  readonly #file: string;
  #active: string;
  readonly #keys: Map<string, Buffer>;
  #stored: KeyringFile;

  private constructor(file: string, stored: KeyringFile) {
    this.#file = file;
    this.#stored = stored;
    this.#active = stored.active;
    this.#keys = new Map(stored.keys.map((k) => [k.id, decodeKey(k)]));
  }

  /**
   * Opens `<dir>/keyring.json`, creating the folder (0700) and a keyring with one fresh KEK
   * (0600) on first use. Refuses a keyring file that group or others can access.
   */
  static async openOrCreate(dir: string): Promise<LocalKeyring> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, FILE_NAME);
    const initial: KeyringFile = { version: 1, active: '', keys: [] };
    const first = newKey();
    initial.active = first.id;
    initial.keys.push(first);
    try {
      // 'wx' creates exclusively: two processes starting at once cannot both create a keyring.
      await writeFile(file, JSON.stringify(initial, null, 2), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if (!isCode(error, 'EEXIST')) throw error;
    }
    return new LocalKeyring(file, await readKeyring(file));
  }

  /** The path of `keyring.json`. */
  get file(): string {
    return this.#file;
  }

  /** The id of the KEK that wraps new data keys. */
  get activeKeyId(): string {
    return this.#active;
  }

  /** Ids of every KEK held, oldest first. */
  get keyIds(): string[] {
    return this.#stored.keys.map((k) => k.id);
  }

  /**
   * Adds a fresh KEK and makes it the active one; older KEKs stay for unwrapping. The file
   * is replaced atomically (write to a temporary file, then rename).
   */
  async rotate(): Promise<string> {
    const key = newKey();
    const next: KeyringFile = { version: 1, active: key.id, keys: [...this.#stored.keys, key] };
    const temp = `${this.#file}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temp, JSON.stringify(next, null, 2), { flag: 'wx', mode: 0o600 });
    await rename(temp, this.#file);
    this.#stored = next;
    this.#keys.set(key.id, decodeKey(key));
    this.#active = key.id;
    return key.id;
  }

  /** Wraps a data key under the active KEK, binding the context. */
  wrapKey(dek: Buffer, context: string): Promise<{ kekId: string; wrapped: Buffer }> {
    // The executor turns a synchronous throw into a rejection, as callers of a provider expect.
    return new Promise((resolve) => {
      const kekId = this.#active;
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.#kek(kekId), iv);
      cipher.setAAD(wrapAad(kekId, context));
      const encrypted = Buffer.concat([cipher.update(dek), cipher.final()]);
      resolve({ kekId, wrapped: Buffer.concat([iv, cipher.getAuthTag(), encrypted]) });
    });
  }

  /** Unwraps a data key; throws `VaultError` for an unknown KEK or any mismatch. */
  unwrapKey(kekId: string, wrapped: Buffer, context: string): Promise<Buffer> {
    return new Promise((resolve) => {
      const kek = this.#kek(kekId);
      if (wrapped.length <= IV_BYTES + TAG_BYTES) {
        throw new VaultError('malformed', 'wrapped data key is truncated');
      }
      const decipher = createDecipheriv('aes-256-gcm', kek, wrapped.subarray(0, IV_BYTES));
      decipher.setAAD(wrapAad(kekId, context));
      decipher.setAuthTag(wrapped.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      try {
        const body = wrapped.subarray(IV_BYTES + TAG_BYTES);
        resolve(Buffer.concat([decipher.update(body), decipher.final()]));
      } catch (error) {
        throw new VaultError('integrity', 'data key does not unwrap with this KEK and context', {
          cause: error,
        });
      }
    });
  }

  #kek(kekId: string): Buffer {
    const kek = this.#keys.get(kekId);
    if (kek === undefined) throw new VaultError('unknown_key', `no KEK with id ${kekId}`);
    return kek;
  }
}

function newKey(): StoredKey {
  return {
    id: `local-${randomBytes(8).toString('hex')}`,
    createdAt: new Date().toISOString(),
    key: randomBytes(KEY_BYTES).toString('base64'),
  };
}

function decodeKey(stored: StoredKey): Buffer {
  return Buffer.from(stored.key, 'base64');
}

function wrapAad(kekId: string, context: string): Buffer {
  // The KEK id is length-prefixed so that no (id, context) pair can collide with another.
  return Buffer.concat([
    Buffer.from(WRAP_AAD_PREFIX, 'utf8'),
    Buffer.from(`${Buffer.byteLength(kekId)}:${kekId}`, 'utf8'),
    Buffer.from(context, 'utf8'),
  ]);
}

async function readKeyring(file: string): Promise<KeyringFile> {
  // Check the mode on the opened handle, not the path, so the file cannot be swapped between check and read.
  const handle = await open(file, 'r');
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new VaultError('keystore', `${file} is not a regular file`);
    if ((info.mode & 0o077) !== 0) {
      throw new VaultError(
        'keystore',
        `${file} is accessible by group or others (mode ${(info.mode & 0o777).toString(8)}); ` +
          'run chmod 600 on it',
      );
    }
    const text = await handle.readFile('utf8');
    return parseKeyring(file, text);
  } finally {
    await handle.close();
  }
}

function parseKeyring(file: string, text: string): KeyringFile {
  const fail = (why: string): never => {
    throw new VaultError('keystore', `${file} is corrupt: ${why}`);
  };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return fail('not JSON');
  }
  if (typeof data !== 'object' || data === null) return fail('not an object');
  const { version, active, keys } = data as Record<string, unknown>;
  if (version !== 1) return fail(`unsupported version ${String(version)}`);
  if (typeof active !== 'string') return fail('no active key');
  if (!Array.isArray(keys) || keys.length === 0) return fail('no keys');
  const parsed: StoredKey[] = keys.map((entry: unknown) => {
    const { id, createdAt, key } = (entry ?? {}) as Record<string, unknown>;
    if (typeof id !== 'string' || typeof key !== 'string' || typeof createdAt !== 'string') {
      return fail('key entry lacks id, key or createdAt');
    }
    if (Buffer.from(key, 'base64').length !== KEY_BYTES) return fail(`key ${id} is not 256 bits`);
    return { id, createdAt, key };
  });
  if (new Set(parsed.map((k) => k.id)).size !== parsed.length) return fail('duplicate key ids');
  if (!parsed.some((k) => k.id === active)) return fail(`active key ${active} is missing`);
  return { version: 1, active, keys: parsed };
}

function isCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
