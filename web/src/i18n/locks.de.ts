import type { locksEn } from './locks.en.ts';

/** German strings of the meeting locks; typed against the English ones. */
export const locksDe: Record<keyof typeof locksEn, string> = {
  'locks.open': 'Sperren',
  'locks.openLabel': 'Sperren: was Teilnehmende dürfen',
  'locks.title': 'Sperren',
  'locks.intro':
    'Eine Sperre gilt sofort für alle, die nicht moderieren. Moderierende sind nie gesperrt.',
  'locks.microphones': 'Mikrofone sperren',
  'locks.cameras': 'Kameras sperren',
  'locks.publicChat': 'Öffentlichen Chat sperren',
  'locks.privateChat': 'Private Nachrichten sperren',
  'locks.seeCameras': 'Teilnehmenden nur die Kameras der Moderation zeigen',
  'locks.participantList': 'Teilnehmenden in der Liste nur die Moderation zeigen',
  'locks.meeting': 'Besprechung sperren: Neue warten im Warteraum',
  'locks.screenShare': 'Bildschirmteilen sperren: Nur die Moderation teilt',
  'locks.screenLocked': 'Die Moderation hat das Bildschirmteilen gesperrt.',
  'locks.close': 'Fertig',
  'locks.changed': 'Sperren geändert',
  'locks.active': '{count} gesperrt',
  'locks.micLocked': 'Die Moderation hat die Mikrofone gesperrt.',
  'locks.camLocked': 'Die Moderation hat die Kameras gesperrt.',
  'locks.micLockedLabel': 'Mikrofon von der Moderation gesperrt',
  'locks.caption': 'Gesperrt',
  'locks.camLockedLabel': 'Kamera von der Moderation gesperrt',
  'locks.chatLocked': 'Die Moderation hat den Chat gesperrt.',
  'locks.privateLocked': 'Die Moderation hat private Nachrichten gesperrt.',
};
