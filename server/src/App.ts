import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { AuditLog } from './audit/AuditLog.ts';
import type { CheckpointSink } from './audit/CheckpointSink.ts';
import { FileCheckpointSink } from './audit/FileCheckpointSink.ts';
import { HttpCheckpointSink } from './audit/HttpCheckpointSink.ts';
import { AuditLogTrail } from './auditor/AuditLogTrail.ts';
import { AuditorAccess } from './auditor/AuditorAccess.ts';
import { auditOrigin, recordServerStart, recordServerStop } from './auditor/serverEvents.ts';
import { openBus } from './cluster/openBus.ts';
import type { Config } from './config/Config.ts';
import { buildApp } from './http/buildApp.ts';
import { MediaService } from './media/MediaService.ts';
import { Fanout } from './meetings/Fanout.ts';
import { MeetingService, type MeetingServiceOptions } from './meetings/MeetingService.ts';
import type { Bus } from './meetings/ports.ts';
import { childLogger, type Logger } from './observability/createLogger.ts';
import { SignalingServer, type EndpointLimits } from './signaling/SignalingServer.ts';
import type { Database } from './storage/Database.ts';
import { openDatabase } from './storage/openDatabase.ts';
import { SqlMeetingRepository } from './storage/SqlMeetingRepository.ts';
import { systemClock } from './storage/SystemClock.ts';
import { LocalKeyring } from './vault/LocalKeyring.ts';
import { Vault } from './vault/Vault.ts';

/** Tunables for tests and operators; production uses the defaults. */
export interface ServerOptions {
  meetings?: Partial<MeetingServiceOptions>;
  signaling?: Partial<EndpointLimits>;
  apiPerMinute?: number;
  /** An already opened database (tests); it is then not closed by `close()`. */
  database?: Database;
  /** Audit checkpoint timing (tests); defaults: every 1000 events or 60 s. */
  audit?: { checkpointEvery?: number; checkpointIntervalMs?: number };
}

/** How often expired audit content is erased (A3). */
const RETENTION_INTERVAL_MS = 24 * 60 * 60 * 1000;
const RETENTION_FIRST_RUN_MS = 60_000;

/** A fully wired server, not yet listening. */
export interface Server {
  app: FastifyInstance;
  meetings: MeetingService;
  media: MediaService;
  signaling: SignalingServer;
  database: Database;
  bus: Bus;
  audit: AuditLog;
  auditors: AuditorAccess;
  /** Shuts everything down in dependency order. Idempotent. */
  close(): Promise<void>;
}

/**
 * Wires the server: keyring and vault in the data folder, database (migrated), bus,
 * media workers, the meetings domain, signalling and HTTP. The one place that knows every
 * concrete implementation; the parts only know each other's interfaces and events.
 *
 * Shutdown order: sockets close with 1001 (their participants become `reconnecting` and
 * reconnect here or elsewhere), HTTP stops, live meetings close without recording anyone
 * as left, then media workers and bus; then `server.stop` is audited and the audit log
 * writes its final checkpoint; the database closes last.
 */
export async function createServer(
  config: Config,
  logger: Logger,
  options: ServerOptions = {},
): Promise<Server> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const unwind = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        logger.warn({ err: error }, 'shutdown step failed');
      }
    }
  };
  try {
    const vault = new Vault(await LocalKeyring.openOrCreate(join(config.dataDir, 'keyring')));
    const database =
      options.database ??
      (await openDatabase({
        databaseUrl: config.databaseUrl,
        dataDir: config.dataDir,
        logger: childLogger(logger, 'storage'),
      }));
    if (options.database === undefined) cleanups.push(() => database.close());
    const audit = await openAuditLog(config, logger, database, vault, options.audit);
    cleanups.push(async () => {
      try {
        await recordServerStop(audit);
      } finally {
        await audit.close();
      }
    });
    await recordServerStart(audit, database.db, config);
    // A minute after start (so a server restarted daily still erases), then daily.
    let retention = setTimeout(function runRetention() {
      audit.applyRetention().catch((error: unknown) => {
        logger.error({ err: error }, 'audit retention failed');
      });
      retention = setTimeout(runRetention, RETENTION_INTERVAL_MS).unref();
    }, RETENTION_FIRST_RUN_MS).unref();
    cleanups.push(() => {
      clearTimeout(retention);
    });
    const auditors = new AuditorAccess({ db: database.db, vault, log: audit, clock: systemClock });
    const busLogger = childLogger(logger, 'cluster');
    const bus = await openBus(config.redisUrl, {
      onError: (error, channel) => {
        busLogger.warn({ err: error, channel }, 'bus error');
      },
    });
    cleanups.push(() => bus.close());
    const media = await MediaService.start(config.media, {
      bus,
      logger: childLogger(logger, 'media'),
    });
    cleanups.push(() => {
      media.close();
    });
    const meetings = new MeetingService({
      repo: new SqlMeetingRepository(database.db, vault),
      bus,
      clock: systemClock,
      logger: childLogger(logger, 'meetings'),
      audit: new AuditLogTrail(audit),
      ...(options.meetings === undefined ? {} : { options: options.meetings }),
    });
    cleanups.push(() => {
      meetings.close();
    });
    wireMediaToMeetings(meetings, media, new Fanout(bus), childLogger(logger, 'media'));

    const signaling = new SignalingServer({
      meetings,
      media,
      bus,
      logger: childLogger(logger, 'signaling'),
      allowedOrigin: new URL(config.publicUrl).origin,
      ...(options.signaling === undefined ? {} : { limits: options.signaling }),
    });
    cleanups.push(() => {
      signaling.close();
    });
    const app = await buildApp({
      config,
      logger,
      meetings,
      auditors,
      signaling,
      health: {
        database: async () => {
          await sql`select 1`.execute(database.db);
          return true;
        },
        mediaWorkers: () => media.aliveWorkers(),
      },
      ...(options.apiPerMinute === undefined ? {} : { apiPerMinute: options.apiPerMinute }),
    });
    // app.close() runs after the sockets were closed (cleanups run in reverse).
    cleanups.splice(cleanups.length - 1, 0, () => app.close());

    let closing: Promise<void> | undefined;
    return {
      app,
      meetings,
      media,
      signaling,
      database,
      bus,
      audit,
      auditors,
      close: () => (closing ??= unwind()),
    };
  } catch (error) {
    await unwind();
    throw error;
  }
}

/**
 * Media and meetings meet only here: media follows the domain's lifecycle (a participant
 * who left loses their media, a closed meeting its room), and the domain learns who is
 * sending from media. A room lost with its worker makes its participants reconnect.
 */
function wireMediaToMeetings(
  meetings: MeetingService,
  media: MediaService,
  fanout: Fanout,
  logger: Logger,
): void {
  meetings.events.on('participantLeft', ({ meetingId, participantId }) => {
    media.closeParticipant(meetingId, participantId);
  });
  meetings.events.on('meetingClosed', ({ meetingId }) => {
    media.closeRoom(meetingId);
  });
  media.events.on('sourceStateChanged', ({ meetingId, participantId, source, active }) => {
    meetings.setSourceState(meetingId, participantId, source, active);
  });
  media.events.on('roomFailed', ({ meetingId }) => {
    logger.warn({ meetingId }, 'media room lost with its worker; participants reconnect');
    fanout.disconnect(meetingId, 'all', 'restart').catch((error: unknown) => {
      logger.warn({ err: error, meetingId }, 'could not ask participants to reconnect');
    });
  });
}

/**
 * Opens the audit log with the configured witnesses: every 1000 events or 60 s a signed
 * checkpoint, also appended to AUDIT_CHECKPOINT_FILE and POSTed to AUDIT_CHECKPOINT_URL.
 */
async function openAuditLog(
  config: Config,
  logger: Logger,
  database: Database,
  vault: Vault,
  timing: ServerOptions['audit'] = {},
): Promise<AuditLog> {
  const sinks: CheckpointSink[] = [];
  if (config.audit.checkpointFile !== undefined) {
    sinks.push(new FileCheckpointSink(config.audit.checkpointFile));
  }
  if (config.audit.checkpointUrl !== undefined) {
    sinks.push(new HttpCheckpointSink(config.audit.checkpointUrl));
  }
  return AuditLog.open({
    db: database.db,
    vault,
    clock: systemClock,
    logger,
    dataDir: config.dataDir,
    origin: auditOrigin(config.publicUrl),
    checkpointEvery: timing.checkpointEvery ?? 1000,
    checkpointIntervalMs: timing.checkpointIntervalMs ?? 60_000,
    sinks,
    retentionDays: config.audit.retentionDays,
  });
}
