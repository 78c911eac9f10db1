import { useEffect, useRef, useState, useSyncExternalStore, type RefObject } from 'react';
import {
  ANNOTATION_SCALE,
  MAX_ANNOTATION_POINTS,
  type AnnotationColour,
  type AnnotationStroke,
  type AnnotationStrokeInput,
  type AnnotationTool,
} from '@konvent/protocol';
import { useI18n } from '../../i18n/I18n.tsx';
import type { AnnotationStore } from '../../media/AnnotationStore.ts';

/** How each palette colour is drawn: dark enough to read on white, the yellow for marking. */
export const ANNOTATION_CSS_COLOURS: Record<AnnotationColour, string> = {
  red: '#d32f2f',
  blue: '#1a5fd1',
  green: '#2e8b3d',
  yellow: '#f2c200',
  black: '#1b1b1b',
};

/** Stroke widths per tool, in thousandths of the page's width. */
export const TOOL_WIDTHS: Record<AnnotationTool, number> = { pen: 4, highlighter: 22 };

/** A new point is kept only this far (in page units) from the last: fewer points, same line. */
const MIN_STEP = 12;

/** The pen a person holds: a tool and a colour, or none (the page takes no strokes then). */
export interface Pen {
  tool: AnnotationTool;
  colour: AnnotationColour;
}

/** The canvas's box inside the page area, in CSS pixels. */
interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * The strokes of the shown page, drawn as SVG exactly over the PDF canvas. Points are in
 * page units (0…`ANNOTATION_SCALE`), so strokes stay on their spot at any size. With a
 * `pen`, pointer input (mouse, touch, stylus) draws a stroke, shown at once and sent when
 * the pointer lifts (a very long stroke is sent in pieces). Without one, the layer lets
 * every pointer event through.
 */
export function AnnotationLayer({
  store,
  canvasRef,
  pen,
  idPrefix,
}: {
  store: AnnotationStore;
  canvasRef: RefObject<HTMLCanvasElement | null>;
  pen: Pen | null;
  /** Makes stroke ids unique per browser (ids are chosen here, before the server answers). */
  idPrefix: string;
}) {
  const { t } = useI18n();
  const { page, strokes } = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const [box, setBox] = useState<Box | null>(null);
  const [drawing, setDrawing] = useState<number[] | null>(null);
  const points = useRef<number[]>([]);
  /** The pointer drawing now: a second finger neither starts nor bends the stroke. */
  const pointer = useRef<number | null>(null);
  const counter = useRef(0);

  useEffect(() => {
    const canvas = canvasRef.current;
    const area = canvas?.parentElement;
    if (!canvas || !area) return;
    const measure = () => {
      setBox({
        left: canvas.offsetLeft,
        top: canvas.offsetTop,
        width: canvas.offsetWidth,
        height: canvas.offsetHeight,
      });
    };
    // The canvas moves when the area changes shape, and resizes when a page is drawn.
    const observer = new ResizeObserver(measure);
    observer.observe(canvas);
    observer.observe(area);
    measure();
    return () => {
      observer.disconnect();
    };
  }, [canvasRef]);

  if (page === null || box === null || box.width === 0) return null;

  const toPage = (event: React.PointerEvent<SVGSVGElement>): [number, number] => {
    const rect = event.currentTarget.getBoundingClientRect();
    const clamp = (v: number) => Math.min(ANNOTATION_SCALE, Math.max(0, Math.round(v)));
    return [
      clamp(((event.clientX - rect.left) / rect.width) * ANNOTATION_SCALE),
      clamp(((event.clientY - rect.top) / rect.height) * ANNOTATION_SCALE),
    ];
  };
  const send = (list: number[]) => {
    if (pen === null || list.length < 2) return;
    counter.current += 1;
    const stroke: AnnotationStrokeInput = {
      id: `${idPrefix}-${Date.now().toString(36)}-${String(counter.current)}`,
      tool: pen.tool,
      colour: pen.colour,
      width: TOOL_WIDTHS[pen.tool],
      points: list,
    };
    store.add(stroke);
  };
  const drawingProps =
    pen === null
      ? {}
      : {
          onPointerDown: (event: React.PointerEvent<SVGSVGElement>) => {
            if (event.button !== 0 || pointer.current !== null) return;
            pointer.current = event.pointerId;
            event.currentTarget.setPointerCapture(event.pointerId);
            points.current = toPage(event);
            setDrawing(points.current);
          },
          onPointerMove: (event: React.PointerEvent<SVGSVGElement>) => {
            if (event.pointerId !== pointer.current) return;
            const [x, y] = toPage(event);
            const list = points.current;
            const dx = x - (list.at(-2) ?? x);
            const dy = y - (list.at(-1) ?? y);
            if (dx * dx + dy * dy < MIN_STEP * MIN_STEP) return;
            list.push(x, y);
            if (list.length >= 2 * MAX_ANNOTATION_POINTS) {
              // The server's bound: send this piece and go on from its last point.
              send(list);
              points.current = [x, y];
            }
            setDrawing([...points.current]);
          },
          onPointerUp: (event: React.PointerEvent<SVGSVGElement>) => {
            if (event.pointerId !== pointer.current) return;
            send(points.current);
            points.current = [];
            pointer.current = null;
            setDrawing(null);
          },
          onPointerCancel: (event: React.PointerEvent<SVGSVGElement>) => {
            if (event.pointerId !== pointer.current) return;
            points.current = [];
            pointer.current = null;
            setDrawing(null);
          },
        };

  const scaleX = box.width / ANNOTATION_SCALE;
  const scaleY = box.height / ANNOTATION_SCALE;
  const path = (list: readonly number[]) => {
    let d = '';
    for (let i = 0; i + 1 < list.length; i += 2) {
      const x = ((list[i] ?? 0) * scaleX).toFixed(1);
      const y = ((list[i + 1] ?? 0) * scaleY).toFixed(1);
      d += `${i === 0 ? 'M' : 'L'}${x} ${y}`;
    }
    // One point is a dot: a zero-length segment with round caps.
    return list.length === 2 ? `${d}L${d.slice(1)}` : d;
  };
  const line = (s: Pick<AnnotationStroke, 'tool' | 'colour' | 'width' | 'points'>) => ({
    d: path(s.points),
    stroke: ANNOTATION_CSS_COLOURS[s.colour],
    strokeWidth: Math.max(1, (s.width * box.width) / 1000),
    className: `annotations__stroke annotations__stroke--${s.tool}`,
  });

  return (
    <svg
      className={pen === null ? 'annotations' : 'annotations annotations--drawing'}
      style={{ left: box.left, top: box.top, width: box.width, height: box.height }}
      viewBox={`0 0 ${String(box.width)} ${String(box.height)}`}
      role="img"
      aria-label={t('annotation.layer')}
      data-strokes={String(strokes.length)}
      {...drawingProps}
    >
      {strokes.map((s) => (
        <path key={s.id} data-stroke={s.id} {...line(s)} />
      ))}
      {drawing !== null && pen !== null && (
        <path {...line({ ...pen, width: TOOL_WIDTHS[pen.tool], points: drawing })} />
      )}
    </svg>
  );
}
