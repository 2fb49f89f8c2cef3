import type { BBox } from '../geo/types.ts';

/**
 * The map grid: 1-degree cells numbered row by row from (-90, -180), stored with each incident
 * (`incidents.cell`) and indexed with its time, so a viewport query reads only the incidents of
 * the cells it touches instead of whole countries. Migration 0007 computes the same numbers in
 * SQL: keep the two in step.
 */
export const CELL_COLUMNS = 360;

/** Cells of a point. Latitude 90 and longitude 180 fall in the last row and column. */
export function cellOf(lat: number, lon: number): number {
  const row = Math.min(179, Math.floor(lat) + 90);
  const col = Math.min(359, Math.floor(lon) + 180);
  return row * CELL_COLUMNS + col;
}

/**
 * Runs of consecutive cell numbers covering the box, as [first, last] pairs (one per row, two
 * when the box crosses the antimeridian); null when the box spans more than `maxCells` cells, as
 * a whole region or the world does, where scanning by time alone is cheaper.
 */
export function cellRanges(box: BBox, maxCells: number): Array<[number, number]> | null {
  const [w, s, e, n] = box;
  const r0 = Math.min(179, Math.floor(s) + 90);
  const r1 = Math.min(179, Math.floor(n) + 90);
  const c0 = Math.min(359, Math.floor(w) + 180);
  const c1 = Math.min(359, Math.floor(e) + 180);
  const spans: Array<[number, number]> =
    w <= e
      ? [[c0, c1]]
      : [
          [c0, 359],
          [0, c1],
        ];
  const perRow = spans.reduce((sum, [a, b]) => sum + b - a + 1, 0);
  if (perRow * (r1 - r0 + 1) > maxCells) return null;
  const out: Array<[number, number]> = [];
  for (let r = r0; r <= r1; r++) {
    for (const [a, b] of spans) out.push([r * CELL_COLUMNS + a, r * CELL_COLUMNS + b]);
  }
  return out;
}

/** Every cell of those runs. */
export const cellsOf = (ranges: ReadonlyArray<readonly [number, number]>): number[] =>
  ranges.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => a + i));
