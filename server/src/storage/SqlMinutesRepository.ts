import type { ExpressionBuilder, Kysely } from 'kysely';
import type { MinutesRepository, ReadableMeeting, StoredMinutes } from '../meetings/ports.ts';
import type { Vault } from '../vault/Vault.ts';
import { translate } from './rowValues.ts';
import type { Tables } from './Tables.ts';

/** The vault context binds minutes to their meeting: they cannot be moved onto another. */
const stateContext = (meetingId: string) => `minutes:${meetingId}:state`;

/**
 * `MinutesRepository` on SQL. Notes, items and minute-takers are sealed as one object; the
 * meeting id and the time of the last save stay in the clear. The row goes with its meeting.
 */
export class SqlMinutesRepository implements MinutesRepository {
  readonly #db: Kysely<Tables>;
  readonly #vault: Vault;

  constructor(db: Kysely<Tables>, vault: Vault) {
    this.#db = db;
    this.#vault = vault;
  }

  async load(meetingId: string): Promise<StoredMinutes | undefined> {
    const row = await this.#db
      .selectFrom('minutes')
      .select('state_sealed')
      .where('meeting_id', '=', meetingId)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    const text = await this.#vault.openText(row.state_sealed, stateContext(meetingId));
    return JSON.parse(text) as StoredMinutes;
  }

  async save(meetingId: string, minutes: StoredMinutes, at: Date): Promise<void> {
    const sealed = await this.#vault.seal(JSON.stringify(minutes), stateContext(meetingId));
    await this.#db
      .insertInto('minutes')
      .values({ meeting_id: meetingId, state_sealed: sealed, updated_at: at })
      .onConflict((oc) =>
        oc.column('meeting_id').doUpdateSet({ state_sealed: sealed, updated_at: at }),
      )
      .execute()
      .catch(translate);
  }

  async mayRead(meetingId: string, userId: string): Promise<boolean> {
    const row = await this.#db
      .selectFrom('meetings')
      .select('id')
      .where('id', '=', meetingId)
      .where((eb) => readableBy(eb, userId))
      .executeTakeFirst();
    return row !== undefined;
  }

  async readable(userId: string, limit: number): Promise<ReadableMeeting[]> {
    const rows = await this.#db
      .selectFrom('minutes')
      .innerJoin('meetings', 'meetings.id', 'minutes.meeting_id')
      .select(['minutes.meeting_id', 'minutes.updated_at'])
      // Breakout rooms' minutes are part of their main meeting's.
      .where('meetings.parent_id', 'is', null)
      .where((eb) => readableBy(eb, userId))
      .orderBy('meetings.created_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ meetingId: row.meeting_id, updatedAt: row.updated_at }));
  }

  async countParticipants(meetingId: string): Promise<number> {
    const row = await this.#db
      .selectFrom('participants')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('meeting_id', '=', meetingId)
      .where('admission', '=', 'admitted')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

/**
 * Whether the account may read the meeting's minutes afterwards: it created the meeting,
 * or was admitted to it signed in with that account.
 */
function readableBy(eb: ExpressionBuilder<Tables, 'meetings'>, userId: string) {
  return eb.or([
    eb('meetings.created_by', '=', userId),
    eb.exists(
      eb
        .selectFrom('participants')
        .select('participants.id')
        .whereRef('participants.meeting_id', '=', 'meetings.id')
        .where('participants.user_id', '=', userId)
        .where('participants.admission', '=', 'admitted'),
    ),
  ]);
}
