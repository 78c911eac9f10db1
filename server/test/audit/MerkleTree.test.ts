import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AuditError } from '../../src/audit/AuditError.ts';
import {
  consistencyProof,
  EMPTY_ROOT,
  inclusionProof,
  leafHash,
  rootHash,
  verifyConsistency,
  verifyInclusion,
} from '../../src/audit/merkle.ts';
import { MerkleTree } from '../../src/audit/MerkleTree.ts';

const LEAVES = Array.from({ length: 70 }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));
const tree = new MerkleTree(Buffer.concat(LEAVES));

describe('MerkleTree', () => {
  test('the root of every prefix equals the reference tree hash', () => {
    assert.deepEqual(new MerkleTree(Buffer.alloc(0)).root(), EMPTY_ROOT);
    for (let size = 0; size <= LEAVES.length; size++) {
      assert.deepEqual(tree.root(size), rootHash(LEAVES.slice(0, size)), `size ${size}`);
    }
  });

  test('inclusion proofs equal the reference ones for every leaf of every size and verify', () => {
    for (let size = 1; size <= LEAVES.length; size++) {
      const prefix = LEAVES.slice(0, size);
      const root = rootHash(prefix);
      for (let index = 0; index < size; index++) {
        const proof = tree.inclusionProof(index, size);
        assert.deepEqual(proof, inclusionProof(index, prefix), `leaf ${index} of ${size}`);
        assert.ok(verifyInclusion(index, size, LEAVES[index] as Buffer, proof, root));
      }
    }
  });

  test('consistency proofs equal the reference ones for every pair of sizes and verify', () => {
    for (let size2 = 1; size2 <= LEAVES.length; size2++) {
      const prefix = LEAVES.slice(0, size2);
      for (let size1 = 1; size1 <= size2; size1++) {
        const proof = tree.consistencyProof(size1, size2);
        assert.deepEqual(proof, consistencyProof(size1, prefix), `${size1} → ${size2}`);
        assert.ok(verifyConsistency(size1, size2, proof, tree.root(size1), tree.root(size2)));
      }
    }
  });

  test('sizes and indexes beyond the tree are refused', () => {
    const refused = (error: unknown) =>
      error instanceof AuditError && error.reason === 'invalid_argument';
    assert.throws(() => tree.root(71), refused);
    assert.throws(() => tree.inclusionProof(5, 5), refused);
    assert.throws(() => tree.consistencyProof(0, 5), refused);
    assert.throws(() => tree.consistencyProof(6, 5), refused);
    assert.throws(() => new MerkleTree(Buffer.alloc(33)), refused);
  });
});
