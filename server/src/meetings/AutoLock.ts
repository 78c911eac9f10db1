import type { Clock, DomainLogger } from './ports.ts';

/** What an auto-lock needs from its meeting. */
export interface AutoLockDeps {
  clock: Clock;
  logger: DomainLogger;
  /** Locks the meeting (stored and audited by the meeting). */
  lock: (minutes: number) => Promise<void>;
  /** Stores when the meeting started. */
  storeStart: (at: Date) => Promise<void>;
}

/**
 * Lock after start (R7): when a meeting started (its first moderator arrived) and one timer
 * that locks it the policy's minutes later. Kept out of `Meeting` so the meeting stays one
 * readable file.
 *
 * Ownership: the live meeting holds one; `clear()` (the meeting closed) stops the timer.
 */
export class AutoLock {
  readonly #meetingId: string;
  readonly #deps: AutoLockDeps;
  #startedAt: Date | null;
  #minutes: number | null;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    meetingId: string,
    startedAt: Date | null,
    minutes: number | null,
    deps: AutoLockDeps,
  ) {
    this.#meetingId = meetingId;
    this.#startedAt = startedAt;
    this.#minutes = minutes;
    this.#deps = deps;
    this.#schedule();
  }

  /** A moderator arrived: the first time, the meeting has started (stored) and the timer runs. */
  begin(): void {
    if (this.#startedAt !== null) return;
    const at = this.#deps.clock.now();
    this.#startedAt = at;
    this.#schedule();
    this.#deps.storeStart(at).catch((error: unknown) => {
      this.#deps.logger.warn(
        { err: error, meetingId: this.#meetingId },
        'could not store the start',
      );
    });
  }

  /** The policy's minutes changed (null: never); the timer follows. */
  setMinutes(minutes: number | null): void {
    this.#minutes = minutes;
    this.#schedule();
  }

  /** Stops the timer. Idempotent. */
  clear(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Sets (or clears) the timer. A time already past (the policy changed late, or the
   * process was down) sets nothing: moderators lock by hand then.
   */
  #schedule(): void {
    this.clear();
    const minutes = this.#minutes;
    if (minutes === null || this.#startedAt === null) return;
    const due = this.#startedAt.getTime() + minutes * 60_000 - this.#deps.clock.now().getTime();
    if (due <= 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#deps.lock(minutes).catch((error: unknown) => {
        this.#deps.logger.error(
          { err: error, meetingId: this.#meetingId },
          'could not lock the meeting',
        );
      });
    }, due);
    // A pending lock must not keep the process alive at shutdown.
    this.#timer.unref();
  }
}
