import type { reportsEn } from './reports.en.ts';

/** German strings of reports about participants; typed against the English ones. */
export const reportsDe: Record<keyof typeof reportsEn, string> = {
  'reports.action': 'Melden …',
  'reports.actionLabel': '{name} melden …',
  'reports.reason.harassment': 'Belästigung oder Drohung',
  'reports.reason.spam': 'Spam oder Störung',
  'reports.reason.inappropriate': 'Unangemessene Inhalte',
  'reports.reason.impersonation': 'Gibt sich als jemand anderes aus',
  'reports.reason.other': 'Etwas anderes',

  'reports.dialog.title': '{name} melden',
  'reports.dialog.text':
    'Ihre Meldung geht mit Ihrem Namen an die Moderation dieser Besprechung. {name} erfährt davon nichts.',
  'reports.dialog.reason': 'Grund',
  'reports.dialog.choose': 'Bitte wählen …',
  'reports.dialog.reasonMissing': 'Bitte wählen Sie einen Grund.',
  'reports.dialog.details': 'Was ist passiert? (optional)',
  'reports.dialog.detailsHint': 'Ein paar Worte helfen der Moderation beim Handeln.',
  'reports.dialog.left': 'Noch {count} Zeichen',
  'reports.dialog.send': 'Meldung senden',
  'reports.sent': 'Ihre Meldung zu {name} wurde an die Moderation gesendet.',
  'reports.answered': 'Die Moderation hat sich um Ihre Meldung gekümmert. Danke.',

  'reports.heading': 'Offene Meldungen ({count})',
  'reports.about': '{target}, gemeldet von {reporter}',
  'reports.dismiss': 'Verwerfen',
  'reports.dismissLabel': 'Meldung zu {name} verwerfen',
  'reports.muteLabel': '{name} stummschalten',
  'reports.removeLabel': '{name} entfernen',
  'reports.banLabel': '{name} entfernen und sperren',
  'reports.done.dismiss': 'Die Meldung zu {name} wurde verworfen.',
  'reports.done.mute': '{name} wurde stummgeschaltet.',
  'reports.done.remove': '{name} wurde aus der Besprechung entfernt.',
  'reports.done.ban': '{name} wurde entfernt und gesperrt.',
  'reports.notice': 'Neue Meldung zu {name}: {reason}.',
  'reports.notice.open': 'Meldungen zeigen',
};
