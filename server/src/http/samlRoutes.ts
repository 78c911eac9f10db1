import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AuthService } from '../auth/AuthService.ts';
import type { FlowStore } from '../auth/FlowStore.ts';
import { SAML_RESPONSE_MAX_LENGTH, SamlLogin } from '../auth/saml/SamlLogin.ts';
import type { SamlProviderConfig } from '../auth/saml/SamlProviderConfig.ts';
import { AppError } from '../errors/AppError.ts';
import { classifyError } from './errorReplies.ts';
import {
  completeProviderSignIn,
  failProviderSignIn,
  ProviderParams,
  toSignInPage,
} from './providerSignIn.ts';

/** What the SAML routes need. */
export interface SamlRouteDeps {
  providers: readonly SamlProviderConfig[];
  auth: AuthService;
  flows: FlowStore;
  secureCookies: boolean;
  perMinute: number;
}

/** The HTTP-POST binding's form: the base64 response and an optional relay state. */
const AcsBody = Type.Object(
  {
    SAMLResponse: Type.String({ minLength: 1, maxLength: SAML_RESPONSE_MAX_LENGTH }),
    RelayState: Type.Optional(Type.String({ maxLength: 80 })),
  },
  { additionalProperties: false },
);
type AcsBody = Static<typeof AcsBody>;

const FLOW_KIND = 'saml';

/**
 * SAML 2.0 sign-in as a service provider: `/api/auth/saml/:id/start` sends the browser to
 * the identity provider with an AuthnRequest (its id stored server-side, single-use),
 * `/api/auth/saml/:id/acs` takes the provider's signed response (HTTP-POST binding) and
 * signs the person in, `/api/auth/saml/:id/metadata` is our metadata for the provider's
 * administrator. The response must answer a request we issued, so an unsolicited or
 * replayed response signs nobody in; assertion ids are also remembered until they expire.
 */
export function samlRoutes(deps: SamlRouteDeps) {
  const logins = new Map(
    deps.providers.map((config) => [config.id, new SamlLogin(config, deps.flows)] as const),
  );
  const loginFor = (id: string): SamlLogin => {
    const login = logins.get(id);
    if (login === undefined) throw new AppError('not_found', 'no such provider');
    return login;
  };

  return (app: FastifyInstance): Promise<void> => {
    const config = { rateLimit: { max: deps.perMinute, timeWindow: 60_000 } };
    // Form bodies only in this plugin's scope (the rest of the API speaks JSON alone), so
    // no other route can be posted to by a plain cross-site HTML form.
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: SAML_RESPONSE_MAX_LENGTH + 4096 },
      (_request, body, done) => {
        const fields: Record<string, string> = Object.create(null) as Record<string, string>;
        for (const [key, value] of new URLSearchParams(body as string)) {
          if (key in fields) {
            done(new AppError('bad_request', `the form field ${key.slice(0, 20)} appears twice`));
            return;
          }
          fields[key] = value;
        }
        done(null, fields);
      },
    );

    app.get<{ Params: ProviderParams }>(
      '/auth/saml/:id/start',
      { schema: { params: ProviderParams }, config },
      async (request, reply) => {
        try {
          const login = loginFor(request.params.id);
          const { url, requestId, expiresAt } = await login.start();
          await deps.flows.save(FLOW_KIND, login.id, requestId, { requestId }, expiresAt);
          return await reply.redirect(url, 303);
        } catch (error) {
          return toSignInPage(reply, classifyError(error).code);
        }
      },
    );

    app.get<{ Params: ProviderParams }>(
      '/auth/saml/:id/metadata',
      { schema: { params: ProviderParams }, config },
      async (request, reply) =>
        reply
          .header('content-type', 'application/samlmetadata+xml; charset=utf-8')
          .send(loginFor(request.params.id).metadata()),
    );

    app.post<{ Params: ProviderParams; Body: AcsBody }>(
      '/auth/saml/:id/acs',
      {
        schema: { params: ProviderParams, body: AcsBody },
        config,
        bodyLimit: SAML_RESPONSE_MAX_LENGTH + 4096,
      },
      async (request, reply) => {
        const provider = request.params.id;
        try {
          const login = loginFor(provider);
          const now = new Date();
          const identity = await login.finish(
            { SAMLResponse: request.body.SAMLResponse, RelayState: request.body.RelayState },
            async (inResponseTo) =>
              (await deps.flows.take(FLOW_KIND, provider, inResponseTo, now)) !== undefined,
          );
          const signIn = await deps.auth.loginWithExternal(identity, { source: request.ip });
          return await completeProviderSignIn(reply, signIn, deps.secureCookies);
        } catch (error) {
          return failProviderSignIn(deps.auth, request, reply, 'saml', provider, error);
        }
      },
    );
    return Promise.resolve();
  };
}
