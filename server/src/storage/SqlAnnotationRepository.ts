import type { Kysely } from 'kysely';
import type { AnnotationRepository } from '../meetings/ports.ts';
import type { Vault } from '../vault/Vault.ts';
import { translate } from './rowValues.ts';
import type { Tables } from './Tables.ts';

/**
 * The vault context binds a page's strokes to their meeting, presentation and page: a
 * sealed row copied onto another page (or another meeting) fails to open.
 */
const strokesContext = (meetingId: string, presentationId: string, page: number) =>
  `annotation:${meetingId}:${presentationId}:${String(page)}:strokes`;

/**
 * `AnnotationRepository` on SQL (PGlite or PostgreSQL through Kysely). A page's strokes are
 * sealed with the vault as one blob; ids, page number and time stay in the clear. Rows go
 * with their presentation and meeting (foreign-key cascade).
 */
export class SqlAnnotationRepository implements AnnotationRepository {
  readonly #db: Kysely<Tables>;
  readonly #vault: Vault;

  constructor(db: Kysely<Tables>, vault: Vault) {
    this.#db = db;
    this.#vault = vault;
  }

  /** The stored strokes of a page, opened; undefined if the page has none. */
  async load(meetingId: string, presentationId: string, page: number): Promise<string | undefined> {
    const row = await this.#db
      .selectFrom('annotations')
      .select('strokes_sealed')
      .where('meeting_id', '=', meetingId)
      .where('presentation_id', '=', presentationId)
      .where('page', '=', page)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return this.#vault.openText(
      row.strokes_sealed,
      strokesContext(meetingId, presentationId, page),
    );
  }

  /** Seals and stores a page's strokes (insert or replace). */
  async save(
    meetingId: string,
    presentationId: string,
    page: number,
    strokes: string,
    at: Date,
  ): Promise<void> {
    const sealed = await this.#vault.seal(strokes, strokesContext(meetingId, presentationId, page));
    await this.#db
      .insertInto('annotations')
      .values({
        meeting_id: meetingId,
        presentation_id: presentationId,
        page,
        strokes_sealed: sealed,
        updated_at: at,
      })
      .onConflict((oc) =>
        oc
          .columns(['meeting_id', 'presentation_id', 'page'])
          .doUpdateSet({ strokes_sealed: sealed, updated_at: at }),
      )
      .execute()
      .catch(translate);
  }

  /** Deletes a page's row, if any. */
  async remove(meetingId: string, presentationId: string, page: number): Promise<void> {
    await this.#db
      .deleteFrom('annotations')
      .where('meeting_id', '=', meetingId)
      .where('presentation_id', '=', presentationId)
      .where('page', '=', page)
      .execute();
  }
}
