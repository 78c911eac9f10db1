import type { ParticipantReport, ReportAnswer, ReportReason } from '@konvent/protocol';
import { AppError } from '../errors/AppError.ts';
import type { Fanout } from './Fanout.ts';
import type { Meeting } from './Meeting.ts';
import type { AuditTrail, Clock, ReportRecord, ReportRepository } from './ports.ts';
import { newId } from './secrets.ts';

/** Most reports one participant can file in one meeting (a flood is not a report). */
export const MAX_REPORTS_PER_PARTICIPANT = 20;

/** What the desk needs. */
export interface ReportDeskDeps {
  reports: ReportRepository;
  fanout: Fanout;
  audit: AuditTrail;
  clock: Clock;
  load: (meetingId: string) => Promise<Meeting>;
  /** Removes (and bans) someone as a moderator's removal does, invitation included. */
  remove: (actorId: string, meetingId: string, targetId: string, ban: boolean) => Promise<void>;
}

/**
 * Participants' reports about one another (R7): anyone in a meeting reports someone else
 * to its moderators, who dismiss the report or mute, remove or ban the person at once. The
 * report is stored (text sealed) until answered, so moderators who arrive later see it;
 * the reporter learns that it was handled, not how.
 */
export class ReportDesk {
  readonly #deps: ReportDeskDeps;

  constructor(deps: ReportDeskDeps) {
    this.#deps = deps;
  }

  /** Files a report; returns its id. */
  async report(
    reporterId: string,
    meetingId: string,
    targetId: string,
    reason: ReportReason,
    text: string | undefined,
  ): Promise<string> {
    const meeting = await this.#deps.load(meetingId);
    await meeting.requireRight(reporterId, 'meeting.report', 'meeting.reported', targetId);
    if (targetId === reporterId || meeting.view(targetId) === undefined)
      throw new AppError('bad_request', 'The reported participant is not in the meeting.');
    if ((await this.#deps.reports.countByReporter(reporterId)) >= MAX_REPORTS_PER_PARTICIPANT)
      throw new AppError('rate_limited', 'You have filed the most reports one person can.');
    const trimmed = text?.trim();
    const record: ReportRecord = {
      id: newId(),
      meetingId,
      reporterId,
      targetId,
      reason,
      reportedAt: this.#deps.clock.now(),
      ...(trimmed === undefined || trimmed === '' ? {} : { text: trimmed }),
    };
    await this.#deps.reports.add(record);
    await this.#deps.audit.record({
      action: 'meeting.reported',
      actor: { kind: 'participant', id: reporterId },
      meetingId,
      target: targetId,
      outcome: 'success',
      details: { reason, report: record.id },
    });
    const moderators = meeting.moderatorIds().filter((id) => id !== targetId);
    if (moderators.length > 0)
      await this.#deps.fanout.notify(meetingId, moderators, 'moderation.reported', {
        report: toWire(record),
      });
    return record.id;
  }

  /**
   * A moderator answers an open report: it is closed first (so two moderators cannot both
   * act on it), then the reported person is muted, removed or banned as chosen. A person
   * who has left meanwhile is simply gone; the report still closes.
   */
  async answer(
    actorId: string,
    meetingId: string,
    reportId: string,
    answer: ReportAnswer,
  ): Promise<void> {
    const meeting = await this.#deps.load(meetingId);
    await meeting.requireRight(
      actorId,
      'moderation.answerReport',
      'moderation.report_answered',
      reportId,
    );
    const report = await this.#deps.reports.answer(
      meetingId,
      reportId,
      answer,
      actorId,
      this.#deps.clock.now(),
    );
    if (report === undefined) throw new AppError('not_found', 'There is no such open report.');
    await this.#deps.audit.record({
      action: 'moderation.report_answered',
      actor: { kind: 'participant', id: actorId },
      meetingId,
      target: report.targetId,
      outcome: 'success',
      details: { answer, report: reportId },
    });
    if (answer !== 'dismiss' && meeting.view(report.targetId) !== undefined) {
      if (answer === 'mute') await meeting.mute(actorId, report.targetId);
      else await this.#deps.remove(actorId, meetingId, report.targetId, answer === 'ban');
    }
    await this.#deps.fanout.notify(meetingId, meeting.moderatorIds(), 'moderation.reportClosed', {
      reportId,
    });
    await this.#deps.fanout.notify(meetingId, [report.reporterId], 'moderation.reportAnswered', {
      reportId,
    });
  }

  /** Open reports of a meeting, oldest first (for a moderator's welcome). */
  async open(meetingId: string): Promise<ParticipantReport[]> {
    return (await this.#deps.reports.listOpen(meetingId)).map(toWire);
  }
}

function toWire(record: ReportRecord): ParticipantReport {
  return {
    id: record.id,
    reporterId: record.reporterId,
    targetId: record.targetId,
    reason: record.reason,
    reportedAt: record.reportedAt.toISOString(),
    ...(record.text === undefined ? {} : { text: record.text }),
  };
}
