/**
 * The ports the meetings domain needs from the outside world. Storage, the cluster bus
 * and the clock implement them; the domain never imports SQL, Redis or mediasoup code.
 */
import type { MeetingRole } from '@konvent/protocol';

/** A stored meeting. Token hashes are SHA-256 of the link tokens, base64url. */
export interface MeetingRecord {
  id: string;
  title: string;
  createdAt: Date;
  endedAt: Date | null;
  moderatorTokenHash: string;
  participantTokenHash: string;
}

/** A stored participant. `sessionHash` is SHA-256 of the session cookie value, base64url. */
export interface ParticipantRecord {
  id: string;
  meetingId: string;
  displayName: string;
  role: MeetingRole;
  joinedAt: Date;
  leftAt: Date | null;
  sessionHash: string;
  /** Set when a moderator removed them; `banned` refuses their browser a new join. */
  removal?: 'removed' | 'banned';
}

/** A stored chat message; `to` is set for private messages. */
export interface ChatRecord {
  id: string;
  meetingId: string;
  senderId: string;
  senderName: string;
  text: string;
  sentAt: Date;
  to?: string;
}

/**
 * Durable meeting state. Implementations seal personal content (display names, chat text)
 * through the vault before it reaches the database.
 */
export interface MeetingRepository {
  createMeeting(meeting: Omit<MeetingRecord, 'endedAt'>): Promise<void>;
  findMeeting(id: string): Promise<MeetingRecord | undefined>;
  /** Marks the meeting ended and every participant still in it as left; idempotent. */
  endMeeting(id: string, at: Date): Promise<void>;
  addParticipant(participant: Omit<ParticipantRecord, 'leftAt' | 'removal'>): Promise<void>;
  findParticipantBySession(
    meetingId: string,
    sessionHash: string,
  ): Promise<ParticipantRecord | undefined>;
  markParticipantLeft(participantId: string, at: Date): Promise<void>;
  /** Records that a moderator removed (and perhaps banned) a participant; they have left. */
  markParticipantRemoved(participantId: string, at: Date, banned: boolean): Promise<void>;
  /** Stores a participant's new role. */
  setParticipantRole(participantId: string, role: MeetingRole): Promise<void>;
  /** Participants who joined and have not left, oldest first. */
  listActiveParticipants(meetingId: string): Promise<ParticipantRecord[]>;
  appendChat(message: ChatRecord): Promise<void>;
  /**
   * The latest `limit` messages visible to one participant (public ones and private ones
   * they sent or received), oldest first.
   */
  listChat(meetingId: string, participantId: string, limit: number): Promise<ChatRecord[]>;
}

/** Where the domain reads the time; tests substitute a fixed clock. */
export interface Clock {
  now(): Date;
}

/** A handler for messages on a bus channel. */
export type BusHandler = (message: unknown) => void;

/**
 * Fan-out between server processes. The embedded implementation is in-process; the
 * production one is Redis pub/sub. Messages are JSON-serialisable values.
 */
export interface Bus {
  publish(channel: string, message: unknown): Promise<void>;
  /** Subscribes; resolves once the subscription is active, to a function that ends it. */
  subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/**
 * Where the domain reports problems it cannot hand to a caller (timers, fire-and-forget
 * fan-out). A pino logger satisfies it; the domain stays free of the logging library.
 */
export interface DomainLogger {
  warn(context: object, message: string): void;
  error(context: object, message: string): void;
}

/** The audit actions the meetings domain records. */
export type MeetingAuditAction =
  | 'meeting.created'
  | 'meeting.joined'
  | 'meeting.left'
  | 'meeting.ended'
  | 'meeting.link_checked'
  | 'moderation.mute'
  | 'moderation.mute_all'
  | 'moderation.stop_camera'
  | 'moderation.remove'
  | 'moderation.role_changed'
  | 'moderation.locks_changed';

/**
 * One event for the audit trail, in domain terms: pseudonymous ids only, never display
 * names, titles or chat text (P1). `source` is the client's IP address as the edge saw it;
 * the audit module truncates it before storing.
 */
export interface MeetingAuditEvent {
  action: MeetingAuditAction;
  actor: { kind: 'participant' | 'user' | 'system'; id: string };
  meetingId: string;
  target?: string;
  outcome: 'success' | 'failure' | 'denied';
  source?: string;
  details?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * Where the domain records security-relevant actions (DESIGN.md convention 11). `record`
 * resolves only once the event is durably stored; the domain acknowledges an action only
 * after that, and an action whose event cannot be stored fails.
 */
export interface AuditTrail {
  record(event: MeetingAuditEvent): Promise<void>;
}

/** Facts about a request that only the edge knows (HTTP, signalling). */
export interface RequestContext {
  /** The client's IP address. */
  source?: string;
  /**
   * The meeting session secret the browser still holds from an earlier join (its signed
   * cookie), if any: a join from a browser whose earlier session was banned is refused.
   */
  previousSession?: string;
}
