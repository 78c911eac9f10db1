/**
 * English strings of personal invitations (list, new invitation, link and PIN shown once,
 * revoking). `en.ts` spreads them in, and `invitations.de.ts` must provide the same keys.
 */
export const invitationsEn = {
  'invitations.title': 'Personal invitations',
  'invitations.intro':
    'A personal invitation is a link for one named person: it can carry a role, expires, can be limited to one use and can require a PIN. Invited people never wait in the waiting room.',
  'invitations.new': 'New invitation',
  'invitations.createTitle': 'New personal invitation',
  'invitations.empty': 'No personal invitations yet.',
  'invitations.listLabel': 'Invitations, newest first',
  'invitations.status.active': 'Active',
  'invitations.status.usedUp': 'Used up',
  'invitations.status.expired': 'Expired',
  'invitations.status.revoked': 'Revoked',
  'invitations.validUntil': 'Valid until {time}',
  'invitations.expired': 'Expired {time}',
  'invitations.uses': 'Used {uses} of {max}',
  'invitations.usesUnlimited': 'Used {uses} times (no limit)',
  'invitations.withPin': 'With PIN',
  'invitations.withoutPin': 'No PIN',
  'invitations.revoke': 'Revoke',
  'invitations.revokeLabel': 'Revoke the invitation for {label}',
  'invitations.revokeTitle': 'Revoke the invitation for {label}?',
  'invitations.revokeText':
    'The link stops working at once. Anyone already in the meeting with it stays in.',
  'invitations.revoked': 'The invitation for {label} has been revoked.',

  'invitations.form.label': 'For whom?',
  'invitations.form.labelHint':
    'A name or e-mail address, so you can tell invitations apart. Only organisers and moderators see it.',
  'invitations.form.labelMissing': 'Please say whom the invitation is for.',
  'invitations.form.role': 'Role in the meeting',
  'invitations.form.moderatorHint':
    'Moderators can admit and remove people and change these settings. Invite only people you trust with that.',
  'invitations.form.validity': 'Valid for',
  'invitations.validity.hour': '1 hour',
  'invitations.validity.day': '1 day',
  'invitations.validity.week': '7 days',
  'invitations.validity.month': '30 days',
  'invitations.validity.quarter': '90 days',
  'invitations.form.uses': 'How often may the link be used?',
  'invitations.form.single': 'Once',
  'invitations.form.singleText': 'After the first use the link stops working.',
  'invitations.form.several': 'Several times',
  'invitations.form.maxUses': 'Maximum number of uses',
  'invitations.form.maxUsesInvalid': 'Please enter a number from 2 to 1000.',
  'invitations.form.unlimited': 'Any number of times until it expires',
  'invitations.form.unlimitedText': 'Everyone who gets hold of the link can use it until then.',
  'invitations.form.pin': 'Also require a PIN',
  'invitations.form.pinHint':
    'Konvent creates a PIN that must be entered with the link. Send the PIN by another channel than the link, for example by phone.',
  'invitations.form.submit': 'Create invitation',

  'invitations.result.heading': 'Invitation for {label}',
  'invitations.result.text':
    'The link works {uses}, until {time}. It is shown only now: copy it before you close this window.',
  'invitations.result.usesOnce': 'once',
  'invitations.result.usesMax': 'up to {max} times',
  'invitations.result.usesUnlimited': 'any number of times',
  'invitations.result.link': 'Invitation link',
  'invitations.result.linkHint': 'Whoever has this link can join with its role.',
  'invitations.result.copyLink': 'Copy invitation link',
  'invitations.result.pin': 'PIN',
  'invitations.result.pinHint': 'Send it by another channel than the link.',
  'invitations.result.copyPin': 'Copy PIN',
  'invitations.result.another': 'Create another',
} as const satisfies Record<string, string>;
