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
  invitations: InvitationsTable;
  participant_reports: ParticipantReportsTable;
  presentations: PresentationsTable;
  shared_media: SharedMediaTable;
  shared_media_chunks: SharedMediaChunksTable;
  whiteboards: WhiteboardsTable;
  breakouts: BreakoutsTable;
  minutes: MinutesTable;
  annotations: AnnotationsTable;
  audit_events: AuditEventsTable;
  audit_checkpoints: AuditCheckpointsTable;
  audit_keys: AuditKeysTable;
  auditor_grants: AuditorGrantsTable;
  auth_keys: AuthKeysTable;
  users: UsersTable;
  recovery_codes: RecoveryCodesTable;
  webauthn_credentials: WebAuthnCredentialsTable;
  auth_sessions: AuthSessionsTable;
  auth_links: AuthLinksTable;
  auth_throttle: AuthThrottleTable;
  auth_flows: AuthFlowsTable;
  saml_seen_assertions: SamlSeenAssertionsTable;
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
  /** The account that created it; null for meetings created by tools or older versions. */
  created_by: NullableDefault<string>;
  /** One of the protocol's `GuestPolicy` values; the column defaults to `ask_moderator`. */
  guest_policy: ColumnType<string, string | undefined, string>;
  /** argon2id PHC string of the meeting passcode; null: no passcode. */
  passcode_hash: NullableDefault<string>;
  lock_after_start_minutes: NullableDefault<number>;
  /** When the first moderator joined. */
  started_at: NullableDefault<Date>;
  /** JSON object of lock name to boolean (the protocol's `MeetingLocks`); defaults to `{}`. */
  locks: ColumnType<string, string | undefined, string>;
  /** The main meeting of a breakout room; null for every other meeting. */
  parent_id: NullableDefault<string>;
}

/** A main meeting's running breakout session (sealed JSON of `StoredBreakout`). */
export interface BreakoutsTable {
  meeting_id: string;
  state_sealed: Uint8Array;
  ends_at: Date;
}

/** A meeting's minutes (sealed JSON of `StoredMinutes`, context `minutes:<meetingId>:state`). */
export interface MinutesTable {
  meeting_id: string;
  state_sealed: Uint8Array;
  updated_at: Date;
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
  /** When a moderator removed them (they have also left then). */
  removed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Removed and banned: a join from the browser holding this session is refused. */
  banned: ColumnType<boolean, boolean | undefined, boolean>;
  /** The account they were signed in with, if any. */
  user_id: NullableDefault<string>;
  /** The personal invitation they came with; nulled if the invitation is deleted. */
  invitation_id: NullableDefault<string>;
  /** `moderator_link`, `link`, `account`, `invitation` or `breakout`; defaults to `link`. */
  arrival: ColumnType<string, string | undefined, string>;
  /** `admitted`, `waiting` (in the lobby) or `denied`; defaults to `admitted`. */
  admission: ColumnType<string, string | undefined, string>;
}

/**
 * One personal invitation to a meeting. The token and PIN are stored only as hashes; the
 * label (who it is for) is sealed with the vault context `invitation:<meetingId>:<id>:label`.
 */
export interface InvitationsTable {
  id: string;
  meeting_id: string;
  /** SHA-256 of the invitation token, base64url; unique. */
  token_hash: string;
  label_sealed: Uint8Array;
  /** `moderator`, `presenter` or `participant`. */
  role: string;
  /** argon2id PHC string of the PIN; null: no PIN. */
  pin_hash: string | null;
  /** `user:<id>` or `participant:<id>`. */
  created_by: string;
  created_at: Date;
  expires_at: Date;
  /** null: any number of uses until it expires. */
  max_uses: number | null;
  /** Never above `max_uses` (a check constraint). */
  uses: ColumnType<number, number | undefined, number>;
  revoked_at: NullableDefault<Date>;
  /** Whoever joins through it is appointed minute-taker on arrival; defaults to false. */
  minute_taker: ColumnType<boolean, boolean | undefined, boolean>;
}

/**
 * One participant's report about another. The optional text is sealed with a context that
 * binds meeting, report, reporter and target (see `SqlReportRepository.ts`).
 */
export interface ParticipantReportsTable {
  id: string;
  meeting_id: string;
  reporter_id: string;
  target_id: string;
  /** One of the protocol's `ReportReason` values. */
  reason: string;
  text_sealed: Uint8Array | null;
  reported_at: Date;
  /** null while the report is open. */
  answered_at: NullableDefault<Date>;
  /** One of the protocol's `ReportAnswer` values, once answered. */
  answer: NullableDefault<string>;
  /** Who answered, as the meetings domain names them. */
  answered_by: NullableDefault<string>;
}

/**
 * One uploaded presentation (a PDF). Name and content are sealed with contexts bound to
 * meeting, row and column (see `SqlPresentationRepository.ts`).
 */
export interface PresentationsTable {
  id: string;
  meeting_id: string;
  /** The participant id of who uploaded it. */
  uploaded_by: string;
  name_sealed: Uint8Array;
  content_sealed: Uint8Array;
  /** Bytes of the PDF. */
  size: number;
  pages: number;
  created_at: Date;
}

/**
 * One uploaded audio or video file. The name is sealed here, the content in
 * `shared_media_chunks` (see `SqlSharedMediaRepository.ts`).
 */
export interface SharedMediaTable {
  id: string;
  meeting_id: string;
  /** The participant id of who uploaded it. */
  uploaded_by: string;
  name_sealed: Uint8Array;
  /** 'audio' or 'video'. */
  kind: string;
  mime: string;
  /** Seconds. */
  duration: number;
  /** Bytes of the file (at most 2 GiB, see `SHARED_MEDIA_LIMITS`). */
  size: number;
  /** Plain bytes per chunk (the last one may be shorter). */
  chunk_bytes: number;
  created_at: Date;
}

/** One sealed chunk of a shared media file, `idx` counting from 0. */
export interface SharedMediaChunksTable {
  media_id: string;
  idx: number;
  content_sealed: Uint8Array;
}

/** A meeting's whiteboard: sealed JSON of its elements (see `SqlWhiteboardRepository.ts`). */
export interface WhiteboardsTable {
  meeting_id: string;
  state_sealed: Uint8Array;
  updated_at: Date;
}

/**
 * The strokes on one presentation page: sealed JSON with a context bound to meeting,
 * presentation and page (see `SqlAnnotationRepository.ts`).
 */
export interface AnnotationsTable {
  meeting_id: string;
  presentation_id: string;
  page: number;
  strokes_sealed: Uint8Array;
  updated_at: Date;
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
  /** Sealed JSON `{ senderName, text }`; null once the message is deleted (the text is erased). */
  body_sealed: ColumnType<Uint8Array | null, Uint8Array, Uint8Array | null>;
  /** When a moderator deleted the message; null while it stands. */
  deleted_at: NullableDefault<Date>;
  /** The participant id of the moderator who deleted it. */
  deleted_by: NullableDefault<string>;
}

/** A nullable column that defaults to null, so inserts may leave it out. */
type NullableDefault<T> = ColumnType<T | null, T | null | undefined, T | null>;

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

/** Keys of the auth module, sealed by the vault. */
export interface AuthKeysTable {
  name: string;
  key_sealed: Uint8Array;
  created_at: Date;
}

/** One account. */
export interface UsersTable {
  id: string;
  /** HMAC of the normalised user name under the `username` auth key, base64url. */
  username_key: string;
  username_sealed: Uint8Array;
  display_name_sealed: Uint8Array;
  roles: string[];
  source: string;
  external_key: string | null;
  status: string;
  /** argon2id PHC string; null for accounts without a local password. */
  password_hash: string | null;
  totp_secret_sealed: Uint8Array | null;
  totp_last_step: ColumnType<string | null, number | null, number | null>;
  created_at: Date;
  updated_at: Date;
  last_login_at: Date | null;
}

/** One recovery code, stored as SHA-256. */
export interface RecoveryCodesTable {
  user_id: string;
  code_hash: string;
  used_at: Date | null;
}

/** One registered WebAuthn credential. */
export interface WebAuthnCredentialsTable {
  /** The credential id, base64url. */
  id: string;
  user_id: string;
  public_key: Uint8Array;
  counter: ColumnType<string, number, number>;
  transports: string[];
  name_sealed: Uint8Array;
  created_at: Date;
  last_used_at: Date | null;
}

/** One sign-in session. */
export interface AuthSessionsTable {
  id: string;
  /** SHA-256 of the cookie secret, base64url. */
  secret_hash: string;
  user_id: string;
  stage: string;
  method: string;
  source: string | null;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  ended_at: Date | null;
  pending_sealed: Uint8Array | null;
  id_token_sealed: Uint8Array | null;
}

/** One one-time link (first admin, invitation, password reset). */
export interface AuthLinksTable {
  id: string;
  token_hash: string;
  kind: string;
  user_id: string | null;
  created_by: string | null;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

/** Failed sign-ins per key (account or source address). */
export interface AuthThrottleTable {
  key: string;
  failures: number;
  window_started_at: Date;
  locked_until: Date | null;
}

/** A sign-in in progress at an identity provider. */
export interface AuthFlowsTable {
  id: string;
  kind: string;
  provider: string;
  data_sealed: Uint8Array;
  expires_at: Date;
}

/** An accepted SAML assertion id (hashed), kept until the assertion expires. */
export interface SamlSeenAssertionsTable {
  id_hash: string;
  expires_at: Date;
}
