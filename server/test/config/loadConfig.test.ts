import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { configFingerprint } from '../../src/auditor/serverEvents.ts';
import { ConfigError } from '../../src/config/ConfigError.ts';
import { loadConfig } from '../../src/config/loadConfig.ts';

const run = promisify(execFile);

/** Asserts that loading fails and that some problem names each listed variable. */
async function assertRefused(
  env: NodeJS.ProcessEnv,
  variables: string[],
): Promise<readonly string[]> {
  const error = await loadConfig(env).then(
    () => assert.fail('expected the configuration to be refused'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ConfigError, String(error));
  for (const variable of variables) {
    assert.ok(
      error.problems.some((problem) => problem.startsWith(variable)),
      `no problem names ${variable}: ${error.message}`,
    );
    assert.match(error.message, new RegExp(variable));
  }
  return error.problems;
}

describe('loadConfig', () => {
  let root: string;
  let n = 0;
  /** A fresh, not yet existing data folder. */
  const dataDir = () => join(root, `data-${++n}`);
  /** A secret file with the given content and mode. */
  const secretFile = async (content: Buffer | string, mode = 0o600) => {
    const file = join(root, `secret-${++n}`);
    await writeFile(file, content, { mode });
    await chmod(file, mode);
    return file;
  };
  let cert = '';
  let key = '';

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'konvent-config-'));
    cert = join(root, 'cert.pem');
    key = join(root, 'key.pem');
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-subj',
      '/CN=localhost',
      '-days',
      '1',
      '-keyout',
      key,
      '-out',
      cert,
    ]);
    await chmod(key, 0o600);
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  test('with no variables set it runs on localhost with safe defaults', async () => {
    const dir = dataDir();
    const config = await loadConfig({ DATA_DIR: dir });
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 8080);
    assert.equal(config.publicUrl, 'http://localhost:8080');
    assert.equal(config.dataDir, dir);
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.redisUrl, undefined);
    assert.equal(config.tls, undefined);
    assert.equal(config.logLevel, 'info');
    assert.deepEqual(config.media, {
      workers: availableParallelism(),
      listenIp: '127.0.0.1',
      announcedIp: undefined,
      rtcMinPort: 40000,
      rtcMaxPort: 40999,
      workerBin: '/var/cache/konvent/mediasoup-worker-3.12.16',
    });
    assert.equal(config.webRoot, resolve(import.meta.dirname, '../../../web/dist'));
    assert.equal(config.sessionSecret.length, 32);
  });

  test('DATA_DIR defaults to ./data, resolved to an absolute path', async () => {
    const cwd = process.cwd();
    const here = join(root, 'cwd');
    await mkdir(here, { mode: 0o700 });
    process.chdir(here);
    try {
      const config = await loadConfig({});
      assert.equal(config.dataDir, join(here, 'data'));
    } finally {
      process.chdir(cwd);
    }
  });

  test('the data folder is created with mode 0700 and the generated secret with 0600', async () => {
    const dir = dataDir();
    await loadConfig({ DATA_DIR: dir });
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
    assert.equal((await stat(join(dir, 'secrets'))).mode & 0o777, 0o700);
    assert.equal((await stat(join(dir, 'secrets', 'session.key'))).mode & 0o777, 0o600);
  });

  test('the generated session secret is reused on the next start', async () => {
    const dir = dataDir();
    const first = await loadConfig({ DATA_DIR: dir });
    const second = await loadConfig({ DATA_DIR: dir });
    assert.deepEqual(second.sessionSecret, first.sessionSecret);
    assert.deepEqual(await readFile(join(dir, 'secrets', 'session.key')), first.sessionSecret);
    const other = await loadConfig({ DATA_DIR: dataDir() });
    assert.notDeepEqual(other.sessionSecret, first.sessionSecret);
  });

  test('a generated session secret that others can read stops the start', async () => {
    const dir = dataDir();
    await loadConfig({ DATA_DIR: dir });
    await chmod(join(dir, 'secrets', 'session.key'), 0o644);
    await assert.rejects(loadConfig({ DATA_DIR: dir }), /chmod 600/);
  });

  test('a session secret given directly in the environment is refused', async () => {
    const problems = await assertRefused(
      { DATA_DIR: dataDir(), SESSION_SECRET: randomBytes(32).toString('hex') },
      ['SESSION_SECRET'],
    );
    assert.match(problems.join('\n'), /SESSION_SECRET_FILE/);
  });

  test('a good SESSION_SECRET_FILE is used as is, without generating one', async () => {
    const secret = randomBytes(48).toString('base64');
    const dir = dataDir();
    const config = await loadConfig({
      DATA_DIR: dir,
      SESSION_SECRET_FILE: await secretFile(`${secret}\n`),
    });
    assert.equal(config.sessionSecret.toString(), secret);
    assert.deepEqual(await readdir(dir), []);
  });

  test('a SESSION_SECRET_FILE that is missing, short, readable by everyone or a placeholder is refused', async () => {
    const cases: Array<[string, RegExp]> = [
      [join(root, 'no-such-file'), /cannot read.*ENOENT/],
      [await secretFile(randomBytes(16)), /at least 32/],
      [await secretFile(randomBytes(32), 0o644), /readable by everyone.*chmod 600/],
      [await secretFile('changeme'.repeat(8)), /placeholder/],
      [await secretFile('my-secret-value-for-the-conference-server'), /placeholder/],
      [await secretFile('a'.repeat(64)), /distinct/],
      [await secretFile(Buffer.alloc(32, 0)), /distinct/],
      [root, /not a regular file/],
    ];
    for (const [file, reason] of cases) {
      const problems = await assertRefused({ DATA_DIR: dataDir(), SESSION_SECRET_FILE: file }, [
        'SESSION_SECRET_FILE',
      ]);
      assert.match(problems.join('\n'), reason);
    }
  });

  test('every problem is reported at once, each naming its variable, and nothing is created', async () => {
    const dir = dataDir();
    const problems = await assertRefused(
      {
        DATA_DIR: dir,
        PORT: 'eighty',
        HOST: '0.0.0.0',
        PUBLIC_URL: 'ftp://meet.example.org',
        RTC_MIN_PORT: '50000',
        RTC_MAX_PORT: '40000',
        MEDIA_WORKERS: '0',
        LOG_LEVEL: 'loud',
        MEDIA_LISTEN_IP: 'not-an-ip',
      },
      [
        'PORT',
        'HOST',
        'PUBLIC_URL',
        'RTC_MIN_PORT/RTC_MAX_PORT',
        'MEDIA_WORKERS',
        'LOG_LEVEL',
        'MEDIA_LISTEN_IP',
      ],
    );
    assert.equal(problems.length, 7);
    await assert.rejects(stat(dir), { code: 'ENOENT' });
  });

  test('numbers and ports outside their range are refused', async () => {
    for (const [name, value] of [
      ['PORT', '65536'],
      ['PORT', '-1'],
      ['PORT', '80.5'],
      ['RTC_MIN_PORT', '0'],
      ['RTC_MAX_PORT', '70000'],
      ['MEDIA_WORKERS', 'many'],
    ] as const) {
      await assertRefused({ DATA_DIR: dataDir(), [name]: value }, [name]);
    }
  });

  test('plain HTTP is only served on loopback addresses', async () => {
    for (const host of ['127.0.0.1', 'localhost', '::1', '[::1]', '127.0.0.2']) {
      const config = await loadConfig({ DATA_DIR: dataDir(), HOST: host });
      assert.equal(config.host, host.replace(/[[\]]/g, ''));
    }
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'meet.example.org']) {
      await assertRefused({ DATA_DIR: dataDir(), HOST: host }, ['HOST']);
    }
    await assertRefused({ DATA_DIR: dataDir(), PUBLIC_URL: 'http://meet.example.org' }, [
      'PUBLIC_URL',
    ]);
  });

  test('with TLS the server may listen on all interfaces and links default to https', async () => {
    const config = await loadConfig({
      DATA_DIR: dataDir(),
      HOST: '0.0.0.0',
      PORT: '8443',
      TLS_CERT_FILE: cert,
      TLS_KEY_FILE: key,
    });
    assert.deepEqual(config.tls, { certFile: cert, keyFile: key });
    assert.equal(config.publicUrl, 'https://localhost:8443');
  });

  test('TLS needs both files, readable, with a private key matching the certificate', async () => {
    await assertRefused({ DATA_DIR: dataDir(), TLS_CERT_FILE: cert }, ['TLS_KEY_FILE']);
    await assertRefused({ DATA_DIR: dataDir(), TLS_KEY_FILE: key }, ['TLS_CERT_FILE']);
    await assertRefused(
      { DATA_DIR: dataDir(), TLS_CERT_FILE: join(root, 'nope.pem'), TLS_KEY_FILE: key },
      ['TLS_CERT_FILE'],
    );
    const looseKey = await secretFile(await readFile(key), 0o644);
    await assertRefused({ DATA_DIR: dataDir(), TLS_CERT_FILE: cert, TLS_KEY_FILE: looseKey }, [
      'TLS_KEY_FILE',
    ]);
    const garbage = await secretFile('not a key');
    await assertRefused({ DATA_DIR: dataDir(), TLS_CERT_FILE: cert, TLS_KEY_FILE: garbage }, [
      'TLS_CERT_FILE/TLS_KEY_FILE',
    ]);
  });

  test('PUBLIC_URL is normalised and must be a plain http(s) URL', async () => {
    const config = await loadConfig({
      DATA_DIR: dataDir(),
      PUBLIC_URL: 'https://Meet.Example.org/konvent/',
    });
    assert.equal(config.publicUrl, 'https://meet.example.org/konvent');
    for (const url of [
      'not a url',
      'ws://localhost',
      'https://u:p@meet.example.org',
      'https://x.org/?a=1',
    ]) {
      await assertRefused({ DATA_DIR: dataDir(), PUBLIC_URL: url }, ['PUBLIC_URL']);
    }
  });

  test('media, logging and paths are read from their variables', async () => {
    const config = await loadConfig({
      DATA_DIR: dataDir(),
      MEDIA_WORKERS: '3',
      MEDIA_LISTEN_IP: '0.0.0.0',
      MEDIA_ANNOUNCED_IP: '203.0.113.7',
      RTC_MIN_PORT: '50000',
      RTC_MAX_PORT: '50100',
      MEDIASOUP_WORKER_BIN: '/opt/worker',
      LOG_LEVEL: 'debug',
      WEB_ROOT: '/srv/web',
      DATABASE_URL: 'postgres://konvent@db.internal:5432/konvent',
      REDIS_URL: 'redis://cache.internal:6379',
    });
    assert.deepEqual(config.media, {
      workers: 3,
      listenIp: '0.0.0.0',
      announcedIp: '203.0.113.7',
      rtcMinPort: 50000,
      rtcMaxPort: 50100,
      workerBin: '/opt/worker',
    });
    assert.equal(config.logLevel, 'debug');
    assert.equal(config.webRoot, '/srv/web');
    assert.equal(config.databaseUrl, 'postgres://konvent@db.internal:5432/konvent');
    assert.equal(config.redisUrl, 'redis://cache.internal:6379');
  });

  test('listening for media on all interfaces needs an announced address', async () => {
    await assertRefused({ DATA_DIR: dataDir(), MEDIA_LISTEN_IP: '0.0.0.0' }, [
      'MEDIA_ANNOUNCED_IP',
    ]);
  });

  test('database and Redis passwords come from files, never from the URL', async () => {
    await assertRefused(
      {
        DATA_DIR: dataDir(),
        DATABASE_URL: 'postgres://konvent:hunter2@db/konvent',
        REDIS_URL: 'redis://:hunter2@cache:6379',
      },
      ['DATABASE_URL', 'REDIS_URL'],
    );
    await assertRefused({ DATA_DIR: dataDir(), DATABASE_URL: 'mysql://db/konvent' }, [
      'DATABASE_URL',
    ]);
    const config = await loadConfig({
      DATA_DIR: dataDir(),
      DATABASE_URL: 'postgres://konvent@db/konvent',
      DATABASE_PASSWORD_FILE: await secretFile('p@ss/word\n'),
    });
    assert.equal(config.databaseUrl, 'postgres://konvent:p%40ss%2Fword@db/konvent');
  });

  test('a data folder that others can enter is refused', async () => {
    const dir = dataDir();
    await mkdir(dir, { mode: 0o755 });
    await chmod(dir, 0o755);
    await assertRefused({ DATA_DIR: dir }, ['DATA_DIR']);
    const file = await secretFile('x');
    await assertRefused({ DATA_DIR: file }, ['DATA_DIR']);
  });

  test('the virus scan is off unless CLAMD_ADDRESS names clamd (a socket, or TCP on loopback)', async () => {
    assert.equal((await loadConfig({ DATA_DIR: dataDir() })).virusScan, undefined);
    const onSocket = await loadConfig({
      DATA_DIR: dataDir(),
      CLAMD_ADDRESS: '/run/clamav/clamd.ctl',
    });
    assert.deepEqual(onSocket.virusScan, {
      clamd: { path: '/run/clamav/clamd.ctl' },
      timeoutMs: 30_000,
    });
    const onTcp = await loadConfig({
      DATA_DIR: dataDir(),
      CLAMD_ADDRESS: 'tcp://127.0.0.1:3310',
      CLAMD_TIMEOUT_SECONDS: '5',
    });
    assert.deepEqual(onTcp.virusScan, {
      clamd: { host: '127.0.0.1', port: 3310 },
      timeoutMs: 5_000,
    });
    // clamd's protocol is plaintext: uploads must not cross the network to reach it.
    await assertRefused({ DATA_DIR: dataDir(), CLAMD_ADDRESS: 'tcp://10.0.0.5:3310' }, [
      'CLAMD_ADDRESS',
    ]);
    await assertRefused({ DATA_DIR: dataDir(), CLAMD_ADDRESS: 'clamd.ctl' }, ['CLAMD_ADDRESS']);
    await assertRefused(
      { DATA_DIR: dataDir(), CLAMD_ADDRESS: '/run/clamav/clamd.ctl', CLAMD_TIMEOUT_SECONDS: '0' },
      ['CLAMD_TIMEOUT_SECONDS'],
    );
    await assertRefused({ DATA_DIR: dataDir(), CLAMD_TIMEOUT_SECONDS: '10' }, [
      'CLAMD_TIMEOUT_SECONDS',
    ]);
  });

  test('switching the virus scan on, off or elsewhere changes the audited config fingerprint', async () => {
    const off = await loadConfig({ DATA_DIR: dataDir() });
    const on = {
      ...off,
      virusScan: { clamd: { path: '/run/clamav/clamd.ctl' }, timeoutMs: 30_000 },
    };
    const elsewhere = { ...on, virusScan: { ...on.virusScan, clamd: { host: '::1', port: 3310 } } };
    const prints = [off, on, elsewhere].map(configFingerprint);
    assert.equal(new Set(prints).size, 3);
  });
});
