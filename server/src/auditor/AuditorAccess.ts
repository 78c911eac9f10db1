import type { AuditEventsQuery, AuditEventsReply, AuditEventView } from '@konvent/protocol';
import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/AuditLog.ts';
import type { AuditJson } from '../audit/events.ts';
import { AppError } from '../errors/AppError.ts';
import type { Clock, RequestContext } from '../meetings/ports.ts';
import { hashSecret, newId, newToken } from '../meetings/secrets.ts';
import type { Tables } from '../storage/Tables.ts';
import type { Vault } from '../vault/Vault.ts';

/** What auditor access needs. */
export interface AuditorAccessDeps {
  db: Kysely<Tables>;
  vault: Vault;
  log: AuditLog;
  clock: Clock;
}

/** A grant just made: the token goes into the link, and exists nowhere else afterwards. */
export interface AuditorGrant {
  grantId: string;
  token: string;
  expiresAt: Date;
}

/** A signed-in auditor. */
export interface AuditorSession {
  grantId: string;
  expiresAt: Date;
}

const HOUR_MS = 60 * 60 * 1000;
/** The longest grant: one working week; access is renewed by a new grant, not extended. */
export const MAX_GRANT_HOURS = 24 * 7;
const DEFAULT_LIMIT = 50;

/**
 * Auditor access: an operator grants an external auditor (without an account) access on the
 * command line, the auditor exchanges the single-use link token for a session, and searches
 * the audit trail; accounts with the auditor role search with their account session. Every operation checks the right, does the work and records its audit
 * event in one place (DESIGN.md convention 11) and answers only once the event is committed.
 * Auditors see events (ids, actions, outcomes), never meeting content.
 */
export class AuditorAccess {
  readonly #db: Kysely<Tables>;
  readonly #vault: Vault;
  readonly #log: AuditLog;
  readonly #clock: Clock;

  constructor(deps: AuditorAccessDeps) {
    this.#db = deps.db;
    this.#vault = deps.vault;
    this.#log = deps.log;
    this.#clock = deps.clock;
  }

  /** Creates a grant valid for `hours`; the label is sealed and stays out of the audit log. */
  async grant(label: string, hours: number): Promise<AuditorGrant> {
    if (!Number.isInteger(hours) || hours < 1 || hours > MAX_GRANT_HOURS) {
      throw new AppError(
        'bad_request',
        `hours must be a whole number from 1 to ${String(MAX_GRANT_HOURS)}`,
      );
    }
    const text = label.trim();
    if (text === '' || text.length > 200) {
      throw new AppError('bad_request', 'the label must be 1 to 200 characters');
    }
    const grantId = newId();
    const token = newToken();
    const now = this.#clock.now();
    const expiresAt = new Date(now.getTime() + hours * HOUR_MS);
    await this.#db
      .insertInto('auditor_grants')
      .values({
        id: grantId,
        label_sealed: await this.#vault.seal(text, labelContext(grantId)),
        token_hash: hashSecret(token),
        created_at: now,
        expires_at: expiresAt,
        used_at: null,
        session_hash: null,
        signed_out_at: null,
      })
      .execute();
    await this.#log.record({
      action: 'auditor.granted',
      actor: { kind: 'system', id: 'cli' },
      target: grantId,
      outcome: 'success',
      details: { hours },
    });
    return { grantId, token, expiresAt };
  }

  /**
   * Consumes a grant's token and starts a session (the returned secret goes into the
   * cookie). A wrong, expired or used token is `not_found` and audited as a failure.
   */
  async signIn(
    token: string,
    context: RequestContext = {},
  ): Promise<{ sessionSecret: string; expiresAt: Date }> {
    const now = this.#clock.now();
    const sessionSecret = newToken();
    // One statement, so two requests with the same token cannot both win.
    const row = await this.#db
      .updateTable('auditor_grants')
      .set({ used_at: now, session_hash: hashSecret(sessionSecret) })
      .where('token_hash', '=', hashSecret(token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning(['id', 'expires_at'])
      .executeTakeFirst();
    const source = context.source === undefined ? {} : { source: context.source };
    if (row === undefined) {
      await this.#log.record({
        action: 'auditor.signin',
        actor: { kind: 'system', id: 'anonymous' },
        outcome: 'failure',
        ...source,
      });
      throw new AppError('not_found');
    }
    await this.#log.record({
      action: 'auditor.signin',
      actor: { kind: 'user', id: row.id },
      target: row.id,
      outcome: 'success',
      ...source,
    });
    return { sessionSecret, expiresAt: row.expires_at };
  }

  /** The session a cookie secret stands for; anything else is `unauthenticated`. */
  async authenticate(sessionSecret: string | undefined): Promise<AuditorSession> {
    if (sessionSecret === undefined || sessionSecret === '') throw new AppError('unauthenticated');
    const row = await this.#db
      .selectFrom('auditor_grants')
      .select(['id', 'expires_at'])
      .where('session_hash', '=', hashSecret(sessionSecret))
      .where('signed_out_at', 'is', null)
      .where('expires_at', '>', this.#clock.now())
      .executeTakeFirst();
    if (row === undefined) throw new AppError('unauthenticated');
    return { grantId: row.id, expiresAt: row.expires_at };
  }

  /** Ends a session for good; audited. */
  async signOut(sessionSecret: string | undefined, context: RequestContext = {}): Promise<void> {
    const session = await this.authenticate(sessionSecret);
    await this.#db
      .updateTable('auditor_grants')
      .set({ signed_out_at: this.#clock.now() })
      .where('id', '=', session.grantId)
      .execute();
    await this.#log.record({
      action: 'auditor.signout',
      actor: { kind: 'user', id: session.grantId },
      target: session.grantId,
      outcome: 'success',
      ...(context.source === undefined ? {} : { source: context.source }),
    });
  }

  /**
   * Searches the audit trail, newest first, one page at a time (keyset on seq). The search
   * itself is audited (with its filters) before the results are returned. The searcher is a
   * grant's session (its cookie secret) or a signed-in account holding the auditor role,
   * which the caller has checked (`{ userId }`).
   */
  async search(
    auditor: string | undefined | { readonly userId: string },
    query: AuditEventsQuery,
    context: RequestContext = {},
  ): Promise<AuditEventsReply> {
    const actorId =
      typeof auditor === 'object' ? auditor.userId : (await this.authenticate(auditor)).grantId;
    const limit = query.limit === undefined ? DEFAULT_LIMIT : Number(query.limit);
    const from = parseTime(query.from, 'from', false);
    const to = parseTime(query.to, 'to', true);
    let select = this.#db
      .selectFrom('audit_events')
      .select([
        'seq',
        'recorded_at',
        'action',
        'actor_kind',
        'actor_id',
        'target',
        'meeting_id',
        'outcome',
        'source',
        'content',
        'erased_at',
      ])
      .orderBy('seq', 'desc')
      .limit(limit + 1);
    if (from !== undefined) select = select.where('recorded_at', '>=', from);
    if (to !== undefined) select = select.where('recorded_at', '<', to);
    if (query.actor !== undefined) select = select.where('actor_id', '=', query.actor);
    if (query.meeting !== undefined) select = select.where('meeting_id', '=', query.meeting);
    if (query.action !== undefined) select = select.where('action', '=', query.action);
    if (query.outcome !== undefined) select = select.where('outcome', '=', query.outcome);
    if (query.before !== undefined) select = select.where('seq', '<', Number(query.before));
    const rows = await select.execute();
    const page = rows.slice(0, limit);
    const events = page.map((row): AuditEventView => ({
      seq: Number(row.seq),
      time: row.recorded_at.toISOString(),
      actor: { kind: row.actor_kind, id: row.actor_id },
      action: row.action,
      target: row.target,
      meetingId: row.meeting_id,
      outcome: row.outcome,
      source: row.source,
      details: detailsOf(row.content),
      erased: row.erased_at !== null,
    }));
    const filters: Record<string, AuditJson> = {};
    for (const [key, value] of Object.entries(query)) {
      if (typeof value === 'string') filters[key] = value;
    }
    await this.#log.record({
      action: 'auditor.search',
      actor: { kind: 'user', id: actorId },
      outcome: 'success',
      ...(context.source === undefined ? {} : { source: context.source }),
      details: { filters, results: events.length },
    });
    const last = page.at(-1);
    return {
      events,
      nextBefore: rows.length > limit && last !== undefined ? String(last.seq) : null,
    };
  }
}

function labelContext(grantId: string): string {
  return `auditor:${grantId}:label`;
}

/**
 * A query time. A bare date means the start of that day (UTC) for `from`, and the end of
 * it for `to`, so `to=2030-01-31` includes the 31st.
 */
function parseTime(value: string | undefined, name: string, endOfDay: boolean): Date | undefined {
  if (value === undefined) return undefined;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const time = new Date(dateOnly ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(time.getTime()))
    throw new AppError('bad_request', `${name} is not a valid time`);
  if (dateOnly && endOfDay) time.setUTCDate(time.getUTCDate() + 1);
  return time;
}

/** The details of a stored event's signed content; null once erased. */
function detailsOf(content: Uint8Array | null): Record<string, unknown> | null {
  if (content === null) return null;
  try {
    const parsed = JSON.parse(new TextDecoder().decode(content)) as { details?: unknown };
    const details = parsed.details;
    return typeof details === 'object' && details !== null && !Array.isArray(details)
      ? (details as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
