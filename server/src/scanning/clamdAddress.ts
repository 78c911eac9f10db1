import { isAbsolute } from 'node:path';

/** Where clamd listens: a Unix socket (its path) or a TCP port. */
export type ClamdAddress = { path: string } | { host: string; port: number };

/**
 * Reads a clamd address as written in CLAMD_ADDRESS: an absolute Unix socket path
 * (`/run/clamav/clamd.ctl`) or `tcp://host:port` (IPv6 in brackets). Throws an `Error`
 * saying what is wrong; whether a TCP host is acceptable is the caller's decision.
 */
export function parseClamdAddress(raw: string): ClamdAddress {
  if (!raw.includes('://')) {
    if (!isAbsolute(raw))
      throw new Error(`"${raw}" is neither an absolute socket path nor tcp://host:port`);
    return { path: raw };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`"${raw}" is not a valid tcp://host:port address`);
  }
  if (url.protocol !== 'tcp:')
    throw new Error(`"${raw}" must be a socket path or start with tcp://`);
  if (url.hostname === '' || url.port === '' || url.port === '0')
    throw new Error(`"${raw}" needs a host and a port, e.g. tcp://127.0.0.1:3310`);
  if (
    url.username !== '' ||
    url.password !== '' ||
    url.search !== '' ||
    url.hash !== '' ||
    (url.pathname !== '' && url.pathname !== '/')
  )
    throw new Error(`"${raw}" must be just tcp://host:port`);
  return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port) };
}

/** A clamd address as operators write it, for log lines and messages. */
export function describeClamdAddress(address: ClamdAddress): string {
  if ('path' in address) return address.path;
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return `tcp://${host}:${String(address.port)}`;
}
