import type {
  ChatMessage,
  MediaSource,
  MeetingInfo,
  MeetingLocks,
  Participant,
} from '@konvent/protocol';
import type { RemoteMedia } from './MediaSession.ts';

/** Where the connection to the meeting stands. */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'ended';

/**
 * Why I am no longer in the meeting: `banned` (removed for good), `denied` (turned away
 * from the lobby) and `leftLobby` (I gave up waiting) come from the lobby and moderation.
 */
export type EndReason =
  | 'ended'
  | 'left'
  | 'leftLobby'
  | 'replaced'
  | 'removed'
  | 'banned'
  | 'denied'
  | 'expired'
  | 'signedOut'
  // A breakout room's socket: the room closed, or a moderator moved me (BreakoutFlow goes on).
  | 'breakout_ended'
  | 'moved';

/** Where I stand while waiting in the lobby for a moderator. */
export interface LobbyWait {
  /** The moderators' message to everyone waiting, if any. */
  message: string | null;
  /** A moderator let me in; the client is opening the meeting socket. */
  admitted: boolean;
}

/** Everything the meeting page renders, as one immutable value (a new object per change). */
export interface MeetingSnapshot {
  status: ConnectionStatus;
  /** The reconnect attempt in progress (1-based) while reconnecting. */
  attempt: number;
  maxAttempts: number;
  endReason: EndReason | null;
  meeting: MeetingInfo | null;
  self: Participant | null;
  /** Everyone else, in the order they joined. */
  others: readonly Participant[];
  chat: readonly ChatMessage[];
  remote: ReadonlyMap<string, RemoteMedia>;
  /** A local source that could not be started or sent. */
  sourceError: MediaSource | null;
  /** The source a moderator stopped last, until I touch my devices or dismiss the notice. */
  stoppedByModerator: MediaSource | null;
  /** What moderators have locked for everyone else (all open until the welcome says). */
  locks: MeetingLocks;
  /** Set while I wait in the lobby (only lobby frames arrive then); null once in the meeting. */
  lobby: LobbyWait | null;
  /** My screen-share capture while I share (shown as my own screen tile), else null. */
  screen: MediaStreamTrack | null;
}
