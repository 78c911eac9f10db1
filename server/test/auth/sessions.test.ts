import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AuditLog } from '../../src/audit/AuditLog.ts';
import { AccountAdmin } from '../../src/auth/AccountAdmin.ts';
import { AuthKeys } from '../../src/auth/AuthKeys.ts';
import { AuthService } from '../../src/auth/AuthService.ts';
import { MfaService } from '../../src/auth/MfaService.ts';
import { hashPassword, needsRehash, verifyPassword } from '../../src/auth/passwords.ts';
import { PasswordPolicy } from '../../src/auth/PasswordPolicy.ts';
import { createLogger } from '../../src/observability/createLogger.ts';
import { LocalKeyring } from '../../src/vault/LocalKeyring.ts';
import { Vault } from '../../src/vault/Vault.ts';
import { eachBackend, type TestDatabase } from '../helpers/databases.ts';

const PASSWORD = 'Lila Elefanten tanzen im Regen 2026';
const MINUTE = 60_000;

describe('passwords', () => {
  test('argon2id PHC strings verify the right password only, in Unicode-normalised form', async () => {
    const hash = await hashPassword('Grüße aus Köln 2026!');
    assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    assert.equal(await verifyPassword(hash, 'Grüße aus Köln 2026!'), true);
    // The same text typed with a combining diaeresis (NFD) is the same password.
    assert.equal(await verifyPassword(hash, 'Gru\u0308ße aus Ko\u0308ln 2026!'), true);
    assert.equal(await verifyPassword(hash, 'Grüße aus Köln 2027!'), false);
    assert.equal(await verifyPassword('$argon2id$garbage', 'x'), false);
    assert.equal(needsRehash(hash), false);
    assert.equal(needsRehash(hash.replace('t=2', 't=1')), true);
  });

  test('the policy refuses short, common, guessable and name-based passwords, with reasons', () => {
    const policy = new PasswordPolicy();
    assert.deepEqual(policy.check('kurz').problems, ['too_short', 'too_guessable']);
    // In the leaked-password list shipped with zxcvbn-ts, though long enough.
    assert.deepEqual(policy.check('1qaz2wsx3edc').problems, ['too_common']);
    assert.deepEqual(policy.check('password').problems, ['too_short', 'too_common']);
    assert.ok(policy.check('password1234').problems.length > 0);
    assert.ok(policy.check('Passwort12345').problems.length > 0);
    assert.deepEqual(policy.check('anna.schmidt.2026!x', ['anna.schmidt@example.org']).problems, [
      'contains_username',
    ]);
    assert.equal(policy.check('x'.repeat(257)).problems.includes('too_long'), true);
    const good = policy.check('correct horse battery staple');
    assert.equal(good.ok, true);
    assert.equal(good.minLength, 12);
    // No composition rules: a long passphrase of lower-case words is fine.
    assert.equal(policy.check('kaffee tasse fenster wolke').ok, true);
  });
});

for (const backend of eachBackend()) {
  describe(`session lifetimes on ${backend.name}`, () => {
    let t: TestDatabase;
    let auth: AuthService;
    let now = Date.UTC(2026, 10, 26, 9, 0, 0);
    const clock = { now: () => new Date(now) };
    const ended: string[] = [];

    before(async () => {
      t = await backend.open();
      const vault = new Vault(await LocalKeyring.openOrCreate(join(t.dataDir, 'keyring')));
      const audit = await AuditLog.open({
        db: t.database.db,
        vault,
        clock,
        logger: createLogger({ logLevel: 'silent' }),
        origin: 'konvent.test/audit',
        checkpointIntervalMs: 0,
      });
      auth = new AuthService({
        db: t.database.db,
        vault,
        keys: await AuthKeys.open(t.database.db, vault),
        audit,
        clock,
        logger: { warn: () => undefined, error: () => undefined },
        policy: { idleMinutes: 30, absoluteHours: 12 },
        onSessionsEnded: (ids) => {
          ended.push(...ids);
          return Promise.resolve();
        },
      });
      const mfa = new MfaService({
        db: t.database.db,
        vault,
        clock,
        auth,
        rp: { name: 'Konvent', origin: 'http://localhost:8080', id: 'localhost' },
      });
      new AccountAdmin({
        db: t.database.db,
        clock,
        auth,
        mfa,
        policy: new PasswordPolicy(),
        publicUrl: 'http://localhost:8080',
      });
      await auth.users.insert(
        {
          username: 'ida@example.org',
          displayName: 'Ida',
          roles: ['member'],
          source: 'local',
          status: 'active',
          passwordHash: await hashPassword(PASSWORD),
        },
        clock.now(),
      );
    });
    after(() => t.cleanup());

    test('a session ends after the idle timeout, and its end is announced for its sockets', async () => {
      const signIn = await auth.loginWithPassword('ida@example.org', PASSWORD, {});
      now += 29 * MINUTE;
      await auth.authenticate(signIn.secret); // activity resets the idle clock
      now += 29 * MINUTE;
      await auth.authenticate(signIn.secret);
      now += 31 * MINUTE;
      await assert.rejects(auth.authenticate(signIn.secret), { code: 'unauthenticated' });
      assert.ok(ended.includes(signIn.context.session.id));
      // Ended for good: not even a later request revives it.
      await assert.rejects(auth.authenticate(signIn.secret), { code: 'unauthenticated' });
    });

    test('a busy session still ends at its absolute limit', async () => {
      const signIn = await auth.loginWithPassword('ida@example.org', PASSWORD, {});
      for (let hour = 0; hour < 12 * 4 - 1; hour++) {
        now += 15 * MINUTE;
        await auth.authenticate(signIn.secret);
      }
      now += 16 * MINUTE;
      await assert.rejects(auth.authenticate(signIn.secret), { code: 'unauthenticated' });
    });

    test('an account lock lasts its time and then lifts', async () => {
      for (let i = 0; i < 5; i++) {
        await assert.rejects(auth.loginWithPassword('ida@example.org', `wrong ${i}`, {}), {
          code: 'invalid_credentials',
        });
      }
      await assert.rejects(auth.loginWithPassword('ida@example.org', PASSWORD, {}), {
        code: 'rate_limited',
      });
      now += 16 * MINUTE;
      const signIn = await auth.loginWithPassword('ida@example.org', PASSWORD, {});
      assert.equal(signIn.context.stage, 'full');
    });
  });
}
