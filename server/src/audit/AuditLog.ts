import type { Kysely, Transaction } from 'kysely';
import { join } from 'node:path';
import type { Clock } from '../meetings/ports.ts';
import { childLogger, type Logger } from '../observability/createLogger.ts';
import type { Tables } from '../storage/Tables.ts';
import type { Vault } from '../vault/Vault.ts';
import { AuditError } from './AuditError.ts';
import { lockAuditLog } from './auditLock.ts';
import type { CheckpointSink } from './CheckpointSink.ts';
import {
  parseVerifierKey,
  signCheckpoint,
  verifyCheckpoint,
  type CheckpointSigner,
} from './checkpoint.ts';
import {
  eventClassOf,
  eventContent,
  isAuditAction,
  type AuditActor,
  type AuditEventInput,
  type AuditJson,
  type AuditReceipt,
} from './events.ts';
import { checkSubjectId, eraseBatch, namingSubject, type ErasablePick } from './erasure.ts';
import { FileCheckpointSink } from './FileCheckpointSink.ts';
import { canonicalJson, createAuditLeaf } from './leaf.ts';
import { bytesEqual, HASH_SIZE } from './merkle.ts';
import { MerkleAccumulator } from './MerkleAccumulator.ts';
import { readLatestCheckpoint, readLeafHashes } from './readLog.ts';
import { checkRetentionDays, DEFAULT_RETENTION_DAYS, type RetentionDays } from './retention.ts';
import { loadOrCreateSigningKey } from './signingKey.ts';
import { SinkDispatcher } from './SinkDispatcher.ts';
import { truncateAddress } from './truncateAddress.ts';

/** What `AuditLog.open` needs. */
export interface AuditLogDeps {
  readonly db: Kysely<Tables>;
  /** Seals the checkpoint signing key in the database. */
  readonly vault: Vault;
  /** Where event times come from. */
  readonly clock: Clock;
  readonly logger: Logger;
  /**
   * The data folder: when given, every checkpoint is also appended to
   * `<dataDir>/audit/checkpoints.log`, a copy outside the database that `audit verify` reads.
   */
  readonly dataDir?: string;
  /** The log's name in checkpoints, e.g. `meet.example.org/audit` (no spaces or '+'). */
  readonly origin: string;
  /** Write a checkpoint after this many new events; default 1000. */
  readonly checkpointEvery?: number;
  /** Write a checkpoint this often when there are new events; default 60 s, 0 = never. */
  readonly checkpointIntervalMs?: number;
  /** External witnesses that receive every checkpoint. */
  readonly sinks?: readonly CheckpointSink[];
  /** Retention in days per event class; default one year for everything. */
  readonly retentionDays?: RetentionDays;
  /** The most events committed in one transaction; default 500. */
  readonly maxBatch?: number;
  /** The first retry delay for a failed sink delivery; default 1 s, doubling to 60 s. */
  readonly sinkRetryMs?: number;
}

/** One `record` call waiting for its transaction. */
interface Pending {
  readonly input: AuditEventInput;
  readonly source: string | undefined;
  readonly time: Date;
  readonly resolve: (receipt: AuditReceipt) => void;
  readonly reject: (error: unknown) => void;
}

const ACTOR_KINDS: ReadonlySet<string> = new Set(['participant', 'user', 'system']);
const OUTCOMES: ReadonlySet<string> = new Set(['success', 'failure', 'denied']);
const DAY_MS = 24 * 60 * 60 * 1000;
/** The longest text field accepted, so one event cannot bloat the log. */
const MAX_FIELD_LENGTH = 512;

/**
 * The audit trail's single entry point (DESIGN.md convention 11): every security-relevant
 * action calls `record` and acknowledges the user only once it resolves, i.e. once the event
 * is committed to the database.
 *
 * Events form an RFC 9162 Merkle tree (leaf = hash of a random salt and the event's
 * canonical bytes, see `leaf.ts`); its state is kept in memory as a `MerkleAccumulator`
 * (O(log n) hashes) so signed checkpoints cost nothing to compute. Checkpoints are written
 * every `checkpointEvery` events, every `checkpointIntervalMs` and on `close`, and are
 * handed to the sinks in the background.
 *
 * Group commit: calls that arrive while a transaction runs wait and go together into the
 * next one (up to `maxBatch`), so one fsync covers hundreds of events. Seqs are assigned
 * inside the transaction under an advisory lock (`lockAuditLog`), so several processes
 * sharing PostgreSQL append in turn; each first catches up with what the others appended.
 */
export class AuditLog {
  /** The public key that verifies this log's checkpoints (`<origin>+<id>+<key>`). */
  readonly verifierKey: string;
  /** The log's name in its checkpoints. */
  readonly origin: string;

  readonly #db: Kysely<Tables>;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #signer: CheckpointSigner;
  readonly #dispatcher: SinkDispatcher;
  readonly #checkpointEvery: number;
  readonly #maxBatch: number;
  readonly #retentionDays: RetentionDays;
  /** The tree of every committed event this process knows of. */
  #tree: MerkleAccumulator;
  readonly #queue: Pending[] = [];
  #draining: Promise<void> | undefined;
  /** The last checkpoint written or restored: its size and text. */
  #lastCheckpoint: { size: number; text: string } | undefined;
  /** The tree size at which an automatic checkpoint was last requested. */
  #checkpointRequestedAt: number;
  #checkpointChain: Promise<unknown> = Promise.resolve();
  readonly #timer: NodeJS.Timeout | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;

  private constructor(
    deps: AuditLogDeps,
    key: { signer: CheckpointSigner; verifierKey: string },
    restored: { tree: MerkleAccumulator; checkpoint: { size: number; text: string } | undefined },
    logger: Logger,
  ) {
    this.#db = deps.db;
    this.#clock = deps.clock;
    this.#logger = logger;
    this.origin = deps.origin;
    this.#signer = key.signer;
    this.verifierKey = key.verifierKey;
    this.#tree = restored.tree;
    this.#lastCheckpoint = restored.checkpoint;
    this.#checkpointRequestedAt = restored.checkpoint?.size ?? 0;
    this.#checkpointEvery = positive(deps.checkpointEvery ?? 1000, 'checkpointEvery');
    this.#maxBatch = positive(deps.maxBatch ?? 500, 'maxBatch');
    this.#retentionDays = deps.retentionDays ?? DEFAULT_RETENTION_DAYS;
    const sinks = [...(deps.sinks ?? [])];
    if (deps.dataDir !== undefined) {
      sinks.unshift(new FileCheckpointSink(join(deps.dataDir, 'audit', 'checkpoints.log')));
    }
    this.#dispatcher = new SinkDispatcher(sinks, logger, {
      ...(deps.sinkRetryMs === undefined ? {} : { retryMs: deps.sinkRetryMs }),
    });
    const intervalMs = deps.checkpointIntervalMs ?? 60_000;
    if (intervalMs > 0) {
      this.#timer = setInterval(() => {
        if (this.#tree.size !== this.#lastCheckpoint?.size) this.#autoCheckpoint();
      }, intervalMs);
      this.#timer.unref();
    }
  }

  /**
   * Opens the log: loads (or creates) the signing key, restores the tree from the latest
   * checkpoint's stored state and the events after it (without replaying the whole log), and
   * starts the checkpoint timer.
   */
  static async open(deps: AuditLogDeps): Promise<AuditLog> {
    const logger = childLogger(deps.logger, 'audit');
    checkRetentionDays(deps.retentionDays ?? DEFAULT_RETENTION_DAYS);
    const key = await loadOrCreateSigningKey(deps.db, deps.vault, deps.origin, deps.clock);
    const restored = await restoreTree(deps.db, key.verifierKey, logger);
    const log = new AuditLog(deps, key, restored, logger);
    logger.info(
      { origin: deps.origin, size: restored.tree.size, verifierKey: key.verifierKey },
      'audit log open',
    );
    return log;
  }

  /** The number of committed events this process knows of. */
  get size(): number {
    return this.#tree.size;
  }

  /** Checkpoints not yet delivered to every sink. */
  get pendingSinkDeliveries(): number {
    return this.#dispatcher.pending;
  }

  /** Resolves true once every sink has received every checkpoint (false on timeout). */
  sinksIdle(timeoutMs?: number): Promise<boolean> {
    return this.#dispatcher.idle(timeoutMs);
  }

  /**
   * Records an event and resolves once it is durably committed: acknowledge the user's
   * action only then. Rejects (and nothing is stored) when the event is malformed, the
   * database fails, or the log is closed. The source address is truncated here (P1).
   */
  async record(event: AuditEventInput): Promise<AuditReceipt> {
    if (this.#closed) throw new AuditError('closed', 'the audit log is closed');
    checkEvent(event);
    const input = snapshot(event);
    const source = input.source === undefined ? undefined : truncateAddress(input.source);
    const time = this.#clock.now();
    return new Promise((resolve, reject) => {
      this.#queue.push({ input, source, time, resolve, reject });
      this.#drain();
    });
  }

  /**
   * Signs and stores a checkpoint of every committed event and hands it to the sinks;
   * resolves to its text. When nothing was appended since the last checkpoint, that one is
   * returned instead of writing another.
   */
  checkpoint(): Promise<string> {
    const run = this.#checkpointChain.catch(() => undefined).then(() => this.#writeCheckpoint());
    this.#checkpointChain = run;
    return run;
  }

  /**
   * Erases the content, salt and personal columns of every event older than its class's
   * retention period (A3), keeping seq and leaf hash so that every proof stays valid.
   * Runs in batches through the only UPDATE path the database allows; records how many
   * events of each class it erased. Resolves to the total.
   */
  async applyRetention(now: Date = this.#clock.now()): Promise<number> {
    if (this.#closed) throw new AuditError('closed', 'the audit log is closed');
    const named = Object.keys(this.#retentionDays).filter((name) => name !== 'default');
    const erased: Record<string, number> = {};
    let total = 0;
    for (const eventClass of [...named, 'default']) {
      const days = this.#retentionDays[eventClass] ?? this.#retentionDays.default;
      const cutoff = new Date(now.getTime() - days * DAY_MS);
      for (;;) {
        const { count } = await eraseBatch(this.#db, expiredOf(eventClass, named, cutoff), now);
        if (count === 0) break;
        erased[eventClass] = (erased[eventClass] ?? 0) + count;
        total += count;
      }
    }
    if (total > 0) {
      this.#logger.info({ erased }, 'audit retention applied');
      await this.record({
        action: 'audit.retention_applied',
        actor: { kind: 'system', id: 'retention' },
        outcome: 'success',
        details: { erased },
      });
    }
    return total;
  }

  /**
   * Erases every event that names a person (P4): those they did, those done to them, and any
   * whose content holds their id (see `namingSubject`), exactly as retention erases events
   * (content, salt and personal columns gone, seq and leaf hash kept, so `verify` still
   * passes), in batches. Then records `audit.subject_erased` by `by` with the count only:
   * the id itself is never written again. Resolves to the number of events erased.
   */
  async eraseSubject(subjectId: string, by: AuditActor): Promise<number> {
    if (this.#closed) throw new AuditError('closed', 'the audit log is closed');
    // The record of the erasure must not fail once events are erased: check it first.
    const erasure = { action: 'audit.subject_erased', actor: by, outcome: 'success' } as const;
    checkEvent(erasure);
    await checkSubjectId(this.#db, subjectId);
    if (by.id === subjectId) {
      throw new AuditError(
        'invalid_argument',
        'erasure: the subject cannot record its own erasure',
      );
    }
    const now = this.#clock.now();
    let total = 0;
    for (let after = -1; ;) {
      const { count, lastSeq } = await eraseBatch(this.#db, namingSubject(subjectId, after), now);
      if (count === 0) break;
      total += count;
      after = lastSeq;
    }
    // The count only: which person it was must not be learnt from the log.
    this.#logger.info({ erased: total }, 'audit events of a person erased');
    await this.record({ ...erasure, details: { erased: total } });
    return total;
  }

  /**
   * Commits what is queued, writes a final checkpoint, and makes a last attempt to deliver
   * checkpoints to the sinks. Idempotent; `record` rejects from the first call on.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    while (this.#draining !== undefined) await this.#draining;
    try {
      await this.checkpoint();
    } catch (error) {
      this.#logger.error({ err: error }, 'the final audit checkpoint failed');
    }
    await this.#dispatcher.close();
  }

  /** Starts the commit loop unless it runs already. */
  #drain(): void {
    if (this.#draining !== undefined) return;
    this.#draining = this.#commitQueued().finally(() => {
      this.#draining = undefined;
      // A call may have queued between the loop's last look and this callback.
      if (this.#queue.length > 0) this.#drain();
    });
  }

  async #commitQueued(): Promise<void> {
    // Let the callers of this turn of the event loop join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      try {
        const receipts = await this.#commit(batch);
        batch.forEach((pending, i) => {
          pending.resolve(receipts[i] as AuditReceipt);
        });
      } catch (error) {
        this.#logger.error({ err: error, events: batch.length }, 'audit events were not stored');
        for (const pending of batch) pending.reject(error);
      }
    }
  }

  /** One transaction: lock, learn the next seq, insert the batch; then adopt the new tree. */
  async #commit(batch: readonly Pending[]): Promise<AuditReceipt[]> {
    // Read committed, whatever the server's default: the seq query after the lock must see
    // what the previous holder committed (a repeatable-read snapshot would predate it).
    const transaction = this.#db.transaction().setIsolationLevel('read committed');
    const { tree, receipts } = await transaction.execute(async (trx) => {
      await lockAuditLog(trx);
      const last = await trx
        .selectFrom('audit_events')
        .select('seq')
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      const next = last === undefined ? 0 : Number(last.seq) + 1;
      const working = await this.#caughtUp(trx, next);
      const rows = batch.map((pending, i) => {
        const seq = next + i;
        const { input, source, time } = pending;
        const leaf = createAuditLeaf(eventContent(seq, time, input, source));
        working.append(leaf.leafHash);
        return {
          seq,
          recorded_at: time,
          action: input.action,
          actor_kind: input.actor.kind,
          actor_id: input.actor.id,
          target: input.target ?? null,
          meeting_id: input.meetingId ?? null,
          outcome: input.outcome,
          source: source ?? null,
          event_class: eventClassOf(input.action),
          content: leaf.bytes,
          salt: leaf.salt,
          leaf_hash: leaf.leafHash,
          erased_at: null,
        };
      });
      await trx.insertInto('audit_events').values(rows).execute();
      return {
        tree: working,
        receipts: rows.map((row) => ({
          seq: row.seq,
          recordedAt: row.recorded_at,
          leafHash: row.leaf_hash.toString('base64'),
        })),
      };
    });
    // Another batch of this process cannot have committed meanwhile (one loop), but a
    // checkpoint may read the tree at any time: swap it in whole.
    if (tree.size > this.#tree.size) this.#tree = tree;
    if (this.#tree.size - this.#checkpointRequestedAt >= this.#checkpointEvery) {
      this.#autoCheckpoint();
    }
    return receipts;
  }

  /**
   * A copy of the tree extended to `next` events with what other processes appended
   * (read under the lock, so nothing can be added meanwhile). A database that holds fewer
   * events than this process has seen lost some: refuse to append to it.
   */
  async #caughtUp(trx: Transaction<Tables>, next: number): Promise<MerkleAccumulator> {
    const working = MerkleAccumulator.fromState(this.#tree.state());
    if (next < working.size) {
      throw new AuditError(
        'inconsistent',
        `the audit log holds ${next} events, but this server has seen ${working.size}; ` +
          'run `npm run audit -- verify`',
      );
    }
    if (next > working.size) await appendStored(trx, working, next);
    return working;
  }

  async #writeCheckpoint(): Promise<string> {
    const tree = this.#tree;
    const size = tree.size;
    if (this.#lastCheckpoint?.size === size) return this.#lastCheckpoint.text;
    const rootHash = tree.root();
    const text = signCheckpoint({ origin: this.origin, treeSize: size, rootHash }, this.#signer);
    await this.#db
      .insertInto('audit_checkpoints')
      .values({
        tree_size: size,
        root_hash: rootHash,
        text,
        state: Buffer.concat(tree.state().subtreeRoots),
        created_at: this.#clock.now(),
      })
      .execute();
    if (size > (this.#lastCheckpoint?.size ?? -1)) this.#lastCheckpoint = { size, text };
    this.#dispatcher.dispatch(text);
    return text;
  }

  #autoCheckpoint(): void {
    this.#checkpointRequestedAt = this.#tree.size;
    this.checkpoint().catch((error: unknown) => {
      this.#logger.error({ err: error }, 'writing an audit checkpoint failed');
    });
  }
}

/** The expired events of one class (or of every class not named, for `default`). */
function expiredOf(eventClass: string, named: readonly string[], cutoff: Date): ErasablePick {
  return (trx) => {
    const expired = trx.selectFrom('audit_events').select('seq').where('recorded_at', '<', cutoff);
    if (eventClass !== 'default') return expired.where('event_class', '=', eventClass);
    return named.length === 0 ? expired : expired.where('event_class', 'not in', named);
  };
}

function positive(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new TypeError(`${name} must be a whole number ≥ 1`);
  }
  return value;
}

/** Refuses a malformed event before it is queued, so it cannot fail a whole batch. */
function checkEvent(event: AuditEventInput): void {
  const invalid = (why: string): never => {
    throw new AuditError('invalid_argument', `audit event: ${why}`);
  };
  if (!isAuditAction(event.action)) invalid(`unknown action ${String(event.action)}`);
  if (!ACTOR_KINDS.has(event.actor.kind)) invalid('unknown actor kind');
  if (!OUTCOMES.has(event.outcome)) invalid('unknown outcome');
  const text: [string, unknown][] = [
    ['actor id', event.actor.id],
    ['target', event.target],
    ['meeting id', event.meetingId],
  ];
  for (const [name, value] of text) {
    if (value === undefined && name !== 'actor id') continue;
    if (typeof value !== 'string' || value.length === 0 || value.length > MAX_FIELD_LENGTH) {
      invalid(`the ${name} must be text of 1 to ${String(MAX_FIELD_LENGTH)} characters`);
    }
    // Ids, not prose: control characters would only serve to forge log lines or columns.
    // eslint-disable-next-line no-control-regex -- control characters are what is refused
    if (/[\u0000-\u001f\u007f]/.test(value as string))
      invalid(`the ${name} contains control characters`);
  }
  if (event.details !== undefined) {
    if (typeof event.details !== 'object' || Array.isArray(event.details)) {
      invalid('details must be a JSON object');
    }
  }
}

/**
 * A copy of the event as it is now, so that a caller changing its objects while the event
 * waits for its transaction changes nothing; the details go through canonical JSON, which
 * refuses (`AuditError('not_canonical')`) anything it cannot hold.
 */
function snapshot(event: AuditEventInput): AuditEventInput {
  const { details, actor, ...rest } = event;
  const copy = { ...rest, actor: { kind: actor.kind, id: actor.id } };
  if (details === undefined) return copy;
  return { ...copy, details: JSON.parse(canonicalJson(details)) as Record<string, AuditJson> };
}

/** Appends the stored leaf hashes from `tree.size` up to `next` to `tree`, refusing gaps. */
async function appendStored(
  db: Kysely<Tables>,
  tree: MerkleAccumulator,
  next: number,
): Promise<void> {
  for await (const page of readLeafHashes(db, { fromSeq: tree.size, toSeq: next })) {
    for (const { seq, leafHash } of page) {
      if (seq !== tree.size || leafHash.length !== HASH_SIZE) {
        throw new AuditError(
          'inconsistent',
          `the audit log has a gap or a bad leaf at event ${tree.size}; run \`npm run audit -- verify\``,
        );
      }
      tree.append(leafHash);
    }
  }
  if (tree.size !== next) {
    throw new AuditError('inconsistent', `the audit log has a gap before event ${next}`);
  }
}

/**
 * The tree as of the latest checkpoint (from its stored state, if the checkpoint verifies
 * with our key and the state gives its root) plus every event stored after it. Falls back
 * to replaying every leaf hash when the state is missing or does not check out, or when the
 * log is shorter than the checkpoint (it was cut: that stays for `verify` to report).
 */
async function restoreTree(
  db: Kysely<Tables>,
  verifierKey: string,
  logger: Logger,
): Promise<{ tree: MerkleAccumulator; checkpoint: { size: number; text: string } | undefined }> {
  const latest = await readLatestCheckpoint(db);
  const stored = await db
    .selectFrom('audit_events')
    .select('seq')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const next = stored === undefined ? 0 : Number(stored.seq) + 1;
  let tree = new MerkleAccumulator();
  let checkpoint: { size: number; text: string } | undefined;
  if (latest !== undefined) {
    try {
      const verified = verifyCheckpoint(latest.text, parseVerifierKey(verifierKey));
      const roots: Buffer[] = [];
      for (let at = 0; at < latest.state.length; at += HASH_SIZE) {
        roots.push(latest.state.subarray(at, at + HASH_SIZE));
      }
      const restored = MerkleAccumulator.fromState({
        size: verified.treeSize,
        subtreeRoots: roots,
      });
      if (!bytesEqual(restored.root(), verified.rootHash)) {
        throw new AuditError('inconsistent', 'the stored tree state does not give the signed root');
      }
      if (next < verified.treeSize) {
        throw new AuditError(
          'inconsistent',
          `the log holds ${next} events, fewer than its checkpoint for ${verified.treeSize}`,
        );
      }
      tree = restored;
      checkpoint = { size: verified.treeSize, text: latest.text };
    } catch (error) {
      logger.error(
        { err: error },
        'the latest audit checkpoint cannot be resumed from; replaying the log (run audit verify)',
      );
    }
  }
  await appendStored(db, tree, next);
  return { tree, checkpoint };
}
