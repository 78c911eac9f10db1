import type { MeetingLocks, MeetingRole } from '@konvent/protocol';
import type { Kysely, Selectable } from 'kysely';
import { AppError } from '../errors/AppError.ts';
import type {
  ChatRecord,
  DeletedChat,
  MeetingRecord,
  MeetingRepository,
  NewMeetingRecord,
  ParticipantRecord,
  StoredPolicy,
} from '../meetings/ports.ts';
import type { Vault } from '../vault/Vault.ts';
import {
  parseLocks,
  serializeLocks,
  toAdmission,
  toArrival,
  toGuestPolicy,
  toRole,
  translate,
} from './rowValues.ts';
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

/**
 * `MeetingRepository` on SQL (PGlite or PostgreSQL through Kysely). Titles, display names
 * and chat bodies are sealed with the vault before they are written; ids, roles, times, token
 * and passcode hashes, policies and locks stay in the clear for the queries.
 */
export class SqlMeetingRepository implements MeetingRepository {
  readonly #db: Kysely<Tables>;
  readonly #vault: Vault;

  constructor(db: Kysely<Tables>, vault: Vault) {
    this.#db = db;
    this.#vault = vault;
  }

  /**
   * Stores a new meeting; a duplicate id is a `conflict`. Without a policy the columns'
   * defaults apply (ask the moderator, no passcode, no lock after start); without locks,
   * none is set.
   */
  async createMeeting(meeting: NewMeetingRecord): Promise<void> {
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
        created_by: meeting.createdBy ?? null,
        ...(meeting.policy === undefined ? {} : policyColumns(meeting.policy)),
        ...(meeting.locks === undefined ? {} : { locks: serializeLocks(meeting.locks) }),
        ...(meeting.parentId === undefined ? {} : { parent_id: meeting.parentId }),
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
        arrival: participant.arrival ?? 'link',
        admission: participant.admission ?? 'admitted',
        user_id: participant.userId ?? null,
        invitation_id: participant.invitationId ?? null,
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

  /** Admitted participants who joined and have not left, oldest first. */
  async listActiveParticipants(meetingId: string): Promise<ParticipantRecord[]> {
    return this.#listPresent(meetingId, 'admitted');
  }

  /** People waiting in the lobby (not left), longest waiting first. */
  async listWaiting(meetingId: string): Promise<ParticipantRecord[]> {
    return this.#listPresent(meetingId, 'waiting');
  }

  /**
   * Admits or denies someone waiting, in one conditional update so that two moderators
   * deciding at once cannot both succeed. A denial also marks them left. Resolves to false,
   * changing nothing, unless they were still waiting (and had not left).
   */
  async decideAdmission(
    participantId: string,
    admission: 'admitted' | 'denied',
    at: Date,
  ): Promise<boolean> {
    const result = await this.#db
      .updateTable('participants')
      .set(admission === 'denied' ? { admission, left_at: at } : { admission })
      .where('id', '=', participantId)
      .where('admission', '=', 'waiting')
      .where('left_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Whether any stay of this account in this meeting ended in a removal with ban. */
  async isUserBanned(meetingId: string, userId: string): Promise<boolean> {
    const row = await this.#db
      .selectFrom('participants')
      .select('id')
      .where('meeting_id', '=', meetingId)
      .where('user_id', '=', userId)
      .where('banned', '=', true)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Stores a new policy (an unknown meeting changes nothing). */
  async setPolicy(meetingId: string, policy: StoredPolicy): Promise<void> {
    await this.#db
      .updateTable('meetings')
      .set(policyColumns(policy))
      .where('id', '=', meetingId)
      .execute();
  }

  /** Stores the full lock state (an unknown meeting changes nothing). */
  async setLocks(meetingId: string, locks: MeetingLocks): Promise<void> {
    await this.#db
      .updateTable('meetings')
      .set({ locks: serializeLocks(locks) })
      .where('id', '=', meetingId)
      .execute();
  }

  /** Records when the meeting started; once set, the time stays. */
  async markStarted(meetingId: string, at: Date): Promise<void> {
    await this.#db
      .updateTable('meetings')
      .set({ started_at: at })
      .where('id', '=', meetingId)
      .where('started_at', 'is', null)
      .execute();
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
      .where('deleted_at', 'is', null)
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

  /**
   * Deletes a message `by` could see, in one statement (two moderators deleting the same
   * message: one wins, the other finds nothing): the body is set to NULL, so the sealed
   * text is gone from the row, not merely hidden.
   */
  async deleteChat(
    meetingId: string,
    messageId: string,
    by: string,
    at: Date,
  ): Promise<DeletedChat | undefined> {
    const row = await this.#db
      .updateTable('chat_messages')
      .set({ deleted_at: at, deleted_by: by, body_sealed: null })
      .where('id', '=', messageId)
      .where('meeting_id', '=', meetingId)
      .where('deleted_at', 'is', null)
      .where((eb) =>
        eb.or([
          eb('recipient_id', 'is', null),
          eb('sender_id', '=', by),
          eb('recipient_id', '=', by),
        ]),
      )
      .returning(['sender_id', 'recipient_id'])
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return row.recipient_id === null
      ? { senderId: row.sender_id }
      : { senderId: row.sender_id, to: row.recipient_id };
  }

  /** Participants of a meeting with this admission who have not left, oldest first. */
  async #listPresent(
    meetingId: string,
    admission: 'admitted' | 'waiting',
  ): Promise<ParticipantRecord[]> {
    const rows = await this.#db
      .selectFrom('participants')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .where('admission', '=', admission)
      .where('left_at', 'is', null)
      .orderBy('joined_at')
      .orderBy('id')
      .execute();
    return Promise.all(rows.map((row) => this.#participant(row)));
  }

  async #meeting(row: Selectable<MeetingsTable>): Promise<MeetingRecord> {
    return {
      id: row.id,
      title: await this.#vault.openText(row.title_sealed, contexts.title(row.id)),
      createdAt: row.created_at,
      endedAt: row.ended_at,
      moderatorTokenHash: row.moderator_token_hash,
      participantTokenHash: row.participant_token_hash,
      createdBy: row.created_by,
      policy: {
        guestPolicy: toGuestPolicy(row.guest_policy),
        passcodeHash: row.passcode_hash,
        lockAfterStartMinutes: row.lock_after_start_minutes,
      },
      startedAt: row.started_at,
      locks: parseLocks(row.locks),
      ...(row.parent_id === null ? {} : { parentId: row.parent_id }),
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
      arrival: toArrival(row.arrival),
      admission: toAdmission(row.admission),
    };
    if (row.removed_at !== null) record.removal = row.banned ? 'banned' : 'removed';
    if (row.user_id !== null) record.userId = row.user_id;
    if (row.invitation_id !== null) record.invitationId = row.invitation_id;
    return record;
  }

  async #chat(row: Selectable<ChatMessagesTable>): Promise<ChatRecord> {
    // Deleted rows are filtered out by every query that reads bodies.
    if (row.body_sealed === null)
      throw new AppError('internal', undefined, { cause: new Error('deleted chat row read') });
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

/** The `meetings` columns that hold a policy. */
function policyColumns(policy: StoredPolicy) {
  return {
    guest_policy: policy.guestPolicy,
    passcode_hash: policy.passcodeHash,
    lock_after_start_minutes: policy.lockAfterStartMinutes,
  };
}
