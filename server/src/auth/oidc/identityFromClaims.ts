import { AppError } from '../../errors/AppError.ts';
import { mapRoles, type ExternalIdentity } from '../ExternalIdentity.ts';
import type { OidcProviderConfig } from './OidcProviderConfig.ts';

/** Claims as they arrive in an ID token or UserInfo response (JSON values). */
export type OidcClaims = Readonly<Record<string, unknown>>;

/**
 * `amr` values (RFC 8176) that show a second factor: `mfa` says so outright; one-time
 * codes and proof of a hardware or software key are only asked for on top of a password
 * by the providers we target.
 */
const MFA_METHODS = new Set(['mfa', 'otp', 'hwk', 'swk']);
/** Same rule as the protocol's `Username`: 3–254 characters, no spaces or control characters. */
const USERNAME = /^[^\s\p{Cc}]{3,254}$/u;
/** The protocol's `DisplayName` allows 64 characters (counted here in UTF-16 units, the stricter). */
const DISPLAY_NAME_MAX = 64;
const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** Bounds for what we keep of `amr`: it ends up in sessions and the audit log. */
const MAX_METHODS = 16;
const METHOD = /^[\x21-\x7e]{1,64}$/;

/**
 * Maps verified claims (ID token claims, merged with UserInfo claims by the caller) to an
 * ExternalIdentity under the provider's configuration. Throws `invalid_credentials` when
 * the claims cannot identify a person (no usable subject or user name), because the
 * account service must never guess.
 */
export function identityFromClaims(
  config: Pick<OidcProviderConfig, 'id' | 'usernameClaims' | 'roleMapping' | 'mfaAcrValues'>,
  claims: OidcClaims,
): ExternalIdentity {
  const subject = claims.sub;
  // OIDC Core §2 caps `sub` at 255 ASCII characters; longer ones would not fit our keys.
  if (typeof subject !== 'string' || subject === '' || subject.length > 255) {
    throw new AppError('invalid_credentials', 'the identity provider sent no usable subject');
  }
  const username = config.usernameClaims
    .map((name) => claimAt(claims, name))
    .find(
      (value): value is string =>
        typeof value === 'string' && value.length <= 254 && USERNAME.test(value),
    );
  if (username === undefined) {
    throw new AppError('invalid_credentials', 'the identity provider sent no usable user name');
  }
  const name = claimAt(claims, 'name');
  const displayName =
    (typeof name === 'string' ? cleanDisplayName(name) : '') || cleanDisplayName(username);

  const amr = claimAt(claims, 'amr');
  const methods = (Array.isArray(amr) ? amr : [])
    .filter((method): method is string => typeof method === 'string' && METHOD.test(method))
    .slice(0, MAX_METHODS);
  const acr = claimAt(claims, 'acr');
  const multiFactor =
    methods.some((method) => MFA_METHODS.has(method)) ||
    (typeof acr === 'string' && config.mfaAcrValues.includes(acr));

  return {
    provider: config.id,
    kind: 'oidc',
    subject,
    username,
    displayName,
    roles: mapRoles(config.roleMapping, claimStrings(claimAt(claims, config.roleMapping.claim))),
    methods,
    multiFactor,
  };
}

/**
 * A claim by name; a dotted name that is not itself a claim is read as a path into nested
 * objects, because Keycloak puts roles at `realm_access.roles`, while Auth0 requires
 * URL-shaped claim names that contain dots themselves.
 */
function claimAt(claims: OidcClaims, name: string): unknown {
  if (Object.hasOwn(claims, name)) return claims[name];
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part)) {
      return undefined;
    }
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Providers send group or role claims as one string or as an array. */
function claimStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) {
    return value.filter((item): item is string => typeof item === 'string');
  }
  return [];
}

/** Fits a name into the protocol's DisplayName: no control characters, at most 64 characters. */
function cleanDisplayName(name: string): string {
  const cleaned = name.replace(/[\p{Cc}\s]+/gu, ' ').trim();
  // Cut between graphemes, so an accent or a joined emoji is never split in half.
  let result = '';
  for (const { segment } of GRAPHEMES.segment(cleaned)) {
    if (result.length + segment.length > DISPLAY_NAME_MAX) break;
    result += segment;
  }
  return result.trim();
}
