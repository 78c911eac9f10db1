import type { Generated } from 'kysely';

/**
 * The database schema as Kysely sees it; `migrations/` creates it. Columns ending in
 * `_sealed` hold vault-sealed bytes (see `vault/Vault.ts`): nothing personal is stored in
 * plaintext. bytea columns read as Buffer from PostgreSQL and as Uint8Array from PGlite.
 */
export interface Tables {
  meetings: MeetingsTable;
  participants: ParticipantsTable;
  chat_messages: ChatMessagesTable;
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
