import type {
  AssignableRole,
  LobbyEntry,
  MeetingLocks,
  MeetingPolicy,
  ParticipantReport,
  ReportAnswer,
  ReportReason,
} from '@konvent/protocol';
import type { ServerNotification, SignalingChannel } from './SignalingChannel.ts';
import { TypedEmitter } from './TypedEmitter.ts';

/** What the admission and report views render, as one immutable value. */
export interface DeskSnapshot {
  /** The meeting's admission policy (moderators only; null until the welcome says). */
  policy: MeetingPolicy | null;
  /** Who waits in the lobby, oldest first (moderators only). */
  waiting: readonly LobbyEntry[];
  /** The message people in the lobby see ('' for none), as far as this moderator knows. */
  lobbyMessage: string;
  /** Open reports, oldest first (moderators only). */
  reports: readonly ParticipantReport[];
  /** Who asked to share their screen and awaits an answer, oldest first (moderators only). */
  shareRequests: readonly string[];
}

/** Whom a lobby decision is about. */
export type LobbySelection = { participantIds: string[] } | { all: true };

interface DeskEvents {
  change: [DeskSnapshot];
  /** People who started waiting since the last look (for the "someone is waiting" notice). */
  arrived: [readonly LobbyEntry[]];
  /** A report I had not seen before (moderators). */
  reported: [ParticipantReport];
  /** A moderator handled a report I made. */
  reportAnswered: [string];
}

type WelcomeData = Extract<ServerNotification, { notification: 'session.welcome' }>['data'];

const EMPTY: DeskSnapshot = {
  policy: null,
  waiting: [],
  lobbyMessage: '',
  reports: [],
  shareRequests: [],
};

/**
 * The moderators' side of admission and reports (issue 5): the lobby queue, the policy,
 * the lobby message and open reports, kept live from the welcome and the notifications, and
 * the commands on them. Also the reporting every participant can do. It outlives sockets:
 * the MeetingClient feeds it whatever channel is current, so "new arrival" and "new report"
 * are told once even across reconnects.
 */
export class ModerationDesk extends TypedEmitter<DeskEvents> {
  readonly #channel: () => SignalingChannel;
  readonly #seenWaiting = new Set<string>();
  readonly #seenReports = new Set<string>();
  #snapshot: DeskSnapshot = EMPTY;

  /** `channel` answers the connected channel or throws (as MeetingClient's own commands do). */
  constructor(channel: () => SignalingChannel) {
    super();
    this.#channel = channel;
  }

  /** The current state (stable between changes, for useSyncExternalStore). */
  getSnapshot = (): DeskSnapshot => this.#snapshot;

  /** Subscribes to state changes; returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => this.on('change', listener);

  /** Takes the moderators' part of a welcome (absent for everyone else, which clears it). */
  welcome(data: WelcomeData): void {
    this.#update({
      policy: data.policy ?? null,
      lobbyMessage: data.lobbyMessage ?? '',
    });
    this.#setWaiting(data.lobby ?? []);
    // A moderator who arrives (or reconnects) late still sees who is waiting for an answer.
    this.#update({ reports: [], shareRequests: data.shareRequests ?? [] });
    for (const report of data.reports ?? []) this.#addReport(report);
  }

  /** Handles the notifications that are about admission or reports; false for all others. */
  handle(n: ServerNotification): boolean {
    switch (n.notification) {
      case 'lobby.changed':
        this.#setWaiting(n.data.waiting);
        this.#update({ lobbyMessage: n.data.message ?? '' });
        return true;
      case 'meeting.policyChanged':
        this.#update({ policy: n.data.policy });
        return true;
      case 'moderation.reported':
        this.#addReport(n.data.report);
        return true;
      case 'moderation.reportClosed':
        this.#update({ reports: this.#snapshot.reports.filter((r) => r.id !== n.data.reportId) });
        return true;
      case 'moderation.reportAnswered':
        this.emit('reportAnswered', n.data.reportId);
        return true;
      case 'share.requested': {
        const { participantId } = n.data;
        if (!this.#snapshot.shareRequests.includes(participantId))
          this.#update({ shareRequests: [...this.#snapshot.shareRequests, participantId] });
        return true;
      }
      default:
        return false;
    }
  }

  /** Takes a policy this client just saved (the notification may reach only others). */
  setPolicy(policy: MeetingPolicy): void {
    this.#update({ policy });
  }

  /** Mutes another participant's microphone (moderators only; the server enforces it). */
  async muteParticipant(participantId: string): Promise<void> {
    await this.#channel().request('moderation.mute', { participantId });
  }

  /** Changes some of the meeting's locks (moderators only; the server enforces them). */
  async setLocks(locks: Partial<MeetingLocks>): Promise<void> {
    await this.#channel().request('moderation.setLocks', { locks });
  }

  /** Mutes everyone but me (moderators only). */
  async muteAll(): Promise<void> {
    await this.#channel().request('moderation.muteAll', {});
  }

  /** Stops another participant's camera (moderators only). */
  async stopCamera(participantId: string): Promise<void> {
    await this.#channel().request('moderation.stopCamera', { participantId });
  }

  /** Grants or revokes someone's right to share their screen (moderators only). */
  async allowShare(participantId: string, allowed: boolean): Promise<void> {
    await this.#channel().request('moderation.allowShare', { participantId, allowed });
    this.dismissShareRequest(participantId);
  }

  /** Stops someone's screen share (moderators only). */
  async stopShare(participantId: string): Promise<void> {
    await this.#channel().request('moderation.stopShare', { participantId });
  }

  /** Drops a request to share from my list (declined, answered, or the person left). */
  dismissShareRequest(participantId: string): void {
    const shareRequests = this.#snapshot.shareRequests.filter((id) => id !== participantId);
    if (shareRequests.length !== this.#snapshot.shareRequests.length)
      this.#update({ shareRequests });
  }

  /** Removes a participant; with `ban` their browser cannot join again (moderators only). */
  async removeParticipant(participantId: string, ban: boolean): Promise<void> {
    await this.#channel().request('moderation.remove', { participantId, ban });
  }

  /** Gives a participant another role (moderators only). */
  async setRole(participantId: string, role: AssignableRole): Promise<void> {
    await this.#channel().request('moderation.setRole', { participantId, role });
  }

  /** Lets people in from the lobby (moderators only); answers who was admitted. */
  async admit(selection: LobbySelection): Promise<string[]> {
    const { admitted } = await this.#channel().request('lobby.admit', selection);
    this.#drop(admitted);
    return admitted;
  }

  /** Turns people in the lobby away (moderators only); answers who was denied. */
  async deny(selection: LobbySelection): Promise<string[]> {
    const { denied } = await this.#channel().request('lobby.deny', selection);
    this.#drop(denied);
    return denied;
  }

  /** Shows everyone in the lobby a message; '' clears it (moderators only). */
  async setLobbyMessage(text: string): Promise<void> {
    await this.#channel().request('lobby.message', { text });
    this.#update({ lobbyMessage: text });
  }

  /** Reports another participant to the moderators; answers the report's id. */
  async report(participantId: string, reason: ReportReason, text: string): Promise<string> {
    const trimmed = text.trim();
    const { reportId } = await this.#channel().request('meeting.report', {
      participantId,
      reason,
      ...(trimmed === '' ? {} : { text: trimmed }),
    });
    return reportId;
  }

  /** Answers a report (moderators only); the server closes it for every moderator. */
  async answerReport(reportId: string, answer: ReportAnswer): Promise<void> {
    await this.#channel().request('moderation.answerReport', { reportId, answer });
    this.#update({ reports: this.#snapshot.reports.filter((r) => r.id !== reportId) });
  }

  /** Forgets everything (the meeting is over). */
  close(): void {
    this.removeAllListeners();
  }

  #setWaiting(waiting: readonly LobbyEntry[]): void {
    const fresh = waiting.filter((entry) => !this.#seenWaiting.has(entry.id));
    for (const entry of fresh) this.#seenWaiting.add(entry.id);
    this.#update({ waiting });
    if (fresh.length > 0) this.emit('arrived', fresh);
  }

  /** Removes decided people at once; `lobby.changed` confirms it a moment later. */
  #drop(ids: readonly string[]): void {
    if (ids.length === 0) return;
    const gone = new Set(ids);
    this.#update({ waiting: this.#snapshot.waiting.filter((entry) => !gone.has(entry.id)) });
  }

  #addReport(report: ParticipantReport): void {
    if (this.#snapshot.reports.some((r) => r.id === report.id)) return;
    this.#update({ reports: [...this.#snapshot.reports, report] });
    if (this.#seenReports.has(report.id)) return;
    this.#seenReports.add(report.id);
    this.emit('reported', report);
  }

  #update(patch: Partial<DeskSnapshot>): void {
    this.#snapshot = { ...this.#snapshot, ...patch };
    this.emit('change', this.#snapshot);
  }
}
