import type { Messages } from './en.ts';

/** German UI strings; typed against the English catalogue so no key can be missing. */
export const de: Messages = {
  'app.name': 'Konvent',
  'app.tagline': 'Souveräne Videokonferenzen',
  'app.skipToContent': 'Zum Inhalt springen',
  'app.footer': 'Konvent · selbst betriebene Videokonferenzen · keine Dritten',
  'app.loading': 'Wird geladen …',

  'lang.label': 'Sprache',
  'lang.de': 'Deutsch',
  'lang.en': 'English',

  'common.copy': 'Kopieren',
  'common.copied': 'In die Zwischenablage kopiert',
  'common.copyFailed': 'Kopieren fehlgeschlagen. Markieren Sie den Text und drücken Sie Strg+C.',
  'common.home': 'Zur Startseite',
  'common.close': 'Schließen',

  'role.moderator': 'Moderator/in',
  'role.participant': 'Teilnehmer/in',

  'error.network':
    'Der Server ist nicht erreichbar. Bitte prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
  'error.invalidLink': 'Dieser Link ist ungültig oder abgelaufen',
  'error.invalidLinkHint':
    'Bitte prüfen Sie den Link oder bitten Sie die einladende Person um einen neuen.',
  'error.rateLimited':
    'Zu viele Versuche. Bitte warten Sie einen Moment und versuchen Sie es erneut.',
  'error.badRequest': 'Bitte prüfen Sie Ihre Eingaben.',
  'error.unavailable':
    'Der Dienst ist vorübergehend nicht verfügbar. Bitte versuchen Sie es gleich noch einmal.',
  'error.generic': 'Etwas ist schiefgegangen. Bitte versuchen Sie es erneut.',

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
  'start.result.moderatorHint': 'Behalten Sie diesen Link für sich: Er verleiht Moderationsrechte.',
  'start.result.participantLink': 'Teilnahmelink',
  'start.result.participantHint':
    'Senden Sie diesen Link an die Personen, die Sie einladen möchten.',
  'start.result.copyModerator': 'Moderationslink kopieren',
  'start.result.copyParticipant': 'Teilnahmelink kopieren',
  'start.result.join': 'Als Moderator/in beitreten',
  'start.result.another': 'Weitere Besprechung erstellen',

  'prejoin.checking': 'Ihr Link wird geprüft …',
  'prejoin.heading': 'Bereit zum Beitreten?',
  'prejoin.untitled': 'Besprechung ohne Titel',
  'prejoin.roleLine': 'Sie treten bei als {role}.',
  'prejoin.nameLabel': 'Ihr Name',
  'prejoin.nameHint': 'Wird den anderen Teilnehmenden angezeigt.',
  'prejoin.nameRequired': 'Bitte geben Sie Ihren Namen ein.',
  'prejoin.preview': 'Kameravorschau',
  'prejoin.cameraOff': 'Ihre Kamera ist aus',
  'prejoin.cameraStarting': 'Kamera wird gestartet …',
  'prejoin.micLevel': 'Mikrofonpegel',
  'prejoin.deviceCheck': 'Kamera und Mikrofon prüfen',
  'prejoin.permissionDenied':
    'Der Zugriff auf Kamera oder Mikrofon wurde blockiert. Sie können trotzdem beitreten und den Zugriff später in den Browsereinstellungen erlauben.',
  'prejoin.cameraUnavailable': 'Es konnte keine Kamera gestartet werden.',
  'prejoin.micUnavailable': 'Es konnte kein Mikrofon gestartet werden.',
  'prejoin.privacy.heading': 'Datenschutzhinweis',
  'prejoin.privacy.text':
    'Für diese Besprechung verarbeitet werden: Ihr Name, Ihr Ton und Bild, solange eingeschaltet, sowie Chatnachrichten. Die Verarbeitung erfolgt ausschließlich auf den Servern dieser Organisation und verschlüsselt. Nichts wird an Dritte weitergegeben, und die Besprechung wird nicht aufgezeichnet.',
  'prejoin.join': 'Besprechung beitreten',
  'prejoin.joining': 'Beitritt läuft …',

  'media.muteMic': 'Mikrofon stummschalten',
  'media.unmuteMic': 'Mikrofon einschalten',
  'media.cameraOff': 'Kamera ausschalten',
  'media.cameraOn': 'Kamera einschalten',
  'media.micIsOn': 'Mikrofon an',
  'media.micIsOff': 'Mikrofon aus',
  'media.camIsOn': 'Kamera an',
  'media.camIsOff': 'Kamera aus',
  'media.micError': 'Das Mikrofon konnte nicht gestartet werden.',
  'media.cameraError': 'Die Kamera konnte nicht gestartet werden.',

  'toolbar.muteMic': 'Stummschalten',
  'toolbar.unmuteMic': 'Mikrofon einschalten',
  'toolbar.cameraOff': 'Kamera ausschalten',
  'toolbar.cameraOn': 'Kamera einschalten',
  'toolbar.endForAll': 'Für alle beenden',
  'toolbar.leave': 'Verlassen',

  'meeting.connecting': 'Verbindung zur Besprechung wird hergestellt …',
  'meeting.videoGrid': 'Videoraster',
  'meeting.you': '{name} (Sie)',
  'meeting.controls': 'Steuerung der Besprechung',
  'meeting.participants': 'Teilnehmende',
  'meeting.chat': 'Chat',
  'meeting.leave': 'Besprechung verlassen',
  'meeting.endForAll': 'Besprechung für alle beenden',
  'meeting.end.title': 'Besprechung für alle beenden?',
  'meeting.end.text':
    'Alle Teilnehmenden werden getrennt, und die Links der Besprechung funktionieren nicht mehr.',
  'meeting.end.confirm': 'Besprechung beenden',
  'meeting.end.cancel': 'Abbrechen',
  'meeting.closePanel': 'Seitenleiste schließen',
  'meeting.count': '{count} in der Besprechung',
  'meeting.secure': 'Verschlüsselte Verbindung',
  'meeting.joined': '{name} ist der Besprechung beigetreten',
  'meeting.leftMeeting': '{name} hat die Besprechung verlassen',
  'meeting.alone': 'Sie sind noch allein hier. Teilen Sie den Teilnahmelink, um andere einzuladen.',

  'presence.online': 'Online',
  'presence.reconnecting': 'Verbindet neu',

  'chat.log': 'Chatnachrichten',
  'chat.recipient': 'Empfänger',
  'chat.everyone': 'Alle',
  'chat.message': 'Nachricht',
  'chat.send': 'Senden',
  'chat.private': 'Privat',
  'chat.privateTo': 'Private Nachricht an {name}',
  'chat.privateFrom': 'Private Nachricht an Sie',
  'chat.empty': 'Noch keine Nachrichten.',
  'chat.unread': '{count} ungelesen',
  'chat.newMessage': 'Neue Chatnachricht von {name}',
  'chat.sendFailed': 'Die Nachricht konnte nicht gesendet werden.',
  'chat.hint': 'Eingabetaste sendet, Umschalt+Eingabe fügt einen Zeilenumbruch ein.',
  'chat.unknownPerson': 'eine Person, die gegangen ist',

  'connection.lost': 'Verbindung unterbrochen. Neuer Versuch ({attempt} von {max}) …',
  'connection.failed': 'Die Verbindung zur Besprechung konnte nicht wiederhergestellt werden.',
  'connection.retry': 'Erneut versuchen',
  'connection.restored': 'Verbindung wiederhergestellt.',

  'sound.blocked': 'Ihr Browser hat die Tonwiedergabe blockiert.',
  'sound.enable': 'Ton aktivieren',

  'left.heading': 'Sie haben die Besprechung verlassen',
  'left.text': 'Ihre Kamera und Ihr Mikrofon sind ausgeschaltet.',
  'left.expired': 'Ihre Sitzung ist abgelaufen. Treten Sie erneut bei, um fortzufahren.',
  'left.rejoin': 'Erneut beitreten',
  'ended.heading': 'Die Besprechung wurde beendet',
  'ended.text':
    'Eine Moderatorin oder ein Moderator hat die Besprechung für alle beendet. Vielen Dank für Ihre Teilnahme.',
  'ended.replaced': 'Sie sind dieser Besprechung in einem anderen Fenster oder Gerät beigetreten.',

  'notFound.heading': 'Seite nicht gefunden',
  'notFound.text': 'Diese Adresse führt zu keiner Seite dieses Dienstes.',
};
