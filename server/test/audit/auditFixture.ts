import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { AuditLog, type AuditLogDeps } from '../../src/audit/AuditLog.ts';
import type { AuditEventInput, AuditRow } from '../../src/audit/events.ts';
import { readAuditRows, readCheckpoints, readVerifierKeys } from '../../src/audit/readLog.ts';
import { verifyLog, type VerifyResult } from '../../src/audit/verifyLog.ts';
import { createLogger } from '../../src/observability/createLogger.ts';
import type { Tables } from '../../src/storage/Tables.ts';
import { LocalKeyring } from '../../src/vault/LocalKeyring.ts';
import { Vault } from '../../src/vault/Vault.ts';
import type { TestBackend, TestDatabase } from '../helpers/databases.ts';

/** The log name the tests use. */
export const ORIGIN = 'konvent.test/audit';

/** A clock the test moves by hand. */
export class ManualClock {
  #now: number;

  constructor(start = Date.UTC(2030, 0, 1, 9, 0, 0)) {
    this.#now = start;
  }

  now(): Date {
    return new Date(this.#now);
  }

  advance(ms: number): void {
    this.#now += ms;
  }
}

/** A database, a vault and a clock for audit tests, and a way to open logs on them. */
export interface AuditFixture {
  readonly t: TestDatabase;
  readonly vault: Vault;
  readonly clock: ManualClock;
  readonly db: Kysely<Tables>;
  open(overrides?: Partial<AuditLogDeps>): Promise<AuditLog>;
  cleanup(): Promise<void>;
}

/** Opens a fresh database on `backend` with a keyring in a temporary folder. */
export async function openFixture(backend: TestBackend): Promise<AuditFixture> {
  const t = await backend.open();
  const keyDir = await mkdtemp(join(tmpdir(), 'konvent-audit-keys-'));
  const vault = new Vault(await LocalKeyring.openOrCreate(keyDir));
  const clock = new ManualClock();
  const logger = createLogger({ logLevel: 'silent' });
  const logs: AuditLog[] = [];
  return {
    t,
    vault,
    clock,
    get db() {
      return t.database.db;
    },
    async open(overrides = {}) {
      const log = await AuditLog.open({
        db: t.database.db,
        vault,
        clock,
        logger,
        origin: ORIGIN,
        checkpointIntervalMs: 0,
        ...overrides,
      });
      logs.push(log);
      return log;
    },
    async cleanup() {
      for (const log of logs) await log.close();
      await t.cleanup();
      await rm(keyDir, { recursive: true, force: true });
    },
  };
}

/** A valid event; `n` varies the actor and target. */
export function sampleEvent(n: number, overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    action: 'meeting.joined',
    actor: { kind: 'participant', id: `p-${String(n)}` },
    target: `m-${String(n % 3)}`,
    meetingId: `m-${String(n % 3)}`,
    outcome: 'success',
    source: `198.51.100.${String(n % 250)}`,
    details: { role: 'participant', n },
    ...overrides,
  };
}

/** Verifies the stored log against its stored checkpoints and key. */
export async function verifyDatabase(
  db: Kysely<Tables>,
  extraCheckpoints: readonly string[] = [],
): Promise<VerifyResult> {
  const [key] = await readVerifierKeys(db);
  if (key === undefined) throw new Error('no audit key stored');
  const checkpoints = (await readCheckpoints(db)).map((checkpoint) => checkpoint.text);
  return verifyLog(readAuditRows(db, { pageSize: 64 }), {
    verifierKey: key.verifierKey,
    checkpoints: [...checkpoints, ...extraCheckpoints],
  });
}

/**
 * Runs `change` with the audit triggers off, as someone with superuser access to the
 * database could: `session_replication_role = replica` skips ordinary triggers.
 */
export async function tamper(
  db: Kysely<Tables>,
  change: (trx: Kysely<Tables>) => Promise<unknown>,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    await change(trx);
  });
}

/** Every stored event, in seq order. */
export async function storedRows(db: Kysely<Tables>): Promise<AuditRow[]> {
  const rows: AuditRow[] = [];
  for await (const row of readAuditRows(db, { pageSize: 64 })) rows.push(row);
  return rows;
}
