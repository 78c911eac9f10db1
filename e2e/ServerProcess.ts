import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** The repository root, so the server starts from where `npm start` would start it. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where the mediasoup worker is cached when MEDIASOUP_WORKER_BIN is not set. */
const DEFAULT_WORKER_BIN = '/var/cache/konvent/mediasoup-worker-3.12.16';
/** How much server output to keep for failure reports; older output is dropped. */
const LOG_TAIL_CHARS = 64 * 1024;

/** Options for {@link ServerProcess.start}. */
export interface ServerStartOptions {
  /** How long to wait for `GET /healthz` to answer 200. */
  readyTimeoutMs?: number;
  /** Extra environment for the server, on top of the test defaults. */
  env?: Record<string, string>;
  /** Echo the server's output to this process's stderr as it arrives. */
  echo?: boolean;
  /**
   * The host name of the public origin (default `127.0.0.1`). WebAuthn needs a domain as
   * its relying party id, which an IP address is not: tests of passkeys use `localhost`.
   * The server listens on 127.0.0.1 either way.
   */
  publicHost?: '127.0.0.1' | 'localhost';
}

/** Asks the kernel for a free TCP port on loopback; the tiny race until the server binds is accepted. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/** Runs one statement on the PostgreSQL server named by `adminUrl`. */
async function adminQuery(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * With DATABASE_URL set (CI), a throwaway database `konvent_t_<random>` on that server, so
 * that e2e runs never share data with each other or with other suites (TEAM-NOTES rule).
 */
async function createThrowawayDatabase(
  adminUrl: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `konvent_t_${randomBytes(8).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** Servers started by this process and not yet stopped, for the exit hook below. */
const live = new Set<{ pid: number; dataDir: string }>();
// `after` hooks stop servers normally; this covers a harness that dies on an uncaught error,
// which would otherwise leave a detached server (its own process group) running. Only
// synchronous work is possible here, so a throwaway PostgreSQL database is left behind then.
process.on('exit', () => {
  for (const { pid, dataDir } of live) {
    signalGroup(pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

/**
 * A real Konvent server (`node server/src/main.ts`) on a free loopback port with a throwaway
 * data folder. It runs in its own process group so that stopping it also stops the mediasoup
 * workers it spawned, and nothing it started outlives a test run.
 */
export class ServerProcess {
  /** `http://127.0.0.1:<port>` (or `localhost`): the only origin the browser may talk to (P2). */
  readonly origin: string;
  readonly dataDir: string;
  /** The throwaway PostgreSQL database's URL; undefined when the server runs on PGlite. */
  readonly databaseUrl: string | undefined;
  readonly #child: ChildProcess;
  #log = '';
  #exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  readonly #exited: Promise<void>;
  readonly #dropDatabase: () => Promise<void>;

  private constructor(
    origin: string,
    dataDir: string,
    child: ChildProcess,
    echo: boolean,
    dropDatabase: () => Promise<void>,
    databaseUrl: string | undefined,
  ) {
    this.origin = origin;
    this.dataDir = dataDir;
    this.databaseUrl = databaseUrl;
    this.#child = child;
    this.#dropDatabase = dropDatabase;
    const entry = child.pid === undefined ? undefined : { pid: child.pid, dataDir };
    if (entry !== undefined) live.add(entry);
    const collect = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      if (echo) process.stderr.write(text);
      this.#log = (this.#log + text).slice(-LOG_TAIL_CHARS);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.#exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        if (entry !== undefined) live.delete(entry);
        this.#exit = { code, signal };
        resolve();
      });
    });
  }

  /** Starts a server and resolves once `/healthz` answers 200; throws with the server's output otherwise. */
  static async start(options: ServerStartOptions = {}): Promise<ServerProcess> {
    const port = await freePort();
    const origin = `http://${options.publicHost ?? '127.0.0.1'}:${port}`;
    const dataDir = await mkdtemp(path.join(tmpdir(), 'konvent-e2e-'));
    const env: Record<string, string | undefined> = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: origin,
      DATA_DIR: dataDir,
      MEDIA_LISTEN_IP: '127.0.0.1',
      MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN ?? DEFAULT_WORKER_BIN,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      ...options.env,
    };
    // The storage backend follows the caller: CI sets DATABASE_URL (and maybe REDIS_URL).
    let dropDatabase = (): Promise<void> => Promise.resolve();
    const adminUrl = process.env.DATABASE_URL;
    if (adminUrl !== undefined && adminUrl !== '') {
      try {
        const database = await createThrowawayDatabase(adminUrl);
        env.DATABASE_URL = database.url;
        dropDatabase = database.drop;
      } catch (error) {
        await rm(dataDir, { recursive: true, force: true });
        throw error;
      }
    }
    if (process.env.REDIS_URL !== undefined) env.REDIS_URL = process.env.REDIS_URL;
    const child = spawn(process.execPath, ['server/src/main.ts'], {
      cwd: REPO_ROOT,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new ServerProcess(
      origin,
      dataDir,
      child,
      options.echo ?? process.env.E2E_ECHO_SERVER === '1',
      dropDatabase,
      env.DATABASE_URL,
    );
    try {
      await server.#waitHealthy(options.readyTimeoutMs ?? 60_000);
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  /** The last part of the server's stdout and stderr, for failure messages. */
  logTail(chars = 8000): string {
    return this.#log.slice(-chars);
  }

  /**
   * Waits until the server's output (stdout and stderr, as far as kept) matches `pattern`
   * and answers the match, e.g. the one-time setup link printed at the first start.
   */
  async waitForOutput(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.#log);
      if (match !== null) return match;
      if (this.#exit !== undefined || Date.now() >= deadline) {
        throw new Error(`the server did not print ${String(pattern)}\n${this.logTail()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Whether the process is still running. */
  get running(): boolean {
    return this.#exit === undefined;
  }

  async #waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastProblem = 'no answer yet';
    while (Date.now() < deadline) {
      if (this.#exit !== undefined) {
        throw new Error(
          `server exited before it was ready (code ${String(this.#exit.code)}, signal ${String(this.#exit.signal)})\n${this.logTail()}`,
        );
      }
      try {
        const reply = await fetch(`${this.origin}/healthz`, { signal: AbortSignal.timeout(2000) });
        if (reply.status === 200) return;
        lastProblem = `status ${reply.status}`;
      } catch (error) {
        lastProblem = error instanceof Error ? error.message : String(error);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`server not healthy after ${timeoutMs} ms (${lastProblem})\n${this.logTail()}`);
  }

  /** Stops the server's process group (SIGTERM, then SIGKILL after a grace period) and removes its data folder and throwaway database. Idempotent. */
  async stop(graceMs = 10_000): Promise<void> {
    const pid = this.#child.pid;
    if (this.#exit === undefined && pid !== undefined) {
      signalGroup(pid, 'SIGTERM');
      const timedOut = await Promise.race([
        this.#exited.then(() => false),
        new Promise<boolean>((resolve) =>
          setTimeout(() => {
            resolve(true);
          }, graceMs).unref(),
        ),
      ]);
      if (timedOut) signalGroup(pid, 'SIGKILL');
      await this.#exited;
    }
    // A mediasoup worker whose parent died stays in the group: make sure none outlives the run.
    if (pid !== undefined) signalGroup(pid, 'SIGKILL');
    await this.#dropDatabase();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

/** Signals every process in the group led by `pid` (the server we spawned), ignoring an empty group. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
