import {
  MINUTES_LIMITS,
  type MinutesItem,
  type MinutesItemKind,
  type MinutesRecord,
  type MinutesState,
} from '@konvent/protocol';
import * as Y from 'yjs';
import { AppError } from '../errors/AppError.ts';
import type { DeskContext } from './DeskContext.ts';
import type { Meeting } from './Meeting.ts';
import type {
  InvitationRepository,
  MeetingAuditEvent,
  MeetingRepository,
  MinutesRepository,
  StoredMinutes,
} from './ports.ts';
import { checkUpdate } from './minutesUpdates.ts';
import { newId } from './secrets.ts';
import { SingleFlight } from './SingleFlight.ts';

/** What the minutes desk needs. */
export interface MinutesDeskDeps extends DeskContext {
  minutes: MinutesRepository;
  /** The meetings' records (title, times) for reading minutes after the meeting. */
  meetings: MeetingRepository;
  /** To appoint whoever joins through a minute-taker invitation. */
  invitations: InvitationRepository;
  /** The live meeting, if it runs on this process. */
  live: (meetingId: string) => Meeting | undefined;
  /** How long after the last change the minutes are saved (1 s). */
  saveDelayMs?: number;
}

/** One meeting's minutes in memory. */
interface Live {
  meetingId: string;
  doc: Y.Doc;
  items: MinutesItem[];
  takers: Set<string>;
  merged: string[];
  /** An upper bound of the notes' encoded size in bytes (exact after each save). */
  size: number;
  dirty: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** The notes' Y.Text in the shared document. */
const NOTES = 'notes';

/** Changes to an item (`null` clears owner or due date). */
export interface ItemChanges {
  text?: string;
  owner?: string | null;
  due?: string | null;
  done?: boolean;
}

/**
 * Minutes (C7, W4): the notes (a Yjs document whose Y.Text `notes` everyone edits at once),
 * decisions and action items, and who takes them. Moderators and appointed minute-takers
 * edit; everyone admitted reads. The server holds each meeting's document, applies the
 * updates it receives and passes them on, so a late joiner's welcome has the whole text.
 * Everything is saved sealed a second after the last change, when the meeting closes and
 * at shutdown; minutes stay after the meeting (they go with it under its retention).
 * A closed breakout room's minutes are appended to its main meeting's (`mergeRoom`).
 */
export class MinutesDesk {
  readonly #deps: MinutesDeskDeps;
  readonly #live = new Map<string, Live>();
  readonly #loading = new SingleFlight<Live>();

  constructor(deps: MinutesDeskDeps) {
    this.#deps = deps;
    deps.events.on('meetingClosed', ({ meetingId }) => {
      const live = this.#live.get(meetingId);
      if (live === undefined) return;
      this.#save(live)
        .then(() => {
          // Dropped only if nothing changed meanwhile (a merge may still be writing).
          this.#release(meetingId);
        })
        .catch((error: unknown) => {
          this.#deps.logger.error({ err: error, meetingId }, 'saving minutes failed');
        });
    });
    deps.observer.on('participantConnected', ({ meetingId, participantId, reconnect }) => {
      if (reconnect) return;
      this.#appointInvited(meetingId, participantId).catch((error: unknown) => {
        this.#deps.logger.error({ err: error, meetingId }, 'appointing a minute-taker failed');
      });
    });
  }

  /** The minutes as a new socket starts with them. */
  async state(meetingId: string): Promise<MinutesState> {
    const live = await this.#get(meetingId);
    return {
      doc: Buffer.from(Y.encodeStateAsUpdate(live.doc)).toString('base64'),
      items: live.items,
      takers: [...live.takers],
    };
  }

  /** A change to the notes (a Yjs update, base64) from a moderator or minute-taker. */
  async update(actorId: string, meetingId: string, update: string): Promise<void> {
    const live = await this.#editable(actorId, meetingId);
    const bytes = Buffer.from(update, 'base64');
    // Parses the whole update first (a malformed one is refused before anything applies),
    // and refuses one that touches anything but the notes text.
    checkUpdate(bytes, NOTES);
    if (live.size + bytes.length > MINUTES_LIMITS.docBytes) {
      live.size = Y.encodeStateAsUpdate(live.doc).length;
      if (live.size + bytes.length > MINUTES_LIMITS.docBytes)
        throw new AppError('payload_too_large', 'The notes would be larger than 1 MiB.');
    }
    Y.applyUpdate(live.doc, bytes, actorId);
    live.size += bytes.length;
    this.#changed(live);
    await this.#deps.fanout.notify(meetingId, 'all', 'minutes.changed', { update }, actorId);
  }

  /** Records a decision or an action item. */
  async addItem(
    actorId: string,
    meetingId: string,
    input: { kind: MinutesItemKind; text: string; owner?: string; due?: string },
  ): Promise<MinutesItem> {
    const live = await this.#editable(actorId, meetingId);
    if (live.items.length >= MINUTES_LIMITS.items)
      throw new AppError('conflict', `The minutes hold at most ${MINUTES_LIMITS.items} items.`);
    const meeting = await this.#deps.load(meetingId);
    const item: MinutesItem = {
      id: newId(),
      kind: input.kind,
      text: input.text.trim(),
      ...(input.owner === undefined ? {} : { owner: input.owner.trim() }),
      ...(input.due === undefined ? {} : { due: validDay(input.due) }),
      done: false,
      authorName: meeting.view(actorId)?.displayName ?? '',
      createdAt: this.#deps.clock.now().toISOString(),
    };
    live.items.push(item);
    this.#changed(live);
    await this.#deps.fanout.notify(meetingId, 'all', 'minutes.itemChanged', { item });
    return item;
  }

  /** Changes an item. */
  async updateItem(
    actorId: string,
    meetingId: string,
    id: string,
    changes: ItemChanges,
  ): Promise<MinutesItem> {
    const live = await this.#editable(actorId, meetingId);
    const index = live.items.findIndex((candidate) => candidate.id === id);
    const current = live.items[index];
    if (current === undefined) throw new AppError('not_found', 'There is no such item.');
    const due =
      changes.due === undefined || changes.due === null ? changes.due : validDay(changes.due);
    const item: MinutesItem = { ...current };
    if (changes.text !== undefined) item.text = changes.text.trim();
    if (changes.done !== undefined) item.done = changes.done;
    if (changes.owner === null) delete item.owner;
    else if (changes.owner !== undefined) item.owner = changes.owner.trim();
    if (due === null) delete item.due;
    else if (due !== undefined) item.due = due;
    live.items[index] = item;
    this.#changed(live);
    await this.#deps.fanout.notify(meetingId, 'all', 'minutes.itemChanged', { item });
    return item;
  }

  /** Removes an item. */
  async removeItem(actorId: string, meetingId: string, id: string): Promise<void> {
    const live = await this.#editable(actorId, meetingId);
    const index = live.items.findIndex((candidate) => candidate.id === id);
    if (index < 0) throw new AppError('not_found', 'There is no such item.');
    live.items.splice(index, 1);
    this.#changed(live);
    await this.#deps.fanout.notify(meetingId, 'all', 'minutes.itemRemoved', { id });
  }

  /** A moderator appoints or releases a minute-taker. */
  async appoint(
    actorId: string,
    meetingId: string,
    participantId: string,
    taker: boolean,
  ): Promise<void> {
    const meeting = await this.#deps.load(meetingId);
    const action = taker ? 'minutes.taker_appointed' : 'minutes.taker_released';
    await meeting.requireRight(actorId, 'minutes.appoint', action, participantId);
    if (!meeting.has(participantId))
      throw new AppError('not_found', 'That person is not in the meeting.');
    const live = await this.#get(meetingId);
    if (live.takers.has(participantId) === taker) return;
    await this.#setTaker(live, participantId, taker, { kind: 'participant', id: actorId });
  }

  /**
   * Appends a closed breakout room's notes and items to its main meeting's minutes, under
   * the room's name. Idempotent: a room is merged once.
   */
  async mergeRoom(parentId: string, roomId: string, roomName: string): Promise<void> {
    const main = await this.#get(parentId);
    if (main.merged.includes(roomId)) return;
    const room = await this.#peek(roomId);
    const text = room.doc.getText(NOTES).toJSON().trim();
    const before = Y.encodeStateVector(main.doc);
    if (text !== '') {
      const notes = main.doc.getText(NOTES);
      const gap = notes.length === 0 ? '' : '\n\n';
      main.doc.transact(() => {
        notes.insert(notes.length, `${gap}## ${roomName}\n\n${text}\n`);
      }, 'merge');
    }
    const copied = room.items
      .slice(0, Math.max(0, MINUTES_LIMITS.items - main.items.length))
      .map((item) => ({ ...item, id: newId(), room: roomName }));
    main.items.push(...copied);
    main.merged.push(roomId);
    this.#changed(main);
    await this.#save(main);
    await this.#deps.audit.record({
      action: 'minutes.merged',
      actor: { kind: 'system', id: 'breakouts' },
      meetingId: parentId,
      target: roomId,
      outcome: 'success',
      details: { items: copied.length, notes: text !== '' },
    });
    if (text !== '') {
      const update = Buffer.from(Y.encodeStateAsUpdate(main.doc, before)).toString('base64');
      await this.#deps.fanout.notify(parentId, 'all', 'minutes.changed', { update });
    }
    for (const item of copied)
      await this.#deps.fanout.notify(parentId, 'all', 'minutes.itemChanged', { item });
    this.#release(parentId);
  }

  /** The stored minutes of a meeting, whether or not it runs (for reading and export). */
  async read(
    meetingId: string,
  ): Promise<{ notes: string; items: MinutesItem[]; takers: string[] }> {
    const live = await this.#peek(meetingId);
    return {
      notes: live.doc.getText(NOTES).toJSON(),
      items: live.items,
      takers: [...live.takers],
    };
  }

  /** A meeting's minutes with its title and times (`GET …/minutes`); the caller decided access. */
  async record(meetingId: string): Promise<MinutesRecord> {
    const meeting = await this.#deps.meetings.findMeeting(meetingId);
    if (meeting === undefined) throw new AppError('not_found');
    const { notes, items, takers } = await this.read(meetingId);
    return {
      meetingId,
      title: meeting.title,
      startedAt: meeting.startedAt?.toISOString() ?? null,
      endedAt: meeting.endedAt?.toISOString() ?? null,
      notes,
      items,
      ...(meeting.endedAt === null ? { takers } : {}),
    };
  }

  /** The minutes an account may read after their meetings (`GET /api/minutes`), newest first. */
  async readable(userId: string): Promise<MinutesRecord[]> {
    const found = await this.#deps.minutes.readable(userId, 100);
    const records: MinutesRecord[] = [];
    for (const { meetingId } of found) records.push(await this.record(meetingId));
    return records;
  }

  /** How many people were admitted to the meeting (for the export's header). */
  participantCount(meetingId: string): Promise<number> {
    return this.#deps.minutes.countParticipants(meetingId);
  }

  /** Whether an account may read a meeting's minutes after it (created it, or took part). */
  mayRead(meetingId: string, userId: string): Promise<boolean> {
    return this.#deps.minutes.mayRead(meetingId, userId);
  }

  /** Records an export in the audit trail (before the file goes out). */
  async exported(
    meetingId: string,
    actor: MeetingAuditEvent['actor'],
    format: string,
    source: string | undefined,
  ): Promise<void> {
    await this.#deps.audit.record({
      action: 'minutes.exported',
      actor,
      meetingId,
      target: meetingId,
      outcome: 'success',
      details: { format },
      ...(source === undefined ? {} : { source }),
    });
  }

  /** Saves every meeting's unsaved minutes (at shutdown). */
  async flush(): Promise<void> {
    await Promise.all([...this.#live.values()].map((live) => this.#save(live)));
  }

  /** The minutes of a meeting the actor may edit (moderator or minute-taker), else refused. */
  async #editable(actorId: string, meetingId: string): Promise<Live> {
    const meeting = await this.#deps.load(meetingId);
    const self = meeting.view(actorId);
    if (self === undefined) throw new AppError('unauthenticated');
    const live = await this.#get(meetingId);
    if (self.role !== 'moderator' && !live.takers.has(actorId))
      throw new AppError('forbidden', 'Only moderators and minute-takers edit the minutes.');
    return live;
  }

  async #setTaker(
    live: Live,
    participantId: string,
    taker: boolean,
    actor: { kind: 'participant' | 'system'; id: string },
  ): Promise<void> {
    if (taker) live.takers.add(participantId);
    else live.takers.delete(participantId);
    this.#changed(live);
    await this.#save(live);
    await this.#deps.audit.record({
      action: taker ? 'minutes.taker_appointed' : 'minutes.taker_released',
      actor,
      meetingId: live.meetingId,
      target: participantId,
      outcome: 'success',
    });
    await this.#deps.fanout.notify(live.meetingId, 'all', 'minutes.takers', {
      takers: [...live.takers],
    });
  }

  /** Someone who came with a minute-taker invitation is appointed when they first connect. */
  async #appointInvited(meetingId: string, participantId: string): Promise<void> {
    const invitationId = this.#deps.live(meetingId)?.invitationOf(participantId);
    if (invitationId === undefined) return;
    const invitation = (await this.#deps.invitations.list(meetingId)).find(
      (candidate) => candidate.id === invitationId,
    );
    if (invitation?.minuteTaker !== true) return;
    const live = await this.#get(meetingId);
    if (live.takers.has(participantId)) return;
    await this.#setTaker(live, participantId, true, { kind: 'system', id: 'invitation' });
  }

  /** The minutes in memory if held, else as stored, without keeping them (reading only). */
  async #peek(meetingId: string): Promise<Live> {
    return (
      this.#live.get(meetingId) ??
      (await this.#loading.pending(meetingId)) ??
      (await this.#open(meetingId))
    );
  }

  /** Forgets a meeting's saved minutes unless it runs here (they are read from storage again). */
  #release(meetingId: string): void {
    const live = this.#live.get(meetingId);
    if (live !== undefined && !live.dirty && this.#deps.live(meetingId) === undefined)
      this.#live.delete(meetingId);
  }

  /** The minutes in memory, loaded from storage on first use. */
  async #get(meetingId: string): Promise<Live> {
    const live = this.#live.get(meetingId);
    if (live !== undefined) return live;
    return this.#loading.run(meetingId, () => this.#load(meetingId));
  }

  async #load(meetingId: string): Promise<Live> {
    const live = await this.#open(meetingId);
    this.#live.set(meetingId, live);
    return live;
  }

  async #open(meetingId: string): Promise<Live> {
    const stored = await this.#deps.minutes.load(meetingId);
    const doc = new Y.Doc();
    const state = stored?.doc ?? '';
    if (state !== '') Y.applyUpdate(doc, Buffer.from(state, 'base64'));
    return {
      meetingId,
      doc,
      items: stored?.items ?? [],
      takers: new Set(stored?.takers ?? []),
      merged: stored?.merged ?? [],
      size: Buffer.byteLength(state, 'base64'),
      dirty: false,
      timer: undefined,
    };
  }

  /** Marks the minutes changed; they are saved a moment after the last change. */
  #changed(live: Live): void {
    live.dirty = true;
    clearTimeout(live.timer);
    live.timer = setTimeout(() => {
      this.#save(live).catch((error: unknown) => {
        this.#deps.logger.error({ err: error, meetingId: live.meetingId }, 'saving minutes failed');
      });
    }, this.#deps.saveDelayMs ?? 1000);
    live.timer.unref();
  }

  async #save(live: Live): Promise<void> {
    clearTimeout(live.timer);
    live.timer = undefined;
    if (!live.dirty) return;
    live.dirty = false;
    const update = Y.encodeStateAsUpdate(live.doc);
    live.size = update.length;
    const stored: StoredMinutes = {
      doc: Buffer.from(update).toString('base64'),
      items: live.items,
      takers: [...live.takers],
      merged: live.merged,
    };
    try {
      await this.#deps.minutes.save(live.meetingId, stored, this.#deps.clock.now());
    } catch (error) {
      live.dirty = true;
      throw error;
    }
  }
}

/** A calendar day that exists (`2026-02-30` does not). */
function validDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day)
    throw new AppError('bad_request', `${day} is not a date.`);
  return day;
}
