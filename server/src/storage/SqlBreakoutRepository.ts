import type { Kysely } from 'kysely';
import type { BreakoutRepository, StoredBreakout } from '../meetings/ports.ts';
import type { Vault } from '../vault/Vault.ts';
import { translate } from './rowValues.ts';
import type { Tables } from './Tables.ts';

/** The vault context binds a session to its main meeting. */
const stateContext = (meetingId: string) => `breakout:${meetingId}:state`;

/**
 * `BreakoutRepository` on SQL. Room names and who is in which room are sealed as one
 * object; the main meeting's id and the end time stay in the clear.
 */
export class SqlBreakoutRepository implements BreakoutRepository {
  readonly #db: Kysely<Tables>;
  readonly #vault: Vault;

  constructor(db: Kysely<Tables>, vault: Vault) {
    this.#db = db;
    this.#vault = vault;
  }

  async load(meetingId: string): Promise<StoredBreakout | undefined> {
    const row = await this.#db
      .selectFrom('breakouts')
      .select('state_sealed')
      .where('meeting_id', '=', meetingId)
      .executeTakeFirst();
    return row === undefined ? undefined : this.#open({ meeting_id: meetingId, ...row });
  }

  async list(): Promise<{ meetingId: string; state: StoredBreakout }[]> {
    const rows = await this.#db
      .selectFrom('breakouts')
      .select(['meeting_id', 'state_sealed'])
      .execute();
    const found: { meetingId: string; state: StoredBreakout }[] = [];
    for (const row of rows) found.push({ meetingId: row.meeting_id, state: await this.#open(row) });
    return found;
  }

  async save(meetingId: string, state: StoredBreakout): Promise<void> {
    const sealed = await this.#vault.seal(JSON.stringify(state), stateContext(meetingId));
    const endsAt = new Date(state.endsAt);
    await this.#db
      .insertInto('breakouts')
      .values({ meeting_id: meetingId, state_sealed: sealed, ends_at: endsAt })
      .onConflict((oc) =>
        oc.column('meeting_id').doUpdateSet({ state_sealed: sealed, ends_at: endsAt }),
      )
      .execute()
      .catch(translate);
  }

  async #open(row: { meeting_id: string; state_sealed: Uint8Array }): Promise<StoredBreakout> {
    const text = await this.#vault.openText(row.state_sealed, stateContext(row.meeting_id));
    return JSON.parse(text) as StoredBreakout;
  }

  async delete(meetingId: string): Promise<void> {
    await this.#db.deleteFrom('breakouts').where('meeting_id', '=', meetingId).execute();
  }
}
