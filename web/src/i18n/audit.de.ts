import type { auditEn } from './audit.en.ts';

/**
 * German strings of the auditor page; typed against the English ones.
 */
export const auditDe: Record<keyof typeof auditEn, string> = {
  'audit.pageTitle': 'Prüfprotokoll',
  'audit.eyebrow': 'Zugang für Prüfende',
  'audit.heading': 'Prüfprotokoll',
  'audit.lead':
    'Das manipulationssichere Protokoll sicherheitsrelevanter Aktionen: wer wann was getan hat, mit pseudonymen Kennungen. Inhalte von Besprechungen werden hier nie angezeigt.',
  'audit.signingIn': 'Anmeldung läuft…',
  'audit.signIn.heading': 'Als prüfende Person anmelden',
  'audit.signIn.text':
    'Öffnen Sie den einmalig gültigen Link, den eine Administratorin oder ein Administrator für Sie erstellt hat. Jeder Link funktioniert nur einmal und nur für begrenzte Zeit.',
  'audit.signIn.admin': 'Administratoren erstellen einen Link auf dem Server mit:',
  'audit.invalidLink':
    'Dieser Prüf-Link ist ungültig, abgelaufen oder wurde bereits verwendet. Bitte fordern Sie einen neuen an.',
  'audit.sessionUntil': 'Angemeldet bis {time}',
  'audit.signOut': 'Abmelden',
  'audit.signedOut':
    'Sie haben sich abgemeldet. Der verwendete Link kann nicht erneut genutzt werden.',
  'audit.sessionEnded':
    'Ihre Sitzung ist beendet. Öffnen Sie einen neuen Prüf-Link, um fortzufahren.',
  'audit.filters.heading': 'Ereignisse filtern',
  'audit.filter.from': 'Von',
  'audit.filter.to': 'Bis',
  'audit.filter.actor': 'Akteur',
  'audit.filter.actorHint': 'Pseudonyme Kennung',
  'audit.filter.meeting': 'Besprechung',
  'audit.filter.meetingHint': 'Besprechungs-ID, 22 Zeichen',
  'audit.filter.action': 'Aktion',
  'audit.filter.outcome': 'Ergebnis',
  'audit.filter.any': 'Alle',
  'audit.filter.submit': 'Suchen',
  'audit.filter.reset': 'Filter zurücksetzen',
  'audit.outcome.success': 'Erfolg',
  'audit.outcome.failure': 'Fehlschlag',
  'audit.outcome.denied': 'Verweigert',
  'audit.results.heading': 'Ereignisse',
  'audit.results.caption': 'Protokollereignisse, neueste zuerst: {count} angezeigt',
  'audit.col.seq': 'Nr.',
  'audit.col.time': 'Zeit',
  'audit.col.actor': 'Akteur',
  'audit.col.action': 'Aktion',
  'audit.col.meeting': 'Besprechung',
  'audit.col.target': 'Ziel',
  'audit.col.outcome': 'Ergebnis',
  'audit.col.source': 'Herkunftsnetz',
  'audit.col.details': 'Details',
  'audit.erased': 'Nach Ablauf der Aufbewahrungsfrist gelöscht',
  'audit.empty': 'Keine Ereignisse entsprechen diesen Filtern.',
  'audit.loading': 'Ereignisse werden geladen…',
  'audit.loadMore': 'Weitere laden',
  'audit.verify.heading': 'Protokoll prüfen',
  'audit.verify.text':
    'Diese Liste wird aus der Datenbank gelesen. Um nachzuweisen, dass das Protokoll vollständig und unverändert ist, führen Sie die Prüfung auf dem Server aus, oder mit einem Export auf einem eigenen Rechner:',
};
