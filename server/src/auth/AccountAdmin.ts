import type {
  LinkCheckReply,
  LinkKind,
  PasswordCheckReply,
  PlatformRole,
  UserView,
} from '@konvent/protocol';
import type { Kysely } from 'kysely';
import type { AuditAction, AuditEventInput } from '../audit/events.ts';
import { AppError } from '../errors/AppError.ts';
import type { Clock, RequestContext } from '../meetings/ports.ts';
import { hashSecret, newId, newToken } from '../meetings/secrets.ts';
import type { Tables } from '../storage/Tables.ts';
import { source, type AuthContext, type AuthService } from './AuthService.ts';
import type { MfaService } from './MfaService.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import type { PasswordPolicy } from './PasswordPolicy.ts';
import { normaliseRoles, type UserRecord } from './UserStore.ts';

/** How long one-time links stay valid. */
export const LINK_HOURS: Readonly<Record<LinkKind, number>> = {
  setup: 24,
  invite: 7 * 24,
  reset: 24,
};

/** What account administration is built from. */
export interface AccountAdminDeps {
  db: Kysely<Tables>;
  clock: Clock;
  auth: AuthService;
  mfa: MfaService;
  policy: PasswordPolicy;
  /** The deployment's public URL; links point at its pages. */
  publicUrl: string;
}

/** A one-time link just made: shown once, stored only as a hash. */
export interface IssuedLink {
  readonly link: string;
  readonly expiresAt: Date;
}

/** The pages one-time links open; the token travels in the fragment, never to a server log. */
const LINK_PATHS: Readonly<Record<LinkKind, string>> = {
  setup: '/setup',
  invite: '/welcome',
  reset: '/reset',
};

/**
 * Accounts and their lifecycle: the first admin through a one-time setup link (no default
 * account exists, ever), invitations and password resets through admin-issued one-time
 * links, role changes, disabling (which ends every session at once), and password changes.
 * Every step is authorised here and audited before it is answered.
 */
export class AccountAdmin {
  readonly #deps: AccountAdminDeps;

  constructor(deps: AccountAdminDeps) {
    this.#deps = deps;
  }

  /**
   * At start: if there is no account yet, a fresh setup link (older unused ones stop
   * working), to be printed for the operator; undefined once an account exists.
   */
  async setupLinkIfNeeded(): Promise<IssuedLink | undefined> {
    if ((await this.#deps.auth.users.count()) > 0) return undefined;
    await this.#deps.db
      .deleteFrom('auth_links')
      .where('kind', '=', 'setup')
      .where('used_at', 'is', null)
      .execute();
    const link = await this.#issue('setup', null, null);
    await this.#deps.auth.audit({
      action: 'auth.setup_link_issued',
      actor: { kind: 'system', id: 'server' },
      outcome: 'success',
      details: { expiresAt: link.expiresAt.toISOString() },
    });
    return link;
  }

  /** The policy's verdict on a password (for the forms' live feedback). */
  checkPassword(password: string, username?: string): PasswordCheckReply {
    return this.#deps.policy.check(password, username === undefined ? [] : [username]);
  }

  /** What a link is for (before its form is shown); unknown, used and expired look the same. */
  async checkLink(token: string): Promise<LinkCheckReply> {
    const link = await this.#liveLink(token);
    const user = link.user_id === null ? undefined : await this.#deps.auth.users.byId(link.user_id);
    return {
      kind: link.kind as LinkKind,
      username: user?.username ?? null,
      expiresAt: link.expires_at.toISOString(),
    };
  }

  /** Creates the first admin (with the setup link); they must then set up a second factor. */
  async redeemSetup(
    token: string,
    values: { username: string; displayName: string; password: string },
    request: RequestContext,
  ): Promise<UserRecord> {
    this.#requirePassword(values.password, values.username);
    const passwordHash = await hashPassword(values.password);
    const now = this.#deps.clock.now();
    const user = await this.#deps.db.transaction().execute(async (tx) => {
      const link = await this.#takeLink(token, 'setup', tx);
      if (link === undefined)
        throw new AppError('not_found', 'the setup link is unknown, used or expired');
      // Only ever the first account: a setup link left over after accounts exist is void.
      const count = await tx
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      if (Number(count.n) > 0)
        throw new AppError('not_found', 'the setup link is unknown, used or expired');
      return this.#deps.auth.users.insert(
        {
          username: values.username,
          displayName: values.displayName,
          roles: ['admin', 'organiser'],
          source: 'local',
          status: 'active',
          passwordHash,
        },
        now,
        tx,
      );
    });
    await this.#deps.auth.audit({
      action: 'user.created',
      actor: { kind: 'system', id: 'setup-link' },
      target: `user:${user.id}`,
      outcome: 'success',
      ...source(request),
      details: { source: 'local', roles: [...user.roles], via: 'setup' },
    });
    return user;
  }

  /** Accepts an invitation or a password reset: sets the password (ends other sessions). */
  async redeemLink(
    token: string,
    values: { password: string; displayName?: string },
    request: RequestContext,
  ): Promise<UserRecord> {
    const preview = await this.#liveLink(token);
    if (preview.kind === 'setup' || preview.user_id === null) {
      throw new AppError('not_found', 'the link is unknown, used or expired');
    }
    const user = await this.#deps.auth.users.byId(preview.user_id);
    if (user === undefined) throw new AppError('not_found', 'the link is unknown, used or expired');
    this.#requirePassword(values.password, user.username);
    const passwordHash = await hashPassword(values.password);
    const now = this.#deps.clock.now();
    const kind = await this.#deps.db.transaction().execute(async (tx) => {
      const link = await this.#takeLink(token, preview.kind as LinkKind, tx);
      if (link === undefined)
        throw new AppError('not_found', 'the link is unknown, used or expired');
      await this.#deps.auth.users.update(
        user.id,
        {
          passwordHash,
          ...(link.kind === 'invite' ? { status: 'active' as const } : {}),
          ...(link.kind === 'invite' && values.displayName !== undefined
            ? { displayName: values.displayName }
            : {}),
        },
        now,
        tx,
      );
      return link.kind as LinkKind;
    });
    if (kind === 'reset') await this.#deps.auth.endAllSessionsOf(user.id, 'password_reset');
    await this.#audit(user.id, user.id, 'auth.link_redeemed', 'success', request, { kind });
    const updated = await this.#deps.auth.users.byId(user.id);
    if (updated === undefined) throw new AppError('not_found');
    return updated;
  }

  /** Changes one's own password (the current one is needed); other sessions end. */
  async changePassword(
    context: AuthContext,
    currentPassword: string,
    newPassword: string,
    request: RequestContext,
  ): Promise<void> {
    const hash = context.user.passwordHash;
    if (context.user.source !== 'local' || hash === null) {
      throw new AppError('conflict', 'this account signs in through its identity provider');
    }
    if (!(await verifyPassword(hash, currentPassword))) {
      await this.#audit(
        context.user.id,
        context.user.id,
        'auth.password_changed',
        'failure',
        request,
        { reason: 'wrong_password' },
      );
      await this.#deps.auth.secondFactorFailed(context, 'password', request);
      throw new AppError('invalid_credentials');
    }
    this.#requirePassword(newPassword, context.user.username);
    await this.#deps.auth.users.update(
      context.user.id,
      { passwordHash: await hashPassword(newPassword) },
      this.#deps.clock.now(),
    );
    await this.#audit(
      context.user.id,
      context.user.id,
      'auth.password_changed',
      'success',
      request,
    );
    await this.#deps.auth.revokeAllSessions(
      context,
      context.user.id,
      request,
      'password_changed',
      context.session.id,
    );
  }

  // ---- administration (admin role, full session) ------------------------------------------

  /** Every account, for the admin page. */
  async listUsers(context: AuthContext): Promise<UserView[]> {
    this.#deps.auth.requireRole(context, 'admin');
    const [users, sessions] = await Promise.all([
      this.#deps.auth.users.list(),
      this.#deps.auth.sessions.countByUser(),
    ]);
    const views: UserView[] = [];
    for (const user of users) {
      const factors = await this.#deps.mfa.summary(user);
      views.push({
        id: user.id,
        username: user.username,
        displayName: user.displayName,
        roles: [...user.roles],
        source: user.source,
        status: user.status,
        mfa: factors.totp || factors.webauthn > 0,
        createdAt: user.createdAt.toISOString(),
        lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
        activeSessions: sessions.get(user.id) ?? 0,
      });
    }
    return views;
  }

  /** Invites a local user: the account waits, inactive, for its one-time link. */
  async invite(
    context: AuthContext,
    values: { username: string; displayName: string; roles: readonly PlatformRole[] },
    request: RequestContext,
  ): Promise<IssuedLink> {
    this.#deps.auth.requireRole(context, 'admin');
    const now = this.#deps.clock.now();
    const user = await this.#deps.auth.users.insert(
      {
        username: values.username,
        displayName: values.displayName,
        roles: normaliseRoles(values.roles),
        source: 'local',
        status: 'invited',
        passwordHash: null,
      },
      now,
    );
    const link = await this.#issue('invite', user.id, context.user.id);
    await this.#audit(context.user.id, user.id, 'user.created', 'success', request, {
      source: 'local',
      roles: [...user.roles],
      via: 'invite',
    });
    await this.#audit(context.user.id, user.id, 'auth.link_issued', 'success', request, {
      kind: 'invite',
      expiresAt: link.expiresAt.toISOString(),
    });
    return link;
  }

  /** A new one-time link for a local user: invitation again, or a password reset. */
  async issueLink(
    context: AuthContext,
    userId: string,
    request: RequestContext,
  ): Promise<IssuedLink> {
    this.#deps.auth.requireRole(context, 'admin');
    const user = await this.#deps.auth.users.byId(userId);
    if (user === undefined) throw new AppError('not_found', 'no such user');
    if (user.source !== 'local') {
      throw new AppError('conflict', 'this account signs in through its identity provider');
    }
    if (user.status === 'disabled') throw new AppError('conflict', 'enable the account first');
    const kind: LinkKind = user.status === 'invited' ? 'invite' : 'reset';
    const link = await this.#issue(kind, user.id, context.user.id);
    await this.#audit(context.user.id, user.id, 'auth.link_issued', 'success', request, {
      kind,
      expiresAt: link.expiresAt.toISOString(),
    });
    return link;
  }

  /**
   * Changes roles and/or disables or enables an account. Disabling ends all its sessions
   * (and so its WebSockets) at once. An admin cannot disable themself or take away the last
   * admin's role: the installation would be left without one.
   */
  async updateUser(
    context: AuthContext,
    userId: string,
    changes: { roles?: readonly PlatformRole[]; disabled?: boolean },
    request: RequestContext,
  ): Promise<UserView> {
    this.#deps.auth.requireRole(context, 'admin');
    const user = await this.#deps.auth.users.byId(userId);
    if (user === undefined) throw new AppError('not_found', 'no such user');
    const roles = changes.roles === undefined ? undefined : normaliseRoles(changes.roles);
    const losesAdmin =
      (roles !== undefined && user.roles.includes('admin') && !roles.includes('admin')) ||
      (changes.disabled === true && user.roles.includes('admin'));
    const deny = async (reason: string, message: string): Promise<never> => {
      await this.#audit(
        context.user.id,
        user.id,
        changes.disabled === true ? 'user.disabled' : 'user.roles_changed',
        'denied',
        request,
        { reason },
      );
      throw new AppError('conflict', message);
    };
    if (changes.disabled === true && user.id === context.user.id) {
      await deny('self', 'you cannot disable your own account');
    }
    if (losesAdmin && (await this.#activeAdmins()) <= 1 && user.status === 'active') {
      await deny('last_admin', 'this is the last active admin');
    }
    const now = this.#deps.clock.now();
    if (roles !== undefined && roles.join() !== user.roles.join()) {
      if (user.source !== 'local') {
        await deny('idp_managed', 'roles of this account follow its identity provider');
      }
      await this.#deps.auth.users.update(user.id, { roles }, now);
      await this.#audit(context.user.id, user.id, 'user.roles_changed', 'success', request, {
        from: [...user.roles],
        to: roles,
      });
    }
    if (changes.disabled === true && user.status !== 'disabled') {
      await this.#deps.auth.users.update(user.id, { status: 'disabled' }, now);
      await this.#deps.db
        .updateTable('auth_links')
        .set({ used_at: now })
        .where('user_id', '=', user.id)
        .where('used_at', 'is', null)
        .execute();
      const ended = await this.#deps.auth.endAllSessionsOf(user.id, 'disabled');
      await this.#audit(context.user.id, user.id, 'user.disabled', 'success', request, {
        sessionsEnded: ended,
      });
    } else if (changes.disabled === false && user.status === 'disabled') {
      // Back to active if a password was ever set; else the invitation must be sent again.
      const status = user.passwordHash === null && user.source === 'local' ? 'invited' : 'active';
      await this.#deps.auth.users.update(user.id, { status }, now);
      await this.#audit(context.user.id, user.id, 'user.enabled', 'success', request, { status });
    }
    const view = (await this.listUsers(context)).find((candidate) => candidate.id === user.id);
    if (view === undefined) throw new AppError('not_found', 'no such user');
    return view;
  }

  /** Ends all sessions of a user (admin). */
  async revokeUserSessions(
    context: AuthContext,
    userId: string,
    request: RequestContext,
  ): Promise<number> {
    this.#deps.auth.requireRole(context, 'admin');
    if ((await this.#deps.auth.users.byId(userId)) === undefined) {
      throw new AppError('not_found', 'no such user');
    }
    return this.#deps.auth.revokeAllSessions(context, userId, request, 'admin');
  }

  // ---- helpers ---------------------------------------------------------------------------

  /** Records what the account `actorId` did to the account `userId`. */
  #audit(
    actorId: string,
    userId: string,
    action: AuditAction,
    outcome: 'success' | 'failure' | 'denied',
    request: RequestContext,
    details?: NonNullable<AuditEventInput['details']>,
  ): Promise<unknown> {
    return this.#deps.auth.audit({
      action,
      actor: { kind: 'user', id: actorId },
      target: `user:${userId}`,
      outcome,
      ...source(request),
      ...(details === undefined ? {} : { details }),
    });
  }

  #requirePassword(password: string, username: string): void {
    const verdict = this.#deps.policy.check(password, [username]);
    if (!verdict.ok) throw new AppError('password_rejected', verdict.problems.join(', '));
  }

  async #activeAdmins(): Promise<number> {
    const row = await this.#deps.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('status', '=', 'active')
      .where((eb) => eb(eb.val('admin'), '=', eb.fn.any('roles')))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async #issue(
    kind: LinkKind,
    userId: string | null,
    createdBy: string | null,
  ): Promise<IssuedLink> {
    const token = newToken();
    const now = this.#deps.clock.now();
    const expiresAt = new Date(now.getTime() + LINK_HOURS[kind] * 3_600_000);
    await this.#deps.db.transaction().execute(async (tx) => {
      if (userId !== null) {
        // One live link per account: a new one voids the older.
        await tx
          .updateTable('auth_links')
          .set({ used_at: now })
          .where('user_id', '=', userId)
          .where('used_at', 'is', null)
          .execute();
      }
      await tx
        .insertInto('auth_links')
        .values({
          id: newId(),
          token_hash: hashSecret(token),
          kind,
          user_id: userId,
          created_by: createdBy,
          created_at: now,
          expires_at: expiresAt,
          used_at: null,
        })
        .execute();
    });
    const url = new URL(LINK_PATHS[kind], this.#deps.publicUrl);
    url.hash = `k=${token}`;
    return { link: url.toString(), expiresAt };
  }

  async #liveLink(token: string) {
    const link = await this.#deps.db
      .selectFrom('auth_links')
      .selectAll()
      .where('token_hash', '=', hashSecret(token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', this.#deps.clock.now())
      .executeTakeFirst();
    if (link === undefined) throw new AppError('not_found', 'the link is unknown, used or expired');
    return link;
  }

  /** Marks a live link of `kind` used, in the caller's transaction; undefined if none. */
  async #takeLink(token: string, kind: LinkKind, tx: Kysely<Tables>) {
    return tx
      .updateTable('auth_links')
      .set({ used_at: this.#deps.clock.now() })
      .where('token_hash', '=', hashSecret(token))
      .where('kind', '=', kind)
      .where('used_at', 'is', null)
      .where('expires_at', '>', this.#deps.clock.now())
      .returning(['id', 'kind', 'user_id'])
      .executeTakeFirst();
  }
}
