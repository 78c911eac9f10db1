import type { MediaSource } from '@konvent/protocol';
import { AppError } from '../errors/AppError.ts';
import type { LockEnforcer } from './LockEnforcer.ts';
import type { LiveParticipant, MeetingDeps } from './MeetingDeps.ts';
import type { MeetingRights } from './MeetingRights.ts';
import { participantView } from './participantView.ts';

/** How long a participant's repeated request to share is not passed on again. */
const REQUEST_COOLDOWN_MS = 10_000;

/** Why a share ended, as audited: its owner stopped it, the meeting did, or they went away. */
export type ShareEnd = 'self' | 'stopped' | 'disconnected' | 'left';

/** What screen sharing needs from its meeting. */
export interface ScreenSharesContext {
  meetingId: string;
  participants: ReadonlyMap<string, LiveParticipant>;
  locks: LockEnforcer<LiveParticipant>;
  rights: MeetingRights;
  deps: Pick<MeetingDeps, 'fanout' | 'audit' | 'clock' | 'logger'>;
  /** Stops a participant's source as a moderator's order does (media closed, owner told). */
  stopSource: (p: LiveParticipant, source: MediaSource) => void;
}

/** The screen-sharing commands of one participant (see `ScreenShares.as`). */
export interface ShareCommands {
  /** Asks the moderators for the right to share (`share.requested`, audited). */
  request(): Promise<void>;
  /** Grants or revokes someone's right to share (moderators only, audited). */
  allow(targetId: string, allowed: boolean): Promise<void>;
  /** Stops someone's running share (moderators only, audited). */
  stop(targetId: string): Promise<void>;
  /** Who asked and has no answer yet, oldest first; for moderators only (others: none). */
  open(): string[];
}

/**
 * Screen sharing in one meeting (issue 6, item 1): asking for the right, moderators
 * granting, revoking and stopping shares, and the audit of every share that starts or
 * ends. Who may send a screen is `MeetingLocks.maySend` (role, granted right, the
 * `screenShare` lock), enforced where media is produced or resumed.
 *
 * The granted right lives on the live participant only (not stored): after the meeting is
 * reloaded (a server restart) a moderator grants it again.
 */
export class ScreenShares {
  readonly #ctx: ScreenSharesContext;
  /** Participants whose share the meeting is stopping (so its end is not their own). */
  readonly #stopping = new Set<string>();
  /** When each participant last asked, for the cooldown. */
  readonly #asked = new Map<string, number>();

  constructor(ctx: ScreenSharesContext) {
    this.#ctx = ctx;
  }

  /** The commands `actor` may try; each checks its own right. */
  as(actor: LiveParticipant): ShareCommands {
    return {
      request: () => this.#request(actor),
      allow: (targetId, allowed) => this.#allow(actor, targetId, allowed),
      stop: (targetId) => this.#stop(actor, targetId),
      open: () => (actor.role === 'moderator' ? this.#open() : []),
    };
  }

  /** The meeting is about to stop `p`'s share (moderator, lock, role change, revoked right). */
  stopping(p: LiveParticipant): void {
    this.#stopping.add(p.id);
  }

  /** `p`'s share started or ended; audited with how it ended (never awaited by media). */
  changed(p: LiveParticipant, active: boolean, end?: ShareEnd): void {
    const forced = this.#stopping.delete(p.id);
    const reason: ShareEnd = end ?? (forced ? 'stopped' : 'self');
    const { deps, meetingId } = this.#ctx;
    deps.audit
      .record({
        action: active ? 'media.share_started' : 'media.share_stopped',
        actor: { kind: 'participant', id: p.id },
        meetingId,
        target: p.id,
        outcome: 'success',
        ...(active ? {} : { details: { reason } }),
      })
      .catch((error: unknown) => {
        deps.logger.error({ err: error, meetingId }, 'could not audit a screen share');
      });
  }

  /** Askers still here who may not share yet (a grant or revocation answers a request). */
  #open(): string[] {
    const { participants, locks } = this.#ctx;
    return [...this.#asked.keys()].filter((id) => {
      const p = participants.get(id);
      return p?.visible === true && !locks.rules.maySend(p, 'screen');
    });
  }

  async #request(actor: LiveParticipant): Promise<void> {
    const { locks, rights, deps, meetingId } = this.#ctx;
    if (locks.rules.maySend(actor, 'screen')) return;
    if (locks.state.screenShare) {
      rights.observeDenied(actor.id, 'share.request');
      throw new AppError('forbidden', 'Screen sharing is locked by a moderator.');
    }
    const now = deps.clock.now().getTime();
    const last = this.#asked.get(actor.id);
    // Repeated asking is answered but not passed on: moderators see one notice at a time.
    if (last !== undefined && now - last < REQUEST_COOLDOWN_MS) return;
    this.#asked.set(actor.id, now);
    await rights.recordSuccess(actor.id, 'meeting.share_requested', actor.id);
    const moderators = [...this.#ctx.participants.values()]
      .filter((p) => p.visible && p.role === 'moderator')
      .map((p) => p.id);
    await deps.fanout.notify(meetingId, moderators, 'share.requested', { participantId: actor.id });
  }

  async #allow(actor: LiveParticipant, targetId: string, allowed: boolean): Promise<void> {
    const { locks, rights, deps, meetingId } = this.#ctx;
    const audit = 'moderation.share_allowed';
    await rights.authorize(actor, 'moderation.allowShare', { action: audit, target: targetId });
    const target = this.#target(targetId);
    if (target.mayShare === allowed) return;
    await rights.recordSuccess(actor.id, audit, target.id, { allowed });
    target.mayShare = allowed;
    this.#asked.delete(target.id);
    // Awaited so the moderator's reply never overtakes what the others see.
    await deps.fanout.notify(meetingId, locks.audience(target), 'participant.updated', {
      participant: participantView(target),
    });
    if (!allowed) locks.enforceShare(target);
  }

  async #stop(actor: LiveParticipant, targetId: string): Promise<void> {
    const audit = 'moderation.share_stopped';
    const { rights } = this.#ctx;
    await rights.authorize(actor, 'moderation.stopShare', { action: audit, target: targetId });
    const target = this.#target(targetId);
    await rights.recordSuccess(actor.id, audit, target.id);
    this.#ctx.stopSource(target, 'screen');
  }

  #target(targetId: string): LiveParticipant {
    const target = this.#ctx.participants.get(targetId);
    if (target?.visible !== true)
      throw new AppError('bad_request', 'The participant is not in the meeting.');
    return target;
  }
}
