import {
  AUDIT_COOKIE_NAME,
  AuditEventsQuery,
  AuditEventsReply,
  AuditSessionBody,
  AuditSessionReply,
} from '@konvent/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthService } from '../auth/AuthService.ts';
import type { AuditorAccess } from '../auditor/AuditorAccess.ts';
import { sessionSecretOf } from './sessionCookie.ts';

/** What the auditor routes need. */
export interface AuditRouteDeps {
  auditors: AuditorAccess;
  /** Accounts with the auditor role use the audit routes with their account session. */
  auth?: AuthService;
  /** Whether the cookie gets `Secure` (this server speaks TLS). */
  secureCookies: boolean;
  /** Requests per minute and IP for each route. */
  perMinute: number;
  /** Sign-in attempts per minute and IP: guessing a 256-bit token is hopeless, but cheap to slow. */
  signInPerMinute?: number;
}

/** A signed-in account with the auditor role (and every factor its roles need). */
async function auditorAccount(auth: AuthService, request: FastifyRequest) {
  const context = await auth.authenticateFull(sessionSecretOf(request));
  auth.requireRole(context, 'auditor');
  return context;
}

/** The cookie is only sent to the auditor API. */
const COOKIE_PATH = '/api/audit';

/** The session secret from the signed cookie, or undefined. */
function sessionSecret(request: FastifyRequest): string | undefined {
  const raw = request.cookies[AUDIT_COOKIE_NAME];
  if (raw === undefined) return undefined;
  const unsigned = request.unsignCookie(raw);
  return unsigned.valid ? unsigned.value : undefined;
}

function clearCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(AUDIT_COOKIE_NAME, {
    path: COOKIE_PATH,
    httpOnly: true,
    sameSite: 'strict',
    secure,
  });
}

/**
 * `/api/audit…`: auditor sign-in with a single-use link token, session check, event search
 * and sign-out. Identity comes only from the signed `kv_audit` cookie.
 */
export function auditRoutes(deps: AuditRouteDeps) {
  return (app: FastifyInstance): Promise<void> => {
    const rateLimit = { max: deps.perMinute, timeWindow: 60_000 };

    app.post<{ Body: AuditSessionBody }>(
      '/audit/session',
      {
        schema: { body: AuditSessionBody, response: { 200: AuditSessionReply } },
        config: { rateLimit: { max: deps.signInPerMinute ?? 10, timeWindow: 60_000 } },
      },
      async (request, reply) => {
        const session = await deps.auditors.signIn(request.body.token, { source: request.ip });
        reply.setCookie(AUDIT_COOKIE_NAME, session.sessionSecret, {
          signed: true,
          httpOnly: true,
          sameSite: 'strict',
          path: COOKIE_PATH,
          secure: deps.secureCookies,
          expires: session.expiresAt,
        });
        const body: AuditSessionReply = { expiresAt: session.expiresAt.toISOString() };
        return body;
      },
    );

    app.get(
      '/audit/session',
      { schema: { response: { 200: AuditSessionReply } }, config: { rateLimit } },
      async (request) => {
        const grant = sessionSecret(request);
        if (grant === undefined && deps.auth !== undefined) {
          const context = await auditorAccount(deps.auth, request);
          const body: AuditSessionReply = { expiresAt: context.session.expiresAt.toISOString() };
          return body;
        }
        const session = await deps.auditors.authenticate(grant);
        const body: AuditSessionReply = { expiresAt: session.expiresAt.toISOString() };
        return body;
      },
    );

    app.get<{ Querystring: AuditEventsQuery }>(
      '/audit/events',
      {
        schema: { querystring: AuditEventsQuery, response: { 200: AuditEventsReply } },
        config: { rateLimit },
      },
      async (request) => {
        const grant = sessionSecret(request);
        const auditor =
          grant === undefined && deps.auth !== undefined
            ? { userId: (await auditorAccount(deps.auth, request)).user.id }
            : grant;
        return deps.auditors.search(auditor, request.query, { source: request.ip });
      },
    );

    app.post('/audit/signout', { config: { rateLimit } }, async (request, reply) => {
      await deps.auditors.signOut(sessionSecret(request), { source: request.ip });
      clearCookie(reply, deps.secureCookies);
      return reply.code(204).send();
    });
    return Promise.resolve();
  };
}
