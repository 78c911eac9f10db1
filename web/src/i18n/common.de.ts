import type { commonEn } from './common.en.ts';

/**
 * German strings of the app frame, shared words, roles, generic errors, navigation and every
 * code of the server's error catalogue; typed against the English ones.
 */
export const commonDe: Record<keyof typeof commonEn, string> = {
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
  'role.presenter': 'Präsentator/in',
  'role.guest': 'Gast',

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

  'notFound.heading': 'Seite nicht gefunden',
  'notFound.text': 'Diese Adresse führt zu keiner Seite dieses Dienstes.',
  'common.cancel': 'Abbrechen',
  'common.back': 'Zurück',
  'common.done': 'Fertig',

  'apiError.bad_request': 'Bitte prüfen Sie Ihre Eingaben.',
  'apiError.unknown_method': 'Die Anfrage wird nicht unterstützt. Bitte laden Sie die Seite neu.',
  'apiError.range_not_satisfiable': 'Der angefragte Teil der Datei existiert nicht.',
  'apiError.upload_refused': 'Die Datei wurde von der Virenprüfung abgelehnt.',
  'apiError.payload_too_large': 'Die Anfrage ist zu groß.',
  'apiError.unauthenticated': 'Sie sind nicht angemeldet oder Ihre Sitzung ist beendet.',
  'apiError.invalid_credentials': 'Benutzername, Passwort oder Code ist falsch.',
  'apiError.forbidden': 'Ihre Rolle erlaubt dies nicht.',
  'apiError.mfa_required': 'Bitte bestätigen Sie Ihre Anmeldung zuerst mit einem zweiten Faktor.',
  'apiError.csrf_failed': 'Die Anfrage konnte nicht geprüft werden. Bitte laden Sie die Seite neu.',
  'apiError.password_rejected': 'Das Passwort erfüllt die Passwortrichtlinie nicht.',
  'apiError.not_found':
    'Nicht gefunden, oder der Link ist abgelaufen bzw. wurde bereits verwendet.',
  'apiError.meeting_ended': 'Die Besprechung ist beendet.',
  'apiError.conflict': 'Das ist im aktuellen Zustand nicht möglich.',
  'apiError.rate_limited':
    'Zu viele Versuche. Bitte warten Sie einen Moment und versuchen Sie es erneut.',
  'apiError.media_error': 'Der Medienserver hat die Anfrage abgelehnt.',
  'apiError.unavailable':
    'Der Dienst ist vorübergehend nicht verfügbar. Bitte versuchen Sie es gleich noch einmal.',
  'apiError.internal': 'Auf dem Server ist ein Fehler aufgetreten. Bitte versuchen Sie es erneut.',

  'nav.label': 'Ihr Konto',
  'nav.signedInAs': 'Angemeldet als',
  'nav.account': 'Konto',
  'nav.admin': 'Verwaltung',
  'nav.audit': 'Prüfprotokoll',
  'nav.signIn': 'Anmelden',
  'nav.signOut': 'Abmelden',

  'role.admin': 'Administrator/in',
  'role.admin.hint': 'Verwaltet Benutzer und Rollen',
  'role.auditor': 'Prüfer/in',
  'role.auditor.hint': 'Liest das Prüfprotokoll',
  'role.key_custodian': 'Schlüsselverwahrer/in',
  'role.key_custodian.hint': 'Verwahrt einen Teil des Wiederherstellungsschlüssels',
  'role.organiser': 'Organisator/in',
  'role.organiser.hint': 'Erstellt Besprechungen',
  'role.member': 'Mitglied',
  'role.member.hint': 'Meldet sich an; nimmt an Besprechungen teil',
};
