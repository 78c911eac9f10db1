import type {
  AssignableRole,
  ChatMessage,
  MediaSource,
  MeetingInfo,
  MeetingLocks,
  Participant,
} from '@konvent/protocol';
import { AppError } from '../errors/AppError.ts';
import type { MeetingCloseReason } from './events.ts';
import type { DisconnectReason } from './delivery.ts';
import { AutoLock } from './AutoLock.ts';
import { MeetingRights } from './MeetingRights.ts';
import { postChat } from './postChat.ts';
import { changeRole } from './changeRole.ts';
import { LockEnforcer } from './LockEnforcer.ts';
import { participantView } from './participantView.ts';
import { ScreenShares, type ShareCommands } from './ScreenShares.ts';
import type { LiveParticipant, MeetingDeps } from './MeetingDeps.ts';
import type { MeetingAction } from './permissions.ts';
import type {
  MeetingAuditAction,
  MeetingRecord,
  ParticipantRecord,
  StoredPolicy,
} from './ports.ts';
import { newId } from './secrets.ts';

/**
 * A running meeting on this server: who is in it, their presence and media state. It
 * holds nothing that could not be rebuilt from the repository (participants who have not
 * left come back as `reconnecting`), so another process can take over after a crash.
 *
 * Ownership: `MeetingService` holds `Map<meetingId, Meeting>`; a meeting holds
 * `Map<participantId, LiveParticipant>` and their grace timers. `close()` is idempotent
 * and cascades: timers are cleared, the map emptied, `meetingClosed` is emitted (the
 * composition root closes the media room on it) and the owner drops the meeting. Any
 * use after close throws an `AppError` (`meeting_ended` if it ended, else `unavailable`).
 */
export class Meeting {
  readonly id: string;
  readonly title: string;
  readonly createdAt: Date;
  readonly #deps: MeetingDeps;
  readonly #participants = new Map<string, LiveParticipant>();
  readonly #locks: LockEnforcer<LiveParticipant>;
  /** The admission policy; `MeetingService.setPolicy` replaces it. */
  #policy: StoredPolicy;
  readonly #autoLock: AutoLock;
  readonly #rights: MeetingRights;
  readonly #shares: ScreenShares;
  #closeReason: MeetingCloseReason | undefined;
  #ending = false;

  constructor(record: MeetingRecord, active: ParticipantRecord[], deps: MeetingDeps) {
    this.id = record.id;
    this.title = record.title;
    this.createdAt = record.createdAt;
    this.#deps = deps;
    this.#policy = record.policy;
    this.#rights = new MeetingRights(this.id, deps);
    this.#autoLock = new AutoLock(this.id, record.startedAt, record.policy.lockAfterStartMinutes, {
      ...deps,
      lock: (minutes) => this.#lockAfterStart(minutes),
      storeStart: (at) => deps.repo.markStarted(this.id, at),
    });
    const stopSource = (p: LiveParticipant, source: MediaSource) => {
      this.#stopSource(p, source);
    };
    const base = { meetingId: this.id, participants: this.#participants, deps, stopSource };
    this.#locks = new LockEnforcer({
      ...base,
      initial: record.locks,
      store: (locks) => deps.repo.setLocks(this.id, locks),
      view: participantView,
    });
    this.#shares = new ScreenShares({ ...base, locks: this.#locks, rights: this.#rights });
    // Participants who had not left when this process loaded the meeting (e.g. after a
    // restart) get the reconnect grace period to come back.
    for (const p of active) {
      const live = this.#add(p, true);
      this.#startTimer(live, deps.options.reconnectGraceMs);
    }
  }

  /** The admission policy as stored. */
  get policy(): StoredPolicy {
    return this.#policy;
  }

  /** Replaces the policy (already stored); a new lock-after-start time is scheduled. */
  set policy(policy: StoredPolicy) {
    this.#policy = policy;
    if (!this.closed) this.#autoLock.setMinutes(policy.lockAfterStartMinutes);
  }

  /** Ids of the moderators who are in the meeting (announced), for what only they are told. */
  moderatorIds(): string[] {
    return [...this.#participants.values()]
      .filter((p) => p.visible && p.role === 'moderator')
      .map((p) => p.id);
  }

  /** The personal invitation someone in the meeting came with, if any. */
  invitationOf(participantId: string): string | undefined {
    return this.#participants.get(participantId)?.invitationId;
  }

  /**
   * Refuses (`forbidden`, audited as denied under `audit`) unless the actor is here and holds
   * the right; for operations that live outside this class (lobby, reports, policy).
   */
  async requireRight(
    actorId: string,
    action: MeetingAction,
    audit: MeetingAuditAction,
    target: string = this.id,
  ): Promise<void> {
    await this.#rights.authorize(this.#actor(actorId), action, { action: audit, target });
  }

  /** Whether the meeting was closed. */
  get closed(): boolean {
    return this.#closeReason !== undefined;
  }

  /** How many participants (announced or not) are in the meeting. */
  get size(): number {
    return this.#participants.size;
  }

  /** Whether a participant is in the meeting. */
  has(participantId: string): boolean {
    return this.#participants.has(participantId);
  }

  /** The public facts participants may see. */
  info(): MeetingInfo {
    return { id: this.id, title: this.title, createdAt: this.createdAt.toISOString() };
  }

  /** What is locked for participants who are not moderators. */
  locks(): MeetingLocks {
    return this.#locks.state;
  }

  /** Announced participants, oldest first; with a viewer, only those the list lock shows. */
  list(viewerId?: string): Participant[] {
    const viewer = viewerId === undefined ? undefined : this.#participants.get(viewerId);
    const shows = (p: LiveParticipant) =>
      viewer === undefined || this.#locks.rules.listShows(viewer, p);
    return [...this.#participants.values()]
      .filter((p) => p.visible && shows(p))
      .map((p) => participantView(p));
  }

  /** One participant's wire view, or undefined if they are not in the meeting. */
  view(participantId: string): Participant | undefined {
    const p = this.#participants.get(participantId);
    return p === undefined ? undefined : participantView(p);
  }

  /**
   * Adds someone who just joined over HTTP (the caller decided, synchronously with this
   * call, that they need not wait), or whom a moderator admitted from the lobby. They stay
   * unannounced until their first socket opens, and leave silently if it does not open
   * within the connect grace.
   */
  admit(record: ParticipantRecord): void {
    this.#assertOpen();
    const live = this.#add(record, false);
    this.#startTimer(live, this.#deps.options.connectGraceMs);
  }

  /** Removes a participant whose admission could not be stored; nobody was told. */
  revokeAdmission(participantId: string): void {
    const p = this.#participants.get(participantId);
    if (p === undefined || p.visible) return;
    clearTimeout(p.timer);
    this.#participants.delete(participantId);
    this.#closeIfEmpty();
  }

  /**
   * A socket of the participant opened. Returns its connection id; an older connection
   * of the same participant is thereby replaced (the socket layer closes it).
   */
  attach(participantId: string): string {
    this.#assertOpen();
    const p = this.#participants.get(participantId);
    if (p === undefined) throw new AppError('unauthenticated');
    clearTimeout(p.timer);
    p.timer = undefined;
    const previous = p.connectionId;
    const connectionId = newId();
    p.connectionId = connectionId;
    if (p.role === 'moderator') this.#autoLock.begin();
    if (!p.visible) {
      p.visible = true;
      this.#publish(
        this.#deps.fanout.notify(
          this.id,
          this.#locks.audience(p),
          'participant.joined',
          { participant: participantView(p) },
          p.id,
        ),
      );
      this.#deps.observer.emit('participantConnected', {
        meetingId: this.id,
        participantId: p.id,
        reconnect: false,
      });
    } else if (previous === undefined) {
      this.#announceUpdate(p);
      this.#deps.observer.emit('participantConnected', {
        meetingId: this.id,
        participantId: p.id,
        reconnect: true,
      });
    }
    return connectionId;
  }

  /**
   * A socket closed. If it was the participant's current one, they become `reconnecting`
   * (their media went with the socket) and have the grace period to come back.
   */
  detach(participantId: string, connectionId: string): void {
    if (this.closed) return;
    const p = this.#participants.get(participantId);
    if (p?.connectionId !== connectionId) return;
    p.connectionId = undefined;
    p.microphone = false;
    p.camera = false;
    if (p.screen) this.#shares.changed(p, (p.screen = false), 'disconnected');
    this.#announceUpdate(p);
    this.#startTimer(p, this.#deps.options.reconnectGraceMs);
  }

  /** Records whether a participant's microphone, camera or screen is sending; announces changes. */
  setSource(participantId: string, source: MediaSource, active: boolean): void {
    if (this.closed) return;
    const p = this.#participants.get(participantId);
    if (p === undefined || p[source] === active) return;
    p[source] = active;
    if (source === 'screen') this.#shares.changed(p, active);
    if (p.visible) this.#announceUpdate(p);
  }

  /** Screen-sharing commands (ask, allow, stop) acting as a participant here. */
  shares(actorId: string): ShareCommands {
    return this.#shares.as(this.#actor(actorId));
  }

  /**
   * Sends a chat message, publicly or privately to `to`. The repository seals the text;
   * the sender receives the message in the reply, everyone else as a notification.
   */
  async sendChat(senderId: string, text: string, to: string | undefined): Promise<ChatMessage> {
    const sender = this.#actor(senderId);
    const action = to === undefined ? 'chat.public' : 'chat.private';
    await this.#rights.authorize(sender, action);
    return postChat(
      {
        meetingId: this.id,
        sender,
        participants: this.#participants,
        locks: this.#locks,
        deps: this.#deps,
      },
      text,
      to,
    );
  }

  /**
   * A participant leaves (on their own, or their grace period ran out). Idempotent. Their
   * socket, if any, is closed; the others are told; the meeting closes when it is empty.
   */
  async leave(participantId: string, reason: LeaveReason): Promise<void> {
    const p = this.#participants.get(participantId);
    if (p === undefined || this.closed) return;
    // Dropped before any await, so a reconnect racing with the timeout is refused.
    this.#drop(p, reason);
    try {
      await this.#deps.repo.markParticipantLeft(participantId, this.#deps.clock.now());
      await this.#deps.audit.record({
        action: 'meeting.left',
        actor: { kind: 'participant', id: participantId },
        meetingId: this.id,
        target: participantId,
        outcome: 'success',
        details: { reason },
      });
    } finally {
      // Closed only after the write, so a reload from the repository cannot resurrect them.
      this.#closeIfEmpty();
    }
  }

  /** Ends the meeting for everyone; moderators only. Every socket is closed. */
  async end(actorId: string): Promise<void> {
    const actor = this.#actor(actorId);
    await this.#rights.authorize(actor, 'meeting.end', {
      action: 'meeting.ended',
      target: this.id,
    });
    this.#ending = true;
    try {
      await this.#deps.repo.endMeeting(this.id, this.#deps.clock.now());
      await this.#deps.audit.record({
        action: 'meeting.ended',
        actor: { kind: 'participant', id: actorId },
        meetingId: this.id,
        target: this.id,
        outcome: 'success',
      });
    } catch (error) {
      this.#ending = false;
      throw error;
    }
    this.#deps.observer.emit('meetingEnded', { meetingId: this.id, participantId: actorId });
    this.#publish(this.#deps.fanout.disconnect(this.id, 'all', 'ended'));
    this.close('ended');
  }

  /** A moderator mutes someone: their microphone producer is paused; they may unmute. */
  mute(actorId: string, targetId: string): Promise<void> {
    return this.#stopFor(actorId, targetId, 'microphone');
  }

  /** A moderator stops someone's camera: its producer is closed. */
  stopCamera(actorId: string, targetId: string): Promise<void> {
    return this.#stopFor(actorId, targetId, 'camera');
  }

  /** A moderator mutes everyone else in the meeting. */
  async muteAll(actorId: string): Promise<void> {
    const actor = this.#actor(actorId);
    const audit = 'moderation.mute_all';
    await this.#rights.authorize(actor, 'moderation.muteAll', { action: audit, target: this.id });
    const targets = [...this.#participants.values()].filter((p) => p.visible && p !== actor);
    await this.#rights.recordSuccess(actorId, audit, this.id, { count: targets.length });
    for (const p of targets) this.#stopSource(p, 'microphone');
  }

  /**
   * A moderator removes someone: their session ends at once (socket closed with
   * `removed`), and with `ban` a later join from the same browser is refused.
   */
  async remove(actorId: string, targetId: string, ban: boolean): Promise<void> {
    const { target } = await this.#moderation(
      actorId,
      'moderation.remove',
      'moderation.remove',
      targetId,
    );
    await this.#deps.repo.markParticipantRemoved(targetId, this.#deps.clock.now(), ban);
    try {
      await this.#rights.recordSuccess(actorId, 'moderation.remove', targetId, { ban });
    } finally {
      // Stored as removed, so removed here too, even if the audit write failed.
      this.#drop(target, 'removed', ban);
      this.#closeIfEmpty();
    }
  }

  /** A moderator changes someone's role (their own too, unless they are the last moderator). */
  async setRole(actorId: string, targetId: string, role: AssignableRole): Promise<void> {
    const { target } = await this.#moderation(
      actorId,
      'moderation.setRole',
      'moderation.role_changed',
      targetId,
      true,
    );
    await changeRole(
      {
        meetingId: this.id,
        actorId,
        target,
        participants: this.#participants,
        locks: this.#locks,
        rights: this.#rights,
        deps: this.#deps,
        view: participantView,
      },
      role,
    );
  }

  /** A moderator changes some locks (audited; see `LockEnforcer.set`); returns the full state. */
  async setLocks(actorId: string, changes: Partial<MeetingLocks>): Promise<MeetingLocks> {
    const actor = this.#actor(actorId);
    const audit = 'moderation.locks_changed';
    await this.#rights.authorize(actor, 'moderation.setLocks', { action: audit, target: this.id });
    return this.#locks.set(changes, (changed) =>
      this.#rights.recordSuccess(actorId, audit, this.id, changed),
    );
  }

  /** Refuses (`forbidden`) a source the locks or rights forbid; the media layer asks first. */
  assertMaySend(participantId: string, source: MediaSource): void {
    this.#locks.assertMaySend(this.#actor(participantId), source);
  }

  /** Whether `viewerId` may receive `ownerId`'s media of this source under the locks. */
  mayReceive(viewerId: string, ownerId: string, source: MediaSource): boolean {
    const [viewer, owner] = [this.#participants.get(viewerId), this.#participants.get(ownerId)];
    if (viewer === undefined || owner === undefined) return false;
    return this.#locks.rules.mediaReaches(viewer, owner, source);
  }

  /** Closes the live meeting (see the class comment for the cascade). Idempotent. */
  close(reason: MeetingCloseReason): void {
    if (this.closed) return;
    this.#closeReason = reason;
    this.#autoLock.clear();
    for (const p of this.#participants.values()) clearTimeout(p.timer);
    this.#participants.clear();
    this.#deps.onClosed(this);
    this.#deps.events.emit('meetingClosed', { meetingId: this.id, reason });
  }

  /** The participant acting, who must be here in an open meeting. */
  #actor(participantId: string): LiveParticipant {
    this.#assertOpen();
    const actor = this.#participants.get(participantId);
    if (actor === undefined) throw new AppError('unauthenticated');
    return actor;
  }

  /**
   * The first step of every moderation command: the actor must be here and hold the right
   * (a refusal is audited as denied under `audit`), and a named target must be present
   * (and be someone else, unless `self` allows it). Nothing has changed when this throws.
   */
  async #moderation(
    actorId: string,
    action: MeetingAction,
    audit: MeetingAuditAction,
    targetId: string,
    self = false,
  ): Promise<{ actor: LiveParticipant; target: LiveParticipant }> {
    const actor = this.#actor(actorId);
    await this.#rights.authorize(actor, action, { action: audit, target: targetId });
    const target = this.#participants.get(targetId);
    if (target?.visible !== true)
      throw new AppError('bad_request', 'The participant is not in the meeting.');
    if (target === actor && !self)
      throw new AppError('bad_request', 'This command acts on other participants.');
    return { actor, target };
  }

  async #stopFor(actorId: string, targetId: string, source: MediaSource): Promise<void> {
    const [action, audit] =
      source === 'microphone'
        ? (['moderation.mute', 'moderation.mute'] as const)
        : (['moderation.stopCamera', 'moderation.stop_camera'] as const);
    const { target } = await this.#moderation(actorId, action, audit, targetId);
    await this.#rights.recordSuccess(actorId, audit, targetId);
    this.#stopSource(target, source);
  }

  /**
   * Stops a participant's source in media (a microphone is paused, a camera closed) and
   * tells them, so their client stops the track too. Idempotent.
   */
  #stopSource(p: LiveParticipant, source: MediaSource): void {
    if (this.#participants.get(p.id) !== p) return;
    if (source === 'screen') this.#shares.stopping(p);
    this.#deps.events.emit('sourceStopped', {
      meetingId: this.id,
      participantId: p.id,
      source,
      how: source === 'microphone' ? 'pause' : 'close',
    });
    this.#publish(
      this.#deps.fanout.notify(this.id, [p.id], 'moderation.sourceStopped', { source }),
    );
  }

  /**
   * Takes a participant out of the live meeting: media is released, the others are told
   * and their socket is closed with the reason. The caller records it in the repository.
   */
  #drop(p: LiveParticipant, reason: LeaveReason | 'removed', banned = false): void {
    if (this.#participants.get(p.id) !== p) return;
    const audience = this.#locks.audience(p);
    clearTimeout(p.timer);
    if (p.screen) this.#shares.changed(p, false, 'left');
    this.#participants.delete(p.id);
    const participantId = p.id;
    this.#deps.events.emit('participantLeft', { meetingId: this.id, participantId });
    this.#deps.observer.emit('participantLeft', { meetingId: this.id, participantId, reason });
    if (p.visible) {
      this.#publish(
        this.#deps.fanout.notify(this.id, audience, 'participant.left', { participantId }),
      );
    }
    if (p.connectionId !== undefined) {
      this.#publish(
        this.#deps.fanout.disconnect(this.id, [participantId], socketReason(reason, banned)),
      );
    }
  }

  /** Lock after start fell due: the meeting locks, stored and audited as the system's act. */
  async #lockAfterStart(minutes: number): Promise<void> {
    if (this.closed) return;
    await this.#locks.set({ meeting: true }, (changed) =>
      this.#rights.recordSystem('lock_after_start', 'moderation.locks_changed', this.id, {
        ...changed,
        minutes,
      }),
    );
  }

  #assertOpen(): void {
    if (this.#closeReason === 'ended' || this.#ending) throw new AppError('meeting_ended');
    if (this.#closeReason !== undefined)
      throw new AppError('unavailable', 'The meeting was closed here.');
  }

  #add(record: ParticipantRecord, visible: boolean): LiveParticipant {
    const live: LiveParticipant = {
      id: record.id,
      displayName: record.displayName,
      invitationId: record.invitationId,
      mayModerate:
        record.role === 'moderator' ||
        record.userId !== undefined ||
        record.invitationId !== undefined,
      role: record.role,
      joinedAt: record.joinedAt,
      visible,
      connectionId: undefined,
      microphone: false,
      camera: false,
      screen: false,
      mayShare: false,
      timer: undefined,
    };
    this.#participants.set(record.id, live);
    return live;
  }

  #startTimer(p: LiveParticipant, ms: number): void {
    clearTimeout(p.timer);
    p.timer = setTimeout(() => {
      p.timer = undefined;
      if (p.connectionId !== undefined) return;
      this.leave(p.id, 'timeout').catch((error: unknown) => {
        this.#deps.logger.error(
          { err: error, meetingId: this.id },
          'could not record a timed-out participant',
        );
      });
    }, ms);
    // A pending grace period must not keep the process alive at shutdown.
    p.timer.unref();
  }

  #announceUpdate(p: LiveParticipant): void {
    this.#publish(
      this.#deps.fanout.notify(
        this.id,
        this.#locks.audience(p),
        'participant.updated',
        { participant: participantView(p) },
        p.id,
      ),
    );
  }

  /** Fan-out triggered by state changes is fire-and-forget; failures are logged. */
  #publish(delivery: Promise<void>): void {
    delivery.catch((error: unknown) => {
      this.#deps.logger.warn(
        { err: error, meetingId: this.id },
        'could not publish to the meeting channel',
      );
    });
  }

  #closeIfEmpty(): void {
    if (this.#participants.size === 0) this.close('empty');
  }
}

/** Why someone leaves on their own or is taken out of a room (`moved`, breakout rooms). */
type LeaveReason = 'left' | 'timeout' | 'moved';

/** What a leaving participant's socket is told. */
function socketReason(reason: LeaveReason | 'removed', banned: boolean): DisconnectReason {
  if (reason === 'removed') return banned ? 'banned' : 'removed';
  return reason === 'moved' ? 'moved' : 'left';
}
