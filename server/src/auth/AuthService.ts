import { createHmac, timingSafeEqual } from 'node:crypto';
import type { MfaMethod, PlatformRole, SessionReply, SessionView } from '@konvent/protocol';
import type { Kysely } from 'kysely';
import type { AuditEventInput } from '../audit/events.ts';
import { truncateAddress } from '../audit/truncateAddress.ts';
import { AppError } from '../errors/AppError.ts';
import type { Clock, DomainLogger, RequestContext } from '../meetings/ports.ts';
import type { Tables } from '../storage/Tables.ts';
import type { Vault } from '../vault/Vault.ts';
import type { AuthKeys } from './AuthKeys.ts';
import type { ExternalIdentity } from './ExternalIdentity.ts';
import type { MfaService } from './MfaService.ts';
import { needsRehash, hashPassword, verifyAgainstNothing, verifyPassword } from './passwords.ts';
import {
  SessionStore,
  type IssuedSession,
  type SessionRecord,
  type Stage,
} from './SessionStore.ts';
import { Throttle, type ThrottleRule } from './Throttle.ts';
import { UserStore, type UserRecord } from './UserStore.ts';

/** The audit entry point as the auth module uses it (`AuditLog.record`). */
export interface AuthAudit {
  record(event: AuditEventInput): Promise<unknown>;
}

/** Timeouts and limits; every value has a safe default. */
export interface AuthPolicy {
  /** A signed-in session ends after this much inactivity (default 30 min). */
  readonly idleMinutes: number;
  /** …and at the latest this long after sign-in (default 12 h). */
  readonly absoluteHours: number;
  /** Roles that must use a second factor (always at least admin and key_custodian). */
  readonly mfaRoles: readonly PlatformRole[];
  /** Failed sign-ins per account before a lock. */
  readonly account: ThrottleRule;
  /** Failed sign-ins per source network before a lock. */
  readonly source: ThrottleRule;
}

/** Defaults: NIST 800-63B AAL2-like session limits; locks short enough not to be a weapon. */
export const DEFAULT_AUTH_POLICY: AuthPolicy = {
  idleMinutes: 30,
  absoluteHours: 12,
  mfaRoles: ['admin', 'key_custodian'],
  account: { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
  source: { maxFailures: 100, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
};

/** A half-finished sign-in (second factor or its enrolment outstanding) lasts this long. */
const PENDING_STAGE_MS = 10 * 60_000;
/** Activity is written at most this often per session (the idle timeout is in minutes). */
const TOUCH_EVERY_MS = 60_000;

/** What the auth service is built from. */
export interface AuthServiceDeps {
  db: Kysely<Tables>;
  vault: Vault;
  keys: AuthKeys;
  audit: AuthAudit;
  clock: Clock;
  logger: DomainLogger;
  policy?: Partial<AuthPolicy>;
  /** Told about every ended session, so open WebSockets of it close at once (all nodes). */
  onSessionsEnded: (sessionIds: readonly string[], userId: string) => Promise<void>;
}

/** A request's signed-in session, as routes see it. */
export interface AuthContext {
  readonly session: SessionRecord;
  readonly user: UserRecord;
  /** The stage that applies now (a role that needs MFA can turn `full` into `enrol`). */
  readonly stage: Stage;
  readonly csrfToken: string;
}

/** A sign-in step's result: the cookie secret to set and the new session. */
export interface SignIn {
  readonly secret: string;
  readonly context: AuthContext;
}

/**
 * Sign-in, sessions and sign-out: the one place that decides who a request is. Every
 * sign-in, failure, lockout, sign-out and revocation is audited before it is answered.
 * Accounts and factors are managed by `AccountAdmin` and `MfaService`, which share the
 * stores and call back here to end sessions.
 */
export class AuthService {
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly policy: AuthPolicy;
  readonly #deps: AuthServiceDeps;
  readonly #throttle: Throttle;
  #mfa: MfaService | undefined;

  constructor(deps: AuthServiceDeps) {
    this.#deps = deps;
    const mfaRoles = new Set<PlatformRole>([
      'admin',
      'key_custodian',
      ...(deps.policy?.mfaRoles ?? []),
    ]);
    this.policy = { ...DEFAULT_AUTH_POLICY, ...deps.policy, mfaRoles: [...mfaRoles].sort() };
    this.users = new UserStore(deps.db, deps.vault, deps.keys);
    this.sessions = new SessionStore(deps.db);
    this.#throttle = new Throttle(deps.db);
  }

  /** Connects the factor service (they need each other: factors elevate sessions). */
  attachMfa(mfa: MfaService): void {
    this.#mfa = mfa;
  }

  get #factors(): MfaService {
    if (this.#mfa === undefined) throw new Error('AuthService used before attachMfa');
    return this.#mfa;
  }

  /** Records one audit event (the module's single path to the audit log). */
  audit(event: AuditEventInput): Promise<unknown> {
    return this.#deps.audit.record(event);
  }

  /** Whether holding these roles requires a second factor. */
  mfaRequired(roles: readonly PlatformRole[]): boolean {
    return roles.some((role) => this.policy.mfaRoles.includes(role));
  }

  /** The CSRF token of a session: derived from its secret, never stored. */
  csrfToken(secret: string): string {
    return createHmac('sha256', 'konvent-csrf').update(secret).digest('base64url');
  }

  /** Whether `token` is the CSRF token of the session with this secret. */
  csrfMatches(secret: string, token: string | undefined): boolean {
    if (token === undefined) return false;
    const expected = Buffer.from(this.csrfToken(secret));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /**
   * The session behind a cookie secret: live, not idle too long, not past its absolute end,
   * its account active. Throws `unauthenticated` otherwise (and ends an expired session).
   */
  async authenticate(secret: string | undefined): Promise<AuthContext> {
    if (secret === undefined) throw new AppError('unauthenticated');
    const session = await this.sessions.bySecret(secret);
    if (session === undefined) throw new AppError('unauthenticated');
    const now = this.#deps.clock.now();
    const idleMs = this.policy.idleMinutes * 60_000;
    if (now >= session.expiresAt || now.getTime() - session.lastSeenAt.getTime() > idleMs) {
      await this.#end(session.userId, [session.id], 'expired', undefined);
      throw new AppError('unauthenticated', 'the session has expired');
    }
    const user = await this.users.byId(session.userId);
    if (user?.status !== 'active') {
      await this.#end(session.userId, [session.id], 'account_inactive', undefined);
      throw new AppError('unauthenticated');
    }
    if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      await this.sessions.touch(session.id, now);
    }
    return this.#context(session, user, secret);
  }

  /** Like `authenticate`, and the session must have passed every factor its roles need. */
  async authenticateFull(secret: string | undefined): Promise<AuthContext> {
    const context = await this.authenticate(secret);
    if (context.stage !== 'full') throw new AppError('mfa_required');
    return context;
  }

  /** Throws `forbidden` unless the signed-in user holds `role`. */
  requireRole(context: AuthContext, role: PlatformRole): void {
    if (!context.user.roles.includes(role)) throw new AppError('forbidden');
  }

  /** The client's view of a session. */
  async describe(context: AuthContext): Promise<SessionReply> {
    const factors = await this.#factors.summary(context.user);
    const methods: MfaMethod[] = [];
    if (factors.totp) methods.push('totp');
    if (factors.webauthn > 0) methods.push('webauthn');
    if (factors.recoveryCodesLeft > 0) methods.push('recovery');
    return {
      stage: context.stage,
      methods: context.stage === 'mfa' ? methods : [],
      account: {
        id: context.user.id,
        username: context.user.username,
        displayName: context.user.displayName,
        roles: [...context.user.roles],
        source: context.user.source,
        mfaRequired: this.mfaRequired(context.user.roles),
        totp: factors.totp,
        webauthn: factors.webauthn,
        recoveryCodesLeft: factors.recoveryCodesLeft,
      },
      csrfToken: context.csrfToken,
      expiresAt: context.session.expiresAt.toISOString(),
      idleMinutes: this.policy.idleMinutes,
    };
  }

  /**
   * Local sign-in. Unknown user, wrong password, disabled account and an account without a
   * local password all get the same `invalid_credentials` after the same argon2id work;
   * a locked account or source gets `rate_limited` before any password is checked.
   */
  async loginWithPassword(
    username: string,
    password: string,
    request: RequestContext,
  ): Promise<SignIn> {
    const now = this.#deps.clock.now();
    const accountKey = `account:${this.#deps.keys.usernameKey(username)}`;
    const sourceKey =
      request.source === undefined ? undefined : `source:${truncateAddress(request.source)}`;
    const account = accountKey.slice(8, 24);
    for (const key of [accountKey, sourceKey]) {
      if (key !== undefined && (await this.#throttle.lockedUntil(key, now)) !== undefined) {
        await this.audit({
          action: 'auth.login',
          actor: { kind: 'system', id: 'anonymous' },
          outcome: 'denied',
          ...source(request),
          details: { method: 'password', reason: 'locked', account },
        });
        throw new AppError('rate_limited', 'too many failed sign-ins; try again later');
      }
    }
    const user = await this.users.byUsername(username);
    const hash = user?.passwordHash ?? null;
    const passwordOk =
      hash === null ? await verifyAgainstNothing(password) : await verifyPassword(hash, password);
    if (user === undefined || !passwordOk || user.status !== 'active') {
      const reason =
        user === undefined
          ? 'unknown_user'
          : !passwordOk
            ? 'wrong_password'
            : `account_${user.status}`;
      await this.#failed(accountKey, sourceKey, request, now, {
        actor:
          user === undefined ? { kind: 'system', id: 'anonymous' } : { kind: 'user', id: user.id },
        details: { method: 'password', reason, account },
      });
      throw new AppError('invalid_credentials');
    }
    await this.#throttle.clear(accountKey);
    if (hash !== null && needsRehash(hash)) {
      await this.users.update(user.id, { passwordHash: await hashPassword(password) }, now);
    }
    return this.#open(user, 'password', request, now);
  }

  /**
   * Sign-in through an identity provider: the account is found by provider and subject, or
   * created on first sign-in; its roles follow the provider's claims on every sign-in.
   */
  async loginWithExternal(
    identity: ExternalIdentity,
    request: RequestContext,
    idTokenSealer?: (sessionId: string) => Promise<Uint8Array>,
  ): Promise<SignIn> {
    const now = this.#deps.clock.now();
    let user = await this.users.byExternal(identity.provider, identity.subject);
    if (user === undefined) {
      user = await this.users
        .insert(
          {
            username: identity.username,
            displayName: identity.displayName,
            roles: identity.roles,
            source: identity.kind,
            status: 'active',
            passwordHash: null,
            external: { provider: identity.provider, subject: identity.subject },
          },
          now,
        )
        .catch(async (error: unknown) => {
          // The user name belongs to another account (local or another provider): never merge.
          await this.audit({
            action: 'auth.login',
            actor: { kind: 'system', id: 'anonymous' },
            outcome: 'denied',
            ...source(request),
            details: {
              method: identity.kind,
              provider: identity.provider,
              reason: 'username_taken',
            },
          });
          throw error;
        });
      await this.audit({
        action: 'user.created',
        actor: { kind: 'system', id: `idp:${identity.provider}` },
        target: `user:${user.id}`,
        outcome: 'success',
        ...source(request),
        details: { source: identity.kind, provider: identity.provider, roles: [...user.roles] },
      });
    } else {
      const roles = [...identity.roles].sort();
      if (roles.join() !== user.roles.join()) {
        await this.users.update(user.id, { roles }, now);
        await this.audit({
          action: 'user.roles_changed',
          actor: { kind: 'system', id: `idp:${identity.provider}` },
          target: `user:${user.id}`,
          outcome: 'success',
          ...source(request),
          details: { from: [...user.roles], to: roles },
        });
        user = { ...user, roles };
      }
    }
    if (user.status !== 'active') {
      await this.audit({
        action: 'auth.login',
        actor: { kind: 'user', id: user.id },
        outcome: 'denied',
        ...source(request),
        details: {
          method: identity.kind,
          provider: identity.provider,
          reason: `account_${user.status}`,
        },
      });
      throw new AppError('invalid_credentials');
    }
    const method = `${identity.kind}:${identity.provider}${identity.multiFactor ? '+mfa' : ''}`;
    const signIn = await this.#open(user, method, request, now, identity.multiFactor);
    if (idTokenSealer !== undefined) {
      await this.sessions.setIdToken(
        signIn.context.session.id,
        await idTokenSealer(signIn.context.session.id),
      );
    }
    return signIn;
  }

  /**
   * Completes a pending `mfa` or `enrol` stage after a factor was checked (or enrolled) by
   * the factor service: the session becomes `full` under a new secret.
   */
  async completeStage(
    context: AuthContext,
    factor: string,
    request: RequestContext,
  ): Promise<SignIn> {
    const now = this.#deps.clock.now();
    const method = `${context.session.method}+${factor}`;
    const expiresAt = new Date(now.getTime() + this.policy.absoluteHours * 3_600_000);
    const secret = await this.sessions.elevate(context.session.id, 'full', method, now, expiresAt);
    if (secret === undefined) throw new AppError('unauthenticated');
    await this.audit({
      action: 'auth.login',
      actor: { kind: 'user', id: context.user.id },
      target: `session:${context.session.id}`,
      outcome: 'success',
      ...source(request),
      details: { method, stage: 'full' },
    });
    return { secret, context: await this.authenticate(secret) };
  }

  /** Counts a failed second factor against the account; locks like a failed password. */
  async secondFactorFailed(
    context: AuthContext,
    factor: string,
    request: RequestContext,
  ): Promise<void> {
    const now = this.#deps.clock.now();
    await this.#failed(`mfa:${context.user.id}`, undefined, request, now, {
      actor: { kind: 'user', id: context.user.id },
      action: 'auth.mfa',
      details: { method: factor, reason: 'wrong_code' },
    });
  }

  /** Refuses while the account's second-factor attempts are locked. */
  async checkSecondFactorLock(context: AuthContext): Promise<void> {
    const until = await this.#throttle.lockedUntil(
      `mfa:${context.user.id}`,
      this.#deps.clock.now(),
    );
    if (until !== undefined)
      throw new AppError('rate_limited', 'too many wrong codes; try again later');
  }

  /** After a good second factor: forget earlier wrong codes. */
  async secondFactorPassed(context: AuthContext): Promise<void> {
    await this.#throttle.clear(`mfa:${context.user.id}`);
  }

  /** Signs out: ends this session. */
  async logout(context: AuthContext, request: RequestContext): Promise<void> {
    await this.#end(context.user.id, [context.session.id], 'logout', request, {
      action: 'auth.logout',
      actor: { kind: 'user', id: context.user.id },
    });
  }

  /** The user's live sessions. */
  async listSessions(context: AuthContext): Promise<SessionView[]> {
    const sessions = await this.sessions.ofUser(context.user.id);
    return sessions.map((session) => ({
      id: session.id,
      current: session.id === context.session.id,
      createdAt: session.createdAt.toISOString(),
      lastSeenAt: session.lastSeenAt.toISOString(),
      expiresAt: session.expiresAt.toISOString(),
      source: session.source,
      method: session.method,
    }));
  }

  /** Ends one of the user's own sessions. */
  async revokeOwnSession(
    context: AuthContext,
    sessionId: string,
    request: RequestContext,
  ): Promise<void> {
    const session = await this.sessions.byId(sessionId);
    if (session?.userId !== context.user.id) throw new AppError('not_found', 'no such session');
    await this.#end(context.user.id, [sessionId], 'revoked', request, {
      action: 'auth.session_revoked',
      actor: { kind: 'user', id: context.user.id },
    });
  }

  /**
   * Ends every session of `userId` (but `except`), by the user or an admin; their open
   * WebSockets close at once. Resolves to the number ended.
   */
  async revokeAllSessions(
    actor: AuthContext,
    userId: string,
    request: RequestContext,
    reason = 'revoked',
    except?: string,
  ): Promise<number> {
    const ended = await this.sessions.endAllOf(userId, this.#deps.clock.now(), except);
    await this.audit({
      action: 'auth.session_revoked',
      actor: { kind: 'user', id: actor.user.id },
      target: `user:${userId}`,
      outcome: 'success',
      ...source(request),
      details: { sessions: ended.length, reason },
    });
    if (ended.length > 0) await this.#deps.onSessionsEnded(ended, userId);
    return ended.length;
  }

  /** Ends every session of a user without an acting session (password reset, disabling). */
  async endAllSessionsOf(userId: string, reason: string): Promise<number> {
    const ended = await this.sessions.endAllOf(userId, this.#deps.clock.now());
    if (ended.length > 0) await this.#deps.onSessionsEnded(ended, userId);
    if (ended.length > 0)
      this.#deps.logger.warn({ userId, sessions: ended.length, reason }, 'sessions ended');
    return ended.length;
  }

  /** Deletes sessions and throttle rows that are over (run daily). */
  async prune(): Promise<void> {
    const now = this.#deps.clock.now();
    await this.sessions.prune(new Date(now.getTime() - 24 * 3_600_000));
    await this.#throttle.prune(
      now,
      Math.max(this.policy.account.windowMs, this.policy.source.windowMs),
    );
  }

  async #open(
    user: UserRecord,
    method: string,
    request: RequestContext,
    now: Date,
    providerMfa = false,
  ): Promise<SignIn> {
    const factors = await this.#factors.summary(user);
    const hasFactor = factors.totp || factors.webauthn > 0;
    let stage: Stage = 'full';
    if (!providerMfa && hasFactor) stage = 'mfa';
    else if (!providerMfa && this.mfaRequired(user.roles)) stage = 'enrol';
    const expiresAt = new Date(
      now.getTime() + (stage === 'full' ? this.policy.absoluteHours * 3_600_000 : PENDING_STAGE_MS),
    );
    const issued: IssuedSession = await this.sessions.open(
      {
        userId: user.id,
        stage,
        method,
        source: request.source === undefined ? null : truncateAddress(request.source),
        expiresAt,
      },
      now,
    );
    await this.users.update(user.id, { lastLoginAt: now }, now);
    await this.audit({
      action: 'auth.login',
      actor: { kind: 'user', id: user.id },
      target: `session:${issued.record.id}`,
      outcome: 'success',
      ...source(request),
      details: { method, stage },
    });
    return { secret: issued.secret, context: await this.authenticate(issued.secret) };
  }

  #context(session: SessionRecord, user: UserRecord, secret: string): AuthContext {
    let stage = session.stage;
    // A role that needs MFA, granted after sign-in, holds the session back until a factor
    // is set up (a factor passed at sign-in, or at the provider, satisfies it).
    if (
      stage === 'full' &&
      this.mfaRequired(user.roles) &&
      !/\+(totp|webauthn|recovery|mfa)/.test(session.method)
    ) {
      stage = 'enrol';
    }
    return { session, user, stage, csrfToken: this.csrfToken(secret) };
  }

  async #failed(
    accountKey: string,
    sourceKey: string | undefined,
    request: RequestContext,
    now: Date,
    event: {
      actor: AuditEventInput['actor'];
      details: NonNullable<AuditEventInput['details']>;
      action?: 'auth.login' | 'auth.mfa';
    },
  ): Promise<void> {
    await this.audit({
      action: event.action ?? 'auth.login',
      actor: event.actor,
      outcome: 'failure',
      ...source(request),
      details: event.details,
    });
    const rules: [string, ThrottleRule][] = [[accountKey, this.policy.account]];
    if (sourceKey !== undefined) rules.push([sourceKey, this.policy.source]);
    for (const [key, rule] of rules) {
      const result = await this.#throttle.fail(key, rule, now);
      if (result.lockedUntil !== undefined) {
        await this.audit({
          action: 'auth.lockout',
          actor: { kind: 'system', id: 'throttle' },
          target: key.startsWith('source:')
            ? 'source'
            : key.startsWith('mfa:')
              ? `user:${key.slice(4)}`
              : 'account',
          outcome: 'success',
          ...source(request),
          details: {
            failures: result.failures,
            until: result.lockedUntil.toISOString(),
            ...(key.startsWith('account:') ? { account: key.slice(8, 24) } : {}),
          },
        });
      }
    }
  }

  async #end(
    userId: string,
    ids: readonly string[],
    reason: string,
    request: RequestContext | undefined,
    event?: { action: 'auth.logout' | 'auth.session_revoked'; actor: AuditEventInput['actor'] },
  ): Promise<void> {
    const ended = await this.sessions.end(ids, this.#deps.clock.now());
    if (event !== undefined) {
      await this.audit({
        action: event.action,
        actor: event.actor,
        target: ids.length === 1 ? `session:${ids[0] ?? ''}` : `user:${userId}`,
        outcome: 'success',
        ...(request === undefined ? {} : source(request)),
        details: { sessions: ended.length, reason },
      });
    }
    if (ended.length > 0) await this.#deps.onSessionsEnded(ended, userId);
  }
}

/** The request's source address for an audit event, if known. */
export function source(request: RequestContext): { source?: string } {
  return request.source === undefined ? {} : { source: request.source };
}
