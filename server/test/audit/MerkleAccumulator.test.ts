import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AuditError } from '../../src/audit/AuditError.ts';
import { MerkleAccumulator } from '../../src/audit/MerkleAccumulator.ts';
import { EMPTY_ROOT, leafHash, rootHash } from '../../src/audit/merkle.ts';

const LEAVES = Array.from({ length: 300 }, (_, i) => leafHash(Buffer.from(`event ${i}`)));

function isInvalidArgument(error: unknown): boolean {
  assert.ok(error instanceof AuditError, `expected an AuditError, got ${String(error)}`);
  assert.equal(error.reason, 'invalid_argument');
  return true;
}

describe('MerkleAccumulator', () => {
  test('an empty accumulator has the empty root and size 0', () => {
    const accumulator = new MerkleAccumulator();
    assert.equal(accumulator.size, 0);
    assert.deepEqual(accumulator.root(), EMPTY_ROOT);
  });

  test('after every append up to 300 leaves its root equals the recomputed tree root', () => {
    const accumulator = new MerkleAccumulator();
    for (let n = 1; n <= LEAVES.length; n++) {
      accumulator.append(LEAVES[n - 1] as Buffer);
      assert.equal(accumulator.size, n);
      assert.deepEqual(accumulator.root(), rootHash(LEAVES.slice(0, n)), `size ${n}`);
    }
  });

  test('it keeps one subtree root per set bit of the size', () => {
    const accumulator = MerkleAccumulator.fromLeafHashes(LEAVES.slice(0, 0b1011001));
    assert.equal(accumulator.state().subtreeRoots.length, 4);
  });

  test('restored from leaf hashes it has the same root and keeps growing like the original', () => {
    for (const n of [0, 1, 2, 3, 7, 8, 9, 100, 255, 256, 299]) {
      const restored = MerkleAccumulator.fromLeafHashes(LEAVES.slice(0, n));
      assert.deepEqual(restored.root(), rootHash(LEAVES.slice(0, n)));
      restored.append(LEAVES[n] as Buffer);
      assert.deepEqual(restored.root(), rootHash(LEAVES.slice(0, n + 1)));
    }
  });

  test('restored from a saved state it continues with the same roots as the original', () => {
    const original = new MerkleAccumulator();
    for (let n = 0; n < 150; n++) original.append(LEAVES[n] as Buffer);
    const restored = MerkleAccumulator.fromState(original.state());
    assert.equal(restored.size, 150);
    for (let n = 150; n < LEAVES.length; n++) {
      original.append(LEAVES[n] as Buffer);
      restored.append(LEAVES[n] as Buffer);
      assert.deepEqual(restored.root(), original.root());
    }
    assert.deepEqual(restored.root(), rootHash(LEAVES));
  });

  test('a state whose subtree count does not fit its size is refused', () => {
    const { subtreeRoots } = MerkleAccumulator.fromLeafHashes(LEAVES.slice(0, 6)).state();
    assert.throws(() => MerkleAccumulator.fromState({ size: 7, subtreeRoots }), isInvalidArgument);
    assert.throws(
      () => MerkleAccumulator.fromState({ size: -1, subtreeRoots: [] }),
      isInvalidArgument,
    );
    assert.throws(
      () => MerkleAccumulator.fromState({ size: 1, subtreeRoots: [Buffer.alloc(31)] }),
      isInvalidArgument,
    );
  });

  test('a leaf hash that is not 32 bytes is refused and leaves the accumulator unchanged', () => {
    const accumulator = MerkleAccumulator.fromLeafHashes(LEAVES.slice(0, 3));
    assert.throws(() => {
      accumulator.append(Buffer.alloc(33));
    }, isInvalidArgument);
    assert.equal(accumulator.size, 3);
    assert.deepEqual(accumulator.root(), rootHash(LEAVES.slice(0, 3)));
  });

  test('reusing the appended buffer afterwards does not change the root', () => {
    const accumulator = new MerkleAccumulator();
    const scratch = Buffer.from(LEAVES[0] as Buffer);
    accumulator.append(scratch);
    scratch.fill(0);
    assert.deepEqual(accumulator.root(), LEAVES[0]);
  });
});
