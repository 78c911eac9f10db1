/**
 * Random identifiers, link tokens and session secrets, and how they are stored.
 *
 * Why hashes: the database must never hold anything that lets a reader of a backup join a
 * meeting, so only SHA-256 of tokens and session secrets is stored. The values carry 256
 * bits of randomness, so an unsalted fast hash is enough (nothing to brute-force).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new 128-bit random id: 22 base64url characters. */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}

/** A new 256-bit random link token or session secret: 43 base64url characters. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 of a token or session secret, base64url, as stored in the repository. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}

/**
 * Compares two stored hashes in constant time, so response timing does not tell an
 * attacker how much of a guessed token was right.
 */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    // Still spend the comparison so a length mismatch is not faster.
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}
