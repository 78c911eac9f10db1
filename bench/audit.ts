/**
 * Audit log benchmark (issue 3): durable appends per second through the real API on
 * PostgreSQL, and verification speed over a log of at least a million events.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:audit
 *
 * Knobs (environment): APPEND_EVENTS (50,000), IN_FLIGHT (256), VERIFY_EVENTS (1,000,000),
 * VERIFY_RUNS (3), VERIFY_WORKERS (page-checking worker threads; default as
 * `npm run audit -- verify`: none on two cores, else cores − 2, at most 3).
 *
 * 1. append: IN_FLIGHT concurrent callers each await `AuditLog.record` in a loop until
 *    APPEND_EVENTS events are stored; a call resolves only after its transaction commits
 *    (synchronous_commit as the server has it, normally on: fsync'd WAL).
 * 2. fill: the log is topped up to VERIFY_EVENTS with valid events written by batched
 *    INSERT … SELECT FROM unnest(…) (not timed); the AuditLog is reopened (it resumes from
 *    its last checkpoint and reads only the leaf hashes after it) and signs a checkpoint
 *    over everything.
 * 3. verify, VERIFY_RUNS times: `verifyPostgres` over every event streamed from the
 *    database, exactly as `npm run audit -- verify` does on PostgreSQL (binary COPY pages,
 *    keyset-paginated by seq, rows checked in place, by worker threads on larger
 *    machines): leaf recomputed, seq and columns compared with the content, tree rebuilt,
 *    every checkpoint checked. Each run
 *    prints its rate, the CPU time per event of this process (all threads) and of the
 *    PostgreSQL backend that served it (read from /proc when the server runs on this
 *    machine), and the load average.
 *
 * Runs in a throwaway database (konvent_bench_<random>) dropped at the end. The last line is
 * exactly `append=<events/s> verify=<events/s>`, verify being the median run.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { AuditLog } from '../server/src/audit/AuditLog.ts';
import { eventClassOf, eventContent, type AuditEventInput } from '../server/src/audit/events.ts';
import { createAuditLeaf } from '../server/src/audit/leaf.ts';
import { readCheckpoints } from '../server/src/audit/readLog.ts';
import { truncateAddress } from '../server/src/audit/truncateAddress.ts';
import { defaultVerifyWorkers, verifyPostgres } from '../server/src/audit/verifyPostgres.ts';
import { createLogger } from '../server/src/observability/createLogger.ts';
import type { Database } from '../server/src/storage/Database.ts';
import { openDatabase } from '../server/src/storage/openDatabase.ts';
import { systemClock } from '../server/src/storage/SystemClock.ts';
import { LocalKeyring } from '../server/src/vault/LocalKeyring.ts';
import { Vault } from '../server/src/vault/Vault.ts';

const ORIGIN = 'bench.konvent.invalid/audit';
const ACTIONS = ['meeting.joined', 'meeting.left', 'meeting.created', 'meeting.ended'] as const;

function intFromEnv(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new Error(`${name} must be a whole number ≥ ${String(min)}, got ${raw}`);
  }
  return value;
}

function load(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
}

/**
 * CPU seconds a PostgreSQL backend has used (user + system), from /proc; undefined when it
 * is not a local postgres process (a server elsewhere may use a pid that is taken here).
 */
async function backendCpu(pid: number): Promise<number | undefined> {
  try {
    const comm = await readFile(`/proc/${String(pid)}/comm`, 'utf8');
    if (comm.trim() !== 'postgres') return undefined;
    const stat = await readFile(`/proc/${String(pid)}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are 12 and 13.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** One verification run, timed, with the CPU it took here and in the PostgreSQL backend. */
async function verifyRun(
  url: string,
  input: { verifierKey: string; checkpoints: string[] },
  events: number,
  workers: number,
): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
    const backend = rows[0]?.pid ?? -1;
    const loadBefore = load();
    const backendStart = await backendCpu(backend);
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    const result = await verifyPostgres(client, input, { workers });
    const ms = performance.now() - started;
    const cpu = process.cpuUsage(cpuStart);
    const backendEnd = await backendCpu(backend);
    if (!result.ok) throw new Error(`the benchmark log does not verify: ${result.reason}`);
    if (result.size !== events) throw new Error(`verified ${String(result.size)} events`);
    const rate = perSecond(events, ms);
    const nodeUs = (cpu.user + cpu.system) / events;
    const backendUs =
      backendStart === undefined || backendEnd === undefined
        ? 'n/a'
        : ((backendEnd - backendStart) * 1e6) / events;
    console.log(
      `verify: ${String(result.size)} events, ${String(result.checkpoints)} checkpoints, ` +
        `${String(workers)} workers: ${String(Math.round(ms))} ms (${String(rate)}/s); CPU per ` +
        `event: this process ${nodeUs.toFixed(2)} µs, PostgreSQL backend ` +
        `${typeof backendUs === 'number' ? `${backendUs.toFixed(2)} µs` : backendUs}; ` +
        `load ${loadBefore} → ${load()}`,
    );
    return rate;
  } finally {
    await client.end();
  }
}

/** A realistic event: pseudonymous ids, a truncatable address, a few details. */
function benchEvent(i: number): AuditEventInput {
  return {
    action: ACTIONS[i % ACTIONS.length] ?? 'meeting.joined',
    actor: { kind: 'participant', id: `p-${(i * 2654435761) % 4294967296}` },
    target: `participant:${(i * 40503) % 65536}`,
    meetingId: `m-${Math.floor(i / 500)}`,
    outcome: i % 97 === 0 ? 'denied' : 'success',
    source: `203.0.${(i >> 8) & 255}.${i & 255}`,
    details: { role: 'participant', client: 'web', n: i },
  };
}

async function admin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

function perSecond(count: number, ms: number): number {
  return Math.round((count / ms) * 1000);
}

async function append(log: AuditLog, events: number, inFlight: number): Promise<number> {
  let issued = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (issued < events) {
      const i = issued++;
      await log.record(benchEvent(i));
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return performance.now() - started;
}

/** Tops the log up to `total` events with valid rows, fast, bypassing the API. */
async function fill(database: Database, from: number, total: number): Promise<void> {
  const chunk = 20_000;
  const base = Date.now();
  for (let start = from; start < total; start += chunk) {
    const columns = {
      seq: [] as number[],
      time: [] as Date[],
      action: [] as string[],
      actorKind: [] as string[],
      actorId: [] as string[],
      target: [] as string[],
      meeting: [] as string[],
      outcome: [] as string[],
      source: [] as string[],
      eventClass: [] as string[],
      content: [] as Buffer[],
      salt: [] as Buffer[],
      leaf: [] as Buffer[],
    };
    for (let seq = start; seq < Math.min(start + chunk, total); seq++) {
      const input = benchEvent(seq);
      const time = new Date(base + seq);
      const source = truncateAddress(input.source ?? '');
      const leaf = createAuditLeaf(eventContent(seq, time, input, source));
      columns.seq.push(seq);
      columns.time.push(time);
      columns.action.push(input.action);
      columns.actorKind.push(input.actor.kind);
      columns.actorId.push(input.actor.id);
      columns.target.push(input.target ?? '');
      columns.meeting.push(input.meetingId ?? '');
      columns.outcome.push(input.outcome);
      columns.source.push(source);
      columns.eventClass.push(eventClassOf(input.action));
      columns.content.push(leaf.bytes);
      columns.salt.push(leaf.salt);
      columns.leaf.push(leaf.leafHash);
    }
    const c = columns;
    await sql`insert into audit_events (seq, recorded_at, action, actor_kind, actor_id, target,
        meeting_id, outcome, source, event_class, content, salt, leaf_hash)
      select * from unnest(${c.seq}::bigint[], ${c.time}::timestamptz[], ${c.action}::text[],
        ${c.actorKind}::text[], ${c.actorId}::text[], ${c.target}::text[], ${c.meeting}::text[],
        ${c.outcome}::text[], ${c.source}::text[], ${c.eventClass}::text[], ${c.content}::bytea[],
        ${c.salt}::bytea[], ${c.leaf}::bytea[])`.execute(database.db);
  }
}

async function main(): Promise<void> {
  const adminUrl = process.env['DATABASE_URL'];
  if (adminUrl === undefined || adminUrl === '') {
    console.error(
      'bench:audit measures PostgreSQL: set DATABASE_URL, e.g. ' +
        'DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:audit',
    );
    process.exitCode = 2;
    return;
  }
  const appendEvents = intFromEnv('APPEND_EVENTS', 50_000);
  const inFlight = intFromEnv('IN_FLIGHT', 256);
  const verifyEvents = Math.max(intFromEnv('VERIFY_EVENTS', 1_000_000), appendEvents);
  const verifyRuns = intFromEnv('VERIFY_RUNS', 3);
  const workers = intFromEnv('VERIFY_WORKERS', defaultVerifyWorkers(), 0);
  console.log(`load average at start: ${load()}`);

  const name = `konvent_bench_${randomBytes(6).toString('hex')}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dataDir = await mkdtemp(join(tmpdir(), 'konvent-bench-audit-'));
  await admin(adminUrl, `CREATE DATABASE ${name}`);
  let database: Database | undefined;
  try {
    database = await openDatabase({ databaseUrl: url.toString(), dataDir, poolSize: 8 });
    const { rows } = await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(
      database.db,
    );
    const deps = {
      db: database.db,
      vault: new Vault(await LocalKeyring.openOrCreate(join(dataDir, 'keyring'))),
      clock: systemClock,
      logger: createLogger({ logLevel: 'warn' }),
      origin: ORIGIN,
    };

    let log = await AuditLog.open(deps);
    const appendMs = await append(log, appendEvents, inFlight);
    await log.close();
    const appendRate = perSecond(appendEvents, appendMs);
    console.log(
      `append: ${appendEvents} events, ${inFlight} in flight, synchronous_commit=` +
        `${rows[0]?.synchronous_commit ?? '?'}: ${Math.round(appendMs)} ms (${appendRate}/s)`,
    );

    const fillStart = performance.now();
    await fill(database, appendEvents, verifyEvents);
    const reopenStart = performance.now();
    log = await AuditLog.open(deps);
    const reopenMs = performance.now() - reopenStart;
    await log.close();
    console.log(
      `fill: topped up to ${verifyEvents} events in ${Math.round(reopenStart - fillStart)} ms; ` +
        `reopen (resume from checkpoint, read ${verifyEvents - appendEvents} leaf hashes) ` +
        `${Math.round(reopenMs)} ms`,
    );

    const { verifierKey } = log;
    const checkpoints = (await readCheckpoints(database.db)).map((c) => c.text);
    const rates: number[] = [];
    for (let run = 0; run < verifyRuns; run++) {
      rates.push(
        await verifyRun(url.toString(), { verifierKey, checkpoints }, verifyEvents, workers),
      );
    }
    const verifyRate = median(rates);
    console.log(`append=${appendRate} verify=${verifyRate}`);
  } finally {
    await database?.close();
    await admin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
