import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { AppError } from '../../src/errors/AppError.ts';
import { SamlLogin } from '../../src/auth/saml/SamlLogin.ts';
import {
  parseSamlProviders,
  samlProviderConfig,
  type SamlProviderConfig,
} from '../../src/auth/saml/SamlProviderConfig.ts';
import { MemorySeenAssertions } from '../helpers/MemorySeenAssertions.ts';
import {
  parseXml,
  SamlTestIdp,
  selfSignedCertificate,
  type SamlTestResponseOptions,
} from '../helpers/SamlTestIdp.ts';

const PUBLIC_URL = 'https://meet.test';
const ACS_URL = 'https://meet.test/api/auth/saml/corp/acs';
const SP_ENTITY_ID = 'https://meet.test/api/auth/saml/corp/metadata';
const REFEDS_MFA = 'https://refeds.org/profile/mfa';
const MINUTE = 60_000;

/**
 * The caller's side of request ids, as the ACS route will keep them: server-side,
 * single-use, with an expiry.
 */
class PendingRequests {
  readonly #pending = new Map<string, Date>();

  save(id: string, expiresAt: Date): void {
    this.#pending.set(id, expiresAt);
  }

  take = (id: string): Promise<boolean> => {
    const expiresAt = this.#pending.get(id);
    this.#pending.delete(id);
    return Promise.resolve(expiresAt !== undefined && expiresAt.getTime() > Date.now());
  };
}

/** Expects the promise to fail with `invalid_credentials` whose detail matches `reason`. */
async function assertRefused(promise: Promise<unknown>, reason: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AppError, String(error));
    assert.equal(error.code, 'invalid_credentials');
    assert.match(error.detail ?? '', reason);
    return true;
  });
}

describe('SAML 2.0 service provider', () => {
  let idp: SamlTestIdp;
  /** Same entity id and URLs as `idp`, but its own key. */
  let impostor: SamlTestIdp;

  before(async () => {
    [idp, impostor] = await Promise.all([SamlTestIdp.create(), SamlTestIdp.create()]);
  });

  /** The provider list an operator would write, with `overrides` merged into the entry. */
  function settingsText(overrides: Record<string, unknown> = {}): string {
    return JSON.stringify([
      {
        id: 'corp',
        label: 'Corporate login',
        idpEntityId: idp.entityId,
        entryPoint: idp.ssoUrl,
        idpCertificates: [idp.certificate],
        usernameAttributes: ['mail'],
        displayNameAttributes: ['displayName'],
        roles: {
          attribute: 'groups',
          values: { 'konvent-admins': ['admin', 'organiser'], staff: ['organiser'] },
          defaultRoles: ['member'],
        },
        ...overrides,
      },
    ]);
  }

  function configFor(overrides: Record<string, unknown> = {}): SamlProviderConfig {
    const [settings] = parseSamlProviders(settingsText(overrides));
    assert.ok(settings);
    return samlProviderConfig(settings, PUBLIC_URL);
  }

  /** An unsigned assertion for another person, answering the same request as `xml`. */
  function evilAssertion(xml: string): string {
    return idp.assertionXml({
      inResponseTo: /InResponseTo="([^"]+)"/.exec(xml)?.[1] ?? '',
      acsUrl: ACS_URL,
      audience: SP_ENTITY_ID,
      nameId: 'u-0001',
    });
  }

  /**
   * One sign-in up to the IdP's answer: start, remember the request id, let `from` answer
   * the AuthnRequest. `finish()` posts the response as the ACS route would.
   */
  async function signIn(
    options: Partial<SamlTestResponseOptions> & { from?: SamlTestIdp } = {},
    login = new SamlLogin(configFor(), new MemorySeenAssertions()),
  ) {
    const pending = new PendingRequests();
    const started = await login.start();
    pending.save(started.requestId, started.expiresAt);
    const request = idp.readAuthnRequest(started.url);
    const SAMLResponse = (options.from ?? idp).response({
      inResponseTo: request.id,
      acsUrl: request.acsUrl,
      audience: request.issuer,
      nameId: 'u-4711',
      attributes: {
        mail: ['erika.mustermann@example.org'],
        displayName: ['Erika Mustermann'],
        groups: ['staff', 'konvent-admins', 'unrelated'],
      },
      ...options,
    });
    return {
      login,
      pending,
      requestId: started.requestId,
      SAMLResponse,
      finish: (expect = pending.take) => login.finish({ SAMLResponse }, expect),
    };
  }

  describe('start', () => {
    test('redirects to the IdP with a deflated AuthnRequest whose ID is the request id', async () => {
      const login = new SamlLogin(configFor(), new MemorySeenAssertions());
      const before = Date.now();
      const started = await login.start('r-1');
      const url = new URL(started.url);
      assert.equal(`${url.origin}${url.pathname}`, idp.ssoUrl);
      const request = idp.readAuthnRequest(started.url);
      assert.equal(request.id, started.requestId);
      assert.match(started.requestId, /^_[0-9a-f]{40}$/);
      assert.equal(request.issuer, SP_ENTITY_ID);
      assert.equal(request.acsUrl, ACS_URL);
      assert.equal(request.destination, idp.ssoUrl);
      assert.equal(request.nameIdFormat, 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent');
      assert.equal(request.relayState, 'r-1');
      assert.equal(request.signed, false);
      // No RequestedAuthnContext: the IdP must stay free to report MFA.
      assert.doesNotMatch(request.xml, /RequestedAuthnContext/);
      const lifetime = started.expiresAt.getTime() - before;
      assert.ok(lifetime >= 10 * MINUTE - 1000 && lifetime <= 10 * MINUTE + 1000, `${lifetime}`);
      const second = await login.start();
      assert.notEqual(second.requestId, started.requestId);
    });

    test('signs the AuthnRequest when an SP key is configured', async () => {
      const pair = await selfSignedCertificate('Konvent SP');
      const [settings] = parseSamlProviders(
        settingsText({ spPrivateKeyFile: '/sp.key', spCertificateFile: '/sp.crt' }),
      );
      assert.ok(settings);
      const login = new SamlLogin(
        samlProviderConfig(settings, PUBLIC_URL, pair),
        new MemorySeenAssertions(),
      );
      const started = await login.start();
      const request = idp.readAuthnRequest(started.url);
      assert.equal(request.signed, true);
      assert.equal(
        new URL(started.url).searchParams.get('SigAlg'),
        'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      );
      const metadata = login.metadata();
      assert.match(metadata, /AuthnRequestsSigned="true"/);
      assert.match(metadata, /<ds:X509Certificate>/);
    });

    test('refuses a RelayState longer than the 80 bytes SAML allows', async () => {
      const login = new SamlLogin(configFor(), new MemorySeenAssertions());
      await assert.rejects(login.start('x'.repeat(81)), { code: 'bad_request' });
    });
  });

  describe('finish', () => {
    test('a signed assertion answering our request yields the identity with mapped roles', async () => {
      const seen = new MemorySeenAssertions();
      const flow = await signIn({}, new SamlLogin(configFor(), seen));
      const identity = await flow.finish();
      assert.deepEqual(identity, {
        provider: 'corp',
        kind: 'saml',
        subject: 'u-4711',
        username: 'erika.mustermann@example.org',
        displayName: 'Erika Mustermann',
        roles: ['admin', 'organiser'],
        methods: ['urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport'],
        multiFactor: false,
      });
      assert.equal(seen.size, 1);
    });

    test('a person without mapped groups gets the default roles', async () => {
      const flow = await signIn({ attributes: { mail: ['max@example.org'] } });
      const identity = await flow.finish();
      assert.deepEqual(identity.roles, ['member']);
      // Without a display name attribute the user name stands in.
      assert.equal(identity.displayName, 'max@example.org');
    });

    test('a multi-factor authentication context sets multiFactor', async () => {
      for (const authnContext of [
        REFEDS_MFA,
        'urn:example:ac:classes:MultiFactor',
        'http://schemas.microsoft.com/claims/multipleauthn',
      ]) {
        const identity = await (await signIn({ authnContext })).finish();
        assert.equal(identity.multiFactor, true, authnContext);
        assert.deepEqual(identity.methods, [authnContext]);
      }
    });

    test('a response that is signed as well as its assertion is accepted, also when required', async () => {
      const login = new SamlLogin(
        configFor({ wantResponseSigned: true }),
        new MemorySeenAssertions(),
      );
      const identity = await (await signIn({ signResponse: true }, login)).finish();
      assert.equal(identity.subject, 'u-4711');
    });

    test('an unsigned response is refused when the response signature is required', async () => {
      const login = new SamlLogin(
        configFor({ wantResponseSigned: true }),
        new MemorySeenAssertions(),
      );
      await assertRefused((await signIn({}, login)).finish(), /not validly signed/);
    });

    test('an unsigned assertion is refused', async () => {
      const seen = new MemorySeenAssertions();
      const flow = await signIn({ signAssertion: false }, new SamlLogin(configFor(), seen));
      await assertRefused(flow.finish(), /not validly signed/);
      assert.equal(seen.size, 0);
    });

    test('an unsigned assertion in a signed response is refused', async () => {
      const flow = await signIn({ signAssertion: false, signResponse: true });
      await assertRefused(flow.finish(), /not validly signed/);
    });

    test('an assertion whose NameID was changed after signing is refused', async () => {
      const flow = await signIn({
        afterSigning: (xml) => xml.replace('>u-4711</saml:NameID>', '>u-0001</saml:NameID>'),
      });
      await assertRefused(flow.finish(), /not validly signed/);
    });

    test('an assertion whose attribute was changed after signing is refused', async () => {
      const flow = await signIn({
        attributes: { mail: ['max@example.org'], groups: ['staff'] },
        afterSigning: (xml) => xml.replace('>staff<', '>konvent-admins<'),
      });
      await assertRefused(flow.finish(), /not validly signed/);
    });

    test('a comment inside the signed NameID does not cut it short', async () => {
      // Canonicalisation drops comments, so the signature still holds; a parser that read
      // only the first text node would see another person (CVE-2017-11427 and relatives).
      const flow = await signIn({
        afterSigning: (xml) => xml.replace('>u-4711<', '>u-47<!---->11<'),
      });
      assert.equal((await flow.finish()).subject, 'u-4711');
    });

    test('an assertion signed by another key is refused', async () => {
      await assertRefused((await signIn({ from: impostor })).finish(), /not validly signed/);
    });

    test('a correctly signed assertion naming another issuer is refused', async () => {
      const flow = await signIn({ issuer: 'https://other-idp.test/saml' });
      await assertRefused(flow.finish(), /another identity provider/);
    });

    test('an expired assertion is refused', async () => {
      const flow = await signIn({
        issuedAt: new Date(Date.now() - 4 * MINUTE),
        notOnOrAfter: new Date(Date.now() - 2 * MINUTE),
      });
      await assertRefused(flow.finish(), /expired or not yet valid/);
    });

    test('an assertion that is not yet valid is refused', async () => {
      const flow = await signIn({ notBefore: new Date(Date.now() + 5 * MINUTE) });
      await assertRefused(flow.finish(), /expired or not yet valid/);
    });

    test('an assertion older than the maximum age is refused though not expired', async () => {
      const flow = await signIn({
        issuedAt: new Date(Date.now() - 7 * MINUTE),
        notOnOrAfter: new Date(Date.now() + 5 * MINUTE),
      });
      await assertRefused(flow.finish(), /expired or not yet valid/);
    });

    test('an assertion that expired within the clock skew is accepted', async () => {
      const flow = await signIn({
        issuedAt: new Date(Date.now() - 2 * MINUTE),
        notOnOrAfter: new Date(Date.now() - 20_000),
      });
      assert.equal((await flow.finish()).subject, 'u-4711');
    });

    test('a replayed response is refused because its request id is used up', async () => {
      const flow = await signIn();
      await flow.finish();
      await assertRefused(flow.finish(), /pending sign-in request/);
    });

    test('a replayed assertion is refused by the seen-assertions store even if the request id passed', async () => {
      const flow = await signIn();
      const lenient = () => Promise.resolve(true);
      await flow.finish(lenient);
      await assertRefused(flow.finish(lenient), /used before/);
    });

    test('an assertion for another audience is refused', async () => {
      const flow = await signIn({ audience: 'https://other-sp.test/metadata' });
      await assertRefused(flow.finish(), /another service/);
    });

    test('a response to a request we did not issue is refused', async () => {
      const flow = await signIn({ inResponseTo: '_0123456789abcdef' });
      await assertRefused(flow.finish(), /pending sign-in request/);
    });

    test('a response to a request whose time ran out is refused', async () => {
      const flow = await signIn();
      flow.pending.save(flow.requestId, new Date(Date.now() - 1));
      await assertRefused(flow.finish(), /pending sign-in request/);
    });

    test('an assertion whose signed InResponseTo differs from the response is refused', async () => {
      const other = await signIn({ subjectInResponseTo: '_0123456789abcdef' });
      await assertRefused(other.finish(), /pending sign-in request/);
      const missing = await signIn({ subjectInResponseTo: null });
      await assertRefused(missing.finish(), /pending sign-in request/);
    });

    test('an assertion addressed to another ACS URL is refused', async () => {
      const flow = await signIn({ recipient: 'https://other-sp.test/acs' });
      await assertRefused(flow.finish(), /another endpoint/);
    });

    test('an injected second, unsigned assertion is refused (signature wrapping)', async () => {
      const flow = await signIn({
        afterSigning: (xml) =>
          xml.replace('</samlp:Response>', `${evilAssertion(xml)}</samlp:Response>`),
      });
      await assertRefused(flow.finish(), /not validly signed/);
    });

    test('a signed assertion hidden in Extensions behind an unsigned one is refused', async () => {
      const flow = await signIn({
        afterSigning: (xml) => {
          const signed = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(xml)?.[0] ?? '';
          const id = /ID="([^"]+)"/.exec(signed)?.[1] ?? '';
          // The unsigned one takes the signed one's ID, so the signature's reference finds it.
          const evil = evilAssertion(xml).replace(/ID="[^"]+"/, `ID="${id}"`);
          return xml
            .replace(signed, evil)
            .replace(
              '<samlp:Status>',
              `<samlp:Extensions>${signed}</samlp:Extensions><samlp:Status>`,
            );
        },
      });
      await assertRefused(flow.finish(), /not validly signed/);
    });

    test('an unsigned assertion wrapped around the signed one is refused', async () => {
      const flow = await signIn({
        afterSigning: (xml) =>
          xml.replace(/<saml:Assertion[\s\S]*<\/saml:Assertion>/, (signed) =>
            evilAssertion(xml).replace('</saml:Assertion>', `${signed}</saml:Assertion>`),
          ),
      });
      await assertRefused(flow.finish(), /not validly signed/);
    });

    test('a SHA-1 signature is refused unless the provider allows it', async () => {
      await assertRefused((await signIn({ algorithm: 'sha1' })).finish(), /SHA-1/);
      const legacy = new SamlLogin(
        configFor({ allowSha1Signatures: true }),
        new MemorySeenAssertions(),
      );
      const identity = await (await signIn({ algorithm: 'sha1' }, legacy)).finish();
      assert.equal(identity.subject, 'u-4711');
    });

    test('a response with a DTD is refused before it is parsed', async () => {
      const flow = await signIn({
        afterSigning: (xml) => `<!DOCTYPE r [<!ENTITY x "y">]>${xml}`,
      });
      await assertRefused(flow.finish(), /document type declaration/);
    });

    test('a form without a usable SAMLResponse is refused', async () => {
      const login = new SamlLogin(configFor(), new MemorySeenAssertions());
      const never = () => Promise.resolve(false);
      await assertRefused(login.finish({ SAMLResponse: '' }, never), /no SAMLResponse/);
      await assertRefused(login.finish({ SAMLResponse: '<xml/>' }, never), /not base64/);
      await assertRefused(
        login.finish({ SAMLResponse: Buffer.from('not xml').toString('base64') }, never),
        /not well-formed XML/,
      );
      const huge = 'A'.repeat(256 * 1024 + 4);
      await assertRefused(login.finish({ SAMLResponse: huge }, never), /too large/);
    });

    test('an error status from the IdP is refused', async () => {
      const flow = await signIn({
        afterSigning: (xml) =>
          xml
            .replace(/<saml:Assertion[\s\S]*<\/saml:Assertion>/, '')
            .replace(
              'status:Success"/>',
              'status:Responder"><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:AuthnFailed"/></samlp:StatusCode>',
            ),
      });
      await assertRefused(flow.finish(), /did not sign the person in/);
    });

    test('a transient NameID or one of another format than configured is refused', async () => {
      const transient = await signIn({
        nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
      });
      await assertRefused(transient.finish(), /transient/);
      const email = await signIn({
        nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      });
      await assertRefused(email.finish(), /another format/);
    });

    test('a failing request-id store is reported as its own error, not as a bad response', async () => {
      const flow = await signIn();
      const outage = new Error('database unavailable');
      await assert.rejects(
        flow.finish(() => Promise.reject(outage)),
        (error) => error === outage,
      );
    });
  });

  describe('metadata', () => {
    test('is well-formed XML naming our entity id, ACS URL and signed assertions', () => {
      const login = new SamlLogin(configFor(), new MemorySeenAssertions());
      const root = parseXml(login.metadata());
      assert.equal(root.localName, 'EntityDescriptor');
      assert.equal(root.getAttribute('entityID'), SP_ENTITY_ID);
      const md = 'urn:oasis:names:tc:SAML:2.0:metadata';
      const descriptor = root.getElementsByTagNameNS(md, 'SPSSODescriptor').item(0);
      assert.equal(descriptor?.getAttribute('WantAssertionsSigned'), 'true');
      assert.equal(descriptor.getAttribute('AuthnRequestsSigned'), 'false');
      const acs = root.getElementsByTagNameNS(md, 'AssertionConsumerService').item(0);
      assert.equal(acs?.getAttribute('Location'), ACS_URL);
      assert.equal(acs.getAttribute('Binding'), 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST');
      assert.equal(
        root.getElementsByTagNameNS(md, 'NameIDFormat').item(0)?.textContent,
        'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
      );
    });
  });

  describe('provider settings', () => {
    test('fill in defaults and derive the SP URLs from PUBLIC_URL', () => {
      const [settings] = parseSamlProviders(
        JSON.stringify([
          {
            id: 'corp',
            label: 'Corporate login',
            idpEntityId: idp.entityId,
            entryPoint: idp.ssoUrl,
            // IdP metadata gives the bare base64 of the certificate.
            idpCertificates: idp.certificate.replace(/-----[A-Z ]+-----|\s/g, ''),
          },
        ]),
      );
      assert.ok(settings);
      const config = samlProviderConfig(settings, 'https://meet.test/');
      assert.equal(config.acsUrl, ACS_URL);
      assert.equal(config.spEntityId, SP_ENTITY_ID);
      assert.equal(config.audience, SP_ENTITY_ID);
      assert.equal(config.clockSkewMs, 60_000);
      assert.equal(config.maxAssertionAgeMs, 300_000);
      assert.equal(config.wantResponseSigned, false);
      assert.deepEqual(config.roleMapping.defaultRoles, ['member']);
      assert.match(config.idpCertificates[0] ?? '', /^-----BEGIN CERTIFICATE-----/);
      assert.equal(config.spSigning, undefined);
    });

    test('name the offending field in the error', () => {
      const cases: [string, RegExp][] = [
        ['not json', /^SAML_PROVIDERS_FILE: not valid JSON/],
        ['{}', /^SAML_PROVIDERS_FILE: must be a JSON array/],
        [settingsText({ id: 'Corp' }), /^SAML_PROVIDERS_FILE\[0\]\.id:/],
        [settingsText({ colour: 'red' }), /^SAML_PROVIDERS_FILE\[0\]\.colour: unknown field/],
        [settingsText({ label: '' }), /\[0\]\.label:/],
        [
          settingsText({ entryPoint: 'http://idp.example.org/sso' }),
          /\[0\]\.entryPoint: must use https/,
        ],
        [settingsText({ entryPoint: 'sso' }), /\[0\]\.entryPoint: not a URL/],
        [settingsText({ idpCertificates: [] }), /\[0\]\.idpCertificates:/],
        [settingsText({ idpCertificates: ['MIIB'] }), /\[0\]\.idpCertificates\[0\]: not an X\.509/],
        [settingsText({ idpEntityId: 'has space' }), /\[0\]\.idpEntityId:/],
        [
          settingsText({ nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient' }),
          /\[0\]\.nameIdFormat: a transient NameID/,
        ],
        [
          settingsText({ roles: { values: { x: ['root'] } } }),
          /\[0\]\.roles\.values\.x\[0\]: must be one of/,
        ],
        [settingsText({ clockSkewSeconds: 3600 }), /\[0\]\.clockSkewSeconds:/],
        [settingsText({ maxAssertionAgeSeconds: 1.5 }), /\[0\]\.maxAssertionAgeSeconds:/],
        [
          settingsText({ wantResponseSigned: 'yes' }),
          /\[0\]\.wantResponseSigned: must be true or false/,
        ],
        [settingsText({ spPrivateKey: 'x' }), /\[0\]\.spPrivateKey: keys are not written/],
        [settingsText({ spPrivateKeyFile: '/k' }), /\[0\]\.spCertificateFile:/],
      ];
      for (const [text, message] of cases) {
        assert.throws(() => parseSamlProviders(text), { name: 'TypeError', message }, text);
      }
      const twice = JSON.stringify([
        ...(JSON.parse(settingsText()) as unknown[]),
        ...(JSON.parse(settingsText()) as unknown[]),
      ]);
      assert.throws(() => parseSamlProviders(twice), /\[1\]\.id: "corp" is used twice/);
    });

    test('refuse an SP certificate that does not belong to the SP key', async () => {
      const [settings] = parseSamlProviders(
        settingsText({ spPrivateKeyFile: '/sp.key', spCertificateFile: '/sp.crt' }),
      );
      assert.ok(settings);
      const pair = await selfSignedCertificate('Konvent SP');
      assert.throws(
        () =>
          samlProviderConfig(settings, PUBLIC_URL, {
            privateKey: pair.privateKey,
            certificate: idp.certificate,
          }),
        /^TypeError: spCertificateFile \(SAML provider "corp"\): does not belong/,
      );
      assert.throws(() => samlProviderConfig(settings, PUBLIC_URL), /spPrivateKeyFile/);
    });
  });
});
