/**
 * The audit command line (`npm run audit -- <command>`):
 *
 *   verify [--key <verifier key>] [--checkpoints <file>]...
 *       Verifies the stored log (database from DATA_DIR / DATABASE_URL, read only) against
 *       its checkpoints, those in <DATA_DIR>/audit/checkpoints.log and any given files.
 *   verify --export <file> [--key <verifier key>]
 *       Verifies an export offline: no server, database or keyring needed.
 *   export --out <file> [--from <ISO time>] [--to <ISO time>]
 *       Writes an export of everything up to the latest checkpoint; events outside the time
 *       range are included as leaf hashes only.
 *   checkpoint
 *       Prints the latest checkpoint.
 *
 * Exit codes: 0 verified (or done), 1 the log or export failed verification, 2 usage or
 * operational error (bad arguments, configuration, database unreachable).
 */
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { inspect, parseArgs } from 'node:util';
import pg from 'pg';
import type { Config } from '../config/Config.ts';
import { loadConfig } from '../config/loadConfig.ts';
import type { Database } from '../storage/Database.ts';
import { openDatabase } from '../storage/openDatabase.ts';
import { splitCheckpoints } from './CheckpointSink.ts';
import { parseVerifierKey, verifyCheckpoint } from './checkpoint.ts';
import { writeExport } from './exportArchive.ts';
import { EMPTY_ROOT } from './merkle.ts';
import {
  readAuditPages,
  readAuditRows,
  readCheckpoints,
  readLatestCheckpoint,
  readVerifierKeys,
} from './readLog.ts';
import { verifyExport } from './verifyExport.ts';
import { verifyLog, type VerifyResult } from './verifyLog.ts';
import { verifyPostgres } from './verifyPostgres.ts';

const USAGE = `usage: npm run audit -- <command>
  verify [--key <verifier key>] [--checkpoints <file>]...
  verify --export <file> [--key <verifier key>]
  export --out <file> [--from <ISO time>] [--to <ISO time>]
  checkpoint`;

/** A wrong invocation: exit 2 with the message and the usage. */
class UsageError extends Error {}

/** Where output goes; tests pass their own. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

const consoleOutput: CliOutput = {
  out: (line) => {
    process.stdout.write(`${line}\n`);
  },
  err: (line) => {
    process.stderr.write(`${line}\n`);
  },
};

/** Runs the command line and resolves to the exit code. */
export async function runAuditCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  output: CliOutput = consoleOutput,
): Promise<number> {
  try {
    const [command, ...rest] = args;
    switch (command) {
      case 'verify':
        return await verifyCommand(rest, env, output);
      case 'export':
        return await exportCommand(rest, env, output);
      case 'checkpoint':
        return await checkpointCommand(rest, env, output);
      case undefined:
        throw new UsageError('no command given');
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      output.err(`audit: ${(error as Error).message}`);
      output.err(USAGE);
      return 2;
    }
    output.err(`audit: ${describe(error)}`);
    return 2;
  }
}

async function verifyCommand(args: readonly string[], env: NodeJS.ProcessEnv, output: CliOutput) {
  const { values } = parseArgs({
    args: [...args],
    options: {
      export: { type: 'string' },
      key: { type: 'string' },
      checkpoints: { type: 'string', multiple: true },
    },
    allowPositionals: false,
  });
  if (values.export !== undefined) {
    if (values.checkpoints !== undefined) {
      throw new UsageError('--checkpoints applies to the database, not to an export');
    }
    const verdict = await verifyExport(values.export, {
      ...(values.key === undefined ? {} : { verifierKey: values.key }),
    });
    if (verdict.header !== undefined && values.key === undefined) {
      output.err(
        `note: checked against the key named in the export, ${verdict.header.verifierKey}; ` +
          'compare it with the published key (or pass --key)',
      );
    }
    return report(verdict.result, output);
  }
  const extra: string[] = [];
  for (const file of values.checkpoints ?? []) {
    extra.push(...splitCheckpoints(await readFile(file, 'utf8')));
  }
  return withDatabase(env, async (database, config) => {
    const local = join(config.dataDir, 'audit', 'checkpoints.log');
    if (await isFile(local)) extra.push(...splitCheckpoints(await readFile(local, 'utf8')));
    const stored = await readCheckpoints(database.db);
    const verifierKey = values.key ?? (await storedKey(database, stored.at(-1)?.text));
    if (verifierKey === undefined) {
      const events = await readAuditRows(database.db, { pageSize: 1 }).next();
      if (events.done === true) {
        output.out(`ok: 0 events, 0 checkpoints, root ${EMPTY_ROOT.toString('base64')}`);
        return 0;
      }
      return report(
        { ok: false, firstBadSeq: null, reason: 'the log has events but no signing key' },
        output,
      );
    }
    const input = {
      verifierKey,
      checkpoints: [...stored.map((checkpoint) => checkpoint.text), ...extra],
    };
    if (config.databaseUrl === undefined) {
      return report(await verifyLog(readAuditPages(database.db), input), output);
    }
    // PostgreSQL: binary COPY on a connection of its own, several times faster than SELECTs,
    // its rows checked in place (by worker threads on machines with more than two cores).
    const client = new pg.Client({ connectionString: config.databaseUrl });
    await client.connect();
    try {
      return report(await verifyPostgres(client, input), output);
    } finally {
      await client.end();
    }
  });
}

async function exportCommand(args: readonly string[], env: NodeJS.ProcessEnv, output: CliOutput) {
  const { values } = parseArgs({
    args: [...args],
    options: { out: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } },
    allowPositionals: false,
  });
  if (values.out === undefined) throw new UsageError('export needs --out <file>');
  const from = parseTime(values.from, '--from');
  const to = parseTime(values.to, '--to');
  const out = values.out;
  return withDatabase(env, async (database) => {
    const summary = await writeExport(database.db, out, {
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
    });
    output.out(
      `exported ${String(summary.events)} of ${String(summary.treeSize)} events ` +
        `(the others as leaf hashes), ${String(summary.checkpoints)} checkpoints to ${out}`,
    );
    return 0;
  });
}

async function checkpointCommand(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  output: CliOutput,
) {
  parseArgs({ args: [...args], options: {}, allowPositionals: false });
  return withDatabase(env, async (database) => {
    const latest = await readLatestCheckpoint(database.db);
    if (latest === undefined) {
      output.err('audit: no checkpoint has been written yet');
      return 1;
    }
    output.out(latest.text.replace(/\n$/, ''));
    return 0;
  });
}

function report(result: VerifyResult, output: CliOutput): number {
  if (result.ok) {
    if (result.sealedSize < result.size) {
      output.err(
        `note: events ${String(result.sealedSize)} to ${String(result.size - 1)} are not yet ` +
          'covered by a checkpoint',
      );
    }
    output.out(
      `ok: ${String(result.size)} events, ${String(result.checkpoints)} checkpoints, root ${result.rootHash}`,
    );
    return 0;
  }
  output.out(
    result.firstBadSeq === null
      ? `FAILED: ${result.reason}`
      : `FAILED at event ${String(result.firstBadSeq)}: ${result.reason}`,
  );
  return 1;
}

/** Opens the configured database, runs `work`, closes it. */
async function withDatabase(
  env: NodeJS.ProcessEnv,
  work: (database: Database, config: Config) => Promise<number>,
): Promise<number> {
  // Check before loadConfig, which would create an empty data folder: verifying a mistyped
  // DATA_DIR must not report an empty, intact log.
  const embedded = env['DATABASE_URL'] === undefined || env['DATABASE_URL'].trim() === '';
  const dataDir = resolve(env['DATA_DIR']?.trim() || './data');
  if (embedded && !(await exists(join(dataDir, 'db')))) {
    throw new Error(`there is no embedded database in ${dataDir}; set DATA_DIR or DATABASE_URL`);
  }
  const config = await loadConfig(env);
  let database: Database;
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (error) {
    throw new Error(
      describe(error) +
        (config.databaseUrl === undefined
          ? ' (the embedded database can be opened by one process only: stop the server first)'
          : ''),
      { cause: error },
    );
  }
  try {
    return await work(database, config);
  } finally {
    await database.close();
  }
}

/** The key that verifies the latest checkpoint (or the newest key when there is none). */
async function storedKey(
  database: Database,
  latest: string | undefined,
): Promise<string | undefined> {
  const keys = (await readVerifierKeys(database.db)).reverse();
  if (latest !== undefined) {
    const signer = keys.find((key) => {
      try {
        verifyCheckpoint(latest, parseVerifierKey(key.verifierKey));
        return true;
      } catch {
        return false;
      }
    });
    if (signer !== undefined) return signer.verifierKey;
  }
  return keys[0]?.verifierKey;
}

function parseTime(value: string | undefined, option: string): Date | undefined {
  if (value === undefined) return undefined;
  const time = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(time.getTime())) {
    throw new UsageError(`${option} "${value}" is not an ISO 8601 time, e.g. 2030-01-31T00:00:00Z`);
  }
  return time;
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isFile(),
    () => false,
  );
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

/** An error's message with its causes, for the operator. */
function describe(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error; current !== undefined && parts.length < 4;) {
    parts.push(current instanceof Error ? current.message : inspect(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(': ');
}

if (import.meta.main) {
  process.exitCode = await runAuditCli(process.argv.slice(2), process.env);
}
