import { access, constants, mkdir, readFile, stat } from 'node:fs/promises';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { createSecureContext } from 'node:tls';
import { DEFAULT_RETENTION_DAYS, parseRetentionDays } from '../audit/retention.ts';
import { DEFAULT_CLAMD_TIMEOUT_MS } from '../scanning/ClamdScanner.ts';
import { parseClamdAddress } from '../scanning/clamdAddress.ts';
import type { Config, VirusScanSettings } from './Config.ts';
import { readIdentitySettings } from './identitySettings.ts';
import { ConfigError } from './ConfigError.ts';
import {
  errorCode,
  loadOrCreateSessionSecret,
  modeText,
  readSecretFile,
  secretWeakness,
} from './secretFiles.ts';

type LogLevel = Config['logLevel'];
const LOG_LEVELS: readonly LogLevel[] = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
];
const DEFAULT_WORKER_BIN = '/var/cache/konvent/mediasoup-worker-3.12.16';
/** `<repo>/web/dist`, seen from server/src/config. */
const DEFAULT_WEB_ROOT = resolve(import.meta.dirname, '../../../web/dist');
const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** Whether a host name or address only reaches this machine. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (bare === '::1') return true;
  const v4 = bare.startsWith('::ffff:') ? bare.slice(7) : bare;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** Reads the environment; an empty value counts as unset (as `FOO=` in compose files means). */
function read(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/**
 * Builds the server's configuration from environment variables and refuses to start on
 * anything unsafe or malformed: a `ConfigError` lists every problem at once, each naming
 * its variable. Only when everything is valid does it create DATA_DIR (0700) and, unless
 * SESSION_SECRET_FILE is given, the session secret inside it.
 */
export async function loadConfig(env: NodeJS.ProcessEnv): Promise<Config> {
  const problems: string[] = [];
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(env, name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name}: "${raw}" is not a whole number from ${min} to ${max}`);
      return fallback;
    }
    return Number(raw);
  };

  // PORT 0 asks the OS for a free port (tests); the server reports the port it got.
  const port = integer('PORT', 8080, 0, 65535);
  const rtcMinPort = integer('RTC_MIN_PORT', 40000, 1, 65535);
  const rtcMaxPort = integer('RTC_MAX_PORT', 40999, 1, 65535);
  if (rtcMinPort > rtcMaxPort) {
    problems.push(`RTC_MIN_PORT/RTC_MAX_PORT: ${rtcMinPort} is above ${rtcMaxPort}`);
  }
  const workers = integer('MEDIA_WORKERS', availableParallelism(), 1, 1024);

  if (read(env, 'SESSION_SECRET') !== undefined) {
    problems.push(
      'SESSION_SECRET: secrets are not taken from environment variables (they leak into ' +
        'process listings and crash reports); write it to a file readable only by the server ' +
        'and set SESSION_SECRET_FILE, or unset both to have one generated in DATA_DIR',
    );
  }

  const tls = await readTls(read(env, 'TLS_CERT_FILE'), read(env, 'TLS_KEY_FILE'), problems);

  // Brackets are URL syntax for IPv6; listen() wants the bare address.
  const host = (read(env, 'HOST') ?? '127.0.0.1').replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) === 0 && !HOSTNAME.test(host)) {
    problems.push(`HOST: "${host}" is not an IP address or host name`);
  } else if (!isLoopback(host) && tls === undefined) {
    problems.push(
      `HOST: ${host} is reachable from other machines, which requires TLS_CERT_FILE and ` +
        'TLS_KEY_FILE (plain HTTP is only served on localhost)',
    );
  }

  const publicUrl = parsePublicUrl(
    read(env, 'PUBLIC_URL') ?? `${tls === undefined ? 'http' : 'https'}://localhost:${port}`,
    problems,
  );

  const logLevel = read(env, 'LOG_LEVEL') ?? 'info';
  if (!isLogLevel(logLevel)) {
    problems.push(`LOG_LEVEL: "${logLevel}" is not one of ${LOG_LEVELS.join(', ')}`);
  }

  const listenIp = read(env, 'MEDIA_LISTEN_IP') ?? '127.0.0.1';
  if (isIP(listenIp) === 0) problems.push(`MEDIA_LISTEN_IP: "${listenIp}" is not an IP address`);
  const announcedIp = read(env, 'MEDIA_ANNOUNCED_IP');
  if (announcedIp !== undefined && isIP(announcedIp) === 0 && !HOSTNAME.test(announcedIp)) {
    problems.push(`MEDIA_ANNOUNCED_IP: "${announcedIp}" is not an IP address or host name`);
  }
  if ((listenIp === '0.0.0.0' || listenIp === '::') && announcedIp === undefined) {
    problems.push(
      `MEDIA_ANNOUNCED_IP: required when MEDIA_LISTEN_IP is ${listenIp}, so that browsers ` +
        'learn an address they can reach',
    );
  }

  const databaseUrl = await connectionUrl(
    env,
    'DATABASE_URL',
    ['postgres:', 'postgresql:'],
    problems,
  );
  const redisUrl = await connectionUrl(env, 'REDIS_URL', ['redis:', 'rediss:'], problems);

  const dataDir = resolve(read(env, 'DATA_DIR') ?? './data');
  await checkDataDir(dataDir, problems);

  const secretFile = read(env, 'SESSION_SECRET_FILE');
  let sessionSecret: Buffer | undefined;
  if (secretFile !== undefined) {
    const bytes = await readSecretFile('SESSION_SECRET_FILE', secretFile, problems);
    const weakness = bytes === undefined ? undefined : secretWeakness(bytes);
    if (weakness !== undefined) problems.push(`SESSION_SECRET_FILE: ${secretFile} ${weakness}`);
    else sessionSecret = bytes;
  }

  const audit = readAuditSettings(env, problems);
  const identity = await readIdentitySettings(env, publicUrl, problems);
  const virusScan = readVirusScan(env, problems);

  if (problems.length > 0) throw new ConfigError(problems);

  // Everything is valid: only now touch the disk, so a bad configuration changes nothing.
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  sessionSecret ??= await loadOrCreateSessionSecret(dataDir);

  return {
    host,
    port,
    publicUrl,
    dataDir,
    databaseUrl,
    redisUrl,
    tls,
    sessionSecret,
    media: {
      workers,
      listenIp,
      announcedIp,
      rtcMinPort,
      rtcMaxPort,
      workerBin: resolve(read(env, 'MEDIASOUP_WORKER_BIN') ?? DEFAULT_WORKER_BIN),
    },
    logLevel: logLevel as LogLevel,
    webRoot: resolve(read(env, 'WEB_ROOT') ?? DEFAULT_WEB_ROOT),
    audit,
    identity,
    ...(virusScan === undefined ? {} : { virusScan }),
  };
}

/**
 * CLAMD_ADDRESS switches the virus scan of uploads on: a Unix socket path or
 * `tcp://host:port`, the latter only on loopback, since clamd's protocol is neither
 * encrypted nor authenticated and uploads are personal content. CLAMD_TIMEOUT_SECONDS
 * (1 to 600, default 30) bounds one scan.
 */
function readVirusScan(env: NodeJS.ProcessEnv, problems: string[]): VirusScanSettings | undefined {
  const raw = read(env, 'CLAMD_ADDRESS');
  const timeout = read(env, 'CLAMD_TIMEOUT_SECONDS');
  if (raw === undefined) {
    if (timeout !== undefined)
      problems.push('CLAMD_TIMEOUT_SECONDS: set, but CLAMD_ADDRESS is not');
    return undefined;
  }
  let timeoutMs = DEFAULT_CLAMD_TIMEOUT_MS;
  if (timeout !== undefined) {
    if (/^\d+$/.test(timeout) && Number(timeout) >= 1 && Number(timeout) <= 600)
      timeoutMs = Number(timeout) * 1000;
    else problems.push(`CLAMD_TIMEOUT_SECONDS: "${timeout}" is not a whole number from 1 to 600`);
  }
  try {
    const clamd = parseClamdAddress(raw);
    if ('host' in clamd && !isLoopback(clamd.host)) {
      problems.push(
        `CLAMD_ADDRESS: ${raw} is another machine, but clamd's protocol is not encrypted and ` +
          'uploads would cross the network in plaintext; use a Unix socket or a loopback address',
      );
      return undefined;
    }
    return { clamd, timeoutMs };
  } catch (error) {
    problems.push(`CLAMD_ADDRESS: ${(error as Error).message}`);
    return undefined;
  }
}

/** AUDIT_CHECKPOINT_FILE, AUDIT_CHECKPOINT_URL and AUDIT_RETENTION_DAYS. */
function readAuditSettings(env: NodeJS.ProcessEnv, problems: string[]): Config['audit'] {
  const file = read(env, 'AUDIT_CHECKPOINT_FILE');
  const checkpointFile = file === undefined ? undefined : resolve(file);
  let checkpointUrl = read(env, 'AUDIT_CHECKPOINT_URL');
  if (checkpointUrl !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(checkpointUrl);
    } catch {
      problems.push('AUDIT_CHECKPOINT_URL: not a URL');
    }
    if (url !== undefined) {
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
        problems.push('AUDIT_CHECKPOINT_URL: must use https:// (http:// only for localhost)');
      } else if (url.password !== '') {
        problems.push('AUDIT_CHECKPOINT_URL: must not contain a password');
      }
    }
    if (problems.some((problem) => problem.startsWith('AUDIT_CHECKPOINT_URL'))) {
      checkpointUrl = undefined;
    }
  }
  let retentionDays = DEFAULT_RETENTION_DAYS;
  const retention = read(env, 'AUDIT_RETENTION_DAYS');
  if (retention !== undefined) {
    try {
      retentionDays = parseRetentionDays(retention);
    } catch (error) {
      problems.push(`AUDIT_RETENTION_DAYS: ${(error as Error).message}`);
    }
  }
  return { checkpointFile, checkpointUrl, retentionDays };
}

function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/** The public origin (plus an optional path prefix), without a trailing slash. */
function parsePublicUrl(raw: string, problems: string[]): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`PUBLIC_URL: "${raw}" is not a URL`);
    return raw;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push(`PUBLIC_URL: "${raw}" must start with https:// (or http:// for localhost)`);
  } else if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    problems.push(
      `PUBLIC_URL: ${raw} uses plain HTTP for a host other than localhost; use https://`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    problems.push('PUBLIC_URL: must not contain a user name or password');
  }
  if (url.search !== '' || url.hash !== '') {
    problems.push(`PUBLIC_URL: "${raw}" must not have a query or fragment`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** Both TLS files or neither; both readable, the key private, and the two a matching pair. */
async function readTls(
  certFile: string | undefined,
  keyFile: string | undefined,
  problems: string[],
): Promise<Config['tls']> {
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) {
    problems.push(
      `${certFile === undefined ? 'TLS_CERT_FILE' : 'TLS_KEY_FILE'}: missing; ` +
        'TLS_CERT_FILE and TLS_KEY_FILE must be set together',
    );
    return undefined;
  }
  const before = problems.length;
  let cert: Buffer | undefined;
  try {
    await access(certFile, constants.R_OK);
    cert = await readFile(certFile);
  } catch (error) {
    problems.push(`TLS_CERT_FILE: cannot read ${certFile} (${errorCode(error)})`);
  }
  const key = await readSecretFile('TLS_KEY_FILE', keyFile, problems);
  if (cert !== undefined && key !== undefined) {
    try {
      createSecureContext({ cert, key });
    } catch (error) {
      problems.push(
        `TLS_CERT_FILE/TLS_KEY_FILE: not a usable certificate and matching key (${errorCode(error)})`,
      );
    }
  }
  return problems.length === before
    ? { certFile: resolve(certFile), keyFile: resolve(keyFile) }
    : undefined;
}

/**
 * A connection URL with one of the given schemes. Passwords are not accepted inline (H2);
 * `<NAME>_PASSWORD_FILE` names a file holding it, which is then put into the URL.
 */
async function connectionUrl(
  env: NodeJS.ProcessEnv,
  name: string,
  schemes: readonly string[],
  problems: string[],
): Promise<string | undefined> {
  const raw = read(env, name);
  const passwordVariable = name.replace(/_URL$/, '_PASSWORD_FILE');
  const passwordFile = read(env, passwordVariable);
  if (raw === undefined) {
    if (passwordFile !== undefined) problems.push(`${passwordVariable}: set, but ${name} is not`);
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`${name}: not a URL`);
    return undefined;
  }
  if (!schemes.includes(url.protocol)) {
    problems.push(`${name}: must start with ${schemes.map((s) => `${s}//`).join(' or ')}`);
    return undefined;
  }
  if (url.password !== '') {
    problems.push(
      `${name}: contains a password; put it in a file readable only by the server and set ${passwordVariable}`,
    );
    return undefined;
  }
  if (passwordFile === undefined) return raw;
  const password = await readSecretFile(passwordVariable, passwordFile, problems);
  if (password === undefined) return undefined;
  url.password = encodeURIComponent(password.toString('utf8'));
  return url.toString();
}

/** DATA_DIR holds the database, keyring and secrets: if it exists, others must not enter it. */
async function checkDataDir(dataDir: string, problems: string[]): Promise<void> {
  try {
    const info = await stat(dataDir);
    if (!info.isDirectory()) {
      problems.push(`DATA_DIR: ${dataDir} is not a directory`);
    } else if ((info.mode & 0o007) !== 0) {
      problems.push(
        `DATA_DIR: ${dataDir} is accessible by others (mode ${modeText(info.mode)}); run chmod 700 on it`,
      );
    } else {
      await access(dataDir, constants.R_OK | constants.W_OK | constants.X_OK);
    }
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') {
      problems.push(`DATA_DIR: cannot use ${dataDir} (${errorCode(error)})`);
    }
  }
}
