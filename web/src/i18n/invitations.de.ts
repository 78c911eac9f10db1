import type { invitationsEn } from './invitations.en.ts';

/** German strings of personal invitations; typed against the English ones. */
export const invitationsDe: Record<keyof typeof invitationsEn, string> = {
  'invitations.title': 'Persönliche Einladungen',
  'invitations.intro':
    'Eine persönliche Einladung ist ein Link für eine bestimmte Person: Sie kann eine Rolle mitbringen, läuft ab, kann auf eine Nutzung beschränkt sein und eine PIN verlangen. Eingeladene warten nie im Warteraum.',
  'invitations.new': 'Neue Einladung',
  'invitations.createTitle': 'Neue persönliche Einladung',
  'invitations.empty': 'Noch keine persönlichen Einladungen.',
  'invitations.listLabel': 'Einladungen, neueste zuerst',
  'invitations.status.active': 'Gültig',
  'invitations.status.usedUp': 'Aufgebraucht',
  'invitations.status.expired': 'Abgelaufen',
  'invitations.status.revoked': 'Zurückgezogen',
  'invitations.validUntil': 'Gültig bis {time}',
  'invitations.expired': 'Abgelaufen am {time}',
  'invitations.uses': '{uses} von {max} genutzt',
  'invitations.usesUnlimited': '{uses}-mal genutzt (unbegrenzt)',
  'invitations.withPin': 'Mit PIN',
  'invitations.withoutPin': 'Ohne PIN',
  'invitations.revoke': 'Widerrufen',
  'invitations.revokeLabel': 'Einladung für {label} widerrufen',
  'invitations.revokeTitle': 'Einladung für {label} widerrufen?',
  'invitations.revokeText':
    'Der Link funktioniert sofort nicht mehr. Wer damit bereits in der Besprechung ist, bleibt darin.',
  'invitations.revoked': 'Die Einladung für {label} wurde widerrufen.',

  'invitations.form.label': 'Für wen?',
  'invitations.form.labelHint':
    'Ein Name oder eine E-Mail-Adresse, damit Sie die Einladungen unterscheiden können. Nur Organisator/innen und Moderierende sehen das.',
  'invitations.form.labelMissing': 'Bitte geben Sie an, für wen die Einladung ist.',
  'invitations.form.role': 'Rolle in der Besprechung',
  'invitations.form.moderatorHint':
    'Moderierende können Personen einlassen und entfernen und diese Einstellungen ändern. Laden Sie so nur Personen ein, denen Sie das anvertrauen.',
  'invitations.form.validity': 'Gültig für',
  'invitations.validity.hour': '1 Stunde',
  'invitations.validity.day': '1 Tag',
  'invitations.validity.week': '7 Tage',
  'invitations.validity.month': '30 Tage',
  'invitations.validity.quarter': '90 Tage',
  'invitations.form.uses': 'Wie oft darf der Link genutzt werden?',
  'invitations.form.single': 'Einmal',
  'invitations.form.singleText': 'Nach der ersten Nutzung funktioniert der Link nicht mehr.',
  'invitations.form.several': 'Mehrmals',
  'invitations.form.maxUses': 'Höchstzahl der Nutzungen',
  'invitations.form.maxUsesInvalid': 'Bitte geben Sie eine Zahl von 2 bis 1000 ein.',
  'invitations.form.unlimited': 'Beliebig oft bis zum Ablauf',
  'invitations.form.unlimitedText': 'Alle, die den Link erhalten, können ihn bis dahin nutzen.',
  'invitations.form.pin': 'Zusätzlich eine PIN verlangen',
  'invitations.form.pinHint':
    'Konvent erzeugt eine PIN, die mit dem Link eingegeben werden muss. Senden Sie die PIN auf einem anderen Weg als den Link, zum Beispiel telefonisch.',
  'invitations.form.submit': 'Einladung erstellen',

  'invitations.result.heading': 'Einladung für {label}',
  'invitations.result.text':
    'Der Link funktioniert {uses}, bis {time}. Er wird nur jetzt angezeigt: Kopieren Sie ihn, bevor Sie dieses Fenster schließen.',
  'invitations.result.usesOnce': 'einmal',
  'invitations.result.usesMax': 'bis zu {max}-mal',
  'invitations.result.usesUnlimited': 'beliebig oft',
  'invitations.result.link': 'Einladungslink',
  'invitations.result.linkHint': 'Wer diesen Link hat, kann mit seiner Rolle teilnehmen.',
  'invitations.result.copyLink': 'Einladungslink kopieren',
  'invitations.result.pin': 'PIN',
  'invitations.result.pinHint': 'Senden Sie sie auf einem anderen Weg als den Link.',
  'invitations.result.copyPin': 'PIN kopieren',
  'invitations.result.another': 'Weitere erstellen',
};
