import { stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
} from 'fastify';
import type { AccountAdmin } from '../auth/AccountAdmin.ts';
import type { AuthService } from '../auth/AuthService.ts';
import type { MfaService } from '../auth/MfaService.ts';
import type { AuditorAccess } from '../auditor/AuditorAccess.ts';
import type { Config } from '../config/Config.ts';
import { AppError } from '../errors/AppError.ts';
import type { MeetingService } from '../meetings/MeetingService.ts';
import type { SignalingServer } from '../signaling/SignalingServer.ts';
import { accountRoutes } from './accountRoutes.ts';
import { auditRoutes } from './auditRoutes.ts';
import { authRoutes, type ProviderListing } from './authRoutes.ts';
import { httpErrorReply } from './errorReplies.ts';
import { breakoutRoutes } from './breakoutRoutes.ts';
import { meetingRoutes } from './meetingRoutes.ts';
import { minutesRoutes } from './minutesRoutes.ts';
import { presentationRoutes } from './presentationRoutes.ts';
import { sharedMediaRoutes } from './sharedMediaRoutes.ts';
import { helmetOptions, PERMISSIONS_POLICY } from './securityHeaders.ts';

/** Largest HTTP body accepted; the API's bodies are a few hundred bytes. */
export const BODY_LIMIT_BYTES = 16 * 1024;

/** How long the database may take to answer a health check before it counts as down. */
const HEALTH_TIMEOUT_MS = 2_000;

/** Resolves to false if the check fails or takes longer than the health timeout. */
async function healthy(check: () => Promise<boolean>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => {
      resolve(false);
    }, HEALTH_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check().catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** What `/healthz` asks. */
export interface HealthChecks {
  /** Whether the database answers. */
  database(): Promise<boolean>;
  /** How many media workers are alive. */
  mediaWorkers(): number;
}

/** Everything the HTTP app is built from. */
export interface AppDeps {
  config: Pick<Config, 'publicUrl' | 'tls' | 'sessionSecret' | 'webRoot'>;
  logger: FastifyBaseLogger;
  meetings: MeetingService;
  /** Auditor sign-in and the audit search. */
  auditors: AuditorAccess;
  auth: AuthService;
  mfa: MfaService;
  accounts: AccountAdmin;
  /** Identity providers (OIDC, SAML) and their routes, if configured. */
  providers?: {
    list: () => readonly ProviderListing[];
    logout?: (sessionId: string, method: string) => Promise<string | undefined>;
    register?: (app: FastifyInstance) => Promise<void>;
  };
  signaling: SignalingServer;
  health: HealthChecks;
  /** Requests per minute and IP on each API route (default 60). */
  apiPerMinute?: number;
}

/**
 * SAML's HTTP-POST binding: the identity provider's page posts the response to our
 * assertion consumer service from its own origin; the signed, single-use assertion is the
 * protection there.
 */
function isProviderPost(url: string): boolean {
  return /^\/api\/auth\/saml\/[a-z][a-z0-9-]*\/acs(\?|$)/.test(url);
}

/** Logs method and path only: no query string, headers, cookies, IP or body. */
function requestSerializer(request: FastifyRequest): { method: string; url: string } {
  return { method: request.method, url: request.url.split('?')[0] ?? '' };
}

function cacheControlFor(path: string): string {
  // Vite puts content-hashed files under /assets/; everything else may change on deploy.
  return path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

async function fileExists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Builds the Fastify app: security headers, the JSON API, the signalling WebSocket, the
 * web client with SPA fallback, and one error handler that answers every failure with
 * `{ code, message }` from the catalogue. Not listening yet: tests call `inject()` or
 * `listen()`.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const tls = config.tls !== undefined;
  const logger = deps.logger.child({ module: 'http' }, { serializers: { req: requestSerializer } });
  const options = {
    loggerInstance: logger,
    bodyLimit: BODY_LIMIT_BYTES,
    onProtoPoisoning: 'error' as const,
    onConstructorPoisoning: 'error' as const,
    requestIdHeader: false as const,
    trustProxy: false,
    return503OnClosing: true,
    requestTimeout: 30_000,
    connectionTimeout: 30_000,
    routerOptions: { maxParamLength: 100 },
  };
  const app: FastifyInstance =
    config.tls === undefined
      ? Fastify(options)
      : Fastify({
          ...options,
          https: { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) },
        });

  // Validation with the protocol's own TypeBox checkers (the same ones signalling uses):
  // nothing is coerced, defaulted or silently stripped.
  app.setValidatorCompiler(({ schema }) => {
    const check = TypeCompiler.Compile(schema as TSchema);
    return (value: unknown) => {
      if (check.Check(value)) return { value };
      const first = check.Errors(value).First();
      const detail =
        first === undefined ? undefined : `${first.path || '/'}: ${first.message}`.slice(0, 160);
      return { error: new AppError('bad_request', detail) };
    };
  });

  app.setErrorHandler((error, request, reply) => {
    const { status, body } = httpErrorReply(error);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.code(status).header('cache-control', 'no-store').send(body);
  });

  await app.register(fastifyHelmet, helmetOptions(config.publicUrl, tls));
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('permissions-policy', PERMISSIONS_POLICY);
  });
  await app.register(fastifyCookie, { secret: config.sessionSecret });
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: () => new AppError('rate_limited'),
  });
  await app.register(fastifyWebsocket, {
    options: deps.signaling.websocketOptions,
    // Protocol violations (oversized frames 1009, invalid UTF-8 1007) are the client's
    // fault: \`ws\` answers them with the right close code, which the default handler's
    // immediate terminate() would cut off.
    errorHandler: (error, _socket, request) => {
      request.log.debug({ err: error }, 'websocket protocol error');
    },
  });

  app.get('/healthz', async (_request, reply) => {
    const database = await healthy(() => deps.health.database());
    const media = deps.health.mediaWorkers() > 0;
    const ok = database && media;
    // Which check failed helps operators; counts and versions stay out of a public endpoint.
    return reply
      .code(ok ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({ status: ok ? 'ok' : 'unavailable', checks: { database, media } });
  });

  await app.register(
    async (api) => {
      api.addHook('onSend', async (_request, reply, payload) => {
        reply.header('cache-control', 'no-store');
        return payload;
      });
      // Defence in depth next to SameSite cookies and CSRF tokens: a browser's cross-site
      // request that would change state is refused by its Origin header.
      const allowedOrigin = new URL(config.publicUrl).origin;
      api.addHook('onRequest', (request, _reply, done) => {
        const origin = request.headers.origin;
        const crossSite =
          request.method !== 'GET' &&
          request.method !== 'HEAD' &&
          origin !== undefined &&
          origin !== allowedOrigin &&
          !isProviderPost(request.url);
        done(crossSite ? new AppError('csrf_failed') : undefined);
      });
      const perMinute = deps.apiPerMinute ?? 60;
      await api.register(
        authRoutes({
          auth: deps.auth,
          mfa: deps.mfa,
          accounts: deps.accounts,
          providers: deps.providers?.list ?? (() => []),
          ...(deps.providers?.logout === undefined
            ? {}
            : { providerLogout: deps.providers.logout }),
          secureCookies: tls,
          perMinute,
        }),
      );
      await api.register(
        accountRoutes({
          auth: deps.auth,
          mfa: deps.mfa,
          accounts: deps.accounts,
          secureCookies: tls,
          perMinute,
        }),
      );
      if (deps.providers?.register !== undefined) await api.register(deps.providers.register);
      await api.register(
        meetingRoutes({
          meetings: deps.meetings,
          auth: deps.auth,
          publicUrl: config.publicUrl,
          secureCookies: tls,
          perMinute: deps.apiPerMinute ?? 60,
        }),
      );
      await api.register(
        breakoutRoutes({
          meetings: deps.meetings,
          publicUrl: config.publicUrl,
          secureCookies: tls,
          perMinute: deps.apiPerMinute ?? 60,
        }),
      );
      await api.register(
        minutesRoutes({
          meetings: deps.meetings,
          auth: deps.auth,
          perMinute: deps.apiPerMinute ?? 60,
        }),
      );
      await api.register(
        presentationRoutes({
          meetings: deps.meetings,
          publicUrl: config.publicUrl,
          perMinute: deps.apiPerMinute ?? 60,
        }),
      );
      await api.register(
        sharedMediaRoutes({
          meetings: deps.meetings,
          publicUrl: config.publicUrl,
          // A player fetches a file in many ranges (and again on every seek).
          perMinute: Math.max(deps.apiPerMinute ?? 60, 600),
        }),
      );
      await api.register(
        auditRoutes({
          auditors: deps.auditors,
          auth: deps.auth,
          secureCookies: tls,
          perMinute: deps.apiPerMinute ?? 60,
        }),
      );
    },
    { prefix: '/api' },
  );

  deps.signaling.register(app);

  await app.register(fastifyStatic, {
    root: config.webRoot,
    index: ['index.html'],
    dotfiles: 'deny',
    setHeaders: (reply, path) => {
      void reply.header('cache-control', cacheControlFor(path));
    },
  });

  const indexHtml = join(config.webRoot, 'index.html');
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const isApi = path === '/api' || path.startsWith('/api/') || path.startsWith('/ws/');
    const wantsPage = request.method === 'GET' || request.method === 'HEAD';
    // The client routes /m/<id> and friends itself; serve it the app shell.
    if (!isApi && wantsPage && (await fileExists(indexHtml))) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    const { status, body } = httpErrorReply(new AppError('not_found'));
    return reply.code(status).header('cache-control', 'no-store').send(body);
  });

  return app;
}
