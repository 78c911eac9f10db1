/**
 * Micro benchmark of audit-log verification speed (issue 3: verify ≥ 200,000 events/s).
 *
 * Builds a log of N events (default 1,000,000): per event a random 32-byte salt and the
 * canonical JSON of a realistic ~200-byte event, stored back to back as a database scan
 * would deliver them, plus a signed checkpoint over all of them. Then it times what the
 * verify command does per event: recompute the leaf hash from (salt, canonical bytes),
 * append it to the Merkle accumulator, and finally compare the root with the verified
 * checkpoint. No database is involved; this is the cryptographic core's ceiling.
 *
 *   node bench/audit-verify.ts [events] [runs]
 *
 * Prints one line per run and, last, `verify=<events/s>` (the median run).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { signCheckpoint, verifyCheckpoint } from '../server/src/audit/checkpoint.ts';
import { auditLeafHash, canonicalBytes, SALT_SIZE } from '../server/src/audit/leaf.ts';
import { MerkleAccumulator } from '../server/src/audit/MerkleAccumulator.ts';
import { bytesEqual } from '../server/src/audit/merkle.ts';

const EVENTS = Number(process.argv[2] ?? 1_000_000);
const RUNS = Number(process.argv[3] ?? 3);
const ORIGIN = 'bench.konvent.invalid/audit';
const ACTIONS = ['meeting.joined', 'meeting.left', 'role.changed', 'recording.started'];

/** A stored log: salts and canonical event bytes, each in one contiguous buffer. */
interface StoredLog {
  readonly salts: Buffer;
  readonly events: Buffer;
  /** Event i spans events[offsets[i], offsets[i + 1]). */
  readonly offsets: Float64Array;
}

function buildLog(count: number): StoredLog {
  const salts = randomBytes(SALT_SIZE * count);
  const chunks: Buffer[] = [];
  const offsets = new Float64Array(count + 1);
  let length = 0;
  for (let i = 0; i < count; i++) {
    const bytes = canonicalBytes({
      time: 1_767_225_600_000 + i * 37,
      actor: `p:${(i * 2654435761) % 4294967296}`,
      action: ACTIONS[i % ACTIONS.length] ?? 'meeting.joined',
      target: `participant:${(i * 40503) % 65536}`,
      meeting: `m:${Math.floor(i / 500)}`,
      outcome: i % 97 === 0 ? 'denied' : 'ok',
      source: '203.0.113.0/24',
      details: { role: 'participant', client: 'web', seq: i },
    });
    chunks.push(bytes);
    length += bytes.length;
    offsets[i + 1] = length;
  }
  return { salts, events: Buffer.concat(chunks, length), offsets };
}

/** The verify pass: recompute every leaf, accumulate, compare with the checkpoint's root. */
function verifyLog(log: StoredLog, treeSize: number, root: Buffer): void {
  const accumulator = new MerkleAccumulator();
  const { salts, events, offsets } = log;
  for (let i = 0; i < treeSize; i++) {
    const salt = salts.subarray(i * SALT_SIZE, (i + 1) * SALT_SIZE);
    const bytes = events.subarray(offsets[i], offsets[i + 1]);
    accumulator.append(auditLeafHash(salt, bytes));
  }
  if (!bytesEqual(accumulator.root(), root))
    throw new Error('the log does not match its checkpoint');
}

function perSecond(count: number, ms: number): number {
  return Math.round((count / ms) * 1000);
}

const startBuild = performance.now();
const log = buildLog(EVENTS);
const keys = generateKeyPairSync('ed25519');
const building = new MerkleAccumulator();
for (let i = 0; i < EVENTS; i++) {
  const salt = log.salts.subarray(i * SALT_SIZE, (i + 1) * SALT_SIZE);
  building.append(auditLeafHash(salt, log.events.subarray(log.offsets[i], log.offsets[i + 1])));
}
const checkpoint = signCheckpoint(
  { origin: ORIGIN, treeSize: EVENTS, rootHash: building.root() },
  { name: ORIGIN, privateKey: keys.privateKey },
);
const averageBytes = Math.round(log.events.length / EVENTS);
console.log(
  `built ${EVENTS} events (${averageBytes} canonical bytes each on average) in ` +
    `${Math.round(performance.now() - startBuild)} ms`,
);

const rates: number[] = [];
for (let run = 1; run <= RUNS; run++) {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const { treeSize, rootHash } = verifyCheckpoint(checkpoint, {
    name: ORIGIN,
    publicKey: keys.publicKey,
  });
  verifyLog(log, treeSize, rootHash);
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  rates.push(perSecond(treeSize, ms));
  // CPU time shows what one free core achieves when the machine is shared with other work.
  console.log(
    `run ${run}: ${treeSize} events verified in ${Math.round(ms)} ms wall ` +
      `(${perSecond(treeSize, ms)}/s), ${Math.round(cpuMs)} ms CPU (${perSecond(treeSize, cpuMs)}/s)`,
  );
}

// The tampered log must fail, or the figure above would measure nothing.
const tamperedAt = log.offsets[EVENTS >> 1] ?? 0;
log.events[tamperedAt + 2] = (log.events[tamperedAt + 2] ?? 0) ^ 1;
let detected = false;
try {
  verifyLog(
    log,
    EVENTS,
    verifyCheckpoint(checkpoint, { name: ORIGIN, publicKey: keys.publicKey }).rootHash,
  );
} catch {
  detected = true;
}
if (!detected) throw new Error('a modified event went undetected');

rates.sort((a, b) => a - b);
console.log(`verify=${rates[Math.floor(rates.length / 2)] ?? 0}`);
