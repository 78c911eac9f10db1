import type { MeetingEvents, MeetingObserverEvents } from './events.ts';
import type { Fanout } from './Fanout.ts';
import type { Meeting } from './Meeting.ts';
import type { AuditTrail, Clock, DomainLogger } from './ports.ts';
import type { TypedEmitter } from './TypedEmitter.ts';

/**
 * What the meeting service hands each desk of shared content (whiteboard, annotations):
 * the fan-out, audit, clock and logger, its event emitters, and how to load a meeting.
 */
export interface DeskContext {
  fanout: Fanout;
  audit: AuditTrail;
  clock: Clock;
  logger: DomainLogger;
  events: TypedEmitter<MeetingEvents>;
  observer: TypedEmitter<MeetingObserverEvents>;
  load: (meetingId: string) => Promise<Meeting>;
}
