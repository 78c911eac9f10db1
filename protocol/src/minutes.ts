import { Type, type Static } from '@sinclair/typebox';
import { DisplayName, Id } from './model.ts';

/**
 * Minutes (C7, W4, issue 7): shared notes edited live as a Yjs document by moderators and
 * the appointed minute-takers, plus structured decisions and action items. Everyone
 * admitted reads them; exported as Markdown and PDF.
 */
export const MINUTES_LIMITS = {
  /** Largest Yjs update in one frame, as base64 characters (about 36 KiB of update). */
  updateChars: 48 * 1024,
  /** Largest notes document (its full Yjs state), in bytes. */
  docBytes: 1024 * 1024,
  /** Most decisions and action items one meeting keeps. */
  items: 500,
  /** Longest item text, in characters. */
  itemText: 2000,
  /** Longest owner name, in characters. */
  owner: 100,
} as const;

/** A Yjs update (encoded with `Y.encodeStateAsUpdate`/`update` events, v1), base64. */
export const YjsUpdate = Type.String({
  minLength: 4,
  maxLength: MINUTES_LIMITS.updateChars,
  pattern: '^[A-Za-z0-9+/]+={0,2}$',
});

export const MinutesItemKind = Type.Union([Type.Literal('decision'), Type.Literal('action')]);
export type MinutesItemKind = Static<typeof MinutesItemKind>;

const ItemText = Type.String({
  minLength: 1,
  maxLength: MINUTES_LIMITS.itemText,
  pattern: '\\S',
});
const Owner = Type.String({
  minLength: 1,
  maxLength: MINUTES_LIMITS.owner,
  pattern: '^[^\\u0000-\\u001f\\u007f]*\\S[^\\u0000-\\u001f\\u007f]*$',
});
/** A calendar day, `YYYY-MM-DD`. */
export const DueDate = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$' });

/** A decision or an action item (actions have an owner and usually a due date). */
export const MinutesItem = Type.Object({
  id: Id,
  kind: MinutesItemKind,
  text: Type.String(),
  owner: Type.Optional(Type.String()),
  due: Type.Optional(Type.String()),
  done: Type.Boolean(),
  /** The breakout room it was recorded in, once merged into the main minutes. */
  room: Type.Optional(Type.String()),
  authorName: DisplayName,
  createdAt: Type.String(),
});
export type MinutesItem = Static<typeof MinutesItem>;

/** The minutes as a socket starts with them. */
export const MinutesState = Type.Object({
  /** The whole notes document as one Yjs update, base64 (`''` for an empty one). */
  doc: Type.String(),
  items: Type.Array(MinutesItem),
  /** Participants appointed minute-taker (moderators edit without it). */
  takers: Type.Array(Id),
});
export type MinutesState = Static<typeof MinutesState>;

const Ok = Type.Object({}, { additionalProperties: false });

/** Signalling requests (merged into `REQUESTS`). */
export const MINUTES_REQUESTS = {
  /** Moderators and minute-takers: a change to the notes (others: `forbidden`). */
  'minutes.update': {
    request: Type.Object({ update: YjsUpdate }, { additionalProperties: false }),
    response: Ok,
  },
  /** Moderators and minute-takers: records a decision or an action item. */
  'minutes.addItem': {
    request: Type.Object(
      {
        kind: MinutesItemKind,
        text: ItemText,
        owner: Type.Optional(Owner),
        due: Type.Optional(DueDate),
      },
      { additionalProperties: false },
    ),
    response: Type.Object({ item: MinutesItem }, { additionalProperties: false }),
  },
  /** Moderators and minute-takers: changes an item (`null` clears owner or due date). */
  'minutes.updateItem': {
    request: Type.Object(
      {
        id: Id,
        text: Type.Optional(ItemText),
        owner: Type.Optional(Type.Union([Owner, Type.Null()])),
        due: Type.Optional(Type.Union([DueDate, Type.Null()])),
        done: Type.Optional(Type.Boolean()),
      },
      { additionalProperties: false },
    ),
    response: Type.Object({ item: MinutesItem }, { additionalProperties: false }),
  },
  /** Moderators and minute-takers: removes an item. */
  'minutes.removeItem': {
    request: Type.Object({ id: Id }, { additionalProperties: false }),
    response: Ok,
  },
  /** Moderators: appoints (`taker: true`) or releases a minute-taker. */
  'minutes.appoint': {
    request: Type.Object(
      { participantId: Id, taker: Type.Boolean() },
      { additionalProperties: false },
    ),
    response: Ok,
  },
} as const;

/** Signalling notifications (merged into `NOTIFICATIONS`). */
export const MINUTES_NOTIFICATIONS = {
  /** Someone else changed the notes: apply this Yjs update. */
  'minutes.changed': Type.Object({ update: Type.String() }),
  /** An item was added or changed. */
  'minutes.itemChanged': Type.Object({ item: MinutesItem }),
  'minutes.itemRemoved': Type.Object({ id: Id }),
  /** Who is minute-taker now. */
  'minutes.takers': Type.Object({ takers: Type.Array(Id) }),
} as const;

/** `GET /api/meetings/:meetingId/minutes` and the entries of `GET /api/minutes`. */
export const MinutesRecord = Type.Object({
  meetingId: Id,
  title: Type.String(),
  /** ISO times; null when the meeting never started or has not ended. */
  startedAt: Type.Union([Type.String(), Type.Null()]),
  endedAt: Type.Union([Type.String(), Type.Null()]),
  /** The notes as plain text. */
  notes: Type.String(),
  items: Type.Array(MinutesItem),
  /** Who was minute-taker (participant ids); only while the meeting runs. */
  takers: Type.Optional(Type.Array(Id)),
});
export type MinutesRecord = Static<typeof MinutesRecord>;

/** `GET /api/minutes`: the minutes the signed-in account may read, newest meeting first. */
export const MinutesListReply = Type.Object({ minutes: Type.Array(MinutesRecord) });
export type MinutesListReply = Static<typeof MinutesListReply>;

export const MinutesExportFormat = Type.Union([Type.Literal('md'), Type.Literal('pdf')]);
export type MinutesExportFormat = Static<typeof MinutesExportFormat>;

/** `GET /api/meetings/:meetingId/minutes/export?format=md|pdf`. */
export const MinutesExportQuery = Type.Object(
  {
    format: MinutesExportFormat,
    /** The language of the headings (default English). */
    lang: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('de')])),
  },
  { additionalProperties: false },
);
export type MinutesExportQuery = Static<typeof MinutesExportQuery>;
