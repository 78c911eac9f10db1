import type {
  ChatMessage,
  LobbyEntry,
  MeetingInfo,
  MeetingLocks,
  MeetingPolicy,
  MeetingRole,
  MinutesState,
  Participant,
  ParticipantReport,
} from '@konvent/protocol';
import type { SharedNow } from './SharedContent.ts';

/**
 * An authenticated participant session; identity comes only from here. `role` is the role
 * when the session was authenticated: rights are checked against the live meeting's
 * current role, which a moderator may have changed since.
 */
export interface Session {
  meetingId: string;
  participantId: string;
  role: MeetingRole;
  /** `waiting`: the session belongs to someone in the lobby; only lobby frames flow. */
  admission: 'admitted' | 'waiting';
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
}
