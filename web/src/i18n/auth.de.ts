import type { authEn } from './auth.en.ts';

/**
 * German strings of sign-in, second factors, passwords and one-time links; typed against the
 * English ones.
 */
export const authDe: Record<keyof typeof authEn, string> = {
  'login.pageTitle': 'Anmelden',
  'login.heading': 'Anmelden',
  'login.lead': 'Melden Sie sich an, um Besprechungen zu erstellen und Ihr Konto zu verwalten.',
  'login.username': 'Benutzername',
  'login.usernameHint': 'Meist Ihre E-Mail-Adresse.',
  'login.usernameMissing': 'Bitte geben Sie Ihren Benutzernamen ein.',
  'login.password': 'Passwort',
  'login.passwordMissing': 'Bitte geben Sie Ihr Passwort ein.',
  'login.submit': 'Anmelden',
  'login.busy': 'Anmeldung läuft …',
  'login.or': 'oder',
  'login.withProvider': 'Anmelden mit {provider}',
  'login.signedOut': 'Sie haben sich abgemeldet.',
  'login.sessionEnded': 'Ihre Sitzung ist beendet. Bitte melden Sie sich erneut an.',
  'login.forgotten':
    'Passwort vergessen? Eine Administratorin oder ein Administrator kann Ihnen einen Link zum Zurücksetzen senden.',

  'mfa.heading': 'Bestätigen Sie, dass Sie es sind',
  'mfa.lead': 'Ihr Konto ist durch einen zweiten Faktor geschützt.',
  'mfa.totpCode': 'Code aus Ihrer Authenticator-App',
  'mfa.totpHint': 'Die sechs Ziffern, die die App gerade anzeigt.',
  'mfa.totpInvalid': 'Bitte geben Sie die sechs Ziffern ein, die die App anzeigt.',
  'mfa.recoveryCode': 'Wiederherstellungscode',
  'mfa.recoveryHint':
    'Einer der gespeicherten Codes, etwa ABCDE-12345. Jeder Code funktioniert einmal.',
  'mfa.recoveryInvalid':
    'Ein Wiederherstellungscode hat zehn Buchstaben und Ziffern, etwa ABCDE-12345.',
  'mfa.verify': 'Bestätigen',
  'mfa.usePasskey': 'Passkey verwenden',
  'mfa.useRecovery': 'Wiederherstellungscode verwenden',
  'mfa.useTotp': 'Authenticator-App verwenden',
  'mfa.cancel': 'Anmeldung abbrechen',
  'mfa.busy': 'Wird geprüft …',
  'mfa.passkeyFailed':
    'Der Passkey konnte nicht verwendet werden. Versuchen Sie es erneut oder wählen Sie einen anderen Weg.',

  'enrol.heading': 'Zweiten Faktor einrichten',
  'enrol.lead':
    'Ihre Rolle erfordert einen zweiten Faktor. Wählen Sie, wie Sie Ihre Anmeldungen künftig bestätigen.',
  'enrol.totp.title': 'Authenticator-App',
  'enrol.totp.text':
    'Eine App auf Ihrem Telefon zeigt alle 30 Sekunden einen neuen sechsstelligen Code.',
  'enrol.passkey.title': 'Passkey oder Sicherheitsschlüssel',
  'enrol.passkey.text':
    'Die Bildschirmsperre Ihres Geräts, Fingerabdruck, Gesicht oder ein Sicherheitsschlüssel.',
  'enrol.chooseTotp': 'Authenticator-App einrichten',
  'enrol.choosePasskey': 'Passkey einrichten',
  'enrol.cancel': 'Abmelden und später fortfahren',

  'totp.starting': 'Wird vorbereitet …',
  'totp.step.install':
    'Öffnen Sie eine Authenticator-App auf Ihrem Telefon (zum Beispiel FreeOTP oder Aegis).',
  'totp.step.scan':
    'Scannen Sie diesen QR-Code mit der App oder geben Sie den Einrichtungsschlüssel von Hand ein.',
  'totp.qr': 'QR-Code für Ihre Authenticator-App',
  'totp.secret': 'Einrichtungsschlüssel',
  'totp.secretHint': 'Zur Eingabe von Hand, falls Sie den Code nicht scannen können.',
  'totp.copySecret': 'Einrichtungsschlüssel kopieren',
  'totp.code': 'Code aus der App',
  'totp.codeHint':
    'Geben Sie zur Bestätigung den sechsstelligen Code ein, den die App jetzt zeigt.',
  'totp.confirm': 'Bestätigen',

  'passkey.name': 'Name des Passkeys',
  'passkey.nameHint': 'Damit Sie Ihre Schlüssel unterscheiden können, zum Beispiel „Dienstlaptop“.',
  'passkey.nameMissing': 'Bitte geben Sie einen Namen ein.',
  'passkey.defaultName': 'Mein Passkey',
  'passkey.add': 'Passkey hinzufügen',
  'passkey.busy': 'Folgen Sie den Anweisungen Ihres Browsers …',
  'passkey.failed': 'Der Passkey wurde nicht erstellt. Bitte versuchen Sie es erneut.',
  'passkey.unsupported': 'Dieser Browser unterstützt keine Passkeys.',

  'recovery.heading': 'Wiederherstellungscodes speichern',
  'recovery.text':
    'Falls Sie Ihr Telefon oder Ihren Schlüssel verlieren, können Sie sich mit jedem Code einmal anmelden. Die Codes werden nur jetzt angezeigt: Speichern Sie sie in einem Passwortmanager oder drucken Sie sie aus.',
  'recovery.list': 'Wiederherstellungscodes',
  'recovery.copy': 'Codes kopieren',
  'recovery.copyFailed': 'Kopieren fehlgeschlagen. Bitte schreiben Sie die Codes auf.',
  'recovery.download': 'Als Textdatei herunterladen',
  'recovery.saved': 'Ich habe sie gespeichert',
  'recovery.continue': 'Weiter',
  'recovery.hide': 'Fertig',

  'password.hint':
    'Mindestens {min} Zeichen. Mehrere Wörter sind leichter zu merken als Sonderzeichen.',
  'password.strength': 'Stärke: {label}',
  'password.score.0': 'sehr schwach',
  'password.score.1': 'schwach',
  'password.score.2': 'mittel',
  'password.score.3': 'gut',
  'password.score.4': 'stark',
  'password.ok': 'Dieses Passwort erfüllt die Passwortrichtlinie.',
  'password.problem.too_short': 'Verwenden Sie mindestens {min} Zeichen.',
  'password.problem.too_long': 'Verwenden Sie höchstens 256 Zeichen.',
  'password.problem.too_common': 'Dies ist eines der häufigsten Passwörter.',
  'password.problem.too_guessable': 'Zu leicht zu erraten: Fügen Sie Wörter oder Zeichen hinzu.',
  'password.problem.contains_username': 'Darf Ihren Benutzernamen nicht enthalten.',

  'link.pageTitle': 'Einmal-Link',
  'link.checking': 'Ihr Link wird geprüft …',
  'link.invalid':
    'Einmal-Links funktionieren einmal und nur für begrenzte Zeit. Bitte fordern Sie bei der Administration einen neuen an.',
  'link.setup.heading': 'Konvent einrichten',
  'link.setup.lead':
    'Legen Sie das erste Administrationskonto an. Anschließend richten Sie einen zweiten Faktor ein.',
  'link.setup.submit': 'Administrationskonto anlegen',
  'link.welcome.heading': 'Willkommen bei Konvent',
  'link.welcome.lead':
    'Sie wurden als {username} eingeladen. Wählen Sie ein Passwort, um Ihr Konto zu aktivieren.',
  'link.welcome.submit': 'Konto aktivieren',
  'link.reset.heading': 'Neues Passwort wählen',
  'link.reset.lead': 'Wählen Sie ein neues Passwort für {username}.',
  'link.reset.submit': 'Passwort festlegen',
  'link.displayName': 'Ihr Name',
  'link.displayNameHint': 'Wird anderen angezeigt, zum Beispiel in Besprechungen.',
  'link.displayNameOptional':
    'Optional: Leer lassen, um den von der Administration eingetragenen Namen zu behalten.',
  'link.displayNameMissing': 'Bitte geben Sie einen Namen ein.',
  'link.username': 'Benutzername',
  'link.usernameHint': 'Damit melden Sie sich an, meist Ihre E-Mail-Adresse.',
  'link.usernameMissing': 'Bitte geben Sie einen Benutzernamen mit mindestens 3 Zeichen ein.',
  'link.password': 'Neues Passwort',
  'link.passwordMissing': 'Bitte wählen Sie ein Passwort.',
  'link.repeat': 'Passwort wiederholen',
  'link.mismatch': 'Die Passwörter stimmen nicht überein.',
  'link.validUntil': 'Dieser Link ist gültig bis {time}.',
  'link.busy': 'Wird gespeichert …',

  'signInRequired.heading': 'Bitte melden Sie sich an',
  'signInRequired.text': 'Diese Seite ist für angemeldete Benutzer.',
};
