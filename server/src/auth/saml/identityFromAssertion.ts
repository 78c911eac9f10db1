import { mapRoles, type ExternalIdentity } from '../ExternalIdentity.ts';
import type { SamlProviderConfig } from './SamlProviderConfig.ts';
import { TRANSIENT_NAME_ID_FORMAT } from './SamlProviderConfig.ts';
import { samlRefusal } from './samlFailure.ts';
import type { SignedAssertion } from './SignedAssertion.ts';

/** The format that leaves the choice to the IdP; configured, it accepts any stable format. */
const UNSPECIFIED_NAME_ID_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';
/**
 * AuthnContextClassRef values with a published multi-factor meaning: the REFEDS MFA
 * profile, Microsoft Entra ID / AD FS's "multipleauthn", and the SAML 2.0 classes whose
 * definitions demand two factors. Providers with their own values add them in `mfaContexts`.
 */
const MFA_CONTEXTS: ReadonlySet<string> = new Set([
  'https://refeds.org/profile/mfa',
  'http://schemas.microsoft.com/claims/multipleauthn',
  'urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract',
  'urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorUnregistered',
  'urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI',
]);
/** Home-grown context names IdPs use for MFA (e.g. `…:MultiFactor`, `…/mfa`, `TwoFactor`). */
const MFA_NAME = /multi-?factor|two-?factor|(?:^|[^a-z])mfa(?:[^a-z]|$)/i;
/** Same rule as the protocol's `Username`: 3–254 characters, no spaces or control characters. */
const USERNAME = /^[^\s\p{Cc}]{3,254}$/u;
/** The protocol's `DisplayName` allows 64 characters. */
const DISPLAY_NAME_MAX = 64;
/** A NameID longer than this would not fit the account key (persistent ones are ≤ 256). */
const SUBJECT_MAX = 256;
/** Bounds for what we keep of the contexts: they end up in sessions and the audit log. */
const MAX_METHODS = 16;
const METHOD = /^[\x21-\x7e]{1,256}$/;

/**
 * Maps a verified assertion to an ExternalIdentity under the provider's configuration.
 * The subject is the NameID; its format is pinned by the configuration (`nameIdFormat`),
 * so one provider's subjects all come from one identifier space and the value alone is
 * unambiguous. Throws `invalid_credentials` when the assertion cannot identify a person,
 * because the account service must never guess.
 */
export function identityFromAssertion(
  config: Pick<
    SamlProviderConfig,
    | 'id'
    | 'nameIdFormat'
    | 'usernameAttributes'
    | 'displayNameAttributes'
    | 'roleMapping'
    | 'mfaContexts'
  >,
  assertion: SignedAssertion,
): ExternalIdentity {
  const subject = assertion.nameId;
  if (subject === undefined || subject.length > SUBJECT_MAX) {
    throw samlRefusal('the identity provider sent no usable NameID');
  }
  const format = assertion.nameIdFormat ?? UNSPECIFIED_NAME_ID_FORMAT;
  // A transient NameID changes at every sign-in: it would create a new account each time.
  if (format === TRANSIENT_NAME_ID_FORMAT) {
    throw samlRefusal('the identity provider sent a transient NameID');
  }
  if (config.nameIdFormat !== UNSPECIFIED_NAME_ID_FORMAT && format !== config.nameIdFormat) {
    throw samlRefusal('the identity provider sent a NameID of another format than configured');
  }

  // The NameID serves as user name when no attribute holds one (often it is the e-mail).
  const username = [
    ...config.usernameAttributes.flatMap((name) => assertion.attributeValues(name)),
    subject,
  ].find((value) => USERNAME.test(value));
  if (username === undefined) {
    throw samlRefusal('the identity provider sent no usable user name');
  }
  const displayName =
    config.displayNameAttributes
      .flatMap((name) => assertion.attributeValues(name))
      .map(cleanDisplayName)
      .find((name) => name !== '') ?? cleanDisplayName(username);

  const methods = assertion.authnContextClassRefs
    .filter((method) => METHOD.test(method))
    .slice(0, MAX_METHODS);
  const multiFactor = methods.some(
    (method) =>
      MFA_CONTEXTS.has(method) || config.mfaContexts.includes(method) || MFA_NAME.test(method),
  );

  return {
    provider: config.id,
    kind: 'saml',
    subject,
    username,
    displayName,
    roles: mapRoles(config.roleMapping, assertion.attributeValues(config.roleMapping.claim)),
    methods,
    multiFactor,
  };
}

/**
 * Fits a name into the protocol's DisplayName: no control characters, at most 64 UTF-16
 * units (what the schema check counts), cut between user-perceived characters.
 */
function cleanDisplayName(name: string): string {
  const cleaned = name.replace(/[\p{Cc}\s]+/gu, ' ').trim();
  let kept = '';
  for (const { segment } of new Intl.Segmenter().segment(cleaned)) {
    if (kept.length + segment.length > DISPLAY_NAME_MAX) break;
    kept += segment;
  }
  return kept.trim();
}
