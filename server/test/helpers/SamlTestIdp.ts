import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { inflateRawSync } from 'node:zlib';

/** The parts of a DOM element the tests read. */
export interface XmlElement {
  readonly localName: string;
  readonly namespaceURI: string | null;
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
  getElementsByTagNameNS(
    namespace: string,
    localName: string,
  ): { readonly length: number; item(index: number): XmlElement | null };
}

/** The parts of xml-crypto's SignedXml the IdP uses. */
interface XmlSigner {
  addReference(reference: { xpath: string; digestAlgorithm: string; transforms: string[] }): void;
  computeSignature(
    xml: string,
    options: { prefix: string; location: { reference: string; action: 'after' } },
  ): void;
  getSignedXml(): string;
}

type ErrorHandler = (message: unknown) => never;

/*
 * xml-crypto and @xmldom/xmldom are loaded without their type declarations: those carry
 * `/// <reference lib="dom" />`, which would put the browser's DOM globals into the whole
 * server's type check (and hide real errors there). The few members used are typed above.
 */
const load = createRequire(import.meta.url);
const { SignedXml } = load('xml-crypto') as {
  SignedXml: new (options: {
    privateKey: string;
    publicCert: string;
    signatureAlgorithm: string;
    canonicalizationAlgorithm: string;
  }) => XmlSigner;
};
const { DOMParser } = load('@xmldom/xmldom') as {
  DOMParser: new (options: {
    errorHandler: { warning: ErrorHandler; error: ErrorHandler; fatalError: ErrorHandler };
  }) => {
    parseFromString(xml: string, mimeType: string): { documentElement: XmlElement | null };
  };
};

const run = promisify(execFile);

const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const ALGORITHMS = {
  sha256: {
    signature: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    digest: 'http://www.w3.org/2001/04/xmlenc#sha256',
  },
  sha1: {
    signature: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
    digest: 'http://www.w3.org/2000/09/xmldsig#sha1',
  },
} as const;
const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';

/** What a test may vary in a response; everything else is what a well-behaved IdP sends. */
export interface SamlTestResponseOptions {
  /** The AuthnRequest ID answered: the Response's and the SubjectConfirmationData's InResponseTo. */
  readonly inResponseTo: string;
  /** Our ACS URL: the Response's Destination and the confirmation's Recipient. */
  readonly acsUrl: string;
  /** The AudienceRestriction's Audience (our entity id). */
  readonly audience: string;
  readonly nameId?: string;
  readonly nameIdFormat?: string;
  /** Attribute name → values (multi-valued attributes get several AttributeValues). */
  readonly attributes?: Readonly<Record<string, readonly string[]>>;
  readonly authnContext?: string;
  /** The assertion's (and Response's) Issuer; default the IdP's entity id. */
  readonly issuer?: string;
  /** IssueInstant and AuthnInstant; default now. */
  readonly issuedAt?: Date;
  /** Conditions/@NotBefore; default a minute before `issuedAt`. */
  readonly notBefore?: Date;
  /** Conditions/@NotOnOrAfter and SubjectConfirmationData/@NotOnOrAfter; default +5 min. */
  readonly notOnOrAfter?: Date;
  /** SubjectConfirmationData/@InResponseTo if it should differ; null leaves it out. */
  readonly subjectInResponseTo?: string | null;
  /** SubjectConfirmationData/@Recipient if it should differ from `acsUrl`. */
  readonly recipient?: string;
  /** Default true. */
  readonly signAssertion?: boolean;
  /** Default false; signed after the assertion, so its signature covers the assertion's. */
  readonly signResponse?: boolean;
  /** Default sha256. */
  readonly algorithm?: keyof typeof ALGORITHMS;
  /** Applied to the finished (signed) Response XML: for tampering and wrapping attacks. */
  readonly afterSigning?: (xml: string) => string;
}

/** The fields of an AuthnRequest a test checks. */
export interface SamlTestAuthnRequest {
  readonly id: string;
  readonly issuer: string;
  readonly acsUrl: string;
  readonly destination: string;
  readonly nameIdFormat: string;
  readonly relayState: string | null;
  /** Whether the redirect carried a Signature and SigAlg (signed AuthnRequest). */
  readonly signed: boolean;
  readonly xml: string;
}

/**
 * A SAML 2.0 identity provider for tests: its own RSA key and self-signed certificate
 * (made by the system's openssl at test time, so no key material lives in the repo), and
 * hand-built Responses signed with xml-crypto (exclusive C14N, RSA-SHA256, enveloped) the
 * way real IdPs sign them. Options make the bad responses the service provider must refuse.
 */
export class SamlTestIdp {
  readonly entityId: string;
  readonly ssoUrl: string;
  /** PEM certificate, as an operator would copy it into the provider settings. */
  readonly certificate: string;
  readonly #privateKey: string;

  constructor(entityId: string, certificate: string, privateKey: string) {
    this.entityId = entityId;
    this.ssoUrl = `${entityId}/sso`;
    this.certificate = certificate;
    this.#privateKey = privateKey;
  }

  /** An IdP with a fresh 2048-bit RSA key; two IdPs with one entity id differ only in key. */
  static async create(entityId = 'https://idp.test/saml'): Promise<SamlTestIdp> {
    const { privateKey, certificate } = await selfSignedCertificate('Konvent test IdP');
    return new SamlTestIdp(entityId, certificate, privateKey);
  }

  /** Decodes the AuthnRequest from a redirect-binding URL that `SamlLogin.start()` made. */
  readAuthnRequest(url: string): SamlTestAuthnRequest {
    const query = new URL(url).searchParams;
    const encoded = query.get('SAMLRequest');
    if (encoded === null) throw new Error('the URL carries no SAMLRequest');
    const xml = inflateRawSync(Buffer.from(encoded, 'base64')).toString('utf8');
    const request = parseXml(xml);
    if (request.localName !== 'AuthnRequest' || request.namespaceURI !== SAMLP) {
      throw new Error('the SAMLRequest is not an AuthnRequest');
    }
    const issuer = request.getElementsByTagNameNS(SAML, 'Issuer').item(0)?.textContent ?? '';
    const policy = request.getElementsByTagNameNS(SAMLP, 'NameIDPolicy').item(0);
    return {
      id: request.getAttribute('ID') ?? '',
      issuer,
      acsUrl: request.getAttribute('AssertionConsumerServiceURL') ?? '',
      destination: request.getAttribute('Destination') ?? '',
      nameIdFormat: policy?.getAttribute('Format') ?? '',
      relayState: query.get('RelayState'),
      signed: query.has('Signature') && query.has('SigAlg'),
      xml,
    };
  }

  /** A Response for the HTTP-POST binding: the base64 of `responseXml(options)`. */
  response(options: SamlTestResponseOptions): string {
    return Buffer.from(this.responseXml(options), 'utf8').toString('base64');
  }

  /** A Response as XML, signed (or not) and then passed through `options.afterSigning`. */
  responseXml(options: SamlTestResponseOptions): string {
    const algorithm = options.algorithm ?? 'sha256';
    const assertionId = newId();
    let assertion = this.assertionXml(options, assertionId);
    if (options.signAssertion ?? true) assertion = this.#sign(assertion, assertionId, algorithm);
    const responseId = newId();
    const issuedAt = (options.issuedAt ?? new Date()).toISOString();
    let response =
      `<samlp:Response xmlns:samlp="${SAMLP}" xmlns:saml="${SAML}" ID="${responseId}" ` +
      `Version="2.0" IssueInstant="${issuedAt}" Destination="${escape(options.acsUrl)}" ` +
      `InResponseTo="${escape(options.inResponseTo)}">` +
      `<saml:Issuer>${escape(options.issuer ?? this.entityId)}</saml:Issuer>` +
      `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>` +
      `</samlp:Status>${assertion}</samlp:Response>`;
    if (options.signResponse ?? false) response = this.#sign(response, responseId, algorithm);
    return options.afterSigning === undefined ? response : options.afterSigning(response);
  }

  /** An unsigned Assertion element; tests inject extra ones to try signature wrapping. */
  assertionXml(options: SamlTestResponseOptions, id = newId()): string {
    const issuedAt = options.issuedAt ?? new Date();
    const notBefore = options.notBefore ?? new Date(issuedAt.getTime() - 60_000);
    const notOnOrAfter = options.notOnOrAfter ?? new Date(issuedAt.getTime() + 5 * 60_000);
    const subjectInResponseTo =
      options.subjectInResponseTo === undefined
        ? options.inResponseTo
        : options.subjectInResponseTo;
    const confirmationData =
      `<saml:SubjectConfirmationData` +
      (subjectInResponseTo === null ? '' : ` InResponseTo="${escape(subjectInResponseTo)}"`) +
      ` Recipient="${escape(options.recipient ?? options.acsUrl)}"` +
      ` NotOnOrAfter="${notOnOrAfter.toISOString()}"/>`;
    const attributes = Object.entries(options.attributes ?? {})
      .map(
        ([name, values]) =>
          `<saml:Attribute Name="${escape(name)}" ` +
          `NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">` +
          values
            .map(
              (value) =>
                `<saml:AttributeValue xsi:type="xs:string">${escape(value)}</saml:AttributeValue>`,
            )
            .join('') +
          `</saml:Attribute>`,
      )
      .join('');
    return (
      `<saml:Assertion xmlns:saml="${SAML}" xmlns:xs="http://www.w3.org/2001/XMLSchema" ` +
      `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="${id}" Version="2.0" ` +
      `IssueInstant="${issuedAt.toISOString()}">` +
      `<saml:Issuer>${escape(options.issuer ?? this.entityId)}</saml:Issuer>` +
      `<saml:Subject><saml:NameID Format="${escape(
        options.nameIdFormat ?? 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
      )}">${escape(options.nameId ?? 'u-4711')}</saml:NameID>` +
      `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
      `${confirmationData}</saml:SubjectConfirmation></saml:Subject>` +
      `<saml:Conditions NotBefore="${notBefore.toISOString()}" ` +
      `NotOnOrAfter="${notOnOrAfter.toISOString()}"><saml:AudienceRestriction>` +
      `<saml:Audience>${escape(options.audience)}</saml:Audience></saml:AudienceRestriction>` +
      `</saml:Conditions>` +
      `<saml:AuthnStatement AuthnInstant="${issuedAt.toISOString()}" SessionIndex="${newId()}">` +
      `<saml:AuthnContext><saml:AuthnContextClassRef>${escape(
        options.authnContext ?? 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
      )}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
      (attributes === ''
        ? ''
        : `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>`) +
      `</saml:Assertion>`
    );
  }

  /** Signs the element with this ID, placing ds:Signature right after its Issuer (schema order). */
  #sign(xml: string, id: string, algorithm: keyof typeof ALGORITHMS): string {
    const signer = new SignedXml({
      privateKey: this.#privateKey,
      publicCert: this.certificate,
      signatureAlgorithm: ALGORITHMS[algorithm].signature,
      canonicalizationAlgorithm: EXC_C14N,
    });
    signer.addReference({
      xpath: `//*[@ID='${id}']`,
      digestAlgorithm: ALGORITHMS[algorithm].digest,
      transforms: [ENVELOPED, EXC_C14N],
    });
    signer.computeSignature(xml, {
      prefix: 'ds',
      location: { reference: `//*[@ID='${id}']/*[local-name(.)='Issuer']`, action: 'after' },
    });
    return signer.getSignedXml();
  }
}

/**
 * A fresh 2048-bit RSA key (PKCS#8 PEM) and a self-signed certificate for it, valid for two
 * days: node:crypto makes the key, the system's openssl the certificate (reading the key
 * from a private temporary folder, since openssl cannot read it from a pipe).
 */
export async function selfSignedCertificate(
  commonName: string,
): Promise<{ privateKey: string; certificate: string }> {
  const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ format: 'pem', type: 'pkcs8' })
    .toString();
  const folder = await mkdtemp(join(tmpdir(), 'konvent-saml-'));
  try {
    const keyFile = join(folder, 'key.pem');
    await writeFile(keyFile, privateKey, { mode: 0o600 });
    const { stdout } = await run('openssl', [
      'req',
      '-x509',
      '-new',
      '-key',
      keyFile,
      '-subj',
      `/CN=${commonName}`,
      '-days',
      '2',
      '-sha256',
    ]);
    return { privateKey, certificate: stdout };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** Parses XML into its root element, throwing on any error or warning (xmldom otherwise recovers). */
export function parseXml(xml: string): XmlElement {
  const fail: ErrorHandler = (message) => {
    throw new Error(`malformed XML: ${String(message)}`);
  };
  const parser = new DOMParser({ errorHandler: { warning: fail, error: fail, fatalError: fail } });
  const root = parser.parseFromString(xml, 'text/xml').documentElement;
  if (root === null) throw new Error('malformed XML: no root element');
  return root;
}

function newId(): string {
  return `_${randomBytes(16).toString('hex')}`;
}

function escape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
