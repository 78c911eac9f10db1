import type { NotificationData, NotificationName } from '@konvent/protocol';
import {
  isDelivery,
  meetingChannel,
  type Delivery,
  type DisconnectReason,
} from '../meetings/delivery.ts';
import { Fanout } from '../meetings/Fanout.ts';
import type { Bus, DomainLogger } from '../meetings/ports.ts';

/** A socket as the registry sees it. */
export interface RegisteredSocket {
  readonly participantId: string;
  readonly connectionId: string;
  /** Pushes a notification (buffered until the welcome frame went out). */
  notify<N extends NotificationName>(notification: N, data: NotificationData<N>): void;
  /** Closes the socket for a reason the server decided. */
  terminate(reason: DisconnectReason): void;
}

interface MeetingSockets {
  readonly sockets: Map<string, RegisteredSocket>;
  readonly subscription: Promise<() => Promise<void>>;
}

/**
 * The signalling sockets on this process, by meeting and participant. It subscribes to a
 * meeting's bus channel while it holds at least one of its sockets and delivers what the
 * domain and the media layer publish, so a participant is reached whichever process
 * published. One socket per participant: a newer one replaces the older, here directly
 * and on other processes through a `claim` on the bus.
 */
export class SocketRegistry {
  readonly #bus: Bus;
  readonly #fanout: Fanout;
  readonly #logger: DomainLogger;
  readonly #meetings = new Map<string, MeetingSockets>();

  constructor(bus: Bus, logger: DomainLogger) {
    this.#bus = bus;
    this.#fanout = new Fanout(bus);
    this.#logger = logger;
  }

  /** Adds a socket, replacing the participant's older one; resolves once deliveries flow. */
  async register(meetingId: string, socket: RegisteredSocket): Promise<void> {
    let entry = this.#meetings.get(meetingId);
    if (entry === undefined) {
      const subscription = this.#bus.subscribe(meetingChannel(meetingId), (message) => {
        this.#deliver(meetingId, message);
      });
      entry = { sockets: new Map(), subscription };
      this.#meetings.set(meetingId, entry);
    }
    const previous = entry.sockets.get(socket.participantId);
    entry.sockets.set(socket.participantId, socket);
    if (previous !== undefined && previous !== socket) previous.terminate('replaced');
    try {
      await entry.subscription;
    } catch (error) {
      this.unregister(meetingId, socket);
      throw error;
    }
    await this.#fanout.claim(meetingId, socket.participantId, socket.connectionId);
  }

  /** Removes a socket; the last one of a meeting ends the channel subscription. */
  unregister(meetingId: string, socket: RegisteredSocket): void {
    const entry = this.#meetings.get(meetingId);
    if (entry === undefined) return;
    if (entry.sockets.get(socket.participantId) === socket)
      entry.sockets.delete(socket.participantId);
    if (entry.sockets.size > 0) return;
    this.#meetings.delete(meetingId);
    entry.subscription
      .then((unsubscribe) => unsubscribe())
      .catch((error: unknown) => {
        this.#logger.warn(
          { err: error, meetingId },
          'could not end a meeting channel subscription',
        );
      });
  }

  /** Every registered socket (for shutdown). */
  all(): RegisteredSocket[] {
    return [...this.#meetings.values()].flatMap((entry) => [...entry.sockets.values()]);
  }

  /** How many sockets are registered. */
  get size(): number {
    let count = 0;
    for (const entry of this.#meetings.values()) count += entry.sockets.size;
    return count;
  }

  #deliver(meetingId: string, message: unknown): void {
    if (!isDelivery(message)) {
      this.#logger.warn({ meetingId }, 'ignored a malformed message on a meeting channel');
      return;
    }
    const entry = this.#meetings.get(meetingId);
    if (entry === undefined) return;
    if (message.type === 'claim') {
      const socket = entry.sockets.get(message.participantId);
      if (socket !== undefined && socket.connectionId !== message.connectionId)
        socket.terminate('replaced');
      return;
    }
    for (const socket of this.#targets(entry, message)) {
      if (message.type === 'notify') {
        // The bus carries JSON; the shape was fixed by the typed publisher (`Fanout.notify`).
        socket.notify(message.notification, message.data as never);
      } else {
        socket.terminate(message.reason);
      }
    }
  }

  #targets(
    entry: MeetingSockets,
    message: Exclude<Delivery, { type: 'claim' }>,
  ): RegisteredSocket[] {
    const except = message.type === 'notify' ? message.except : undefined;
    if (message.to === 'all') {
      return [...entry.sockets.values()].filter((s) => s.participantId !== except);
    }
    const targets: RegisteredSocket[] = [];
    for (const participantId of new Set(message.to)) {
      const socket = entry.sockets.get(participantId);
      if (socket !== undefined && participantId !== except) targets.push(socket);
    }
    return targets;
  }
}
