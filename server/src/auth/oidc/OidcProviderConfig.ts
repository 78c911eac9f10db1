import { isLoopback } from '../../config/loadConfig.ts';
import type { RoleMapping } from '../ExternalIdentity.ts';
import { label, optionalBoolean, record, roleMapping, string } from '../providerSettings.ts';

/**
 * Everything the relying party needs to sign people in with one OpenID Connect provider.
 * Built by `oidcProviderConfig` from validated settings plus the client secret; tests may
 * also build it directly.
 */
export interface OidcProviderConfig {
  /** Our short name of the provider, used in URLs and stored with accounts, e.g. `corp`. */
  readonly id: string;
  /** What the sign-in button says, e.g. `Corporate login`. */
  readonly label: string;
  /** The issuer identifier exactly as the provider publishes it. */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Our callback, `<PUBLIC_URL>/api/auth/oidc/<id>/callback`; registered at the provider. */
  readonly redirectUri: string;
  /** Requested scopes; always contains `openid`. */
  readonly scopes: readonly string[];
  /** Claims tried in order for the user name; the first one holding a valid user name wins. */
  readonly usernameClaims: readonly string[];
  readonly roleMapping: RoleMapping;
  /** `acr` values that mean the person passed more than one factor (besides `amr`). */
  readonly mfaAcrValues: readonly string[];
  /** Whether to fetch the UserInfo endpoint, for providers that keep claims out of the ID token. */
  readonly userinfo: boolean;
  /** Tests only: allows an `http://` issuer on loopback (openid-client refuses it otherwise). */
  readonly allowInsecureHttp: boolean;
}

/**
 * One provider as an operator writes it in the JSON file: the config without the secret
 * (only the path of the file holding it) and without the callback, which follows from
 * PUBLIC_URL.
 */
export interface OidcProviderSettings extends Omit<
  OidcProviderConfig,
  'clientSecret' | 'redirectUri'
> {
  /** Path of a file that holds the client secret (one line). */
  readonly clientSecretFile: string;
}

/** The shape of a provider id: it appears in URLs and in stored account keys. */
export const OIDC_PROVIDER_ID = /^[a-z][a-z0-9-]{0,31}$/;
/** Scopes requested when the settings name none. */
export const DEFAULT_OIDC_SCOPES: readonly string[] = ['openid', 'profile', 'email'];
/** Claims tried for the user name when the settings name none. */
export const DEFAULT_USERNAME_CLAIMS: readonly string[] = ['preferred_username', 'email'];
/**
 * `acr` values with a published multi-factor meaning: OpenID PAPE's multi-factor policies
 * and the phishing-resistant values of OpenID EAP ACR Values 1.0. Providers with their own
 * levels (e.g. Keycloak's) add them through `mfaAcrValues`.
 */
export const DEFAULT_MFA_ACR_VALUES: readonly string[] = [
  'http://schemas.openid.net/pape/policies/2007/06/multi-factor',
  'http://schemas.openid.net/pape/policies/2007/06/multi-factor-physical',
  'phr',
  'phrh',
];

const FIELDS = new Set([
  'id',
  'label',
  'issuer',
  'clientId',
  'clientSecretFile',
  'scopes',
  'usernameClaims',
  'roles',
  'mfaAcrValues',
  'userinfo',
  'allowInsecureHttp',
]);
/** A scope token (RFC 6749 §3.3) or claim name: printable ASCII without spaces, quotes, `\`. */
const TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]{1,200}$/;

/**
 * Parses the JSON text of the OIDC provider list (an array of provider settings) and
 * checks every field. Throws a TypeError whose message starts with the offending field,
 * e.g. `OIDC_PROVIDERS_FILE[0].issuer: …`, so an operator knows what to fix; `source`
 * names where the text came from.
 */
export function parseOidcProviders(
  text: string,
  source = 'OIDC_PROVIDERS_FILE',
): OidcProviderSettings[] {
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
 * The full provider config from validated settings, the secret read from
 * `settings.clientSecretFile`, and the server's public origin (PUBLIC_URL).
 */
export function oidcProviderConfig(
  settings: Omit<OidcProviderSettings, 'clientSecretFile'>,
  clientSecret: string,
  publicUrl: string,
): OidcProviderConfig {
  const { id, label, issuer, clientId, scopes, usernameClaims, roleMapping } = settings;
  return {
    id,
    label,
    issuer,
    clientId,
    clientSecret,
    redirectUri: `${publicUrl.replace(/\/+$/, '')}/api/auth/oidc/${id}/callback`,
    scopes,
    usernameClaims,
    roleMapping,
    mfaAcrValues: settings.mfaAcrValues,
    userinfo: settings.userinfo,
    allowInsecureHttp: settings.allowInsecureHttp,
  };
}

function parseProvider(entry: unknown, at: string): OidcProviderSettings {
  const object = record(entry, at);
  for (const key of Object.keys(object)) {
    if (key === 'clientSecret') {
      throw new TypeError(
        `${at}.clientSecret: secrets are not written into the provider list; put it in a ` +
          'file readable only by the server and set clientSecretFile',
      );
    }
    if (!FIELDS.has(key)) throw new TypeError(`${at}.${key}: unknown field`);
  }
  const id = string(object.id, `${at}.id`);
  if (!OIDC_PROVIDER_ID.test(id)) {
    throw new TypeError(
      `${at}.id: "${id}" must be 1–32 lower-case letters, digits or "-", starting with a letter`,
    );
  }
  const allowInsecureHttp = optionalBoolean(object.allowInsecureHttp, `${at}.allowInsecureHttp`);
  const scopes = optionalTokens(object.scopes, `${at}.scopes`) ?? DEFAULT_OIDC_SCOPES;
  if (!scopes.includes('openid')) {
    throw new TypeError(`${at}.scopes: must contain "openid"`);
  }
  return {
    id,
    label: label(object.label, `${at}.label`),
    issuer: issuer(object.issuer, `${at}.issuer`, allowInsecureHttp ?? false),
    clientId: string(object.clientId, `${at}.clientId`),
    clientSecretFile: string(object.clientSecretFile, `${at}.clientSecretFile`),
    scopes,
    usernameClaims:
      optionalTokens(object.usernameClaims, `${at}.usernameClaims`) ?? DEFAULT_USERNAME_CLAIMS,
    roleMapping: roleMapping(object.roles, `${at}.roles`, 'claim', 'groups', token),
    mfaAcrValues: [
      ...DEFAULT_MFA_ACR_VALUES,
      ...(optionalStrings(object.mfaAcrValues, `${at}.mfaAcrValues`) ?? []),
    ],
    userinfo: optionalBoolean(object.userinfo, `${at}.userinfo`) ?? true,
    allowInsecureHttp: allowInsecureHttp ?? false,
  };
}

function issuer(value: unknown, at: string, allowInsecureHttp: boolean): string {
  const text = string(value, at);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(`${at}: not a URL`);
  }
  const loopback = isLoopback(url.hostname);
  if (allowInsecureHttp && !loopback) {
    throw new TypeError(`${at}: allowInsecureHttp is only accepted for a loopback issuer (tests)`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowInsecureHttp)) {
    throw new TypeError(`${at}: must use https://`);
  }
  // An issuer identifier has no query or fragment (OIDC Discovery §2), and a discovery URL
  // in its place would make openid-client skip the issuer check.
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new TypeError(`${at}: must not contain a query, fragment or credentials`);
  }
  if (url.pathname.includes('/.well-known/')) {
    throw new TypeError(`${at}: give the issuer, not its discovery document URL`);
  }
  return text;
}

function token(value: unknown, at: string): string {
  const text = string(value, at);
  if (!TOKEN.test(text)) throw new TypeError(`${at}: "${text}" contains spaces or quotes`);
  return text;
}

function optionalTokens(value: unknown, at: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) {
    throw new TypeError(`${at}: must be a non-empty array of strings`);
  }
  return value.map((item: unknown, index) => token(item, `${at}[${index}]`));
}

function optionalStrings(value: unknown, at: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new TypeError(`${at}: must be an array of strings`);
  return value.map((item: unknown, index) => string(item, `${at}[${index}]`));
}
