import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Provider } from 'oidc-provider';
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';

/** A person the test provider can sign in. */
export interface TestOidcAccount {
  /** The provider's subject for the person. */
  readonly sub: string;
  /** Claims released through the `profile`, `email` and `groups` scopes. */
  readonly claims: Readonly<Record<string, unknown>>;
  /** Authentication methods the login reports (ID token `amr`). */
  readonly amr?: readonly string[];
  readonly acr?: string;
}

/** How to set up the test provider. */
export interface TestOidcProviderOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUris: readonly string[];
  readonly postLogoutRedirectUris?: readonly string[];
  /** Accounts by the name `signIn` picks them with. */
  readonly accounts: Readonly<Record<string, TestOidcAccount>>;
  /**
   * Put profile claims into the ID token too. oidc-provider's default (false) releases
   * them only at UserInfo, as OIDC Core says for the code flow.
   */
  readonly claimsInIdToken?: boolean;
  /** Offer RP-initiated logout (`end_session_endpoint`); default true. */
  readonly rpInitiatedLogout?: boolean;
}

/** How the simulated person answers the provider's login page. */
export type TestOidcAnswer = { readonly account: string } | { readonly deny: true };

const SIGNING_KID = 'test-rs256';
const INTERACTION = /^\/interaction\/([A-Za-z0-9_-]+)(\/login|\/abort)?(?:\?.*)?$/;

/**
 * A real OpenID provider (oidc-provider 9) on 127.0.0.1 with one confidential client, PKCE
 * required, and a tiny login "page" that `signIn` answers like a browser would: it follows
 * redirects by hand and carries the provider's cookies, so the whole authorization code
 * flow runs without a browser.
 */
export class TestOidcProvider {
  readonly issuer: string;
  /**
   * When true, the JWKS endpoint publishes a different key under the signing key's id, as
   * if someone had swapped the keys: ID tokens then fail signature checks.
   */
  publishForeignKey = false;
  readonly #server: Server;
  readonly #options: TestOidcProviderOptions;

  /** Use `TestOidcProvider.start`. */
  constructor(issuer: string, server: Server, options: TestOidcProviderOptions) {
    this.issuer = issuer;
    this.#server = server;
    this.#options = options;
  }

  /** Starts the provider on a free loopback port. */
  static async start(options: TestOidcProviderOptions): Promise<TestOidcProvider> {
    let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
      res.statusCode = 503;
      res.end();
    };
    // The issuer must contain the port, which is known only once the server listens.
    const server = createServer((req, res) => {
      handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const provider = new Provider(issuer, configuration(options));
    provider.on('server_error', (_ctx, error) => {
      console.error('test OIDC provider error', error);
    });
    const providerHandler = provider.callback();
    const foreignJwks = JSON.stringify({ keys: [{ ...publicJwk(), kid: SIGNING_KID }] });
    const idp = new TestOidcProvider(issuer, server, options);
    handle = (req, res) => {
      if (idp.publishForeignKey && req.url === '/jwks') {
        res.setHeader('content-type', 'application/jwk-set+json');
        res.end(foreignJwks);
        return;
      }
      const match = INTERACTION.exec(req.url ?? '');
      if (match === null) {
        providerHandler(req, res);
        return;
      }
      interaction(provider, options, req, res, match[2]).catch((error: unknown) => {
        console.error('test OIDC interaction error', error);
        res.statusCode = 500;
        res.end();
      });
    };
    return idp;
  }

  /**
   * Plays the browser from the authorization URL until the provider redirects to a
   * registered redirect URI, and returns that URL (with `code` or `error`).
   */
  async signIn(authorizationUrl: string, answer: TestOidcAnswer): Promise<URL> {
    const cookies = new Map<string, string>();
    let url = new URL(authorizationUrl);
    for (let hop = 0; hop < 12; hop++) {
      const response = await fetch(url, {
        redirect: 'manual',
        headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
      });
      await response.arrayBuffer();
      for (const header of response.headers.getSetCookie()) {
        const [pair = ''] = header.split(';');
        const at = pair.indexOf('=');
        const name = pair.slice(0, at).trim();
        const value = pair.slice(at + 1).trim();
        if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(header))
          cookies.delete(name);
        else cookies.set(name, value);
      }
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location !== null) {
        url = new URL(location, url);
        if (this.#options.redirectUris.includes(`${url.origin}${url.pathname}`)) return url;
        continue;
      }
      if (response.status === 200 && INTERACTION.test(url.pathname)) {
        url = new URL(
          'account' in answer
            ? `${url.pathname}/login?account=${encodeURIComponent(answer.account)}`
            : `${url.pathname}/abort`,
          url,
        );
        continue;
      }
      throw new Error(`test OIDC sign-in stopped at ${url.href} with status ${response.status}`);
    }
    throw new Error('test OIDC sign-in did not reach the redirect URI');
  }

  /** Stops the provider; open keep-alive connections are cut. Safe to call twice. */
  async close(): Promise<void> {
    if (!this.#server.listening) return;
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => {
      this.#server.close(() => {
        resolve();
      });
    });
  }
}

/** The public half of a fresh RSA key, as a JWK. */
function publicJwk(): Record<string, unknown> {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...publicKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256' };
}

function configuration(options: TestOidcProviderOptions): Record<string, unknown> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const bySub = new Map(Object.values(options.accounts).map((account) => [account.sub, account]));
  return {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: options.redirectUris,
        post_logout_redirect_uris: options.postLogoutRedirectUris ?? [],
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: options.rpInitiatedLogout !== false },
    },
    interactions: {
      url: (_ctx: unknown, details: { uid: string }) => `/interaction/${details.uid}`,
    },
    // oidc-provider releases `acr` and `amr` only when asked for by name; many providers
    // (Keycloak, Entra ID) always put them into the ID token, so the test provider does too.
    claims: {
      sid: null,
      openid: ['sub', 'acr', 'amr', 'auth_time'],
      profile: ['name', 'preferred_username'],
      email: ['email'],
      groups: ['groups'],
    },
    conformIdTokenClaims: options.claimsInIdToken !== true,
    findAccount: (_ctx: unknown, sub: string) => {
      const account = bySub.get(sub);
      if (account === undefined) return undefined;
      return {
        accountId: sub,
        claims: () => Promise.resolve({ ...account.claims, sub }),
      };
    },
    // The same in-memory store oidc-provider falls back to, passed explicitly so it does not
    // print its production warning into every test run; likewise explicit lifetimes.
    adapter: createMemoryAdapter(),
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 600,
      IdToken: 600,
      Interaction: 600,
      Session: 600,
    },
    jwks: {
      keys: [
        { ...privateKey.export({ format: 'jwk' }), kid: SIGNING_KID, use: 'sig', alg: 'RS256' },
      ],
    },
    cookies: { keys: [randomBytes(32).toString('hex')] },
  };
}

/** The login page (GET), its submit (`/login?account=`), its cancel (`/abort`), and consent. */
async function interaction(
  provider: Provider,
  options: TestOidcProviderOptions,
  req: IncomingMessage,
  res: ServerResponse,
  action: string | undefined,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (action === '/login') {
    const name = new URL(req.url ?? '', 'http://x').searchParams.get('account') ?? '';
    const account = options.accounts[name];
    if (account === undefined) throw new Error(`unknown test account ${name}`);
    await provider.interactionFinished(req, res, {
      login: {
        accountId: account.sub,
        ...(account.amr === undefined ? {} : { amr: [...account.amr] }),
        ...(account.acr === undefined ? {} : { acr: account.acr }),
      },
    });
  } else if (action === '/abort') {
    await provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'End-User aborted interaction' },
      { mergeWithLastSubmission: false },
    );
  } else if (details.prompt.name === 'consent' && details.session !== undefined) {
    // Our own client is first-party: consent is given without asking, as a real
    // organisation's provider would be set up for it.
    const grant = new provider.Grant({
      accountId: details.session.accountId,
      clientId: details.params.client_id,
    });
    const scopes = details.prompt.details.missingOIDCScope ?? [];
    if (scopes.length > 0) grant.addOIDCScope(scopes.join(' '));
    const claims = details.prompt.details.missingOIDCClaims ?? [];
    if (claims.length > 0) grant.addOIDCClaims(claims);
    await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } });
  } else {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ uid: details.uid, prompt: details.prompt.name }));
  }
}
