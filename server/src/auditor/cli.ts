/**
 * `npm run audit -- <command>`: the audit command line (`audit/cli.ts`: verify, export,
 * checkpoint) plus auditor access:
 *
 *   grant-auditor --label <text> [--hours <1–168, default 8>]
 *       Creates a single-use sign-in link for an auditor and prints it. The link works once,
 *       within the given hours; the session it opens ends at the same time. The embedded
 *       database can be opened by one process only: with PGlite, stop the server first.
 *
 * Exit codes as in `audit/cli.ts`: 0 done, 2 usage or operational error.
 */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AuditLog } from '../audit/AuditLog.ts';
import { runAuditCli, type CliOutput } from '../audit/cli.ts';
import { loadConfig } from '../config/loadConfig.ts';
import { createLogger } from '../observability/createLogger.ts';
import { openDatabase } from '../storage/openDatabase.ts';
import { systemClock } from '../storage/SystemClock.ts';
import { LocalKeyring } from '../vault/LocalKeyring.ts';
import { Vault } from '../vault/Vault.ts';
import { AuditorAccess } from './AuditorAccess.ts';
import { auditOrigin } from './serverEvents.ts';

const USAGE = 'usage: npm run audit -- grant-auditor --label <text> [--hours <1-168>]';

const consoleOutput: CliOutput = {
  out: (line) => {
    process.stdout.write(`${line}\n`);
  },
  err: (line) => {
    process.stderr.write(`${line}\n`);
  },
};

/** The sign-in link an auditor opens; the token sits in the fragment, never sent to a server. */
export function auditorLink(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/audit#k=${token}`;
}

/** Runs `grant-auditor` or hands every other command to the audit CLI; resolves to the exit code. */
export async function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  output: CliOutput = consoleOutput,
): Promise<number> {
  if (args[0] !== 'grant-auditor') return runAuditCli(args, env, output);
  let label: string;
  let hours: number;
  try {
    const { values } = parseArgs({
      args: args.slice(1),
      options: { label: { type: 'string' }, hours: { type: 'string', default: '8' } },
      allowPositionals: false,
    });
    if (values.label === undefined || values.label.trim() === '') {
      throw new Error('grant-auditor needs --label <text> (whom the access is for)');
    }
    if (!/^\d{1,3}$/.test(values.hours) || Number(values.hours) < 1 || Number(values.hours) > 168) {
      throw new Error('--hours must be a whole number from 1 to 168');
    }
    label = values.label;
    hours = Number(values.hours);
  } catch (error) {
    output.err(`audit: ${(error as Error).message}`);
    output.err(USAGE);
    return 2;
  }
  try {
    return await grant(env, label, hours, output);
  } catch (error) {
    output.err(`audit: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}

async function grant(
  env: NodeJS.ProcessEnv,
  label: string,
  hours: number,
  output: CliOutput,
): Promise<number> {
  const embedded = env['DATABASE_URL'] === undefined || env['DATABASE_URL'].trim() === '';
  const dataDir = resolve(env['DATA_DIR']?.trim() || './data');
  if (embedded && !(await exists(join(dataDir, 'db')))) {
    throw new Error(`there is no embedded database in ${dataDir}; set DATA_DIR or DATABASE_URL`);
  }
  const config = await loadConfig(env);
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
  }).catch((error: unknown) => {
    throw new Error(
      `${(error as Error).message}${embedded ? ' (the embedded database can be opened by one process only: stop the server first)' : ''}`,
      { cause: error },
    );
  });
  try {
    const vault = new Vault(await LocalKeyring.openOrCreate(join(config.dataDir, 'keyring')));
    const log = await AuditLog.open({
      db: database.db,
      vault,
      clock: systemClock,
      logger: createLogger({ logLevel: 'silent' }),
      dataDir: config.dataDir,
      origin: auditOrigin(config.publicUrl),
      checkpointIntervalMs: 0,
    });
    try {
      const access = new AuditorAccess({ db: database.db, vault, log, clock: systemClock });
      const granted = await access.grant(label, hours);
      output.out(auditorLink(config.publicUrl, granted.token));
      output.err(
        `Single-use auditor link for "${label.trim()}", valid until ${granted.expiresAt.toISOString()}. ` +
          'Send it over a trusted channel.',
      );
      return 0;
    } finally {
      await log.close();
    }
  } finally {
    await database.close();
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

if (import.meta.main) {
  process.exitCode = await runCli(process.argv.slice(2), process.env);
}
