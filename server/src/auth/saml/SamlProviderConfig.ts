import { createPrivateKey, X509Certificate } from 'node:crypto';
import { isLoopback } from '../../config/loadConfig.ts';
import type { RoleMapping } from '../ExternalIdentity.ts';
import { label, optionalBoolean, record, roleMapping, string } from '../providerSettings.ts';

/**
 * Everything the service provider needs to sign people in with one SAML 2.0 identity
 * provider. Built by `samlProviderConfig` from validated settings, PUBLIC_URL and (when
 * AuthnRequests are signed) the SP key pair.
 */
export interface SamlProviderConfig {
  /** Our short name of the provider, used in URLs and stored with accounts, e.g. `corp`. */
  readonly id: string;
  /** What the sign-in button says, e.g. `Corporate login`. */
  readonly label: string;
  /** The IdP's entity id; every assertion's `<Issuer>` must equal it. */
  readonly idpEntityId: string;
  /** The IdP's single sign-on URL for the HTTP-Redirect binding. */
  readonly entryPoint: string;
  /** PEM certificates whose keys may sign assertions (several while the IdP rolls its key). */
  readonly idpCertificates: readonly string[];
  /** Our entity id (the AuthnRequest's `<Issuer>`). */
  readonly spEntityId: string;
  /** Our assertion consumer service, `<PUBLIC_URL>/api/auth/saml/<id>/acs` (HTTP-POST). */
  readonly acsUrl: string;
  /** The audience every assertion must be restricted to: our entity id. */
  readonly audience: string;
  /** The NameID format we ask for and accept; `subject` is the NameID within this format. */
  readonly nameIdFormat: string;
  /** Attribute names tried in order for the user name; the first valid value wins. */
  readonly usernameAttributes: readonly string[];
  /** Attribute names tried in order for the display name. */
  readonly displayNameAttributes: readonly string[];
  /** `claim` is the (multi-valued) attribute whose values map to platform roles. */
  readonly roleMapping: RoleMapping;
  /** AuthnContextClassRef values that mean more than one factor, besides the built-in ones. */
  readonly mfaContexts: readonly string[];
  /** AuthnContextClassRef values to request (comparison `exact`); empty requests none. */
  readonly requestedAuthnContext: readonly string[];
  readonly forceAuthn: boolean;
  /** Whether the Response itself must be signed too (the assertion always must be). */
  readonly wantResponseSigned: boolean;
  /** Whether RSA-SHA1 signatures and SHA-1 digests are accepted (legacy IdPs only). */
  readonly allowSha1Signatures: boolean;
  readonly clockSkewMs: number;
  /** How long after its IssueInstant an assertion is still accepted. */
  readonly maxAssertionAgeMs: number;
  /** How long an AuthnRequest may stay unanswered. */
  readonly requestLifetimeMs: number;
  /** Our key pair for signing AuthnRequests; absent means they go unsigned. */
  readonly spSigning: { readonly privateKey: string; readonly certificate: string } | undefined;
}

/**
 * One provider as an operator writes it in the JSON file: no secrets (only the paths of
 * the SP key files) and nothing that follows from PUBLIC_URL.
 */
export interface SamlProviderSettings {
  readonly id: string;
  readonly label: string;
  readonly idpEntityId: string;
  readonly entryPoint: string;
  readonly idpCertificates: readonly string[];
  /** Absent means `<PUBLIC_URL>/api/auth/saml/<id>/metadata`. */
  readonly spEntityId: string | undefined;
  readonly nameIdFormat: string;
  readonly usernameAttributes: readonly string[];
  readonly displayNameAttributes: readonly string[];
  readonly roleMapping: RoleMapping;
  readonly mfaContexts: readonly string[];
  readonly requestedAuthnContext: readonly string[];
  readonly forceAuthn: boolean;
  readonly wantResponseSigned: boolean;
  readonly allowSha1Signatures: boolean;
  readonly clockSkewMs: number;
  readonly maxAssertionAgeMs: number;
  readonly requestLifetimeMs: number;
  /** Path of the PEM private key for signing AuthnRequests (with `spCertificateFile`). */
  readonly spPrivateKeyFile: string | undefined;
  /** Path of the PEM certificate published in our metadata for that key. */
  readonly spCertificateFile: string | undefined;
}

/** The shape of a provider id: it appears in URLs and in stored account keys. */
export const SAML_PROVIDER_ID = /^[a-z][a-z0-9-]{0,31}$/;
/** The NameID format asked for when the settings name none: stable and opaque. */
export const DEFAULT_NAME_ID_FORMAT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';
/** A NameID format that changes on every sign-in and so can never key an account. */
export const TRANSIENT_NAME_ID_FORMAT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient';
/** User name attributes when the settings name none: mail, eduPersonPrincipalName, AD FS/Entra. */
export const DEFAULT_USERNAME_ATTRIBUTES: readonly string[] = [
  'urn:oid:0.9.2342.19200300.100.1.3',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.6',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  'email',
  'mail',
];
/** Display name attributes when the settings name none: displayName, cn, AD FS/Entra. */
export const DEFAULT_DISPLAY_NAME_ATTRIBUTES: readonly string[] = [
  'urn:oid:2.16.840.1.113730.3.1.241',
  'urn:oid:2.5.4.3',
  'http://schemas.microsoft.com/identity/claims/displayname',
  'displayName',
  'cn',
];
/** The role attribute when the settings name none: isMemberOf. */
export const DEFAULT_ROLE_ATTRIBUTE = 'urn:oid:1.3.6.1.4.1.5923.1.5.1.1';

const FIELDS = new Set([
  'id',
  'label',
  'idpEntityId',
  'entryPoint',
  'idpCertificates',
  'spEntityId',
  'nameIdFormat',
  'usernameAttributes',
  'displayNameAttributes',
  'roles',
  'mfaContexts',
  'requestedAuthnContext',
  'forceAuthn',
  'wantResponseSigned',
  'allowSha1Signatures',
  'clockSkewSeconds',
  'maxAssertionAgeSeconds',
  'requestLifetimeSeconds',
  'spPrivateKeyFile',
  'spCertificateFile',
]);
/** A URI or name without whitespace or quotes (entity ids, attribute names, context refs). */
const URI_LIKE = /^[\x21\x23-\x26\x28-\x7e]{1,1024}$/;

/**
 * Parses the JSON text of the SAML provider list (an array of provider settings) and
 * checks every field. Throws a TypeError whose message starts with the offending field,
 * e.g. `SAML_PROVIDERS_FILE[0].entryPoint: …`; `source` names where the text came from.
 */
export function parseSamlProviders(
  text: string,
  source = 'SAML_PROVIDERS_FILE',
): SamlProviderSettings[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new TypeError(`${source}: not valid JSON`);
  }
  if (!Array.isArray(raw)) throw new TypeError(`${source}: must be a JSON array of providers`);
  const seen = new Set<string>();
  return raw.map((entry: unknown, index) => {
    const settings = parseProvider(entry, `${source}[${index}]`);
    // Accounts are keyed by provider id, so two entries with one id would share accounts.
    if (seen.has(settings.id)) {
      throw new TypeError(`${source}[${index}].id: "${settings.id}" is used twice`);
    }
    seen.add(settings.id);
    return settings;
  });
}

/**
 * The full provider config from validated settings, the server's public origin
 * (PUBLIC_URL) and, when the settings name SP key files, their PEM contents. Throws a
 * TypeError naming the field when the key and certificate are missing, unusable or not a pair.
 */
export function samlProviderConfig(
  settings: SamlProviderSettings,
  publicUrl: string,
  spKeyPair?: { readonly privateKey: string; readonly certificate: string },
): SamlProviderConfig {
  const base = `${publicUrl.replace(/\/+$/, '')}/api/auth/saml/${settings.id}`;
  const spEntityId = settings.spEntityId ?? `${base}/metadata`;
  const at = (field: string) => `${field} (SAML provider "${settings.id}")`;
  if ((settings.spPrivateKeyFile !== undefined) !== (spKeyPair !== undefined)) {
    throw new TypeError(
      spKeyPair === undefined
        ? `${at('spPrivateKeyFile')}: the key files were not read`
        : `${at('spPrivateKeyFile')}: not set, but a key pair was given`,
    );
  }
  return {
    id: settings.id,
    label: settings.label,
    idpEntityId: settings.idpEntityId,
    entryPoint: settings.entryPoint,
    idpCertificates: settings.idpCertificates,
    spEntityId,
    acsUrl: `${base}/acs`,
    audience: spEntityId,
    nameIdFormat: settings.nameIdFormat,
    usernameAttributes: settings.usernameAttributes,
    displayNameAttributes: settings.displayNameAttributes,
    roleMapping: settings.roleMapping,
    mfaContexts: settings.mfaContexts,
    requestedAuthnContext: settings.requestedAuthnContext,
    forceAuthn: settings.forceAuthn,
    wantResponseSigned: settings.wantResponseSigned,
    allowSha1Signatures: settings.allowSha1Signatures,
    clockSkewMs: settings.clockSkewMs,
    maxAssertionAgeMs: settings.maxAssertionAgeMs,
    requestLifetimeMs: settings.requestLifetimeMs,
    spSigning: spKeyPair === undefined ? undefined : spSigning(spKeyPair, at),
  };
}

function spSigning(
  pair: { readonly privateKey: string; readonly certificate: string },
  at: (field: string) => string,
): { privateKey: string; certificate: string } {
  let key;
  try {
    key = createPrivateKey(pair.privateKey);
  } catch {
    throw new TypeError(`${at('spPrivateKeyFile')}: not a PEM private key`);
  }
  // node-saml signs redirect-binding requests with RSA only (its SigAlg URIs are rsa-*).
  if (key.asymmetricKeyType !== 'rsa') {
    throw new TypeError(`${at('spPrivateKeyFile')}: must be an RSA key`);
  }
  const certificate = certificateFrom(pair.certificate, at('spCertificateFile'));
  if (!new X509Certificate(certificate).checkPrivateKey(key)) {
    throw new TypeError(
      `${at('spCertificateFile')}: does not belong to the key in spPrivateKeyFile`,
    );
  }
  return { privateKey: key.export({ format: 'pem', type: 'pkcs8' }).toString(), certificate };
}

function parseProvider(entry: unknown, at: string): SamlProviderSettings {
  const object = record(entry, at);
  for (const key of Object.keys(object)) {
    if (key === 'spPrivateKey') {
      throw new TypeError(
        `${at}.spPrivateKey: keys are not written into the provider list; put the key in a ` +
          'file readable only by the server and set spPrivateKeyFile',
      );
    }
    if (!FIELDS.has(key)) throw new TypeError(`${at}.${key}: unknown field`);
  }
  const id = string(object.id, `${at}.id`);
  if (!SAML_PROVIDER_ID.test(id)) {
    throw new TypeError(
      `${at}.id: "${id}" must be 1–32 lower-case letters, digits or "-", starting with a letter`,
    );
  }
  const nameIdFormat =
    object.nameIdFormat === undefined
      ? DEFAULT_NAME_ID_FORMAT
      : uriLike(object.nameIdFormat, `${at}.nameIdFormat`);
  if (nameIdFormat === TRANSIENT_NAME_ID_FORMAT) {
    throw new TypeError(`${at}.nameIdFormat: a transient NameID cannot identify an account`);
  }
  const spPrivateKeyFile = optionalString(object.spPrivateKeyFile, `${at}.spPrivateKeyFile`);
  const spCertificateFile = optionalString(object.spCertificateFile, `${at}.spCertificateFile`);
  if ((spPrivateKeyFile === undefined) !== (spCertificateFile === undefined)) {
    const missing = spPrivateKeyFile === undefined ? 'spPrivateKeyFile' : 'spCertificateFile';
    throw new TypeError(`${at}.${missing}: spPrivateKeyFile and spCertificateFile go together`);
  }
  return {
    id,
    label: label(object.label, `${at}.label`),
    idpEntityId: uriLike(object.idpEntityId, `${at}.idpEntityId`),
    entryPoint: entryPoint(object.entryPoint, `${at}.entryPoint`),
    idpCertificates: certificates(object.idpCertificates, `${at}.idpCertificates`),
    spEntityId:
      object.spEntityId === undefined ? undefined : uriLike(object.spEntityId, `${at}.spEntityId`),
    nameIdFormat,
    usernameAttributes:
      optionalUris(object.usernameAttributes, `${at}.usernameAttributes`) ??
      DEFAULT_USERNAME_ATTRIBUTES,
    displayNameAttributes:
      optionalUris(object.displayNameAttributes, `${at}.displayNameAttributes`) ??
      DEFAULT_DISPLAY_NAME_ATTRIBUTES,
    roleMapping: roleMapping(
      object.roles,
      `${at}.roles`,
      'attribute',
      DEFAULT_ROLE_ATTRIBUTE,
      uriLike,
    ),
    mfaContexts: optionalUris(object.mfaContexts, `${at}.mfaContexts`) ?? [],
    requestedAuthnContext:
      optionalUris(object.requestedAuthnContext, `${at}.requestedAuthnContext`) ?? [],
    forceAuthn: optionalBoolean(object.forceAuthn, `${at}.forceAuthn`) ?? false,
    wantResponseSigned:
      optionalBoolean(object.wantResponseSigned, `${at}.wantResponseSigned`) ?? false,
    allowSha1Signatures:
      optionalBoolean(object.allowSha1Signatures, `${at}.allowSha1Signatures`) ?? false,
    clockSkewMs: seconds(object.clockSkewSeconds, `${at}.clockSkewSeconds`, 60, 0, 600),
    maxAssertionAgeMs: seconds(
      object.maxAssertionAgeSeconds,
      `${at}.maxAssertionAgeSeconds`,
      300,
      10,
      3600,
    ),
    requestLifetimeMs: seconds(
      object.requestLifetimeSeconds,
      `${at}.requestLifetimeSeconds`,
      600,
      60,
      3600,
    ),
    spPrivateKeyFile,
    spCertificateFile,
  };
}

function entryPoint(value: unknown, at: string): string {
  const text = string(value, at);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(`${at}: not a URL`);
  }
  // The AuthnRequest travels in this URL's query; plain http would expose it on the way,
  // except to an IdP on this very machine (development).
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw new TypeError(`${at}: must use https://`);
  }
  if (url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new TypeError(`${at}: must not contain a fragment or credentials`);
  }
  return text;
}

function certificates(value: unknown, at: string): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0) {
    throw new TypeError(`${at}: must be a certificate or a non-empty array of certificates`);
  }
  return list.map((item: unknown, index) =>
    certificateFrom(item, typeof value === 'string' ? at : `${at}[${index}]`),
  );
}

/** A certificate as PEM, or as the bare base64 that IdP metadata's X509Certificate holds. */
function certificateFrom(value: unknown, at: string): string {
  const text = string(value, at);
  const pem = text.startsWith('-----BEGIN')
    ? text
    : `-----BEGIN CERTIFICATE-----\n${text.replace(/\s+/g, '')}\n-----END CERTIFICATE-----\n`;
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    throw new TypeError(`${at}: not an X.509 certificate (PEM or base64)`);
  }
  // xml-crypto verifies RSA signatures only; any other key could never verify an assertion.
  if (certificate.publicKey.asymmetricKeyType !== 'rsa') {
    throw new TypeError(`${at}: must hold an RSA public key`);
  }
  return certificate.toString();
}

function seconds(value: unknown, at: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback * 1000;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`${at}: must be a whole number of seconds from ${min} to ${max}`);
  }
  return value * 1000;
}

function optionalString(value: unknown, at: string): string | undefined {
  return value === undefined ? undefined : string(value, at);
}

function uriLike(value: unknown, at: string): string {
  const text = string(value, at);
  if (!URI_LIKE.test(text)) throw new TypeError(`${at}: "${text}" contains spaces or quotes`);
  return text;
}

function optionalUris(value: unknown, at: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new TypeError(`${at}: must be an array of strings`);
  return value.map((item: unknown, index) => uriLike(item, `${at}[${index}]`));
}
