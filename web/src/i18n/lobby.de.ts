import type { lobbyEn } from './lobby.en.ts';

/** German strings of the lobby (waiting room); typed against the English ones. */
export const lobbyDe: Record<keyof typeof lobbyEn, string> = {
  'lobby.wait.pageTitle': 'Warten auf Einlass',
  'lobby.wait.admittedTitle': 'Eingelassen',
  'lobby.wait.eyebrow': 'Warteraum',
  'lobby.wait.as': 'Sie warten als {name}.',
  'lobby.wait.asked': 'Die Moderation wurde gebeten, Sie einzulassen.',
  'lobby.wait.keepOpen':
    'Bitte lassen Sie diese Seite geöffnet. Sie treten der Besprechung bei, sobald die Moderation Sie einlässt.',
  'lobby.wait.admitted': 'Die Moderation hat Sie eingelassen.',
  'lobby.wait.entering': 'Sie treten der Besprechung bei …',
  'lobby.wait.messageFrom': 'Nachricht der Moderation',
  'lobby.wait.devices':
    'Während Sie warten, kann Sie niemand sehen oder hören. Ihre Einstellungen für Kamera und Mikrofon gelten dann in der Besprechung.',
  'lobby.wait.leave': 'Warteraum verlassen',

  'lobby.left.heading': 'Sie haben den Warteraum verlassen',
  'lobby.left.again': 'Erneut um Einlass bitten',
  'lobby.denied.heading': 'Ihre Anfrage wurde abgelehnt',
  'lobby.denied.text':
    'Die Moderation hat Ihre Anfrage, an dieser Besprechung teilzunehmen, abgelehnt. Wenn Sie das für einen Irrtum halten, wenden Sie sich bitte an die Person, die Sie eingeladen hat.',

  'lobby.panel.title': 'Warteraum',
  'lobby.panel.button': 'Warteraum',
  'lobby.panel.waiting': '{count} warten',

  'lobby.arrival.link': 'Teilnahmelink',
  'lobby.arrival.account': 'Angemeldet',
  'lobby.arrival.invitation': 'Persönliche Einladung',

  'lobby.queue.heading': 'Warten auf Einlass ({count})',
  'lobby.queue.empty': 'Niemand wartet.',
  'lobby.queue.justNow': 'wartet seit weniger als einer Minute',
  'lobby.queue.minutes': 'wartet seit {minutes} Min.',
  'lobby.queue.admit': 'Einlassen',
  'lobby.queue.deny': 'Ablehnen',
  'lobby.queue.admitName': '{name} einlassen',
  'lobby.queue.denyName': '{name} ablehnen',
  'lobby.queue.admitAll': 'Alle einlassen',
  'lobby.queue.denyAll': 'Alle ablehnen',
  'lobby.queue.denyAllTitle': 'Alle {count} Wartenden ablehnen?',
  'lobby.queue.denyAllText':
    'Ihnen wird mitgeteilt, dass ihre Anfrage abgelehnt wurde; mit diesem Versuch können sie nicht teilnehmen.',
  'lobby.queue.admitted': '{name} wurde eingelassen.',
  'lobby.queue.denied': '{name} wurde abgelehnt.',
  'lobby.queue.admittedAll': 'Alle Wartenden wurden eingelassen.',
  'lobby.queue.deniedAll': 'Alle Wartenden wurden abgelehnt.',

  'lobby.message.heading': 'Nachricht an Wartende',
  'lobby.message.none': 'Zurzeit wird keine Nachricht angezeigt.',
  'lobby.message.shown': 'Wird angezeigt:',
  'lobby.message.label': 'Neue Nachricht',
  'lobby.message.hint':
    'Alle Wartenden sehen sie sofort, zum Beispiel „Wir beginnen um 10:05 Uhr.“',
  'lobby.message.save': 'Nachricht anzeigen',
  'lobby.message.clear': 'Nachricht entfernen',
  'lobby.message.saved': 'Die Nachricht wird nun allen Wartenden angezeigt.',
  'lobby.message.cleared': 'Die Nachricht wurde entfernt.',

  'lobby.admission.heading': 'Einlass',
  'lobby.admission.change': 'Einlass-Einstellungen',
  'lobby.admission.invitations': 'Persönliche Einladungen',

  'lobby.notice.one': '{name} wartet auf Einlass.',
  'lobby.notice.many': '{count} Personen warten auf Einlass.',
  'lobby.notice.open': 'Warteraum zeigen',
  'lobby.notice.dismiss': 'Hinweis ausblenden',
};
