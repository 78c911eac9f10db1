/**
 * English strings of the app frame, shared words, roles, generic errors, navigation and every
 * code of the server's error catalogue. `en.ts` spreads them into the catalogue, and
 * `common.de.ts` must provide exactly the same keys.
 */
export const commonEn = {
  'app.name': 'Konvent',
  'app.tagline': 'Sovereign video conferencing',
  'app.skipToContent': 'Skip to main content',
  'app.footer': 'Konvent · self-hosted video conferencing · no third parties',
  'app.loading': 'Loading…',

  'lang.label': 'Language',
  'lang.de': 'Deutsch',
  'lang.en': 'English',

  'common.copy': 'Copy',
  'common.copied': 'Copied to clipboard',
  'common.copyFailed': 'Copying failed. Select the text and press Ctrl+C.',
  'common.home': 'Go to start page',
  'common.close': 'Close',

  'role.moderator': 'Moderator',
  'role.participant': 'Participant',
  'role.presenter': 'Presenter',
  'role.guest': 'Guest',

  'error.network': 'The server could not be reached. Please check your connection and try again.',
  'error.invalidLink': 'This link is invalid or has expired',
  'error.invalidLinkHint': 'Please check the link or ask the organiser for a new one.',
  'error.rateLimited': 'Too many attempts. Please wait a moment and try again.',
  'error.badRequest': 'Please check your input.',
  'error.unavailable': 'The service is temporarily unavailable. Please try again shortly.',
  'error.generic': 'Something went wrong. Please try again.',

  'notFound.heading': 'Page not found',
  'notFound.text': 'The address does not lead to a page of this service.',

  'common.cancel': 'Cancel',
  'common.back': 'Back',
  'common.done': 'Done',

  // Every code of the server's error catalogue, as the user should read it.
  'apiError.bad_request': 'Please check your input.',
  'apiError.unknown_method': 'The request is not supported. Please reload the page.',
  'apiError.range_not_satisfiable': 'The requested part of the file does not exist.',
  'apiError.upload_refused': 'The file was refused by the virus scan.',
  'apiError.payload_too_large': 'The request is too large.',
  'apiError.unauthenticated': 'You are not signed in, or your session has ended.',
  'apiError.invalid_credentials': 'The user name, password or code is wrong.',
  'apiError.forbidden': 'Your role does not allow this.',
  'apiError.mfa_required': 'Please confirm your sign-in with a second factor first.',
  'apiError.csrf_failed': 'The request could not be verified. Please reload the page.',
  'apiError.password_rejected': 'The password does not meet the password policy.',
  'apiError.not_found': 'Not found, or the link has expired or was already used.',
  'apiError.meeting_ended': 'The meeting has ended.',
  'apiError.conflict': 'This is not possible in the current state.',
  'apiError.rate_limited': 'Too many attempts. Please wait a moment and try again.',
  'apiError.media_error': 'The media server rejected the request.',
  'apiError.unavailable': 'The service is temporarily unavailable. Please try again shortly.',
  'apiError.internal': 'Something went wrong on the server. Please try again.',

  'nav.label': 'Your account',
  'nav.signedInAs': 'Signed in as',
  'nav.account': 'Account',
  'nav.admin': 'Admin',
  'nav.audit': 'Audit',
  'nav.signIn': 'Sign in',
  'nav.signOut': 'Sign out',

  'role.admin': 'Administrator',
  'role.admin.hint': 'Manages users and roles',
  'role.auditor': 'Auditor',
  'role.auditor.hint': 'Reads the audit trail',
  'role.key_custodian': 'Key custodian',
  'role.key_custodian.hint': 'Holds a share of the recovery key',
  'role.organiser': 'Organiser',
  'role.organiser.hint': 'Creates meetings',
  'role.member': 'Member',
  'role.member.hint': 'Signs in; joins meetings',
} as const satisfies Record<string, string>;
