import { Worker } from 'node:worker_threads';
import type { BinaryPage } from './BinaryPage.ts';
import type { PageCheckReply, PageCheckRequest } from './pageCheckWorker.ts';

/** A page back from a worker, with one verdict byte per row. */
export interface CheckedPage {
  readonly page: BinaryPage;
  /**
   * `verdicts[i]` is 1 when row i passed `rowVerifies` as event `first + i`, `first` being
   * the seq the page's first row names; else 0.
   */
  readonly verdicts: Uint8Array;
}

/** A page handed to a worker, waiting for its verdicts. */
interface Waiting {
  /** The page as it was sent (its memory now detached), to be rebuilt on its way back. */
  readonly page: BinaryPage;
  readonly resolve: (checked: CheckedPage) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Worker threads that run the in-place row checks of pages read by binary COPY (leaf hash
 * and column comparison, `rowVerifies`), so that on PostgreSQL checking runs beside reading
 * the next page and the database producing the one after, instead of after them on one
 * core (docs/audit.md, Performance). Pages are handed out in turn; each answer is one
 * verdict byte per row, and the verifier goes on in seq order with them (`pushPage`).
 */
export class PageCheckPool {
  readonly #workers: Worker[] = [];
  readonly #waiting = new Map<number, Waiting>();
  #nextId = 0;
  #failure: unknown;

  /** Starts `size` workers (at least one). */
  constructor(size: number) {
    const count = Math.max(1, Math.floor(size));
    for (let i = 0; i < count; i++) {
      const worker = new Worker(new URL('./pageCheckWorker.ts', import.meta.url));
      worker.on('message', (reply: PageCheckReply) => {
        const waiting = this.#waiting.get(reply.id);
        this.#waiting.delete(reply.id);
        if (waiting === undefined) return; // refused meanwhile (close, a failed worker)
        const { data, fields, verdicts } = reply;
        const bytes = Buffer.from(data.buffer, data.byteOffset, data.length);
        waiting.resolve({ page: waiting.page.movedTo(bytes, fields), verdicts });
      });
      // A worker that dies takes its pages with it: fail every page still waiting.
      worker.on('error', (error) => {
        this.#fail(error);
      });
      worker.on('exit', (code) => {
        if (code !== 0) this.#fail(new Error(`a page check worker exited with code ${code}`));
      });
      this.#workers.push(worker);
    }
  }

  /** The number of workers. */
  get size(): number {
    return this.#workers.length;
  }

  /**
   * Checks a page's rows in a worker. The page's memory is handed to the worker rather than
   * copied, so `page` is unusable from the call on: use the page that comes back. The page
   * must own its memory, as those of `readBinaryPages` do.
   */
  check(page: BinaryPage): Promise<CheckedPage> {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a worker's error as it came
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    const worker = this.#workers[id % this.#workers.length] as Worker;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { page, resolve, reject });
      const request: PageCheckRequest = {
        id,
        data: page.data,
        fields: page.fields,
        count: page.count,
      };
      worker.postMessage(request, [page.data.buffer, page.fields.buffer]);
    });
  }

  /** Stops the workers; pages still waiting are refused. */
  async close(): Promise<void> {
    this.#fail(new Error('the page check pool is closed'));
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  }

  #fail(error: unknown): void {
    this.#failure ??= error;
    for (const waiting of this.#waiting.values()) waiting.reject(error);
    this.#waiting.clear();
  }
}
