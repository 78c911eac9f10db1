import type {
  Method,
  NotificationData,
  NotificationFrame,
  NotificationName,
  RequestData,
  ResponseFrame,
} from '@konvent/protocol';
import { signalingPath } from '@konvent/protocol';
import WebSocket from 'ws';
import { TEST_ORIGIN } from './testServer.ts';

/** How a socket ended. */
export interface CloseInfo {
  code: number;
  reason: string;
}

/** How a test client connects. */
export interface ClientOptions {
  cookie?: string;
  /** The Origin header; null sends none. Defaults to the test deployment's origin. */
  origin?: string | null;
  /** Whether to answer pings (a vanished client does not). */
  autoPong?: boolean;
}

/** Any frame the server sent. */
export type ServerFrame = ResponseFrame | NotificationFrame;

/**
 * A signalling client over the `ws` package, speaking the protocol as the web client
 * does: it records every frame, matches responses to requests by id and lets a test wait
 * for a notification or the close.
 */
export class SignalingClient {
  readonly socket: WebSocket;
  readonly frames: ServerFrame[] = [];
  readonly closed: Promise<CloseInfo>;
  /** Set synchronously when the socket closed. */
  closeInfo: CloseInfo | undefined;
  #nextId = 1;
  readonly #waiters: {
    match: (frame: ServerFrame) => boolean;
    resolve: (frame: ServerFrame) => void;
  }[] = [];

  constructor(url: string, options: ClientOptions = {}) {
    const headers: Record<string, string> = {};
    if (options.cookie !== undefined) headers['cookie'] = options.cookie;
    const origin = options.origin === undefined ? TEST_ORIGIN : options.origin;
    this.socket = new WebSocket(url, {
      headers,
      autoPong: options.autoPong ?? true,
      ...(origin === null ? {} : { origin }),
    });
    this.socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const frame = JSON.parse(Buffer.from(data as Uint8Array).toString('utf8')) as ServerFrame;
      this.frames.push(frame);
      for (const waiter of [...this.#waiters]) {
        if (waiter.match(frame)) {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          waiter.resolve(frame);
        }
      }
    });
    // Errors (refused upgrades, resets) show up as a close; the test inspects the code.
    this.socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => {
      this.socket.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString('utf8') };
        resolve(this.closeInfo);
      });
    });
  }

  /** Connects to a meeting's signalling path on a server. */
  static connect(wsUrl: string, meetingId: string, options: ClientOptions = {}): SignalingClient {
    return new SignalingClient(`${wsUrl}${signalingPath(meetingId)}`, options);
  }

  /** Resolves with the first frame (already received or future) that matches. */
  waitFor(match: (frame: ServerFrame) => boolean, timeoutMs = 5000): Promise<ServerFrame> {
    const seen = this.frames.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error('timed out waiting for a frame'));
      }, timeoutMs);
      this.#waiters.push({
        match,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
      });
    });
  }

  /** Waits for a notification (the first one matching `where`, if given). */
  async notification<N extends NotificationName>(
    name: N,
    where: (data: NotificationData<N>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<NotificationData<N>> {
    const frame = await this.waitFor(
      (f) => 'notification' in f && f.notification === name && where(f.data),
      timeoutMs,
    );
    return (frame as NotificationFrame<N>).data;
  }

  /** Response frames received so far. */
  responses(): ResponseFrame[] {
    return this.frames.filter((f): f is ResponseFrame => 'ok' in f);
  }

  /** All notifications of a name received so far. */
  notifications<N extends NotificationName>(name: N): NotificationData<N>[] {
    return this.frames
      .filter((f): f is NotificationFrame => 'notification' in f && f.notification === name)
      .map((f) => f.data as NotificationData<N>);
  }

  /** Sends a request and resolves with its response frame. */
  async request<M extends Method>(method: M, data: RequestData<M>): Promise<ResponseFrame> {
    const id = this.#nextId++;
    this.socket.send(JSON.stringify({ id, method, data }));
    return (await this.waitFor((f) => 'ok' in f && f.id === id)) as ResponseFrame;
  }

  /** Sends raw text or bytes, as a fuzzer would. */
  sendRaw(data: string | Buffer, binary = false): void {
    this.socket.send(data, { binary });
  }

  /** Resolves when the socket is open (rejects if it closes first). */
  async opened(): Promise<void> {
    if (this.socket.readyState === WebSocket.OPEN) return;
    await new Promise<void>((resolve, reject) => {
      this.socket.once('open', () => {
        resolve();
      });
      this.socket.once('close', (code) => {
        reject(new Error(`closed with ${code} before opening`));
      });
    });
  }

  /** Closes the socket from the client side and waits for the close. */
  async close(): Promise<CloseInfo> {
    if (
      this.socket.readyState === WebSocket.CONNECTING ||
      this.socket.readyState === WebSocket.OPEN
    ) {
      this.socket.close(1000);
    }
    return this.closed;
  }
}
