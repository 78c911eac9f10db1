import { sql, type Kysely } from 'kysely';

/**
 * Accounts, sessions, second factors, one-time links and sign-in throttling (issue 4).
 *
 * Nothing that opens an account is stored in a usable form: passwords as argon2id hashes,
 * session secrets, link tokens and recovery codes as SHA-256 hashes (they carry ≥ 50 bits
 * of randomness and are throttled), the TOTP secret sealed by the vault. User names and
 * display names are sealed too; `username_key` (an HMAC under a sealed lookup key) finds
 * an account by its user name without storing the name in the clear.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Keys the auth module derives lookups from, sealed by the vault (name → sealed key).
  await db.schema
    .createTable('auth_keys')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('key_sealed', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username_key', 'text', (c) => c.notNull().unique())
    .addColumn('username_sealed', 'bytea', (c) => c.notNull())
    .addColumn('display_name_sealed', 'bytea', (c) => c.notNull())
    .addColumn('roles', sql`text[]`, (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('local', 'oidc', 'saml')`))
    // HMAC of provider + subject for accounts from an identity provider.
    .addColumn('external_key', 'text', (c) => c.unique())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('active', 'invited', 'disabled')`),
    )
    .addColumn('password_hash', 'text')
    .addColumn('totp_secret_sealed', 'bytea')
    // The last accepted TOTP time step: a code is accepted once (RFC 6238 §5.2).
    .addColumn('totp_last_step', 'bigint')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_login_at', 'timestamptz')
    .addCheckConstraint('users_external_check', sql`(source = 'local') = (external_key is null)`)
    .execute();

  await db.schema
    .createTable('recovery_codes')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addPrimaryKeyConstraint('recovery_codes_pk', ['user_id', 'code_hash'])
    .execute();

  await db.schema
    .createTable('webauthn_credentials')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('public_key', 'bytea', (c) => c.notNull())
    .addColumn('counter', 'bigint', (c) => c.notNull())
    .addColumn('transports', sql`text[]`, (c) => c.notNull())
    .addColumn('name_sealed', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_used_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('webauthn_credentials_user_idx')
    .on('webauthn_credentials')
    .column('user_id')
    .execute();

  await db.schema
    .createTable('auth_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('stage', 'text', (c) => c.notNull().check(sql`stage in ('full', 'mfa', 'enrol')`))
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('source', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ended_at', 'timestamptz')
    // Pending ceremony state (WebAuthn challenge, TOTP secret being enrolled), sealed.
    .addColumn('pending_sealed', 'bytea')
    // For RP-initiated logout at the identity provider.
    .addColumn('id_token_sealed', 'bytea')
    .execute();
  await db.schema
    .createIndex('auth_sessions_user_idx')
    .on('auth_sessions')
    .column('user_id')
    .where(sql.ref('ended_at'), 'is', null)
    .execute();

  await db.schema
    .createTable('auth_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('setup', 'invite', 'reset')`))
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addCheckConstraint('auth_links_user_check', sql`(kind = 'setup') = (user_id is null)`)
    .execute();

  await db.schema
    .createTable('auth_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('locked_until', 'timestamptz')
    .execute();

  // Sign-ins in progress at an identity provider (OIDC state, PKCE verifier, nonce; SAML
  // request ids), single-use, sealed.
  await db.schema
    .createTable('auth_flows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('data_sealed', 'bytea', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();

  // SAML assertion ids already accepted, until they expire: a replay is refused.
  await db.schema
    .createTable('saml_seen_assertions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

/** Drops the identity tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'saml_seen_assertions',
    'auth_flows',
    'auth_throttle',
    'auth_links',
    'auth_sessions',
    'webauthn_credentials',
    'recovery_codes',
    'users',
    'auth_keys',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
