/**
 * English strings of the pre-join page. `en.ts` spreads them into the catalogue, and
 * `prejoin.de.ts` must provide exactly the same keys.
 */
export const prejoinEn = {
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
  'prejoin.invited': 'You have a personal invitation.',
  'prejoin.passcode': 'Meeting passcode',
  'prejoin.passcodeHint':
    'You received it from the person who invited you, usually separately from the link.',
  'prejoin.passcodeMissing': 'Please enter the meeting passcode.',
  'prejoin.passcodeWrong': 'The passcode is wrong. Please check it and try again.',
  'prejoin.pin': 'PIN',
  'prejoin.pinHint': 'The PIN that belongs to your personal invitation.',
  'prejoin.pinMissing': 'Please enter the PIN of your invitation.',
  'prejoin.pinWrong': 'The PIN is wrong. Please check it and try again.',
  'prejoin.secretShort': 'This is too short: it has at least 6 characters.',
  'prejoin.tooManyAttempts':
    'Too many wrong attempts. Please wait a few minutes before you try again.',
  'prejoin.forbidden':
    'You cannot join this meeting: it admits only invited people, or a moderator has banned this browser from it.',
  'prejoin.signInAgain': 'Your sign-in has ended. Please sign in again to join as moderator.',
  'prejoin.lobbyNotice':
    'A moderator will let you in: after you click “Join meeting” you wait in the waiting room until then. Nobody sees or hears you while you wait.',
  'prejoin.signIn.eyebrow': 'Moderator link',
  'prejoin.signIn.heading': 'Sign in to moderate',
  'prejoin.signIn.text':
    'This link gives moderator rights, so it works only for accounts of this organisation: sign in, and you will come back here to join. Not a moderator? Ask the organiser for the participant link.',
} as const satisfies Record<string, string>;
