import type {
  AssignableRole,
  BreakoutState,
  ChatMessage,
  LobbyEntry,
  MediaSource,
  MinutesState,
  MeetingInfo,
  MeetingLocks,
  MeetingPolicy,
  Participant,
  ParticipantReport,
  ReportAnswer,
  ReportReason,
  WhiteboardElement,
} from '@konvent/protocol';
import { AppError } from '../errors/AppError.ts';
import { BreakoutDesk } from './BreakoutDesk.ts';
import { ChatDesk } from './ChatDesk.ts';
import { LinkGate, type LinkThrottleRules } from './LinkGate.ts';
import { Lobbies, type LobbySelection } from './Lobbies.ts';
import { MeetingAdmin, toWire } from './MeetingAdmin.ts';
import { MinutesDesk } from './MinutesDesk.ts';
import { ReportDesk } from './ReportDesk.ts';
import { SingleFlight } from './SingleFlight.ts';
import { SharedContent, type SharedContentDeps, type SharedNow } from './SharedContent.ts';
import type { MeetingEvents, MeetingObserverEvents } from './events.ts';
import { Fanout } from './Fanout.ts';
import { Meeting } from './Meeting.ts';
import type { MeetingOptions } from './MeetingDeps.ts';
import { toChatMessage } from './toChatMessage.ts';
import type {
  AttemptThrottle,
  AuditTrail,
  BreakoutRepository,
  Bus,
  Clock,
  DomainLogger,
  InvitationRepository,
  MeetingRepository,
  MinutesRepository,
  ReportRepository,
  RequestContext,
} from './ports.ts';
import { TypedEmitter } from './TypedEmitter.ts';
import {
  Entrance,
  type CheckedLink,
  type CreatedMeeting,
  type JoinedMeeting,
  type Session,
} from './Entrance.ts';

export {
  ANONYMOUS_CREATOR,
  type CheckedLink,
  type CreatedMeeting,
  type JoinedMeeting,
  type Session,
} from './Entrance.ts';

/** Tunables of the meetings domain; all have safe defaults. */
export interface MeetingServiceOptions extends MeetingOptions {
  /** How many recent chat messages a new socket receives. */
  chatHistory: number;
  /** Most participants (connected or not yet) one meeting admits. */
  maxParticipants: number;
  /** How long one minute of a breakout session lasts (shorter in tests). */
  breakoutMinuteMs: number;
}

/** Defaults: a dropped socket has 15 s to come back; a fresh join 30 s to connect. */
export const DEFAULT_MEETING_OPTIONS: MeetingServiceOptions = {
  reconnectGraceMs: 15_000,
  connectGraceMs: 30_000,
  chatHistory: 200,
  maxParticipants: 100,
  breakoutMinuteMs: 60_000,
};

/** What the meeting service needs. */
export interface MeetingServiceDeps extends SharedContentDeps {
  repo: MeetingRepository;
  bus: Bus;
  clock: Clock;
  logger: DomainLogger;
  /** Where creating, joining, leaving and ending meetings (and refusals) are recorded. */
  audit: AuditTrail;
  invitations: InvitationRepository;
  reports: ReportRepository;
  /** Running breakout sessions. */
  breakouts: BreakoutRepository;
  /** Notes, decisions and action items. */
  minutes: MinutesRepository;
  /** Counts wrong links, passcodes and PINs (the database-backed `Throttle`). */
  throttle: AttemptThrottle;
  linkThrottle?: LinkThrottleRules;
  options?: Partial<MeetingServiceOptions>;
}

/** The state a freshly connected socket starts from. */
export interface WelcomeState extends SharedNow {
  self: Participant;
  meeting: MeetingInfo;
  participants: Participant[];
  chat: ChatMessage[];
  locks: MeetingLocks;
  /** Moderators only. */
  policy?: MeetingPolicy;
  lobby?: LobbyEntry[];
  lobbyMessage?: string;
  reports?: ParticipantReport[];
  /** Moderators only: who asked to share their screen and awaits an answer. */
  shareRequests?: string[];
  minutes?: MinutesState;
  breakout?: BreakoutState;
  room?: { parentId: string; endsAt: string };
}

/**
 * The meetings domain: links, joins, sessions, presence, chat and ending a meeting.
 * It imports no HTTP, WebSocket, SQL or mediasoup code; storage and the bus come in as
 * ports. Owns `Map<meetingId, Meeting>` of the meetings running on this process;
 * `close()` closes them all without writing anything, for a graceful shutdown.
 */
export class MeetingService {
  /** Events other parts of the server act on. */
  readonly events = new TypedEmitter<MeetingEvents>();
  /** Events for audit and metrics. */
  readonly observer = new TypedEmitter<MeetingObserverEvents>();
  readonly #repo: MeetingRepository;
  readonly #clock: Clock;
  readonly #logger: DomainLogger;
  readonly #audit: AuditTrail;
  readonly #fanout: Fanout;
  readonly #options: MeetingServiceOptions;
  readonly #live = new Map<string, Meeting>();
  readonly #loading = new SingleFlight<Meeting>();
  readonly #gate: LinkGate;
  readonly #lobbies: Lobbies;
  readonly #invitations: InvitationRepository;
  /** Policy and invitations. */
  readonly admin: MeetingAdmin;
  readonly #reports: ReportDesk;
  /** Presentations, their annotations, shared media and the whiteboard (`SharedContent`). */
  readonly content: SharedContent;
  /** Notes, decisions and action items, and the minute-takers. */
  readonly minutes: MinutesDesk;
  /** Breakout rooms of the meetings running here. */
  readonly breakouts: BreakoutDesk;
  readonly #chat: ChatDesk;
  readonly #entrance: Entrance;
  #closed = false;

  constructor(deps: MeetingServiceDeps) {
    this.#repo = deps.repo;
    this.#clock = deps.clock;
    this.#logger = deps.logger;
    this.#audit = deps.audit;
    this.#invitations = deps.invitations;
    this.#fanout = new Fanout(deps.bus);
    this.#options = { ...DEFAULT_MEETING_OPTIONS, ...deps.options };
    this.#gate = new LinkGate({
      repo: deps.repo,
      invitations: deps.invitations,
      throttle: deps.throttle,
      audit: deps.audit,
      clock: deps.clock,
      observer: this.observer,
      ...(deps.linkThrottle === undefined ? {} : { rules: deps.linkThrottle }),
    });
    const load = (meetingId: string) => this.#meeting(meetingId);
    const live = (meetingId: string) => this.#live.get(meetingId);
    this.#lobbies = new Lobbies({
      repo: deps.repo,
      fanout: this.#fanout,
      clock: deps.clock,
      logger: deps.logger,
      audit: deps.audit,
      graceMs: this.#options.reconnectGraceMs,
      load,
      live,
    });
    this.admin = new MeetingAdmin({
      repo: deps.repo,
      invitations: deps.invitations,
      fanout: this.#fanout,
      audit: deps.audit,
      clock: deps.clock,
      load,
      live,
    });
    this.#entrance = new Entrance({
      repo: deps.repo,
      invitations: deps.invitations,
      gate: this.#gate,
      lobbies: this.#lobbies,
      admin: this.admin,
      audit: deps.audit,
      clock: deps.clock,
      logger: deps.logger,
      observer: this.observer,
      maxParticipants: this.#options.maxParticipants,
      assertOpen: () => {
        this.#assertOpen();
      },
      load,
      live,
    });
    this.#reports = new ReportDesk({
      reports: deps.reports,
      fanout: this.#fanout,
      audit: deps.audit,
      clock: deps.clock,
      load,
      remove: (actorId, meetingId, targetId, ban) =>
        this.#remove(actorId, meetingId, targetId, ban),
    });
    this.#chat = new ChatDesk({
      repo: deps.repo,
      fanout: this.#fanout,
      audit: deps.audit,
      clock: deps.clock,
      events: this.events,
      load,
    });
    const context = {
      fanout: this.#fanout,
      audit: deps.audit,
      clock: deps.clock,
      logger: deps.logger,
      events: this.events,
      observer: this.observer,
      load,
    };
    this.content = new SharedContent(deps, context);
    this.minutes = new MinutesDesk({
      ...context,
      minutes: deps.minutes,
      meetings: deps.repo,
      invitations: deps.invitations,
      live,
    });
    this.breakouts = new BreakoutDesk({
      ...context,
      repo: deps.repo,
      breakouts: deps.breakouts,
      live,
      mergeMinutes: (parentId, roomId, name) => this.minutes.mergeRoom(parentId, roomId, name),
      minuteMs: this.#options.breakoutMinuteMs,
    });
  }

  /** Creates a meeting (see `Entrance.create`). */
  create(
    input: Parameters<Entrance['create']>[0],
    context: RequestContext = {},
  ): Promise<CreatedMeeting> {
    return this.#entrance.create(input, context);
  }

  /** Checks a link for the pre-join page (see `Entrance.checkLink`). */
  checkLink(meetingId: string, token: string, context: RequestContext = {}): Promise<CheckedLink> {
    return this.#entrance.checkLink(meetingId, token, context);
  }

  /** Joins a meeting: enters, waits in the lobby or is refused (see `Entrance.join`). */
  join(
    meetingId: string,
    token: string,
    displayName: string,
    context: RequestContext = {},
  ): Promise<JoinedMeeting> {
    return this.#entrance.join(meetingId, token, displayName, context);
  }

  /** Turns a session secret into a session (see `Entrance.authenticate`). */
  async authenticate(meetingId: string, sessionSecret: string): Promise<Session> {
    this.#assertOpen();
    return this.#entrance.authenticate(meetingId, sessionSecret);
  }

  /** A socket of the session opened; returns its connection id (older ones are replaced). */
  async attach(session: Session): Promise<string> {
    if (session.admission === 'waiting')
      return this.#lobbies.attach(session.meetingId, session.participantId);
    const meeting = await this.#meeting(session.meetingId);
    return meeting.attach(session.participantId);
  }

  /** A socket closed; the participant may become `reconnecting`. */
  detach(session: Session, connectionId: string): void {
    if (session.admission === 'waiting') {
      this.#lobbies.detach(session.meetingId, session.participantId, connectionId);
      return;
    }
    this.#live.get(session.meetingId)?.detach(session.participantId, connectionId);
  }

  /** The moderators' message for someone waiting in the lobby ('' for none). */
  lobbyMessage(session: Session): string {
    return this.#lobbies.message(session.meetingId);
  }

  /** Someone waiting in the lobby gives up. */
  async leaveLobby(session: Session): Promise<void> {
    await this.#lobbies.leave(session.meetingId, session.participantId);
  }

  /** A moderator admits people from the lobby; returns who was admitted. */
  async admitFromLobby(session: Session, selection: LobbySelection): Promise<string[]> {
    return this.#lobbies.admit(session.participantId, session.meetingId, selection);
  }

  /** A moderator denies people in the lobby; returns who was denied. */
  async denyFromLobby(session: Session, selection: LobbySelection): Promise<string[]> {
    return this.#lobbies.deny(session.participantId, session.meetingId, selection);
  }

  /** A moderator sets the message everyone waiting in the lobby sees. */
  async setLobbyMessage(session: Session, text: string): Promise<void> {
    await this.#lobbies.setMessage(session.participantId, session.meetingId, text);
  }

  /** Someone in the meeting reports another to the moderators. */
  async report(
    session: Session,
    targetId: string,
    reason: ReportReason,
    text: string | undefined,
  ): Promise<string> {
    return this.#reports.report(session.participantId, session.meetingId, targetId, reason, text);
  }

  /** A moderator answers a report. */
  async answerReport(session: Session, reportId: string, answer: ReportAnswer): Promise<void> {
    await this.#reports.answer(session.participantId, session.meetingId, reportId, answer);
  }

  /** Who I am, who is here and the chat I may read. */
  async welcome(session: Session): Promise<WelcomeState> {
    const meeting = await this.#meeting(session.meetingId);
    const self = meeting.view(session.participantId);
    if (self === undefined) throw new AppError('unauthenticated');
    const chat = await this.#repo.listChat(
      session.meetingId,
      session.participantId,
      this.#options.chatHistory,
    );
    const state: WelcomeState = {
      self,
      meeting: meeting.info(),
      participants: meeting.list(session.participantId),
      chat: chat.map(toChatMessage),
      locks: meeting.locks(),
      ...(await this.content.now(session.meetingId)),
      ...this.breakouts.welcome(session.meetingId),
      minutes: await this.minutes.state(session.meetingId),
    };
    if (self.role !== 'moderator') return state;
    const message = this.#lobbies.message(session.meetingId);
    return {
      ...state,
      policy: toWire(meeting.policy),
      lobby: await this.#lobbies.entries(session.meetingId),
      ...(message === '' ? {} : { lobbyMessage: message }),
      reports: (await this.#reports.open(session.meetingId)).filter(
        (report) => report.targetId !== session.participantId,
      ),
      shareRequests: meeting.shares(session.participantId).open(),
    };
  }

  /** Sends a public or private chat message (rate limited per participant). */
  async sendChat(session: Session, text: string, to: string | undefined): Promise<ChatMessage> {
    return this.#chat.send(session.participantId, session.meetingId, text, to);
  }

  /** A moderator deletes a chat message (see `ChatDesk.delete`). */
  async deleteChat(session: Session, messageId: string): Promise<void> {
    await this.#chat.delete(session.participantId, session.meetingId, messageId);
  }

  /** Changes whiteboard elements (see `WhiteboardDesk.update`). */
  async updateWhiteboard(session: Session, elements: WhiteboardElement[]): Promise<void> {
    await this.content.boards.update(session.participantId, session.meetingId, elements);
  }

  /** Grants or revokes a participant's right to draw (moderators only). */
  async allowDraw(session: Session, participantId: string, allowed: boolean): Promise<void> {
    await this.content.boards.allow(
      session.participantId,
      session.meetingId,
      participantId,
      allowed,
    );
  }

  /** Saves the whiteboards and annotations with unsaved changes (at shutdown, after `close`). */
  async saveWhiteboards(): Promise<void> {
    await Promise.all([this.content.flush(), this.minutes.flush()]);
  }

  /** The participant leaves the meeting for good. */
  async leave(session: Session): Promise<void> {
    if (session.admission === 'waiting') {
      await this.#lobbies.leave(session.meetingId, session.participantId);
      return;
    }
    const meeting = this.#live.get(session.meetingId);
    if (meeting === undefined) return;
    await meeting.leave(session.participantId, 'left');
  }

  /** Ends the meeting for everyone (moderators only; refused and observed otherwise). */
  async end(session: Session): Promise<void> {
    const meeting = await this.#meeting(session.meetingId);
    await meeting.end(session.participantId);
    this.#lobbies.ended(session.meetingId);
    await this.breakouts.mainEnded(session.meetingId);
  }

  /** Mutes a participant (moderators only; refused and audited as denied otherwise). */
  async mute(session: Session, participantId: string): Promise<void> {
    const meeting = await this.#meeting(session.meetingId);
    await meeting.mute(session.participantId, participantId);
  }

  /** Mutes everyone but the caller (moderators only). */
  async muteAll(session: Session): Promise<void> {
    const meeting = await this.#meeting(session.meetingId);
    await meeting.muteAll(session.participantId);
  }

  /** Stops a participant's camera (moderators only). */
  async stopCamera(session: Session, participantId: string): Promise<void> {
    const meeting = await this.#meeting(session.meetingId);
    await meeting.stopCamera(session.participantId, participantId);
  }

  /** Asks the moderators for the right to share one's screen. */
  async requestShare(session: Session): Promise<void> {
    const meeting = await this.#meeting(session.meetingId);
    await meeting.shares(session.participantId).request();
  }

  /** Grants or revokes a participant's right to share their screen (moderators only). */
  async allowShare(session: Session, participantId: string, allowed: boolean): Promise<void> {
    const meeting = await this.#meeting(session.meetingId);
    await meeting.shares(session.participantId).allow(participantId, allowed);
  }

  /** Stops a participant's screen share (moderators only). */
  async stopShare(session: Session, participantId: string): Promise<void> {
    const meeting = await this.#meeting(session.meetingId);
    await meeting.shares(session.participantId).stop(participantId);
  }

  /** Removes a participant, with `ban` for good from this browser (moderators only). */
  async remove(session: Session, participantId: string, ban: boolean): Promise<void> {
    await this.#remove(session.participantId, session.meetingId, participantId, ban);
  }

  /** Gives a participant another role (moderators only). */
  async setRole(session: Session, participantId: string, role: AssignableRole): Promise<void> {
    const meeting = await this.#meeting(session.meetingId);
    const before = meeting.view(participantId)?.role;
    await meeting.setRole(session.participantId, participantId, role);
    if (role !== 'moderator' || before === 'moderator') return;
    // A new moderator gets at once what moderators see from their welcome on.
    const to = [participantId];
    await this.#lobbies.announce(session.meetingId, to);
    await this.#fanout.notify(session.meetingId, to, 'meeting.policyChanged', {
      policy: toWire(meeting.policy),
    });
    for (const report of await this.#reports.open(session.meetingId)) {
      if (report.targetId !== participantId)
        await this.#fanout.notify(session.meetingId, to, 'moderation.reported', { report });
    }
  }

  /** Changes some of the meeting's locks (moderators only); returns the full state. */
  async setLocks(session: Session, changes: Partial<MeetingLocks>): Promise<MeetingLocks> {
    const meeting = await this.#meeting(session.meetingId);
    return meeting.setLocks(session.participantId, changes);
  }

  /**
   * Refuses (`forbidden`) a source this participant may not send: a locked microphone or
   * camera, or a screen without the role, the granted right or past the `screenShare` lock.
   */
  async assertMaySend(session: Session, source: MediaSource): Promise<void> {
    const meeting = await this.#meeting(session.meetingId);
    meeting.assertMaySend(session.participantId, source);
  }

  /**
   * Whether a participant may receive another's media of this source (a camera lock hides
   * non-moderators' cameras from non-moderators). Nothing is received from a meeting that
   * is not running here.
   */
  mayReceive(meetingId: string, viewerId: string, ownerId: string, source: MediaSource): boolean {
    return this.#live.get(meetingId)?.mayReceive(viewerId, ownerId, source) ?? false;
  }

  /** Records that a participant's microphone or camera started or stopped sending. */
  setSourceState(
    meetingId: string,
    participantId: string,
    source: MediaSource,
    active: boolean,
  ): void {
    this.#live.get(meetingId)?.setSource(participantId, source, active);
  }

  /** Announced participants of a meeting running here (empty if it is not running). */
  participants(meetingId: string): Participant[] {
    return this.#live.get(meetingId)?.list() ?? [];
  }

  /** Ids of the meetings running on this process. */
  liveMeetingIds(): string[] {
    return [...this.#live.keys()];
  }

  /**
   * Shuts the domain down: every live meeting closes without recording anyone as left,
   * so participants can reconnect to this or another process. Idempotent.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#lobbies.close();
    this.breakouts.close();
    for (const meeting of [...this.#live.values()]) meeting.close('shutdown');
  }

  /**
   * Removes someone; a ban also revokes the personal invitation they came with, so the
   * same link does not let them back in (signed-in accounts are refused by account).
   */
  async #remove(actorId: string, meetingId: string, targetId: string, ban: boolean): Promise<void> {
    const meeting = await this.#meeting(meetingId);
    const invitationId = meeting.invitationOf(targetId);
    await meeting.remove(actorId, targetId, ban);
    if (!ban || invitationId === undefined) return;
    if (await this.#invitations.revoke(meetingId, invitationId, this.#clock.now())) {
      await this.#audit.record({
        action: 'meeting.invitation_revoked',
        actor: { kind: 'participant', id: actorId },
        meetingId,
        target: invitationId,
        outcome: 'success',
        details: { reason: 'banned' },
      });
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new AppError('unavailable');
  }

  /** The live meeting, loaded from the repository on first use. */
  async #meeting(meetingId: string): Promise<Meeting> {
    this.#assertOpen();
    const live = this.#live.get(meetingId);
    if (live !== undefined) return live;
    return this.#loading.run(meetingId, () => this.#load(meetingId));
  }

  async #load(meetingId: string): Promise<Meeting> {
    const record = await this.#repo.findMeeting(meetingId);
    if (record === undefined) throw new AppError('not_found');
    if (record.endedAt !== null) throw new AppError('meeting_ended');
    const active = await this.#repo.listActiveParticipants(meetingId);
    this.#assertOpen();
    const meeting = new Meeting(record, active, {
      repo: this.#repo,
      fanout: this.#fanout,
      clock: this.#clock,
      logger: this.#logger,
      audit: this.#audit,
      events: this.events,
      observer: this.observer,
      options: this.#options,
      onClosed: (closed) => {
        if (this.#live.get(closed.id) === closed) this.#live.delete(closed.id);
      },
    });
    this.#live.set(meetingId, meeting);
    return meeting;
  }
}
