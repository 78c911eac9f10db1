/**
 * English strings of the start page (creating a meeting, the account card). `en.ts` spreads
 * them into the catalogue, and `start.de.ts` must provide exactly the same keys.
 */
export const startEn = {
  'start.heading': 'Confidential video meetings on your own infrastructure',
  'start.lead':
    'Konvent runs entirely on the servers of your authority or school. Conversations are encrypted and no data is passed on to third parties.',
  'start.trust.selfHosted.title': 'Self-hosted',
  'start.trust.selfHosted.text':
    'Operated on your own servers, under your control and in your data centre.',
  'start.trust.encrypted.title': 'Encrypted',
  'start.trust.encrypted.text':
    'All connections use TLS; audio and video are protected with DTLS-SRTP.',
  'start.trust.noThirdParties.title': 'No third parties',
  'start.trust.noThirdParties.text': 'No trackers, no external services, no data transfers abroad.',
  'start.create.heading': 'Create a meeting',
  'start.create.titleLabel': 'Meeting title',
  'start.create.titleHint': 'Optional. Everyone who joins will see the title.',
  'start.create.submit': 'Create meeting',
  'start.create.busy': 'Creating meeting…',
  'start.result.heading': 'Your meeting is ready',
  'start.result.intro':
    'Two links were created. Anyone with a link can join, so share them carefully.',
  'start.result.moderatorLink': 'Moderator link',
  'start.result.moderatorHint':
    'Keep this link to yourself: it grants moderator rights, and works only for signed-in accounts of this organisation.',
  'start.result.participantLink': 'Participant link',
  'start.result.participantHint': 'Send this link to the people you want to invite.',
  'start.result.copyModerator': 'Copy moderator link',
  'start.result.copyParticipant': 'Copy participant link',
  'start.result.join': 'Join as moderator',
  'start.result.another': 'Create another meeting',
  'start.result.introLobby':
    'Two links were created. People who come with the participant link wait in the waiting room until a moderator admits them.',
  'start.result.participantHintPasscode':
    'Send this link to the people you want to invite. They also need the passcode below.',
  'start.result.passcode': 'Meeting passcode',
  'start.result.passcodeHint':
    'Shown only now. Send it separately from the link, for example by phone or in a second message.',
  'start.result.copyPasscode': 'Copy meeting passcode',
  'start.policy.heading': 'Admission',
  'start.policy.change': 'Change',
  'start.policy.hide': 'Hide settings',
  'start.policy.defaults': 'Recommended, strict settings.',
  'start.policy.changed': 'You have changed the recommended settings.',
  'start.policy.relaxConfirm': 'Create with relaxed protection',

  'start.signIn.heading': 'Sign in to create a meeting',
  'start.signIn.text': 'Meetings are created by the organisers of your organisation.',
  'start.signIn.action': 'Sign in',
  'start.pending.heading': 'Your sign-in is not complete',
  'start.pending.text': 'Confirm your sign-in with your second factor to continue.',
  'start.pending.action': 'Finish signing in',
  'start.notOrganiser.heading': 'Meetings are created by organisers',
  'start.notOrganiser.text':
    'Your account cannot create meetings. Ask an administrator for the organiser role.',
  'start.guestNote': 'Got a meeting link? Just open it: joining a meeting needs no account.',
} as const satisfies Record<string, string>;
