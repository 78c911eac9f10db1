import { randomBytes } from 'node:crypto';
import {
  generateServiceProviderMetadata,
  SAML,
  ValidateInResponseTo,
  type Profile,
} from '@node-saml/node-saml';
import { AppError } from '../../errors/AppError.ts';
import type { ExternalIdentity } from '../ExternalIdentity.ts';
import { identityFromAssertion } from './identityFromAssertion.ts';
import { RequestIdCheck, type ExpectRequestId } from './RequestIdCheck.ts';
import { samlFailure, samlRefusal } from './samlFailure.ts';
import type { SamlProviderConfig } from './SamlProviderConfig.ts';
import type { SeenAssertions } from './SeenAssertions.ts';
import { SignedAssertion, type SubjectConfirmation } from './SignedAssertion.ts';

/**
 * The longest SAMLResponse form field accepted (base64 characters). Real responses are a
 * few kilobytes; the cap keeps a hostile post from making us parse megabytes of XML.
 */
export const SAML_RESPONSE_MAX_LENGTH = 256 * 1024;
/** SAML bindings §3.4.3: RelayState must not exceed 80 bytes. */
const RELAY_STATE_MAX_BYTES = 80;
const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
/** xml-crypto looks algorithms up by these exact URIs. */
const SHA1_ALGORITHMS = [
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  'http://www.w3.org/2000/09/xmldsig#sha1',
];
const EXPIRED = 'the assertion is expired or not yet valid';
const NOT_OUR_REQUEST = 'the response does not answer a pending sign-in request';

/** What `start()` returns: where to send the browser, and what to remember until it returns. */
export interface SamlStart {
  /** The IdP's SSO URL carrying the deflated, base64 AuthnRequest (HTTP-Redirect binding). */
  readonly url: string;
  /** The AuthnRequest's ID; the caller keeps it server-side until `expiresAt`, for one use. */
  readonly requestId: string;
  readonly expiresAt: Date;
}

/** The fields of the HTTP-POST binding's form, as the ACS route received them. */
export interface SamlPostForm {
  readonly SAMLResponse: string;
  /** Echoed by the IdP unsigned: the caller may use it only as an opaque, checked key. */
  readonly RelayState?: string | undefined;
}

/**
 * Sign-in with one SAML 2.0 identity provider as a service provider (Web Browser SSO
 * profile: AuthnRequest by HTTP-Redirect, Response by HTTP-POST), through node-saml.
 * Holds no per-user state, so one instance per provider serves every request on every
 * node: pending request ids live in the caller's store, seen assertions in `seen`.
 * Time checks use the system clock, because node-saml reads it directly.
 */
export class SamlLogin {
  readonly #config: SamlProviderConfig;
  readonly #seen: SeenAssertions;

  constructor(config: SamlProviderConfig, seen: SeenAssertions) {
    this.#config = config;
    this.#seen = seen;
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
   * Begins a sign-in: an AuthnRequest (signed when an SP key is configured) in the IdP's
   * SSO URL. `relayState` (at most 80 bytes) comes back unsigned with the response. The
   * caller stores `requestId` server-side, single-use, until `expiresAt`, and answers
   * `finish()`'s `expectRequestId` from that store.
   */
  async start(relayState?: string): Promise<SamlStart> {
    if (relayState !== undefined && Buffer.byteLength(relayState) > RELAY_STATE_MAX_BYTES) {
      throw new AppError('bad_request', 'RelayState is longer than 80 bytes');
    }
    const requestId = newRequestId();
    const expiresAt = new Date(Date.now() + this.#config.requestLifetimeMs);
    const saml = this.#saml(new RequestIdCheck(() => Promise.resolve(false)), requestId);
    const url = await saml.getAuthorizeUrlAsync(relayState ?? '', undefined, {});
    return { url, requestId, expiresAt };
  }

  /**
   * Completes a sign-in from the ACS route's form. Accepts the response only when the
   * assertion is signed by a configured IdP certificate (and the Response too, if
   * configured), comes from the configured IdP, is restricted to our audience, is within
   * its validity (with clock skew) and younger than the maximum age, confirms a bearer
   * subject for our ACS URL in response to a request `expectRequestId` vouches for, and
   * its ID has not been seen before. Throws `invalid_credentials` for any other response;
   * errors thrown by `expectRequestId` or the seen-assertions store pass through unchanged.
   */
  async finish(form: SamlPostForm, expectRequestId: ExpectRequestId): Promise<ExternalIdentity> {
    this.#screen(form.SAMLResponse);
    const requests = new RequestIdCheck(expectRequestId);
    let profile: Profile | null;
    try {
      ({ profile } = await this.#saml(requests).validatePostResponseAsync({
        SAMLResponse: form.SAMLResponse,
      }));
    } catch (error) {
      if (requests.failure !== undefined) throw requests.failure.error;
      throw samlFailure(error);
    }
    if (profile?.getAssertion === undefined) throw samlRefusal('the response holds no assertion');
    const assertion = new SignedAssertion(profile.getAssertion());
    const { id, keepUntil } = this.#check(assertion, requests);
    const identity = identityFromAssertion(this.#config, assertion);
    // Last, so an assertion that fails any other check does not use up its ID.
    if (!(await this.#seen.firstSeen(id, keepUntil))) {
      throw samlRefusal('the assertion has been used before');
    }
    return identity;
  }

  /**
   * Our SP metadata (XML) for the IdP's administrator: entity id, ACS URL (HTTP-POST),
   * NameID format, that assertions must be signed, and our signing certificate if any.
   */
  metadata(): string {
    const signing = this.#config.spSigning;
    return generateServiceProviderMetadata({
      issuer: this.#config.spEntityId,
      callbackUrl: this.#config.acsUrl,
      identifierFormat: this.#config.nameIdFormat,
      wantAssertionsSigned: true,
      ...(signing === undefined
        ? {}
        : {
            privateKey: signing.privateKey,
            publicCerts: signing.certificate,
            signatureAlgorithm: 'sha256' as const,
          }),
    });
  }

  /** Cheap refusals before any XML parsing. */
  #screen(samlResponse: unknown): void {
    if (typeof samlResponse !== 'string' || samlResponse === '') {
      throw samlRefusal('the form holds no SAMLResponse');
    }
    if (samlResponse.length > SAML_RESPONSE_MAX_LENGTH) {
      throw samlRefusal('the SAML response is too large');
    }
    if (!/^[A-Za-z0-9+/=\s]+$/.test(samlResponse)) {
      throw samlRefusal('the SAML response is not base64');
    }
    // Decoded exactly as node-saml will decode it.
    const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
    // SAML messages have no use for a DTD; refusing one rules out entity-expansion tricks.
    if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
      throw samlRefusal('the SAML response contains a document type declaration');
    }
    if (!this.#config.allowSha1Signatures) {
      // Character references are resolved first, as the XML parser will, so the URI cannot
      // be disguised; a mention anywhere is refused, since xml-crypto would honour it.
      const resolved = xml.replace(/&#(x[0-9a-f]+|[0-9]+);/gi, (_, code: string) => {
        const point =
          code.startsWith('x') || code.startsWith('X')
            ? Number.parseInt(code.slice(1), 16)
            : Number.parseInt(code, 10);
        return point <= 0x10ffff ? String.fromCodePoint(point) : '';
      });
      if (SHA1_ALGORITHMS.some((uri) => resolved.includes(uri))) {
        throw samlRefusal('the response is signed with SHA-1');
      }
    }
  }

  /**
   * The Web SSO profile checks node-saml leaves out or makes optional: the issuer, an
   * authentication statement, and a bearer subject confirmation for our ACS URL that
   * answers a request we issued. Returns the assertion ID and how long to remember it.
   */
  #check(assertion: SignedAssertion, requests: RequestIdCheck): { id: string; keepUntil: Date } {
    const config = this.#config;
    const now = Date.now();
    if (assertion.issuer !== config.idpEntityId) {
      throw samlRefusal('the assertion comes from another identity provider');
    }
    const id = assertion.id;
    if (id === undefined || id === '' || id.length > 256) {
      throw samlRefusal('the assertion has no usable ID');
    }
    const issued = instant(assertion.issueInstant);
    if (issued === undefined) throw samlRefusal('the assertion has no valid IssueInstant');
    const maxAgeEnd = issued + config.maxAssertionAgeMs;
    if (issued > now + config.clockSkewMs || now - config.clockSkewMs >= maxAgeEnd) {
      throw samlRefusal(EXPIRED);
    }
    if (!assertion.hasAuthnStatement) {
      throw samlRefusal('the assertion has no authentication statement');
    }
    const bearers = assertion.subjectConfirmations.filter((c) => c.method === BEARER);
    if (bearers.length === 0) throw samlRefusal('the assertion has no bearer subject confirmation');
    const problems = bearers.map((confirmation) => this.#problem(confirmation, requests, now));
    const index = problems.indexOf(undefined);
    const confirmation = bearers[index];
    if (confirmation === undefined) throw samlRefusal(problems[0] ?? EXPIRED);

    // After the earliest of its limits the assertion is refused anyway; until then (plus
    // skew) its ID must be remembered.
    const limits = [
      maxAgeEnd,
      instant(confirmation.notOnOrAfter),
      instant(assertion.conditionsNotOnOrAfter),
    ].filter((limit): limit is number => limit !== undefined);
    return { id, keepUntil: new Date(Math.min(...limits) + config.clockSkewMs) };
  }

  /** Why a bearer confirmation does not confirm this sign-in, or undefined when it does. */
  #problem(
    confirmation: SubjectConfirmation,
    requests: RequestIdCheck,
    now: number,
  ): string | undefined {
    const skew = this.#config.clockSkewMs;
    // The Response's InResponseTo is unsigned unless the Response is; this one is signed.
    if (confirmation.inResponseTo === undefined || !requests.approved(confirmation.inResponseTo)) {
      return NOT_OUR_REQUEST;
    }
    if (confirmation.recipient !== this.#config.acsUrl) {
      return 'the assertion is addressed to another endpoint';
    }
    const notOnOrAfter = instant(confirmation.notOnOrAfter);
    if (notOnOrAfter === undefined || now - skew >= notOnOrAfter) return EXPIRED;
    const notBefore = instant(confirmation.notBefore);
    if (
      confirmation.notBefore !== undefined &&
      (notBefore === undefined || now + skew < notBefore)
    ) {
      return EXPIRED;
    }
    return undefined;
  }

  /** A node-saml instance for one operation: its request-id cache is per response. */
  #saml(requests: RequestIdCheck, requestId?: string): SAML {
    const config = this.#config;
    const signing = config.spSigning;
    return new SAML({
      entryPoint: config.entryPoint,
      issuer: config.spEntityId,
      callbackUrl: config.acsUrl,
      audience: config.audience,
      idpCert: [...config.idpCertificates],
      idpIssuer: config.idpEntityId,
      identifierFormat: config.nameIdFormat,
      allowCreate: true,
      wantAssertionsSigned: true,
      wantAuthnResponseSigned: config.wantResponseSigned,
      acceptedClockSkewMs: config.clockSkewMs,
      maxAssertionAgeMs: config.maxAssertionAgeMs,
      validateInResponseTo: ValidateInResponseTo.always,
      requestIdExpirationPeriodMs: config.requestLifetimeMs,
      cacheProvider: requests,
      generateUniqueId: () => requestId ?? newRequestId(),
      // node-saml's default asks for exactly PasswordProtectedTransport, which would stop
      // an IdP from reporting MFA; ask for nothing unless the operator wants something.
      disableRequestedAuthnContext: config.requestedAuthnContext.length === 0,
      authnContext: [...config.requestedAuthnContext],
      racComparison: 'exact',
      forceAuthn: config.forceAuthn,
      authnRequestBinding: 'HTTP-Redirect',
      signatureAlgorithm: 'sha256',
      ...(signing === undefined
        ? {}
        : { privateKey: signing.privateKey, publicCert: signing.certificate }),
    });
  }
}

/** An AuthnRequest ID: an xs:ID (starts with `_`) with 160 random bits, like node-saml's own. */
function newRequestId(): string {
  return `_${randomBytes(20).toString('hex')}`;
}

/** An xs:dateTime as milliseconds since the epoch, or undefined when absent or invalid. */
function instant(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Re-exported so the ACS route finds the callback's type next to `finish()`. */
export type { ExpectRequestId };
