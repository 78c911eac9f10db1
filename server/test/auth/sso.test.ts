import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { LogoutReply, SessionReply } from '@konvent/protocol';
import { oidcProviderConfig, parseOidcProviders } from '../../src/auth/oidc/OidcProviderConfig.ts';
import { parseSamlProviders, samlProviderConfig } from '../../src/auth/saml/SamlProviderConfig.ts';
import { ApiClient } from '../helpers/ApiClient.ts';
import { eachBackend } from '../helpers/databases.ts';
import { SamlTestIdp } from '../helpers/SamlTestIdp.ts';
import { startTestServer, TEST_PUBLIC_URL, type TestServer } from '../helpers/testServer.ts';
import { TestOidcProvider } from '../helpers/TestOidcProvider.ts';

const CLIENT_SECRET = randomBytes(24).toString('base64url');
const OIDC_CALLBACK = `${TEST_PUBLIC_URL}/api/auth/oidc/corp/callback`;
const ACS_URL = `${TEST_PUBLIC_URL}/api/auth/saml/school/acs`;
const SP_ENTITY_ID = `${TEST_PUBLIC_URL}/api/auth/saml/school/metadata`;

const OIDC_ACCOUNTS = {
  alice: {
    sub: 'alice-0001',
    claims: { name: 'Alice Admin', preferred_username: 'alice', groups: ['konvent-admins'] },
    amr: ['pwd', 'otp'],
  },
  bob: {
    sub: 'bob-0002',
    claims: { name: 'Bob Staff', preferred_username: 'bob', groups: ['staff'] },
    amr: ['pwd'],
  },
};

/** The `Location` of a redirect answer. */
function locationOf(headers: Record<string, unknown>): string {
  const location = headers['location'];
  assert.equal(typeof location, 'string', 'a redirect');
  return location as string;
}

for (const backend of eachBackend()) {
  describe(`single sign-on through the HTTP routes on ${backend.name}`, () => {
    let oidcIdp: TestOidcProvider;
    let samlIdp: SamlTestIdp;
    let t: TestServer;

    before(async () => {
      [oidcIdp, samlIdp] = await Promise.all([
        TestOidcProvider.start({
          clientId: 'konvent',
          clientSecret: CLIENT_SECRET,
          redirectUris: [OIDC_CALLBACK],
          postLogoutRedirectUris: [TEST_PUBLIC_URL],
          accounts: OIDC_ACCOUNTS,
        }),
        SamlTestIdp.create('https://idp.school.test/saml'),
      ]);
      const [oidcSettings] = parseOidcProviders(
        JSON.stringify([
          {
            id: 'corp',
            label: 'Corporate login',
            issuer: oidcIdp.issuer,
            clientId: 'konvent',
            clientSecretFile: '/unused',
            scopes: ['openid', 'profile', 'email', 'groups'],
            roles: {
              claim: 'groups',
              values: { 'konvent-admins': ['admin'], staff: ['organiser'] },
              defaultRoles: ['member'],
            },
            allowInsecureHttp: true,
          },
        ]),
      );
      const [samlSettings] = parseSamlProviders(
        JSON.stringify([
          {
            id: 'school',
            label: 'School district',
            idpEntityId: samlIdp.entityId,
            entryPoint: samlIdp.ssoUrl,
            idpCertificates: [samlIdp.certificate],
            usernameAttributes: ['mail'],
            displayNameAttributes: ['displayName'],
            roles: {
              attribute: 'groups',
              values: { teachers: ['organiser'] },
              defaultRoles: ['member'],
            },
          },
        ]),
      );
      assert.ok(oidcSettings && samlSettings);
      t = await startTestServer(backend, {
        apiPerMinute: 10_000,
        identity: {
          oidc: [oidcProviderConfig(oidcSettings, CLIENT_SECRET, TEST_PUBLIC_URL)],
          saml: [samlProviderConfig(samlSettings, TEST_PUBLIC_URL)],
          idleMinutes: 30,
          absoluteHours: 12,
          mfaRoles: [],
        },
      });
    });
    after(async () => {
      await t.close();
      await oidcIdp.close();
    });

    /** Starts an OIDC sign-in in `browser` and lets `account` pass the provider. */
    async function oidcCallback(browser: ApiClient, account: string): Promise<URL> {
      const start = await browser.call('GET', '/api/auth/oidc/corp/start');
      assert.equal(start.status, 303);
      return oidcIdp.signIn(locationOf(start.headers), { account });
    }

    test('the sign-in page lists the configured providers', async () => {
      const providers = await new ApiClient(t.server.app).call('GET', '/api/auth/providers');
      assert.deepEqual(providers.body, {
        password: true,
        providers: [
          { id: 'corp', kind: 'oidc', label: 'Corporate login' },
          { id: 'school', kind: 'saml', label: 'School district' },
        ],
      });
    });

    test('OIDC: first sign-in creates the account with mapped roles; the provider vouched for MFA', async () => {
      const browser = new ApiClient(t.server.app);
      const callback = await oidcCallback(browser, 'alice');
      const answer = await browser.call('GET', `${callback.pathname}${callback.search}`);
      assert.equal(answer.status, 303);
      assert.equal(locationOf(answer.headers), '/');
      const session = await browser.call<SessionReply>('GET', '/api/auth/session');
      assert.equal(session.body.stage, 'full');
      assert.equal(session.body.account.source, 'oidc');
      assert.deepEqual(session.body.account.roles, ['admin']);
      assert.equal(session.body.account.username, 'alice');
      const created = await t.server.database.db
        .selectFrom('audit_events')
        .select(['actor_id', 'outcome'])
        .where('action', '=', 'user.created')
        .execute();
      assert.ok(created.some((row) => row.actor_id === 'idp:corp'));

      // A second sign-in finds the same account.
      const again = new ApiClient(t.server.app);
      const second = await oidcCallback(again, 'alice');
      await again.call('GET', `${second.pathname}${second.search}`);
      const other = await again.call<SessionReply>('GET', '/api/auth/session');
      assert.equal(other.body.account.id, session.body.account.id);

      // Signing out ends the local session and sends the browser to the provider's logout.
      const logout = await browser.call<LogoutReply>('POST', '/api/auth/logout');
      assert.ok(logout.body.redirectTo?.startsWith(`${oidcIdp.issuer}/`));
      assert.match(logout.body.redirectTo ?? '', /id_token_hint=/);
      assert.equal((await browser.call('GET', '/api/auth/session')).status, 401);
    });

    test('OIDC: a callback in another browser (login CSRF) or a replayed one signs nobody in', async () => {
      const victim = new ApiClient(t.server.app);
      const attacker = new ApiClient(t.server.app);
      const callback = await oidcCallback(attacker, 'bob');
      const path = `${callback.pathname}${callback.search}`;
      const forced = await victim.call('GET', path);
      assert.equal(locationOf(forced.headers), '/login?error=invalid_credentials');
      assert.equal(victim.cookies.has('kv_session'), false);
      // The flow was not consumed by the forged attempt, but the attacker's replay after use is refused.
      const used = await attacker.call('GET', path);
      assert.equal(locationOf(used.headers), '/');
      const replayed = await attacker.call('GET', path);
      assert.equal(locationOf(replayed.headers), '/login?error=invalid_credentials');
    });

    test('OIDC: a refusal at the provider ends on the sign-in page, audited', async () => {
      const browser = new ApiClient(t.server.app);
      const start = await browser.call('GET', '/api/auth/oidc/corp/start');
      const callback = await oidcIdp.signIn(locationOf(start.headers), { deny: true });
      const answer = await browser.call('GET', `${callback.pathname}${callback.search}`);
      assert.equal(locationOf(answer.headers), '/login?error=invalid_credentials');
      const failures = await t.server.database.db
        .selectFrom('audit_events')
        .select('content')
        .where('action', '=', 'auth.login')
        .where('outcome', '=', 'failure')
        .execute();
      assert.ok(
        failures.some((row) =>
          Buffer.from(row.content ?? [])
            .toString()
            .includes('"oidc"'),
        ),
      );
    });

    /** Starts a SAML sign-in and returns the AuthnRequest id the provider must answer. */
    async function samlRequestId(browser: ApiClient): Promise<string> {
      const start = await browser.call('GET', '/api/auth/saml/school/start');
      assert.equal(start.status, 303);
      return samlIdp.readAuthnRequest(locationOf(start.headers)).id;
    }

    /** Posts a response to the ACS as the provider's page does (cross-site form POST). */
    async function postToAcs(response: string) {
      return t.server.app.inject({
        method: 'POST',
        url: '/api/auth/saml/school/acs',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'https://idp.school.test',
        },
        payload: new URLSearchParams({ SAMLResponse: response }).toString(),
      });
    }

    test('SAML: a signed response to our request signs the person in; a replay or an unsolicited one does not', async () => {
      const browser = new ApiClient(t.server.app);
      const requestId = await samlRequestId(browser);
      const response = samlIdp.response({
        inResponseTo: requestId,
        acsUrl: ACS_URL,
        audience: SP_ENTITY_ID,
        nameId: 'teacher-0042',
        attributes: { mail: ['carla@school.test'], displayName: ['Carla'], groups: ['teachers'] },
      });
      const accepted = await postToAcs(response);
      assert.equal(accepted.statusCode, 303);
      assert.equal(accepted.headers['location'], '/');
      const cookie = String(accepted.headers['set-cookie']).split(';')[0] ?? '';
      const session = await t.server.app.inject({
        method: 'GET',
        url: '/api/auth/session',
        headers: { cookie },
      });
      const body = session.json<SessionReply>();
      assert.equal(body.account.source, 'saml');
      assert.deepEqual(body.account.roles, ['organiser']);

      const replayed = await postToAcs(response);
      assert.equal(replayed.headers['location'], '/login?error=invalid_credentials');
      assert.equal(replayed.headers['set-cookie'], undefined);
      const unsolicited = await postToAcs(
        samlIdp.response({
          inResponseTo: '_never-asked',
          acsUrl: ACS_URL,
          audience: SP_ENTITY_ID,
          nameId: 'x-1',
        }),
      );
      assert.equal(unsolicited.headers['location'], '/login?error=invalid_credentials');
    });

    test('SAML: the metadata names our ACS; other API routes still refuse form bodies', async () => {
      const metadata = await t.server.app.inject({
        method: 'GET',
        url: '/api/auth/saml/school/metadata',
      });
      assert.equal(metadata.statusCode, 200);
      assert.match(String(metadata.headers['content-type']), /samlmetadata\+xml/);
      assert.ok(metadata.body.includes(ACS_URL));
      const form = await t.server.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'username=a&password=b',
      });
      assert.equal(form.statusCode, 400);
      assert.match(form.body, /must be JSON/);
    });
  });
}
