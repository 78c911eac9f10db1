import {
  LinkCheckBody,
  LinkCheckReply,
  LinkRedeemBody,
  LoginBody,
  LogoutReply,
  PasswordCheckBody,
  PasswordCheckReply,
  ProvidersReply,
  RecoveryBody,
  SessionReply,
  SetupBody,
  TotpBody,
  WebAuthnLoginBody,
  WebAuthnOptionsReply,
} from '@konvent/protocol';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AccountAdmin } from '../auth/AccountAdmin.ts';
import type { AuthService, SignIn } from '../auth/AuthService.ts';
import type { MfaService } from '../auth/MfaService.ts';
import {
  clearSessionCookie,
  requireSession,
  sessionSecretOf,
  setSessionCookie,
} from './sessionCookie.ts';

/** Identity providers offered on the sign-in page; their routes are registered separately. */
export interface ProviderListing {
  readonly id: string;
  readonly kind: 'oidc' | 'saml';
  readonly label: string;
}

/** What the auth routes need. */
export interface AuthRouteDeps {
  auth: AuthService;
  mfa: MfaService;
  accounts: AccountAdmin;
  providers: () => readonly ProviderListing[];
  /** The identity provider's logout URL for a session that came from one (OIDC). */
  providerLogout?: (sessionId: string, method: string) => Promise<string | undefined>;
  secureCookies: boolean;
  /** Requests per minute and IP for ordinary routes. */
  perMinute: number;
  /** Sign-in and code attempts per minute and IP (the per-account throttle is separate). */
  signInPerMinute?: number;
}

/**
 * `/api/auth…`: sign-in with password and second factor, sign-out, the session, the
 * setup and one-time links, and the password policy check. Identity comes only from the
 * signed `kv_session` cookie; state-changing requests with a session need its CSRF token.
 */
export function authRoutes(deps: AuthRouteDeps) {
  return (app: FastifyInstance): Promise<void> => {
    const rateLimit = { max: deps.perMinute, timeWindow: 60_000 };
    const signInLimit = { max: deps.signInPerMinute ?? 20, timeWindow: 60_000 };
    const { auth, mfa, accounts } = deps;

    const answer = async (reply: FastifyReply, signIn: SignIn): Promise<SessionReply> => {
      setSessionCookie(reply, signIn.secret, signIn.context.session.expiresAt, deps.secureCookies);
      return auth.describe(signIn.context);
    };

    app.get(
      '/auth/providers',
      { schema: { response: { 200: ProvidersReply } }, config: { rateLimit } },
      () => {
        const body: ProvidersReply = { password: true, providers: [...deps.providers()] };
        return body;
      },
    );

    app.get(
      '/auth/session',
      { schema: { response: { 200: SessionReply } }, config: { rateLimit } },
      async (request) => auth.describe(await auth.authenticate(sessionSecretOf(request))),
    );

    app.post<{ Body: LoginBody }>(
      '/auth/login',
      {
        schema: { body: LoginBody, response: { 200: SessionReply } },
        config: { rateLimit: signInLimit },
      },
      async (request, reply) => {
        const signIn = await auth.loginWithPassword(request.body.username, request.body.password, {
          source: request.ip,
        });
        return answer(reply, signIn);
      },
    );

    app.post<{ Body: TotpBody }>(
      '/auth/mfa/totp',
      {
        schema: { body: TotpBody, response: { 200: SessionReply } },
        config: { rateLimit: signInLimit },
      },
      async (request, reply) => {
        const context = await requireSession(auth, request, 'any');
        return answer(
          reply,
          await mfa.loginWithTotp(context, request.body.code, { source: request.ip }),
        );
      },
    );

    app.post<{ Body: RecoveryBody }>(
      '/auth/mfa/recovery',
      {
        schema: { body: RecoveryBody, response: { 200: SessionReply } },
        config: { rateLimit: signInLimit },
      },
      async (request, reply) => {
        const context = await requireSession(auth, request, 'any');
        return answer(
          reply,
          await mfa.loginWithRecoveryCode(context, request.body.code, { source: request.ip }),
        );
      },
    );

    app.post(
      '/auth/mfa/webauthn/options',
      { schema: { response: { 200: WebAuthnOptionsReply } }, config: { rateLimit: signInLimit } },
      async (request) => {
        const context = await requireSession(auth, request, 'any');
        const body: WebAuthnOptionsReply = { options: await mfa.webauthnLoginOptions(context) };
        return body;
      },
    );

    app.post<{ Body: WebAuthnLoginBody }>(
      '/auth/mfa/webauthn',
      {
        schema: { body: WebAuthnLoginBody, response: { 200: SessionReply } },
        config: { rateLimit: signInLimit },
      },
      async (request, reply) => {
        const context = await requireSession(auth, request, 'any');
        return answer(
          reply,
          await mfa.loginWithWebauthn(context, request.body.response, { source: request.ip }),
        );
      },
    );

    app.post(
      '/auth/logout',
      { schema: { response: { 200: LogoutReply } }, config: { rateLimit } },
      async (request, reply) => {
        const context = await requireSession(auth, request, 'any');
        const redirectTo =
          (await deps.providerLogout?.(context.session.id, context.session.method)) ?? null;
        await auth.logout(context, { source: request.ip });
        clearSessionCookie(reply, deps.secureCookies);
        const body: LogoutReply = { redirectTo };
        return body;
      },
    );

    app.post<{ Body: PasswordCheckBody }>(
      '/auth/password-check',
      {
        schema: { body: PasswordCheckBody, response: { 200: PasswordCheckReply } },
        config: { rateLimit },
      },
      (request) => accounts.checkPassword(request.body.password, request.body.username),
    );

    app.post<{ Body: LinkCheckBody }>(
      '/auth/link/check',
      {
        schema: { body: LinkCheckBody, response: { 200: LinkCheckReply } },
        config: { rateLimit: signInLimit },
      },
      (request) => accounts.checkLink(request.body.token),
    );

    app.post<{ Body: SetupBody }>(
      '/auth/setup',
      {
        schema: { body: SetupBody, response: { 200: SessionReply } },
        config: { rateLimit: signInLimit },
      },
      async (request, reply) => {
        const { token, username, displayName, password } = request.body;
        await accounts.redeemSetup(
          token,
          { username, displayName, password },
          { source: request.ip },
        );
        // Sign the new admin in; the session is held at `enrol` until a factor is set up.
        return answer(
          reply,
          await auth.loginWithPassword(username, password, { source: request.ip }),
        );
      },
    );

    app.post<{ Body: LinkRedeemBody }>(
      '/auth/link/redeem',
      {
        schema: { body: LinkRedeemBody, response: { 200: SessionReply } },
        config: { rateLimit: signInLimit },
      },
      async (request, reply) => {
        const { token, password, displayName } = request.body;
        const user = await accounts.redeemLink(
          token,
          { password, ...(displayName === undefined ? {} : { displayName }) },
          { source: request.ip },
        );
        return answer(
          reply,
          await auth.loginWithPassword(user.username, password, { source: request.ip }),
        );
      },
    );
    return Promise.resolve();
  };
}
