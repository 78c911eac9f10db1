import type {
  Method,
  NotificationData,
  NotificationName,
  RequestData,
  ResponseData,
} from '@konvent/protocol';
import { isErrorCode } from '@konvent/protocol';
import { SignalingError } from './SignalingError.ts';
import { TypedEmitter } from './TypedEmitter.ts';

/** A server notification as a discriminated union, so `switch (n.notification)` narrows `data`. */
export type ServerNotification = {
  [N in NotificationName]: { notification: N; data: NotificationData<N> };
}[NotificationName];

/** How the socket closed. */
export interface ChannelClose {
  code: number;
  reason: string;
}

interface ChannelEvents {
  notification: [ServerNotification];
  close: [ChannelClose];
}

interface Pending {
  resolve: (data: unknown) => void;
  reject: (error: SignalingError) => void;
  timer: ReturnType<typeof setTimeout>;
}

const DEFAULT_TIMEOUT_MS = 15_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * One WebSocket to the signalling endpoint: numbered requests with replies matched by id,
 * and server-pushed notifications. It never reconnects by itself; `MeetingClient` decides
 * that, because a new socket means rebuilding the media session too.
 */
export class SignalingChannel extends TypedEmitter<ChannelEvents> {
  readonly #ws: WebSocket;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #closed = false;

  constructor(url: string) {
    super();
    this.#ws = new WebSocket(url);
    this.#ws.addEventListener('message', (event) => {
      if (typeof event.data === 'string') this.#onFrame(event.data);
    });
    this.#ws.addEventListener('close', (event) => {
      this.#finish({ code: event.code, reason: event.reason });
    });
  }

  /** Sends a request and resolves with the server's answer, or rejects with a SignalingError. */
  request<M extends Method>(
    method: M,
    data: RequestData<M>,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<ResponseData<M>> {
    if (this.#closed || this.#ws.readyState !== WebSocket.OPEN) {
      return Promise.reject(new SignalingError('closed', `socket not open for ${method}`));
    }
    const id = this.#nextId++;
    return new Promise<ResponseData<M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new SignalingError('timeout', `${method} timed out`));
      }, timeoutMs);
      this.#pending.set(id, {
        // The server validated its answer against the protocol schema for this method.
        resolve: (value) => {
          resolve(value as ResponseData<M>);
        },
        reject,
        timer,
      });
      this.#ws.send(JSON.stringify({ id, method, data }));
    });
  }

  /** Closes the socket; pending requests fail with `closed`. Idempotent. */
  close(code = 1000, reason = ''): void {
    if (this.#ws.readyState === WebSocket.CONNECTING || this.#ws.readyState === WebSocket.OPEN) {
      this.#ws.close(code, reason);
    }
    this.#finish({ code, reason });
  }

  #finish(close: ChannelClose): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(new SignalingError('closed', 'socket closed'));
    }
    this.#pending.clear();
    this.emit('close', close);
    this.removeAllListeners();
  }

  #onFrame(text: string): void {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      console.warn('signalling: ignoring a frame that is not JSON');
      return;
    }
    if (!isRecord(frame)) return;
    if (typeof frame.notification === 'string') {
      // The server only pushes notifications defined in the protocol.
      this.emit('notification', frame as unknown as ServerNotification);
      return;
    }
    if (typeof frame.id !== 'number') {
      if (frame.ok === false) console.warn('signalling: server rejected a frame', frame.error);
      return;
    }
    const pending = this.#pending.get(frame.id);
    if (!pending) return;
    this.#pending.delete(frame.id);
    clearTimeout(pending.timer);
    if (frame.ok === true) {
      pending.resolve(frame.data);
      return;
    }
    const error = isRecord(frame.error) ? frame.error : {};
    const code = isErrorCode(error.code) ? error.code : 'internal';
    const message = typeof error.message === 'string' ? error.message : 'request failed';
    pending.reject(new SignalingError(code, message));
  }
}
