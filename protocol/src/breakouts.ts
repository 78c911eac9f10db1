import { Type, type Static } from '@sinclair/typebox';
import { DisplayName, Id } from './model.ts';

/**
 * Breakout rooms (C5, issue 7). Each room is a meeting of its own (its own media router,
 * chat, whiteboard and minutes) whose parent is the main meeting; its id is that meeting's
 * id. People enter a room through `POST /api/meetings/:meetingId/breakouts/:roomId/enter`
 * with their main meeting's session, and keep the main meeting's socket open (without
 * media) for the timer, broadcasts and moves.
 */
export const BREAKOUT_LIMITS = {
  /** Rooms one breakout session may have. */
  minRooms: 1,
  maxRooms: 20,
  /** How long a session may run, in minutes. */
  minMinutes: 1,
  maxMinutes: 240,
  /** Longest broadcast message, in characters. */
  broadcastText: 500,
  /** Longest room name, in characters. */
  roomName: 60,
} as const;

/** A room's name: 1–60 characters, no control characters, not only spaces. */
export const BreakoutRoomName = Type.String({
  minLength: 1,
  maxLength: BREAKOUT_LIMITS.roomName,
  pattern: '^[^\\u0000-\\u001f\\u007f]*\\S[^\\u0000-\\u001f\\u007f]*$',
});

/**
 * How people are put into rooms: `manual` exactly as listed; `random` everyone not listed
 * (moderators excepted) spread evenly and at random; `choose` everyone not listed picks a
 * room with `breakout.choose`.
 */
export const BreakoutAssignMode = Type.Union([
  Type.Literal('manual'),
  Type.Literal('random'),
  Type.Literal('choose'),
]);
export type BreakoutAssignMode = Static<typeof BreakoutAssignMode>;

/** A room as the moderator asks for it: its name and who is put in it (main meeting ids). */
export const BreakoutRoomRequest = Type.Object(
  {
    name: BreakoutRoomName,
    participantIds: Type.Array(Id, { maxItems: 100 }),
  },
  { additionalProperties: false },
);
export type BreakoutRoomRequest = Static<typeof BreakoutRoomRequest>;

/** A running room: its meeting id, name, and who is assigned to it (main meeting ids). */
export const BreakoutRoom = Type.Object({
  id: Id,
  name: BreakoutRoomName,
  participantIds: Type.Array(Id),
});
export type BreakoutRoom = Static<typeof BreakoutRoom>;

/** A running breakout session, as everyone in the main meeting sees it. */
export const BreakoutState = Type.Object({
  rooms: Type.Array(BreakoutRoom),
  startedAt: Type.String(),
  /** When everyone is brought back to the main room (ISO 8601, the server's clock). */
  endsAt: Type.String(),
  /** Whether people without a room may pick one themselves (`breakout.choose`). */
  allowChoose: Type.Boolean(),
});
export type BreakoutState = Static<typeof BreakoutState>;

/** A moderator's message to every room (and the main room). */
export const BreakoutBroadcast = Type.Object({
  text: Type.String(),
  fromName: DisplayName,
  sentAt: Type.String(),
});
export type BreakoutBroadcast = Static<typeof BreakoutBroadcast>;

/** `POST /api/meetings/:meetingId/breakouts/:roomId/enter` path parameters. */
export const BreakoutParams = Type.Object({ meetingId: Id, roomId: Id });
export type BreakoutParams = Static<typeof BreakoutParams>;

/** `POST /api/meetings/:meetingId/breakouts/:roomId/enter` reply (plus the room's cookie). */
export const BreakoutEnterReply = Type.Object({
  meetingId: Id,
  participantId: Id,
  role: Type.String(),
  title: Type.String(),
});
export type BreakoutEnterReply = Static<typeof BreakoutEnterReply>;

/** Signalling requests (merged into `REQUESTS`). */
export const BREAKOUT_REQUESTS = {
  /** Moderators: opens rooms and puts people into them; they run until `endsAt`. */
  'breakout.start': {
    request: Type.Object(
      {
        rooms: Type.Array(BreakoutRoomRequest, {
          minItems: BREAKOUT_LIMITS.minRooms,
          maxItems: BREAKOUT_LIMITS.maxRooms,
        }),
        durationMinutes: Type.Integer({
          minimum: BREAKOUT_LIMITS.minMinutes,
          maximum: BREAKOUT_LIMITS.maxMinutes,
        }),
        assign: BreakoutAssignMode,
      },
      { additionalProperties: false },
    ),
    response: Type.Object({ breakout: BreakoutState }, { additionalProperties: false }),
  },
  /** Moderators: moves someone to another room, or (`roomId: null`) back to the main room. */
  'breakout.move': {
    request: Type.Object(
      { participantId: Id, roomId: Type.Union([Id, Type.Null()]) },
      { additionalProperties: false },
    ),
    response: Type.Object({}, { additionalProperties: false }),
  },
  /** Anyone, while rooms may be chosen: goes to this room. */
  'breakout.choose': {
    request: Type.Object({ roomId: Id }, { additionalProperties: false }),
    response: Type.Object({}, { additionalProperties: false }),
  },
  /** Moderators: a message shown in every room and the main room. */
  'breakout.broadcast': {
    request: Type.Object(
      {
        text: Type.String({
          minLength: 1,
          maxLength: BREAKOUT_LIMITS.broadcastText,
          pattern: '\\S',
        }),
      },
      { additionalProperties: false },
    ),
    response: Type.Object({}, { additionalProperties: false }),
  },
  /** Moderators: closes every room now; everyone returns to the main room. */
  'breakout.end': {
    request: Type.Object({}, { additionalProperties: false }),
    response: Type.Object({}, { additionalProperties: false }),
  },
} as const;

/** Signalling notifications (merged into `NOTIFICATIONS`), sent on the main meeting. */
export const BREAKOUT_NOTIFICATIONS = {
  /** The rooms, their members and the end time changed; `null`: the rooms are closed. */
  'breakout.changed': Type.Object({ breakout: Type.Union([BreakoutState, Type.Null()]) }),
  /** A moderator's broadcast. */
  'breakout.broadcast': BreakoutBroadcast,
} as const;
