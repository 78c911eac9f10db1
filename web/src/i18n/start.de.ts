import type { startEn } from './start.en.ts';

/**
 * German strings of the start page (creating a meeting, the account card); typed against the
 * English ones.
 */
export const startDe: Record<keyof typeof startEn, string> = {
  'start.heading': 'Vertrauliche Videokonferenzen auf Ihrer eigenen Infrastruktur',
  'start.lead':
    'Konvent läuft vollständig auf den Servern Ihrer Behörde oder Schule. Gespräche werden verschlüsselt übertragen und keine Daten an Dritte weitergegeben.',
  'start.trust.selfHosted.title': 'Selbst betrieben',
  'start.trust.selfHosted.text':
    'Betrieb auf Ihren eigenen Servern, unter Ihrer Kontrolle und in Ihrem Rechenzentrum.',
  'start.trust.encrypted.title': 'Verschlüsselt',
  'start.trust.encrypted.text':
    'Alle Verbindungen nutzen TLS; Audio und Video sind mit DTLS-SRTP geschützt.',
  'start.trust.noThirdParties.title': 'Keine Dritten',
  'start.trust.noThirdParties.text':
    'Keine Tracker, keine externen Dienste, keine Datenübermittlung ins Ausland.',
  'start.create.heading': 'Besprechung erstellen',
  'start.create.titleLabel': 'Titel der Besprechung',
  'start.create.titleHint': 'Optional. Alle Teilnehmenden sehen den Titel.',
  'start.create.submit': 'Besprechung erstellen',
  'start.create.busy': 'Besprechung wird erstellt …',
  'start.result.heading': 'Ihre Besprechung ist bereit',
  'start.result.intro':
    'Es wurden zwei Links erstellt. Wer einen Link besitzt, kann teilnehmen – geben Sie sie daher sorgfältig weiter.',
  'start.result.moderatorLink': 'Moderationslink',
  'start.result.moderatorHint':
    'Behalten Sie diesen Link für sich: Er verleiht Moderationsrechte und funktioniert nur mit angemeldeten Konten dieser Organisation.',
  'start.result.participantLink': 'Teilnahmelink',
  'start.result.participantHint':
    'Senden Sie diesen Link an die Personen, die Sie einladen möchten.',
  'start.result.copyModerator': 'Moderationslink kopieren',
  'start.result.copyParticipant': 'Teilnahmelink kopieren',
  'start.result.join': 'Als Moderator/in beitreten',
  'start.result.another': 'Weitere Besprechung erstellen',
  'start.result.introLobby':
    'Es wurden zwei Links erstellt. Wer mit dem Teilnahmelink kommt, wartet im Warteraum, bis die Moderation ihn einlässt.',
  'start.result.participantHintPasscode':
    'Senden Sie diesen Link an die Personen, die Sie einladen möchten. Sie brauchen zusätzlich den Zugangscode unten.',
  'start.result.passcode': 'Zugangscode',
  'start.result.passcodeHint':
    'Wird nur jetzt angezeigt. Senden Sie ihn getrennt vom Link, zum Beispiel telefonisch oder in einer zweiten Nachricht.',
  'start.result.copyPasscode': 'Zugangscode kopieren',
  'start.policy.heading': 'Einlass',
  'start.policy.change': 'Ändern',
  'start.policy.hide': 'Einstellungen ausblenden',
  'start.policy.defaults': 'Empfohlene, strenge Einstellungen.',
  'start.policy.changed': 'Sie haben die empfohlenen Einstellungen geändert.',
  'start.policy.relaxConfirm': 'Mit gelockertem Schutz erstellen',

  'start.signIn.heading': 'Anmelden, um eine Besprechung zu erstellen',
  'start.signIn.text':
    'Besprechungen werden von den Organisator/innen Ihrer Organisation erstellt.',
  'start.signIn.action': 'Anmelden',
  'start.pending.heading': 'Ihre Anmeldung ist nicht abgeschlossen',
  'start.pending.text': 'Bestätigen Sie Ihre Anmeldung mit Ihrem zweiten Faktor, um fortzufahren.',
  'start.pending.action': 'Anmeldung abschließen',
  'start.notOrganiser.heading': 'Besprechungen erstellen Organisator/innen',
  'start.notOrganiser.text':
    'Ihr Konto kann keine Besprechungen erstellen. Bitten Sie eine Administratorin oder einen Administrator um die Rolle Organisator/in.',
  'start.guestNote':
    'Sie haben einen Besprechungslink? Öffnen Sie ihn einfach: Zum Teilnehmen brauchen Sie kein Konto.',
};
