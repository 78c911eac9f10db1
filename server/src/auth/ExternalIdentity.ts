import type { PlatformRole } from '@konvent/protocol';

/**
 * A person as an organisation's identity provider (OpenID Connect or SAML 2.0) vouched for
 * them, after every check on the response passed. The account service maps it to a local
 * account (created on first sign-in) by `provider` + `subject`, never by e-mail.
 */
export interface ExternalIdentity {
  /** Our configured id of the provider, e.g. `corp` (not the issuer URL). */
  readonly provider: string;
  readonly kind: 'oidc' | 'saml';
  /** The provider's stable, opaque id of the person (`sub`, SAML NameID). */
  readonly subject: string;
  /** A user name for display and search, e.g. `preferred_username` or e-mail. */
  readonly username: string;
  readonly displayName: string;
  /** Platform roles from the provider's claims through the configured mapping. */
  readonly roles: readonly PlatformRole[];
  /** Authentication methods the provider reported (OIDC `amr`, SAML AuthnContextClassRef). */
  readonly methods: readonly string[];
  /** Whether the provider says the person passed more than one factor. */
  readonly multiFactor: boolean;
}

/**
 * Claim-to-role mapping for a provider: a claim (OIDC) or attribute (SAML) name, and which
 * of its values grant which platform roles. A person gets the union; no match gives
 * `defaultRoles` (normally `member`).
 */
export interface RoleMapping {
  readonly claim: string;
  readonly values: Readonly<Record<string, readonly PlatformRole[]>>;
  readonly defaultRoles: readonly PlatformRole[];
}

/** The roles a list of claim values grants under `mapping`. */
export function mapRoles(mapping: RoleMapping, claimValues: readonly string[]): PlatformRole[] {
  const roles = new Set<PlatformRole>();
  for (const value of claimValues) {
    for (const role of mapping.values[value] ?? []) roles.add(role);
  }
  if (roles.size === 0) for (const role of mapping.defaultRoles) roles.add(role);
  return [...roles].sort();
}
