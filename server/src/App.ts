import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { AuditLog } from './audit/AuditLog.ts';
import type { CheckpointSink } from './audit/CheckpointSink.ts';
import { FileCheckpointSink } from './audit/FileCheckpointSink.ts';
import { HttpCheckpointSink } from './audit/HttpCheckpointSink.ts';
import { AccountAdmin } from './auth/AccountAdmin.ts';
import { AuthKeys } from './auth/AuthKeys.ts';
import { AuthService, type AuthPolicy } from './auth/AuthService.ts';
import { FlowStore } from './auth/FlowStore.ts';
import { MfaService } from './auth/MfaService.ts';
import { PasswordPolicy } from './auth/PasswordPolicy.ts';
import { AuditLogTrail } from './auditor/AuditLogTrail.ts';
import { AuditorAccess } from './auditor/AuditorAccess.ts';
import { auditOrigin, recordServerStart, recordServerStop } from './auditor/serverEvents.ts';
import { openBus } from './cluster/openBus.ts';
import type { Config } from './config/Config.ts';
import { buildApp } from './http/buildApp.ts';
import { oidcRoutes } from './http/oidcRoutes.ts';
import { samlRoutes } from './http/samlRoutes.ts';
import { MediaService } from './media/MediaService.ts';
import { Fanout } from './meetings/Fanout.ts';
import { MeetingService, type MeetingServiceOptions } from './meetings/MeetingService.ts';
import type { SharedMediaLimits } from './meetings/MediaDesk.ts';
import type { PresentationLimits } from './meetings/PresentationDesk.ts';
import type { Bus } from './meetings/ports.ts';
import { childLogger, type Logger } from './observability/createLogger.ts';
import { ClamdScanner } from './scanning/ClamdScanner.ts';
import { describeClamdAddress } from './scanning/clamdAddress.ts';
import { SignalingServer, type EndpointLimits } from './signaling/SignalingServer.ts';
import type { Database } from './storage/Database.ts';
import { openDatabase } from './storage/openDatabase.ts';
import { Throttle } from './auth/Throttle.ts';
import type { LinkThrottleRules } from './meetings/LinkGate.ts';
import { SqlInvitationRepository } from './storage/SqlInvitationRepository.ts';
import { SqlMeetingRepository } from './storage/SqlMeetingRepository.ts';
import { SqlAnnotationRepository } from './storage/SqlAnnotationRepository.ts';
import { SqlPresentationRepository } from './storage/SqlPresentationRepository.ts';
import { SqlSharedMediaRepository } from './storage/SqlSharedMediaRepository.ts';
import { FfprobeMediaProbe } from './uploads/FfprobeMediaProbe.ts';
import { SqlReportRepository } from './storage/SqlReportRepository.ts';
import { SqlWhiteboardRepository } from './storage/SqlWhiteboardRepository.ts';
import { SqlBreakoutRepository } from './storage/SqlBreakoutRepository.ts';
import { SqlMinutesRepository } from './storage/SqlMinutesRepository.ts';
import { systemClock } from './storage/SystemClock.ts';
import { LocalKeyring } from './vault/LocalKeyring.ts';
import { Vault } from './vault/Vault.ts';

/** Tunables for tests and operators; production uses the defaults. */
export interface ServerOptions {
  meetings?: Partial<MeetingServiceOptions>;
  /** Size, page and per-meeting limits of presentation uploads (tests set small ones). */
  presentations?: Partial<PresentationLimits>;
  /** Size, length and per-meeting limits of shared media uploads (tests set small ones). */
  sharedMedia?: Partial<SharedMediaLimits>;
  /** Throttling of wrong links, passcodes and PINs (tests). */
  linkThrottle?: LinkThrottleRules;
  signaling?: Partial<EndpointLimits>;
  apiPerMinute?: number;
  /** An already opened database (tests); it is then not closed by `close()`. */
  database?: Database;
  /** Audit checkpoint timing (tests); defaults: every 1000 events or 60 s. */
  audit?: { checkpointEvery?: number; checkpointIntervalMs?: number };
  /** Session timeouts, MFA roles and sign-in throttling (tests). */
  auth?: Partial<AuthPolicy>;
}

/** The bus channel on which ended account sessions are announced to every node. */
const SESSIONS_ENDED_CHANNEL = 'auth.sessions-ended';

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
  auth: AuthService;
  mfa: MfaService;
  accounts: AccountAdmin;
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
      invitations: new SqlInvitationRepository(database.db, vault),
      reports: new SqlReportRepository(database.db, vault),
      breakouts: new SqlBreakoutRepository(database.db, vault),
      minutes: new SqlMinutesRepository(database.db, vault),
      presentations: new SqlPresentationRepository(database.db, vault),
      ...(options.presentations === undefined ? {} : { presentationLimits: options.presentations }),
      sharedMedia: new SqlSharedMediaRepository(database.db, vault),
      mediaProbe: new FfprobeMediaProbe(),
      ...(options.sharedMedia === undefined ? {} : { sharedMediaLimits: options.sharedMedia }),
      ...uploadScanner(config, logger),
      whiteboards: new SqlWhiteboardRepository(database.db, vault),
      annotations: new SqlAnnotationRepository(database.db, vault),
      throttle: new Throttle(database.db),
      ...(options.linkThrottle === undefined ? {} : { linkThrottle: options.linkThrottle }),
      bus,
      clock: systemClock,
      logger: childLogger(logger, 'meetings'),
      audit: new AuditLogTrail(audit),
      ...(options.meetings === undefined ? {} : { options: options.meetings }),
    });
    cleanups.push(async () => {
      meetings.close();
      // Boards changed in the last second are saved before the database closes.
      await meetings.saveWhiteboards();
    });
    wireMediaToMeetings(meetings, media, new Fanout(bus), childLogger(logger, 'media'));
    // Breakout sessions that ran when the server stopped get their timers back.
    await meetings.breakouts.resume();

    // Sessions can end before signalling exists (during start-up); then there is nothing to close.
    const sockets: { server?: SignalingServer } = {};
    const auth = new AuthService({
      db: database.db,
      vault,
      keys: await AuthKeys.open(database.db, vault),
      audit,
      clock: systemClock,
      logger: childLogger(logger, 'auth'),
      policy: {
        ...(config.identity === undefined
          ? {}
          : {
              idleMinutes: config.identity.idleMinutes,
              absoluteHours: config.identity.absoluteHours,
              mfaRoles: config.identity.mfaRoles,
            }),
        ...options.auth,
      },
      // Every node closes the sockets of ended sessions, wherever they are connected.
      onSessionsEnded: (sessionIds) => bus.publish(SESSIONS_ENDED_CHANNEL, { sessionIds }),
    });
    const publicOrigin = new URL(config.publicUrl);
    const mfa = new MfaService({
      db: database.db,
      vault,
      clock: systemClock,
      auth,
      rp: { name: 'Konvent', origin: publicOrigin.origin, id: publicOrigin.hostname },
    });
    const accounts = new AccountAdmin({
      db: database.db,
      clock: systemClock,
      auth,
      mfa,
      policy: new PasswordPolicy(),
      publicUrl: config.publicUrl,
    });
    const unsubscribe = await bus.subscribe(SESSIONS_ENDED_CHANNEL, (message) => {
      const ids = (message as { sessionIds?: unknown }).sessionIds;
      if (Array.isArray(ids))
        sockets.server?.closeAccountSessions(ids.filter((id) => typeof id === 'string'));
    });
    cleanups.push(unsubscribe);
    const flows = new FlowStore(database.db, vault);
    const idTokenContext = (sessionId: string): string => `auth-session:${sessionId}:id-token`;
    const oidc = oidcRoutes({
      providers: config.identity?.oidc ?? [],
      auth,
      flows,
      publicUrl: config.publicUrl,
      secureCookies: config.tls !== undefined,
      perMinute: options.apiPerMinute ?? 60,
      sealIdToken: (sessionId, idToken) => vault.seal(idToken, idTokenContext(sessionId)),
      idTokenOf: async (sessionId) => {
        const sealed = (await auth.sessions.byId(sessionId))?.idTokenSealed ?? null;
        return sealed === null ? undefined : vault.openText(sealed, idTokenContext(sessionId));
      },
    });
    const saml = samlRoutes({
      providers: config.identity?.saml ?? [],
      auth,
      flows,
      secureCookies: config.tls !== undefined,
      perMinute: options.apiPerMinute ?? 60,
    });
    let pruning = setTimeout(function prune() {
      flows.prune(new Date()).catch(() => undefined);
      auth.prune().catch((error: unknown) => {
        logger.error({ err: error }, 'pruning sessions failed');
      });
      pruning = setTimeout(prune, RETENTION_INTERVAL_MS).unref();
    }, RETENTION_FIRST_RUN_MS).unref();
    cleanups.push(() => {
      clearTimeout(pruning);
    });

    const signaling = new SignalingServer({
      meetings,
      media,
      bus,
      accountSession: async (secret) => (await auth.authenticate(secret)).session.id,
      logger: childLogger(logger, 'signaling'),
      allowedOrigin: new URL(config.publicUrl).origin,
      ...(options.signaling === undefined ? {} : { limits: options.signaling }),
    });
    sockets.server = signaling;
    cleanups.push(() => {
      signaling.close();
    });
    const app = await buildApp({
      config,
      logger,
      meetings,
      auditors,
      auth,
      mfa,
      accounts,
      providers: {
        list: () => [
          ...(config.identity?.oidc ?? []).map((p) => ({
            id: p.id,
            kind: 'oidc' as const,
            label: p.label,
          })),
          ...(config.identity?.saml ?? []).map((p) => ({
            id: p.id,
            kind: 'saml' as const,
            label: p.label,
          })),
        ],
        logout: oidc.logout,
        register: async (api) => {
          await api.register(oidc.register);
          await api.register(saml);
        },
      },
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
      auth,
      mfa,
      accounts,
      close: () => (closing ??= unwind()),
    };
  } catch (error) {
    await unwind();
    throw error;
  }
}

/**
 * Media and meetings meet only here: media follows the domain's lifecycle (a participant
 * who left loses their media, a closed meeting its room) and its moderators (a muted
 * microphone is paused, a stopped camera closed) and its locks (who receives whose camera),
 * and the domain learns who is sending from media. A room lost with its worker makes its participants reconnect.
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
  meetings.events.on('sourceStopped', ({ meetingId, participantId, source, how }) => {
    media.stopSource(meetingId, participantId, source, how).catch((error: unknown) => {
      logger.warn({ err: error, meetingId }, 'could not stop a source on a moderator order');
    });
  });
  // Who receives whose camera is the domain's call (the meeting's locks), re-checked on change.
  media.setConsumePolicy((meetingId, viewerId, ownerId, source) =>
    meetings.mayReceive(meetingId, viewerId, ownerId, source),
  );
  meetings.events.on('consumersChanged', ({ meetingId }) => {
    media.refreshConsumers(meetingId);
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
 * The virus scan of uploads when CLAMD_ADDRESS is set (none otherwise). clamd not
 * answering at start is only a warning: it may come up later, and until it does every
 * upload is refused (the scanner fails closed), never stored unscanned.
 */
function uploadScanner(config: Config, logger: Logger): { uploadScanner?: ClamdScanner } {
  if (config.virusScan === undefined) return {};
  const scanLogger = childLogger(logger, 'scanning');
  const scanner = new ClamdScanner({
    address: config.virusScan.clamd,
    timeoutMs: config.virusScan.timeoutMs,
    logger: scanLogger,
  });
  const clamd = describeClamdAddress(config.virusScan.clamd);
  void scanner.ping().then((alive) => {
    if (alive) scanLogger.info({ clamd }, 'uploads are scanned for malware by clamd');
    else scanLogger.warn({ clamd }, 'clamd does not answer; uploads are refused until it does');
  });
  return { uploadScanner: scanner };
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
