import type { ReportAnswer, ReportReason } from '@konvent/protocol';
import type { MessageKey } from '../../i18n/en.ts';

/** The reasons in the order the report dialog offers them. */
export const REPORT_REASONS: readonly ReportReason[] = [
  'harassment',
  'spam',
  'inappropriate',
  'impersonation',
  'other',
];

/** How each reason reads. */
export const REASON_LABELS: Record<ReportReason, MessageKey> = {
  harassment: 'reports.reason.harassment',
  spam: 'reports.reason.spam',
  inappropriate: 'reports.reason.inappropriate',
  impersonation: 'reports.reason.impersonation',
  other: 'reports.reason.other',
};

/** Longest text a report may carry (the protocol's limit). */
export const REPORT_TEXT_MAX = 500;

/** What a moderator's answer did, for the announcement after it. */
export const ANSWER_DONE: Record<ReportAnswer, MessageKey> = {
  dismiss: 'reports.done.dismiss',
  mute: 'reports.done.mute',
  remove: 'reports.done.remove',
  ban: 'reports.done.ban',
};
