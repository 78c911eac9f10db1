import type { ReportAnswer } from '@konvent/protocol';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { ReportRecord, ReportRepository } from '../meetings/ports.ts';
import type { Vault } from '../vault/Vault.ts';
import { toReportReason, translate } from './rowValues.ts';
import type { ParticipantReportsTable, Tables } from './Tables.ts';

/**
 * The text's vault context binds it to its meeting and report and to who reported whom:
 * whoever can write to the database cannot re-attribute a report (or move its text onto
 * another one) without the text failing to open.
 */
const textContext = (meetingId: string, reportId: string, reporterId: string, targetId: string) =>
  `report:${meetingId}:${reportId}:${reporterId}:${targetId}:text`;

/**
 * `ReportRepository` on SQL (PGlite or PostgreSQL through Kysely). The free text of a report
 * is sealed with the vault; reason, ids and times stay in the clear for the queries.
 * Answering is a single conditional update, so two moderators answering the same report at
 * once cannot both act on it.
 */
export class SqlReportRepository implements ReportRepository {
  readonly #db: Kysely<Tables>;
  readonly #vault: Vault;

  constructor(db: Kysely<Tables>, vault: Vault) {
    this.#db = db;
    this.#vault = vault;
  }

  /**
   * Stores an open report; a reporter, target or meeting that does not exist is
   * `not_found`, a duplicate id a `conflict`.
   */
  async add(report: ReportRecord): Promise<void> {
    const textSealed =
      report.text === undefined
        ? null
        : await this.#vault.seal(
            report.text,
            textContext(report.meetingId, report.id, report.reporterId, report.targetId),
          );
    await this.#db
      .insertInto('participant_reports')
      .values({
        id: report.id,
        meeting_id: report.meetingId,
        reporter_id: report.reporterId,
        target_id: report.targetId,
        reason: report.reason,
        text_sealed: textSealed,
        reported_at: report.reportedAt,
      })
      .execute()
      .catch(translate);
  }

  /** Reports of the meeting nobody has answered yet, oldest first. */
  async listOpen(meetingId: string): Promise<ReportRecord[]> {
    const rows = await this.#db
      .selectFrom('participant_reports')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .where('answered_at', 'is', null)
      .orderBy('reported_at')
      .orderBy('id')
      .execute();
    return Promise.all(rows.map((row) => this.#report(row)));
  }

  /** How many reports this participant has filed, answered or not. */
  async countByReporter(reporterId: string): Promise<number> {
    const row = await this.#db
      .selectFrom('participant_reports')
      // count(*) is a bigint: a string from node-postgres, a number from PGlite.
      .select(sql<string | number>`count(*)`.as('count'))
      .where('reporter_id', '=', reporterId)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /**
   * Closes an open report of this meeting with an answer; resolves to the report, or to
   * undefined (changing nothing) if this meeting has no such report or it was answered.
   */
  async answer(
    meetingId: string,
    reportId: string,
    answer: ReportAnswer,
    by: string,
    at: Date,
  ): Promise<ReportRecord | undefined> {
    const row = await this.#db
      .updateTable('participant_reports')
      .set({ answered_at: at, answer, answered_by: by })
      .where('id', '=', reportId)
      .where('meeting_id', '=', meetingId)
      .where('answered_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? undefined : this.#report(row);
  }

  async #report(row: Selectable<ParticipantReportsTable>): Promise<ReportRecord> {
    const record: ReportRecord = {
      id: row.id,
      meetingId: row.meeting_id,
      reporterId: row.reporter_id,
      targetId: row.target_id,
      reason: toReportReason(row.reason),
      reportedAt: row.reported_at,
    };
    if (row.text_sealed !== null) {
      record.text = await this.#vault.openText(
        row.text_sealed,
        textContext(row.meeting_id, row.id, row.reporter_id, row.target_id),
      );
    }
    return record;
  }
}
