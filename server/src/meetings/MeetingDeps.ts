/**
 * The shapes a live `Meeting` is built from: its options, what its owner hands it, and
 * its record of each participant (shared with `LockEnforcer`, which reads it).
 */
import type { MeetingRole } from '@konvent/protocol';
import type { MeetingEvents, MeetingObserverEvents } from './events.ts';
import type { Fanout } from './Fanout.ts';
import type { Meeting } from './Meeting.ts';
import type { AuditTrail, Clock, DomainLogger, MeetingRepository } from './ports.ts';
import type { TypedEmitter } from './TypedEmitter.ts';

/** Timings and limits of a live meeting. */
export interface MeetingOptions {
  /** How long a participant whose socket dropped stays `reconnecting` before they have left. */
  reconnectGraceMs: number;
  /** How long a participant who joined over HTTP has to open their first socket. */
  connectGraceMs: number;
}

/** What a live meeting needs from its owner. */
export interface MeetingDeps {
  repo: MeetingRepository;
  fanout: Fanout;
  clock: Clock;
  logger: DomainLogger;
  audit: AuditTrail;
  events: TypedEmitter<MeetingEvents>;
  observer: TypedEmitter<MeetingObserverEvents>;
  options: MeetingOptions;
  /** Called once when the meeting closes, so the owner drops it from its map. */
  onClosed: (meeting: Meeting) => void;
}

/** A participant as the live meeting tracks them. */
export interface LiveParticipant {
  readonly id: string;
  readonly displayName: string;
  /** The personal invitation they came with (revoked when they are banned). */
  readonly invitationId: string | undefined;
  /**
   * Whether they may be made a moderator (R1): signed in with an account of this server,
   * or named in a personal invitation. Anonymous guests may not.
   */
  readonly mayModerate: boolean;
  /** Changed only by `setRole`; every right is checked against this, never the session's. */
  role: MeetingRole;
  readonly joinedAt: Date;
  /** Announced to the others; false until the first socket of a fresh join opens. */
  visible: boolean;
  /** The current socket's connection id; undefined while reconnecting. */
  connectionId: string | undefined;
  microphone: boolean;
  camera: boolean;
  /** Sharing their screen right now. */
  screen: boolean;
  /** A moderator granted them screen sharing (kept in memory only, see `ScreenShares`). */
  mayShare: boolean;
  /** Grace timer that turns a missing participant into one who left. */
  timer: NodeJS.Timeout | undefined;
}
