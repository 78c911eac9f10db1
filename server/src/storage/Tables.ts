import type { ColumnType, Generated } from 'kysely';

/**
 * The database schema as Kysely sees it; `migrations/` creates it. Columns ending in
 * `_sealed` hold vault-sealed bytes (see `vault/Vault.ts`): nothing personal is stored in
 * plaintext. bytea columns read as Buffer from PostgreSQL and as Uint8Array from PGlite.
 */
export interface Tables {
  meetings: MeetingsTable;
  participants: ParticipantsTable;
  chat_messages: ChatMessagesTable;
  audit_events: AuditEventsTable;
  audit_checkpoints: AuditCheckpointsTable;
  audit_keys: AuditKeysTable;
  auditor_grants: AuditorGrantsTable;
}

/** One meeting. */
export interface MeetingsTable {
  id: string;
  title_sealed: Uint8Array;
  created_at: Date;
  ended_at: Date | null;
  /** SHA-256 of the moderator link token, base64url; the token itself is never stored. */
  moderator_token_hash: string;
  participant_token_hash: string;
}

/** One person's stay in one meeting. */
export interface ParticipantsTable {
  id: string;
  meeting_id: string;
  display_name_sealed: Uint8Array;
  role: string;
  joined_at: Date;
  left_at: Date | null;
  /** SHA-256 of the session cookie value, base64url; unique per meeting. */
  session_hash: string;
}

/** One chat message; `recipient_id` is set for private messages. */
export interface ChatMessagesTable {
  /** Insertion order, so that messages sent in the same millisecond keep their order. */
  seq: Generated<string>;
  id: string;
  meeting_id: string;
  sender_id: string;
  recipient_id: string | null;
  sent_at: Date;
  /** Sealed JSON `{ senderName, text }`. */
  body_sealed: Uint8Array;
}

/**
 * A PostgreSQL bigint: node-postgres reads it as a decimal string, PGlite as a number; both
 * accept a number when written.
 */
type BigIntColumn = ColumnType<string | number, number, number>;

/**
 * One audit event (see `audit/AuditLog.ts`, docs/audit.md). Append-only, enforced by
 * triggers: rows can only be erased by the retention path, which nulls `content`, `salt` and
 * the personal columns and keeps `seq` and `leaf_hash`, so every Merkle proof stays valid.
 */
export interface AuditEventsTable {
  /** Leaf index in the Merkle tree: 0-based and gap-free. */
  seq: BigIntColumn;
  recorded_at: Date;
  action: string;
  actor_kind: string;
  /** Pseudonymous actor id; null once erased. */
  actor_id: string | null;
  target: string | null;
  meeting_id: string | null;
  outcome: string;
  /** Source address truncated per P1 (IPv4 /24, IPv6 /48). */
  source: string | null;
  /** The first segment of `action`, e.g. `meeting`: what retention periods are set for. */
  event_class: string;
  /** Canonical JSON bytes of the event, hashed into the leaf; null once erased. */
  content: Uint8Array | null;
  salt: Uint8Array | null;
  leaf_hash: Uint8Array;
  erased_at: Date | null;
}

/** A signed checkpoint of the audit log, with the tree state to resume from without replay. */
export interface AuditCheckpointsTable {
  id: Generated<BigIntColumn>;
  tree_size: BigIntColumn;
  root_hash: Uint8Array;
  /** The signed note text (C2SP tlog-checkpoint). */
  text: string;
  /** The Merkle accumulator state at `tree_size`: its subtree roots, concatenated. */
  state: Uint8Array;
  created_at: Date;
}

/** The audit log's Ed25519 signing key, sealed by the vault. */
export interface AuditKeysTable {
  /** The key name (the log's origin). */
  name: string;
  /** The 4-byte signed-note key id, hex. */
  key_id: string;
  /** The public verifier key string (`<name>+<id>+<key>`). */
  verifier_key: string;
  /** `PRIVATE+KEY+…` sealed with the vault context `audit:signing-key`. */
  signer_sealed: Uint8Array;
  created_at: Date;
}

/**
 * One auditor grant (`npm run audit -- grant-auditor`): a single-use sign-in token that
 * becomes a session until `expires_at`. Secrets are stored as SHA-256 hashes, base64url.
 */
export interface AuditorGrantsTable {
  /** Pseudonymous id: the auditor's actor id in audit events. */
  id: string;
  /** Who the grant is for, sealed with the vault context `auditor:<id>:label`. */
  label_sealed: Uint8Array;
  token_hash: string;
  created_at: Date;
  /** When the link and any session made from it stop working. */
  expires_at: Date;
  /** When the token was consumed; null while unused. */
  used_at: Date | null;
  /** The session cookie's secret, hashed; set when the token is consumed. */
  session_hash: string | null;
  signed_out_at: Date | null;
}
