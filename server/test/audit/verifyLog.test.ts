import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { formatVerifierKey, signCheckpoint } from '../../src/audit/checkpoint.ts';
import { eventClassOf, eventContent, type AuditRow } from '../../src/audit/events.ts';
import { auditLeafHash, auditLeafMatches, createAuditLeaf } from '../../src/audit/leaf.ts';
import { rootHash } from '../../src/audit/merkle.ts';
import { verifyLog } from '../../src/audit/verifyLog.ts';
import { sampleEvent } from './auditFixture.ts';

const ORIGIN = 'unit.test/audit';
const keys = generateKeyPairSync('ed25519');
const signer = { name: ORIGIN, privateKey: keys.privateKey };
const verifierKey = formatVerifierKey(ORIGIN, keys.publicKey);
const TIME = new Date(Date.UTC(2030, 5, 1));

/** A well-formed stored event. */
function row(seq: number): AuditRow {
  const input = sampleEvent(seq);
  const source = '198.51.100.0/24';
  const leaf = createAuditLeaf(eventContent(seq, TIME, input, source));
  return {
    seq,
    recordedAt: TIME.toISOString(),
    action: input.action,
    actorKind: input.actor.kind,
    actorId: input.actor.id,
    target: input.target ?? null,
    meetingId: input.meetingId ?? null,
    outcome: input.outcome,
    source,
    eventClass: eventClassOf(input.action),
    content: leaf.bytes,
    salt: leaf.salt,
    leafHash: leaf.leafHash,
    erasedAt: null,
  };
}

function checkpointOf(rows: readonly AuditRow[], size = rows.length, origin = ORIGIN): string {
  const root = rootHash(rows.slice(0, size).map((r) => r.leafHash));
  return signCheckpoint({ origin, treeSize: size, rootHash: root }, { ...signer, name: ORIGIN });
}

const LOG = Array.from({ length: 12 }, (_, i) => row(i));

describe('auditLeafMatches', () => {
  test('it agrees with auditLeafHash, for small leaves and for ones beyond the shared buffer', () => {
    for (const size of [0, 1, 300, 20_000]) {
      const salt = randomBytes(32);
      const content = randomBytes(size);
      const leaf = auditLeafHash(salt, content);
      assert.equal(auditLeafMatches(salt, content, leaf), true, `size ${String(size)}`);
      const other = Buffer.from(leaf);
      other[31] = (other[31] ?? 0) ^ 1;
      assert.equal(auditLeafMatches(salt, content, other), false);
      assert.equal(auditLeafMatches(salt, content, leaf.subarray(0, 31)), false);
    }
  });
});

describe('verifyLog', () => {
  test('a complete log with checkpoints verifies and reports size, count and root', async () => {
    const result = await verifyLog(LOG, {
      verifierKey,
      checkpoints: [checkpointOf(LOG, 12), checkpointOf(LOG, 5), checkpointOf(LOG, 0)],
    });
    assert.deepEqual(result, {
      ok: true,
      size: 12,
      checkpoints: 3,
      sealedSize: 12,
      rootHash: rootHash(LOG.map((r) => r.leafHash)).toString('base64'),
    });
  });

  test('events after the last checkpoint verify but are reported as not yet sealed', async () => {
    const result = await verifyLog(LOG, { verifierKey, checkpoints: [checkpointOf(LOG, 7)] });
    assert.equal(result.ok && result.sealedSize, 7);
  });

  test('rows from an async source (a database cursor) verify the same way', async () => {
    async function* stream() {
      for (const r of LOG) yield await Promise.resolve(r);
    }
    const result = await verifyLog(stream(), { verifierKey, checkpoints: [checkpointOf(LOG)] });
    assert.equal(result.ok, true);
  });

  test('events with quotes and backslashes in their columns verify', async () => {
    const quoted = [0, 1, 2].map((seq) => {
      const input = sampleEvent(seq, {
        target: 'say "hi" \\ bye',
        actor: { kind: 'user', id: 'u"1' },
      });
      const leaf = createAuditLeaf(eventContent(seq, TIME, input, undefined));
      return {
        ...row(seq),
        target: input.target ?? null,
        actorKind: 'user',
        actorId: 'u"1',
        source: null,
        content: leaf.bytes,
        salt: leaf.salt,
        leafHash: leaf.leafHash,
      };
    });
    const result = await verifyLog(quoted, { verifierKey, checkpoints: [checkpointOf(quoted)] });
    assert.equal(result.ok, true, JSON.stringify(result));
  });

  test('an erased event (no content, salt or personal columns) keeps the log valid', async () => {
    const erased = LOG.map((r) =>
      r.seq === 3
        ? {
            ...r,
            content: null,
            salt: null,
            actorId: null,
            target: null,
            meetingId: null,
            source: null,
            erasedAt: TIME.toISOString(),
          }
        : r,
    );
    const result = await verifyLog(erased, { verifierKey, checkpoints: [checkpointOf(LOG)] });
    assert.equal(result.ok, true);
  });

  test('an erased event that still names a person is refused', async () => {
    const erased = LOG.map((r) =>
      r.seq === 3 ? { ...r, content: null, salt: null, erasedAt: TIME.toISOString() } : r,
    );
    const result = await verifyLog(erased, { verifierKey, checkpoints: [checkpointOf(LOG)] });
    assert.deepEqual(result.ok ? undefined : result.firstBadSeq, 3);
  });

  test('content that is not an event is refused even when its hash matches', async () => {
    const leaf = createAuditLeaf({ v: 1, seq: 4, surprise: true });
    const broken = LOG.map((r) =>
      r.seq === 4 ? { ...r, content: leaf.bytes, salt: leaf.salt, leafHash: leaf.leafHash } : r,
    );
    const result = await verifyLog(broken, { verifierKey, checkpoints: [] });
    assert.ok(!result.ok);
    assert.equal(result.firstBadSeq, 4);
    assert.match(result.reason, /unknown field surprise/);
  });

  test('a checkpoint by another key, or for another origin, fails the log', async () => {
    const other = generateKeyPairSync('ed25519');
    const foreign = signCheckpoint(
      { origin: ORIGIN, treeSize: 12, rootHash: rootHash(LOG.map((r) => r.leafHash)) },
      { name: ORIGIN, privateKey: other.privateKey },
    );
    const byOtherKey = await verifyLog(LOG, { verifierKey, checkpoints: [foreign] });
    assert.deepEqual(byOtherKey.ok ? undefined : byOtherKey.firstBadSeq, null);
    const otherOrigin = await verifyLog(LOG, {
      verifierKey,
      checkpoints: [checkpointOf(LOG)],
      origin: 'elsewhere/audit',
    });
    assert.match(otherOrigin.ok ? '' : otherOrigin.reason, /not "elsewhere\/audit"/);
  });

  test('a log that does not start at 0 names event 0 as missing', async () => {
    const result = await verifyLog(LOG.slice(1), { verifierKey, checkpoints: [] });
    assert.deepEqual(result.ok ? undefined : [result.firstBadSeq, result.reason], [
      0,
      'event 0 is missing (the next stored event is 1)',
    ]);
  });

  test('an unusable verifier key fails before any event is read', async () => {
    const result = await verifyLog(LOG, { verifierKey: 'nonsense', checkpoints: [] });
    assert.match(result.ok ? '' : result.reason, /verifier key is unusable/);
  });
});
