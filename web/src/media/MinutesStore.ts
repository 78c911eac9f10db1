import * as Y from 'yjs';
import type { MeetingRole, MinutesItem, MinutesItemKind } from '@konvent/protocol';
import { MINUTES_LIMITS } from '@konvent/protocol';
import { fromBase64, toBase64 } from './notesText.ts';
import { SignalingError } from './SignalingError.ts';
import type { ServerNotification, SignalingChannel } from './SignalingChannel.ts';
import { TypedEmitter } from './TypedEmitter.ts';

/** How long local edits gather before they are sent: one typing burst, a few frames. */
const SEND_DELAY_MS = 300;
/** Transactions that come from the server (welcome, `minutes.changed`); never sent back. */
const REMOTE = Symbol('minutes-remote');

/** What the minutes panel renders. */
export interface MinutesSnapshot {
  /** Whether this meeting has minutes (the welcome carried them). */
  available: boolean;
  /** The notes document; replaced (a new object) when my refused edits are taken back. */
  doc: Y.Doc;
  /** Decisions and action items, oldest first. */
  items: readonly MinutesItem[];
  /** Participants appointed minute-taker. */
  takers: ReadonlySet<string>;
  /** Whether I may edit: moderators and appointed minute-takers (the server checks again). */
  mayEdit: boolean;
  /** Why the server refused my last notes change (for `apiErrorKey`); null if none. */
  refused: unknown;
}

/** A new decision or action item. */
export interface NewMinutesItem {
  kind: MinutesItemKind;
  text: string;
  owner?: string;
  due?: string;
}

/** Changes to an item; `null` clears the owner or the due date. */
export interface MinutesItemChanges {
  text?: string;
  owner?: string | null;
  due?: string | null;
  done?: boolean;
}

type WelcomeData = Extract<ServerNotification, { notification: 'session.welcome' }>['data'];

function byCreation(a: MinutesItem, b: MinutesItem): number {
  return a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
}

/** A fresh document holding what `source` holds. */
function copyOf(source: Y.Doc): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(source), REMOTE);
  return doc;
}

/**
 * The meeting's minutes as this browser knows them (issue 7): the notes as a Yjs document
 * (from the welcome and `minutes.changed`), the decisions and action items, and who takes
 * the minutes. My edits are gathered for {@link SEND_DELAY_MS} and sent as one
 * `minutes.update`, in frames under {@link MINUTES_LIMITS.updateChars}; a shadow document
 * keeps what the server holds, so edits it refuses are taken back. After a reconnect only
 * what the server's copy lacks is sent. It outlives sockets: MeetingClient feeds it.
 */
export class MinutesStore extends TypedEmitter<{ change: [MinutesSnapshot] }> {
  readonly #channel: () => SignalingChannel;
  /** What the server holds, as far as this browser knows. */
  #confirmed = new Y.Doc();
  #pending: Uint8Array[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  /** Sends run one after another, so the server gets my updates in order. */
  #sending: Promise<void> = Promise.resolve();
  #self = '';
  #role: MeetingRole = 'guest';
  #snapshot: MinutesSnapshot;

  /** `channel` answers the connected channel or throws. */
  constructor(channel: () => SignalingChannel) {
    super();
    this.#channel = channel;
    const doc = new Y.Doc();
    this.#watch(doc);
    this.#snapshot = {
      available: false,
      doc,
      items: [],
      takers: new Set(),
      mayEdit: false,
      refused: null,
    };
  }

  /** The current state (stable between changes, for useSyncExternalStore). */
  getSnapshot = (): MinutesSnapshot => this.#snapshot;

  /** Subscribes to state changes; returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => this.on('change', listener);

  /** The notes text (bound to the editor). */
  notes(): Y.Text {
    return this.#snapshot.doc.getText('notes');
  }

  /** Whether there is anything to export (notes or items). */
  hasContent(): boolean {
    return this.#snapshot.items.length > 0 || this.notes().length > 0;
  }

  /** Takes the minutes from a welcome; after a reconnect, sends what the server lacks. */
  welcome(data: WelcomeData): void {
    this.#self = data.self.id;
    this.#role = data.self.role;
    const minutes = data.minutes;
    if (minutes === undefined) {
      this.#update({ available: false, mayEdit: false });
      return;
    }
    const update = minutes.doc === '' ? null : fromBase64(minutes.doc);
    const confirmed = new Y.Doc();
    if (update) Y.applyUpdate(confirmed, update, REMOTE);
    this.#confirmed = confirmed;
    const doc = this.#snapshot.doc;
    if (update) Y.applyUpdate(doc, update, REMOTE);
    // Edits made while away (or not yet sent) are whatever the server's copy lacks.
    this.#pending = [];
    const missing = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(confirmed));
    const takers = new Set(minutes.takers);
    this.#update({
      available: true,
      items: [...minutes.items].sort(byCreation),
      takers,
      mayEdit: this.#mayEdit(takers),
    });
    if (this.#hasChanges(missing)) {
      this.#pending.push(missing);
      this.#schedule();
    }
  }

  /** Handles `minutes.*` (true); reads my own `participant.updated` (role) but answers false. */
  handle(n: ServerNotification): boolean {
    switch (n.notification) {
      case 'participant.updated':
        if (n.data.participant.id === this.#self && n.data.participant.role !== this.#role) {
          this.#role = n.data.participant.role;
          this.#update({ mayEdit: this.#mayEdit(this.#snapshot.takers) });
        }
        return false;
      case 'minutes.changed': {
        const update = fromBase64(n.data.update);
        Y.applyUpdate(this.#confirmed, update, REMOTE);
        Y.applyUpdate(this.#snapshot.doc, update, REMOTE);
        return true;
      }
      case 'minutes.itemChanged':
        this.#upsert(n.data.item);
        return true;
      case 'minutes.itemRemoved':
        this.#update({ items: this.#snapshot.items.filter((i) => i.id !== n.data.id) });
        return true;
      case 'minutes.takers': {
        const takers = new Set(n.data.takers);
        this.#update({ takers, mayEdit: this.#mayEdit(takers) });
        return true;
      }
      default:
        return false;
    }
  }

  /** Records a decision or an action item (editors). Failures throw the server's error. */
  async addItem(item: NewMinutesItem): Promise<MinutesItem> {
    const reply = await this.#request(() => this.#channel().request('minutes.addItem', item));
    this.#upsert(reply.item);
    return reply.item;
  }

  /** Changes an item (editors). */
  async updateItem(id: string, changes: MinutesItemChanges): Promise<void> {
    const reply = await this.#request(() =>
      this.#channel().request('minutes.updateItem', { id, ...changes }),
    );
    this.#upsert(reply.item);
  }

  /** Removes an item (editors). */
  async removeItem(id: string): Promise<void> {
    await this.#request(() => this.#channel().request('minutes.removeItem', { id }));
    this.#update({ items: this.#snapshot.items.filter((i) => i.id !== id) });
  }

  /** Appoints or releases a minute-taker (moderators; the server enforces it). */
  async appoint(participantId: string, taker: boolean): Promise<void> {
    await this.#request(() => this.#channel().request('minutes.appoint', { participantId, taker }));
  }

  /** Forgets the last refusal (the person closed the notice). */
  dismissRefusal(): void {
    this.#update({ refused: null });
  }

  /** Stops the send timer for good (the client closes). */
  close(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.removeAllListeners();
  }

  /** Runs a request; a channel that is not connected throws synchronously, made a rejection. */
  async #request<T>(run: () => Promise<T>): Promise<T> {
    return run();
  }

  #mayEdit(takers: ReadonlySet<string>): boolean {
    return this.#role === 'moderator' || takers.has(this.#self);
  }

  #hasChanges(update: Uint8Array): boolean {
    const { structs, ds } = Y.decodeUpdate(update);
    return structs.length > 0 || ds.clients.size > 0;
  }

  #watch(doc: Y.Doc): void {
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === REMOTE || doc !== this.#snapshot.doc) return;
      this.#pending.push(update);
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#timer === null) this.#timer = setTimeout(this.#flush, SEND_DELAY_MS);
  }

  readonly #flush = (): void => {
    this.#timer = null;
    const frames = this.#frames(this.#pending);
    this.#pending = [];
    for (const frame of frames) {
      this.#sending = this.#sending.then(() => this.#send(frame));
    }
  };

  /** Groups updates into as few frames as fit the limit (one oversized update stays alone). */
  #frames(updates: readonly Uint8Array[]): Uint8Array[] {
    const frames: Uint8Array[] = [];
    let group: Uint8Array[] = [];
    let merged: Uint8Array | null = null;
    for (const update of updates) {
      const candidate = Y.mergeUpdates([...group, update]);
      if (merged !== null && base64Length(candidate.length) > MINUTES_LIMITS.updateChars) {
        frames.push(merged);
        group = [update];
        merged = update;
      } else {
        group.push(update);
        merged = candidate;
      }
    }
    if (merged !== null) frames.push(merged);
    return frames;
  }

  async #send(update: Uint8Array): Promise<void> {
    try {
      await this.#request(() =>
        this.#channel().request('minutes.update', { update: toBase64(update) }),
      );
      Y.applyUpdate(this.#confirmed, update, REMOTE);
      if (this.#snapshot.refused !== null) this.#update({ refused: null });
    } catch (error) {
      // No answer (the socket dropped): the welcome of the next socket sends what is missing.
      if (error instanceof SignalingError && (error.code === 'closed' || error.code === 'timeout'))
        return;
      this.#revert(error);
    }
  }

  /** The server refused my edit: the notes go back to what the server holds. */
  #revert(error: unknown): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#pending = [];
    const doc = copyOf(this.#confirmed);
    this.#watch(doc);
    const old = this.#snapshot.doc;
    this.#update({ doc, refused: error });
    old.destroy();
  }

  #upsert(item: MinutesItem): void {
    const items = this.#snapshot.items.filter((i) => i.id !== item.id);
    items.push(item);
    this.#update({ items: items.sort(byCreation) });
  }

  #update(changes: Partial<MinutesSnapshot>): void {
    this.#snapshot = { ...this.#snapshot, ...changes };
    this.emit('change', this.#snapshot);
  }
}

/** The base64 length of `bytes` bytes. */
function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}
