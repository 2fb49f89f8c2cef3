import { inRing, type Ring, ringBoxKm } from './area.ts';
import { COLS, colOf, colWest, K, ROWS, rowNorth, rowOf, rowSouth } from './grid.ts';

/*
 * Which cells of a grid row a shape needs: `accept` column ranges lie wholly inside it (their
 * trips match without a test), `test` ranges may hold points on either side (each trip is tested
 * exactly). Ranges are flat [first, last, first, last, ...] inclusive column numbers.
 */

/** Padding (degrees) so rounding in a cell's bounds can never leave an edge out of `test`. */
const EPS = 1e-9;

export interface RowRanges {
  readonly accept: number[];
  readonly test: number[];
}

/** Row-by-row ranges of a ring: edges bucketed by row, crossings merged, gaps classified. */
export class RingRows {
  readonly row0: number;
  readonly row1: number;
  private readonly buckets: number[][];

  constructor(private readonly ring: Ring) {
    this.row0 = rowOf(ring.minLat - EPS);
    this.row1 = rowOf(ring.maxLat + EPS);
    this.buckets = Array.from({ length: this.row1 - this.row0 + 1 }, () => []);
    const xy = ring.xy;
    for (let i = 0; i + 3 < xy.length; i += 2) {
      const y1 = xy[i + 1] as number;
      const y2 = xy[i + 3] as number;
      const a = rowOf(Math.min(y1, y2) - EPS) - this.row0;
      const b = rowOf(Math.max(y1, y2) + EPS) - this.row0;
      for (let r = Math.max(0, a); r <= Math.min(b, this.buckets.length - 1); r++) this.buckets[r]?.push(i);
    }
  }

  ranges(row: number): RowRanges {
    const accept: number[] = [];
    const test: number[] = [];
    if (row < this.row0 || row > this.row1) return { accept, test };
    const ya = rowSouth(row) - EPS;
    const yb = rowNorth(row) + EPS;
    const xy = this.ring.xy;
    const spans: Array<[number, number]> = [];
    for (const i of this.buckets[row - this.row0] ?? []) {
      const x1 = xy[i] as number;
      const y1 = xy[i + 1] as number;
      const x2 = xy[i + 2] as number;
      const y2 = xy[i + 3] as number;
      if (Math.max(y1, y2) < ya || Math.min(y1, y2) > yb) continue;
      let xa: number;
      let xb: number;
      if (y1 === y2) {
        xa = Math.min(x1, x2);
        xb = Math.max(x1, x2);
      } else {
        const lo = Math.max(ya, Math.min(y1, y2));
        const hi = Math.min(yb, Math.max(y1, y2));
        const at = (y: number) => x1 + ((y - y1) * (x2 - x1)) / (y2 - y1);
        xa = Math.min(at(lo), at(hi), x1 === x2 ? x1 : Number.POSITIVE_INFINITY);
        xb = Math.max(at(lo), at(hi), x1 === x2 ? x1 : Number.NEGATIVE_INFINITY);
      }
      spans.push([colOf(xa - EPS), colOf(xb + EPS)]);
    }
    spans.sort((p, q) => p[0] - q[0]);
    let cur: [number, number] | undefined;
    for (const s of spans) {
      if (cur && s[0] <= cur[1] + 1) cur[1] = Math.max(cur[1], s[1]);
      else {
        if (cur) test.push(cur[0], cur[1]);
        cur = [s[0], s[1]];
      }
    }
    if (cur) test.push(cur[0], cur[1]);
    const midLat = (rowSouth(row) + rowNorth(row)) / 2;
    for (let j = 1; j + 1 < test.length; j += 2) {
      const g0 = (test[j] as number) + 1;
      const g1 = (test[j + 1] as number) - 1;
      if (g0 > g1) continue;
      if (inRing(this.ring, colWest(g0) + (g1 + 1 - g0) / (2 * K), midLat)) accept.push(g0, g1);
    }
    return { accept, test };
  }
}

/** Column ranges of [w, e] (degrees, may run past ±180), as one or two ranges. */
export function lonRanges(w: number, e: number): number[] {
  if (e - w >= 360) return [0, COLS - 1];
  if (w < -180) return [colOf(w + 360 - EPS), COLS - 1, 0, colOf(e + EPS)];
  if (e > 180) return [colOf(w - EPS), COLS - 1, 0, colOf(e - 360 + EPS)];
  return [colOf(w - EPS), colOf(e + EPS)];
}

/** `ranges` minus `cut` (both flat inclusive, `cut` sorted and disjoint). */
export function subtract(ranges: readonly number[], cut: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < ranges.length; i += 2) {
    let a = ranges[i] as number;
    const b = ranges[i + 1] as number;
    for (let j = 0; j < cut.length && a <= b; j += 2) {
      const c0 = cut[j] as number;
      const c1 = cut[j + 1] as number;
      if (c1 < a || c0 > b) continue;
      if (c0 > a) out.push(a, c0 - 1);
      a = c1 + 1;
    }
    if (a <= b) out.push(a, b);
  }
  return out;
}

/** Rows and longitude box of the places near a ring (within km). */
export function ringBoxRows(r: Ring, km: number): { row0: number; row1: number; cols: number[] } {
  const [w, s, e, n] = ringBoxKm(r, km);
  return { row0: rowOf(s - EPS), row1: rowOf(n + EPS), cols: lonRanges(w, e) };
}

const EARTH_RADIUS_KM = 6371.0088;
const KM_PER_DEG = (EARTH_RADIUS_KM * Math.PI) / 180;

/** Rows and longitude ranges holding every point within km of a centre (a spherical cap). */
export function capBox(lat: number, lon: number, km: number): { row0: number; row1: number; cols: number[] } {
  const dLat = km / KM_PER_DEG + EPS;
  const s = lat - dLat;
  const n = lat + dLat;
  const row0 = rowOf(s);
  const row1 = rowOf(n);
  if (s <= -90 || n >= 90) return { row0, row1, cols: [0, COLS - 1] };
  const ratio = Math.sin(km / EARTH_RADIUS_KM) / Math.cos((lat * Math.PI) / 180);
  if (ratio >= 1) return { row0, row1, cols: [0, COLS - 1] };
  const dLon = (Math.asin(ratio) * 180) / Math.PI;
  const pad = dLon * 1e-9 + EPS;
  return {
    row0: Math.max(0, row0),
    row1: Math.min(ROWS - 1, row1),
    cols: lonRanges(lon - dLon - pad, lon + dLon + pad),
  };
}
