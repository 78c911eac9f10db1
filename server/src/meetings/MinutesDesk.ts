import { MINUTES_LIMITS, type MinutesItem, type MinutesState } from '@konvent/protocol';
import * as Y from 'yjs';
import { AppError } from '../errors/AppError.ts';
import type { DeskContext } from './DeskContext.ts';
import { isAllowed } from './permissions.ts';
import type { InvitationRepository, MinutesRepository, StoredMinutes } from './ports.ts';
import { newId } from './secrets.ts';
import { checkUpdate, fromBase64, toBase64 } from './minutesUpdates.ts';

/** How long after the last change the minutes are saved. */
const DEFAULT_SAVE_DELAY_MS = 2000;

/** What the minutes desk needs. */
export interface MinutesDeskDeps extends DeskContext {
  repo: MinutesRepository;
  /** To appoint whoever came with an invitation marked `minuteTaker`. */
  invitations: InvitationRepository;
  saveDelayMs?: number;
}

/** What an item request may set (`null` clears owner or due date). */
export interface ItemChanges {
  text?: string;
  owner?: string | null;
  due?: string | null;
  done?: boolean;
}

/** One meeting's minutes in memory. */
interface Book {
  doc: Y.Doc;
  /** An upper bound of the document's encoded size (exact after a load or a merge). */
  bytes: number;
  items: Map<string, MinutesItem>;
  takers: Set<string>;
  merged: Set<string>;
  /** Participants whose invitation was already looked at (appointment on arrival). */
  considered: Set<string>;
  timer: NodeJS.Timeout | undefined;
}

/** The notes' shared type in the Yjs document. */
export const NOTES = 'notes';

/**
 * Minutes (C7, issue 7): per meeting running here, a Yjs document whose `notes` text is
 * edited live, decisions and action items, and who takes them. Moderators (`minutes.edit`)
 * and appointed minute-takers edit; everyone admitted reads (from the welcome on). Saved
 * sealed, debounced and when the meeting closes; loaded lazily on first use (after a
 * restart too). A closed breakout room's minutes are merged into its main meeting's.
 */
export class MinutesDesk {
  readonly #deps: MinutesDeskDeps;
  readonly #books = new Map<string, Promise<Book>>();
  readonly #saving = new Map<string, Promise<void>>();
  /** Saves of meetings that closed, until they are done. */
  readonly #closing = new Set<Promise<void>>();
  /** Merges in flight per main meeting, one after another. */
  readonly #merging = new Map<string, Promise<void>>();

  constructor(deps: MinutesDeskDeps) {
    this.#deps = deps;
    deps.events.on('meetingClosed', ({ meetingId }) => {
      const book = this.#books.get(meetingId);
      if (book === undefined) return;
      this.#books.delete(meetingId);
      // Tracked, so a flush right after the close (at shutdown) waits for this save too.
      const closing = book
        .then(async (b) => {
          if (b.timer !== undefined) this.#save(meetingId, b);
          b.doc.destroy();
          await this.#saving.get(meetingId);
        })
        .catch(() => undefined)
        .finally(() => this.#closing.delete(closing));
      this.#closing.add(closing);
    });
  }

  /**
   * The minutes as a new socket starts with them. With the participant, someone who came
   * with an invitation marked `minuteTaker` is appointed first (once per process).
   */
  async state(meetingId: string, participantId?: string): Promise<MinutesState> {
    const book = await this.#book(meetingId);
    if (participantId !== undefined) await this.#appointOnArrival(meetingId, participantId, book);
    return {
      doc: toBase64(Y.encodeStateAsUpdate(book.doc)),
      items: [...book.items.values()],
      takers: [...book.takers],
    };
  }

  /**
   * Applies a client's Yjs update to the notes: `forbidden` without the right,
   * `bad_request` for one that does not decode or touches anything but the notes text,
   * `payload_too_large` if the document would outgrow `MINUTES_LIMITS.docBytes` (nothing
   * changes in each case). Everyone else in the meeting gets it as `minutes.changed`.
   */
  async update(actorId: string, meetingId: string, update: string): Promise<void> {
    await this.assertMayEdit(actorId, meetingId);
    const bytes = fromBase64(update);
    checkUpdate(bytes, NOTES);
    const book = await this.#book(meetingId);
    if (book.bytes + bytes.length > MINUTES_LIMITS.docBytes) {
      book.bytes = Y.encodeStateAsUpdate(book.doc).length;
      if (book.bytes + bytes.length > MINUTES_LIMITS.docBytes)
        throw new AppError('payload_too_large', 'The notes are full.');
    }
    try {
      Y.applyUpdate(book.doc, bytes, 'client');
    } catch {
      throw new AppError('bad_request', 'The notes update does not decode.');
    }
    book.bytes += bytes.length;
    this.#schedule(meetingId, book);
    await this.#deps.fanout.notify(meetingId, 'all', 'minutes.changed', { update }, actorId);
  }

  /** Records a decision or an action item (`conflict` once `MINUTES_LIMITS.items` are kept). */
  async addItem(
    actorId: string,
    meetingId: string,
    input: { kind: MinutesItem['kind']; text: string; owner?: string; due?: string },
  ): Promise<MinutesItem> {
    const actor = await this.assertMayEdit(actorId, meetingId);
    const book = await this.#book(meetingId);
    if (book.items.size >= MINUTES_LIMITS.items)
      throw new AppError('conflict', 'The minutes hold as many items as they can.');
    const item: MinutesItem = {
      id: newId(),
      kind: input.kind,
      text: input.text.trim(),
      ...(input.owner === undefined ? {} : { owner: input.owner.trim() }),
      ...(input.due === undefined ? {} : { due: checkDue(input.due) }),
      done: false,
      authorName: actor,
      createdAt: this.#deps.clock.now().toISOString(),
    };
    book.items.set(item.id, item);
    this.#schedule(meetingId, book);
    await this.#deps.fanout.notify(meetingId, 'all', 'minutes.itemChanged', { item });
    return item;
  }

  /** Changes an item (`not_found` for an unknown one); `null` clears owner or due date. */
  async updateItem(
    actorId: string,
    meetingId: string,
    itemId: string,
    changes: ItemChanges,
  ): Promise<MinutesItem> {
    await this.assertMayEdit(actorId, meetingId);
    const book = await this.#book(meetingId);
    const current = book.items.get(itemId);
    if (current === undefined) throw new AppError('not_found', 'There is no such item.');
    const item: MinutesItem = { ...current };
    if (changes.text !== undefined) item.text = changes.text.trim();
    if (changes.owner === null) delete item.owner;
    else if (changes.owner !== undefined) item.owner = changes.owner.trim();
    if (changes.due === null) delete item.due;
    else if (changes.due !== undefined) item.due = checkDue(changes.due);
    if (changes.done !== undefined) item.done = changes.done;
    book.items.set(itemId, item);
    this.#schedule(meetingId, book);
    await this.#deps.fanout.notify(meetingId, 'all', 'minutes.itemChanged', { item });
    return item;
  }

  /** Removes an item (`not_found` for an unknown one). */
  async removeItem(actorId: string, meetingId: string, itemId: string): Promise<void> {
    await this.assertMayEdit(actorId, meetingId);
    const book = await this.#book(meetingId);
    if (!book.items.delete(itemId)) throw new AppError('not_found', 'There is no such item.');
    this.#schedule(meetingId, book);
    await this.#deps.fanout.notify(meetingId, 'all', 'minutes.itemRemoved', { id: itemId });
  }

  /**
   * A moderator appoints (`taker`) or releases a minute-taker, who must be in the meeting
   * (`bad_request` otherwise). Audited (refusals as denied); everyone gets `minutes.takers`.
   */
  async appoint(
    actorId: string,
    meetingId: string,
    targetId: string,
    taker: boolean,
  ): Promise<void> {
    const meeting = await this.#deps.load(meetingId);
    const action = taker ? 'minutes.taker_appointed' : 'minutes.taker_released';
    await meeting.requireRight(actorId, 'minutes.appoint', action, targetId);
    if (meeting.view(targetId) === undefined)
      throw new AppError('bad_request', 'The participant is not in the meeting.');
    const book = await this.#book(meetingId);
    if (book.takers.has(targetId) === taker) return;
    await this.#setTaker(meetingId, book, targetId, taker, {
      kind: 'participant',
      id: actorId,
    });
  }

  /**
   * Refuses (`forbidden`) someone who may not edit: neither a moderator nor an appointed
   * minute-taker. Observed for metrics, not audited (a typing client would flood the
   * trail). Returns the actor's display name.
   */
  async assertMayEdit(actorId: string, meetingId: string): Promise<string> {
    const meeting = await this.#deps.load(meetingId);
    const actor = meeting.view(actorId);
    if (actor === undefined) throw new AppError('unauthenticated');
    const book = await this.#book(meetingId);
    if (!isAllowed(actor.role, 'minutes.edit') && !book.takers.has(actorId)) {
      this.#deps.observer.emit('actionDenied', {
        meetingId,
        participantId: actorId,
        action: 'minutes.edit',
      });
      throw new AppError('forbidden', 'Only moderators and minute-takers edit the minutes.');
    }
    return actor.displayName;
  }

  /**
   * Appends a closed breakout room's notes (a heading with the room's name, then its text)
   * and items (marked with `room`) to its main meeting's minutes, fanned out to the main
   * meeting. Idempotent: a room already merged is skipped. Audited as `minutes.merged`.
   */
  mergeRoom(parentId: string, roomId: string, roomName: string): Promise<void> {
    const previous = this.#merging.get(parentId) ?? Promise.resolve();
    const merging = previous
      .catch(() => undefined)
      .then(() => this.#merge(parentId, roomId, roomName))
      .finally(() => {
        if (this.#merging.get(parentId) === merging) this.#merging.delete(parentId);
      });
    this.#merging.set(parentId, merging);
    return merging;
  }

  /**
   * The stored minutes of a meeting, whether it runs here or not (for reading after the
   * meeting and export): the live copy if there is one, else what was saved.
   */
  async snapshot(
    meetingId: string,
  ): Promise<{ notes: string; items: MinutesItem[]; takers: string[] }> {
    const live = this.#books.get(meetingId);
    const book = live === undefined ? await this.#read(meetingId) : await live;
    const result = {
      notes: book.doc.getText(NOTES).toJSON(),
      items: [...book.items.values()],
      takers: [...book.takers],
    };
    if (live === undefined) book.doc.destroy();
    return result;
  }

  /** Saves unsaved minutes now (at shutdown). */
  async flush(): Promise<void> {
    for (const [meetingId, pending] of this.#books) {
      const book = await pending.catch(() => undefined);
      if (book?.timer !== undefined) this.#save(meetingId, book);
    }
    await Promise.all([...this.#closing, ...this.#saving.values()]);
  }

  async #merge(parentId: string, roomId: string, roomName: string): Promise<void> {
    const main = await this.#book(parentId);
    if (main.merged.has(roomId)) return;
    const minutes = await this.snapshot(roomId);
    const text = minutes.notes.trim();
    if (text !== '') {
      const notes = main.doc.getText(NOTES);
      const before = Y.encodeStateVector(main.doc);
      const heading = `${notes.length === 0 ? '' : '\n\n'}## ${roomName}\n\n`;
      // The document stays within its bound: a room's text is cut if it would not fit.
      const space = MINUTES_LIMITS.docBytes - Y.encodeStateAsUpdate(main.doc).length - 4096;
      const fits = space > 0 ? cutToBytes(text, Math.floor(space / 2)) : '';
      if (fits !== '') {
        main.doc.transact(() => {
          notes.insert(notes.length, `${heading}${fits}\n`);
        }, 'server');
        const diff = Y.encodeStateAsUpdate(main.doc, before);
        main.bytes = Y.encodeStateAsUpdate(main.doc).length;
        await this.#deps.fanout.notify(parentId, 'all', 'minutes.changed', {
          update: toBase64(diff),
        });
      }
    }
    let copied = 0;
    for (const item of minutes.items) {
      if (main.items.size >= MINUTES_LIMITS.items) break;
      const copy: MinutesItem = { ...item, id: newId(), room: roomName };
      main.items.set(copy.id, copy);
      copied += 1;
      await this.#deps.fanout.notify(parentId, 'all', 'minutes.itemChanged', { item: copy });
    }
    main.merged.add(roomId);
    this.#save(parentId, main);
    await this.#deps.audit.record({
      action: 'minutes.merged',
      actor: { kind: 'system', id: 'breakout' },
      meetingId: parentId,
      target: roomId,
      outcome: 'success',
      details: { items: copied },
    });
  }

  async #appointOnArrival(meetingId: string, participantId: string, book: Book): Promise<void> {
    if (book.considered.has(participantId)) return;
    book.considered.add(participantId);
    if (book.takers.has(participantId)) return;
    const meeting = await this.#deps.load(meetingId);
    const invitationId = meeting.invitationOf(participantId);
    if (invitationId === undefined) return;
    const invitations = await this.#deps.invitations.list(meetingId);
    const invitation = invitations.find((i) => i.id === invitationId);
    if (invitation?.minuteTaker !== true) return;
    await this.#setTaker(meetingId, book, participantId, true, {
      kind: 'system',
      id: 'invitation',
    });
  }

  async #setTaker(
    meetingId: string,
    book: Book,
    targetId: string,
    taker: boolean,
    actor: { kind: 'participant' | 'system'; id: string },
  ): Promise<void> {
    await this.#deps.audit.record({
      action: taker ? 'minutes.taker_appointed' : 'minutes.taker_released',
      actor,
      meetingId,
      target: targetId,
      outcome: 'success',
    });
    if (taker) book.takers.add(targetId);
    else book.takers.delete(targetId);
    this.#save(meetingId, book);
    await this.#deps.fanout.notify(meetingId, 'all', 'minutes.takers', {
      takers: [...book.takers],
    });
  }

  #book(meetingId: string): Promise<Book> {
    let book = this.#books.get(meetingId);
    if (book === undefined) {
      book = this.#read(meetingId);
      this.#books.set(meetingId, book);
      // A failed read is tried again by the next caller.
      book.catch(() => {
        if (this.#books.get(meetingId) === book) this.#books.delete(meetingId);
      });
    }
    return book;
  }

  async #read(meetingId: string): Promise<Book> {
    await this.#saving.get(meetingId);
    const stored = await this.#deps.repo.load(meetingId);
    const doc = new Y.Doc({ gc: true });
    doc.getText(NOTES);
    if (stored !== undefined && stored.doc !== '') Y.applyUpdate(doc, fromBase64(stored.doc));
    return {
      doc,
      bytes: Y.encodeStateAsUpdate(doc).length,
      items: new Map((stored?.items ?? []).map((item) => [item.id, item])),
      takers: new Set(stored?.takers ?? []),
      merged: new Set(stored?.merged ?? []),
      considered: new Set(),
      timer: undefined,
    };
  }

  #schedule(meetingId: string, book: Book): void {
    clearTimeout(book.timer);
    book.timer = setTimeout(() => {
      this.#save(meetingId, book);
    }, this.#deps.saveDelayMs ?? DEFAULT_SAVE_DELAY_MS);
    book.timer.unref();
  }

  /** Saves the minutes now (after any save in flight); failures are logged. */
  #save(meetingId: string, book: Book): void {
    clearTimeout(book.timer);
    book.timer = undefined;
    const state: StoredMinutes = {
      doc: toBase64(Y.encodeStateAsUpdate(book.doc)),
      items: [...book.items.values()],
      takers: [...book.takers],
      merged: [...book.merged],
    };
    const previous = this.#saving.get(meetingId) ?? Promise.resolve();
    const saving = previous
      .then(() => this.#deps.repo.save(meetingId, state, this.#deps.clock.now()))
      .catch((error: unknown) => {
        this.#deps.logger.error({ err: error, meetingId }, 'could not save the minutes');
      })
      .finally(() => {
        if (this.#saving.get(meetingId) === saving) this.#saving.delete(meetingId);
      });
    this.#saving.set(meetingId, saving);
  }
}

/** A due date that is a real calendar day (`2026-02-30` is `bad_request`). */
function checkDue(due: string): string {
  const date = new Date(`${due}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== due)
    throw new AppError('bad_request', 'The due date is not a calendar day.');
  return due;
}

/** The longest prefix of `text` of at most `max` UTF-8 bytes (whole characters). */
function cutToBytes(text: string, max: number): string {
  const bytes = Buffer.from(text);
  if (bytes.length <= max) return text;
  // A character cut in half decodes as U+FFFD at the end; drop it.
  return bytes
    .subarray(0, max)
    .toString('utf8')
    .replace(/\uFFFD+$/, '');
}
