import { CSRF_HEADER, SESSION_COOKIE_NAME } from '@konvent/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthContext, AuthService } from '../auth/AuthService.ts';
import { AppError } from '../errors/AppError.ts';

/** The account session's secret from the signed cookie, or undefined. */
export function sessionSecretOf(request: FastifyRequest): string | undefined {
  const raw = request.cookies[SESSION_COOKIE_NAME];
  if (raw === undefined) return undefined;
  const unsigned = request.unsignCookie(raw);
  return unsigned.valid ? unsigned.value : undefined;
}

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure with TLS, until the session's end. */
export function setSessionCookie(
  reply: FastifyReply,
  secret: string,
  expiresAt: Date,
  secure: boolean,
): void {
  reply.setCookie(SESSION_COOKIE_NAME, secret, {
    signed: true,
    httpOnly: true,
    // Lax, not Strict: a link to the deployment in an e-mail or chat should open signed in.
    // Cross-site requests that change state are stopped by the CSRF token instead.
    sameSite: 'lax',
    secure,
    path: '/',
    expires: expiresAt,
  });
}

/** Removes the session cookie. */
export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE_NAME, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The request's session, checked: live, and for a state-changing method the `x-csrf-token`
 * header must be the session's token (a page of another site cannot read it).
 * `stage: 'full'` also demands that every factor the user's roles need was passed.
 */
export async function requireSession(
  auth: AuthService,
  request: FastifyRequest,
  stage: 'any' | 'full' = 'full',
): Promise<AuthContext> {
  const secret = sessionSecretOf(request);
  const context =
    stage === 'full' ? await auth.authenticateFull(secret) : await auth.authenticate(secret);
  if (!SAFE_METHODS.has(request.method)) {
    const header = request.headers[CSRF_HEADER];
    if (
      secret === undefined ||
      !auth.csrfMatches(secret, typeof header === 'string' ? header : undefined)
    ) {
      throw new AppError('csrf_failed');
    }
  }
  return context;
}

/** The session if there is a valid one (no CSRF check: for reads only), else undefined. */
export async function optionalSession(
  auth: AuthService,
  request: FastifyRequest,
): Promise<AuthContext | undefined> {
  const secret = sessionSecretOf(request);
  if (secret === undefined) return undefined;
  try {
    return await auth.authenticate(secret);
  } catch {
    return undefined;
  }
}
