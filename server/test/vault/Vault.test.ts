import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LocalKeyring } from '../../src/vault/LocalKeyring.ts';
import { Vault } from '../../src/vault/Vault.ts';
import { VaultError, type VaultErrorReason } from '../../src/vault/VaultError.ts';

function isVaultError(...reasons: VaultErrorReason[]) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof VaultError, `expected a VaultError, got ${String(error)}`);
    if (reasons.length > 0) assert.ok(reasons.includes(error.reason), `reason ${error.reason}`);
    return true;
  };
}

describe('Vault', () => {
  let dir: string;
  let keyring: LocalKeyring;
  let vault: Vault;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'konvent-vault-'));
    keyring = await LocalKeyring.openOrCreate(join(dir, 'keys'));
    vault = new Vault(keyring);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('a sealed text opens again with the same context', async () => {
    const sealed = await vault.seal('Grüße aus dem Ratssaal 🎙', 'chat:m1:c1');
    assert.equal(await vault.openText(sealed, 'chat:m1:c1'), 'Grüße aus dem Ratssaal 🎙');
  });

  test('sealed bytes, including empty ones, open to the same bytes', async () => {
    const bytes = Uint8Array.from([0, 1, 2, 255, 254]);
    assert.deepEqual(
      new Uint8Array(await vault.open(await vault.seal(bytes, 'file:x'), 'file:x')),
      bytes,
    );
    assert.equal((await vault.open(await vault.seal('', 'title:y'), 'title:y')).length, 0);
  });

  test('the sealed object does not contain the plaintext', async () => {
    const sealed = await vault.seal('a very recognisable secret phrase', 'chat:m1:c2');
    assert.equal(sealed.includes('recognisable'), false);
  });

  test('two seals of the same text differ', async () => {
    const a = await vault.seal('same text', 'chat:m1:c3');
    const b = await vault.seal('same text', 'chat:m1:c3');
    assert.notDeepEqual(a, b);
    assert.equal(a.length, b.length);
  });

  test('changing any single byte of a sealed object makes it fail to open', async () => {
    const sealed = await vault.seal('tamper with me', 'chat:m1:c4');
    for (let i = 0; i < sealed.length; i++) {
      const copy = Buffer.from(sealed);
      copy[i] = (copy[i] ?? 0) ^ 0x01;
      await assert.rejects(vault.open(copy, 'chat:m1:c4'), isVaultError(), `byte ${i}`);
    }
  });

  test('a truncated or extended sealed object fails to open', async () => {
    const sealed = await vault.seal('cut me', 'chat:m1:c5');
    for (const length of [0, 1, 3, 10, sealed.length - 1]) {
      await assert.rejects(vault.open(sealed.subarray(0, length), 'chat:m1:c5'), isVaultError());
    }
    await assert.rejects(
      vault.open(Buffer.concat([sealed, Buffer.from([0])]), 'chat:m1:c5'),
      isVaultError('integrity'),
    );
  });

  test('opening with another context fails, so blobs cannot be swapped between rows', async () => {
    const sealed = await vault.seal('private words', 'chat:m1:c6');
    await assert.rejects(vault.open(sealed, 'chat:m1:c7'), isVaultError('integrity'));
    await assert.rejects(vault.open(sealed, 'chat:m2:c6'), isVaultError('integrity'));
  });

  test('an object sealed under a KEK the provider does not hold fails with unknown_key', async () => {
    const otherDir = await mkdtemp(join(tmpdir(), 'konvent-vault-other-'));
    try {
      const other = new Vault(await LocalKeyring.openOrCreate(otherDir));
      const sealed = await other.seal('foreign', 'chat:m1:c8');
      await assert.rejects(vault.open(sealed, 'chat:m1:c8'), isVaultError('unknown_key'));
    } finally {
      await rm(otherDir, { recursive: true, force: true });
    }
  });

  test('an unknown format version is refused as such', async () => {
    const sealed = await vault.seal('v1', 'ctx');
    const v2 = Buffer.from(sealed);
    v2[2] = 2;
    await assert.rejects(vault.open(v2, 'ctx'), isVaultError('unsupported_version'));
  });

  test('an empty context is refused', async () => {
    await assert.rejects(vault.seal('x', ''), TypeError);
  });

  test('a vault error tells clients nothing beyond "internal"', async () => {
    const sealed = await vault.seal('x', 'a');
    const error = await vault.open(sealed, 'b').catch((e: unknown) => e);
    assert.ok(error instanceof VaultError);
    assert.equal(error.code, 'internal');
    assert.equal(error.status, 500);
    assert.deepEqual(error.toBody(), {
      code: 'internal',
      message: 'An unexpected error occurred.',
    });
  });
});
