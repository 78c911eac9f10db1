/**
 * English strings of the admission policy: guest policy, passcode, lock after start, the
 * moderators' settings dialog and the confirmation before relaxing. `en.ts` spreads them in,
 * and `policy.de.ts` must provide exactly the same keys.
 */
export const policyEn = {
  'policy.title': 'Admission settings',
  'policy.intro':
    'These settings decide who enters this meeting directly and who waits for a moderator. Moderators and people with a personal invitation never need the passcode.',
  'policy.recommended': 'Recommended',
  'policy.save': 'Save settings',

  'policy.guest.legend': 'Who may enter without waiting?',
  'policy.guest.hint': 'Applies to everyone who comes with the participant link.',
  'policy.guest.always_deny': 'Only invited people',
  'policy.guest.always_deny.text':
    'The participant link does not work. Only moderators and people with a personal invitation can join.',
  'policy.guest.ask_moderator': 'A moderator admits everyone',
  'policy.guest.ask_moderator.text':
    'Everyone who comes with the participant link waits in the waiting room until a moderator lets them in.',
  'policy.guest.accept_signed_in': 'Signed-in members enter, guests wait',
  'policy.guest.accept_signed_in.text':
    'People signed in with an account of this organisation enter directly; everyone else waits for a moderator.',
  'policy.guest.always_accept': 'Everyone enters directly',
  'policy.guest.always_accept.text':
    'Anyone with the participant link (and the passcode, if there is one) enters without waiting. Not suitable for confidential meetings.',

  'policy.passcode.legend': 'Meeting passcode',
  'policy.passcode.hint':
    'People who come with the participant link must also enter the passcode. Send it separately from the link.',
  'policy.passcode.keep': 'Keep the current passcode',
  'policy.passcode.keepNone': 'No passcode',
  'policy.passcode.generate': 'Generate a passcode',
  'policy.passcode.generateText': 'Konvent creates an 8-digit passcode and shows it to you once.',
  'policy.passcode.generateNew': 'Generate a new passcode',
  'policy.passcode.replaceText': 'The current passcode stops working at once.',
  'policy.passcode.own': 'Set my own passcode',
  'policy.passcode.ownNew': 'Set a new passcode of my own',
  'policy.passcode.none': 'No passcode',
  'policy.passcode.noneText': 'The participant link alone is enough to ask to join.',
  'policy.passcode.remove': 'Remove the passcode',
  'policy.passcode.ownLabel': 'Your passcode',
  'policy.passcode.ownHint': '6 to 64 characters. Share it only with the people you invite.',
  'policy.passcode.ownInvalid': 'A passcode has 6 to 64 characters.',

  'policy.lock.legend': 'Lock after the start',
  'policy.lock.hint':
    'A locked meeting sends everyone new who is not a moderator to the waiting room. Moderators can unlock it in the lock settings.',
  'policy.lock.enabled': 'Lock the meeting automatically after it has started',
  'policy.lock.minutes': 'Minutes after the first moderator joined',
  'policy.lock.minutesUnit': 'minutes',
  'policy.lock.minutesInvalid': 'Please enter a number of minutes from 1 to 1440.',

  'policy.summary.passcode': 'Passcode required',
  'policy.summary.noPasscode': 'No passcode',
  'policy.summary.lock': 'Locks {minutes} minutes after the start',
  'policy.summary.noLock': 'Does not lock by itself',

  'policy.relax.title': 'Relax the protection of this meeting?',
  'policy.relax.guestPolicy': 'Entry becomes easier: “{to}” instead of “{from}”.',
  'policy.relax.passcode':
    'The passcode will be removed: the participant link alone will be enough.',
  'policy.relax.lockOff': 'The meeting will no longer lock by itself after the start.',
  'policy.relax.lockLater': 'The meeting will lock later: after {to} instead of {from} minutes.',
  'policy.relax.sure': 'Only do this if everyone who has the link may take part.',
  'policy.relax.confirm': 'Relax protection',
  'policy.relax.cancel': 'Keep it strict',

  'policy.passcodeTitle': 'New meeting passcode',
  'policy.passcodeText':
    'The settings are saved. This passcode is shown only now: copy it and pass it on to the people you invite, separately from the link.',
  'policy.passcodeLabel': 'Meeting passcode',
  'policy.passcodeHint': 'Needed together with the participant link.',
  'policy.copyPasscode': 'Copy meeting passcode',
} as const satisfies Record<string, string>;
