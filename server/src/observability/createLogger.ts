import { pino } from 'pino';
import type { Config } from '../config/Config.ts';

/** The server's logger type (pino). */
export type Logger = pino.Logger;

/** What a log line shows instead of a secret. */
export const REDACTED = '[Redacted]';

/**
 * Property names whose values never reach a log (H2), at any depth and in any letter case.
 * Names are matched exactly, not as substrings, so `tokenHash` or `pinned` stay visible.
 */
export const SECRET_KEYS: readonly string[] = [
  'token',
  'password',
  'pin',
  'secret',
  'cookie',
  'authorization',
  'sessionSecret',
  'set-cookie',
  'passcode',
  'accessToken',
  'refreshToken',
  'idToken',
  'apiKey',
  'clientSecret',
  'moderatorToken',
  'participantToken',
  'proxy-authorization',
  'x-api-key',
];

const SECRET_KEY_SET = new Set(SECRET_KEYS.map((key) => key.toLowerCase()));
/** Path redaction covers objects this deep; the formatter below covers everything deeper. */
const PATH_DEPTH = 4;
/** Nesting beyond this is cut off: a log line is not the place for whole object graphs. */
const MAX_SCRUB_DEPTH = 12;

/**
 * pino `redact` paths for every secret key at the top level and under up to PATH_DEPTH
 * levels of wildcards, plus the capitalised header spellings. They apply after
 * serializers, so they also cover `req.headers.cookie` produced by a request serializer.
 */
function redactPaths(): string[] {
  const names = [...SECRET_KEYS, 'Authorization', 'Cookie', 'Set-Cookie', 'Proxy-Authorization'];
  const paths: string[] = [];
  for (const name of names) {
    const segment = /^[A-Za-z_$][\w$]*$/.test(name) ? name : `["${name}"]`;
    for (let depth = 0; depth <= PATH_DEPTH; depth++) {
      const prefix = '*.'.repeat(depth);
      paths.push(segment.startsWith('[') ? `${prefix.slice(0, -1)}${segment}` : prefix + segment);
    }
  }
  return paths;
}

/**
 * Returns `value` with secret keys replaced, copying only the plain objects and arrays
 * on the way to a secret. Other objects (errors, dates, buffers) are left to serializers
 * and path redaction. `ancestors` holds the objects being walked, to cut reference cycles
 * (which would otherwise hand the original, unscrubbed object to the serializer).
 */
function scrub(value: unknown, depth: number, ancestors: Set<object>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (ancestors.has(value)) return '[Circular]';
  if (depth > MAX_SCRUB_DEPTH) return '[Too deep]';
  const proto: unknown = Object.getPrototypeOf(value);
  const isArray = Array.isArray(value);
  if (!isArray && proto !== Object.prototype && proto !== null) return value;
  ancestors.add(value);
  try {
    if (isArray) {
      const items = value as unknown[];
      let copy: unknown[] | undefined;
      items.forEach((item, index) => {
        const next = scrub(item, depth + 1, ancestors);
        if (next !== item) {
          copy ??= [...items];
          copy[index] = next;
        }
      });
      return copy ?? items;
    }
    const record = value as Record<string, unknown>;
    let copy: Record<string, unknown> | undefined;
    for (const key of Object.keys(record)) {
      const item = record[key];
      const next = SECRET_KEY_SET.has(key.toLowerCase())
        ? REDACTED
        : scrub(item, depth + 1, ancestors);
      if (next !== item) {
        copy ??= { ...record };
        copy[key] = next;
      }
    }
    return copy ?? value;
  } finally {
    ancestors.delete(value);
  }
}

function scrubObject(object: Record<string, unknown>): Record<string, unknown> {
  return scrub(object, 0, new Set()) as Record<string, unknown>;
}

/**
 * The server's root logger: JSON lines with ISO times and level names, secrets redacted
 * twice over (pino `redact` paths, and a formatter that walks nested plain objects and child
 * bindings at any depth). `destination` defaults to stdout; tests pass a stream to read.
 */
export function createLogger(
  config: Pick<Config, 'logLevel'>,
  destination?: pino.DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    redact: { paths: redactPaths(), censor: REDACTED },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: scrubObject,
      bindings: scrubObject,
    },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}

/** One named logger per module (`module` appears on every line), e.g. `childLogger(log, 'storage')`. */
export function childLogger(logger: Logger, module: string): Logger {
  return logger.child({ module });
}
