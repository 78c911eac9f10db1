/**
 * English strings of the lobby (waiting room): the waiting page, the declined page, the
 * moderators' waiting-room panel and its notices. `en.ts` spreads them in, and `lobby.de.ts`
 * must provide exactly the same keys.
 */
export const lobbyEn = {
  'lobby.wait.pageTitle': 'Waiting to be admitted',
  'lobby.wait.admittedTitle': 'Admitted',
  'lobby.wait.eyebrow': 'Waiting room',
  'lobby.wait.as': 'You are waiting as {name}.',
  'lobby.wait.asked': 'A moderator has been asked to let you in.',
  'lobby.wait.keepOpen':
    'Please keep this page open. You will enter the meeting as soon as a moderator admits you.',
  'lobby.wait.admitted': 'A moderator has admitted you.',
  'lobby.wait.entering': 'Joining the meeting…',
  'lobby.wait.messageFrom': 'Message from the moderators',
  'lobby.wait.devices':
    'Nobody can see or hear you while you wait. Your camera and microphone settings are kept for the meeting.',
  'lobby.wait.leave': 'Leave waiting room',

  'lobby.left.heading': 'You have left the waiting room',
  'lobby.left.again': 'Ask to join again',
  'lobby.denied.heading': 'Your request to join was declined',
  'lobby.denied.text':
    'A moderator has declined your request to join this meeting. If you think this is a mistake, please contact the person who invited you.',

  'lobby.panel.title': 'Waiting room',
  'lobby.panel.button': 'Waiting room',
  'lobby.panel.waiting': '{count} waiting',

  'lobby.arrival.link': 'Participant link',
  'lobby.arrival.account': 'Signed in',
  'lobby.arrival.invitation': 'Personal invitation',

  'lobby.queue.heading': 'Waiting to join ({count})',
  'lobby.queue.empty': 'Nobody is waiting.',
  'lobby.queue.justNow': 'waiting for less than a minute',
  'lobby.queue.minutes': 'waiting for {minutes} min',
  'lobby.queue.admit': 'Admit',
  'lobby.queue.deny': 'Deny',
  'lobby.queue.admitName': 'Admit {name}',
  'lobby.queue.denyName': 'Deny {name}',
  'lobby.queue.admitAll': 'Admit all',
  'lobby.queue.denyAll': 'Deny all',
  'lobby.queue.denyAllTitle': 'Deny all {count} people waiting?',
  'lobby.queue.denyAllText':
    'They will be told that their request was declined and cannot enter with this attempt.',
  'lobby.queue.admitted': '{name} has been admitted.',
  'lobby.queue.denied': '{name} has been denied.',
  'lobby.queue.admittedAll': 'Everyone waiting has been admitted.',
  'lobby.queue.deniedAll': 'Everyone waiting has been denied.',

  'lobby.message.heading': 'Message to people waiting',
  'lobby.message.none': 'No message is shown at the moment.',
  'lobby.message.shown': 'Shown now:',
  'lobby.message.label': 'New message',
  'lobby.message.hint': 'Everyone waiting sees it at once, for example “We start at 10:05.”',
  'lobby.message.save': 'Show message',
  'lobby.message.clear': 'Remove message',
  'lobby.message.saved': 'The message is now shown to everyone waiting.',
  'lobby.message.cleared': 'The message has been removed.',

  'lobby.admission.heading': 'Admission',
  'lobby.admission.change': 'Admission settings',
  'lobby.admission.invitations': 'Personal invitations',

  'lobby.notice.one': '{name} is waiting to join.',
  'lobby.notice.many': '{count} people are waiting to join.',
  'lobby.notice.open': 'Show waiting room',
  'lobby.notice.dismiss': 'Hide this notice',
} as const satisfies Record<string, string>;
