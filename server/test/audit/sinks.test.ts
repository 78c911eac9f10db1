import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { splitCheckpoints } from '../../src/audit/CheckpointSink.ts';
import { parseVerifierKey, verifyCheckpoint } from '../../src/audit/checkpoint.ts';
import { FileCheckpointSink } from '../../src/audit/FileCheckpointSink.ts';
import { HttpCheckpointSink } from '../../src/audit/HttpCheckpointSink.ts';
import { eachBackend } from '../helpers/databases.ts';
import { openFixture, sampleEvent, type AuditFixture } from './auditFixture.ts';

/** A witness over real HTTP: `answer` decides each reply; bodies of 2xx replies are kept. */
async function startWitness(
  answer: (request: IncomingMessage, response: ServerResponse, body: string) => boolean,
): Promise<{ url: string; received: string[]; requests: number; server: Server }> {
  const state = { url: '', received: [] as string[], requests: 0, server: createServer() };
  state.server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      state.requests += 1;
      const body = Buffer.concat(chunks).toString('utf8');
      if (answer(request, response, body)) state.received.push(body);
    });
  });
  await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${String((state.server.address() as AddressInfo).port)}/witness`;
  return state;
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

const [backend] = eachBackend();

describe('checkpoint sinks', () => {
  let f: AuditFixture;

  before(async () => {
    assert.ok(backend);
    f = await openFixture(backend);
  });
  after(async () => {
    await f.cleanup();
  });

  test('the file sink appends every checkpoint, and they read back and verify', async () => {
    const path = join(f.t.dataDir, 'witness', 'checkpoints.log');
    const log = await f.open({ checkpointEvery: 3, sinks: [new FileCheckpointSink(path)] });
    for (let i = 0; i < 7; i++) await log.record(sampleEvent(i));
    await log.close();
    const notes = splitCheckpoints(await readFile(path, 'utf8'));
    const verifier = parseVerifierKey(log.verifierKey);
    assert.deepEqual(
      notes.map((note) => verifyCheckpoint(note, verifier).treeSize),
      [3, 6, 7],
    );
  });

  test('the HTTP sink POSTs text/plain and retries until the witness takes it, in order', async () => {
    let failures = 2;
    const witness = await startWitness((request, response) => {
      assert.equal(request.method, 'POST');
      assert.equal(request.headers['content-type'], 'text/plain; charset=utf-8');
      if (failures > 0) {
        failures -= 1;
        response.writeHead(503).end();
        return false;
      }
      response.writeHead(204).end();
      return true;
    });
    try {
      const log = await f.open({
        checkpointEvery: 4,
        sinks: [new HttpCheckpointSink(witness.url)],
        sinkRetryMs: 10,
      });
      for (let i = 0; i < 9; i++) await log.record(sampleEvent(i));
      assert.equal(await log.sinksIdle(10_000), true);
      const verifier = parseVerifierKey(log.verifierKey);
      assert.deepEqual(
        witness.received.map((note) => verifyCheckpoint(note, verifier).treeSize),
        [11, 15],
      );
      assert.equal(witness.requests, 4);
      await log.close();
    } finally {
      await stop(witness.server);
    }
  });

  test('a witness that never answers delays neither record nor close for long', async () => {
    const witness = await startWitness(() => false); // holds every request open
    try {
      const log = await f.open({
        checkpointEvery: 1,
        sinks: [new HttpCheckpointSink(witness.url, { timeoutMs: 200 })],
        sinkRetryMs: 50,
      });
      const started = performance.now();
      for (let i = 0; i < 5; i++) await log.record(sampleEvent(i));
      assert.ok(performance.now() - started < 2000, 'record waited for the witness');
      assert.ok(log.pendingSinkDeliveries > 0);
      const closing = performance.now();
      await log.close();
      assert.ok(performance.now() - closing < 3000, 'close waited too long for the witness');
      assert.equal(witness.received.length, 0);
    } finally {
      await stop(witness.server);
    }
  });

  test('a witness URL that is not http(s) is refused at construction', () => {
    assert.throws(() => new HttpCheckpointSink('ftp://witness.example/'), /http\(s\)/);
  });
});

describe('splitCheckpoints', () => {
  test('an empty file holds no checkpoints', () => {
    assert.deepEqual(splitCheckpoints(''), []);
  });
});
