/**
 * Messages cross the bus as JSON text, in-process too, so that a handler never shares a
 * mutable object with the publisher and both bus kinds behave alike.
 */
export function encodeMessage(message: unknown): string {
  const text: unknown = JSON.stringify(message);
  if (typeof text !== 'string') throw new TypeError('bus messages must be JSON-serialisable');
  return text;
}

/** The value of an encoded message. */
export function decodeMessage(text: string): unknown {
  return JSON.parse(text);
}

/** Called when a handler throws or a connection reports an error; the bus keeps running. */
export type BusErrorListener = (error: unknown, channel: string | undefined) => void;

/** Options shared by both bus kinds. */
export interface BusOptions {
  /**
   * Receives errors from handlers and connections. Without it they are reported as process
   * warnings, because one failing subscriber must not stop delivery to the others.
   */
  onError?: BusErrorListener;
}

/** The default error listener: a process warning (visible, never fatal). */
export function warnOnError(error: unknown, channel: string | undefined): void {
  const where = channel === undefined ? 'bus' : `bus channel ${channel}`;
  process.emitWarning(`${where}: ${error instanceof Error ? error.message : String(error)}`);
}
