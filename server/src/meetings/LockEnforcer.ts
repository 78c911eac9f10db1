import type {
  MediaSource,
  MeetingLocks as LockState,
  MeetingRole,
  Participant,
} from '@konvent/protocol';
import { AppError } from '../errors/AppError.ts';
import type { Audience } from './delivery.ts';
import type { MeetingEvents, MeetingObserverEvents } from './events.ts';
import type { Fanout } from './Fanout.ts';
import { MeetingLocks } from './MeetingLocks.ts';
import type { DomainLogger } from './ports.ts';
import type { TypedEmitter } from './TypedEmitter.ts';
import { visibilityChanges, type Visibility } from './visibility.ts';

/** What the enforcer reads of a live participant (the meeting's own record of them). */
export interface LockSubject {
  readonly id: string;
  readonly role: MeetingRole;
  readonly visible: boolean;
  readonly microphone: boolean;
  readonly camera: boolean;
  readonly screen: boolean;
  /** A moderator granted them screen sharing. */
  readonly mayShare: boolean;
}

/** What the enforcer needs from its meeting; the meeting keeps rights, audit and media. */
export interface LockEnforcerDeps<P extends LockSubject> {
  /** The locks as stored (they survive a restart). */
  initial?: LockState;
  /** Stores the full new state; a change is stored before it is audited and announced. */
  store: (locks: LockState) => Promise<void>;
  meetingId: string;
  participants: ReadonlyMap<string, P>;
  deps: {
    fanout: Fanout;
    events: TypedEmitter<MeetingEvents>;
    observer: TypedEmitter<MeetingObserverEvents>;
    logger: DomainLogger;
  };
  /** Stops a participant's source as a moderator's mute or stop-camera would. */
  stopSource: (p: P, source: MediaSource) => void;
  view: (p: P) => Participant;
}

/**
 * A meeting's locks in action: changing them (moderators only, audited), refusing what
 * they forbid, and applying a change at once to those already here — media they may no
 * longer send is stopped, participant lists are brought in line with what each may see,
 * and the media layer re-checks who receives whose camera. Kept out of `Meeting` so the
 * meeting stays one readable file; the rules themselves are in `MeetingLocks`.
 */
export class LockEnforcer<P extends LockSubject> {
  readonly #locks = new MeetingLocks();
  readonly #deps: LockEnforcerDeps<P>;

  constructor(deps: LockEnforcerDeps<P>) {
    this.#deps = deps;
    if (deps.initial !== undefined) this.#locks.apply(deps.initial);
  }

  /** The full lock state, as a copy. */
  get state(): LockState {
    return this.#locks.state;
  }

  /** The rules, for checks the meeting makes itself (joins, chat, lists). */
  get rules(): MeetingLocks {
    return this.#locks;
  }

  /**
   * Changes some locks (the rest stay) for a moderator the meeting has authorised. `record`
   * audits what changed, before anything changes; everyone is told the full state; then
   * the locks are applied to those already here.
   */
  async set(
    changes: Partial<LockState>,
    record: (changed: Partial<LockState>) => Promise<void>,
  ): Promise<LockState> {
    const changed = this.#locks.diff(changes);
    if (Object.keys(changed).length === 0) return this.#locks.state;
    await this.#deps.store({ ...this.#locks.state, ...changed });
    await record(changed);
    const seen = this.visibility();
    this.#locks.apply(changed);
    const locks = this.#locks.state;
    // Awaited so the moderator's reply never overtakes what the others see.
    await this.#deps.deps.fanout.notify(this.#deps.meetingId, 'all', 'meeting.locksChanged', {
      locks,
    });
    this.enforce(seen);
    return locks;
  }

  /** Refuses (`forbidden`) sending a source the locks forbid to this participant. */
  assertMaySend(p: P, source: MediaSource): void {
    if (this.#locks.maySend(p, source)) return;
    this.#denied(p, `media.${source}`);
    if (source === 'screen') {
      const why = this.#locks.state.screenShare
        ? 'Screen sharing is locked by a moderator.'
        : 'Screen sharing needs a moderator’s permission.';
      throw new AppError('forbidden', why);
    }
    const what = source === 'microphone' ? 'Microphones' : 'Cameras';
    throw new AppError('forbidden', `${what} are locked by a moderator.`);
  }

  /** Stops a participant's screen share if they may no longer send it (a right revoked). */
  enforceShare(p: P): void {
    if (p.screen && !this.#locks.maySend(p, 'screen')) this.#deps.stopSource(p, 'screen');
  }

  /** Refuses (`forbidden`) a chat message the locks forbid to this participant. */
  assertMayChat(p: P, privately: boolean): void {
    if (!this.#locks.binds(p.role, privately ? 'privateChat' : 'publicChat')) return;
    this.#denied(p, privately ? 'chat.private' : 'chat.public');
    throw new AppError('forbidden', 'Chat is locked by a moderator.');
  }

  /** Who sees whom in the participant list right now. */
  visibility(): Visibility {
    const shown = [...this.#deps.participants.values()].filter((p) => p.visible);
    return new Map(
      shown.map((viewer) => [
        viewer.id,
        new Set(shown.filter((s) => this.#locks.listShows(viewer, s)).map((s) => s.id)),
      ]),
    );
  }

  /**
   * Who is told about a participant's arrival, change or departure: everyone, unless the
   * participant list is locked and they are no moderator (then moderators and themselves).
   */
  audience(p: P): Audience {
    if (!this.#locks.state.participantList || p.role === 'moderator') return 'all';
    return [...this.#deps.participants.values()]
      .filter((viewer) => viewer.visible && this.#locks.listShows(viewer, p))
      .map((viewer) => viewer.id);
  }

  /**
   * Applies the locks to everyone here after a lock or role change (`seen` is who saw whom
   * before it): stops media they may no longer send, sends each viewer the
   * `participant.joined`/`participant.left` their list needs, and has media re-check
   * consumers.
   */
  enforce(seen: Visibility): void {
    const { participants, meetingId } = this.#deps;
    const { fanout } = this.#deps.deps;
    for (const p of participants.values()) {
      if (!p.visible) continue;
      for (const source of ['microphone', 'camera', 'screen'] as const)
        if (p[source] && !this.#locks.maySend(p, source)) this.#deps.stopSource(p, source);
    }
    for (const change of visibilityChanges(seen, this.visibility())) {
      const to = [change.viewerId];
      for (const participantId of change.vanished)
        this.#publish(fanout.notify(meetingId, to, 'participant.left', { participantId }));
      for (const id of change.appeared) {
        const subject = participants.get(id);
        if (subject === undefined) continue;
        const participant = this.#deps.view(subject);
        this.#publish(fanout.notify(meetingId, to, 'participant.joined', { participant }));
      }
    }
    this.#deps.deps.events.emit('consumersChanged', { meetingId });
  }

  #denied(p: P, action: string): void {
    const { meetingId } = this.#deps;
    this.#deps.deps.observer.emit('actionDenied', { meetingId, participantId: p.id, action });
  }

  /** Fan-out of list corrections is fire-and-forget; failures are logged. */
  #publish(delivery: Promise<void>): void {
    delivery.catch((error: unknown) => {
      this.#deps.deps.logger.warn(
        { err: error, meetingId: this.#deps.meetingId },
        'could not publish to the meeting channel',
      );
    });
  }
}
