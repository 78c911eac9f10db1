/**
 * Password hashing with argon2id (RFC 9106), stored as a PHC string
 * `$argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>` so parameters can be raised later: a hash made
 * with weaker parameters verifies and is then replaced (`needsRehash`).
 *
 * Why Node's own `crypto.argon2` rather than a package: Node 24 ships argon2 (OpenSSL 3.2+),
 * so there is no native add-on to build or prebuilt binary to trust.
 */
import { argon2, randomBytes, timingSafeEqual, type Argon2Parameters } from 'node:crypto';

/** argon2id cost: OWASP's first recommendation (19 MiB, 2 passes, 1 lane). */
export const PASSWORD_HASH_PARAMS = { memory: 19_456, passes: 2, parallelism: 1 } as const;
const SALT_BYTES = 16;
const TAG_BYTES = 32;
const PHC =
  /^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,3}),p=(\d{1,2})\$([A-Za-z0-9+/]{16,})\$([A-Za-z0-9+/]{16,})$/;

function derive(
  password: string,
  salt: Buffer,
  params: { memory: number; passes: number; parallelism: number },
  tagLength: number,
): Promise<Buffer> {
  const parameters: Argon2Parameters = {
    message: Buffer.from(password.normalize('NFC'), 'utf8'),
    nonce: salt,
    parallelism: params.parallelism,
    tagLength,
    memory: params.memory,
    passes: params.passes,
  };
  return new Promise((resolve, reject) => {
    argon2('argon2id', parameters, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

const b64 = (bytes: Buffer): string => bytes.toString('base64').replace(/=+$/, '');

/** A new argon2id PHC string for `password` (normalised to NFC first). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const tag = await derive(password, salt, PASSWORD_HASH_PARAMS, TAG_BYTES);
  const { memory, passes, parallelism } = PASSWORD_HASH_PARAMS;
  return `$argon2id$v=19$m=${String(memory)},t=${String(passes)},p=${String(parallelism)}$${b64(salt)}$${b64(tag)}`;
}

/** Whether `password` matches the PHC string; false (never a throw) for a malformed hash. */
export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  const match = PHC.exec(phc);
  if (match === null) return false;
  const [, m, t, p, salt, hash] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const expected = Buffer.from(hash, 'base64');
  const params = { memory: Number(m), passes: Number(t), parallelism: Number(p) };
  if (params.memory < 8 * params.parallelism || params.passes < 1 || params.parallelism < 1) {
    return false;
  }
  const actual = await derive(password, Buffer.from(salt, 'base64'), params, expected.length);
  return timingSafeEqual(actual, expected);
}

/** Whether a stored hash was made with other parameters than today's and should be redone. */
export function needsRehash(phc: string): boolean {
  const match = PHC.exec(phc);
  if (match === null) return true;
  const { memory, passes, parallelism } = PASSWORD_HASH_PARAMS;
  return (
    Number(match[1]) !== memory || Number(match[2]) !== passes || Number(match[3]) !== parallelism
  );
}

let dummy: Promise<string> | undefined;

/**
 * Spends the time of one verification without an account, so "no such user" answers as
 * slowly as "wrong password" (issue 4 item 7).
 */
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummy ??= hashPassword(randomBytes(16).toString('base64'));
  await verifyPassword(await dummy, password);
  return false;
}
