import { useLayoutEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';

const GAP = 12;
/**
 * Tiles take the shape of their cell within bounds (video is cropped to fill): never wider
 * than 16:9, and never narrower than 4:3 on a landscape stage or 3:4 on a portrait one, so
 * faces at the edge of a picture are not cut off on a desktop.
 */
const WIDEST = 16 / 9;
const NARROWEST_LANDSCAPE = 4 / 3;
const NARROWEST_PORTRAIT = 3 / 4;
const MAX_COLUMNS = 6;
const MAX_ROWS = 8;
/** Below this tile size the grid scrolls instead of shrinking further. */
const MIN_TILE_WIDTH = 160;
const MIN_TILE_HEIGHT = 100;

/** The size of one tile in a cell: the cell's shape, clamped to the allowed aspect ratios. */
export function tileSize(
  cellW: number,
  cellH: number,
  portrait: boolean,
): { width: number; height: number } {
  const narrowest = portrait ? NARROWEST_PORTRAIT : NARROWEST_LANDSCAPE;
  const width = Math.min(cellW, cellH * WIDEST);
  const height = Math.min(cellH, width / narrowest);
  return { width, height };
}

/**
 * The column count that gives n tiles the largest area in a width × height stage. Scoring
 * by area (not width at a fixed 16:9) lets a phone in portrait use two columns of near
 * square tiles instead of one column of thin strips.
 */
export function bestColumns(
  n: number,
  width: number,
  height: number,
): { cols: number; scroll: boolean; portrait: boolean } {
  const portrait = height > width;
  let best = { cols: 1, area: 0, width: 0, height: 0 };
  for (let cols = 1; cols <= Math.min(n, MAX_COLUMNS); cols++) {
    const rows = Math.ceil(n / cols);
    const tile = tileSize(
      (width - (cols - 1) * GAP) / cols,
      (height - (rows - 1) * GAP) / rows,
      height > width,
    );
    const area = tile.width * tile.height;
    if (area > best.area) best = { cols, area, ...tile };
  }
  const fits =
    best.width >= MIN_TILE_WIDTH &&
    best.height >= MIN_TILE_HEIGHT &&
    Math.ceil(n / best.cols) <= MAX_ROWS;
  if (fits || n <= 1) return { cols: best.cols, scroll: false, portrait };
  const cols = Math.max(
    1,
    Math.min(MAX_COLUMNS, Math.floor((width + GAP) / (MIN_TILE_WIDTH + GAP))),
  );
  return { cols, scroll: true, portrait };
}

/**
 * The "Video grid" region: lays tiles out in the column count that gives the largest
 * tiles for the stage's current size; very full meetings scroll instead of shrinking
 * tiles into stamps (tiles scrolled away stop receiving video).
 */
export function VideoGrid({
  label,
  children,
  count,
}: {
  label: string;
  children: ReactNode;
  count: number;
}) {
  const ref = useRef<HTMLElement>(null);
  const [layout, setLayout] = useState({ cols: 1, scroll: false, portrait: false });

  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => {
      const next = bestColumns(
        count,
        element.clientWidth - 2 * GAP,
        element.clientHeight - 2 * GAP,
      );
      setLayout((current) =>
        current.cols === next.cols &&
        current.scroll === next.scroll &&
        current.portrait === next.portrait
          ? current
          : next,
      );
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => {
      observer.disconnect();
    };
  }, [count]);

  const rows = Math.ceil(count / layout.cols);
  const classes = [
    'grid',
    `grid--cols-${layout.cols}`,
    layout.portrait ? 'grid--portrait' : 'grid--landscape',
    layout.scroll ? 'grid--scroll' : `grid--rows-${Math.min(rows, MAX_ROWS)}`,
  ].join(' ');
  return (
    <section ref={ref} className={classes} aria-label={label}>
      {children}
    </section>
  );
}
