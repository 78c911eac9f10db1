import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AuditError, type AuditErrorReason } from '../../src/audit/AuditError.ts';
import {
  EMPTY_ROOT,
  assertConsistency,
  assertInclusion,
  consistencyProof,
  inclusionProof,
  leafHash,
  nodeHash,
  rootHash,
  sha256,
  verifyConsistency,
  verifyInclusion,
} from '../../src/audit/merkle.ts';

function isAuditError(reason: AuditErrorReason) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof AuditError, `expected an AuditError, got ${String(error)}`);
    assert.equal(error.reason, reason);
    return true;
  };
}

/** The eight leaves of the RFC 6962 reference tree used by the CT and Trillian test suites. */
const REFERENCE_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map((hex) => leafHash(Buffer.from(hex, 'hex')));

/** Their roots for tree sizes 1 to 8. */
const REFERENCE_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

const LEAVES = Array.from({ length: 64 }, (_, i) => leafHash(Buffer.from(`event ${i}`)));

function flipBit(hash: Buffer): Buffer {
  const copy = Buffer.from(hash);
  copy[7] = (copy[7] ?? 0) ^ 0x10;
  return copy;
}

describe('Merkle tree hashing (RFC 9162 §2.1.1)', () => {
  test('leaf and node hashes are domain-separated SHA-256 with 0x00 and 0x01 prefixes', () => {
    const leaf = Buffer.from('hello');
    assert.deepEqual(leafHash(leaf), sha256(Buffer.concat([Buffer.of(0), leaf])));
    const [a, b] = [sha256(Buffer.from('a')), sha256(Buffer.from('b'))];
    assert.deepEqual(nodeHash(a, b), sha256(Buffer.concat([Buffer.of(1), a, b])));
    assert.notDeepEqual(nodeHash(a, b), nodeHash(b, a));
  });

  test('the empty tree has the SHA-256 of the empty string as its root', () => {
    assert.equal(
      rootHash([]).toString('hex'),
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    assert.deepEqual(EMPTY_ROOT, rootHash([]));
  });

  test('the reference tree has the published roots for every size from 1 to 8', () => {
    REFERENCE_ROOTS.forEach((root, i) => {
      assert.equal(rootHash(REFERENCE_LEAVES.slice(0, i + 1)).toString('hex'), root);
    });
  });

  test('a node hash refuses children that are not 32 bytes', () => {
    assert.throws(
      () => nodeHash(Buffer.alloc(31), Buffer.alloc(32)),
      isAuditError('invalid_argument'),
    );
  });
});

describe('Merkle proofs generated from a tree', () => {
  test('every inclusion proof verifies, for every leaf of every tree up to 64 leaves', () => {
    for (let n = 1; n <= 64; n++) {
      const leaves = LEAVES.slice(0, n);
      const root = rootHash(leaves);
      for (let i = 0; i < n; i++) {
        const proof = inclusionProof(i, leaves);
        assertInclusion(i, n, leaves[i] as Buffer, proof, root);
      }
    }
  });

  test('every consistency proof verifies, for every pair of sizes 1 ≤ m ≤ n ≤ 64', () => {
    const roots = Array.from({ length: 65 }, (_, n) => rootHash(LEAVES.slice(0, n)));
    for (let n = 1; n <= 64; n++) {
      const leaves = LEAVES.slice(0, n);
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(m, leaves);
        assertConsistency(m, n, proof, roots[m] as Buffer, roots[n] as Buffer);
      }
    }
  });

  test('an inclusion proof fails for another leaf, index, tree shape, root or a flipped bit', () => {
    const leaves = LEAVES.slice(0, 13);
    const root = rootHash(leaves);
    const leaf = leaves[5] as Buffer;
    const proof = inclusionProof(5, leaves);
    assert.equal(verifyInclusion(5, 13, leaf, proof, root), true);
    assert.equal(verifyInclusion(5, 13, leaves[6] as Buffer, proof, root), false);
    assert.equal(verifyInclusion(4, 13, leaf, proof, root), false);
    // Sizes that give the leaf another path shape; sizes with the same shape (9 to 16) are
    // not distinguishable by the proof alone: the signed root binds the size.
    assert.equal(verifyInclusion(5, 8, leaf, proof, root), false);
    assert.equal(verifyInclusion(5, 17, leaf, proof, root), false);
    assert.equal(verifyInclusion(5, 13, leaf, proof, rootHash(leaves.slice(0, 12))), false);
    for (let k = 0; k < proof.length; k++) {
      const tampered = proof.map((p, j) => (j === k ? flipBit(p) : p));
      assert.equal(verifyInclusion(5, 13, leaf, tampered, root), false);
    }
    assert.equal(verifyInclusion(5, 13, leaf, proof.slice(1), root), false);
    assert.equal(verifyInclusion(5, 13, leaf, [...proof, root], root), false);
  });

  test('a consistency proof fails for swapped roots, sizes of another shape or a flipped bit', () => {
    const leaves = LEAVES.slice(0, 21);
    const [root1, root2] = [rootHash(leaves.slice(0, 7)), rootHash(leaves)];
    const proof = consistencyProof(7, leaves);
    assert.equal(verifyConsistency(7, 21, proof, root1, root2), true);
    assert.equal(verifyConsistency(7, 21, proof, root2, root1), false);
    assert.equal(verifyConsistency(6, 21, proof, root1, root2), false);
    assert.equal(verifyConsistency(8, 21, proof, root1, root2), false);
    assert.equal(verifyConsistency(7, 16, proof, root1, root2), false);
    assert.equal(verifyConsistency(7, 33, proof, root1, root2), false);
    for (let k = 0; k < proof.length; k++) {
      const tampered = proof.map((p, j) => (j === k ? flipBit(p) : p));
      assert.equal(verifyConsistency(7, 21, tampered, root1, root2), false);
    }
  });

  test('a rewritten history is not consistent with the earlier root', () => {
    const leaves = LEAVES.slice(0, 20);
    const root1 = rootHash(leaves.slice(0, 10));
    const rewritten = leaves.map((leaf, i) => (i === 3 ? leafHash(Buffer.from('forged')) : leaf));
    const proof = consistencyProof(10, rewritten);
    assert.throws(() => {
      assertConsistency(10, 20, proof, root1, rootHash(rewritten));
    }, isAuditError('invalid_proof'));
  });
});

describe('Merkle proof arguments', () => {
  test('proof generation refuses indexes and sizes outside the tree', () => {
    const leaves = LEAVES.slice(0, 4);
    assert.throws(() => inclusionProof(4, leaves), isAuditError('invalid_argument'));
    assert.throws(() => inclusionProof(-1, leaves), isAuditError('invalid_argument'));
    assert.throws(() => inclusionProof(1.5, leaves), isAuditError('invalid_argument'));
    assert.throws(() => consistencyProof(5, leaves), isAuditError('invalid_argument'));
    assert.throws(() => consistencyProof(0, leaves), isAuditError('invalid_argument'));
    assert.deepEqual(consistencyProof(4, leaves), []);
  });

  test('verification refuses sizes that are not safe integers and hashes that are not 32 bytes', () => {
    const leaves = LEAVES.slice(0, 4);
    const root = rootHash(leaves);
    const proof = inclusionProof(1, leaves);
    const leaf = leaves[1] as Buffer;
    assert.throws(() => {
      assertInclusion(1, 2 ** 53, leaf, proof, root);
    }, isAuditError('invalid_argument'));
    assert.throws(() => {
      assertInclusion(1, 4, leaf.subarray(1), proof, root);
    }, isAuditError('invalid_argument'));
    assert.throws(() => {
      assertInclusion(1, 4, leaf, proof, Buffer.concat([root, Buffer.of(0)]));
    }, isAuditError('invalid_argument'));
    assert.throws(() => {
      assertConsistency(3, 2, [], root, root);
    }, isAuditError('invalid_argument'));
    assert.throws(() => {
      assertConsistency(0, 4, [], EMPTY_ROOT, root);
    }, isAuditError('invalid_argument'));
  });

  test('equal sizes are consistent only with an empty proof and equal roots', () => {
    const root = rootHash(LEAVES.slice(0, 3));
    assert.equal(verifyConsistency(3, 3, [], root, root), true);
    assert.equal(verifyConsistency(3, 3, [root], root, root), false);
    assert.equal(verifyConsistency(3, 3, [], root, flipBit(root)), false);
    assert.equal(verifyConsistency(0, 0, [], EMPTY_ROOT, EMPTY_ROOT), true);
    assert.equal(verifyConsistency(0, 0, [], root, root), false);
  });

  test('proofs verify for leaf indexes beyond 2^32, where 32-bit shifts would break', () => {
    // A tree of 2^33 + 5 leaves, all equal: perfect subtree roots are hashes of hashes.
    const leaf = leafHash(Buffer.from('x'));
    const perfect = [leaf];
    for (let h = 1; h <= 33; h++)
      perfect.push(nodeHash(perfect[h - 1] as Buffer, perfect[h - 1] as Buffer));
    const tail5 = nodeHash(perfect[2] as Buffer, leaf);
    const size = 2 ** 33 + 5;
    const root = nodeHash(perfect[33] as Buffer, tail5);
    // The last leaf: sibling is the 4-leaf subtree, then the 2^33 subtree on the left.
    assertInclusion(size - 1, size, leaf, [perfect[2] as Buffer, perfect[33] as Buffer], root);
    assert.equal(
      verifyInclusion(size - 2, size, leaf, [perfect[2] as Buffer, perfect[33] as Buffer], root),
      false,
    );
  });
});

describe('leaf hashing of large leaves', () => {
  test('a leaf larger than the shared input buffer hashes the same as a small one would', () => {
    const big = Buffer.alloc(100_000, 7);
    assert.deepEqual(leafHash(big), sha256(Buffer.concat([Buffer.of(0), big])));
    assert.deepEqual(leafHash(Buffer.of(7)), sha256(Buffer.of(0, 7)));
  });
});
