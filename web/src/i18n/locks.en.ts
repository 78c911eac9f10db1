/**
 * English strings of the meeting locks (lock settings dialog, locked controls). Kept apart
 * so the main catalogue stays one readable file; `en.ts` spreads them in, and `locks.de.ts`
 * must provide exactly the same keys.
 */
export const locksEn = {
  'locks.open': 'Locks',
  'locks.openLabel': 'Lock settings: what participants may do',
  'locks.title': 'Lock settings',
  'locks.intro':
    'A lock applies at once to everyone who is not a moderator. Moderators are never locked.',
  'locks.microphones': 'Lock microphones',
  'locks.cameras': 'Lock cameras',
  'locks.publicChat': 'Lock public chat',
  'locks.privateChat': 'Lock private messages',
  'locks.seeCameras': 'Show participants only the moderators’ cameras',
  'locks.participantList': 'Show participants only the moderators in the list',
  'locks.meeting': 'Lock the meeting: new arrivals wait in the waiting room',
  'locks.screenShare': 'Lock screen sharing: only moderators share',
  'locks.screenLocked': 'A moderator has locked screen sharing.',
  'locks.close': 'Done',
  'locks.changed': 'Lock settings changed',
  'locks.active': '{count} locked',
  'locks.micLocked': 'A moderator has locked microphones.',
  'locks.camLocked': 'A moderator has locked cameras.',
  'locks.micLockedLabel': 'Microphone locked by a moderator',
  'locks.caption': 'Locked',
  'locks.camLockedLabel': 'Camera locked by a moderator',
  'locks.chatLocked': 'A moderator has locked the chat.',
  'locks.privateLocked': 'A moderator has locked private messages.',
} as const satisfies Record<string, string>;
