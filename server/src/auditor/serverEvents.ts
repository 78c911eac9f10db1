import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/AuditLog.ts';
import type { Config } from '../config/Config.ts';
import { redactUrl } from '../observability/redactUrl.ts';
import type { Tables } from '../storage/Tables.ts';

/** The audit log's name in its checkpoints: `<public host>/konvent-audit`. */
export function auditOrigin(publicUrl: string): string {
  return `${new URL(publicUrl).host}/konvent-audit`;
}

/**
 * The fingerprint of the effective configuration: SHA-256 (hex) of its non-secret parts
 * as canonical JSON. The session secret is left out and connection URLs are redacted, so
 * the fingerprint reveals nothing, yet any change of a setting changes it.
 */
export function configFingerprint(config: Config): string {
  const visible = {
    host: config.host,
    port: config.port,
    publicUrl: config.publicUrl,
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl === undefined ? null : redactUrl(config.databaseUrl),
    redisUrl: config.redisUrl === undefined ? null : redactUrl(config.redisUrl),
    tls: config.tls ?? null,
    media: config.media,
    logLevel: config.logLevel,
    webRoot: config.webRoot,
    audit: {
      checkpointFile: config.audit.checkpointFile ?? null,
      checkpointUrl:
        config.audit.checkpointUrl === undefined ? null : redactUrl(config.audit.checkpointUrl),
      retentionDays: config.audit.retentionDays,
    },
    // Only when on, so deployments without a scan keep their fingerprint; switching the
    // scan off (or pointing it elsewhere) is then recorded as `config.changed`.
    ...(config.virusScan === undefined ? {} : { virusScan: config.virusScan }),
  };
  return createHash('sha256').update(canonical(visible)).digest('hex');
}

/** JSON with sorted keys, so equal settings give equal bytes. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The config fingerprint the latest (not erased) `server.start` event recorded. */
async function previousFingerprint(db: Kysely<Tables>): Promise<string | undefined> {
  const row = await db
    .selectFrom('audit_events')
    .select('content')
    .where('action', '=', 'server.start')
    .where('content', 'is not', null)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (row?.content == null) return undefined;
  try {
    const content = JSON.parse(new TextDecoder().decode(row.content)) as {
      details?: { config?: unknown };
    };
    const config = content.details?.config;
    return typeof config === 'string' ? config : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Records `server.start` with the config fingerprint, preceded by `config.changed` when
 * the fingerprint differs from the one the previous start recorded.
 */
export async function recordServerStart(
  log: AuditLog,
  db: Kysely<Tables>,
  config: Config,
): Promise<void> {
  const fingerprint = configFingerprint(config);
  const previous = await previousFingerprint(db);
  const actor = { kind: 'system', id: 'server' } as const;
  if (previous !== undefined && previous !== fingerprint) {
    await log.record({
      action: 'config.changed',
      actor,
      target: 'config',
      outcome: 'success',
      details: { from: previous, to: fingerprint },
    });
  }
  await log.record({
    action: 'server.start',
    actor,
    outcome: 'success',
    details: { config: fingerprint },
  });
}

/** Records `server.stop`; the caller closes the log afterwards (final checkpoint). */
export async function recordServerStop(log: AuditLog): Promise<void> {
  await log.record({
    action: 'server.stop',
    actor: { kind: 'system', id: 'server' },
    outcome: 'success',
  });
}
