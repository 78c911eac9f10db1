import type { NotificationData, NotificationName } from '@konvent/protocol';
import { meetingChannel, type Audience, type Delivery, type DisconnectReason } from './delivery.ts';
import type { Bus } from './ports.ts';

/**
 * Publishes deliveries for a meeting's participants on the bus. The only way the domain
 * and the media layer reach sockets, so a second server process can deliver them too.
 */
export class Fanout {
  readonly #bus: Bus;

  constructor(bus: Bus) {
    this.#bus = bus;
  }

  /** Sends a typed notification to an audience, optionally leaving one participant out. */
  async notify<N extends NotificationName>(
    meetingId: string,
    to: Audience,
    notification: N,
    data: NotificationData<N>,
    except?: string,
  ): Promise<void> {
    const delivery: Delivery =
      except === undefined
        ? { type: 'notify', to, notification, data }
        : { type: 'notify', to, except, notification, data };
    await this.#bus.publish(meetingChannel(meetingId), delivery);
  }

  /** Closes the sockets of an audience, telling them why. */
  async disconnect(meetingId: string, to: Audience, reason: DisconnectReason): Promise<void> {
    const delivery: Delivery = { type: 'disconnect', to, reason };
    await this.#bus.publish(meetingChannel(meetingId), delivery);
  }

  /** Announces a participant's newest connection; older sockets anywhere are replaced. */
  async claim(meetingId: string, participantId: string, connectionId: string): Promise<void> {
    const delivery: Delivery = { type: 'claim', participantId, connectionId };
    await this.#bus.publish(meetingChannel(meetingId), delivery);
  }
}
