/**
 * Field readers shared by the OIDC and SAML provider-list parsers: each checks one JSON value
 * and throws a TypeError that starts with the field's path (`OIDC_PROVIDERS_FILE[0].label: …`),
 * so an operator sees what to fix.
 */
import { PLATFORM_ROLES, type PlatformRole } from '@konvent/protocol';
import type { RoleMapping } from './ExternalIdentity.ts';

/** A JSON object (not null, not an array). */
export function record(value: unknown, at: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${at}: must be an object`);
  }
  return value as Record<string, unknown>;
}

/** A non-empty string, trimmed. */
export function string(value: unknown, at: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`${at}: must be a non-empty string`);
  }
  return value.trim();
}

/** A button label for the sign-in page. */
export function label(value: unknown, at: string): string {
  const text = string(value, at);
  // Shown on the sign-in page: keep it short and free of control characters.
  if (text.length > 64 || /\p{Cc}/u.test(text)) {
    throw new TypeError(`${at}: must be at most 64 characters without control characters`);
  }
  return text;
}

/** true or false, if given. */
export function optionalBoolean(value: unknown, at: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new TypeError(`${at}: must be true or false`);
  return value;
}

/** An array of platform roles. */
export function platformRoles(value: unknown, at: string): PlatformRole[] {
  if (!Array.isArray(value)) throw new TypeError(`${at}: must be an array of roles`);
  return value.map((role: unknown, index) => {
    if (!(PLATFORM_ROLES as readonly unknown[]).includes(role)) {
      throw new TypeError(`${at}[${index}]: must be one of ${PLATFORM_ROLES.join(', ')}`);
    }
    return role as PlatformRole;
  });
}

/**
 * A role mapping `{ <nameField>, values, defaultRoles }`: which claim (OIDC) or attribute
 * (SAML) is read, which of its values grant which roles, and the roles when none match
 * (default `member`). `readName` checks the claim or attribute name.
 */
export function roleMapping(
  value: unknown,
  at: string,
  nameField: string,
  defaultName: string,
  readName: (value: unknown, at: string) => string,
): RoleMapping {
  if (value === undefined) return { claim: defaultName, values: {}, defaultRoles: ['member'] };
  const object = record(value, at);
  for (const key of Object.keys(object)) {
    if (key !== nameField && key !== 'values' && key !== 'defaultRoles') {
      throw new TypeError(`${at}.${key}: unknown field`);
    }
  }
  const name = object[nameField];
  const claim = name === undefined ? defaultName : readName(name, `${at}.${nameField}`);
  const values: Record<string, readonly PlatformRole[]> = {};
  if (object['values'] !== undefined) {
    for (const [claimValue, roles] of Object.entries(record(object['values'], `${at}.values`))) {
      values[claimValue] = platformRoles(roles, `${at}.values.${claimValue}`);
    }
  }
  const defaultRoles =
    object['defaultRoles'] === undefined
      ? (['member'] as const)
      : platformRoles(object['defaultRoles'], `${at}.defaultRoles`);
  return { claim, values, defaultRoles };
}
