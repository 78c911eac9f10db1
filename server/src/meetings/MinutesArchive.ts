import type { MinutesExportFormat, MinutesRecord } from '@konvent/protocol';
import { AppError } from '../errors/AppError.ts';
import { exportFilename, toMarkdown, toPdf } from './minutesExport.ts';
import type { MinutesDesk } from './MinutesDesk.ts';
import type { AuditTrail, MeetingRepository, MinutesRepository, RequestContext } from './ports.ts';

/**
 * Who reads minutes over HTTP: an admitted participant of the running meeting (its session
 * cookie, checked by the caller), or a signed-in account (checked here).
 */
export type MinutesReader =
  | { kind: 'participant'; meetingId: string; participantId: string }
  | { kind: 'user'; userId: string };

/** A rendered export. */
export interface MinutesFile {
  filename: string;
  contentType: string;
  body: Buffer;
}

/** What the archive needs. */
export interface MinutesArchiveDeps {
  desk: MinutesDesk;
  repo: MinutesRepository;
  meetings: MeetingRepository;
  audit: AuditTrail;
}

/** Most entries `GET /api/minutes` lists. */
const LIST_LIMIT = 100;

/**
 * Minutes during and after the meeting (issue 7, item 3): read and exported by the admitted
 * participants while it runs, and afterwards by the accounts that created it or took part
 * in it signed in. Everyone else gets `not_found`, the same answer as for a meeting that
 * does not exist. Exports are audited (`minutes.exported`).
 */
export class MinutesArchive {
  readonly #deps: MinutesArchiveDeps;

  constructor(deps: MinutesArchiveDeps) {
    this.#deps = deps;
  }

  /** The minutes of one meeting, for someone allowed to read them. */
  async read(meetingId: string, reader: MinutesReader): Promise<MinutesRecord> {
    await this.#authorize(meetingId, reader);
    return this.#record(meetingId);
  }

  /** The minutes the account may read, newest meeting first. */
  async list(userId: string): Promise<MinutesRecord[]> {
    const readable = await this.#deps.repo.readable(userId, LIST_LIMIT);
    const records: MinutesRecord[] = [];
    for (const { meetingId } of readable) records.push(await this.#record(meetingId));
    return records;
  }

  /** Renders the minutes as Markdown or PDF for someone allowed to read them; audited. */
  async export(
    meetingId: string,
    reader: MinutesReader,
    format: MinutesExportFormat,
    context: RequestContext = {},
  ): Promise<MinutesFile> {
    await this.#authorize(meetingId, reader);
    const record = await this.#record(meetingId);
    const document = {
      title: record.title,
      date: record.startedAt ?? (await this.#meeting(meetingId)).createdAt.toISOString(),
      participants: await this.#deps.repo.countParticipants(meetingId),
      notes: record.notes,
      items: record.items,
    };
    const file: MinutesFile =
      format === 'md'
        ? {
            filename: exportFilename(document.title, document.date, 'md'),
            contentType: 'text/markdown; charset=utf-8',
            body: Buffer.from(toMarkdown(document)),
          }
        : {
            filename: exportFilename(document.title, document.date, 'pdf'),
            contentType: 'application/pdf',
            body: await toPdf(document),
          };
    await this.#deps.audit.record({
      action: 'minutes.exported',
      actor:
        reader.kind === 'user'
          ? { kind: 'user', id: reader.userId }
          : { kind: 'participant', id: reader.participantId },
      meetingId,
      target: meetingId,
      outcome: 'success',
      details: { format },
      ...(context.source === undefined ? {} : { source: context.source }),
    });
    return file;
  }

  async #authorize(meetingId: string, reader: MinutesReader): Promise<void> {
    if (reader.kind === 'participant') {
      if (reader.meetingId !== meetingId) throw new AppError('not_found');
      return;
    }
    if (!(await this.#deps.repo.mayRead(meetingId, reader.userId))) throw new AppError('not_found');
  }

  async #meeting(meetingId: string) {
    const meeting = await this.#deps.meetings.findMeeting(meetingId);
    if (meeting === undefined) throw new AppError('not_found');
    return meeting;
  }

  async #record(meetingId: string): Promise<MinutesRecord> {
    const meeting = await this.#meeting(meetingId);
    const minutes = await this.#deps.desk.snapshot(meetingId);
    return {
      meetingId,
      title: meeting.title,
      startedAt: meeting.startedAt?.toISOString() ?? null,
      endedAt: meeting.endedAt?.toISOString() ?? null,
      notes: minutes.notes,
      items: minutes.items,
      ...(meeting.endedAt === null ? { takers: minutes.takers } : {}),
    };
  }
}
