import type pg from 'pg';

/**
 * `COPY … TO STDOUT` through node-postgres, as a Submittable (node-postgres hands such an
 * object the connection and its messages; pg-copy-streams and pg-cursor work the same way).
 * It collects the whole output, which is fine for the pages of a few megabytes it is used
 * for, copying every chunk at once: the driver may reuse the buffer it parsed it from.
 */
export class CopyOutQuery implements pg.Submittable {
  /** The data, once the statement has finished. */
  readonly done: Promise<Buffer>;
  readonly #text: string;
  /** The data so far, in a buffer grown by doubling (one copy per chunk, no allocation). */
  #data = Buffer.allocUnsafe(1 << 20);
  #size = 0;
  #failed = false;
  #resolve: (data: Buffer) => void = () => undefined;
  #reject: (error: unknown) => void = () => undefined;

  /** `text` is a complete COPY statement; it takes no parameters, so build it from numbers only. */
  constructor(text: string) {
    this.#text = text;
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
      let length = this.#data.length * 2;
      while (length < this.#size + chunk.length) length *= 2;
      const grown = Buffer.allocUnsafe(length);
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
