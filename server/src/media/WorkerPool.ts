import { access, constants } from 'node:fs/promises';
import type * as MediasoupModule from 'mediasoup';
import type { types as ms } from 'mediasoup';
import { AppError } from '../errors/AppError.ts';
import type { DomainLogger } from '../meetings/ports.ts';

/** Settings of the worker pool (from `config.media`). */
export interface WorkerPoolSettings {
  workers: number;
  rtcMinPort: number;
  rtcMaxPort: number;
  workerBin: string;
}

type Mediasoup = typeof MediasoupModule;

interface Slot {
  readonly index: number;
  readonly minPort: number;
  readonly maxPort: number;
  worker: ms.Worker | undefined;
  /** Routers plus transports on the worker: the placement weight. */
  load: number;
  restartDelayMs: number;
  restartTimer: NodeJS.Timeout | undefined;
}

const FIRST_RESTART_DELAY_MS = 1_000;
const MAX_RESTART_DELAY_MS = 30_000;

/**
 * One mediasoup worker (a C++ child process) per configured slot. Each slot gets its own
 * slice of the RTC port range so workers never race for a port. A worker that dies is
 * restarted with backoff; until then the pool reports fewer live workers, which the
 * health check turns into 503 when none is left.
 */
export class WorkerPool {
  readonly #mediasoup: Mediasoup;
  readonly #slots: Slot[];
  readonly #logger: DomainLogger;
  #closed = false;

  private constructor(mediasoup: Mediasoup, slots: Slot[], logger: DomainLogger) {
    this.#mediasoup = mediasoup;
    this.#slots = slots;
    this.#logger = logger;
  }

  /**
   * Loads mediasoup with the configured worker binary and starts all workers. mediasoup
   * reads `MEDIASOUP_WORKER_BIN` when it is first imported, hence the dynamic import.
   * Routers of a worker that dies close by themselves (`workerclose`).
   */
  static async start(settings: WorkerPoolSettings, logger: DomainLogger): Promise<WorkerPool> {
    try {
      await access(settings.workerBin, constants.X_OK);
    } catch {
      throw new Error(`mediasoup worker binary ${settings.workerBin} is missing or not executable`);
    }
    process.env.MEDIASOUP_WORKER_BIN = settings.workerBin;
    const mediasoup = await import('mediasoup');
    const count = Math.max(1, settings.workers);
    const span = Math.floor((settings.rtcMaxPort - settings.rtcMinPort + 1) / count);
    if (span < 1) throw new Error('the RTC port range is smaller than the number of media workers');
    const slots: Slot[] = [];
    for (let index = 0; index < count; index++) {
      const minPort = settings.rtcMinPort + index * span;
      slots.push({
        index,
        minPort,
        maxPort: minPort + span - 1,
        worker: undefined,
        load: 0,
        restartDelayMs: FIRST_RESTART_DELAY_MS,
        restartTimer: undefined,
      });
    }
    const pool = new WorkerPool(mediasoup, slots, logger);
    try {
      await Promise.all(slots.map((slot) => pool.#spawn(slot)));
    } catch (error) {
      pool.close();
      throw error;
    }
    return pool;
  }

  /** How many workers are alive. */
  alive(): number {
    return this.#slots.filter((s) => s.worker !== undefined && !s.worker.died).length;
  }

  /** The live worker with the lowest load; `unavailable` when none is alive. */
  leastLoaded(): ms.Worker {
    let best: Slot | undefined;
    for (const slot of this.#slots) {
      if (slot.worker === undefined || slot.worker.died) continue;
      if (best === undefined || slot.load < best.load) best = slot;
    }
    if (best?.worker === undefined)
      throw new AppError('unavailable', 'No media worker is available.');
    return best.worker;
  }

  /** Per-worker load, for metrics and tests. */
  loads(): { pid: number | undefined; load: number }[] {
    return this.#slots.map((s) => ({ pid: s.worker?.pid, load: s.load }));
  }

  /** Stops every worker and any pending restart. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const slot of this.#slots) {
      clearTimeout(slot.restartTimer);
      slot.worker?.close();
      slot.worker = undefined;
    }
  }

  async #spawn(slot: Slot): Promise<void> {
    const worker = await this.#mediasoup.createWorker({
      logLevel: 'warn',
      rtcMinPort: slot.minPort,
      rtcMaxPort: slot.maxPort,
    });
    if (this.#closed) {
      worker.close();
      return;
    }
    slot.worker = worker;
    slot.load = 0;
    // Load follows the worker's own observer events, so nothing can forget to count.
    worker.observer.on('newrouter', (router) => {
      slot.load += 1;
      router.observer.on('newtransport', (transport) => {
        slot.load += 1;
        transport.observer.on('close', () => (slot.load -= 1));
      });
      router.observer.on('close', () => (slot.load -= 1));
    });
    worker.on('died', (error) => {
      this.#logger.error({ err: error, pid: worker.pid }, 'mediasoup worker died');
      if (slot.worker === worker) slot.worker = undefined;
      this.#scheduleRestart(slot);
    });
  }

  #scheduleRestart(slot: Slot): void {
    if (this.#closed) return;
    const delay = slot.restartDelayMs;
    slot.restartDelayMs = Math.min(delay * 2, MAX_RESTART_DELAY_MS);
    slot.restartTimer = setTimeout(() => {
      slot.restartTimer = undefined;
      this.#spawn(slot)
        .then(() => {
          slot.restartDelayMs = FIRST_RESTART_DELAY_MS;
          this.#logger.warn(
            { slot: slot.index, pid: slot.worker?.pid },
            'mediasoup worker restarted',
          );
        })
        .catch((error: unknown) => {
          this.#logger.error({ err: error, slot: slot.index }, 'mediasoup worker restart failed');
          this.#scheduleRestart(slot);
        });
    }, delay);
    slot.restartTimer.unref();
  }
}
