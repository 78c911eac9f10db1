/**
 * The Merkle tree of RFC 9162 §2.1 (the Certificate Transparency v2 tree, same hashing as
 * RFC 6962): tree hashes, inclusion and consistency proofs, and their verification.
 *
 * Pure functions over SHA-256 leaf hashes; nothing here knows about storage. Sizes and
 * indexes are JavaScript numbers and must be safe integers (< 2^53), which no audit log
 * will outgrow. Bit operators are avoided on purpose: they truncate to 32 bits.
 */
import { createHash, hash } from 'node:crypto';
import { AuditError } from './AuditError.ts';

/** Length in bytes of every hash in the tree (SHA-256). */
export const HASH_SIZE = 32;

/** SHA-256 of the given bytes. */
export function sha256(data: Uint8Array): Buffer {
  // Measured on Node 24: a 'buffer' digest costs ~1.9 µs per call, a 'binary' (= latin1:
  // one char per byte, lossless) string turned into a Buffer ~0.7 µs. Tree hashing is
  // nothing but such calls, so this more than doubles verification speed.
  return Buffer.from(hash('sha256', data, 'binary'), 'latin1');
}

/** The root hash of the empty tree: SHA-256 of the empty string (RFC 9162 §2.1.1). */
export const EMPTY_ROOT: Buffer = sha256(new Uint8Array(0));

// Reused input buffers: the one-shot hash call dominates the cost of a tree hash, so we
// avoid allocating a concatenation per call. Safe because hashing is synchronous.
const nodeInput = Buffer.alloc(1 + 2 * HASH_SIZE);
nodeInput[0] = 0x01;
const leafInput = Buffer.alloc(16 * 1024);

/** The hash of a leaf: SHA-256(0x00 || leaf). */
export function leafHash(leaf: Uint8Array): Buffer {
  return leafHashOfParts(leaf, new Uint8Array(0));
}

/** The hash of the leaf `first || second`, without building the concatenation. */
export function leafHashOfParts(first: Uint8Array, second: Uint8Array): Buffer {
  const length = 1 + first.length + second.length;
  if (length > leafInput.length) {
    // Rare large leaves are streamed rather than growing the shared buffer for good.
    const digest = createHash('sha256').update(Buffer.of(0x00)).update(first).update(second);
    return digest.digest();
  }
  leafInput[0] = 0x00;
  leafInput.set(first, 1);
  leafInput.set(second, 1 + first.length);
  return sha256(leafInput.subarray(0, length));
}

/**
 * Whether the leaf `first || second` hashes to `expected`, without allocating the hash: the
 * digest stays a 'binary' (latin1) string compared in place (a verifier checks a million
 * leaves).
 */
export function leafHashOfPartsEquals(
  first: Uint8Array,
  second: Uint8Array,
  expected: Uint8Array,
): boolean {
  if (expected.length !== HASH_SIZE) return false;
  const length = 1 + first.length + second.length;
  if (length > leafInput.length) return bytesEqual(leafHashOfParts(first, second), expected);
  leafInput[0] = 0x00;
  leafInput.set(first, 1);
  leafInput.set(second, 1 + first.length);
  const digest = hash('sha256', leafInput.subarray(0, length), 'binary');
  for (let i = 0; i < HASH_SIZE; i++) if (digest.charCodeAt(i) !== expected[i]) return false;
  return true;
}

/** The hash of an interior node: SHA-256(0x01 || left || right). Both must be 32 bytes. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) {
    throw new AuditError('invalid_argument', 'a node hash needs two 32-byte child hashes');
  }
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_SIZE);
  return sha256(nodeInput);
}

/** Whether two byte strings are equal (hashes are public; no constant time needed). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

function checkSize(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new AuditError('invalid_argument', `${what} must be a non-negative safe integer`);
  }
}

function checkHash(value: Uint8Array, what: string): void {
  if (!(value instanceof Uint8Array) || value.length !== HASH_SIZE) {
    throw new AuditError('invalid_argument', `${what} must be a 32-byte hash`);
  }
}

/** The largest power of two strictly less than `n` (n ≥ 2): the split point k of RFC 9162. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && splitPoint(n + 1) === n;
}

function half(n: number): number {
  return Math.floor(n / 2);
}

function isOdd(n: number): boolean {
  return n % 2 === 1;
}

/** MTH(D[lo:hi]) over leaf hashes, by the recursive definition of RFC 9162 §2.1.1. */
function subtreeHash(leafHashes: readonly Uint8Array[], lo: number, hi: number): Buffer {
  const n = hi - lo;
  if (n === 0) return Buffer.from(EMPTY_ROOT);
  if (n === 1) {
    const only = leafHashes[lo];
    if (only === undefined) throw new AuditError('invalid_argument', 'leaf hash missing');
    checkHash(only, 'a leaf hash');
    return Buffer.from(only);
  }
  const k = splitPoint(n);
  return nodeHash(subtreeHash(leafHashes, lo, lo + k), subtreeHash(leafHashes, lo + k, hi));
}

/**
 * The Merkle tree hash MTH(D[n]) of a list of leaf hashes (not leaves: hash them with
 * {@link leafHash} first). The empty list gives {@link EMPTY_ROOT}.
 */
export function rootHash(leafHashes: readonly Uint8Array[]): Buffer {
  return subtreeHash(leafHashes, 0, leafHashes.length);
}

/**
 * The inclusion proof PATH(m, D[n]) of RFC 9162 §2.1.3.1 for leaf `leafIndex` in the tree of
 * the given leaf hashes, ordered from the leaf's sibling up to the root's child.
 * Costs O(n) hashing; a stored log will serve proofs from stored subtree hashes instead.
 */
export function inclusionProof(leafIndex: number, leafHashes: readonly Uint8Array[]): Buffer[] {
  checkSize(leafIndex, 'leafIndex');
  if (leafIndex >= leafHashes.length) {
    throw new AuditError('invalid_argument', 'leafIndex is not below the tree size');
  }
  const proof: Buffer[] = [];
  const path = (m: number, lo: number, hi: number): void => {
    const n = hi - lo;
    if (n <= 1) return;
    const k = splitPoint(n);
    if (m < k) {
      path(m, lo, lo + k);
      proof.push(subtreeHash(leafHashes, lo + k, hi));
    } else {
      path(m - k, lo + k, hi);
      proof.push(subtreeHash(leafHashes, lo, lo + k));
    }
  };
  path(leafIndex, 0, leafHashes.length);
  return proof;
}

/**
 * The consistency proof PROOF(m, D[n]) of RFC 9162 §2.1.4.1 between the first `size1`
 * leaves and all of `leafHashes` (size2 = its length). Equal sizes give the empty proof;
 * `size1` = 0 is refused, as no proof from the empty tree exists (RFC: 0 < m < n).
 */
export function consistencyProof(size1: number, leafHashes: readonly Uint8Array[]): Buffer[] {
  checkSize(size1, 'size1');
  const size2 = leafHashes.length;
  if (size1 > size2) throw new AuditError('invalid_argument', 'size1 is larger than size2');
  if (size1 === size2) return [];
  if (size1 === 0) {
    throw new AuditError('invalid_argument', 'no consistency proof from the empty tree');
  }
  const proof: Buffer[] = [];
  const subproof = (m: number, lo: number, hi: number, complete: boolean): void => {
    const n = hi - lo;
    if (m === n) {
      if (!complete) proof.push(subtreeHash(leafHashes, lo, hi));
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      subproof(m, lo, lo + k, complete);
      proof.push(subtreeHash(leafHashes, lo + k, hi));
    } else {
      subproof(m - k, lo + k, hi, false);
      proof.push(subtreeHash(leafHashes, lo, lo + k));
    }
  };
  subproof(size1, 0, size2, true);
  return proof;
}

/**
 * Verifies an inclusion proof by the algorithm of RFC 9162 §2.1.3.2 and throws an
 * {@link AuditError} (`invalid_argument` or `invalid_proof`) unless `leafHash` is the leaf
 * at `leafIndex` of the tree of `treeSize` leaves with root `root`. All hashes must be
 * 32 bytes; the proof must have exactly the length the tree shape demands.
 */
export function assertInclusion(
  leafIndex: number,
  treeSize: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  checkSize(leafIndex, 'leafIndex');
  checkSize(treeSize, 'treeSize');
  if (leafIndex >= treeSize) {
    throw new AuditError('invalid_argument', 'leafIndex is not below treeSize');
  }
  checkHash(leafHash, 'leafHash');
  checkHash(root, 'root');
  for (const p of proof) checkHash(p, 'each proof element');

  let fn = leafIndex;
  let sn = treeSize - 1;
  let r: Uint8Array = leafHash;
  for (const p of proof) {
    if (sn === 0) throw new AuditError('invalid_proof', 'the inclusion proof is too long');
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      // Skip the levels where our node is a right-edge node without a sibling.
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new AuditError('invalid_proof', 'the inclusion proof is too short');
  if (!bytesEqual(r, root)) {
    throw new AuditError('invalid_proof', 'the inclusion proof does not lead to the root');
  }
}

/** {@link assertInclusion} as a predicate: true when the proof verifies, false otherwise. */
export function verifyInclusion(
  leafIndex: number,
  treeSize: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  return succeeds(() => {
    assertInclusion(leafIndex, treeSize, leafHash, proof, root);
  });
}

/**
 * Verifies a consistency proof by the algorithm of RFC 9162 §2.1.4.2 and throws an
 * {@link AuditError} unless the tree of `size2` leaves with root `root2` extends the tree
 * of `size1` leaves with root `root1`.
 *
 * Edge cases, as the RFC 9162 test vectors demand: size1 > size2 fails; equal sizes need
 * an empty proof and equal roots, and for size 0 both roots must be {@link EMPTY_ROOT};
 * size1 = 0 < size2 always fails, since the RFC defines no such proof and accepting one
 * would vouch for any root2.
 */
export function assertConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  checkSize(size1, 'size1');
  checkSize(size2, 'size2');
  if (size1 > size2) throw new AuditError('invalid_argument', 'size1 is larger than size2');
  if (size1 === size2) {
    if (proof.length !== 0) {
      throw new AuditError('invalid_proof', 'trees of equal size need an empty proof');
    }
    if (size1 === 0 && !bytesEqual(root1, EMPTY_ROOT)) {
      throw new AuditError('invalid_proof', 'the root of the empty tree is wrong');
    }
    if (!bytesEqual(root1, root2)) {
      throw new AuditError('invalid_proof', 'trees of equal size have different roots');
    }
    return;
  }
  if (size1 === 0) {
    throw new AuditError('invalid_argument', 'no consistency proof from the empty tree');
  }
  if (proof.length === 0) throw new AuditError('invalid_proof', 'the consistency proof is empty');
  checkHash(root1, 'root1');
  checkHash(root2, 'root2');
  for (const p of proof) checkHash(p, 'each proof element');

  // A first tree of 2^k leaves is itself a node of the second tree: its root starts the path.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  const start = path[0];
  if (start === undefined) throw new AuditError('invalid_proof', 'the consistency proof is empty');
  let fr: Uint8Array = start;
  let sr: Uint8Array = start;
  for (let i = 1; i < path.length; i++) {
    const c = path[i] as Uint8Array;
    if (sn === 0) throw new AuditError('invalid_proof', 'the consistency proof is too long');
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new AuditError('invalid_proof', 'the consistency proof is too short');
  if (!bytesEqual(fr, root1)) {
    throw new AuditError('invalid_proof', 'the consistency proof does not lead to root1');
  }
  if (!bytesEqual(sr, root2)) {
    throw new AuditError('invalid_proof', 'the consistency proof does not lead to root2');
  }
}

/** {@link assertConsistency} as a predicate: true when the proof verifies, false otherwise. */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): boolean {
  return succeeds(() => {
    assertConsistency(size1, size2, proof, root1, root2);
  });
}

function succeeds(check: () => void): boolean {
  try {
    check();
    return true;
  } catch (error) {
    if (error instanceof AuditError) return false;
    throw error;
  }
}
