import type { policyEn } from './policy.en.ts';

/** German strings of the admission policy; typed against the English ones. */
export const policyDe: Record<keyof typeof policyEn, string> = {
  'policy.title': 'Einlass-Einstellungen',
  'policy.intro':
    'Diese Einstellungen legen fest, wer direkt teilnimmt und wer auf die Moderation wartet. Moderierende und Personen mit persönlicher Einladung brauchen den Zugangscode nie.',
  'policy.recommended': 'Empfohlen',
  'policy.save': 'Einstellungen speichern',

  'policy.guest.legend': 'Wer darf ohne Warten teilnehmen?',
  'policy.guest.hint': 'Gilt für alle, die mit dem Teilnahmelink kommen.',
  'policy.guest.always_deny': 'Nur eingeladene Personen',
  'policy.guest.always_deny.text':
    'Der Teilnahmelink funktioniert nicht. Nur Moderierende und Personen mit persönlicher Einladung können teilnehmen.',
  'policy.guest.ask_moderator': 'Die Moderation lässt alle ein',
  'policy.guest.ask_moderator.text':
    'Alle, die mit dem Teilnahmelink kommen, warten im Warteraum, bis die Moderation sie einlässt.',
  'policy.guest.accept_signed_in': 'Angemeldete direkt, Gäste warten',
  'policy.guest.accept_signed_in.text':
    'Wer mit einem Konto dieser Organisation angemeldet ist, nimmt direkt teil; alle anderen warten auf die Moderation.',
  'policy.guest.always_accept': 'Alle nehmen direkt teil',
  'policy.guest.always_accept.text':
    'Alle mit dem Teilnahmelink (und gegebenenfalls dem Zugangscode) nehmen ohne Warten teil. Für vertrauliche Besprechungen nicht geeignet.',

  'policy.passcode.legend': 'Zugangscode',
  'policy.passcode.hint':
    'Wer mit dem Teilnahmelink kommt, muss zusätzlich den Zugangscode eingeben. Senden Sie ihn getrennt vom Link.',
  'policy.passcode.keep': 'Aktuellen Zugangscode behalten',
  'policy.passcode.keepNone': 'Kein Zugangscode',
  'policy.passcode.generate': 'Zugangscode erzeugen',
  'policy.passcode.generateText':
    'Konvent erzeugt einen 8-stelligen Zugangscode und zeigt ihn Ihnen einmal an.',
  'policy.passcode.generateNew': 'Neuen Zugangscode erzeugen',
  'policy.passcode.replaceText': 'Der bisherige Zugangscode gilt sofort nicht mehr.',
  'policy.passcode.own': 'Eigenen Zugangscode festlegen',
  'policy.passcode.ownNew': 'Neuen eigenen Zugangscode festlegen',
  'policy.passcode.none': 'Kein Zugangscode',
  'policy.passcode.noneText': 'Der Teilnahmelink allein genügt, um um Teilnahme zu bitten.',
  'policy.passcode.remove': 'Zugangscode entfernen',
  'policy.passcode.ownLabel': 'Ihr Zugangscode',
  'policy.passcode.ownHint':
    '6 bis 64 Zeichen. Geben Sie ihn nur an die Personen weiter, die Sie einladen.',
  'policy.passcode.ownInvalid': 'Ein Zugangscode hat 6 bis 64 Zeichen.',

  'policy.lock.legend': 'Sperre nach Beginn',
  'policy.lock.hint':
    'In einer gesperrten Besprechung warten alle Neuen, die nicht moderieren, im Warteraum. Die Moderation kann sie unter „Sperren“ wieder aufheben.',
  'policy.lock.enabled': 'Besprechung nach Beginn automatisch sperren',
  'policy.lock.minutes': 'Minuten, nachdem die erste moderierende Person beigetreten ist',
  'policy.lock.minutesUnit': 'Minuten',
  'policy.lock.minutesInvalid': 'Bitte geben Sie eine Minutenzahl von 1 bis 1440 ein.',

  'policy.summary.passcode': 'Zugangscode erforderlich',
  'policy.summary.noPasscode': 'Kein Zugangscode',
  'policy.summary.lock': 'Sperrt sich {minutes} Minuten nach Beginn',
  'policy.summary.noLock': 'Sperrt sich nicht von selbst',

  'policy.relax.title': 'Schutz dieser Besprechung lockern?',
  'policy.relax.guestPolicy': 'Der Zutritt wird leichter: „{to}“ statt „{from}“.',
  'policy.relax.passcode': 'Der Zugangscode wird entfernt: Der Teilnahmelink allein wird genügen.',
  'policy.relax.lockOff': 'Die Besprechung sperrt sich nach Beginn nicht mehr von selbst.',
  'policy.relax.lockLater':
    'Die Besprechung sperrt sich später: nach {to} statt nach {from} Minuten.',
  'policy.relax.sure': 'Tun Sie das nur, wenn alle, die den Link haben, teilnehmen dürfen.',
  'policy.relax.confirm': 'Schutz lockern',
  'policy.relax.cancel': 'Streng lassen',

  'policy.passcodeTitle': 'Neuer Zugangscode',
  'policy.passcodeText':
    'Die Einstellungen sind gespeichert. Dieser Zugangscode wird nur jetzt angezeigt: Kopieren Sie ihn und geben Sie ihn getrennt vom Link an die eingeladenen Personen weiter.',
  'policy.passcodeLabel': 'Zugangscode',
  'policy.passcodeHint': 'Wird zusammen mit dem Teilnahmelink benötigt.',
  'policy.copyPasscode': 'Zugangscode kopieren',
};
