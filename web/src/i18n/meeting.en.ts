/**
 * English strings of the meeting page (media, toolbar, panels, chat, moderation) and the pages
 * after it. `en.ts` spreads them into the catalogue, and `meeting.de.ts` must provide exactly
 * the same keys.
 */
export const meetingEn = {
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

  'moderation.stopped.microphone':
    'A moderator muted your microphone. You can unmute it when you want to speak.',
  'moderation.stopped.camera': 'A moderator turned off your camera. You can turn it on again.',
  'moderation.actionsFor': 'Actions for {name}',
  'moderation.mute': 'Mute',
  'moderation.stopCamera': 'Stop camera',
  'moderation.makeModerator': 'Make moderator',
  'moderation.makePresenter': 'Make presenter',
  'moderation.makeParticipant': 'Make participant',
  'moderation.remove': 'Remove',
  'moderation.removeAndBan': 'Remove and ban',
  'moderation.muteAll': 'Mute all',
  'moderation.muteAllLabel': 'Mute all other participants',
  'moderation.remove.title': 'Remove {name} from the meeting?',
  'moderation.remove.text':
    '{name} will be disconnected at once. They can come back with their link, under the meeting’s admission settings.',
  'moderation.ban.title': 'Remove and ban {name}?',
  'moderation.ban.text':
    '{name} will be disconnected at once and cannot join this meeting again from this browser.',
  'moderation.cancel': 'Cancel',
  'moderation.done.mute': '{name} has been muted.',
  'moderation.done.muteAll': 'Everyone else has been muted.',
  'moderation.done.stopCamera': 'The camera of {name} has been turned off.',
  'moderation.done.role': '{name} now has the role {role}.',
  'moderation.done.remove': '{name} has been removed from the meeting.',

  'left.heading': 'You have left the meeting',
  'left.text': 'Your camera and microphone are switched off.',
  'left.expired': 'Your session has expired. Join again to continue.',
  'left.rejoin': 'Rejoin meeting',
  'left.signedOut': 'You have been signed out',
  'left.signedOutText':
    'Your account session has ended (signed out elsewhere, or the account was disabled), so you have left the meeting.',
  'ended.heading': 'The meeting has ended',
  'ended.text': 'A moderator has ended the meeting for everyone. Thank you for taking part.',
  'ended.replaced': 'You have joined this meeting from another window or device.',
  'ended.removed': 'A moderator has removed you from the meeting.',
  'ended.bannedHeading': 'You have been removed from the meeting',
  'ended.banned':
    'A moderator has removed you from this meeting and barred this browser from it. You cannot join it again.',
} as const satisfies Record<string, string>;
