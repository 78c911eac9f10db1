import type { MeetingRole } from '@konvent/protocol';
import { AppError } from '../errors/AppError.ts';
import type { MeetingObserverEvents } from './events.ts';
import { isAllowed, type MeetingAction } from './permissions.ts';
import type { AuditTrail, MeetingAuditAction } from './ports.ts';
import type { TypedEmitter } from './TypedEmitter.ts';

/** Audit details: ids, codes and numbers only. */
type Details = Readonly<Record<string, string | number | boolean>>;

/**
 * A meeting's rights checks and the audit records of its moderation: one place that turns
 * the permission table into `forbidden` (observed, and audited as denied where the action
 * is audited) and records what moderators did to whom.
 */
export class MeetingRights {
  readonly #meetingId: string;
  readonly #audit: AuditTrail;
  readonly #observer: TypedEmitter<MeetingObserverEvents>;

  constructor(
    meetingId: string,
    deps: { audit: AuditTrail; observer: TypedEmitter<MeetingObserverEvents> },
  ) {
    this.#meetingId = meetingId;
    this.#audit = deps.audit;
    this.#observer = deps.observer;
  }

  /**
   * Checks a right. A refusal of an audited action (`denied` names its audit action and
   * target) is recorded as denied before the `forbidden` is thrown.
   */
  async authorize(
    actor: { readonly id: string; readonly role: MeetingRole },
    action: MeetingAction,
    denied?: { action: MeetingAuditAction; target: string },
  ): Promise<void> {
    if (isAllowed(actor.role, action)) return;
    this.observeDenied(actor.id, action);
    if (denied !== undefined)
      await this.recordDenied(actor.id, denied.action, denied.target, { role: actor.role });
    throw new AppError('forbidden');
  }

  /** Tells metrics someone tried what they may not (also for refusals that are not audited). */
  observeDenied(participantId: string, action: string): void {
    this.#observer.emit('actionDenied', { meetingId: this.#meetingId, participantId, action });
  }

  /** Records a moderation command that succeeded, with who did it to whom. */
  async recordSuccess(
    actorId: string,
    action: MeetingAuditAction,
    target: string,
    details?: Details,
  ): Promise<void> {
    await this.#record(actorId, action, target, 'success', details);
  }

  /** Records a refused command, with who tried it on whom and why. */
  async recordDenied(
    actorId: string,
    action: MeetingAuditAction,
    target: string,
    details?: Details,
  ): Promise<void> {
    await this.#record(actorId, action, target, 'denied', details);
  }

  /** Records what the meeting did by itself (e.g. lock after start) as the system's act. */
  async recordSystem(
    systemId: string,
    action: MeetingAuditAction,
    target: string,
    details: Details,
  ): Promise<void> {
    await this.#audit.record({
      action,
      actor: { kind: 'system', id: systemId },
      meetingId: this.#meetingId,
      target,
      outcome: 'success',
      details,
    });
  }

  async #record(
    actorId: string,
    action: MeetingAuditAction,
    target: string,
    outcome: 'success' | 'denied',
    details: Details | undefined,
  ): Promise<void> {
    await this.#audit.record({
      action,
      actor: { kind: 'participant', id: actorId },
      meetingId: this.#meetingId,
      target,
      outcome,
      ...(details === undefined ? {} : { details }),
    });
  }
}
