import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LocalKeyring } from '../../src/vault/LocalKeyring.ts';
import { Vault } from '../../src/vault/Vault.ts';
import { VaultError } from '../../src/vault/VaultError.ts';

describe('LocalKeyring', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'konvent-keyring-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  test('a new keyring file is created with mode 0600 in a 0700 folder', async () => {
    const dir = join(root, 'fresh', 'keys');
    const keyring = await LocalKeyring.openOrCreate(dir);
    assert.equal(keyring.file, join(dir, 'keyring.json'));
    assert.equal((await stat(keyring.file)).mode & 0o777, 0o600);
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
    assert.equal(keyring.keyIds.length, 1);
    assert.equal(keyring.activeKeyId, keyring.keyIds[0]);
  });

  test('reopening the keyring yields the same keys, so earlier objects still open', async () => {
    const dir = join(root, 'reopen');
    const sealed = await new Vault(await LocalKeyring.openOrCreate(dir)).seal('kept', 'ctx');
    const reopened = new Vault(await LocalKeyring.openOrCreate(dir));
    assert.equal(await reopened.openText(sealed, 'ctx'), 'kept');
  });

  test('a keyring file that group or others can read is refused', async () => {
    const dir = join(root, 'loose');
    const keyring = await LocalKeyring.openOrCreate(dir);
    for (const mode of [0o644, 0o640, 0o604, 0o660]) {
      await chmod(keyring.file, mode);
      await assert.rejects(LocalKeyring.openOrCreate(dir), (error: unknown) => {
        assert.ok(error instanceof VaultError);
        assert.equal(error.reason, 'keystore');
        assert.match(error.message, /chmod 600/);
        return true;
      });
    }
  });

  test('a corrupt keyring file is refused rather than replaced', async () => {
    const dir = join(root, 'corrupt');
    const keyring = await LocalKeyring.openOrCreate(dir);
    await writeFile(keyring.file, '{"version":1,"active":"a","keys":[]}', { mode: 0o600 });
    await assert.rejects(LocalKeyring.openOrCreate(dir), VaultError);
    assert.equal(await readFile(keyring.file, 'utf8'), '{"version":1,"active":"a","keys":[]}');
  });

  test('after a rotation new objects use the new KEK and old objects still open', async () => {
    const dir = join(root, 'rotate');
    const keyring = await LocalKeyring.openOrCreate(dir);
    const vault = new Vault(keyring);
    const before = await vault.seal('old', 'ctx');
    const oldId = keyring.activeKeyId;
    const newId = await keyring.rotate();
    assert.notEqual(newId, oldId);
    assert.equal(keyring.activeKeyId, newId);
    const afterRotation = await vault.seal('new', 'ctx');
    assert.ok(afterRotation.includes(Buffer.from(newId)));
    assert.equal(await vault.openText(before, 'ctx'), 'old');
    assert.equal((await stat(keyring.file)).mode & 0o777, 0o600);
    const reopened = await LocalKeyring.openOrCreate(dir);
    assert.equal(reopened.activeKeyId, newId);
    assert.deepEqual(reopened.keyIds, [oldId, newId]);
    assert.equal(await new Vault(reopened).openText(afterRotation, 'ctx'), 'new');
  });

  test('a wrapped data key only unwraps with the context it was wrapped for', async () => {
    const keyring = await LocalKeyring.openOrCreate(join(root, 'wrap'));
    const dek = Buffer.alloc(32, 7);
    const { kekId, wrapped } = await keyring.wrapKey(dek, 'one');
    assert.deepEqual(await keyring.unwrapKey(kekId, wrapped, 'one'), dek);
    await assert.rejects(keyring.unwrapKey(kekId, wrapped, 'two'), VaultError);
    await assert.rejects(keyring.unwrapKey('local-nope', wrapped, 'one'), VaultError);
  });
});
