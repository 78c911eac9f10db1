/**
 * Event maps of the meetings domain. `MeetingEvents` is what other parts of the server
 * act on (media cleanup); `MeetingObserverEvents` is what audit and metrics record. Neither
 * carries personal content (names, chat text, tokens).
 */
import type { MediaSource, MeetingRole } from '@konvent/protocol';

/** Why a live meeting object was closed. */
export type MeetingCloseReason = 'ended' | 'empty' | 'shutdown';

/** Events the server's other parts act on. */
export interface MeetingEvents {
  /** A participant is gone for good: left, timed out or removed. Media must be released. */
  participantLeft: { meetingId: string; participantId: string };
  /** The live meeting object closed; its media room and timers must go too. */
  meetingClosed: { meetingId: string; reason: MeetingCloseReason };
  /**
   * A moderator stopped a participant's source: the media layer pauses (`pause`, the
   * participant may resume it) or closes (`close`) its producer.
   */
  sourceStopped: {
    meetingId: string;
    participantId: string;
    source: MediaSource;
    how: 'pause' | 'close';
  };
  /**
   * Who may receive whose camera may have changed (a lock or a role changed): the media
   * layer closes consumers that are no longer allowed and creates those that now are.
   */
  consumersChanged: { meetingId: string };
}

/** Events for audit trail and metrics. */
export interface MeetingObserverEvents {
  meetingCreated: { meetingId: string };
  /** A link check or join with an unknown meeting or wrong token (possible brute force). */
  linkRejected: { meetingId: string };
  participantJoined: { meetingId: string; participantId: string; role: MeetingRole };
  participantConnected: { meetingId: string; participantId: string; reconnect: boolean };
  participantLeft: {
    meetingId: string;
    participantId: string;
    reason: 'left' | 'timeout' | 'removed' | 'moved';
  };
  meetingEnded: { meetingId: string; participantId: string };
  /** Someone tried an action their role does not allow. */
  actionDenied: { meetingId: string; participantId: string; action: string };
  chatSent: { meetingId: string; private: boolean };
}
