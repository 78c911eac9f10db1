import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { WORKER_BIN } from '../helpers/testServer.ts';

const MAIN = join(import.meta.dirname, '../../src/main.ts');

/** Runs `node server/src/main.ts` with the given environment (and nothing inherited but PATH). */
function run(env: Record<string, string>) {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      resolve(code);
    });
  });
  return { child, exited, output: () => ({ stdout, stderr }) };
}

describe('the composition root', () => {
  test('an invalid configuration prints every problem and exits with 1', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'konvent-main-'));
    try {
      const server = run({ DATA_DIR: dataDir, PORT: 'eighty', LOG_LEVEL: 'loud' });
      assert.equal(await server.exited, 1);
      assert.match(server.output().stderr, /PORT/);
      assert.match(server.output().stderr, /LOG_LEVEL/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test('the server starts, reports healthy and stops gracefully on SIGTERM', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'konvent-main-'));
    const server = run({
      DATA_DIR: dataDir,
      PORT: '0',
      MEDIA_WORKERS: '1',
      MEDIASOUP_WORKER_BIN: WORKER_BIN,
      RTC_MIN_PORT: '45000',
      RTC_MAX_PORT: '45099',
    });
    try {
      let address: string | undefined;
      for (let i = 0; i < 600 && address === undefined; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        address = /"address":"(http:\/\/[^"]+)"/.exec(server.output().stdout)?.[1];
        assert.equal(server.child.exitCode, null, server.output().stdout + server.output().stderr);
      }
      assert.ok(address, 'the server logged its address');
      const health = await fetch(`${address}/healthz`);
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), {
        status: 'ok',
        checks: { database: true, media: true },
      });
      const started = Date.now();
      server.child.kill('SIGTERM');
      assert.equal(await server.exited, 0);
      assert.ok(Date.now() - started < 5000);
      assert.match(server.output().stdout, /"msg":"stopped"/);
    } finally {
      server.child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
