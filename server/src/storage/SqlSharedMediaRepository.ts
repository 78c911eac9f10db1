import type { Kysely, Selectable } from 'kysely';
import type { SharedMediaRecord, SharedMediaRepository } from '../meetings/ports.ts';
import type { Vault } from '../vault/Vault.ts';
import { translate } from './rowValues.ts';
import type { SharedMediaTable, Tables } from './Tables.ts';

/** Plain bytes per sealed chunk: small enough that a seek opens little, large enough to be few. */
export const SHARED_MEDIA_CHUNK_BYTES = 1024 * 1024;

/**
 * Vault contexts bind the name and every chunk to their meeting, file and place: a chunk
 * copied to another index or file (or a sealed name into a chunk) fails to open, so chunks
 * cannot be reordered or swapped unnoticed.
 */
const contexts = {
  name: (meetingId: string, id: string) => `media:${meetingId}:${id}:name`,
  chunk: (meetingId: string, id: string, idx: number) =>
    `media:${meetingId}:${id}:chunk:${String(idx)}`,
};

/**
 * `SharedMediaRepository` on SQL (PGlite or PostgreSQL through Kysely). The file name and
 * every 1 MiB chunk of the content are sealed with the vault before they are written, all
 * in one transaction (a failed upload leaves nothing); kind, MIME type, length, size, ids
 * and times stay in the clear. Rows are deleted with their meeting (foreign-key cascade).
 */
export class SqlSharedMediaRepository implements SharedMediaRepository {
  readonly #db: Kysely<Tables>;
  readonly #vault: Vault;
  readonly chunkBytes: number;

  constructor(db: Kysely<Tables>, vault: Vault, chunkBytes = SHARED_MEDIA_CHUNK_BYTES) {
    this.#db = db;
    this.#vault = vault;
    this.chunkBytes = chunkBytes;
  }

  /** Stores the file's row and all its sealed chunks, or nothing. */
  async add(record: SharedMediaRecord, content: Uint8Array): Promise<void> {
    const { meetingId, id } = record;
    const nameSealed = await this.#vault.seal(record.name, contexts.name(meetingId, id));
    await this.#db
      .transaction()
      .execute(async (trx) => {
        await trx
          .insertInto('shared_media')
          .values({
            id,
            meeting_id: meetingId,
            uploaded_by: record.uploadedBy,
            name_sealed: nameSealed,
            kind: record.kind,
            mime: record.mime,
            duration: record.duration,
            size: record.size,
            chunk_bytes: record.chunkBytes,
            created_at: record.createdAt,
          })
          .execute();
        // One chunk sealed and written at a time: at most one sealed copy is in memory.
        const step = record.chunkBytes;
        for (let idx = 0; idx * step < content.byteLength; idx += 1) {
          const plain = content.subarray(idx * step, (idx + 1) * step);
          const sealed = await this.#vault.seal(plain, contexts.chunk(meetingId, id, idx));
          await trx
            .insertInto('shared_media_chunks')
            .values({ media_id: id, idx, content_sealed: sealed })
            .execute();
        }
      })
      .catch(translate);
  }

  /** The file (without content), if this meeting has it. */
  async find(meetingId: string, mediaId: string): Promise<SharedMediaRecord | undefined> {
    const row = await this.#db
      .selectFrom('shared_media')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .where('id', '=', mediaId)
      .executeTakeFirst();
    return row === undefined ? undefined : this.#record(row);
  }

  /** The meeting's files (without content), newest first. */
  async list(meetingId: string): Promise<SharedMediaRecord[]> {
    const rows = await this.#db
      .selectFrom('shared_media')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
    return Promise.all(rows.map((row) => this.#record(row)));
  }

  async #record(row: Selectable<SharedMediaTable>): Promise<SharedMediaRecord> {
    return {
      id: row.id,
      meetingId: row.meeting_id,
      uploadedBy: row.uploaded_by,
      name: await this.#vault.openText(row.name_sealed, contexts.name(row.meeting_id, row.id)),
      kind: row.kind === 'audio' ? 'audio' : 'video',
      mime: row.mime,
      duration: row.duration,
      size: row.size,
      chunkBytes: row.chunk_bytes,
      createdAt: row.created_at,
    };
  }

  /** How many files the meeting has. */
  async count(meetingId: string): Promise<number> {
    const row = await this.#db
      .selectFrom('shared_media')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('meeting_id', '=', meetingId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * The plain chunks `first..last` of a file of this meeting, read and opened one at a time
   * (a long range never holds more than one chunk in memory). Nothing for a file the
   * meeting does not have.
   */
  async *chunks(
    meetingId: string,
    mediaId: string,
    first: number,
    last: number,
  ): AsyncIterable<Buffer> {
    const owner = await this.#db
      .selectFrom('shared_media')
      .select('id')
      .where('meeting_id', '=', meetingId)
      .where('id', '=', mediaId)
      .executeTakeFirst();
    if (owner === undefined) return;
    for (let idx = first; idx <= last; idx += 1) {
      const row = await this.#db
        .selectFrom('shared_media_chunks')
        .select('content_sealed')
        .where('media_id', '=', mediaId)
        .where('idx', '=', idx)
        .executeTakeFirst();
      if (row === undefined) return;
      yield await this.#vault.open(row.content_sealed, contexts.chunk(meetingId, mediaId, idx));
    }
  }
}
