import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AuditError } from '../../src/audit/AuditError.ts';
import {
  SALT_SIZE,
  auditLeafHash,
  canonicalBytes,
  canonicalJson,
  createAuditLeaf,
  newSalt,
} from '../../src/audit/leaf.ts';
import { assertInclusion, inclusionProof, leafHash, rootHash } from '../../src/audit/merkle.ts';

function isNotCanonical(error: unknown): boolean {
  assert.ok(error instanceof AuditError, `expected an AuditError, got ${String(error)}`);
  assert.equal(error.reason, 'not_canonical');
  return true;
}

describe('canonicalJson', () => {
  test('equal objects give the same text whatever the key order, at every depth', () => {
    const a = {
      time: 1700000000000,
      actor: 'p:7f3a',
      details: { b: [1, { y: 2, x: 1 }], a: null },
    };
    const b = {
      details: { a: null, b: [1, { x: 1, y: 2 }] },
      actor: 'p:7f3a',
      time: 1700000000000,
    };
    assert.equal(canonicalJson(a), canonicalJson(b));
    assert.equal(
      canonicalJson(a),
      '{"actor":"p:7f3a","details":{"a":null,"b":[1,{"x":1,"y":2}]},"time":1700000000000}',
    );
  });

  test('keys are sorted by UTF-16 code units as in the RFC 8785 example', () => {
    const value = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // Object.keys would list "1" first (integer keys), so check the text itself.
    const order = ['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33'];
    const expected = order.map(
      (key) => `${JSON.stringify(key)}:${JSON.stringify(value[key as keyof typeof value])}`,
    );
    assert.equal(canonicalJson(value), `{${expected.join(',')}}`);
    assert.ok(canonicalJson(value).startsWith('{"\\r":"Carriage Return","1":"One"'));
  });

  test('scalars and strings are written as JSON without whitespace', () => {
    assert.equal(
      canonicalJson([null, true, false, 0, -42, 'a"b\\\n\u0001é']),
      '[null,true,false,0,-42,"a\\"b\\\\\\n\\u0001é"]',
    );
    assert.equal(canonicalJson({}), '{}');
    assert.equal(canonicalJson([]), '[]');
    assert.deepEqual(canonicalBytes({ k: 'ü' }), Buffer.from('{"k":"ü"}', 'utf8'));
  });

  test('values that are not plain JSON are refused instead of being dropped or coerced', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    const refused: unknown[] = [
      undefined,
      { a: undefined },
      [1, undefined],
      // eslint-disable-next-line no-sparse-arrays -- a hole is what is being refused
      [1, , 3],
      () => 1,
      Symbol('s'),
      10n,
      Number.NaN,
      Infinity,
      -Infinity,
      1.5,
      -0,
      2 ** 53,
      new Date(0),
      new Map(),
      { [Symbol('k')]: 1 },
      'lone \ud800 surrogate',
      { '\udc00': 1 },
      cyclic,
      deep,
    ];
    for (const value of refused) {
      assert.throws(() => canonicalJson(value), isNotCanonical, `${typeof value} refused`);
    }
  });

  test('a refusal names the path of the offending value but not its content', () => {
    assert.throws(
      () => canonicalJson({ details: { list: [1, 2.5] } }),
      (error: unknown) => {
        assert.ok(error instanceof AuditError);
        assert.match(error.message, /\$\.details\.list\[1\]/);
        assert.doesNotMatch(error.message, /2\.5/);
        return true;
      },
    );
  });

  test('objects without a prototype and the largest safe integers are accepted', () => {
    const bare = Object.assign(Object.create(null) as object, { b: 1, a: Number.MAX_SAFE_INTEGER });
    assert.equal(canonicalJson(bare), `{"a":${Number.MAX_SAFE_INTEGER},"b":1}`);
  });
});

describe('audit leaves', () => {
  const event = { action: 'meeting.joined', actor: 'p:1', meeting: 'm:9', outcome: 'ok' };

  test('the leaf hash is SHA-256 of 0x00, the salt and the canonical event bytes', () => {
    const salt = newSalt();
    const bytes = canonicalBytes(event);
    assert.equal(salt.length, SALT_SIZE);
    assert.deepEqual(auditLeafHash(salt, bytes), leafHash(Buffer.concat([salt, bytes])));
  });

  test('the same event hashes differently under different salts', () => {
    const bytes = canonicalBytes(event);
    const a = auditLeafHash(Buffer.alloc(32, 1), bytes);
    const b = auditLeafHash(Buffer.alloc(32, 2), bytes);
    assert.notDeepEqual(a, b);
    assert.notDeepEqual(createAuditLeaf(event).leafHash, createAuditLeaf(event).leafHash);
  });

  test('a salt that is not 32 bytes is refused', () => {
    assert.throws(
      () => auditLeafHash(Buffer.alloc(16), canonicalBytes(event)),
      (error: unknown) => error instanceof AuditError && error.reason === 'invalid_argument',
    );
  });

  test('a stored leaf is recomputed from its salt and bytes; a changed field changes it', () => {
    const leaf = createAuditLeaf(event);
    assert.deepEqual(auditLeafHash(leaf.salt, leaf.bytes), leaf.leafHash);
    const altered = canonicalBytes({ ...event, outcome: 'denied' });
    assert.notDeepEqual(auditLeafHash(leaf.salt, altered), leaf.leafHash);
  });

  test('erasing an event’s salt and content keeps the proofs of every event valid', () => {
    const leaves = Array.from({ length: 11 }, (_, i) => createAuditLeaf({ ...event, seq: i }));
    const hashes = leaves.map((leaf) => leaf.leafHash);
    const root = rootHash(hashes);
    // Retention erases event 4: only its leaf hash stays, the tree is unchanged.
    const stored = leaves.map((leaf, i) => (i === 4 ? { leafHash: leaf.leafHash } : leaf));
    const kept = stored.map((leaf) => leaf.leafHash);
    assert.deepEqual(rootHash(kept), root);
    for (let i = 0; i < kept.length; i++) {
      assertInclusion(i, kept.length, kept[i] as Buffer, inclusionProof(i, kept), root);
    }
  });
});
