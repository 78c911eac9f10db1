import type { Bus, BusHandler } from '../meetings/ports.ts';
import { BusClosedError } from './BusClosedError.ts';
import {
  decodeMessage,
  encodeMessage,
  warnOnError,
  type BusErrorListener,
  type BusOptions,
} from './codec.ts';

/**
 * The embedded bus for a single server process. It mirrors Redis pub/sub: delivery is
 * asynchronous (after `publish` returns), in publish order, each handler gets its own copy,
 * and a handler that unsubscribed before delivery does not receive the message.
 */
export class InProcessBus implements Bus {
  readonly #channels = new Map<string, Set<BusHandler>>();
  readonly #onError: BusErrorListener;
  #closed = false;

  constructor(options: BusOptions = {}) {
    this.#onError = options.onError ?? warnOnError;
  }

  /** Queues the message for every current subscriber of the channel. */
  publish(channel: string, message: unknown): Promise<void> {
    if (this.#closed) return Promise.reject(new BusClosedError());
    let text: string;
    try {
      text = encodeMessage(message);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const handlers = [...(this.#channels.get(channel) ?? [])];
    if (handlers.length > 0) {
      queueMicrotask(() => {
        for (const handler of handlers) {
          if (this.#closed || !this.#channels.get(channel)?.has(handler)) continue;
          try {
            handler(decodeMessage(text));
          } catch (error) {
            this.#onError(error, channel);
          }
        }
      });
    }
    return Promise.resolve();
  }

  /** Adds a handler; the returned function removes exactly this subscription (idempotent). */
  subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>> {
    if (this.#closed) return Promise.reject(new BusClosedError());
    let handlers = this.#channels.get(channel);
    if (handlers === undefined) {
      handlers = new Set();
      this.#channels.set(channel, handlers);
    }
    // Wrapping makes two subscriptions of the same function independent of each other.
    const entry: BusHandler = (message) => {
      handler(message);
    };
    handlers.add(entry);
    const unsubscribe = (): Promise<void> => {
      const current = this.#channels.get(channel);
      if (current?.delete(entry) === true && current.size === 0) this.#channels.delete(channel);
      return Promise.resolve();
    };
    return Promise.resolve(unsubscribe);
  }

  /** Drops every subscription; later calls to publish or subscribe reject. Idempotent. */
  close(): Promise<void> {
    this.#closed = true;
    this.#channels.clear();
    return Promise.resolve();
  }
}
