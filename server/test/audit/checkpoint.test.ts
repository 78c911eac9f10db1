import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, test } from 'node:test';
import { AuditError, type AuditErrorReason } from '../../src/audit/AuditError.ts';
import {
  formatSignerKey,
  formatVerifierKey,
  parseCheckpoint,
  parseSignerKey,
  parseVerifierKey,
  signCheckpoint,
  signNote,
  verifyCheckpoint,
  verifyNote,
} from '../../src/audit/checkpoint.ts';
import { leafHash, rootHash } from '../../src/audit/merkle.ts';

function isAuditError(reason: AuditErrorReason) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof AuditError, `expected an AuditError, got ${String(error)}`);
    assert.equal(error.reason, reason, error.message);
    return true;
  };
}

const ORIGIN = 'konvent.example.org/audit';
const logKeys = generateKeyPairSync('ed25519');
const signer = { name: ORIGIN, privateKey: logKeys.privateKey };
const verifier = { name: ORIGIN, publicKey: logKeys.publicKey };
const root = rootHash([leafHash(Buffer.from('a')), leafHash(Buffer.from('b'))]);
const signed = signCheckpoint({ origin: ORIGIN, treeSize: 2, rootHash: root }, signer);

/** Replaces one line (0-based) of a signed checkpoint. */
function withLine(text: string, index: number, line: string): string {
  const lines = text.split('\n');
  lines[index] = line;
  return lines.join('\n');
}

describe('signed checkpoints', () => {
  test('a signed checkpoint is the C2SP body, a blank line and one em-dash signature line', () => {
    const lines = signed.split('\n');
    assert.equal(lines.length, 6);
    assert.deepEqual(lines.slice(0, 4), [ORIGIN, '2', root.toString('base64'), '']);
    assert.match(lines[4] as string, /^\u2014 konvent\.example\.org\/audit [A-Za-z0-9+/]{91}=$/);
    assert.equal(lines[5], '');
  });

  test('signing, parsing and verifying round-trip the origin, size and root hash', () => {
    const parsed = parseCheckpoint(signed);
    assert.equal(parsed.origin, ORIGIN);
    assert.equal(parsed.treeSize, 2);
    assert.deepEqual(parsed.rootHash, root);
    assert.equal(parsed.signatures.length, 1);
    assert.equal(parsed.signatures[0]?.signature.length, 64);
    const verified = verifyCheckpoint(signed, verifier);
    assert.deepEqual(verified, { origin: ORIGIN, treeSize: 2, rootHash: root, extensions: [] });
  });

  test('the empty tree and extension lines round-trip too', () => {
    const text = signCheckpoint(
      { origin: ORIGIN, treeSize: 0, rootHash: rootHash([]), extensions: ['time 1700000000'] },
      signer,
    );
    const verified = verifyCheckpoint(text, verifier);
    assert.equal(verified.treeSize, 0);
    assert.deepEqual(verified.extensions, ['time 1700000000']);
  });

  test('a checkpoint with a changed size, root or origin fails its signature', () => {
    const otherRoot = rootHash([leafHash(Buffer.from('x'))]).toString('base64');
    for (const tampered of [
      withLine(signed, 1, '3'),
      withLine(signed, 2, otherRoot),
      withLine(signed, 0, 'evil.example.org/audit'),
    ]) {
      assert.throws(() => verifyCheckpoint(tampered, verifier), isAuditError('bad_signature'));
    }
  });

  test('a checkpoint with a changed signature fails', () => {
    const line = signed.split('\n')[4] as string;
    const encoded = line.split(' ')[2] as string;
    const bytes = Buffer.from(encoded, 'base64');
    bytes[10] = (bytes[10] ?? 0) ^ 1;
    const tampered = withLine(signed, 4, `\u2014 ${ORIGIN} ${bytes.toString('base64')}`);
    assert.throws(() => verifyCheckpoint(tampered, verifier), isAuditError('bad_signature'));
    const truncated = withLine(
      signed,
      4,
      `\u2014 ${ORIGIN} ${bytes.subarray(0, 40).toString('base64')}`,
    );
    assert.throws(() => verifyCheckpoint(truncated, verifier), isAuditError('bad_signature'));
  });

  test('a checkpoint signed by another key, or under another name, is not accepted', () => {
    const stranger = generateKeyPairSync('ed25519');
    const forged = signCheckpoint(
      { origin: ORIGIN, treeSize: 2, rootHash: root },
      { name: ORIGIN, privateKey: stranger.privateKey },
    );
    assert.throws(() => verifyCheckpoint(forged, verifier), isAuditError('unknown_key'));
    assert.throws(
      () =>
        verifyCheckpoint(signed, { name: 'other.example.org/audit', publicKey: logKeys.publicKey }),
      isAuditError('unknown_key'),
    );
  });

  test('a witness cosignature by another key is ignored by the log key check', () => {
    const witness = generateKeyPairSync('ed25519');
    const cosigned = signNote(parseCheckpoint(signed).body, {
      name: 'witness.example.net',
      privateKey: witness.privateKey,
    });
    const both = signed + (cosigned.split('\n\n')[1] as string);
    assert.deepEqual(verifyCheckpoint(both, verifier).rootHash, root);
    const witnessKey = { name: 'witness.example.net', publicKey: witness.publicKey };
    assert.equal(verifyCheckpoint(both, witnessKey).treeSize, 2);
  });

  test('malformed checkpoints are refused before any signature check', () => {
    const sig = signed.split('\n')[4] as string;
    const body = (origin: string, size: string, hash: string): string =>
      `${origin}\n${size}\n${hash}\n\n${sig}\n`;
    const b64 = root.toString('base64');
    const cases: [string, string][] = [
      ['no final newline', signed.slice(0, -1)],
      ['no signature', `${ORIGIN}\n2\n${b64}\n`],
      ['empty signature block', `${ORIGIN}\n2\n${b64}\n\n`],
      ['size with a leading zero', body(ORIGIN, '02', b64)],
      ['negative size', body(ORIGIN, '-2', b64)],
      ['size beyond 2^53', body(ORIGIN, '18446744073709551615', b64)],
      ['root of 31 bytes', body(ORIGIN, '2', root.subarray(1).toString('base64'))],
      ['root without padding', body(ORIGIN, '2', b64.replace(/=+$/, ''))],
      ['empty origin', body('', '2', b64)],
      ['missing root line', `${ORIGIN}\n2\n\n${sig}\n`],
      ['carriage returns', signed.replaceAll('\n', '\r\n')],
      ['signature without em dash', withLine(signed, 4, sig.replace('\u2014', '-'))],
      ['signature with garbage base64', withLine(signed, 4, `${sig.slice(0, -2)}!=`)],
      ['duplicate signature', `${signed}${sig}\n`],
    ];
    for (const [why, text] of cases) {
      assert.throws(() => parseCheckpoint(text), isAuditError('malformed'), why);
      assert.throws(() => verifyCheckpoint(text, verifier), isAuditError('malformed'), why);
    }
  });

  test('signing refuses a non-Ed25519 key, a key name with spaces and a multi-line origin', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const body = { origin: ORIGIN, treeSize: 1, rootHash: root };
    const refused = isAuditError('invalid_argument');
    assert.throws(
      () => signCheckpoint(body, { name: ORIGIN, privateKey: rsa.privateKey }),
      refused,
    );
    assert.throws(() => signCheckpoint(body, { ...signer, name: 'a b' }), refused);
    assert.throws(() => signCheckpoint(body, { ...signer, name: 'a+b' }), refused);
    assert.throws(() => signCheckpoint({ ...body, origin: 'a\nb' }, signer), refused);
    assert.throws(() => signCheckpoint({ ...body, treeSize: -1 }, signer), refused);
    assert.throws(() => signCheckpoint({ ...body, rootHash: Buffer.alloc(20) }, signer), refused);
  });
});

describe('signed-note keys', () => {
  // The example of the Go golang.org/x/mod/sumdb/note package documentation.
  const goSignerKey =
    'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
  const goVerifierKey = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
  const goText =
    'If you think cryptography is the answer to your problem,\n' +
    "then you don't know what your problem is.\n";
  const goNote =
    `${goText}\n\u2014 PeterNeumann ` +
    'x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';

  test('the Go note package example signs and verifies byte for byte', () => {
    const goSigner = parseSignerKey(goSignerKey);
    assert.equal(goSigner.keyId.toString('hex'), 'c74f20a3');
    assert.equal(signNote(goText, goSigner), goNote);
    assert.equal(verifyNote(goNote, parseVerifierKey(goVerifierKey)), goText);
  });

  test('verifier and signer key strings round-trip in the Go format', () => {
    const goSigner = parseSignerKey(goSignerKey);
    assert.equal(formatSignerKey(goSigner.name, goSigner.privateKey), goSignerKey);
    const goVerifier = parseVerifierKey(goVerifierKey);
    assert.equal(formatVerifierKey(goVerifier.name, goVerifier.publicKey), goVerifierKey);
    const mine = parseVerifierKey(formatVerifierKey(ORIGIN, logKeys.publicKey));
    assert.equal(verifyCheckpoint(signed, mine).treeSize, 2);
  });

  test('a verifier key with a wrong id, type, name or encoding is refused', () => {
    const [name, id, key] = goVerifierKey.split('+') as [string, string, string];
    const wrongType = Buffer.from(key, 'base64');
    wrongType[0] = 0x02;
    for (const text of [
      `${name}+c74f20a4+${key}`,
      `${name}+C74F20A3+${key}`,
      `Peter+${id}+${key}`,
      `${name}+${id}+${wrongType.toString('base64')}`,
      `${name}+${id}+${key.slice(0, -1)}`,
      `${name}+${id}`,
      `Peter Neumann+${id}+${key}`,
    ]) {
      assert.throws(() => parseVerifierKey(text), isAuditError('malformed'), text);
    }
  });
});
