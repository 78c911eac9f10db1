/**
 * What travels on a meeting's bus channel. Every fan-out to participants is published
 * here rather than written to sockets directly, so that whichever server process holds a
 * participant's socket delivers it (see signaling/SocketRegistry.ts).
 */
import { NOTIFICATIONS, type NotificationName } from '@konvent/protocol';

/** Why a socket is being closed by the server. */
export type DisconnectReason =
  | 'ended'
  | 'left'
  | 'replaced'
  | 'removed'
  | 'banned'
  | 'restart'
  | 'admitted'
  | 'denied'
  /** A breakout room closed; the person goes back to the main meeting. */
  | 'breakout_ended'
  /** A moderator moved the person to another breakout room (or the main meeting). */
  | 'moved';

/** Who receives a delivery: everyone in the meeting, or the listed participants. */
export type Audience = 'all' | string[];

/** Push a notification to an audience, optionally leaving one participant out. */
export interface NotifyDelivery {
  type: 'notify';
  to: Audience;
  except?: string;
  notification: NotificationName;
  data: unknown;
}

/** Close the sockets of an audience. */
export interface DisconnectDelivery {
  type: 'disconnect';
  to: Audience;
  reason: DisconnectReason;
}

/**
 * A participant opened a new socket with this connection id; any other socket of theirs,
 * on any process, is replaced.
 */
export interface ClaimDelivery {
  type: 'claim';
  participantId: string;
  connectionId: string;
}

/** One message on a meeting channel. */
export type Delivery = NotifyDelivery | DisconnectDelivery | ClaimDelivery;

/** The bus channel of one meeting. */
export function meetingChannel(meetingId: string): string {
  return `meeting:${meetingId}`;
}

const REASONS: readonly string[] = [
  'ended',
  'left',
  'replaced',
  'removed',
  'banned',
  'restart',
  'admitted',
  'denied',
  'breakout_ended',
  'moved',
];

function isAudience(value: unknown): value is Audience {
  return value === 'all' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
}

/**
 * Whether a value received from the bus is a well-formed delivery. Messages from Redis
 * cross a process boundary, so they are checked like any other input.
 */
export function isDelivery(value: unknown): value is Delivery {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  switch (v.type) {
    case 'notify':
      return (
        isAudience(v.to) &&
        (v.except === undefined || typeof v.except === 'string') &&
        typeof v.notification === 'string' &&
        Object.hasOwn(NOTIFICATIONS, v.notification) &&
        'data' in v
      );
    case 'disconnect':
      return isAudience(v.to) && typeof v.reason === 'string' && REASONS.includes(v.reason);
    case 'claim':
      return typeof v.participantId === 'string' && typeof v.connectionId === 'string';
    default:
      return false;
  }
}
