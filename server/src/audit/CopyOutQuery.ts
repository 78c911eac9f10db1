import type pg from 'pg';

/**
 * `COPY … TO STDOUT` through node-postgres, as a Submittable (node-postgres hands such an
 * object the connection and its messages; pg-copy-streams and pg-cursor work the same way).
 * It collects the whole output, which is fine for the pages of a few megabytes it is used
 * for, copying every chunk at once: the driver may reuse the buffer it parsed it from.
 * The output has an ArrayBuffer of its own, so that it can be handed to a worker thread
 * without a copy (`PageCheckPool`). (Not a SharedArrayBuffer: V8 copies into shared memory
 * byte by byte, which made the copy per row eight times dearer.)
 */
export class CopyOutQuery implements pg.Submittable {
  /** The data, once the statement has finished. */
  readonly done: Promise<Buffer<ArrayBuffer>>;
  readonly #text: string;
  /** The data so far, in a buffer grown by doubling (one copy per chunk, no allocation). */
  #data: Buffer<ArrayBuffer>;
  #size = 0;
  #failed = false;
  #resolve: (data: Buffer<ArrayBuffer>) => void = () => undefined;
  #reject: (error: unknown) => void = () => undefined;

  /**
   * `text` is a complete COPY statement; it takes no parameters, so build it from numbers
   * only. `memory` is where the output goes: memory to reuse (say, a finished page's), or
   * the number of bytes to allocate up front (say, the previous page's size), so that a page
   * of megabytes is not copied again at every doubling. Larger output grows it.
   */
  constructor(text: string, memory: ArrayBuffer | number = 1 << 20) {
    this.#text = text;
    this.#data =
      typeof memory === 'number'
        ? ownBuffer(Math.max(1 << 16, Math.ceil(memory * 1.125)))
        : Buffer.from(memory);
    this.done = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /** Called by the client when it is this query's turn. */
  submit(connection: pg.Connection): void {
    connection.query(this.#text);
  }

  /** One CopyData message (one row, as PostgreSQL sends them). */
  handleCopyData(message: { chunk: Buffer }): void {
    const { chunk } = message;
    if (this.#size + chunk.length > this.#data.length) {
      let length = Math.max(1 << 16, this.#data.length * 2);
      while (length < this.#size + chunk.length) length *= 2;
      const grown = ownBuffer(length);
      this.#data.copy(grown, 0, 0, this.#size);
      this.#data = grown;
    }
    chunk.copy(this.#data, this.#size);
    this.#size += chunk.length;
  }

  /** CommandComplete: nothing to do, ReadyForQuery follows. */
  handleCommandComplete(): void {
    // The data is complete only at ReadyForQuery, after any error.
  }

  /**
   * An error from the server, or a lost connection (after which no ReadyForQuery comes):
   * reported at once, as node-postgres's own queries do.
   */
  handleError(error: unknown): void {
    this.#failed = true;
    this.#reject(error);
  }

  /** The statement is over: hand over the data (unless it failed). */
  handleReadyForQuery(): void {
    if (!this.#failed) this.#resolve(this.#data.subarray(0, this.#size));
  }
}

/** A Buffer of `size` bytes on an ArrayBuffer of its own (never Node's pool): transferable. */
function ownBuffer(size: number): Buffer<ArrayBuffer> {
  return Buffer.allocUnsafeSlow(size);
}
