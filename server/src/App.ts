import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
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
}

/** A fully wired server, not yet listening. */
export interface Server {
  app: FastifyInstance;
  meetings: MeetingService;
  media: MediaService;
  signaling: SignalingServer;
  database: Database;
  bus: Bus;
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
 * as left, then media workers, bus and database.
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
