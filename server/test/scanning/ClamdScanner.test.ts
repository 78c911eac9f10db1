import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../src/errors/AppError.ts';
import type { DomainLogger } from '../../src/meetings/ports.ts';
import { ClamdScanner, SCAN_UNAVAILABLE_MESSAGE } from '../../src/scanning/ClamdScanner.ts';
import { describeClamdAddress, parseClamdAddress } from '../../src/scanning/clamdAddress.ts';
import {
  EICAR,
  EICAR_BODY_SIGNATURE,
  EICAR_FILE_SIGNATURE,
  startClamd,
  type TestClamd,
} from '../helpers/clamd.ts';
import { makePdf } from '../helpers/pdfFixture.ts';

const SUBJECT = { meetingId: 'meeting-1', kind: 'presentation' };

/** Log lines as the scanner writes them (what an operator would see). */
function recordingLogger(): DomainLogger & { lines: { context: object; message: string }[] } {
  const lines: { context: object; message: string }[] = [];
  return {
    lines,
    warn: (context, message) => lines.push({ context, message }),
    error: (context, message) => lines.push({ context, message }),
  };
}

/** Asserts that a scan was refused as `unavailable`, with the message uploaders see. */
async function assertUnavailable(scan: Promise<unknown>): Promise<void> {
  await assert.rejects(scan, (error: unknown) => {
    assert.ok(error instanceof AppError, String(error));
    assert.equal(error.code, 'unavailable');
    assert.equal(error.message, SCAN_UNAVAILABLE_MESSAGE);
    return true;
  });
}

/** A streamed upload: `pieces` yielded one after another. */
async function* stream(...pieces: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const piece of pieces) {
    await Promise.resolve();
    yield piece;
  }
}

/** A free TCP port on loopback (closed again, so clamd can take it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('ClamdScanner against a real clamd', () => {
  let clamd: TestClamd;
  let scanner: ClamdScanner;
  before(async () => {
    clamd = await startClamd();
    scanner = new ClamdScanner({ address: clamd.address, timeoutMs: 20_000 });
  });
  after(() => clamd.stop());

  test('a clean file passes', async () => {
    assert.deepEqual(await scanner.scan(makePdf({ pages: 2 }), SUBJECT), { infected: false });
    assert.deepEqual(await scanner.scan(new Uint8Array(0), SUBJECT), { infected: false });
  });

  test('the EICAR test file is found and named by its signature', async () => {
    const verdict = await scanner.scan(EICAR, SUBJECT);
    assert.ok(verdict.infected);
    // Both signatures match it; clamd names whichever it checked first.
    assert.match(
      verdict.signature,
      new RegExp(`^${EICAR_FILE_SIGNATURE.replaceAll('.', '\\.')}(\\.Body)?\\.UNOFFICIAL$`),
    );
  });

  test('EICAR bytes inside a PDF are found anywhere in the file', async () => {
    const pdf = Buffer.concat([makePdf({ pages: 1 }), Buffer.from('%'), EICAR, Buffer.from('\n')]);
    assert.deepEqual(await scanner.scan(pdf, SUBJECT), {
      infected: true,
      signature: `${EICAR_BODY_SIGNATURE}.UNOFFICIAL`,
    });
  });

  test('a stream of several MiB passes in chunks, and EICAR split across chunks of a stream is still found', async () => {
    const big = randomBytes(6 * 1024 * 1024);
    const pieces = [big.subarray(0, 1_000_000), big.subarray(1_000_000), new Uint8Array(0)];
    assert.deepEqual(await scanner.scan(stream(...pieces), SUBJECT), { infected: false });

    // Tiny chunks: the signature's 68 bytes arrive in 7-byte pieces, after 3 MiB of zeros.
    const small = new ClamdScanner({ address: clamd.address, chunkBytes: 7 });
    const head = new ClamdScanner({ address: clamd.address, chunkBytes: 64 * 1024 });
    const infected = stream(new Uint8Array(3 * 1024 * 1024), EICAR, new Uint8Array(100));
    assert.equal((await head.scan(infected, SUBJECT)).infected, true);
    assert.equal(
      (await small.scan(stream(Buffer.from('%PDF-1.4\n'), EICAR), SUBJECT)).infected,
      true,
    );
  });

  test('a stream that fails while being read passes its own error on, not "unavailable"', async () => {
    const broken = async function* (): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(1024);
      await Promise.resolve();
      throw new Error('the client went away');
    };
    await assert.rejects(scanner.scan(broken(), SUBJECT), /the client went away/);
    // The scanner is unharmed: the next scan works.
    assert.deepEqual(await scanner.scan(Buffer.from('hello'), SUBJECT), { infected: false });
  });

  test('clamd answers PING; a socket with nothing behind it does not', async () => {
    assert.equal(await scanner.ping(), true);
    const nobody = new ClamdScanner({ address: { path: join(clamd.dir, 'missing.sock') } });
    assert.equal(await nobody.ping(), false);
  });

  test('when clamd cannot be reached the upload is refused as unavailable (fail closed) and logged', async () => {
    const logger = recordingLogger();
    const nobody = new ClamdScanner({
      address: { path: join(clamd.dir, 'missing.sock') },
      logger,
    });
    await assertUnavailable(nobody.scan(Buffer.from('hello'), SUBJECT));
    const port = await freePort();
    const refused = new ClamdScanner({ address: { host: '127.0.0.1', port }, logger });
    await assertUnavailable(refused.scan(stream(Buffer.from('hello')), SUBJECT));
    assert.equal(logger.lines.length, 2);
    const [first] = logger.lines;
    assert.match(first?.message ?? '', /virus scan failed/);
    assert.deepEqual(
      { ...first?.context, err: undefined },
      {
        err: undefined,
        meetingId: 'meeting-1',
        kind: 'presentation',
        clamd: join(clamd.dir, 'missing.sock'),
      },
    );
  });

  test('a clamd that never answers is given up on after the timeout, and the connection is closed', async () => {
    const sockets: Socket[] = [];
    let closed = 0;
    const silent = createServer((socket) => {
      sockets.push(socket);
      socket.resume();
      socket.on('close', () => (closed += 1));
    });
    const path = join(clamd.dir, 'silent.sock');
    await new Promise<void>((resolve) => silent.listen(path, resolve));
    try {
      const slow = new ClamdScanner({ address: { path }, timeoutMs: 300 });
      const started = Date.now();
      await assertUnavailable(slow.scan(randomBytes(256 * 1024), SUBJECT));
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 250 && elapsed < 5_000, `gave up after ${String(elapsed)} ms`);
      // Also while it still waits for the upload to be sent (a stalled stream).
      const stalled = async function* (): AsyncGenerator<Uint8Array> {
        yield new Uint8Array(10);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        yield new Uint8Array(10);
      };
      await assertUnavailable(slow.scan(stalled(), SUBJECT));
      for (let i = 0; i < 250 && closed < 2; i += 1)
        await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(closed, 2, 'both connections were closed by the scanner');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('ClamdScanner with clamd on TCP and a stream size limit', () => {
  let clamd: TestClamd;
  let port: number;
  before(async () => {
    port = await freePort();
    clamd = await startClamd({
      config: ['TCPAddr 127.0.0.1', `TCPSocket ${String(port)}`, 'StreamMaxLength 1M'],
    });
  });
  after(() => clamd.stop());

  test('clamd on a loopback TCP port scans as on its socket', async () => {
    const scanner = new ClamdScanner({
      address: parseClamdAddress(`tcp://127.0.0.1:${String(port)}`),
    });
    assert.deepEqual(await scanner.scan(Buffer.from('hello'), SUBJECT), { infected: false });
    assert.equal((await scanner.scan(EICAR, SUBJECT)).infected, true);
  });

  test("an upload beyond clamd's StreamMaxLength is refused as unavailable, never passed unscanned", async () => {
    const logger = recordingLogger();
    const scanner = new ClamdScanner({ address: clamd.address, logger });
    await assertUnavailable(scanner.scan(stream(randomBytes(3 * 1024 * 1024)), SUBJECT));
    const cause = (logger.lines[0]?.context as { err?: Error } | undefined)?.err;
    // clamd answers and hangs up at once: its answer, or (if our next write fails first) the broken pipe.
    assert.match(String(cause?.message), /INSTREAM size limit exceeded|EPIPE|ECONNRESET/);
  });

  test('a clamd that was stopped refuses uploads as unavailable', async () => {
    const scanner = new ClamdScanner({ address: clamd.address });
    assert.deepEqual(await scanner.scan(Buffer.from('hello'), SUBJECT), { infected: false });
    await clamd.stop();
    await assertUnavailable(scanner.scan(Buffer.from('hello'), SUBJECT));
  });
});

describe('clamd addresses', () => {
  test('a socket path or tcp://host:port is read; anything else is refused with a reason', () => {
    assert.deepEqual(parseClamdAddress('/run/clamav/clamd.ctl'), { path: '/run/clamav/clamd.ctl' });
    assert.deepEqual(parseClamdAddress('tcp://127.0.0.1:3310'), { host: '127.0.0.1', port: 3310 });
    assert.deepEqual(parseClamdAddress('tcp://[::1]:3310'), { host: '::1', port: 3310 });
    assert.equal(describeClamdAddress({ host: '::1', port: 3310 }), 'tcp://[::1]:3310');
    for (const bad of [
      'clamd.sock',
      'tcp://127.0.0.1',
      'tcp://127.0.0.1:0',
      'tcp://127.0.0.1:99999',
      'http://127.0.0.1:3310',
      'tcp://user@127.0.0.1:3310',
      'tcp://127.0.0.1:3310/x',
    ])
      assert.throws(() => parseClamdAddress(bad), Error, bad);
  });
});
