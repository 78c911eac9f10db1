import type { AnnotationStroke, AnnotationStrokeInput } from '@konvent/protocol';
import type { ServerNotification, SignalingChannel } from './SignalingChannel.ts';
import { TypedEmitter } from './TypedEmitter.ts';

/** What the annotation layer renders. */
export interface AnnotationSnapshot {
  /** The page shown now (null when no presentation is shown). */
  page: { presentationId: string; page: number } | null;
  /** Its strokes in drawing order, with mine that still wait for the server's answer. */
  strokes: readonly AnnotationStroke[];
  /** Why the server refused my last change (its error, for `apiErrorKey`); null if none. */
  refused: unknown;
}

type WelcomeData = Extract<ServerNotification, { notification: 'session.welcome' }>['data'];

/**
 * The annotations of the shown presentation page as this browser knows them (issue 6,
 * item 4): the page's strokes from the welcome and every `presentation.changed`, then the
 * `annotation.*` notifications of that page, applied in order (idempotently: a stroke
 * known twice is kept once). Notifications for another page are dropped: the server sends
 * that page's strokes when it is turned to. My strokes show at once and stay if the server
 * accepts them; a refusal takes them away and says why. It outlives sockets.
 */
export class AnnotationStore extends TypedEmitter<{ change: [AnnotationSnapshot] }> {
  readonly #channel: () => SignalingChannel;
  #self = '';
  /** Strokes I sent that the server has not answered yet (shown meanwhile). */
  #pending: AnnotationStroke[] = [];
  #confirmed: AnnotationStroke[] = [];
  #snapshot: AnnotationSnapshot = { page: null, strokes: [], refused: null };

  /** `channel` answers the connected channel or throws. */
  constructor(channel: () => SignalingChannel) {
    super();
    this.#channel = channel;
  }

  /** The current state (stable between changes, for useSyncExternalStore). */
  getSnapshot = (): AnnotationSnapshot => this.#snapshot;

  /** Subscribes to state changes; returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => this.on('change', listener);

  /** Takes the shown page and its strokes from a welcome (after a reconnect too). */
  welcome(data: WelcomeData): void {
    this.#self = data.self.id;
    const shown = data.presentation;
    this.#setPage(
      shown === undefined ? null : { presentationId: shown.id, page: shown.page },
      data.annotations ?? [],
    );
  }

  /**
   * Handles `annotation.*` (true). It also reads `presentation.changed` for the new page's
   * strokes but answers false for it, so the PresentationStore takes it too.
   */
  handle(n: ServerNotification): boolean {
    switch (n.notification) {
      case 'presentation.changed': {
        const shown = n.data.presentation;
        this.#setPage(
          shown === null ? null : { presentationId: shown.id, page: shown.page },
          n.data.annotations ?? [],
        );
        return false;
      }
      case 'annotation.added':
        if (this.#isShown(n.data) && !this.#confirmed.some((s) => s.id === n.data.stroke.id))
          this.#setStrokes([...this.#confirmed, n.data.stroke]);
        return true;
      case 'annotation.removed':
        if (this.#isShown(n.data))
          this.#setStrokes(this.#confirmed.filter((s) => s.id !== n.data.strokeId));
        return true;
      case 'annotation.cleared':
        if (this.#isShown(n.data)) this.#setStrokes([]);
        return true;
      default:
        return false;
    }
  }

  /** Draws a stroke on the shown page: shown at once, sent, kept if the server accepts it. */
  add(input: AnnotationStrokeInput): void {
    const page = this.#snapshot.page;
    if (page === null) return;
    const local: AnnotationStroke = {
      ...input,
      authorId: this.#self,
      createdAt: new Date().toISOString(),
    };
    this.#pending = [...this.#pending, local];
    this.#emit({ refused: null });
    const settle = (refused: unknown, stored?: AnnotationStroke) => {
      this.#pending = this.#pending.filter((s) => s !== local);
      // The answer may come before `annotation.added`: keep the stroke either way.
      const samePage = this.#isShown(page);
      if (stored !== undefined && samePage && !this.#confirmed.some((s) => s.id === stored.id))
        this.#confirmed = [...this.#confirmed, stored];
      this.#emit(refused === null ? {} : { refused });
    };
    this.#request(() => this.#channel().request('annotation.add', { ...page, stroke: input })).then(
      (reply) => {
        settle(null, reply.stroke);
      },
      (error: unknown) => {
        settle(error);
      },
    );
  }

  /** Takes back my last stroke on the shown page (if any). */
  async undo(): Promise<void> {
    const page = this.#snapshot.page;
    const mine = this.#confirmed.filter((s) => s.authorId === this.#self).at(-1);
    if (page === null || mine === undefined) return;
    await this.#change(() =>
      this.#channel().request('annotation.remove', { ...page, strokeId: mine.id }),
    );
  }

  /** Whether I have a stroke on the shown page to take back. */
  canUndo(): boolean {
    return this.#confirmed.some((s) => s.authorId === this.#self);
  }

  /** Removes every stroke of the shown page (presenters and moderators). */
  async clear(): Promise<void> {
    const page = this.#snapshot.page;
    if (page === null) return;
    await this.#change(() => this.#channel().request('annotation.clear', page));
  }

  /** Forgets the last refusal (the person closed the notice). */
  dismissRefusal(): void {
    this.#emit({ refused: null });
  }

  /** A command whose refusal is shown (not thrown: the notice says why). */
  async #change(run: () => Promise<unknown>): Promise<void> {
    try {
      await this.#request(run);
    } catch (error) {
      this.#emit({ refused: error });
    }
  }

  /** Runs a request; a channel that is not connected throws synchronously, made a rejection. */
  async #request<T>(run: () => Promise<T>): Promise<T> {
    return run();
  }

  #isShown(at: { presentationId: string; page: number }): boolean {
    const page = this.#snapshot.page;
    return page?.presentationId === at.presentationId && page.page === at.page;
  }

  #setPage(page: AnnotationSnapshot['page'], strokes: readonly AnnotationStroke[]): void {
    this.#pending = [];
    this.#confirmed = [...strokes];
    this.#snapshot = { page, strokes: this.#confirmed, refused: this.#snapshot.refused };
    this.emit('change', this.#snapshot);
  }

  #setStrokes(strokes: AnnotationStroke[]): void {
    this.#confirmed = strokes;
    this.#emit({});
  }

  #emit(changes: Partial<Pick<AnnotationSnapshot, 'refused'>>): void {
    const pending = this.#pending.filter((p) => !this.#confirmed.some((s) => s.id === p.id));
    this.#snapshot = {
      ...this.#snapshot,
      ...changes,
      strokes: pending.length === 0 ? this.#confirmed : [...this.#confirmed, ...pending],
    };
    this.emit('change', this.#snapshot);
  }
}
