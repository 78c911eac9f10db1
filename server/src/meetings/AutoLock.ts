import type { Clock, DomainLogger } from './ports.ts';

/**
 * Lock after start (R7): one timer that locks a meeting a policy's minutes after its first
 * moderator arrived. Kept out of `Meeting` so the meeting stays one readable file.
 *
 * Ownership: the live meeting holds one; `clear()` (the meeting closed) stops the timer.
 */
export class AutoLock {
  readonly #clock: Clock;
  readonly #logger: DomainLogger;
  readonly #meetingId: string;
  /** Locks the meeting (stored and audited by the meeting). */
  readonly #lock: (minutes: number) => Promise<void>;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    meetingId: string,
    deps: { clock: Clock; logger: DomainLogger; lock: (minutes: number) => Promise<void> },
  ) {
    this.#meetingId = meetingId;
    this.#clock = deps.clock;
    this.#logger = deps.logger;
    this.#lock = deps.lock;
  }

  /**
   * Sets (or clears) the timer for a start time and a number of minutes. A time already
   * past (the policy changed late, or the process was down) sets nothing: moderators lock
   * by hand then.
   */
  schedule(startedAt: Date | null, minutes: number | null): void {
    this.clear();
    if (minutes === null || startedAt === null) return;
    const due = startedAt.getTime() + minutes * 60_000 - this.#clock.now().getTime();
    if (due <= 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#lock(minutes).catch((error: unknown) => {
        this.#logger.error(
          { err: error, meetingId: this.#meetingId },
          'could not lock the meeting',
        );
      });
    }, due);
    // A pending lock must not keep the process alive at shutdown.
    this.#timer.unref();
  }

  /** Stops the timer. Idempotent. */
  clear(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
