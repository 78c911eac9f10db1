import { Type, type Static } from '@sinclair/typebox';
import { Id } from './model.ts';

/** Most elements one `whiteboard.update` may carry (the frame limit bounds their size too). */
export const MAX_WHITEBOARD_ELEMENTS_PER_UPDATE = 500;
/** Most elements (deleted ones included) one meeting's whiteboard holds. */
export const MAX_WHITEBOARD_ELEMENTS = 5000;
/** Largest serialised whiteboard (all elements as JSON), in bytes. */
export const MAX_WHITEBOARD_BYTES = 2 * 1024 * 1024;
/** Largest single element as JSON, in bytes (a long freehand stroke fits). */
export const MAX_WHITEBOARD_ELEMENT_BYTES = 48 * 1024;

/**
 * One whiteboard element as the drawing library (Excalidraw) produces it. The server reads
 * only the fields it merges by (`version`, then the lower `versionNonce` wins a tie, as
 * Excalidraw reconciles) and keeps the rest as opaque JSON; deleted elements stay as
 * tombstones (`isDeleted`) so a late, older copy cannot bring them back.
 */
export const WhiteboardElement = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
    version: Type.Integer({ minimum: 0, maximum: 2_147_483_647 }),
    versionNonce: Type.Integer({ minimum: -2_147_483_648, maximum: 4_294_967_295 }),
    isDeleted: Type.Boolean(),
  },
  { additionalProperties: true },
);
export type WhiteboardElement = Static<typeof WhiteboardElement>;

/** The board a new socket starts from: every element, and who was granted drawing. */
export const WhiteboardState = Type.Object({
  elements: Type.Array(WhiteboardElement),
  /** Participants a moderator allowed to draw (moderators and presenters draw anyway). */
  drawers: Type.Array(Id),
});
export type WhiteboardState = Static<typeof WhiteboardState>;
