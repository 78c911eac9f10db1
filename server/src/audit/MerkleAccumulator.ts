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

/**
 * An append-only RFC 9162 Merkle tree that keeps only the roots of its perfect subtrees:
 * appending costs amortised one node hash (at most log2 n) and the root costs at most log2 n
 * node hashes, so the whole log can be verified in one streaming pass without holding it.
 *
 * Why it is the same root as {@link rootHash}: MTH splits n leaves at the largest power of
 * two below n, so the tree is the right fold H(P1, H(P2, … Pk)) of the perfect subtrees
 * whose sizes are the binary digits of n, largest first — exactly the stack kept here.
 */
export class MerkleAccumulator {
  #size = 0;
  /** Perfect subtree roots, largest first; their sizes are the set bits of #size. */
  readonly #stack: Buffer[] = [];

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
      accumulator.#stack.push(Buffer.from(root));
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
    if (this.#size === Number.MAX_SAFE_INTEGER) {
      throw new AuditError('invalid_argument', 'the tree is full');
    }
    // Each trailing 1 bit of the old size is a perfect subtree of the new leaf's size,
    // so it merges with the new node, like a carry in binary addition.
    let node: Buffer | null = null;
    let carry = this.#size;
    while (carry % 2 === 1) {
      const left = this.#stack.pop();
      if (left === undefined) throw new Error('MerkleAccumulator stack underflow');
      node = nodeHash(left, node ?? leafHash);
      carry = (carry - 1) / 2;
    }
    // Copy a leaf kept as is, so the caller may reuse its buffer.
    this.#stack.push(node ?? Buffer.from(leafHash));
    this.#size += 1;
  }

  /** The RFC 9162 root hash of the leaves appended so far; EMPTY_ROOT when there are none. */
  root(): Buffer {
    let index = this.#stack.length - 1;
    let root = this.#stack[index];
    if (root === undefined) return Buffer.from(EMPTY_ROOT);
    for (index -= 1; index >= 0; index -= 1) {
      root = nodeHash(this.#stack[index] as Buffer, root);
    }
    return Buffer.from(root);
  }

  /** The current size and perfect subtree roots, to persist and restore with `fromState`. */
  state(): AccumulatorState {
    return { size: this.#size, subtreeRoots: this.#stack.map((root) => Buffer.from(root)) };
  }
}
