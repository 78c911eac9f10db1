import { SamlStatusError } from '@node-saml/node-saml';
import { AppError } from '../../errors/AppError.ts';

/**
 * node-saml's error messages (they are plain Errors) and the short reason each one gives
 * the client. The reasons carry no personal data and nothing from the response itself;
 * node-saml's message, which may name issuers or audiences, stays in `cause` for the log.
 */
const REASONS: readonly (readonly [RegExp, string])[] = [
  [/InResponseTo/i, 'the response does not answer a pending sign-in request'],
  [
    /signature|referenced node|ID cannot refer/i,
    'the response is not validly signed by the identity provider',
  ],
  [/expired|not yet valid|subject confirmation/i, 'the assertion is expired or not yet valid'],
  [/audience/i, 'the assertion is meant for another service'],
  [/Missing SAML assertion|Cannot obtain assertion/i, 'the response holds no assertion'],
  [/decrypt|EncryptedAssertion/i, 'encrypted assertions are not supported'],
  [/NotBefore|NotOnOrAfter|IssueInstant/, 'the assertion has malformed timestamps'],
  [/XML/i, 'the SAML response is not well-formed XML'],
];

/**
 * The `invalid_credentials` error for a response that failed node-saml's checks: an IdP
 * error status (e.g. the person cancelled) or a failed signature, time, audience or
 * InResponseTo check. Anything unrecognised still refuses the sign-in.
 */
export function samlFailure(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof SamlStatusError) {
    return new AppError('invalid_credentials', 'the identity provider did not sign the person in', {
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : '';
  const reason =
    REASONS.find(([pattern]) => pattern.test(message))?.[1] ?? 'the SAML response was rejected';
  return new AppError('invalid_credentials', reason, { cause: error });
}

/** A refusal found by our own checks on top of node-saml's. */
export function samlRefusal(reason: string): AppError {
  return new AppError('invalid_credentials', reason);
}
