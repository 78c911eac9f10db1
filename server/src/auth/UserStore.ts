import { PLATFORM_ROLES, type AccountSource, type PlatformRole } from '@konvent/protocol';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { AppError } from '../errors/AppError.ts';
import { newId } from '../meetings/secrets.ts';
import type { Tables, UsersTable } from '../storage/Tables.ts';
import type { Vault } from '../vault/Vault.ts';
import type { AuthKeys } from './AuthKeys.ts';

/** An account's status: invited (link not yet redeemed), active, or disabled by an admin. */
export type UserStatus = 'active' | 'invited' | 'disabled';

/** An account as the auth module works with it (names opened from the vault). */
export interface UserRecord {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly roles: readonly PlatformRole[];
  readonly source: AccountSource;
  readonly status: UserStatus;
  readonly passwordHash: string | null;
  readonly totpSecretSealed: Uint8Array | null;
  readonly totpLastStep: number | null;
  readonly createdAt: Date;
  readonly lastLoginAt: Date | null;
}

/** What a new account is made of. */
export interface NewUser {
  readonly username: string;
  readonly displayName: string;
  readonly roles: readonly PlatformRole[];
  readonly source: AccountSource;
  readonly status: UserStatus;
  readonly passwordHash: string | null;
  /** For accounts from an identity provider. */
  readonly external?: { readonly provider: string; readonly subject: string };
}

type Db = Kysely<Tables> | Transaction<Tables>;

/** Sorted, known roles only: the one spelling stored and audited. */
export function normaliseRoles(roles: readonly string[]): PlatformRole[] {
  const known = new Set<string>(PLATFORM_ROLES);
  return [...new Set(roles)].filter((role): role is PlatformRole => known.has(role)).sort();
}

/**
 * The `users` table: accounts with sealed user and display names, found by the HMAC of the
 * user name (or of provider and subject). SQL and sealing only; rules live in the services.
 */
export class UserStore {
  readonly #db: Kysely<Tables>;
  readonly #vault: Vault;
  readonly #keys: AuthKeys;

  constructor(db: Kysely<Tables>, vault: Vault, keys: AuthKeys) {
    this.#db = db;
    this.#vault = vault;
    this.#keys = keys;
  }

  /** The account with this user name, if any. */
  async byUsername(username: string, db: Db = this.#db): Promise<UserRecord | undefined> {
    const row = await db
      .selectFrom('users')
      .selectAll()
      .where('username_key', '=', this.#keys.usernameKey(username))
      .executeTakeFirst();
    return row === undefined ? undefined : this.#open(row);
  }

  /** The account with this id, if any. */
  async byId(id: string, db: Db = this.#db): Promise<UserRecord | undefined> {
    const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : this.#open(row);
  }

  /** The account of a person at an identity provider, if any. */
  async byExternal(provider: string, subject: string): Promise<UserRecord | undefined> {
    const row = await this.#db
      .selectFrom('users')
      .selectAll()
      .where('external_key', '=', this.#keys.externalKey(provider, subject))
      .executeTakeFirst();
    return row === undefined ? undefined : this.#open(row);
  }

  /** How many accounts exist. */
  async count(): Promise<number> {
    const row = await this.#db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Every account, oldest first. */
  async list(): Promise<UserRecord[]> {
    const rows = await this.#db.selectFrom('users').selectAll().orderBy('created_at').execute();
    return Promise.all(rows.map((row) => this.#open(row)));
  }

  /** Creates an account; a user name (or external identity) already taken is a conflict. */
  async insert(user: NewUser, now: Date, db: Db = this.#db): Promise<UserRecord> {
    const id = newId();
    const usernameKey = this.#keys.usernameKey(user.username);
    const taken = await db
      .selectFrom('users')
      .select('id')
      .where('username_key', '=', usernameKey)
      .executeTakeFirst();
    if (taken !== undefined) throw new AppError('conflict', 'that user name is taken');
    await db
      .insertInto('users')
      .values({
        id,
        username_key: usernameKey,
        username_sealed: await this.#vault.seal(user.username.trim(), usernameContext(id)),
        display_name_sealed: await this.#vault.seal(user.displayName.trim(), displayContext(id)),
        roles: normaliseRoles(user.roles),
        source: user.source,
        external_key:
          user.external === undefined
            ? null
            : this.#keys.externalKey(user.external.provider, user.external.subject),
        status: user.status,
        password_hash: user.passwordHash,
        totp_secret_sealed: null,
        totp_last_step: null,
        created_at: now,
        updated_at: now,
        last_login_at: null,
      })
      .execute();
    const created = await this.byId(id, db);
    if (created === undefined) throw new Error('inserted user vanished');
    return created;
  }

  /** Changes columns of one account; false when it does not exist. */
  async update(
    id: string,
    changes: {
      roles?: readonly PlatformRole[];
      status?: UserStatus;
      passwordHash?: string | null;
      displayName?: string;
      totpSecretSealed?: Uint8Array | null;
      totpLastStep?: number | null;
      lastLoginAt?: Date;
    },
    now: Date,
    db: Db = this.#db,
  ): Promise<boolean> {
    const result = await db
      .updateTable('users')
      .set({
        updated_at: now,
        ...(changes.roles === undefined ? {} : { roles: normaliseRoles(changes.roles) }),
        ...(changes.status === undefined ? {} : { status: changes.status }),
        ...(changes.passwordHash === undefined ? {} : { password_hash: changes.passwordHash }),
        ...(changes.displayName === undefined
          ? {}
          : {
              display_name_sealed: await this.#vault.seal(
                changes.displayName.trim(),
                displayContext(id),
              ),
            }),
        ...(changes.totpSecretSealed === undefined
          ? {}
          : { totp_secret_sealed: changes.totpSecretSealed }),
        ...(changes.totpLastStep === undefined ? {} : { totp_last_step: changes.totpLastStep }),
        ...(changes.lastLoginAt === undefined ? {} : { last_login_at: changes.lastLoginAt }),
      })
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * Accepts a TOTP time step once: sets it only if it is later than the last one used, in
   * one statement, so two requests racing with the same code cannot both pass.
   */
  async claimTotpStep(id: string, step: number): Promise<boolean> {
    const result = await this.#db
      .updateTable('users')
      .set({ totp_last_step: step })
      .where('id', '=', id)
      .where((eb) =>
        eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', String(step) as never)]),
      )
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async #open(row: Selectable<UsersTable>): Promise<UserRecord> {
    return {
      id: row.id,
      username: await this.#vault.openText(row.username_sealed, usernameContext(row.id)),
      displayName: await this.#vault.openText(row.display_name_sealed, displayContext(row.id)),
      roles: normaliseRoles(row.roles),
      source: row.source as AccountSource,
      status: row.status as UserStatus,
      passwordHash: row.password_hash,
      totpSecretSealed: row.totp_secret_sealed,
      totpLastStep: row.totp_last_step === null ? null : Number(row.totp_last_step),
      createdAt: row.created_at,
      lastLoginAt: row.last_login_at,
    };
  }
}

/** The vault context of an account's user name. */
export function usernameContext(userId: string): string {
  return `user:${userId}:username`;
}

/** The vault context of an account's display name. */
export function displayContext(userId: string): string {
  return `user:${userId}:display-name`;
}

/** The vault context of an account's TOTP secret. */
export function totpContext(userId: string): string {
  return `user:${userId}:totp`;
}
