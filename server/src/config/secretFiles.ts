import { randomBytes } from 'node:crypto';
import { mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Bytes a session secret needs at least (256 bits). */
export const MIN_SECRET_BYTES = 32;

/**
 * Text that marks a secret as copied from an example or never filled in. Matched
 * case-insensitively anywhere in the file, because padding `changeme` to 32 bytes does not
 * make it secret.
 */
const PLACEHOLDERS = [
  'changeme',
  'change-me',
  'change_me',
  'change me',
  'replaceme',
  'replace-me',
  'replace_me',
  'placeholder',
  'example',
  'your-secret',
  'your_secret',
  'yoursecret',
  'keyboard cat',
  'a secret with minimum length',
  'insecure',
  'default',
  'secret',
  'password',
  'xxxxxxxx',
  '12345678',
];

/**
 * Why `bytes` cannot be a secret, or undefined if it looks random enough. Catches the
 * usual mistakes (placeholders, repeated characters, short strings), not weak randomness.
 */
export function secretWeakness(bytes: Buffer): string | undefined {
  if (bytes.length < MIN_SECRET_BYTES) {
    return `has ${bytes.length} bytes; at least ${MIN_SECRET_BYTES} random bytes are required`;
  }
  const text = bytes.toString('latin1').toLowerCase();
  const placeholder = PLACEHOLDERS.find((word) => text.includes(word));
  if (placeholder !== undefined) return `looks like a placeholder (contains "${placeholder}")`;
  // 32 random bytes, or their hex or base64 text, show far more than 8 distinct values.
  if (new Set(bytes).size < 8) return 'has too few distinct bytes to be random';
  return undefined;
}

/** Removes one trailing line break, which editors and `echo` add to secret files. */
function withoutTrailingNewline(bytes: Buffer): Buffer {
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === 0x0a) end--;
  if (end > 0 && bytes[end - 1] === 0x0d) end--;
  return bytes.subarray(0, end);
}

/**
 * Reads a secret from a file named by an environment variable, reporting into `problems`:
 * the file must be a regular, readable file that others cannot read (H2).
 */
export async function readSecretFile(
  variable: string,
  path: string,
  problems: string[],
): Promise<Buffer | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    problems.push(`${variable}: cannot read ${path} (${errorCode(error)})`);
    return undefined;
  }
  try {
    // The mode is checked on the opened handle so that the file checked is the file read.
    const info = await handle.stat();
    if (!info.isFile()) {
      problems.push(`${variable}: ${path} is not a regular file`);
      return undefined;
    }
    if ((info.mode & 0o004) !== 0) {
      problems.push(
        `${variable}: ${path} is readable by everyone (mode ${modeText(info.mode)}); run chmod 600 on it`,
      );
      return undefined;
    }
    return withoutTrailingNewline(await handle.readFile());
  } finally {
    await handle.close();
  }
}

/**
 * The session secret kept in `<dataDir>/secrets/session.key`: created once with 32 random
 * bytes (mode 0600, folder 0700) and reused on every later start, so sessions survive a
 * restart. Refuses a file that group or others can access, or that is not a usable secret.
 */
export async function loadOrCreateSessionSecret(dataDir: string): Promise<Buffer> {
  const dir = join(dataDir, 'secrets');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'session.key');
  try {
    // 'wx': if two processes start at once, exactly one creates the key and both use it.
    await writeFile(file, randomBytes(MIN_SECRET_BYTES), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
  }
  const handle = await open(file, 'r');
  try {
    const info = await handle.stat();
    if ((info.mode & 0o077) !== 0) {
      throw new Error(
        `${file} is accessible by group or others (mode ${modeText(info.mode)}); run chmod 600 on it`,
      );
    }
    const secret = await handle.readFile();
    // A random key may by chance contain a "placeholder" word; only size and variety matter here.
    if (secret.length < MIN_SECRET_BYTES || new Set(secret).size < 8) {
      throw new Error(`${file} does not hold a usable secret; delete it to generate a new one`);
    }
    return secret;
  } finally {
    await handle.close();
  }
}

/** The Node error code of a file-system error, or its message. */
export function errorCode(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code ?? error.message;
  }
  return String(error);
}

/** A file mode as octal text, e.g. `644`. */
export function modeText(mode: number): string {
  return (mode & 0o777).toString(8).padStart(3, '0');
}
