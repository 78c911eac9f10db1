import type { Kysely } from 'kysely';
import type { PresentationRecord, PresentationRepository } from '../meetings/ports.ts';
import type { Vault } from '../vault/Vault.ts';
import { translate } from './rowValues.ts';
import type { Tables } from './Tables.ts';

/**
 * Vault contexts bind name and content to their meeting, row and column: a sealed PDF
 * copied onto another presentation (or into the name column) fails to open.
 */
const contexts = {
  name: (meetingId: string, id: string) => `presentation:${meetingId}:${id}:name`,
  content: (meetingId: string, id: string) => `presentation:${meetingId}:${id}:content`,
};

/**
 * `PresentationRepository` on SQL (PGlite or PostgreSQL through Kysely). File name and
 * PDF bytes are sealed with the vault before they are written; size, page count, ids and
 * times stay in the clear. Rows are deleted with their meeting (foreign-key cascade).
 */
export class SqlPresentationRepository implements PresentationRepository {
  readonly #db: Kysely<Tables>;
  readonly #vault: Vault;

  constructor(db: Kysely<Tables>, vault: Vault) {
    this.#db = db;
    this.#vault = vault;
  }

  /** Stores an upload with its sealed name and content. */
  async add(record: PresentationRecord, content: Uint8Array): Promise<void> {
    const nameSealed = await this.#vault.seal(
      record.name,
      contexts.name(record.meetingId, record.id),
    );
    const contentSealed = await this.#vault.seal(
      content,
      contexts.content(record.meetingId, record.id),
    );
    await this.#db
      .insertInto('presentations')
      .values({
        id: record.id,
        meeting_id: record.meetingId,
        uploaded_by: record.uploadedBy,
        name_sealed: nameSealed,
        content_sealed: contentSealed,
        size: record.size,
        pages: record.pages,
        created_at: record.createdAt,
      })
      .execute()
      .catch(translate);
  }

  /** The presentation (without content), if this meeting has it. */
  async find(meetingId: string, presentationId: string): Promise<PresentationRecord | undefined> {
    const row = await this.#records()
      .where('meeting_id', '=', meetingId)
      .where('id', '=', presentationId)
      .executeTakeFirst();
    return row === undefined ? undefined : this.#record(row);
  }

  /** The meeting's presentations (without content), newest first. */
  async list(meetingId: string): Promise<PresentationRecord[]> {
    const rows = await this.#records()
      .where('meeting_id', '=', meetingId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
    return Promise.all(rows.map((row) => this.#record(row)));
  }

  #records() {
    return this.#db
      .selectFrom('presentations')
      .select(['id', 'meeting_id', 'uploaded_by', 'name_sealed', 'size', 'pages', 'created_at']);
  }

  async #record(row: {
    id: string;
    meeting_id: string;
    uploaded_by: string;
    name_sealed: Uint8Array;
    size: number;
    pages: number;
    created_at: Date;
  }): Promise<PresentationRecord> {
    return {
      id: row.id,
      meetingId: row.meeting_id,
      uploadedBy: row.uploaded_by,
      name: await this.#vault.openText(row.name_sealed, contexts.name(row.meeting_id, row.id)),
      size: row.size,
      pages: row.pages,
      createdAt: row.created_at,
    };
  }

  /** How many presentations the meeting has. */
  async count(meetingId: string): Promise<number> {
    const row = await this.#db
      .selectFrom('presentations')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('meeting_id', '=', meetingId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The PDF bytes, if this meeting has the presentation. */
  async content(meetingId: string, presentationId: string): Promise<Buffer | undefined> {
    const row = await this.#db
      .selectFrom('presentations')
      .select(['id', 'meeting_id', 'content_sealed'])
      .where('meeting_id', '=', meetingId)
      .where('id', '=', presentationId)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return this.#vault.open(row.content_sealed, contexts.content(row.meeting_id, row.id));
  }
}
