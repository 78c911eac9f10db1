import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthService } from '../auth/AuthService.ts';
import type { FlowStore } from '../auth/FlowStore.ts';
import { OidcLogin, type OidcFlowState } from '../auth/oidc/OidcLogin.ts';
import type { OidcProviderConfig } from '../auth/oidc/OidcProviderConfig.ts';
import { AppError } from '../errors/AppError.ts';
import { classifyError } from './errorReplies.ts';
import {
  completeProviderSignIn,
  failProviderSignIn,
  ProviderParams,
  toSignInPage,
} from './providerSignIn.ts';

/** What the OIDC routes need. */
export interface OidcRouteDeps {
  providers: readonly OidcProviderConfig[];
  auth: AuthService;
  flows: FlowStore;
  publicUrl: string;
  secureCookies: boolean;
  perMinute: number;
  /** Seals the provider's ID token for RP-initiated logout (bound to the session). */
  sealIdToken: (sessionId: string, idToken: string) => Promise<Uint8Array>;
  /** The ID token stored with a session, if any. */
  idTokenOf: (sessionId: string) => Promise<string | undefined>;
}

/** The OIDC routes and the logout hook for sessions that came from a provider. */
export interface OidcEndpoints {
  register: (app: FastifyInstance) => Promise<void>;
  /** The provider's logout URL for this session (RP-initiated logout), if it has one. */
  logout: (sessionId: string, method: string) => Promise<string | undefined>;
}

/** The browser-binding cookie of a flow: the state it started, only for the callback path. */
const FLOW_COOKIE = 'kv_oidc_flow';
const FLOW_KIND = 'oidc';

/**
 * OpenID Connect sign-in: `/api/auth/oidc/:id/start` redirects to the provider (code flow,
 * PKCE, state, nonce), `/api/auth/oidc/:id/callback` finishes it and signs the person in
 * (creating the account on first sign-in). The flow is stored server-side, single-use, and
 * bound to the browser that started it by a cookie holding its state, so nobody can sign a
 * victim in as themselves with a callback link (login CSRF). Failures end on the sign-in
 * page with an error code, never with a provider's message.
 */
export function oidcRoutes(deps: OidcRouteDeps): OidcEndpoints {
  // Discovery on first use, cached; a failure is dropped so the next attempt retries.
  const logins = new Map<string, Promise<OidcLogin>>();
  const loginFor = (id: string): Promise<OidcLogin> => {
    const config = deps.providers.find((provider) => provider.id === id);
    if (config === undefined) return Promise.reject(new AppError('not_found', 'no such provider'));
    let login = logins.get(id);
    if (login === undefined) {
      login = OidcLogin.discover(config);
      login.catch(() => logins.delete(id));
      logins.set(id, login);
    }
    return login;
  };
  const cookiePath = (id: string): string => `/api/auth/oidc/${id}/`;

  const logout = async (sessionId: string, method: string): Promise<string | undefined> => {
    const provider = /^oidc:([a-z][a-z0-9-]{0,31})/.exec(method)?.[1];
    if (provider === undefined) return undefined;
    try {
      const login = await loginFor(provider);
      return login.endSessionUrl(await deps.idTokenOf(sessionId), deps.publicUrl);
    } catch {
      // A provider that cannot be reached keeps nobody signed in here: the local session ends.
      return undefined;
    }
  };

  const register = (app: FastifyInstance): Promise<void> => {
    const config = { rateLimit: { max: deps.perMinute, timeWindow: 60_000 } };

    app.get<{ Params: ProviderParams }>(
      '/auth/oidc/:id/start',
      { schema: { params: ProviderParams }, config },
      async (request, reply) => {
        try {
          const login = await loginFor(request.params.id);
          const { url, flow } = await login.start();
          await deps.flows.save(FLOW_KIND, login.id, flow.state, flow, new Date(flow.expiresAt));
          reply.setCookie(FLOW_COOKIE, flow.state, {
            signed: true,
            httpOnly: true,
            // Lax: the provider's redirect back is a top-level GET from its site.
            sameSite: 'lax',
            secure: deps.secureCookies,
            path: cookiePath(login.id),
            expires: new Date(flow.expiresAt),
          });
          return await reply.redirect(url, 303);
        } catch (error) {
          return toSignInPage(reply, classifyError(error).code);
        }
      },
    );

    app.get<{ Params: ProviderParams }>(
      '/auth/oidc/:id/callback',
      { schema: { params: ProviderParams }, config },
      async (request, reply) => {
        const provider = request.params.id;
        reply.clearCookie(FLOW_COOKIE, { path: cookiePath(provider) });
        try {
          const callbackUrl = new URL(request.url, deps.publicUrl);
          const state = callbackUrl.searchParams.get('state') ?? '';
          if (!stateMatchesCookie(request, state)) {
            throw new AppError(
              'invalid_credentials',
              'the sign-in was not started in this browser',
            );
          }
          const flow = (await deps.flows.take(FLOW_KIND, provider, state, new Date())) as
            OidcFlowState | undefined;
          if (flow === undefined)
            throw new AppError('invalid_credentials', 'unknown or expired sign-in');
          const login = await loginFor(provider);
          const identity = await login.finish(callbackUrl, flow);
          const { idToken, ...person } = identity;
          const signIn = await deps.auth.loginWithExternal(
            person,
            { source: request.ip },
            (sessionId) => deps.sealIdToken(sessionId, idToken),
          );
          return await completeProviderSignIn(reply, signIn, deps.secureCookies);
        } catch (error) {
          return failProviderSignIn(deps.auth, request, reply, 'oidc', provider, error);
        }
      },
    );
    return Promise.resolve();
  };
  return { register, logout };
}

function stateMatchesCookie(request: FastifyRequest, state: string): boolean {
  const raw = request.cookies[FLOW_COOKIE];
  if (raw === undefined || state === '') return false;
  const unsigned = request.unsignCookie(raw);
  return unsigned.valid && unsigned.value === state;
}
