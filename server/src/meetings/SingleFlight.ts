/**
 * At most one load per key at a time: whoever asks while a load runs shares its promise,
 * and the key is free again once it settles. Used where live state is built from storage
 * on first use (meetings, lobbies, minutes), so two callers never build it twice.
 */
export class SingleFlight<T> {
  readonly #pending = new Map<string, Promise<T>>();

  /** The load running for this key, if any. */
  pending(key: string): Promise<T> | undefined {
    return this.#pending.get(key);
  }

  /** Joins the running load for this key, or starts `load`. */
  run(key: string, load: () => Promise<T>): Promise<T> {
    const pending = this.#pending.get(key);
    if (pending !== undefined) return pending;
    const loading = load().finally(() => this.#pending.delete(key));
    this.#pending.set(key, loading);
    return loading;
  }
}
