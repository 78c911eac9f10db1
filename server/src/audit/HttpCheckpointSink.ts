import { redactUrl } from '../observability/redactUrl.ts';
import type { CheckpointSink } from './CheckpointSink.ts';

/** Options for {@link HttpCheckpointSink}. */
export interface HttpCheckpointSinkOptions {
  /** Give up on one attempt after this long; default 10 s. */
  readonly timeoutMs?: number;
}

/**
 * POSTs every checkpoint as `text/plain; charset=utf-8` to a witness endpoint. Any 2xx
 * answer counts as delivered; anything else (or no answer in time) rejects, and the audit
 * log retries later.
 */
export class HttpCheckpointSink implements CheckpointSink {
  readonly name: string;
  readonly #url: string;
  readonly #timeoutMs: number;

  constructor(url: string, options: HttpCheckpointSinkOptions = {}) {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new TypeError(`a checkpoint witness URL must be http(s), not ${parsed.protocol}`);
    }
    this.#url = url;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.name = `http:${redactUrl(url)}`;
  }

  /** Sends the checkpoint; rejects on a network error, a timeout or a non-2xx status. */
  async publish(checkpoint: string): Promise<void> {
    const response = await fetch(this.#url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: checkpoint,
      signal: AbortSignal.timeout(this.#timeoutMs),
      redirect: 'error',
    });
    // Drain the body so the connection can be reused.
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) {
      throw new Error(`the witness answered ${String(response.status)}`);
    }
  }
}
