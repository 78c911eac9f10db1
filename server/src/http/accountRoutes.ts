import {
  CredentialParams,
  FactorsReply,
  IdParams,
  InviteBody,
  OneTimeLinkReply,
  PasswordChangeBody,
  RecoveryCodesReply,
  RevokedReply,
  SessionsReply,
  TotpBody,
  TotpConfirmReply,
  TotpStartReply,
  UpdateUserBody,
  UserView,
  UsersReply,
  WebAuthnOptionsReply,
  WebAuthnRegisterBody,
  WebAuthnRegisterReply,
} from '@konvent/protocol';
import type { FastifyInstance } from 'fastify';
import type { AccountAdmin } from '../auth/AccountAdmin.ts';
import type { AuthService } from '../auth/AuthService.ts';
import type { MfaService } from '../auth/MfaService.ts';
import { requireSession, setSessionCookie } from './sessionCookie.ts';

/** What the account and admin routes need. */
export interface AccountRouteDeps {
  auth: AuthService;
  mfa: MfaService;
  accounts: AccountAdmin;
  secureCookies: boolean;
  perMinute: number;
}

/**
 * `/api/account…` (one's own sessions, password and factors) and `/api/admin/users…`
 * (user management, admin role). Every route needs a session and, for changes, its CSRF
 * token; the services check roles and stages and audit every change.
 */
export function accountRoutes(deps: AccountRouteDeps) {
  return (app: FastifyInstance): Promise<void> => {
    const config = { rateLimit: { max: deps.perMinute, timeWindow: 60_000 } };
    const { auth, mfa, accounts } = deps;

    app.get(
      '/account/sessions',
      { schema: { response: { 200: SessionsReply } }, config },
      async (request) => {
        const body: SessionsReply = {
          sessions: await auth.listSessions(await requireSession(auth, request)),
        };
        return body;
      },
    );

    app.delete<{ Params: IdParams }>(
      '/account/sessions/:id',
      { schema: { params: IdParams }, config },
      async (request, reply) => {
        const context = await requireSession(auth, request);
        await auth.revokeOwnSession(context, request.params.id, { source: request.ip });
        return reply.code(204).send();
      },
    );

    app.post(
      '/account/sessions/revoke-others',
      { schema: { response: { 200: RevokedReply } }, config },
      async (request) => {
        const context = await requireSession(auth, request);
        const revoked = await auth.revokeAllSessions(
          context,
          context.user.id,
          { source: request.ip },
          'user',
          context.session.id,
        );
        const body: RevokedReply = { revoked };
        return body;
      },
    );

    app.post<{ Body: PasswordChangeBody }>(
      '/account/password',
      { schema: { body: PasswordChangeBody }, config },
      async (request, reply) => {
        const context = await requireSession(auth, request);
        await accounts.changePassword(
          context,
          request.body.currentPassword,
          request.body.newPassword,
          {
            source: request.ip,
          },
        );
        return reply.code(204).send();
      },
    );

    app.get(
      '/account/factors',
      { schema: { response: { 200: FactorsReply } }, config },
      async (request) => mfa.factors(await requireSession(auth, request, 'any')),
    );

    app.post(
      '/account/totp/start',
      { schema: { response: { 200: TotpStartReply } }, config },
      async (request) => mfa.startTotp(await requireSession(auth, request, 'any')),
    );

    app.post<{ Body: TotpBody }>(
      '/account/totp/confirm',
      { schema: { body: TotpBody, response: { 200: TotpConfirmReply } }, config },
      async (request, reply) => {
        const context = await requireSession(auth, request, 'any');
        const result = await mfa.confirmTotp(context, request.body.code, { source: request.ip });
        if (result.signIn !== undefined) {
          setSessionCookie(
            reply,
            result.signIn.secret,
            result.signIn.context.session.expiresAt,
            deps.secureCookies,
          );
        }
        const body: TotpConfirmReply = {
          recoveryCodes: result.recoveryCodes,
          session: await auth.describe(
            result.signIn?.context ?? (await requireSession(auth, request, 'any')),
          ),
        };
        return body;
      },
    );

    app.delete('/account/totp', { config }, async (request, reply) => {
      await mfa.removeTotp(await requireSession(auth, request), { source: request.ip });
      return reply.code(204).send();
    });

    app.post(
      '/account/recovery-codes',
      { schema: { response: { 200: RecoveryCodesReply } }, config },
      async (request) =>
        mfa.regenerateRecoveryCodes(await requireSession(auth, request), { source: request.ip }),
    );

    app.post(
      '/account/webauthn/options',
      { schema: { response: { 200: WebAuthnOptionsReply } }, config },
      async (request) => {
        const body: WebAuthnOptionsReply = {
          options: await mfa.webauthnRegistrationOptions(
            await requireSession(auth, request, 'any'),
          ),
        };
        return body;
      },
    );

    app.post<{ Body: WebAuthnRegisterBody }>(
      '/account/webauthn',
      { schema: { body: WebAuthnRegisterBody, response: { 200: WebAuthnRegisterReply } }, config },
      async (request, reply) => {
        const context = await requireSession(auth, request, 'any');
        const result = await mfa.registerWebauthn(
          context,
          request.body.response,
          request.body.name,
          {
            source: request.ip,
          },
        );
        if (result.signIn !== undefined) {
          setSessionCookie(
            reply,
            result.signIn.secret,
            result.signIn.context.session.expiresAt,
            deps.secureCookies,
          );
        }
        const body: WebAuthnRegisterReply = {
          recoveryCodes: result.recoveryCodes ?? null,
          session: await auth.describe(
            result.signIn?.context ?? (await requireSession(auth, request, 'any')),
          ),
        };
        return body;
      },
    );

    app.delete<{ Params: CredentialParams }>(
      '/account/webauthn/:id',
      { schema: { params: CredentialParams }, config },
      async (request, reply) => {
        await mfa.removeWebauthn(await requireSession(auth, request), request.params.id, {
          source: request.ip,
        });
        return reply.code(204).send();
      },
    );

    // ---- administration ----

    app.get(
      '/admin/users',
      { schema: { response: { 200: UsersReply } }, config },
      async (request) => {
        const body: UsersReply = {
          users: await accounts.listUsers(await requireSession(auth, request)),
        };
        return body;
      },
    );

    app.post<{ Body: InviteBody }>(
      '/admin/users',
      { schema: { body: InviteBody, response: { 201: OneTimeLinkReply } }, config },
      async (request, reply) => {
        const link = await accounts.invite(await requireSession(auth, request), request.body, {
          source: request.ip,
        });
        const body: OneTimeLinkReply = { link: link.link, expiresAt: link.expiresAt.toISOString() };
        return reply.code(201).send(body);
      },
    );

    app.patch<{ Params: IdParams; Body: UpdateUserBody }>(
      '/admin/users/:id',
      { schema: { params: IdParams, body: UpdateUserBody, response: { 200: UserView } }, config },
      async (request) =>
        accounts.updateUser(await requireSession(auth, request), request.params.id, request.body, {
          source: request.ip,
        }),
    );

    app.post<{ Params: IdParams }>(
      '/admin/users/:id/link',
      { schema: { params: IdParams, response: { 200: OneTimeLinkReply } }, config },
      async (request) => {
        const link = await accounts.issueLink(
          await requireSession(auth, request),
          request.params.id,
          {
            source: request.ip,
          },
        );
        const body: OneTimeLinkReply = { link: link.link, expiresAt: link.expiresAt.toISOString() };
        return body;
      },
    );

    app.post<{ Params: IdParams }>(
      '/admin/users/:id/revoke-sessions',
      { schema: { params: IdParams, response: { 200: RevokedReply } }, config },
      async (request) => {
        const revoked = await accounts.revokeUserSessions(
          await requireSession(auth, request),
          request.params.id,
          { source: request.ip },
        );
        const body: RevokedReply = { revoked };
        return body;
      },
    );
    return Promise.resolve();
  };
}
