import { Type, type Static } from '@sinclair/typebox';
import { Id } from './model.ts';

/**
 * Annotations on a presentation page (issue 6, item 4). Points are in normalised page
 * coordinates quantised to integers: 0 is the page's left (top) edge and
 * `ANNOTATION_SCALE` its right (bottom) edge, so a stroke stays on the spot of the page it
 * was drawn on at any window size, zoom or device.
 */
export const ANNOTATION_SCALE = 10_000;
/** Most points one stroke may have (a long pen stroke, thinned by the client, fits). */
export const MAX_ANNOTATION_POINTS = 2000;
/** Most strokes one page holds. */
export const MAX_ANNOTATION_STROKES = 500;
/** Largest serialised page of strokes (all strokes as JSON), in bytes. */
export const MAX_ANNOTATION_PAGE_BYTES = 512 * 1024;
/** Stroke widths, in thousandths of the page's width (so they scale with the page). */
export const ANNOTATION_WIDTH = { min: 1, max: 60 } as const;

/** The drawing tools: an opaque pen, or a wide translucent highlighter. */
export const AnnotationTool = Type.Union([Type.Literal('pen'), Type.Literal('highlighter')]);
export type AnnotationTool = Static<typeof AnnotationTool>;

/**
 * The fixed palette. Names, not CSS colours: the client maps each to a colour that reads on
 * a white page, and a free colour string could not smuggle anything into an SVG attribute.
 */
export const ANNOTATION_COLOURS = ['red', 'blue', 'green', 'yellow', 'black'] as const;
/** One colour of the palette. */
export const AnnotationColour = Type.Union(ANNOTATION_COLOURS.map((c) => Type.Literal(c)));
export type AnnotationColour = (typeof ANNOTATION_COLOURS)[number];

/** Which page of which presentation something is about (pages count from 1). */
export const AnnotationPage = {
  presentationId: Id,
  page: Type.Integer({ minimum: 1, maximum: 100_000 }),
};

/**
 * A stroke as the client draws it: its own id (so it can undo it before the answer comes),
 * tool, colour, width and points as a flat list `[x0, y0, x1, y1, …]` (an even count; one
 * point is a dot).
 */
export const AnnotationStrokeInput = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
    tool: AnnotationTool,
    colour: AnnotationColour,
    width: Type.Integer({ minimum: ANNOTATION_WIDTH.min, maximum: ANNOTATION_WIDTH.max }),
    points: Type.Array(Type.Integer({ minimum: 0, maximum: ANNOTATION_SCALE }), {
      minItems: 2,
      maxItems: 2 * MAX_ANNOTATION_POINTS,
    }),
  },
  { additionalProperties: false },
);
export type AnnotationStrokeInput = Static<typeof AnnotationStrokeInput>;

/** A stored stroke: what the client sent, with who drew it and when (set by the server). */
export const AnnotationStroke = Type.Object({
  ...AnnotationStrokeInput.properties,
  authorId: Id,
  createdAt: Type.String({ maxLength: 40 }),
});
export type AnnotationStroke = Static<typeof AnnotationStroke>;
