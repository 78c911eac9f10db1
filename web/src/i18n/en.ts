/**
 * English UI strings. This catalogue defines the set of keys: `de.ts` must provide exactly
 * the same keys (a missing or extra key is a type error). `{name}` placeholders are filled
 * by `t(key, { name })`.
 */
export const en = {
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

  'error.network': 'The server could not be reached. Please check your connection and try again.',
  'error.invalidLink': 'This link is invalid or has expired',
  'error.invalidLinkHint': 'Please check the link or ask the organiser for a new one.',
  'error.rateLimited': 'Too many attempts. Please wait a moment and try again.',
  'error.badRequest': 'Please check your input.',
  'error.unavailable': 'The service is temporarily unavailable. Please try again shortly.',
  'error.generic': 'Something went wrong. Please try again.',

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
  'start.result.moderatorHint': 'Keep this link to yourself: it grants moderator rights.',
  'start.result.participantLink': 'Participant link',
  'start.result.participantHint': 'Send this link to the people you want to invite.',
  'start.result.copyModerator': 'Copy moderator link',
  'start.result.copyParticipant': 'Copy participant link',
  'start.result.join': 'Join as moderator',
  'start.result.another': 'Create another meeting',

  'prejoin.checking': 'Checking your link…',
  'prejoin.heading': 'Ready to join?',
  'prejoin.untitled': 'Untitled meeting',
  'prejoin.roleLine': 'You are joining as {role}.',
  'prejoin.nameLabel': 'Your name',
  'prejoin.nameHint': 'Shown to the other participants.',
  'prejoin.nameRequired': 'Please enter your name.',
  'prejoin.preview': 'Camera preview',
  'prejoin.cameraOff': 'Your camera is off',
  'prejoin.cameraStarting': 'Starting camera…',
  'prejoin.micLevel': 'Microphone level',
  'prejoin.deviceCheck': 'Check your camera and microphone',
  'prejoin.permissionDenied':
    'Access to camera or microphone was blocked. You can join anyway and allow access later in your browser settings.',
  'prejoin.cameraUnavailable': 'No camera could be started.',
  'prejoin.micUnavailable': 'No microphone could be started.',
  'prejoin.privacy.heading': 'Privacy notice',
  'prejoin.privacy.text':
    'Processed for this meeting: your name, your audio and video while switched on, and chat messages. Everything is processed only on this organisation’s servers and encrypted in transit. Nothing is passed on to third parties and the meeting is not recorded.',
  'prejoin.join': 'Join meeting',
  'prejoin.joining': 'Joining…',

  'media.muteMic': 'Mute microphone',
  'media.unmuteMic': 'Unmute microphone',
  'media.cameraOff': 'Turn camera off',
  'media.cameraOn': 'Turn camera on',
  'media.micIsOn': 'Microphone on',
  'media.micIsOff': 'Microphone off',
  'media.camIsOn': 'Camera on',
  'media.camIsOff': 'Camera off',
  'media.micError': 'The microphone could not be started.',
  'media.cameraError': 'The camera could not be started.',

  // Visible toolbar captions. Each must appear inside its button's accessible name above
  // (WCAG 2.5.3 Label in Name), so voice users can say what they see.
  'toolbar.muteMic': 'Mute',
  'toolbar.unmuteMic': 'Unmute',
  'toolbar.cameraOff': 'Turn camera off',
  'toolbar.cameraOn': 'Turn camera on',
  'toolbar.endForAll': 'End meeting for all',
  'toolbar.leave': 'Leave',

  'meeting.connecting': 'Connecting to the meeting…',
  'meeting.videoGrid': 'Video grid',
  'meeting.you': '{name} (you)',
  'meeting.controls': 'Meeting controls',
  'meeting.participants': 'Participants',
  'meeting.chat': 'Chat',
  'meeting.leave': 'Leave meeting',
  'meeting.endForAll': 'End meeting for all',
  'meeting.end.title': 'End the meeting for everyone?',
  'meeting.end.text':
    'All participants will be disconnected and the meeting links will stop working.',
  'meeting.end.confirm': 'End meeting',
  'meeting.end.cancel': 'Cancel',
  'meeting.closePanel': 'Close panel',
  'meeting.count': '{count} in the meeting',
  'meeting.secure': 'Encrypted connection',
  'meeting.joined': '{name} joined the meeting',
  'meeting.leftMeeting': '{name} left the meeting',
  'meeting.alone': 'You are the only one here. Share the participant link to invite others.',

  'presence.online': 'Online',
  'presence.reconnecting': 'Reconnecting',

  'chat.log': 'Chat messages',
  'chat.recipient': 'Recipient',
  'chat.everyone': 'Everyone',
  'chat.message': 'Message',
  'chat.send': 'Send',
  'chat.private': 'Private',
  'chat.privateTo': 'Private message to {name}',
  'chat.privateFrom': 'Private message to you',
  'chat.empty': 'No messages yet.',
  'chat.unread': '{count} unread',
  'chat.newMessage': 'New chat message from {name}',
  'chat.sendFailed': 'The message could not be sent.',
  'chat.hint': 'Enter sends, Shift+Enter adds a line break.',
  'chat.unknownPerson': 'someone who left',

  'connection.lost': 'Connection lost. Reconnecting (attempt {attempt} of {max})…',
  'connection.failed': 'The connection to the meeting could not be restored.',
  'connection.retry': 'Try again',
  'connection.restored': 'Connection restored.',

  'sound.blocked': 'Your browser blocked audio playback.',
  'sound.enable': 'Enable sound',

  'left.heading': 'You have left the meeting',
  'left.text': 'Your camera and microphone are switched off.',
  'left.expired': 'Your session has expired. Join again to continue.',
  'left.rejoin': 'Rejoin meeting',
  'ended.heading': 'The meeting has ended',
  'ended.text': 'A moderator has ended the meeting for everyone. Thank you for taking part.',
  'ended.replaced': 'You have joined this meeting from another window or device.',

  'notFound.heading': 'Page not found',
  'notFound.text': 'The address does not lead to a page of this service.',
} as const satisfies Record<string, string>;

/** A key of the UI string catalogue. */
export type MessageKey = keyof typeof en;

/** A complete catalogue for one language: every key, no more, no fewer. */
export type Messages = Record<MessageKey, string>;
