import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { ErrorCode } from '@konvent/protocol';
import { identityFromClaims } from '../../src/auth/oidc/identityFromClaims.ts';
import { OIDC_FLOW_TTL_MS, OidcLogin, type OidcFlowState } from '../../src/auth/oidc/OidcLogin.ts';
import {
  DEFAULT_MFA_ACR_VALUES,
  oidcProviderConfig,
  parseOidcProviders,
  type OidcProviderConfig,
} from '../../src/auth/oidc/OidcProviderConfig.ts';
import { AppError } from '../../src/errors/AppError.ts';
import { TestOidcProvider } from '../helpers/TestOidcProvider.ts';

const PUBLIC_URL = 'https://meet.example.test';
const CALLBACK = `${PUBLIC_URL}/api/auth/oidc/corp/callback`;
const CLIENT_ID = 'konvent-test';
const CLIENT_SECRET = randomBytes(24).toString('base64url');
const ACCOUNTS = {
  alice: {
    sub: 'f3c1a2d4-alice',
    claims: {
      name: 'Alice Example',
      preferred_username: 'alice',
      email: 'alice@example.test',
      groups: ['konvent-admins', 'staff'],
    },
    amr: ['pwd', 'otp'],
  },
  // No preferred_username and no name: the user name falls back to the e-mail address.
  bob: {
    sub: '9b7e0c11-bob',
    claims: { email: 'bob@example.test', groups: 'contractors' },
    amr: ['pwd'],
  },
};

/** The provider list entry an operator would write for `issuer`. */
function settingsJson(issuer: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify([
    {
      id: 'corp',
      label: 'Corporate login',
      issuer,
      clientId: CLIENT_ID,
      clientSecretFile: '/run/secrets/oidc-corp',
      scopes: ['openid', 'profile', 'email', 'groups'],
      roles: {
        claim: 'groups',
        values: { 'konvent-admins': ['admin'], staff: ['organiser', 'member'] },
        defaultRoles: ['member'],
      },
      allowInsecureHttp: true,
      ...extra,
    },
  ]);
}

function configFor(issuer: string, extra: Record<string, unknown> = {}): OidcProviderConfig {
  const [settings] = parseOidcProviders(settingsJson(issuer, extra));
  assert.ok(settings);
  return oidcProviderConfig(settings, CLIENT_SECRET, PUBLIC_URL);
}

async function assertAppError(
  promise: Promise<unknown>,
  code: ErrorCode,
  detail?: RegExp,
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AppError, `expected AppError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (detail !== undefined) assert.match(error.detail ?? '', detail);
    // Details reach the browser: they must not carry who tried to sign in.
    assert.doesNotMatch(error.detail ?? '', /alice|bob|example\.test/);
    return true;
  });
}

const TEST_IDP = {
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  redirectUris: [CALLBACK],
  postLogoutRedirectUris: [`${PUBLIC_URL}/`],
  accounts: ACCOUNTS,
};

describe('OpenID Connect sign-in against a real provider', () => {
  let idp: TestOidcProvider;
  let login: OidcLogin;
  let now = Date.now();
  const clock = { now: () => new Date(now) };

  before(async () => {
    idp = await TestOidcProvider.start(TEST_IDP);
    login = await OidcLogin.discover(configFor(idp.issuer), { clock });
  });
  after(async () => {
    await idp.close();
  });

  /** Starts a sign-in and lets `account` pass the provider's login page. */
  async function signedIn(account: string): Promise<{ callback: URL; flow: OidcFlowState }> {
    const { url, flow } = await login.start();
    return { callback: await idp.signIn(url, { account }), flow };
  }

  test('a person signs in with code and PKCE and gets an identity with mapped roles', async () => {
    const { url, flow } = await login.start();
    const request = new URL(url);
    assert.equal(request.origin, idp.issuer);
    assert.equal(request.searchParams.get('response_type'), 'code');
    assert.equal(request.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(request.searchParams.get('redirect_uri'), CALLBACK);
    assert.equal(request.searchParams.get('state'), flow.state);
    assert.equal(request.searchParams.get('nonce'), flow.nonce);
    assert.equal(request.searchParams.get('scope'), 'openid profile email groups');
    // The verifier stays on the server; only its S256 challenge travels.
    assert.ok(!url.includes(flow.codeVerifier));
    assert.equal(flow.provider, 'corp');
    assert.equal(flow.expiresAt, now + OIDC_FLOW_TTL_MS);
    // The caller stores the flow as JSON.
    const stored = JSON.parse(JSON.stringify(flow)) as OidcFlowState;

    const callback = await idp.signIn(url, { account: 'alice' });
    assert.equal(callback.searchParams.get('state'), flow.state);
    assert.ok(callback.searchParams.has('code'));

    // The route may see another scheme or host behind a proxy; only the query counts.
    const seenByRoute = new URL(
      `http://10.0.0.5:8080/api/auth/oidc/corp/callback${callback.search}`,
    );
    const identity = await login.finish(seenByRoute, stored);
    const { idToken, ...rest } = identity;
    assert.deepEqual(rest, {
      provider: 'corp',
      kind: 'oidc',
      subject: 'f3c1a2d4-alice',
      username: 'alice',
      displayName: 'Alice Example',
      roles: ['admin', 'member', 'organiser'],
      methods: ['pwd', 'otp'],
      multiFactor: true,
    });
    assert.equal(idToken.split('.').length, 3);
  });

  test('a person in no mapped group gets the default role and no second factor', async () => {
    const { callback, flow } = await signedIn('bob');
    const identity = await login.finish(callback, flow);
    assert.equal(identity.subject, '9b7e0c11-bob');
    assert.equal(identity.username, 'bob@example.test');
    assert.equal(identity.displayName, 'bob@example.test');
    assert.deepEqual(identity.roles, ['member']);
    assert.deepEqual(identity.methods, ['pwd']);
    assert.equal(identity.multiFactor, false);
  });

  test('a callback that belongs to another sign-in or has a tampered state is refused', async () => {
    const { callback, flow } = await signedIn('alice');
    const { flow: other } = await login.start();
    await assertAppError(login.finish(callback, other), 'invalid_credentials', /this sign-in/);

    const tampered = new URL(callback);
    tampered.searchParams.set('state', `${flow.state}x`);
    await assertAppError(login.finish(tampered, flow), 'invalid_credentials', /this sign-in/);

    const stateless = new URL(callback);
    stateless.searchParams.delete('state');
    await assertAppError(login.finish(stateless, flow), 'invalid_credentials');
  });

  test('a replayed authorization code is refused', async () => {
    const { callback, flow } = await signedIn('alice');
    await login.finish(callback, flow);
    await assertAppError(login.finish(callback, flow), 'invalid_credentials', /code/);
  });

  test("an ID token carrying another sign-in's nonce is refused", async () => {
    const { callback, flow } = await signedIn('alice');
    const { flow: other } = await login.start();
    await assertAppError(
      login.finish(callback, { ...flow, nonce: other.nonce }),
      'invalid_credentials',
      /ID token/,
    );
  });

  test("a code redeemed with another sign-in's PKCE verifier is refused", async () => {
    const { callback, flow } = await signedIn('alice');
    const { flow: other } = await login.start();
    await assertAppError(
      login.finish(callback, { ...flow, codeVerifier: other.codeVerifier }),
      'invalid_credentials',
      /code/,
    );
  });

  test("an ID token not signed with the provider's published key is refused", async () => {
    // A fresh login: the shared one has the genuine key set cached.
    const fresh = await OidcLogin.discover(configFor(idp.issuer), { clock });
    const { url, flow } = await fresh.start();
    const callback = await idp.signIn(url, { account: 'alice' });
    idp.publishForeignKey = true;
    try {
      await assertAppError(fresh.finish(callback, flow), 'invalid_credentials', /validation/);
    } finally {
      idp.publishForeignKey = false;
    }
  });

  test('a person who cancels at the provider gets invalid_credentials', async () => {
    const { url, flow } = await login.start();
    const callback = await idp.signIn(url, { deny: true });
    assert.equal(callback.searchParams.get('error'), 'access_denied');
    await assertAppError(login.finish(callback, flow), 'invalid_credentials', /access_denied/);
  });

  test('a sign-in that took too long or belongs to another provider is refused', async () => {
    const { callback, flow } = await signedIn('alice');
    await assertAppError(
      login.finish(callback, { ...flow, provider: 'other' }),
      'invalid_credentials',
      /another provider/,
    );
    now += OIDC_FLOW_TTL_MS;
    try {
      await assertAppError(login.finish(callback, flow), 'invalid_credentials', /too long/);
    } finally {
      now -= OIDC_FLOW_TTL_MS;
    }
  });

  test("logout leads to the provider's end-session endpoint with the ID token hint", async () => {
    const { callback, flow } = await signedIn('alice');
    const { idToken } = await login.finish(callback, flow);
    const url = new URL(login.endSessionUrl(idToken, `${PUBLIC_URL}/`) ?? '');
    assert.equal(url.origin, idp.issuer);
    assert.equal(url.searchParams.get('id_token_hint'), idToken);
    assert.equal(url.searchParams.get('post_logout_redirect_uri'), `${PUBLIC_URL}/`);
    assert.equal(url.searchParams.get('client_id'), CLIENT_ID);
    const response = await fetch(url, { redirect: 'manual' });
    assert.equal(response.status, 200, 'the provider accepts the logout request');
    await response.arrayBuffer();
    const withoutHint = new URL(login.endSessionUrl(undefined, `${PUBLIC_URL}/`) ?? '');
    assert.equal(withoutHint.searchParams.has('id_token_hint'), false);
  });

  test('a wrong client secret makes the sign-in fail as unavailable, not as the person’s fault', async () => {
    const [settings] = parseOidcProviders(settingsJson(idp.issuer));
    assert.ok(settings);
    const misconfigured = await OidcLogin.discover(
      oidcProviderConfig(settings, 'not-the-registered-secret', PUBLIC_URL),
    );
    const { url, flow } = await misconfigured.start();
    const callback = await idp.signIn(url, { account: 'alice' });
    await assertAppError(misconfigured.finish(callback, flow), 'unavailable', /client/);
  });

  test('an issuer that cannot be reached makes discovery fail as unavailable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    await assertAppError(
      OidcLogin.discover(configFor(`http://127.0.0.1:${port}`)),
      'unavailable',
      /cannot be reached/,
    );
  });

  test('an issuer whose discovery document names another issuer is unavailable', async () => {
    // Same server, another name: its document says 127.0.0.1, we asked for localhost.
    await assertAppError(
      OidcLogin.discover(configFor(idp.issuer.replace('127.0.0.1', 'localhost'))),
      'unavailable',
      /discovery document/,
    );
  });
});

describe('OpenID Connect with claims in the ID token and no logout endpoint', () => {
  let idp: TestOidcProvider;

  before(async () => {
    idp = await TestOidcProvider.start({
      ...TEST_IDP,
      claimsInIdToken: true,
      rpInitiatedLogout: false,
    });
  });
  after(async () => {
    await idp.close();
  });

  test('the ID token alone identifies the person when UserInfo is switched off', async () => {
    const login = await OidcLogin.discover(configFor(idp.issuer, { userinfo: false }));
    const { url, flow } = await login.start();
    const identity = await login.finish(await idp.signIn(url, { account: 'alice' }), flow);
    assert.equal(identity.username, 'alice');
    assert.deepEqual(identity.roles, ['admin', 'member', 'organiser']);
    assert.equal(login.endSessionUrl(identity.idToken, `${PUBLIC_URL}/`), undefined);
  });

  test('a provider that goes down during a sign-in makes it fail as unavailable', async () => {
    const login = await OidcLogin.discover(configFor(idp.issuer));
    const { url, flow } = await login.start();
    const callback = await idp.signIn(url, { account: 'alice' });
    await idp.close();
    await assertAppError(login.finish(callback, flow), 'unavailable', /cannot be reached/);
  });
});

describe('mapping OpenID Connect claims to an identity', () => {
  const config = {
    id: 'corp',
    usernameClaims: ['preferred_username', 'email'],
    roleMapping: { claim: 'realm_access.roles', values: { boss: ['admin'] }, defaultRoles: [] },
    mfaAcrValues: [...DEFAULT_MFA_ACR_VALUES, 'gold'],
  } as const;

  test('roles come from a nested claim and a configured acr counts as a second factor', () => {
    const identity = identityFromClaims(config, {
      sub: 's1',
      preferred_username: 'has space',
      email: 'carol@example.test',
      name: '  Carol\n\u0007Example  ',
      realm_access: { roles: ['boss', 7] },
      acr: 'gold',
      amr: 'pwd',
    });
    assert.equal(identity.username, 'carol@example.test', 'an unusable user name is skipped');
    assert.equal(identity.displayName, 'Carol Example');
    assert.deepEqual(identity.roles, ['admin']);
    assert.deepEqual(identity.methods, []);
    assert.equal(identity.multiFactor, true);

    const long = identityFromClaims(config, {
      sub: 's2',
      email: 'dave@example.test',
      name: `${'A'.repeat(62)}\u{1F469}\u200D\u{1F469}\u200D\u{1F467}`,
    });
    assert.equal(
      long.displayName,
      'A'.repeat(62),
      'a name is cut before a grapheme that would not fit',
    );
  });

  test('claims without a usable user name or subject are refused', () => {
    assert.throws(
      () => identityFromClaims(config, { sub: 's1', preferred_username: 'x' }),
      (error: unknown) => error instanceof AppError && error.code === 'invalid_credentials',
    );
    assert.throws(
      () => identityFromClaims(config, { sub: '', email: 'carol@example.test' }),
      (error: unknown) => error instanceof AppError && error.code === 'invalid_credentials',
    );
  });
});

describe('OIDC provider settings', () => {
  const minimal = {
    id: 'corp',
    label: 'Corporate login',
    issuer: 'https://login.example.org/realms/corp',
    clientId: 'konvent',
    clientSecretFile: '/run/secrets/oidc-corp',
  };
  const parseOne = (entry: Record<string, unknown>) => parseOidcProviders(JSON.stringify([entry]));
  const refused = (entry: Record<string, unknown>, message: RegExp) => {
    assert.throws(() => parseOne(entry), { name: 'TypeError', message });
  };

  test('a minimal entry gets the documented defaults and our callback URL', () => {
    const [settings] = parseOne(minimal);
    assert.ok(settings);
    assert.deepEqual(settings.scopes, ['openid', 'profile', 'email']);
    assert.deepEqual(settings.usernameClaims, ['preferred_username', 'email']);
    assert.deepEqual(settings.roleMapping, {
      claim: 'groups',
      values: {},
      defaultRoles: ['member'],
    });
    assert.equal(settings.userinfo, true);
    assert.equal(settings.allowInsecureHttp, false);
    const config = oidcProviderConfig(settings, 'secret-from-file', 'https://meet.example.org/');
    assert.equal(config.redirectUri, 'https://meet.example.org/api/auth/oidc/corp/callback');
    assert.equal(config.clientSecret, 'secret-from-file');
    assert.deepEqual(parseOidcProviders('[]'), []);
  });

  test('malformed settings are refused with the offending field named', () => {
    assert.throws(() => parseOidcProviders('{'), {
      name: 'TypeError',
      message: /^OIDC_PROVIDERS_FILE: not valid JSON/,
    });
    assert.throws(() => parseOidcProviders('{}'), {
      name: 'TypeError',
      message: /^OIDC_PROVIDERS_FILE: must be a JSON array/,
    });
    refused({ ...minimal, id: 'Corp' }, /^OIDC_PROVIDERS_FILE\[0\]\.id: /);
    refused({ ...minimal, label: undefined }, /^OIDC_PROVIDERS_FILE\[0\]\.label: /);
    refused(
      { ...minimal, issuer: 'http://login.example.org' },
      /^OIDC_PROVIDERS_FILE\[0\]\.issuer: must use https/,
    );
    refused(
      { ...minimal, issuer: 'http://login.example.org', allowInsecureHttp: true },
      /^OIDC_PROVIDERS_FILE\[0\]\.issuer: allowInsecureHttp is only accepted for a loopback/,
    );
    refused(
      { ...minimal, issuer: 'https://login.example.org/.well-known/openid-configuration' },
      /^OIDC_PROVIDERS_FILE\[0\]\.issuer: give the issuer/,
    );
    refused(
      { ...minimal, clientSecret: 'hunter2' },
      /^OIDC_PROVIDERS_FILE\[0\]\.clientSecret: secrets are not/,
    );
    refused(
      { ...minimal, scopes: ['profile'] },
      /^OIDC_PROVIDERS_FILE\[0\]\.scopes: must contain "openid"/,
    );
    refused({ ...minimal, scopes: ['openid email'] }, /^OIDC_PROVIDERS_FILE\[0\]\.scopes\[0\]: /);
    refused(
      { ...minimal, roles: { values: { staff: ['root'] } } },
      /^OIDC_PROVIDERS_FILE\[0\]\.roles\.values\.staff\[0\]: must be one of/,
    );
    refused(
      { ...minimal, roles: { claim: 'groups', default: ['member'] } },
      /^OIDC_PROVIDERS_FILE\[0\]\.roles\.default: unknown field/,
    );
    refused(
      { ...minimal, userinfo: 'yes' },
      /^OIDC_PROVIDERS_FILE\[0\]\.userinfo: must be true or false/,
    );
    refused(
      { ...minimal, redirectUri: 'https://x' },
      /^OIDC_PROVIDERS_FILE\[0\]\.redirectUri: unknown field/,
    );
    assert.throws(() => parseOidcProviders(JSON.stringify([minimal, minimal])), {
      name: 'TypeError',
      message: /^OIDC_PROVIDERS_FILE\[1\]\.id: "corp" is used twice/,
    });
  });
});
