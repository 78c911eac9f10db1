import type { AuditLog } from '../audit/AuditLog.ts';
import type { AuditTrail, MeetingAuditEvent } from '../meetings/ports.ts';

/**
 * The meetings domain's audit port, backed by the audit log: `record` resolves once the
 * event is committed, so the domain acknowledges nothing that is not durably audited. The
 * domain's event maps one to one onto the log's input; the log truncates the source (P1).
 */
export class AuditLogTrail implements AuditTrail {
  readonly #log: AuditLog;

  constructor(log: AuditLog) {
    this.#log = log;
  }

  /** Records one domain event in the audit log. */
  async record(event: MeetingAuditEvent): Promise<void> {
    await this.#log.record({
      action: event.action,
      actor: event.actor,
      meetingId: event.meetingId,
      outcome: event.outcome,
      ...(event.target === undefined ? {} : { target: event.target }),
      ...(event.source === undefined ? {} : { source: event.source }),
      ...(event.details === undefined ? {} : { details: event.details }),
    });
  }
}
