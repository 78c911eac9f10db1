/**
 * A real clamd for the virus-scan tests, with a signature database of its own: there is no
 * internet for freshclam here (nor in CI), and the tests need only the EICAR test file.
 * clamd comes from the Debian package `clamav-daemon`, which `scripts/setup.sh` installs;
 * without it these tests fail, saying so, rather than skip a security check silently.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, constants, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClamdAddress } from '../../src/scanning/clamdAddress.ts';

/**
 * The standard 68-byte EICAR anti-virus test file. Kept base64-encoded, so that this
 * source file is not itself reported by a developer's virus scanner.
 */
export const EICAR = Buffer.from(
  'WDVPIVAlQEFQWzRcUFpYNTQoUF4pN0NDKTd9JEVJQ0FSLVNUQU5EQVJELUFOVElWSVJVUy1URVNULUZJTEUhJEgrSCo=',
  'base64',
);
/** The name of the signature matching the EICAR file as a whole (an MD5 `.hdb` signature). */
export const EICAR_FILE_SIGNATURE = 'Konvent.Test.EICAR';
/** The name of the signature matching the EICAR bytes anywhere in a file (an `.ndb` body signature). */
export const EICAR_BODY_SIGNATURE = 'Konvent.Test.EICAR.Body';

/** Where to look for clamd when it is not on PATH (Debian installs it in /usr/sbin). */
const CLAMD_CANDIDATES = ['/usr/sbin/clamd', '/usr/local/sbin/clamd'];
/** Loading two signatures took ~0.4 s here; a busy CI machine gets far more. */
const START_TIMEOUT_MS = 30_000;

/** A running clamd and where to reach it. */
export interface TestClamd {
  /** Its Unix socket. */
  address: ClamdAddress & { path: string };
  /** Its folder: configuration, signatures, log, socket. */
  dir: string;
  /** Stops clamd and removes its folder; idempotent. */
  stop(): Promise<void>;
}

/** What a test clamd is started with besides the defaults. */
export interface TestClamdOptions {
  /** More clamd.conf lines, e.g. `StreamMaxLength 1M` or `TCPSocket 3310`. */
  config?: readonly string[];
}

/** The clamd binary, or an error saying how to get it. */
export async function clamdBinary(): Promise<string> {
  for (const candidate of CLAMD_CANDIDATES) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Try the next place.
    }
  }
  throw new Error(
    `clamd is not installed (looked in ${CLAMD_CANDIDATES.join(', ')}): the virus-scan tests ` +
      'need the Debian package clamav-daemon, which scripts/setup.sh installs',
  );
}

/**
 * Starts clamd in the foreground on a Unix socket in a fresh temporary folder, with a
 * signature database that knows only EICAR (as a whole file and as bytes anywhere), and
 * resolves once it answers PING. Runs as whoever runs the tests: no `User` line, so it
 * works as root and as an ordinary user alike.
 */
export async function startClamd(options: TestClamdOptions = {}): Promise<TestClamd> {
  const binary = await clamdBinary();
  const dir = await mkdtemp(join(tmpdir(), 'konvent-clamd-'));
  const socket = join(dir, 'clamd.sock');
  await mkdir(join(dir, 'db'));
  const md5 = createHash('md5').update(EICAR).digest('hex');
  await writeFile(
    join(dir, 'db', 'test.hdb'),
    `${md5}:${String(EICAR.byteLength)}:${EICAR_FILE_SIGNATURE}\n`,
  );
  await writeFile(
    join(dir, 'db', 'test.ndb'),
    `${EICAR_BODY_SIGNATURE}:0:*:${EICAR.toString('hex')}\n`,
  );
  const conf = join(dir, 'clamd.conf');
  await writeFile(
    conf,
    [
      `LocalSocket ${socket}`,
      `DatabaseDirectory ${join(dir, 'db')}`,
      `LogFile ${join(dir, 'clamd.log')}`,
      'Foreground yes',
      ...(options.config ?? []),
      '',
    ].join('\n'),
  );
  const child = spawn(binary, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      await kill(child);
      await rm(dir, { recursive: true, force: true });
    })());
  try {
    await waitForPong(socket, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { address: { path: socket }, dir, stop };
}

/** Waits until clamd answers PING on its socket; fails with its output if it exits first. */
async function waitForPong(socket: string, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`clamd exited while starting:\n${output()}`);
    if ((await ping(socket)) === 'PONG') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`clamd did not answer within ${String(START_TIMEOUT_MS)} ms:\n${output()}`);
}

/** clamd's answer to PING on a socket, or undefined if nothing answers. */
function ping(socket: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const client = connect({ path: socket });
    let text = '';
    client.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    client.on('end', () => {
      resolve(text.replace(/\0$/, '').trim());
    });
    client.on('error', () => {
      resolve(undefined);
    });
    client.end('zPING\0');
  });
}

/** SIGTERM, and SIGKILL if clamd has not exited after 5 s. */
async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
