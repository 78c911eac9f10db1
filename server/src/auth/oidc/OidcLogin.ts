import * as client from 'openid-client';
import { AppError } from '../../errors/AppError.ts';
import type { Clock } from '../../meetings/ports.ts';
import { systemClock } from '../../storage/SystemClock.ts';
import type { ExternalIdentity } from '../ExternalIdentity.ts';
import { identityFromClaims } from './identityFromClaims.ts';
import { oidcFailure } from './oidcFailure.ts';
import type { OidcProviderConfig } from './OidcProviderConfig.ts';

/** How long a person has between leaving for the provider and coming back. */
export const OIDC_FLOW_TTL_MS = 10 * 60 * 1000;
/** Requests to the provider give up after this long, so a hanging provider frees the request. */
const DEFAULT_TIMEOUT_SECONDS = 10;

/**
 * What must survive between `start()` and `finish()` of one sign-in: plain JSON, which the
 * caller keeps server-side (sealed, keyed by `state`) and never sends to the browser,
 * because the nonce and code verifier are what make a stolen authorization code useless.
 */
export interface OidcFlowState {
  /** The provider id the flow was started with. */
  readonly provider: string;
  readonly state: string;
  readonly nonce: string;
  /** The PKCE code verifier (S256). */
  readonly codeVerifier: string;
  /** Milliseconds since the epoch after which `finish()` refuses the flow. */
  readonly expiresAt: number;
}

/**
 * The identity plus the raw ID token, which `endSessionUrl()` accepts as `id_token_hint`
 * so the provider can log out without asking. The token is personal data: store it only
 * sealed with the session, or not at all.
 */
export interface OidcIdentity extends ExternalIdentity {
  readonly idToken: string;
}

/** Options for `OidcLogin.discover`. */
export interface OidcLoginOptions {
  /** Source of the current time for flow expiry; tests substitute one. */
  readonly clock?: Clock;
  /** Timeout of each request to the provider in seconds (default 10). */
  readonly timeoutSeconds?: number;
}

/**
 * Sign-in with one OpenID Connect provider as a relying party: the authorization code flow
 * with PKCE (S256), state and nonce, through openid-client. Holds no per-user state, so
 * one instance per provider serves every request on every node; the flow state travels
 * through the caller's storage.
 */
export class OidcLogin {
  readonly #config: OidcProviderConfig;
  readonly #client: client.Configuration;
  readonly #clock: Clock;

  /** Use `OidcLogin.discover`; the constructor expects an already discovered provider. */
  constructor(config: OidcProviderConfig, clientConfig: client.Configuration, clock: Clock) {
    this.#config = config;
    this.#client = clientConfig;
    this.#clock = clock;
  }

  /**
   * Fetches the provider's discovery document (checking that it names `config.issuer`)
   * and returns a login for it. Throws `unavailable` when the provider cannot be reached
   * or its document is unusable; callers retry later rather than refusing to start.
   */
  static async discover(
    config: OidcProviderConfig,
    options: OidcLoginOptions = {},
  ): Promise<OidcLogin> {
    // Over TLS the ID token's signature is optional (OIDC Core §3.1.3.7); we check it
    // anyway, so a token is only ever trusted for the provider's own key.
    const execute: ((clientConfig: client.Configuration) => void)[] = [
      client.enableNonRepudiationChecks,
    ];
    // openid-client refuses plain HTTP; the config parser allows this for loopback tests only.
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- deprecated to mark test-only use
    if (config.allowInsecureHttp) execute.push(client.allowInsecureRequests);
    let clientConfig: client.Configuration;
    try {
      clientConfig = await client.discovery(
        new URL(config.issuer),
        config.clientId,
        undefined,
        client.ClientSecretBasic(config.clientSecret),
        { execute, timeout: options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS },
      );
    } catch (error) {
      const failure = oidcFailure(error);
      if (failure.code === 'unavailable') throw failure;
      // A reachable provider whose document is wrong (e.g. another issuer) is a
      // configuration problem; to a user it looks the same as an outage.
      throw new AppError('unavailable', 'the identity provider discovery document is not usable', {
        cause: error,
      });
    }
    return new OidcLogin(config, clientConfig, options.clock ?? systemClock);
  }

  /** Our id of the provider, e.g. `corp`. */
  get id(): string {
    return this.#config.id;
  }

  /** The sign-in button's text. */
  get label(): string {
    return this.#config.label;
  }

  /**
   * Begins a sign-in: returns the provider URL to redirect the browser to and the flow
   * state to keep server-side under `flow.state` until the callback arrives.
   */
  async start(): Promise<{ url: string; flow: OidcFlowState }> {
    const codeVerifier = client.randomPKCECodeVerifier();
    const flow: OidcFlowState = {
      provider: this.#config.id,
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier,
      expiresAt: this.#clock.now().getTime() + OIDC_FLOW_TTL_MS,
    };
    const url = client.buildAuthorizationUrl(this.#client, {
      redirect_uri: this.#config.redirectUri,
      scope: this.#config.scopes.join(' '),
      response_type: 'code',
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, flow };
  }

  /**
   * Completes a sign-in from the callback request's URL (only its query is read) and the
   * flow state stored by `start()`. openid-client checks the state, the `iss` response
   * parameter, the ID token's signature, issuer, audience, expiry and nonce, and the
   * provider checks the PKCE verifier. Throws `invalid_credentials` for any response
   * that fails (including an error such as `access_denied` from the provider) and
   * `unavailable` when the provider cannot be reached.
   */
  async finish(callbackUrl: URL, flow: OidcFlowState): Promise<OidcIdentity> {
    if (flow.provider !== this.#config.id) {
      throw new AppError('invalid_credentials', 'the sign-in was started with another provider');
    }
    if (this.#clock.now().getTime() >= flow.expiresAt) {
      throw new AppError('invalid_credentials', 'the sign-in took too long; start it again');
    }
    // openid-client checks this too, but lumps a wrong state together with other invalid
    // responses; checking first gives a clear reason and spares the provider a request.
    if (callbackUrl.searchParams.get('state') !== flow.state) {
      throw new AppError(
        'invalid_credentials',
        'the sign-in response does not belong to this sign-in',
      );
    }
    // The token request must repeat the redirect_uri of the authorization request; behind
    // a proxy the URL the route sees may differ in scheme or host, so only take the query.
    const current = new URL(this.#config.redirectUri);
    current.search = callbackUrl.search;
    try {
      const tokens = await client.authorizationCodeGrant(this.#client, current, {
        pkceCodeVerifier: flow.codeVerifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims();
      if (idClaims === undefined || tokens.id_token === undefined) {
        throw new AppError('invalid_credentials', 'the identity provider sent no ID token');
      }
      let claims: Readonly<Record<string, unknown>> = idClaims;
      if (this.#config.userinfo && this.#client.serverMetadata().userinfo_endpoint !== undefined) {
        // Many providers keep profile and group claims out of the ID token. UserInfo must
        // name the same subject (checked by openid-client); signed ID token claims win.
        const userinfo = await client.fetchUserInfo(
          this.#client,
          tokens.access_token,
          idClaims.sub,
        );
        claims = { ...userinfo, ...idClaims };
      }
      return { ...identityFromClaims(this.#config, claims), idToken: tokens.id_token };
    } catch (error) {
      throw oidcFailure(error);
    }
  }

  /**
   * The provider's RP-initiated logout URL, to redirect the browser to after the local
   * session has ended, or undefined when the provider offers no `end_session_endpoint`.
   * `postLogoutRedirectUri` must be registered at the provider.
   */
  endSessionUrl(
    idTokenHint: string | undefined,
    postLogoutRedirectUri: string,
  ): string | undefined {
    if (this.#client.serverMetadata().end_session_endpoint === undefined) return undefined;
    const parameters: Record<string, string> = {
      post_logout_redirect_uri: postLogoutRedirectUri,
    };
    if (idTokenHint !== undefined) parameters.id_token_hint = idTokenHint;
    return client.buildEndSessionUrl(this.#client, parameters).href;
  }
}
