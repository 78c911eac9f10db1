/**
 * The ports the meetings domain needs from the outside world. Storage, the cluster bus
 * and the clock implement them; the domain never imports SQL, Redis or mediasoup code.
 */
import type {
  Arrival,
  MinutesItem,
  GuestPolicy,
  InvitationRole,
  MeetingLocks,
  MeetingRole,
  ReportAnswer,
  ReportReason,
} from '@konvent/protocol';

/**
 * A meeting's admission policy as stored: the passcode only as an argon2id PHC string.
 * See `MeetingPolicy` in the protocol for what each field means.
 */
export interface StoredPolicy {
  guestPolicy: GuestPolicy;
  passcodeHash: string | null;
  lockAfterStartMinutes: number | null;
}

/** A stored meeting. Token hashes are SHA-256 of the link tokens, base64url. */
export interface MeetingRecord {
  id: string;
  title: string;
  createdAt: Date;
  endedAt: Date | null;
  moderatorTokenHash: string;
  participantTokenHash: string;
  /** The account that created it (null for meetings created by tools or older versions). */
  createdBy: string | null;
  policy: StoredPolicy;
  /** When the first moderator joined (lock-after-start counts from here). */
  startedAt: Date | null;
  /** The locks as last set (survive a restart or a move to another process). */
  locks: MeetingLocks;
  /** Set for a breakout room: its main meeting. */
  parentId?: string;
}

/** What `createMeeting` needs; policy and locks not given take the stored defaults. */
export type NewMeetingRecord = Omit<
  MeetingRecord,
  'endedAt' | 'createdBy' | 'policy' | 'startedAt' | 'locks'
> &
  Partial<Pick<MeetingRecord, 'createdBy' | 'policy' | 'locks' | 'parentId'>>;

/** How someone arrived: `moderator_link` besides the protocol's `Arrival`s. */
export type LinkArrival = Arrival | 'moderator_link';
/** How someone arrived in a meeting: by a link, or (`breakout`) from the main meeting. */
export type ArrivalKind = LinkArrival | 'breakout';

/** Where a participant stands: in the meeting, waiting in the lobby, or denied from it. */
export type Admission = 'admitted' | 'waiting' | 'denied';

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
  /** How they arrived (stored; absent means `link`). */
  arrival?: ArrivalKind;
  /** Absent means `admitted`. */
  admission?: Admission;
  /** The account they were signed in with, if any. */
  userId?: string;
  /** The personal invitation they came with, if any. */
  invitationId?: string;
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

/** Whose message a moderator deleted: its sender, and its recipient if it was private. */
export interface DeletedChat {
  senderId: string;
  to?: string;
}

/**
 * Durable meeting state. Implementations seal personal content (display names, chat text)
 * through the vault before it reaches the database.
 */
export interface MeetingRepository {
  createMeeting(meeting: NewMeetingRecord): Promise<void>;
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
  /** Admitted participants who joined and have not left, oldest first. */
  listActiveParticipants(meetingId: string): Promise<ParticipantRecord[]>;
  /** People waiting in the lobby (admission `waiting`, not left), oldest first. */
  listWaiting(meetingId: string): Promise<ParticipantRecord[]>;
  /**
   * Decides on someone waiting: `admitted` lets them in, `denied` also marks them left.
   * Resolves to false (changing nothing) unless they were still waiting.
   */
  decideAdmission(
    participantId: string,
    admission: 'admitted' | 'denied',
    at: Date,
  ): Promise<boolean>;
  /** Whether an account was banned from this meeting (by a removal with ban). */
  isUserBanned(meetingId: string, userId: string): Promise<boolean>;
  /** Stores a new policy. */
  setPolicy(meetingId: string, policy: StoredPolicy): Promise<void>;
  /** Stores the full lock state. */
  setLocks(meetingId: string, locks: MeetingLocks): Promise<void>;
  /** Records when the meeting started; keeps an earlier time. */
  markStarted(meetingId: string, at: Date): Promise<void>;
  appendChat(message: ChatRecord): Promise<void>;
  /**
   * The latest `limit` messages visible to one participant (public ones and private ones
   * they sent or received), oldest first; deleted messages never.
   */
  listChat(meetingId: string, participantId: string, limit: number): Promise<ChatRecord[]>;
  /**
   * Deletes a message of this meeting that `by` could see (public, or private to or from
   * them), atomically: it is marked deleted by `by` at `at` and its sealed body is erased.
   * Resolves to who sent it and to whom, or undefined (changing nothing) if there is no
   * such message, it was deleted already or `by` could not see it.
   */
  deleteChat(
    meetingId: string,
    messageId: string,
    by: string,
    at: Date,
  ): Promise<DeletedChat | undefined>;
}

/** A stored personal invitation; the token and PIN only as hashes, the label in the clear here (sealed at rest). */
export interface InvitationRecord {
  id: string;
  meetingId: string;
  /** SHA-256 of the token, base64url (like link tokens). */
  tokenHash: string;
  label: string;
  role: InvitationRole;
  /** argon2id PHC string of the PIN, if one is required. */
  pinHash: string | null;
  /** `user:<id>` or `participant:<id>` of who created it. */
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  /** null: unlimited until expiry. */
  maxUses: number | null;
  uses: number;
  revokedAt: Date | null;
  /** Whoever joins through it is appointed minute-taker on arrival (absent: false). */
  minuteTaker?: boolean;
}

/** Durable invitations. Implementations seal the label. */
export interface InvitationRepository {
  create(invitation: Omit<InvitationRecord, 'uses' | 'revokedAt'>): Promise<void>;
  /** The meeting's invitations, newest first. */
  list(meetingId: string): Promise<InvitationRecord[]>;
  /** The invitation of this meeting with this token hash, whatever its state. */
  findByToken(meetingId: string, tokenHash: string): Promise<InvitationRecord | undefined>;
  /**
   * Uses the invitation once, atomically: only if it is not revoked, not expired at `now`
   * and has uses left. Resolves to whether it was used.
   */
  consume(invitationId: string, now: Date): Promise<boolean>;
  /** Gives a use back (a join that failed after consuming); never below zero. */
  release(invitationId: string): Promise<void>;
  /** Revokes; resolves to false if there is no such invitation of this meeting or it was revoked. */
  revoke(meetingId: string, invitationId: string, at: Date): Promise<boolean>;
}

/** A participant's report about another. */
export interface ReportRecord {
  id: string;
  meetingId: string;
  reporterId: string;
  targetId: string;
  reason: ReportReason;
  text?: string;
  reportedAt: Date;
}

/** Durable whiteboards, one per meeting. Implementations seal the state. */
export interface WhiteboardRepository {
  /** The stored board (JSON text as saved), or undefined if the meeting has none. */
  load(meetingId: string): Promise<string | undefined>;
  /** Stores (replaces) the board of an existing meeting. */
  save(meetingId: string, state: string, at: Date): Promise<void>;
}

/** Durable annotations, one row per presentation page. Implementations seal the strokes. */
export interface AnnotationRepository {
  /** The page's strokes (JSON text as saved), or undefined if it has none. */
  load(meetingId: string, presentationId: string, page: number): Promise<string | undefined>;
  /** Stores (replaces) a page's strokes; an unknown meeting or presentation is `not_found`. */
  save(
    meetingId: string,
    presentationId: string,
    page: number,
    strokes: string,
    at: Date,
  ): Promise<void>;
  /** Deletes a page's strokes (a cleared page keeps no row). */
  remove(meetingId: string, presentationId: string, page: number): Promise<void>;
}

/** Durable reports. Implementations seal the text. */
export interface ReportRepository {
  add(report: ReportRecord): Promise<void>;
  /** Reports nobody has answered yet, oldest first. */
  listOpen(meetingId: string): Promise<ReportRecord[]>;
  /** How many reports this participant has filed. */
  countByReporter(reporterId: string): Promise<number>;
  /**
   * Closes an open report of this meeting with an answer; resolves to the report, or
   * undefined (changing nothing) if there is no such open report.
   */
  answer(
    meetingId: string,
    reportId: string,
    answer: ReportAnswer,
    by: string,
    at: Date,
  ): Promise<ReportRecord | undefined>;
}

/** A stored presentation (a PDF) without its content. */
export interface PresentationRecord {
  id: string;
  meetingId: string;
  uploadedBy: string;
  /** The file name as uploaded (sealed at rest). */
  name: string;
  size: number;
  pages: number;
  createdAt: Date;
}

/** Durable presentations. Implementations seal name and content. */
export interface PresentationRepository {
  /** Stores an upload; an unknown meeting or uploader is `not_found`. */
  add(record: PresentationRecord, content: Uint8Array): Promise<void>;
  /** The presentation of this meeting with this id (without content), if any. */
  find(meetingId: string, presentationId: string): Promise<PresentationRecord | undefined>;
  /** How many presentations the meeting has. */
  count(meetingId: string): Promise<number>;
  /** The meeting's presentations (without content), newest first. */
  list(meetingId: string): Promise<PresentationRecord[]>;
  /** The PDF bytes of a presentation of this meeting, if any. */
  content(meetingId: string, presentationId: string): Promise<Buffer | undefined>;
}

/** A stored shared media file (audio or video) without its content. */
export interface SharedMediaRecord {
  id: string;
  meetingId: string;
  uploadedBy: string;
  /** The file name as uploaded (sealed at rest). */
  name: string;
  kind: 'audio' | 'video';
  /** The MIME type it is streamed with, from its checked container. */
  mime: string;
  /** Length in seconds. */
  duration: number;
  size: number;
  /** Plain bytes per sealed chunk of its content (the last chunk may be shorter). */
  chunkBytes: number;
  createdAt: Date;
}

/**
 * Durable shared media. Implementations seal name and content, the content in chunks of
 * `chunkBytes` so a byte range is served by opening only the chunks it covers.
 */
export interface SharedMediaRepository {
  /** Plain bytes per sealed chunk for new uploads. */
  readonly chunkBytes: number;
  /** Stores an upload, all of it or nothing; an unknown meeting is `not_found`. */
  add(record: SharedMediaRecord, content: Uint8Array): Promise<void>;
  /** The file of this meeting with this id (without content), if any. */
  find(meetingId: string, mediaId: string): Promise<SharedMediaRecord | undefined>;
  /** How many files the meeting has. */
  count(meetingId: string): Promise<number>;
  /** The meeting's files (without content), newest first. */
  list(meetingId: string): Promise<SharedMediaRecord[]>;
  /** The plain chunks `first..last` (0-based, inclusive) of a file of this meeting, in order. */
  chunks(meetingId: string, mediaId: string, first: number, last: number): AsyncIterable<Buffer>;
}

/** What a media prober read from a file's container: its demuxer, length and streams. */
export interface ProbedMedia {
  /** The demuxer's name list, e.g. "matroska,webm" or "mov,mp4,m4a,3gp,3g2,mj2". */
  format: string;
  /** Seconds, when the container says. */
  duration: number | undefined;
  streams: { type: string; codec: string; width?: number; height?: number }[];
}

/**
 * Reads container and codecs of an uploaded file without playing it (`media/ffprobe.ts`:
 * Debian's ffprobe, reading from a pipe). A file it cannot read is `bad_request`; a prober
 * that cannot run is `unavailable`.
 */
export interface MediaProbe {
  probe(content: Uint8Array): Promise<ProbedMedia>;
}

/**
 * Counts failed attempts per key and locks a key that failed too often (`auth/Throttle.ts`
 * implements it on the database, so every process counts the same failures).
 */
export interface AttemptThrottle {
  lockedUntil(key: string, now: Date): Promise<Date | undefined>;
  fail(
    key: string,
    rule: { readonly maxFailures: number; readonly windowMs: number; readonly lockMs: number },
    now: Date,
  ): Promise<{ readonly failures: number; readonly lockedUntil: Date | undefined }>;
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
  | 'moderation.locks_changed'
  | 'moderation.lobby_admitted'
  | 'moderation.lobby_denied'
  | 'moderation.lobby_message'
  | 'moderation.report_answered'
  | 'moderation.chat_deleted'
  | 'meeting.policy_changed'
  | 'meeting.invitation_created'
  | 'meeting.invitation_revoked'
  | 'meeting.link_throttled'
  | 'meeting.reported'
  | 'media.share_started'
  | 'media.share_stopped'
  | 'moderation.share_stopped'
  | 'moderation.share_allowed'
  | 'meeting.share_requested'
  | 'presentation.uploaded'
  | 'presentation.shown'
  | 'presentation.closed'
  | 'media.uploaded'
  | 'media.shown'
  | 'media.closed'
  | 'moderation.draw_allowed'
  | 'annotation.cleared'
  | 'breakout.started'
  | 'breakout.assigned'
  | 'breakout.moved'
  | 'breakout.broadcast'
  | 'breakout.ended'
  | 'minutes.taker_appointed'
  | 'minutes.taker_released'
  | 'minutes.merged'
  | 'minutes.exported';

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
  /** The account the browser is signed in with, if any (its session was checked). */
  userId?: string;
  /** The meeting passcode or invitation PIN the person typed, if any. */
  secret?: string;
}

/**
 * What an upload scan is about, for the scanner's log lines: ids and a kind only, never
 * a file name or any of the content (P1).
 */
export interface ScanSubject {
  meetingId: string;
  /** What is being uploaded, e.g. `presentation` or `media`. */
  kind: string;
}

/** A scanner's finding: clean, or infected with the signature the scanner named. */
export type ScanVerdict = { infected: false } | { infected: true; signature: string };

/**
 * Scans uploaded content for malware before it is stored (issue 6, item 6). Content comes
 * whole or as a stream of chunks. Resolves to the verdict; when no verdict can be had
 * (the scanner is down, slow or failing) it rejects with an `AppError('unavailable')`, so
 * an upload is refused rather than stored unscanned: scanning fails closed.
 * `scanning/ClamdScanner.ts` implements it on clamd; `noUploadScan` when scanning is off.
 */
export interface UploadScanner {
  scan(content: Uint8Array | AsyncIterable<Uint8Array>, subject: ScanSubject): Promise<ScanVerdict>;
}

/** The scanner used when virus scanning is off: every upload counts as clean, unread. */
export const noUploadScan: UploadScanner = {
  scan: () => Promise.resolve({ infected: false }),
};

/** A main meeting's running breakout session, as stored (sealed as one object). */
export interface StoredBreakout {
  rooms: { id: string; name: string }[];
  /** Main meeting participant id → room id. */
  assignment: Record<string, string>;
  /** Main meeting participant id → the room they are in and their participant id there. */
  entered?: Record<string, { roomId: string; childId: string }>;
  startedAt: string;
  endsAt: string;
  allowChoose: boolean;
}

/** Storage of running breakout sessions: one per main meeting, gone when the rooms close. */
export interface BreakoutRepository {
  load(meetingId: string): Promise<StoredBreakout | undefined>;
  /** Every running session (read at start-up to set the timers again). */
  list(): Promise<{ meetingId: string; state: StoredBreakout }[]>;
  /** Inserts or replaces the session. */
  save(meetingId: string, state: StoredBreakout): Promise<void>;
  /** Removes it; nothing happens if there is none. */
  delete(meetingId: string): Promise<void>;
}

/** A meeting's minutes as stored (sealed as one object). */
export interface StoredMinutes {
  /** The notes document's full Yjs state (v1 update), base64; '' for an empty one. */
  doc: string;
  items: MinutesItem[];
  /** Appointed minute-takers (participant ids). */
  takers: string[];
  /** Breakout rooms (meeting ids) whose minutes were merged in already. */
  merged: string[];
}

/** A meeting whose minutes an account may read after it (see `MinutesRepository.readable`). */
export interface ReadableMeeting {
  meetingId: string;
  /** When the minutes were last saved. */
  updatedAt: Date;
}

/**
 * Durable minutes, one row per meeting, gone with the meeting. Implementations seal the
 * whole object (notes, items, takers) bound to the meeting.
 */
export interface MinutesRepository {
  load(meetingId: string): Promise<StoredMinutes | undefined>;
  /** Stores (replaces) the minutes of an existing meeting. */
  save(meetingId: string, minutes: StoredMinutes, at: Date): Promise<void>;
  /**
   * Whether the account may read a meeting's minutes afterwards: it created the meeting,
   * or took part in it (admitted) signed in with that account.
   */
  mayRead(meetingId: string, userId: string): Promise<boolean>;
  /** The meetings with minutes this account may read, newest first (at most `limit`). */
  readable(userId: string, limit: number): Promise<ReadableMeeting[]>;
  /** How many people were admitted to the meeting. */
  countParticipants(meetingId: string): Promise<number>;
}
