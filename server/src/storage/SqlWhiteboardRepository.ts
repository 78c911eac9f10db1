import type { Kysely } from 'kysely';
import type { WhiteboardRepository } from '../meetings/ports.ts';
import type { Vault } from '../vault/Vault.ts';
import { translate } from './rowValues.ts';
import type { Tables } from './Tables.ts';

/** The vault context binds a board to its meeting: it cannot be moved onto another one. */
const stateContext = (meetingId: string) => `whiteboard:${meetingId}:state`;

/**
 * `WhiteboardRepository` on SQL (PGlite or PostgreSQL through Kysely). The whole board is
 * sealed with the vault as one blob; only the meeting id and the time stay in the clear.
 */
export class SqlWhiteboardRepository implements WhiteboardRepository {
  readonly #db: Kysely<Tables>;
  readonly #vault: Vault;

  constructor(db: Kysely<Tables>, vault: Vault) {
    this.#db = db;
    this.#vault = vault;
  }

  /** The stored board, opened; undefined if none was saved. */
  async load(meetingId: string): Promise<string | undefined> {
    const row = await this.#db
      .selectFrom('whiteboards')
      .select('state_sealed')
      .where('meeting_id', '=', meetingId)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return this.#vault.openText(row.state_sealed, stateContext(meetingId));
  }

  /** Seals and stores the board (insert or replace); an unknown meeting is `not_found`. */
  async save(meetingId: string, state: string, at: Date): Promise<void> {
    const sealed = await this.#vault.seal(state, stateContext(meetingId));
    await this.#db
      .insertInto('whiteboards')
      .values({ meeting_id: meetingId, state_sealed: sealed, updated_at: at })
      .onConflict((oc) =>
        oc.column('meeting_id').doUpdateSet({ state_sealed: sealed, updated_at: at }),
      )
      .execute()
      .catch(translate);
  }
}
