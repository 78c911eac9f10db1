import { connect, type Socket } from 'node:net';
import { AppError } from '../errors/AppError.ts';
import type { DomainLogger, ScanSubject, ScanVerdict, UploadScanner } from '../meetings/ports.ts';
import { describeClamdAddress, type ClamdAddress } from './clamdAddress.ts';

/** How long one scan may take, connecting included, unless configured otherwise. */
export const DEFAULT_CLAMD_TIMEOUT_MS = 30_000;
/** Bytes per INSTREAM chunk: large enough to be cheap, small enough to keep memory flat. */
export const DEFAULT_CLAMD_CHUNK_BYTES = 64 * 1024;
/** clamd's replies are one short line; anything longer is not clamd. */
const MAX_REPLY_CHARS = 4096;
/** Signature names are short; a longer one is cut so the audit event stays small. */
const MAX_SIGNATURE_CHARS = 200;

/** What the uploader is told when no verdict could be had. */
export const SCAN_UNAVAILABLE_MESSAGE =
  'The virus scan is unavailable, so the file was not accepted. Try again later.';

/** How to reach clamd and how patiently. */
export interface ClamdScannerOptions {
  address: ClamdAddress;
  /** The whole scan, connecting included (`DEFAULT_CLAMD_TIMEOUT_MS`). */
  timeoutMs?: number;
  /** Bytes per INSTREAM chunk (`DEFAULT_CLAMD_CHUNK_BYTES`). */
  chunkBytes?: number;
  /** Where a failed scan is reported for operators (the uploader only learns "unavailable"). */
  logger?: DomainLogger;
}

/** A reply from clamd that is neither clean nor a finding (e.g. a size limit or an error). */
class ClamdReplyError extends Error {
  constructor(reply: string) {
    super(`clamd answered: ${JSON.stringify(reply.slice(0, 200))}`);
    this.name = 'ClamdReplyError';
  }
}

/** A failure reading the content to scan: the caller's own error, passed on unchanged. */
class ContentError extends Error {
  constructor(cause: unknown) {
    super('reading the content to scan failed', { cause });
    this.name = 'ContentError';
  }
}

/**
 * Scans uploads with ClamAV's daemon over its INSTREAM protocol (a Unix socket or TCP):
 * `zINSTREAM\0`, then the content in chunks each prefixed by its length (4 bytes, big
 * endian), a zero-length chunk to end, and one reply such as `stream: OK\0` or
 * `stream: Eicar-Signature FOUND\0`. One connection per scan, closed on every path.
 *
 * Fails closed: whatever keeps a verdict from coming (clamd unreachable, slower than the
 * timeout, answering an error such as `INSTREAM size limit exceeded`) rejects with
 * `AppError('unavailable')`, logged with the cause for operators. Nothing leaves the
 * machine unless the operator points it at another host, which configuration refuses
 * (`loadConfig`: TCP only to loopback, as clamd's protocol has no encryption).
 */
export class ClamdScanner implements UploadScanner {
  readonly #address: ClamdAddress;
  readonly #timeoutMs: number;
  readonly #chunkBytes: number;
  readonly #logger: DomainLogger | undefined;

  constructor(options: ClamdScannerOptions) {
    this.#address = options.address;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_CLAMD_TIMEOUT_MS;
    this.#chunkBytes = options.chunkBytes ?? DEFAULT_CLAMD_CHUNK_BYTES;
    if (!(this.#timeoutMs > 0)) throw new RangeError('timeoutMs must be positive');
    if (!Number.isInteger(this.#chunkBytes) || this.#chunkBytes < 1)
      throw new RangeError('chunkBytes must be a positive whole number');
    this.#logger = options.logger;
  }

  /** Scans content (whole or streamed); see the class comment for how it fails. */
  async scan(
    content: Uint8Array | AsyncIterable<Uint8Array>,
    subject: ScanSubject,
  ): Promise<ScanVerdict> {
    try {
      return parseScanReply(await this.#exchange('zINSTREAM\0', content));
    } catch (error) {
      if (error instanceof ContentError) throw error.cause;
      this.#logger?.error(
        {
          err: error,
          meetingId: subject.meetingId,
          kind: subject.kind,
          clamd: describeClamdAddress(this.#address),
        },
        'virus scan failed, so the upload was refused (is clamd running, and is its ' +
          'StreamMaxLength at least the upload limit?)',
      );
      throw new AppError('unavailable', SCAN_UNAVAILABLE_MESSAGE, { cause: error });
    }
  }

  /** Whether clamd answers `PING` within the timeout (for a check at start-up). */
  async ping(): Promise<boolean> {
    try {
      return (await this.#exchange('zPING\0', undefined)).trim() === 'PONG';
    } catch {
      return false;
    }
  }

  /**
   * Sends one command (with content for INSTREAM) on a fresh connection and resolves to
   * clamd's reply without its NUL. The timer covers everything; the socket is destroyed
   * on every path, which also stops a send still in progress.
   */
  async #exchange(
    command: string,
    content: Uint8Array | AsyncIterable<Uint8Array> | undefined,
  ): Promise<string> {
    const socket =
      'path' in this.#address
        ? connect({ path: this.#address.path })
        : connect({ host: this.#address.host, port: this.#address.port });
    const timer = setTimeout(() => {
      socket.destroy(new Error(`clamd gave no verdict within ${String(this.#timeoutMs)} ms`));
    }, this.#timeoutMs);
    try {
      const reply = readReply(socket);
      // Settled below in every case; this only keeps an early failure from counting as unhandled.
      reply.catch(() => undefined);
      let sendError: unknown;
      const sending = send(socket, command, content, this.#chunkBytes).catch((error: unknown) => {
        sendError = error;
      });
      // clamd may answer before everything is sent (a size limit): then its reply counts.
      const early = await Promise.race([reply.then((text) => ({ text })), sending]);
      if (early !== undefined) return early.text;
      if (sendError instanceof ContentError) throw sendError;
      // Sent (or clamd hung up while sending): the reply, or why none came, says the rest.
      return await reply;
    } finally {
      clearTimeout(timer);
      socket.destroy();
    }
  }
}

/** Turns clamd's INSTREAM reply into a verdict; anything else is an error. */
export function parseScanReply(reply: string): ScanVerdict {
  const text = reply.trim();
  if (text === 'stream: OK') return { infected: false };
  const found = /^stream: (.+) FOUND$/.exec(text);
  if (found?.[1] !== undefined)
    return { infected: true, signature: found[1].slice(0, MAX_SIGNATURE_CHARS) };
  throw new ClamdReplyError(text);
}

/**
 * clamd's reply up to its NUL (or what came before it hung up). Rejects on a socket error
 * (refused, reset, the timeout's destroy) or a close without any reply.
 */
function readReply(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const end = text.indexOf('\0');
      if (end >= 0) resolve(text.slice(0, end));
      else if (text.length > MAX_REPLY_CHARS) reject(new Error('clamd sent an overlong reply'));
    });
    socket.on('end', () => {
      resolve(text);
    });
    // `on`, not `once`: a write after clamd hung up can raise a second error.
    socket.on('error', reject);
    socket.on('close', () => {
      reject(new Error('clamd closed the connection without a reply'));
    });
  });
}

/**
 * Writes the command and, for INSTREAM, the content as length-prefixed chunks of at most
 * `chunkBytes` and the closing zero-length chunk, waiting for the socket to drain so a
 * big upload never piles up in memory. Stops once the socket is gone.
 */
async function send(
  socket: Socket,
  command: string,
  content: Uint8Array | AsyncIterable<Uint8Array> | undefined,
  chunkBytes: number,
): Promise<void> {
  await write(socket, Buffer.from(command, 'latin1'));
  if (content === undefined) return;
  const pieces = content instanceof Uint8Array ? [content] : content;
  try {
    for await (const piece of pieces) {
      // An empty chunk would end the stream early: clamd would scan only what came before.
      for (let at = 0; at < piece.byteLength; at += chunkBytes) {
        const chunk = piece.subarray(at, Math.min(at + chunkBytes, piece.byteLength));
        const length = Buffer.alloc(4);
        length.writeUInt32BE(chunk.byteLength);
        await write(socket, length);
        await write(socket, chunk);
      }
    }
  } catch (error) {
    if (socket.destroyed) throw error;
    throw new ContentError(error);
  }
  await write(socket, Buffer.alloc(4));
}

/** Writes, and waits for the socket to drain when its buffer is full; fails once it is gone. */
async function write(socket: Socket, data: Uint8Array): Promise<void> {
  if (socket.destroyed) throw new Error('the connection to clamd is closed');
  if (socket.write(data)) return;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}
