import {
  MAX_ANNOTATION_PAGE_BYTES,
  MAX_ANNOTATION_STROKES,
  type AnnotationStroke,
  type AnnotationStrokeInput,
  type NotificationData,
  type ShownPresentation,
} from '@konvent/protocol';
import { AppError } from '../errors/AppError.ts';
import type { DeskContext } from './DeskContext.ts';
import { isAllowed } from './permissions.ts';
import type { AnnotationRepository } from './ports.ts';
import type { WhiteboardDesk } from './WhiteboardDesk.ts';

/** How long after the last change a page is saved. */
const DEFAULT_SAVE_DELAY_MS = 1000;

/** What the desk needs. */
export interface AnnotationDeskDeps extends DeskContext {
  repo: AnnotationRepository;
  /** Who may draw (the whiteboard's right, granted or by role). */
  boards: Pick<WhiteboardDesk, 'assertMayDraw'>;
  /** What the meeting shows now (`PresentationDesk.current`). */
  shown: (meetingId: string) => ShownPresentation | undefined;
  saveDelayMs?: number;
}

/** One page's strokes in memory, in drawing order, with their JSON sizes. */
interface Page {
  readonly presentationId: string;
  readonly page: number;
  readonly strokes: Map<string, { stroke: AnnotationStroke; bytes: number }>;
  bytes: number;
  /** Dropped from memory (saved and unchanged): changes go to a fresh copy, never here. */
  evicted: boolean;
}

/** One meeting's pages in memory and which of them wait to be saved. */
interface Pages {
  /** `presentationId:page` → the page (a promise while it loads). */
  readonly pages: Map<string, Promise<Page>>;
  /** The pages of `pages` that have loaded. */
  readonly loaded: Map<string, Page>;
  readonly dirty: Map<string, Page>;
  timer: NodeJS.Timeout | undefined;
}

/** The shown presentation with the strokes of its current page, for a welcome. */
export interface ShownWithAnnotations {
  presentation: ShownPresentation;
  annotations: AnnotationStroke[];
}

/**
 * Annotations on presentation pages (issue 6, item 4): strokes in normalised page
 * coordinates, kept per (meeting, presentation, page), bounded, fanned out to everyone and
 * saved sealed (debounced, and when the meeting closes), so they survive reloads and
 * restarts. Only pages of the presentation shown now take strokes (any of its pages: a
 * stroke finished just after the presenter turned the page still lands where it was drawn).
 *
 * Who may annotate is exactly who may draw on the whiteboard; a refusal is observed, not
 * audited (a scribbling client cannot flood the audit trail). Clearing a page, or removing
 * someone else's stroke, is for presenters and moderators; a clear is audited.
 *
 * Ordering: every change is applied and published in one synchronous step, and the strokes
 * for `presentation.changed` and the welcome are read the same way (`reader`), so a client
 * that applies notifications in order to the snapshot it got never misses or revives one.
 */
export class AnnotationDesk {
  readonly #deps: AnnotationDeskDeps;
  readonly #meetings = new Map<string, Pages>();
  /** Saves in flight per meeting, so a reload waits for the last one. */
  readonly #saving = new Map<string, Promise<void>>();

  constructor(deps: AnnotationDeskDeps) {
    this.#deps = deps;
    deps.events.on('meetingClosed', ({ meetingId }) => {
      const pages = this.#meetings.get(meetingId);
      this.#meetings.delete(meetingId);
      if (pages === undefined) return;
      this.#save(meetingId, pages);
      for (const page of pages.loaded.values()) page.evicted = true;
    });
  }

  /**
   * Loads a page and answers a function that reads its strokes as they are at the moment it
   * is called: the caller reads them in the same synchronous step in which it publishes
   * the page (see the class comment).
   */
  async reader(
    meetingId: string,
    presentationId: string,
    page: number,
  ): Promise<() => AnnotationStroke[]> {
    const loaded = await this.#withPage(meetingId, presentationId, page, (p) => p);
    // Pages nobody looks at or changes leave memory (they are saved); this one stays.
    this.#sweep(meetingId, loaded);
    return () => strokesOf(loaded);
  }

  /** What is shown now with the strokes of its page, for a new socket; undefined if nothing. */
  async welcome(meetingId: string): Promise<ShownWithAnnotations | undefined> {
    for (;;) {
      const shown = this.#deps.shown(meetingId);
      if (shown === undefined) return undefined;
      const read = await this.reader(meetingId, shown.id, shown.page);
      // The page may have been turned while it loaded: then read the new one.
      if (this.#deps.shown(meetingId) === shown)
        return { presentation: shown, annotations: read() };
    }
  }

  /**
   * Adds a stroke (those who may draw; others `forbidden`). Refused with nothing applied:
   * another presentation than the shown one or a page it lacks (`conflict`, `bad_request`),
   * an odd number of coordinates (`bad_request`), a stroke id the page has (`conflict`), a
   * full page (`payload_too_large`).
   */
  async add(
    actorId: string,
    meetingId: string,
    presentationId: string,
    pageNumber: number,
    input: AnnotationStrokeInput,
  ): Promise<AnnotationStroke> {
    await this.#deps.boards.assertMayDraw(actorId, meetingId, 'annotation.add');
    this.#assertShown(meetingId, presentationId, pageNumber);
    if (input.points.length % 2 !== 0)
      throw new AppError('bad_request', 'A stroke has x and y for every point.');
    const stroke: AnnotationStroke = {
      id: input.id,
      tool: input.tool,
      colour: input.colour,
      width: input.width,
      points: input.points,
      authorId: actorId,
      createdAt: this.#deps.clock.now().toISOString(),
    };
    const bytes = Buffer.byteLength(JSON.stringify(stroke));
    await this.#withPage(meetingId, presentationId, pageNumber, (page) => {
      // Checked again: the presentation may have closed while the page loaded.
      this.#assertShown(meetingId, presentationId, pageNumber);
      if (page.strokes.has(stroke.id))
        throw new AppError('conflict', 'The page already has a stroke with this id.');
      if (
        page.strokes.size >= MAX_ANNOTATION_STROKES ||
        page.bytes + bytes > MAX_ANNOTATION_PAGE_BYTES
      )
        throw new AppError('payload_too_large', 'This page holds no more annotations.');
      page.strokes.set(stroke.id, { stroke, bytes });
      page.bytes += bytes;
      return this.#changed(meetingId, page, 'annotation.added', { stroke });
    });
    return stroke;
  }

  /**
   * Removes a stroke: one's own (with the right to draw), or anyone's for presenters and
   * moderators. An unknown stroke is `not_found`.
   */
  async remove(
    actorId: string,
    meetingId: string,
    presentationId: string,
    pageNumber: number,
    strokeId: string,
  ): Promise<void> {
    const actor = await this.#deps.boards.assertMayDraw(actorId, meetingId, 'annotation.remove');
    this.#assertShown(meetingId, presentationId, pageNumber);
    await this.#withPage(meetingId, presentationId, pageNumber, (page) => {
      this.#assertShown(meetingId, presentationId, pageNumber);
      const entry = page.strokes.get(strokeId);
      if (entry === undefined) throw new AppError('not_found', 'The page has no such stroke.');
      if (entry.stroke.authorId !== actorId && !isAllowed(actor.role, 'annotation.clear')) {
        this.#deps.observer.emit('actionDenied', {
          meetingId,
          participantId: actorId,
          action: 'annotation.remove',
        });
        throw new AppError('forbidden', 'Only presenters and moderators remove others’ strokes.');
      }
      page.strokes.delete(strokeId);
      page.bytes -= entry.bytes;
      return this.#changed(meetingId, page, 'annotation.removed', { strokeId });
    });
  }

  /**
   * Removes every stroke of a page (presenters and moderators; others `forbidden`, audited
   * as denied). Audited with the number of strokes removed.
   */
  async clear(
    actorId: string,
    meetingId: string,
    presentationId: string,
    pageNumber: number,
  ): Promise<void> {
    const meeting = await this.#deps.load(meetingId);
    await meeting.requireRight(actorId, 'annotation.clear', 'annotation.cleared', presentationId);
    this.#assertShown(meetingId, presentationId, pageNumber);
    const count = await this.#withPage(
      meetingId,
      presentationId,
      pageNumber,
      (p) => p.strokes.size,
    );
    await this.#deps.audit.record({
      action: 'annotation.cleared',
      actor: { kind: 'participant', id: actorId },
      meetingId,
      target: presentationId,
      outcome: 'success',
      details: { page: pageNumber, count },
    });
    // Taken again after the audit write: strokes added meanwhile go too.
    await this.#withPage(meetingId, presentationId, pageNumber, (page) => {
      this.#assertShown(meetingId, presentationId, pageNumber);
      page.strokes.clear();
      page.bytes = 0;
      return this.#changed(meetingId, page, 'annotation.cleared', {});
    });
  }

  /** Saves every page with unsaved changes now and waits for all saves (at shutdown). */
  async flush(): Promise<void> {
    for (const [meetingId, pages] of this.#meetings) this.#save(meetingId, pages);
    await Promise.all(this.#saving.values());
  }

  /** Refuses a stroke on anything but a page of the presentation shown now. */
  #assertShown(meetingId: string, presentationId: string, page: number): void {
    const shown = this.#deps.shown(meetingId);
    if (shown?.id !== presentationId)
      throw new AppError('conflict', 'Annotations go on the presentation shown now.');
    if (page > shown.pages)
      throw new AppError('bad_request', `The presentation has ${String(shown.pages)} pages.`);
  }

  #page(meetingId: string, presentationId: string, page: number): Promise<Page> {
    let pages = this.#meetings.get(meetingId);
    if (pages === undefined) {
      pages = { pages: new Map(), loaded: new Map(), dirty: new Map(), timer: undefined };
      this.#meetings.set(meetingId, pages);
    }
    const key = `${presentationId}:${String(page)}`;
    let loading = pages.pages.get(key);
    if (loading === undefined) {
      loading = this.#read(meetingId, presentationId, page);
      const { pages: map, loaded } = pages;
      map.set(key, loading);
      // Registered first, so `loaded` is set before any caller resumes; a failed read is
      // tried again by the next caller.
      loading.then(
        (read) => {
          if (map.get(key) === loading) loaded.set(key, read);
        },
        () => {
          if (map.get(key) === loading) map.delete(key);
        },
      );
    }
    return loading;
  }

  /**
   * Runs `use` on the page in memory, in the same synchronous step in which it checks the
   * page was not evicted meanwhile (then it loads again): a change never lands in a copy
   * that has left memory.
   */
  async #withPage<T>(
    meetingId: string,
    presentationId: string,
    pageNumber: number,
    use: (page: Page) => T,
  ): Promise<T> {
    for (;;) {
      const page = await this.#page(meetingId, presentationId, pageNumber);
      if (!page.evicted) return use(page);
    }
  }

  /**
   * Drops the meeting's saved, unchanged pages from memory, except `keep` and the page
   * shown now, so memory holds what is looked at and what waits to be saved, not every
   * page ever turned to. Dropped pages load again (from the saved copy) when needed.
   */
  #sweep(meetingId: string, keep?: Page): void {
    const pages = this.#meetings.get(meetingId);
    if (pages === undefined) return;
    const shown = this.#deps.shown(meetingId);
    const shownKey = shown === undefined ? undefined : `${shown.id}:${String(shown.page)}`;
    for (const [key, page] of pages.loaded) {
      if (page === keep || key === shownKey || pages.dirty.has(key)) continue;
      page.evicted = true;
      pages.loaded.delete(key);
      pages.pages.delete(key);
    }
  }

  async #read(meetingId: string, presentationId: string, pageNumber: number): Promise<Page> {
    await this.#saving.get(meetingId);
    const stored = await this.#deps.repo.load(meetingId, presentationId, pageNumber);
    const page: Page = {
      presentationId,
      page: pageNumber,
      strokes: new Map(),
      bytes: 0,
      evicted: false,
    };
    for (const stroke of stored === undefined ? [] : (JSON.parse(stored) as AnnotationStroke[])) {
      const bytes = Buffer.byteLength(JSON.stringify(stroke));
      page.strokes.set(stroke.id, { stroke, bytes });
      page.bytes += bytes;
    }
    return page;
  }

  /**
   * Marks a changed page for saving, (re)starts the meeting's save timer and tells everyone
   * (published now, in the caller's synchronous step; the promise is the delivery).
   */
  #changed<N extends 'annotation.added' | 'annotation.removed' | 'annotation.cleared'>(
    meetingId: string,
    page: Page,
    notification: N,
    change: Omit<NotificationData<N>, 'presentationId' | 'page'>,
  ): Promise<void> {
    const delivery = this.#deps.fanout.notify(meetingId, 'all', notification, {
      presentationId: page.presentationId,
      page: page.page,
      ...change,
    });
    const pages = this.#meetings.get(meetingId);
    if (pages === undefined) return delivery;
    pages.dirty.set(`${page.presentationId}:${String(page.page)}`, page);
    clearTimeout(pages.timer);
    pages.timer = setTimeout(() => {
      this.#save(meetingId, pages);
    }, this.#deps.saveDelayMs ?? DEFAULT_SAVE_DELAY_MS);
    // A pending save must not keep the process alive; shutdown flushes.
    pages.timer.unref();
    return delivery;
  }

  /** Saves the meeting's changed pages now (after any save in flight); failures are logged. */
  #save(meetingId: string, pages: Pages): void {
    clearTimeout(pages.timer);
    pages.timer = undefined;
    if (pages.dirty.size === 0) return;
    // Serialised now, so later changes wait for the next save instead of racing this one.
    const writes = [...pages.dirty.values()].map((page) => ({
      presentationId: page.presentationId,
      page: page.page,
      json: page.strokes.size === 0 ? undefined : JSON.stringify(strokesOf(page)),
    }));
    pages.dirty.clear();
    const at = this.#deps.clock.now();
    const repo = this.#deps.repo;
    const previous = this.#saving.get(meetingId) ?? Promise.resolve();
    const saving = previous
      .then(() =>
        Promise.all(
          writes.map((w) =>
            w.json === undefined
              ? repo.remove(meetingId, w.presentationId, w.page)
              : repo.save(meetingId, w.presentationId, w.page, w.json, at),
          ),
        ),
      )
      .then(() => {
        this.#sweep(meetingId);
      })
      .catch((error: unknown) => {
        this.#deps.logger.error({ err: error, meetingId }, 'could not save annotations');
      })
      .finally(() => {
        if (this.#saving.get(meetingId) === saving) this.#saving.delete(meetingId);
      });
    this.#saving.set(meetingId, saving);
  }
}

/** A page's strokes in drawing order. */
function strokesOf(page: Page): AnnotationStroke[] {
  return [...page.strokes.values()].map((s) => s.stroke);
}
