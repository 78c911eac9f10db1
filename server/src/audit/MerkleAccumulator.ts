import { hash } from 'node:crypto';
import { AuditError } from './AuditError.ts';
import { EMPTY_ROOT, HASH_SIZE, nodeHash } from './merkle.ts';

/**
 * The state that restores an accumulator without its leaves: the tree size and the roots of
 * the perfect subtrees that make up the tree, largest (leftmost) first, one per set bit of
 * `size` (a "compact range" of [0, size)).
 */
export interface AccumulatorState {
  readonly size: number;
  readonly subtreeRoots: readonly Buffer[];
}

function popCount(n: number): number {
  let count = 0;
  for (let rest = n; rest > 0; rest = Math.floor(rest / 2)) count += rest % 2;
  return count;
}

/** Enough levels for any safe-integer size (< 2^53): one subtree root per set bit. */
const MAX_LEVELS = 53;

/**
 * An append-only RFC 9162 Merkle tree that keeps only the roots of its perfect subtrees:
 * appending costs amortised one node hash (at most log2 n) and the root costs at most log2 n
 * node hashes, so the whole log can be verified in one streaming pass without holding it.
 *
 * Why it is the same root as {@link rootHash}: MTH splits n leaves at the largest power of
 * two below n, so the tree is the right fold H(P1, H(P2, … Pk)) of the perfect subtrees
 * whose sizes are the binary digits of n, largest first — exactly the stack kept here.
 *
 * The stack lives in one buffer and node hashes are written into it in place, so appending
 * allocates nothing: a verifier appends a million leaves.
 */
export class MerkleAccumulator {
  #size = 0;
  /** Perfect subtree roots, largest first, 32 bytes each; their sizes are the set bits of #size. */
  readonly #stack = Buffer.alloc(MAX_LEVELS * HASH_SIZE);
  /** The number of roots on #stack. */
  #depth = 0;

  /** An accumulator over the given leaf hashes (replays them: O(n) hashing). */
  static fromLeafHashes(leafHashes: Iterable<Uint8Array>): MerkleAccumulator {
    const accumulator = new MerkleAccumulator();
    for (const leaf of leafHashes) accumulator.append(leaf);
    return accumulator;
  }

  /** An accumulator from a state saved with {@link MerkleAccumulator.state}, without replay. */
  static fromState(state: AccumulatorState): MerkleAccumulator {
    const { size, subtreeRoots } = state;
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new AuditError('invalid_argument', 'the accumulator size is not a safe integer');
    }
    if (subtreeRoots.length !== popCount(size)) {
      throw new AuditError('invalid_argument', 'one subtree root per set bit of size is needed');
    }
    const accumulator = new MerkleAccumulator();
    for (const root of subtreeRoots) {
      if (root.length !== HASH_SIZE) {
        throw new AuditError('invalid_argument', 'subtree roots must be 32-byte hashes');
      }
      accumulator.#stack.set(root, accumulator.#depth * HASH_SIZE);
      accumulator.#depth += 1;
    }
    accumulator.#size = size;
    return accumulator;
  }

  /** The number of leaves appended so far. */
  get size(): number {
    return this.#size;
  }

  /** Appends one leaf hash (32 bytes; hash the leaf with `leafHash` first). */
  append(leafHash: Uint8Array): void {
    if (leafHash.length !== HASH_SIZE) {
      throw new AuditError('invalid_argument', 'a leaf hash must be 32 bytes');
    }
    this.#append(leafHash, 0);
  }

  /**
   * Appends the leaf hash at `bytes[offset, offset + 32)`, e.g. where a page read from the
   * database holds it, without making a view of it.
   */
  appendAt(bytes: Uint8Array, offset: number): void {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset + HASH_SIZE > bytes.length) {
      throw new AuditError('invalid_argument', 'a leaf hash must be 32 bytes');
    }
    this.#append(bytes, offset);
  }

  /** The RFC 9162 root hash of the leaves appended so far; EMPTY_ROOT when there are none. */
  root(): Buffer {
    if (this.#depth === 0) return Buffer.from(EMPTY_ROOT);
    let index = this.#depth - 1;
    let root: Uint8Array = this.#stack.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE);
    for (index -= 1; index >= 0; index -= 1) {
      root = nodeHash(this.#stack.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE), root);
    }
    return Buffer.from(root);
  }

  /** The current size and perfect subtree roots, to persist and restore with `fromState`. */
  state(): AccumulatorState {
    const subtreeRoots: Buffer[] = [];
    for (let index = 0; index < this.#depth; index++) {
      subtreeRoots.push(
        Buffer.from(this.#stack.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE)),
      );
    }
    return { size: this.#size, subtreeRoots };
  }

  #append(bytes: Uint8Array, offset: number): void {
    if (this.#size === Number.MAX_SAFE_INTEGER) {
      throw new AuditError('invalid_argument', 'the tree is full');
    }
    const stack = this.#stack;
    // Each trailing 1 bit of the old size is a perfect subtree of the new leaf's size,
    // so it merges with the new node, like a carry in binary addition. The new node waits
    // in nodeInput's right half; each merge hashes the top of the stack beside it.
    let carry = this.#size;
    if (carry % 2 === 0) {
      copy32(bytes, offset, stack, this.#depth * HASH_SIZE);
    } else {
      copy32(bytes, offset, nodeInput, 1 + HASH_SIZE);
      for (;;) {
        this.#depth -= 1;
        copy32(stack, this.#depth * HASH_SIZE, nodeInput, 1);
        // A 'binary' (latin1) digest written into place costs no allocation (merkle.ts sha256).
        const digest = hash('sha256', nodeInput, 'binary');
        carry = (carry - 1) / 2;
        if (carry % 2 === 0) {
          stack.write(digest, this.#depth * HASH_SIZE, HASH_SIZE, 'latin1');
          break;
        }
        nodeInput.write(digest, 1 + HASH_SIZE, HASH_SIZE, 'latin1');
      }
    }
    this.#depth += 1;
    this.#size += 1;
  }
}

/** `0x01 || left || right`, the input of a node hash, reused (hashing is synchronous). */
const nodeInput = Buffer.alloc(1 + 2 * HASH_SIZE);
nodeInput[0] = 0x01;

/** Copies 32 bytes; a loop beats a native call at this size. */
function copy32(from: Uint8Array, fromOffset: number, to: Uint8Array, toOffset: number): void {
  for (let i = 0; i < HASH_SIZE; i++) to[toOffset + i] = from[fromOffset + i] as number;
}
