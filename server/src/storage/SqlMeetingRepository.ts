import type { MeetingRole } from '@konvent/protocol';
import type { Kysely, Selectable } from 'kysely';
import { AppError } from '../errors/AppError.ts';
import type {
  ChatRecord,
  MeetingRecord,
  MeetingRepository,
  ParticipantRecord,
} from '../meetings/ports.ts';
import type { Vault } from '../vault/Vault.ts';
import type { ChatMessagesTable, MeetingsTable, ParticipantsTable, Tables } from './Tables.ts';

/**
 * Vault contexts bind each sealed value to its row and column, so a blob copied into another
 * row (or another column) fails to open. The chat context also binds sender and recipient:
 * whoever can write to the database cannot turn a private message into a public one, or
 * re-attribute it, without it failing to open.
 */
const contexts = {
  title: (meetingId: string) => `meeting:${meetingId}:title`,
  displayName: (meetingId: string, participantId: string) =>
    `participant:${meetingId}:${participantId}:display_name`,
  chat: (meetingId: string, messageId: string, senderId: string, recipientId: string | null) =>
    `chat:${meetingId}:${messageId}:${senderId}:${recipientId ?? '*'}`,
};

/** PostgreSQL error codes this repository turns into domain errors. */
const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';

/**
 * `MeetingRepository` on SQL (PGlite or PostgreSQL through Kysely). Titles, display names
 * and chat bodies are sealed with the vault before they are written; ids, roles, times and
 * token hashes stay in the clear for the queries.
 */
export class SqlMeetingRepository implements MeetingRepository {
  readonly #db: Kysely<Tables>;
  readonly #vault: Vault;

  constructor(db: Kysely<Tables>, vault: Vault) {
    this.#db = db;
    this.#vault = vault;
  }

  /** Stores a new meeting; a duplicate id is a `conflict`. */
  async createMeeting(meeting: Omit<MeetingRecord, 'endedAt'>): Promise<void> {
    const titleSealed = await this.#vault.seal(meeting.title, contexts.title(meeting.id));
    await this.#db
      .insertInto('meetings')
      .values({
        id: meeting.id,
        title_sealed: titleSealed,
        created_at: meeting.createdAt,
        ended_at: null,
        moderator_token_hash: meeting.moderatorTokenHash,
        participant_token_hash: meeting.participantTokenHash,
      })
      .execute()
      .catch(translate);
  }

  /** The meeting, or undefined if there is none with this id. */
  async findMeeting(id: string): Promise<MeetingRecord | undefined> {
    const row = await this.#db
      .selectFrom('meetings')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : this.#meeting(row);
  }

  /**
   * Marks the meeting ended and everyone still in it as left, in one transaction. Ending an
   * ended or unknown meeting changes nothing (the first end time stays).
   */
  async endMeeting(id: string, at: Date): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .updateTable('meetings')
        .set({ ended_at: at })
        .where('id', '=', id)
        .where('ended_at', 'is', null)
        .execute();
      await trx
        .updateTable('participants')
        .set({ left_at: at })
        .where('meeting_id', '=', id)
        .where('left_at', 'is', null)
        .execute();
    });
  }

  /**
   * Stores a participant; an unknown meeting is `not_found`, a session already in the
   * meeting or a duplicate id is a `conflict`.
   */
  async addParticipant(participant: Omit<ParticipantRecord, 'leftAt' | 'removal'>): Promise<void> {
    const nameSealed = await this.#vault.seal(
      participant.displayName,
      contexts.displayName(participant.meetingId, participant.id),
    );
    await this.#db
      .insertInto('participants')
      .values({
        id: participant.id,
        meeting_id: participant.meetingId,
        display_name_sealed: nameSealed,
        role: participant.role,
        joined_at: participant.joinedAt,
        left_at: null,
        session_hash: participant.sessionHash,
      })
      .execute()
      .catch(translate);
  }

  /** The participant of this meeting holding this session (whether or not they left). */
  async findParticipantBySession(
    meetingId: string,
    sessionHash: string,
  ): Promise<ParticipantRecord | undefined> {
    const row = await this.#db
      .selectFrom('participants')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .where('session_hash', '=', sessionHash)
      .executeTakeFirst();
    return row === undefined ? undefined : this.#participant(row);
  }

  /** Records when a participant left; a second call keeps the first time. */
  async markParticipantLeft(participantId: string, at: Date): Promise<void> {
    await this.#db
      .updateTable('participants')
      .set({ left_at: at })
      .where('id', '=', participantId)
      .where('left_at', 'is', null)
      .execute();
  }

  /**
   * Records a removal: the participant has left (the first time stays) and is marked
   * removed, and banned if asked. A ban is never lifted by a later removal without one.
   */
  async markParticipantRemoved(participantId: string, at: Date, banned: boolean): Promise<void> {
    await this.#db
      .updateTable('participants')
      .set((eb) => ({
        left_at: eb.fn.coalesce('left_at', eb.val(at)),
        removed_at: eb.fn.coalesce('removed_at', eb.val(at)),
        banned: banned ? true : eb.ref('banned'),
      }))
      .where('id', '=', participantId)
      .execute();
  }

  /** Stores a participant's new role. */
  async setParticipantRole(participantId: string, role: MeetingRole): Promise<void> {
    await this.#db
      .updateTable('participants')
      .set({ role })
      .where('id', '=', participantId)
      .execute();
  }

  /** Participants who joined and have not left, oldest first. */
  async listActiveParticipants(meetingId: string): Promise<ParticipantRecord[]> {
    const rows = await this.#db
      .selectFrom('participants')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .where('left_at', 'is', null)
      .orderBy('joined_at')
      .orderBy('id')
      .execute();
    return Promise.all(rows.map((row) => this.#participant(row)));
  }

  /**
   * Stores a chat message; sender name and text are sealed together. A sender or recipient
   * who is not a participant, or a meeting that does not exist, is `not_found`.
   */
  async appendChat(message: ChatRecord): Promise<void> {
    const recipientId = message.to ?? null;
    const body = JSON.stringify({ senderName: message.senderName, text: message.text });
    const bodySealed = await this.#vault.seal(
      body,
      contexts.chat(message.meetingId, message.id, message.senderId, recipientId),
    );
    await this.#db
      .insertInto('chat_messages')
      .values({
        id: message.id,
        meeting_id: message.meetingId,
        sender_id: message.senderId,
        recipient_id: recipientId,
        sent_at: message.sentAt,
        body_sealed: bodySealed,
      })
      .execute()
      .catch(translate);
  }

  /**
   * The latest `limit` messages visible to one participant (public ones and private ones
   * they sent or received), oldest first.
   */
  async listChat(meetingId: string, participantId: string, limit: number): Promise<ChatRecord[]> {
    if (limit <= 0) return [];
    const rows = await this.#db
      .selectFrom('chat_messages')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .where((eb) =>
        eb.or([
          eb('recipient_id', 'is', null),
          eb('sender_id', '=', participantId),
          eb('recipient_id', '=', participantId),
        ]),
      )
      .orderBy('seq', 'desc')
      .limit(Math.floor(limit))
      .execute();
    const messages = await Promise.all(rows.map((row) => this.#chat(row)));
    return messages.reverse();
  }

  async #meeting(row: Selectable<MeetingsTable>): Promise<MeetingRecord> {
    return {
      id: row.id,
      title: await this.#vault.openText(row.title_sealed, contexts.title(row.id)),
      createdAt: row.created_at,
      endedAt: row.ended_at,
      moderatorTokenHash: row.moderator_token_hash,
      participantTokenHash: row.participant_token_hash,
    };
  }

  async #participant(row: Selectable<ParticipantsTable>): Promise<ParticipantRecord> {
    const record: ParticipantRecord = {
      id: row.id,
      meetingId: row.meeting_id,
      displayName: await this.#vault.openText(
        row.display_name_sealed,
        contexts.displayName(row.meeting_id, row.id),
      ),
      role: toRole(row.role),
      joinedAt: row.joined_at,
      leftAt: row.left_at,
      sessionHash: row.session_hash,
    };
    if (row.removed_at !== null) record.removal = row.banned ? 'banned' : 'removed';
    return record;
  }

  async #chat(row: Selectable<ChatMessagesTable>): Promise<ChatRecord> {
    const text = await this.#vault.openText(
      row.body_sealed,
      contexts.chat(row.meeting_id, row.id, row.sender_id, row.recipient_id),
    );
    const body = parseChatBody(text);
    const record: ChatRecord = {
      id: row.id,
      meetingId: row.meeting_id,
      senderId: row.sender_id,
      senderName: body.senderName,
      text: body.text,
      sentAt: row.sent_at,
    };
    if (row.recipient_id !== null) record.to = row.recipient_id;
    return record;
  }
}

function toRole(value: string): MeetingRole {
  if (
    value === 'moderator' ||
    value === 'presenter' ||
    value === 'participant' ||
    value === 'guest'
  )
    return value;
  throw new AppError('internal', undefined, { cause: new Error(`unknown role ${value}`) });
}

function parseChatBody(text: string): { senderName: string; text: string } {
  const body: unknown = JSON.parse(text);
  if (typeof body === 'object' && body !== null) {
    const { senderName, text: messageText } = body as Record<string, unknown>;
    if (typeof senderName === 'string' && typeof messageText === 'string') {
      return { senderName, text: messageText };
    }
  }
  throw new AppError('internal', undefined, { cause: new Error('malformed chat body') });
}

/** Turns constraint violations into the domain's errors; rethrows anything else. */
function translate(error: unknown): never {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === UNIQUE_VIOLATION) throw new AppError('conflict', undefined, { cause: error });
  if (code === FOREIGN_KEY_VIOLATION) throw new AppError('not_found', undefined, { cause: error });
  throw error;
}
