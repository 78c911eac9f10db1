/** An event map: event name → the arguments its listeners receive. */
export type EventMap<E> = { [K in keyof E]: unknown[] };

type ListenerSets<E extends EventMap<E>> = { [K in keyof E]?: Set<(...args: E[K]) => void> };

/**
 * A minimal event emitter whose event names and listener arguments are checked by the
 * compiler. Written here rather than taken from a library because the browser has no
 * `node:events` and the whole thing is a dozen lines.
 */
export class TypedEmitter<E extends EventMap<E>> {
  readonly #listeners: ListenerSets<E> = {};

  /** Adds a listener; returns a function that removes it again. */
  on<K extends keyof E>(event: K, listener: (...args: E[K]) => void): () => void {
    const set = this.#listeners[event] ?? new Set<(...args: E[K]) => void>();
    this.#listeners[event] = set;
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  /** Calls every listener of `event`; a failing listener does not stop the others. */
  protected emit<K extends keyof E>(event: K, ...args: E[K]): void {
    const set = this.#listeners[event];
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(...args);
      } catch (error) {
        console.error(`listener for "${String(event)}" failed`, error);
      }
    }
  }

  /** Removes every listener, e.g. when the emitter is closed for good. */
  protected removeAllListeners(): void {
    for (const key of Object.keys(this.#listeners) as (keyof E)[]) {
      this.#listeners[key]?.clear();
    }
  }
}
