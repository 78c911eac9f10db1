/**
 * Shared media storage benchmark (issue 6, item 5): how fast an upload is sealed into 1 MiB
 * chunks and stored, how fast it is streamed back (every chunk opened, as a player reading
 * the whole file), and how long a seek takes (the first byte of a random 1 MiB range), on
 * the embedded database and, with DATABASE_URL, on PostgreSQL. The upload is random bytes:
 * ffprobe and the HTTP layer are not what this measures.
 *
 *   npm run bench:media             (MIB=64 per file, SEEKS=40 by default)
 *
 * Prints per backend `media <backend> store=<MiB/s> stream=<MiB/s> seek_p50=<ms> seek_p90=<ms>`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveRange } from '../server/src/meetings/MediaDesk.ts';
import { SqlMeetingRepository } from '../server/src/storage/SqlMeetingRepository.ts';
import { SqlSharedMediaRepository } from '../server/src/storage/SqlSharedMediaRepository.ts';
import { LocalKeyring } from '../server/src/vault/LocalKeyring.ts';
import { Vault } from '../server/src/vault/Vault.ts';
import { eachBackend } from '../server/test/helpers/databases.ts';

const MIB = 1024 * 1024;
const SIZE = Number(process.env['MIB'] ?? 64) * MIB;
const SEEKS = Number(process.env['SEEKS'] ?? 40);

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

const keyDir = await mkdtemp(join(tmpdir(), 'konvent-bench-keys-'));
try {
  const vault = new Vault(await LocalKeyring.openOrCreate(keyDir));
  for (const backend of eachBackend()) {
    const t = await backend.open();
    try {
      const meetings = new SqlMeetingRepository(t.database.db, vault);
      const repo = new SqlSharedMediaRepository(t.database.db, vault);
      const meetingId = randomBytes(16).toString('base64url');
      await meetings.createMeeting({
        id: meetingId,
        title: 'Bench',
        createdAt: new Date(),
        moderatorTokenHash: randomBytes(32).toString('base64url'),
        participantTokenHash: randomBytes(32).toString('base64url'),
      });
      const content = randomBytes(SIZE);
      const record = {
        id: randomBytes(16).toString('base64url'),
        meetingId,
        uploadedBy: 'bench',
        name: 'bench.webm',
        kind: 'video' as const,
        mime: 'video/webm',
        duration: 600,
        size: SIZE,
        chunkBytes: repo.chunkBytes,
        createdAt: new Date(),
      };
      const load = loadavg()[0] ?? 0;

      let started = performance.now();
      await repo.add(record, content);
      const storeSeconds = (performance.now() - started) / 1000;

      const chunks = Math.ceil(SIZE / repo.chunkBytes);
      started = performance.now();
      let read = 0;
      for await (const chunk of repo.chunks(meetingId, record.id, 0, chunks - 1))
        read += chunk.length;
      const streamSeconds = (performance.now() - started) / 1000;
      if (read !== SIZE) throw new Error(`read ${String(read)} of ${String(SIZE)} bytes`);

      const seeks: number[] = [];
      for (let i = 0; i < SEEKS; i++) {
        const start = Math.floor(Math.random() * (SIZE - MIB));
        const range = resolveRange({ start, end: start + MIB - 1 }, SIZE);
        const first = Math.floor(range.start / repo.chunkBytes);
        started = performance.now();
        for await (const chunk of repo.chunks(meetingId, record.id, first, first)) {
          if (chunk.length === 0) throw new Error('empty chunk');
          break;
        }
        seeks.push(performance.now() - started);
      }
      seeks.sort((a, b) => a - b);
      const mib = SIZE / MIB;
      console.log(
        `media ${backend.name} store=${(mib / storeSeconds).toFixed(0)} ` +
          `stream=${(mib / streamSeconds).toFixed(0)} ` +
          `seek_p50=${quantile(seeks, 0.5).toFixed(1)} seek_p90=${quantile(seeks, 0.9).toFixed(1)} ` +
          `(MiB/s, ms; ${String(mib)} MiB, load ${load.toFixed(1)})`,
      );
    } finally {
      await t.cleanup();
    }
  }
} finally {
  await rm(keyDir, { recursive: true, force: true });
}
