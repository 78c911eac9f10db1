import { EventEmitter } from 'node:events';

/**
 * An event emitter whose events and payloads are fixed by a type map, so a listener can
 * not subscribe to a misspelt event or misread its payload. Every event carries exactly
 * one payload object, which keeps listeners easy to extend.
 */
export class TypedEmitter<Events extends { [K in keyof Events]: object }> {
  readonly #emitter = new EventEmitter({ captureRejections: false });

  constructor() {
    // Audit, metrics and the composition root may all listen; no leak warning at 10.
    this.#emitter.setMaxListeners(100);
  }

  /** Adds a listener; returns a function that removes it again. */
  on<K extends keyof Events & string>(
    event: K,
    listener: (payload: Events[K]) => void,
  ): () => void {
    this.#emitter.on(event, listener);
    return () => {
      this.#emitter.off(event, listener);
    };
  }

  /** Calls every listener of the event synchronously, in the order they were added. */
  emit<K extends keyof Events & string>(event: K, payload: Events[K]): void {
    this.#emitter.emit(event, payload);
  }

  /** Removes every listener (used when the owner closes). */
  removeAllListeners(): void {
    this.#emitter.removeAllListeners();
  }
}
