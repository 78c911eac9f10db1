/**
 * English strings of reports about participants (the report dialog, the moderators' open
 * reports and the notices). `en.ts` spreads them in, and `reports.de.ts` must provide
 * exactly the same keys.
 */
export const reportsEn = {
  'reports.action': 'Report…',
  'reports.actionLabel': 'Report {name}…',
  'reports.reason.harassment': 'Harassment or threats',
  'reports.reason.spam': 'Spam or disruption',
  'reports.reason.inappropriate': 'Inappropriate content',
  'reports.reason.impersonation': 'Pretending to be someone else',
  'reports.reason.other': 'Something else',

  'reports.dialog.title': 'Report {name}',
  'reports.dialog.text':
    'Your report goes to the moderators of this meeting, with your name. {name} is not told.',
  'reports.dialog.reason': 'Reason',
  'reports.dialog.choose': 'Please choose…',
  'reports.dialog.reasonMissing': 'Please choose a reason.',
  'reports.dialog.details': 'What happened? (optional)',
  'reports.dialog.detailsHint': 'A few words help the moderators to act.',
  'reports.dialog.left': '{count} characters left',
  'reports.dialog.send': 'Send report',
  'reports.sent': 'Your report about {name} has been sent to the moderators.',
  'reports.answered': 'A moderator has dealt with your report. Thank you.',

  'reports.heading': 'Open reports ({count})',
  'reports.about': '{target}, reported by {reporter}',
  'reports.dismiss': 'Dismiss',
  'reports.dismissLabel': 'Dismiss the report about {name}',
  'reports.muteLabel': 'Mute {name}',
  'reports.removeLabel': 'Remove {name}',
  'reports.banLabel': 'Remove and ban {name}',
  'reports.done.dismiss': 'The report about {name} has been dismissed.',
  'reports.done.mute': '{name} has been muted.',
  'reports.done.remove': '{name} has been removed from the meeting.',
  'reports.done.ban': '{name} has been removed and banned.',
  'reports.notice': 'New report about {name}: {reason}.',
  'reports.notice.open': 'Show reports',
} as const satisfies Record<string, string>;
