/**
 * `npm run audit -- <command>`: the audit command line (`audit/cli.ts`: verify, export,
 * checkpoint) plus the commands that write to the log (they need the signing key):
 *
 *   grant-auditor --label <text> [--hours <1–168, default 8>]
 *       Creates a single-use sign-in link for an auditor and prints it. The link works once,
 *       within the given hours; the session it opens ends at the same time.
 *   erase-subject <id> --yes
 *       Erases every audit event that names the person with this (participant or user) id
 *       (P4, `AuditLog.eraseSubject`) and records `audit.subject_erased` with the count.
 *       Without --yes it only counts them and changes nothing.
 *
 * The embedded database can be opened by one process only: with PGlite, stop the server
 * first. Exit codes as in `audit/cli.ts`: 0 done, 2 usage or operational error (including
 * erase-subject without --yes).
 */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AuditLog } from '../audit/AuditLog.ts';
import { runAuditCli, type CliOutput } from '../audit/cli.ts';
import { checkSubjectId, countNamingSubject } from '../audit/erasure.ts';
import type { Config } from '../config/Config.ts';
import { loadConfig } from '../config/loadConfig.ts';
import { createLogger } from '../observability/createLogger.ts';
import type { Database } from '../storage/Database.ts';
import { openDatabase } from '../storage/openDatabase.ts';
import { systemClock } from '../storage/SystemClock.ts';
import { LocalKeyring } from '../vault/LocalKeyring.ts';
import { Vault } from '../vault/Vault.ts';
import { AuditorAccess } from './AuditorAccess.ts';
import { auditOrigin } from './serverEvents.ts';

const USAGE = `usage: npm run audit -- grant-auditor --label <text> [--hours <1-168>]
       npm run audit -- erase-subject <participant or user id> --yes`;

/** What the commands that write to the log work with. */
interface LogContext {
  readonly database: Database;
  readonly log: AuditLog;
  readonly vault: Vault;
  readonly config: Config;
}

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

/**
 * Runs `grant-auditor` or `erase-subject`, or hands every other command to the audit CLI;
 * resolves to the exit code.
 */
export async function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  output: CliOutput = consoleOutput,
): Promise<number> {
  const [command, ...rest] = args;
  if (command !== 'grant-auditor' && command !== 'erase-subject') {
    return runAuditCli(args, env, output);
  }
  let run: () => Promise<number>;
  try {
    run =
      command === 'grant-auditor'
        ? grantCommand(rest, env, output)
        : eraseSubjectCommand(rest, env, output);
  } catch (error) {
    output.err(`audit: ${(error as Error).message}`);
    output.err(USAGE);
    return 2;
  }
  try {
    return await run();
  } catch (error) {
    output.err(`audit: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}

/** Parses `grant-auditor`'s arguments (throwing on bad ones) into the command to run. */
function grantCommand(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  output: CliOutput,
): () => Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { label: { type: 'string' }, hours: { type: 'string', default: '8' } },
    allowPositionals: false,
  });
  if (values.label === undefined || values.label.trim() === '') {
    throw new Error('grant-auditor needs --label <text> (whom the access is for)');
  }
  if (!/^\d{1,3}$/.test(values.hours) || Number(values.hours) < 1 || Number(values.hours) > 168) {
    throw new Error('--hours must be a whole number from 1 to 168');
  }
  const label = values.label;
  const hours = Number(values.hours);
  return () =>
    withAuditLog(env, async ({ database, log, vault, config }) => {
      const access = new AuditorAccess({ db: database.db, vault, log, clock: systemClock });
      const granted = await access.grant(label, hours);
      output.out(auditorLink(config.publicUrl, granted.token));
      output.err(
        `Single-use auditor link for "${label.trim()}", valid until ${granted.expiresAt.toISOString()}. ` +
          'Send it over a trusted channel.',
      );
      return 0;
    });
}

/** Parses `erase-subject`'s arguments (throwing on bad ones) into the command to run. */
function eraseSubjectCommand(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  output: CliOutput,
): () => Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { yes: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  const [subjectId, ...extra] = positionals;
  if (subjectId === undefined || subjectId.trim() === '' || extra.length > 0) {
    throw new Error('erase-subject needs exactly one id (of a participant or a user)');
  }
  if (!values.yes) {
    // Erasure cannot be undone: without the confirmation, only say what it would do.
    return () =>
      withDatabase(env, async (database) => {
        await checkSubjectId(database.db, subjectId);
        const count = await countNamingSubject(database.db, subjectId);
        output.err(
          `audit: erase-subject would erase ${String(count)} events naming ${subjectId}, for ` +
            'good; nothing was changed. Add --yes to erase them.',
        );
        return 2;
      });
  }
  return () =>
    withAuditLog(env, async ({ log }) => {
      const erased = await log.eraseSubject(subjectId, { kind: 'system', id: 'cli' });
      output.out(
        `erased ${String(erased)} events naming ${subjectId}; recorded as audit.subject_erased`,
      );
      return 0;
    });
}

/** Opens the configured database, runs `work`, closes it. */
async function withDatabase(
  env: NodeJS.ProcessEnv,
  work: (database: Database, config: Config) => Promise<number>,
): Promise<number> {
  const embedded = env['DATABASE_URL'] === undefined || env['DATABASE_URL'].trim() === '';
  const dataDir = resolve(env['DATA_DIR']?.trim() || './data');
  // Checked before loadConfig, which would create an empty data folder.
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
    return await work(database, config);
  } finally {
    await database.close();
  }
}

/** Opens the database and the audit log as the server does, runs `work`, closes both. */
async function withAuditLog(
  env: NodeJS.ProcessEnv,
  work: (context: LogContext) => Promise<number>,
): Promise<number> {
  return withDatabase(env, async (database, config) => {
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
      return await work({ database, log, vault, config });
    } finally {
      await log.close();
    }
  });
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
