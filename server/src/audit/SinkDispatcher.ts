import type { Logger } from '../observability/createLogger.ts';
import type { CheckpointSink } from './CheckpointSink.ts';

/** Options for {@link SinkDispatcher}. */
export interface SinkDispatcherOptions {
  /** The first retry delay after a failed delivery; it doubles up to `maxRetryMs`. */
  readonly retryMs?: number;
  readonly maxRetryMs?: number;
  /**
   * Checkpoints kept per sink while it is unreachable; beyond this the oldest are dropped
   * (a later checkpoint vouches for everything an earlier one did).
   */
  readonly maxPending?: number;
}

interface SinkState {
  readonly sink: CheckpointSink;
  readonly queue: string[];
  delivering: boolean;
  timer: NodeJS.Timeout | undefined;
  delayMs: number;
}

/**
 * Hands checkpoints to the sinks in the background: in order per sink, each sink on its
 * own, failures logged and retried with exponential back-off. Nothing here is awaited by
 * `AuditLog.record`, so an unreachable witness never delays or fails an audited action.
 */
export class SinkDispatcher {
  readonly #states: SinkState[];
  readonly #logger: Logger;
  readonly #retryMs: number;
  readonly #maxRetryMs: number;
  readonly #maxPending: number;
  /** Set by `close`: one last attempt, no more retries. */
  #closing = false;
  /** Set once `close` has finished: nothing more is delivered. */
  #closed = false;
  readonly #waiters = new Set<() => void>();

  constructor(
    sinks: readonly CheckpointSink[],
    logger: Logger,
    options: SinkDispatcherOptions = {},
  ) {
    this.#logger = logger;
    this.#retryMs = options.retryMs ?? 1000;
    this.#maxRetryMs = options.maxRetryMs ?? 60_000;
    this.#maxPending = options.maxPending ?? 1000;
    this.#states = sinks.map((sink) => ({
      sink,
      queue: [],
      delivering: false,
      timer: undefined,
      delayMs: this.#retryMs,
    }));
  }

  /** Checkpoints not yet delivered, over all sinks. */
  get pending(): number {
    return this.#states.reduce((sum, state) => sum + state.queue.length, 0);
  }

  /** Queues a checkpoint for every sink and starts delivering. */
  dispatch(checkpoint: string): void {
    if (this.#closing) return;
    for (const state of this.#states) {
      state.queue.push(checkpoint);
      if (state.queue.length > this.#maxPending) {
        state.queue.shift();
        this.#logger.warn(
          { sink: state.sink.name },
          'checkpoint sink backlog full; dropped the oldest',
        );
      }
      this.#kick(state);
    }
  }

  /**
   * Resolves true once every queued checkpoint is delivered, false after `timeoutMs`
   * (default: wait indefinitely). Pending retries are not hastened.
   */
  idle(timeoutMs?: number): Promise<boolean> {
    return this.#waitFor(() => this.pending === 0, timeoutMs);
  }

  /**
   * Makes one last attempt for everything queued (waiting at most `timeoutMs` for it), then
   * stops: what is still undelivered is logged and dropped, later dispatches are ignored.
   */
  async close(timeoutMs = 5000): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    for (const state of this.#states) {
      clearTimeout(state.timer);
      state.timer = undefined;
      this.#kick(state);
    }
    await this.#waitFor(() => this.#states.every((state) => !state.delivering), timeoutMs);
    this.#closed = true;
    for (const state of this.#states) {
      if (state.queue.length > 0) {
        this.#logger.error(
          { sink: state.sink.name, undelivered: state.queue.length },
          'checkpoints could not be delivered to the sink before shutdown',
        );
      }
    }
  }

  /** Resolves true when `done()` holds (checked after every delivery), false on timeout. */
  #waitFor(done: () => boolean, timeoutMs: number | undefined): Promise<boolean> {
    if (done()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              this.#waiters.delete(check);
              resolve(done());
            }, timeoutMs);
      const check = (): void => {
        if (!done()) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(true);
      };
      this.#waiters.add(check);
    });
  }

  #kick(state: SinkState): void {
    if (state.delivering || state.timer !== undefined || this.#closed) return;
    state.delivering = true;
    void this.#deliver(state).finally(() => {
      state.delivering = false;
      for (const check of [...this.#waiters]) check();
    });
  }

  async #deliver(state: SinkState): Promise<void> {
    for (let next = state.queue[0]; next !== undefined; next = state.queue[0]) {
      try {
        await state.sink.publish(next);
      } catch (error) {
        if (this.#closing) return;
        this.#logger.warn(
          { sink: state.sink.name, err: error, retryInMs: state.delayMs },
          'checkpoint sink delivery failed; will retry',
        );
        state.timer = setTimeout(() => {
          state.timer = undefined;
          this.#kick(state);
        }, state.delayMs);
        state.timer.unref();
        state.delayMs = Math.min(state.delayMs * 2, this.#maxRetryMs);
        return;
      }
      // The queue may have been trimmed meanwhile; drop what was delivered only.
      if (state.queue[0] === next) state.queue.shift();
      state.delayMs = this.#retryMs;
    }
  }
}
