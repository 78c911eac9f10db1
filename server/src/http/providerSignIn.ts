/**
 * The end of a sign-in at an identity provider, the same for OIDC and SAML: on success the
 * session cookie is set and the browser goes home (or to the sign-in page, if a second
 * factor is still due); on failure the attempt is audited and the browser lands on the
 * sign-in page with the error code, never with the provider's message.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthService, SignIn } from '../auth/AuthService.ts';
import { classifyError } from './errorReplies.ts';
import { setSessionCookie } from './sessionCookie.ts';

/** Path parameter naming a configured provider. */
export const ProviderParams = Type.Object({
  id: Type.String({ pattern: '^[a-z][a-z0-9-]{0,31}$' }),
});
/** Path parameter naming a configured provider. */
export type ProviderParams = Static<typeof ProviderParams>;

/** Sends the browser to the sign-in page with an error code. */
export function toSignInPage(reply: FastifyReply, code: string): FastifyReply {
  return reply.redirect(`/login?error=${encodeURIComponent(code)}`, 303);
}

/** Sets the new session's cookie and sends the browser on. */
export function completeProviderSignIn(
  reply: FastifyReply,
  signIn: SignIn,
  secureCookies: boolean,
): FastifyReply {
  setSessionCookie(reply, signIn.secret, signIn.context.session.expiresAt, secureCookies);
  return reply.redirect(signIn.context.stage === 'full' ? '/' : '/login', 303);
}

/** Audits a failed provider sign-in and sends the browser to the sign-in page. */
export async function failProviderSignIn(
  auth: AuthService,
  request: FastifyRequest,
  reply: FastifyReply,
  method: 'oidc' | 'saml',
  provider: string,
  error: unknown,
): Promise<FastifyReply> {
  const appError = classifyError(error);
  await auth.audit({
    action: 'auth.login',
    actor: { kind: 'system', id: 'anonymous' },
    outcome: 'failure',
    source: request.ip,
    details: { method, provider, reason: appError.code },
  });
  if (appError.code === 'internal') {
    request.log.error({ err: error }, `${method.toUpperCase()} sign-in failed`);
  }
  return toSignInPage(reply, appError.code);
}
