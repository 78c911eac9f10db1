import type { prejoinEn } from './prejoin.en.ts';

/**
 * German strings of the pre-join page; typed against the English ones.
 */
export const prejoinDe: Record<keyof typeof prejoinEn, string> = {
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
  'prejoin.invited': 'Sie haben eine persönliche Einladung.',
  'prejoin.passcode': 'Zugangscode',
  'prejoin.passcodeHint':
    'Sie haben ihn von der einladenden Person erhalten, meist getrennt vom Link.',
  'prejoin.passcodeMissing': 'Bitte geben Sie den Zugangscode ein.',
  'prejoin.passcodeWrong':
    'Der Zugangscode ist falsch. Bitte prüfen Sie ihn und versuchen Sie es erneut.',
  'prejoin.pin': 'PIN',
  'prejoin.pinHint': 'Die PIN, die zu Ihrer persönlichen Einladung gehört.',
  'prejoin.pinMissing': 'Bitte geben Sie die PIN Ihrer Einladung ein.',
  'prejoin.pinWrong': 'Die PIN ist falsch. Bitte prüfen Sie sie und versuchen Sie es erneut.',
  'prejoin.secretShort': 'Das ist zu kurz: Es sind mindestens 6 Zeichen.',
  'prejoin.tooManyAttempts':
    'Zu viele falsche Versuche. Bitte warten Sie einige Minuten, bevor Sie es erneut versuchen.',
  'prejoin.forbidden':
    'Sie können dieser Besprechung nicht beitreten: Sie lässt nur eingeladene Personen zu, oder die Moderation hat diesen Browser gesperrt.',
  'prejoin.signInAgain':
    'Ihre Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an, um als Moderator/in beizutreten.',
  'prejoin.lobbyNotice':
    'Die Moderation lässt Sie ein: Nach „Besprechung beitreten“ warten Sie bis dahin im Warteraum. Während Sie warten, kann Sie niemand sehen oder hören.',
  'prejoin.signIn.eyebrow': 'Moderationslink',
  'prejoin.signIn.heading': 'Zum Moderieren anmelden',
  'prejoin.signIn.text':
    'Dieser Link verleiht Moderationsrechte und funktioniert daher nur mit einem Konto dieser Organisation: Melden Sie sich an, danach kommen Sie hierher zurück. Sie moderieren nicht? Bitten Sie die einladende Person um den Teilnahmelink.',
};
