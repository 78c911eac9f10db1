import { Redis } from 'ioredis';
import type { Bus, BusHandler } from '../meetings/ports.ts';
import { BusClosedError } from './BusClosedError.ts';
import {
  decodeMessage,
  encodeMessage,
  warnOnError,
  type BusErrorListener,
  type BusOptions,
} from './codec.ts';

/** One subscribed channel: its local handlers and the pending or confirmed SUBSCRIBE. */
interface ChannelState {
  handlers: Set<BusHandler>;
  confirmed: Promise<void>;
}

/**
 * The bus between server processes: Redis pub/sub over two connections, because a Redis
 * connection in subscriber mode cannot publish. Each channel is subscribed once per
 * process however many local handlers it has; the last handler to leave unsubscribes.
 * ioredis reconnects and resubscribes by itself after a connection loss; messages published
 * while a subscriber is disconnected are lost, as with any Redis pub/sub (durable state
 * lives in PostgreSQL, the bus only announces changes).
 */
export class RedisBus implements Bus {
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #channels = new Map<string, ChannelState>();
  readonly #onError: BusErrorListener;
  #closed = false;

  /** Starts connecting at once; `ready()` waits for both connections. */
  constructor(url: string, options: BusOptions = {}) {
    this.#onError = options.onError ?? warnOnError;
    // Fail commands after a few reconnection attempts instead of queueing them for long:
    // a signalling request should get an error while Redis is away, not hang.
    const settings = { maxRetriesPerRequest: 3, connectionName: 'konvent-bus' };
    this.#publisher = new Redis(url, settings);
    this.#subscriber = new Redis(url, settings);
    for (const connection of [this.#publisher, this.#subscriber]) {
      connection.on('error', (error: unknown) => {
        this.#onError(error, undefined);
      });
    }
    this.#subscriber.on('message', (channel: string, text: string) => {
      this.#deliver(channel, text);
    });
  }

  /** Resolves once both connections answer a PING; rejects if Redis cannot be reached. */
  async ready(): Promise<void> {
    await Promise.all([this.#publisher.ping(), this.#subscriber.ping()]);
  }

  /** Publishes to every process subscribed to the channel; resolves when Redis accepted it. */
  async publish(channel: string, message: unknown): Promise<void> {
    if (this.#closed) throw new BusClosedError();
    await this.#publisher.publish(channel, encodeMessage(message));
  }

  /**
   * Subscribes; resolves once Redis confirmed the subscription, to a function that ends
   * exactly this subscription (idempotent).
   */
  async subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>> {
    if (this.#closed) throw new BusClosedError();
    let state = this.#channels.get(channel);
    if (state === undefined) {
      const confirmed = this.#subscriber.subscribe(channel).then(() => undefined);
      state = { handlers: new Set(), confirmed };
      this.#channels.set(channel, state);
    }
    // Wrapping makes two subscriptions of the same function independent of each other.
    const entry: BusHandler = (message) => {
      handler(message);
    };
    state.handlers.add(entry);
    const remove = async (): Promise<void> => {
      state.handlers.delete(entry);
      if (state.handlers.size > 0 || this.#channels.get(channel) !== state) return;
      this.#channels.delete(channel);
      // A later SUBSCRIBE to the same channel is sent on the same connection after this
      // UNSUBSCRIBE, so Redis applies them in order and the new subscription survives.
      if (!this.#closed) await this.#subscriber.unsubscribe(channel);
    };
    try {
      await state.confirmed;
    } catch (error) {
      await remove().catch(() => undefined);
      throw error;
    }
    let active = true;
    return async () => {
      if (!active) return;
      active = false;
      await remove();
    };
  }

  /** Ends every subscription and both connections. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#channels.clear();
    await Promise.all([shutdown(this.#subscriber), shutdown(this.#publisher)]);
  }

  #deliver(channel: string, text: string): void {
    const state = this.#channels.get(channel);
    if (state === undefined || this.#closed) return;
    let message: unknown;
    try {
      message = decodeMessage(text);
    } catch (error) {
      // Someone else published non-JSON on our channel; drop it rather than crash.
      this.#onError(error, channel);
      return;
    }
    for (const handler of [...state.handlers]) {
      if (!state.handlers.has(handler)) continue;
      try {
        // Each handler gets its own copy, as with the in-process bus.
        handler(state.handlers.size === 1 ? message : decodeMessage(text));
      } catch (error) {
        this.#onError(error, channel);
      }
    }
  }
}

async function shutdown(connection: Redis): Promise<void> {
  if (connection.status === 'ready') {
    try {
      // QUIT lets pending publishes finish first.
      await connection.quit();
      return;
    } catch {
      // Fall through to a hard disconnect.
    }
  }
  connection.disconnect();
}
