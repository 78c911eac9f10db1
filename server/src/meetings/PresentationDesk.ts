import {
  type AnnotationStroke,
  PRESENTATION_LIMITS,
  type PresentationInfo,
  type ShownPresentation,
} from '@konvent/protocol';
import { AppError } from '../errors/AppError.ts';
import type { MeetingEvents } from './events.ts';
import type { Fanout } from './Fanout.ts';
import { inspectPdf, type PdfLimits } from './inspectPdf.ts';
import type { Meeting } from './Meeting.ts';
import type {
  AuditTrail,
  Clock,
  PresentationRecord,
  PresentationRepository,
  RequestContext,
  UploadScanner,
} from './ports.ts';
import { newId } from './secrets.ts';
import { UploadIntake } from './uploadIntake.ts';
import { cleanUploadName } from './uploadName.ts';
import type { TypedEmitter } from './TypedEmitter.ts';

/** What uploads are held to: the PDF's limits, and how many one meeting keeps. */
export interface PresentationLimits extends PdfLimits {
  perMeeting: number;
}

/** What the desk needs. */
export interface PresentationDeskDeps {
  presentations: PresentationRepository;
  fanout: Fanout;
  audit: AuditTrail;
  clock: Clock;
  events: TypedEmitter<MeetingEvents>;
  load: (meetingId: string) => Promise<Meeting>;
  /** Size and page limits of uploads; `PRESENTATION_LIMITS` by default. */
  limits?: Partial<PresentationLimits>;
  /** The virus scan every upload passes before it is stored; none when absent. */
  scanner?: UploadScanner;
  /**
   * Loads a page's annotations and answers their reader (`AnnotationDesk.reader`): read in
   * the same step as the page is published, so they go out with `presentation.changed`.
   */
  annotations?: (
    meetingId: string,
    presentationId: string,
    page: number,
  ) => Promise<() => AnnotationStroke[]>;
}

/**
 * Presentations (issue 6, item 4): presenters and moderators upload PDFs (checked, sealed
 * at rest, deleted with the meeting) and show one to everyone, turning its pages. Which
 * presentation is shown, on which page, is kept in this process's memory only: after a
 * restart (or when the meeting empties) nothing is shown until someone shows it again.
 * Uploads, first shows and closing are audited; page turns are not.
 */
export class PresentationDesk {
  readonly #deps: PresentationDeskDeps;
  readonly #limits: PresentationLimits;
  readonly #intake: UploadIntake;
  /** meetingId → what everyone sees now. */
  readonly #shown = new Map<string, ShownPresentation>();

  constructor(deps: PresentationDeskDeps) {
    this.#deps = deps;
    this.#limits = { ...PRESENTATION_LIMITS, ...deps.limits };
    this.#intake = new UploadIntake(deps, {
      right: 'presentation.upload',
      action: 'presentation.uploaded',
      kind: 'presentation',
      plural: 'presentations',
      maxBytes: this.#limits.maxBytes,
      perMeeting: this.#limits.perMeeting,
      count: (meetingId) => deps.presentations.count(meetingId),
    });
    deps.events.on('meetingClosed', ({ meetingId }) => {
      this.#shown.delete(meetingId);
    });
  }

  /** The limits uploads are held to (the HTTP body limit follows them). */
  get limits(): PresentationLimits {
    return this.#limits;
  }

  /** What is shown in a meeting now, for a new socket's welcome. */
  current(meetingId: string): ShownPresentation | undefined {
    return this.#shown.get(meetingId);
  }

  /** The meeting's presentations, newest first, for presenters and moderators to show again. */
  async list(actorId: string, meetingId: string): Promise<PresentationInfo[]> {
    await this.#intake.authorizeList(actorId, meetingId);
    const records = await this.#deps.presentations.list(meetingId);
    return records.map(({ id, name, pages, size }) => ({ id, name, pages, size }));
  }

  /** Refuses someone who may not upload, before the HTTP route reads the body. */
  authorizeUpload(actorId: string, meetingId: string): Promise<void> {
    return this.#intake.authorize(actorId, meetingId);
  }

  /**
   * Stores an uploaded PDF (presenters and moderators; others `forbidden`, audited as
   * denied). The PDF is scanned for malware first (when scanning is on: see
   * `requireClean`), so our PDF reader never opens a known-malicious file, then checked (see
   * `inspectPdf`); a refused one is not stored.
   */
  async upload(
    actorId: string,
    meetingId: string,
    fileName: string | undefined,
    bytes: Uint8Array,
    context: RequestContext = {},
  ): Promise<PresentationInfo> {
    await this.#intake.admit(actorId, meetingId, bytes, context);
    const pages = await inspectPdf(bytes, this.#limits);
    const id = newId();
    const name = cleanUploadName(fileName, 'presentation.pdf');
    const size = bytes.byteLength;
    await this.#deps.presentations.add(
      { id, meetingId, uploadedBy: actorId, name, size, pages, createdAt: this.#deps.clock.now() },
      bytes,
    );
    // The file name is personal content: the audit trail keeps only numbers.
    await this.#deps.audit.record({
      action: 'presentation.uploaded',
      actor: { kind: 'participant', id: actorId },
      meetingId,
      target: id,
      outcome: 'success',
      ...(context.source === undefined ? {} : { source: context.source }),
      details: { pages, size },
    });
    return { id, name, pages, size };
  }

  /** The PDF bytes of one of the meeting's presentations for someone in it, or `not_found`. */
  async content(participantId: string, meetingId: string, presentationId: string): Promise<Buffer> {
    const meeting = await this.#deps.load(meetingId);
    if (!meeting.has(participantId)) throw new AppError('unauthenticated');
    const bytes = await this.#deps.presentations.content(meetingId, presentationId);
    if (bytes === undefined) throw new AppError('not_found', 'There is no such presentation.');
    return bytes;
  }

  /**
   * Shows a presentation to everyone, or turns the shown one to `page` (presenters and
   * moderators). Showing another presentation replaces the current one.
   */
  async show(
    actorId: string,
    meetingId: string,
    presentationId: string,
    page: number,
  ): Promise<void> {
    const meeting = await this.#deps.load(meetingId);
    await meeting.requireRight(actorId, 'presentation.show', 'presentation.shown', presentationId);
    const current = this.#shown.get(meetingId);
    const first = current?.id !== presentationId;
    const base = first ? await this.#record(meetingId, presentationId) : current;
    if (page > base.pages)
      throw new AppError('bad_request', `The presentation has ${String(base.pages)} pages.`);
    const shown: ShownPresentation = {
      id: presentationId,
      name: base.name,
      pages: base.pages,
      page,
      presenterId: actorId,
    };
    if (first) {
      await this.#deps.audit.record({
        action: 'presentation.shown',
        actor: { kind: 'participant', id: actorId },
        meetingId,
        target: presentationId,
        outcome: 'success',
        details: { page },
      });
    }
    const read = await this.#deps.annotations?.(meetingId, presentationId, page);
    this.#shown.set(meetingId, shown);
    await this.#deps.fanout.notify(meetingId, 'all', 'presentation.changed', {
      presentation: shown,
      ...(read === undefined ? {} : { annotations: read() }),
    });
  }

  /** Stops showing the presentation (presenters and moderators); nothing shown is a no-op. */
  async close(actorId: string, meetingId: string): Promise<void> {
    const meeting = await this.#deps.load(meetingId);
    const current = this.#shown.get(meetingId);
    await meeting.requireRight(
      actorId,
      'presentation.show',
      'presentation.closed',
      current?.id ?? meetingId,
    );
    if (current === undefined) return;
    await this.#deps.audit.record({
      action: 'presentation.closed',
      actor: { kind: 'participant', id: actorId },
      meetingId,
      target: current.id,
      outcome: 'success',
    });
    if (this.#shown.get(meetingId) === current) this.#shown.delete(meetingId);
    await this.#deps.fanout.notify(meetingId, 'all', 'presentation.changed', {
      presentation: null,
    });
  }

  async #record(meetingId: string, presentationId: string): Promise<PresentationRecord> {
    const record = await this.#deps.presentations.find(meetingId, presentationId);
    if (record === undefined) throw new AppError('not_found', 'There is no such presentation.');
    return record;
  }
}
