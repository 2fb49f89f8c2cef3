import type { Part } from './polygons.ts';

const COLS = 360;
const ROWS = 180;
// Parts with fewer points are ray-cast edge by edge; bigger ones (a Siberian
// republic has ~10k) get horizontal bands so a query only visits the edges
// crossing its latitude, keeping worst-case lookups in the low microseconds.
const BAND_MIN_POINTS = 64;
const POINTS_PER_BAND = 8;
const MAX_BANDS = 512;
const KM_PER_DEGREE = 111.2;

interface Bands {
  minY: number;
  height: number;
  count: number;
  /** CSR: edges of band b are edges[offsets[b]..offsets[b + 1]]. */
  offsets: Uint32Array;
  /** Edge = index of its first point in Part.xy. */
  edges: Uint32Array;
}

/**
 * Point-in-polygon index: a 1-degree grid over part bounding boxes, then an
 * exact even-odd ray cast against the stored rings.
 */
export class PartIndex<T> {
  private readonly parts: Part[];
  private readonly values: T[];
  // Built on a part's first query: most parts are never asked about.
  private readonly bands: Array<Bands | null | undefined>;
  private readonly cellStart: Uint32Array;
  private readonly cellParts: Uint32Array;

  constructor(items: Array<{ part: Part; value: T }>) {
    this.parts = items.map((i) => i.part);
    this.values = items.map((i) => i.value);
    this.bands = new Array(this.parts.length);
    const counts = new Uint32Array(COLS * ROWS + 1);
    for (const p of this.parts) forEachCell(p, (c) => void increment(counts, c + 1));
    for (let c = 0; c < COLS * ROWS; c++) counts[c + 1] = (counts[c + 1] as number) + (counts[c] as number);
    this.cellStart = counts.slice();
    this.cellParts = new Uint32Array(counts[COLS * ROWS] as number);
    this.parts.forEach((p, i) => {
      forEachCell(p, (c) => {
        this.cellParts[increment(counts, c) - 1] = i;
      });
    });
  }

  private bandsOf(i: number): Bands | null {
    let b = this.bands[i];
    if (b === undefined) {
      b = buildBands(this.parts[i] as Part);
      this.bands[i] = b;
    }
    return b;
  }

  query(lon: number, lat: number): T | undefined {
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) return undefined;
    const c = cellOf(lon, lat);
    for (let k = this.cellStart[c] as number, end = this.cellStart[c + 1] as number; k < end; k++) {
      const i = this.cellParts[k] as number;
      const part = this.parts[i] as Part;
      // Indexed, not destructured: destructuring allocated ~200 bytes a query.
      const bbox = part.bbox;
      if (lon < bbox[0] || lon > bbox[2] || lat < bbox[1] || lat > bbox[3]) continue;
      const bands = this.bandsOf(i);
      if (bands ? insideBanded(part, bands, lon, lat) : insideAll(part, lon, lat)) return this.values[i];
    }
    return undefined;
  }

  /**
   * The value whose boundary passes closest to the point, if within maxKm.
   * Distances use a local equirectangular projection: fine at a few km.
   */
  nearest(lon: number, lat: number, maxKm: number): T | undefined {
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || !(maxKm > 0)) return undefined;
    const kx = KM_PER_DEGREE * Math.max(0.01, Math.cos((lat * Math.PI) / 180));
    const ky = KM_PER_DEGREE;
    const rx = maxKm / kx;
    const ry = maxKm / ky;
    let best: number | undefined;
    let bestD2 = maxKm * maxKm;
    const seen = new Set<number>();
    const c0 = cellOf(lon - rx, lat - ry);
    const c1 = cellOf(lon + rx, lat + ry);
    for (let row = Math.floor(c0 / COLS); row <= Math.floor(c1 / COLS); row++) {
      for (let col = c0 % COLS; col <= c1 % COLS; col++) {
        const c = row * COLS + col;
        for (let k = this.cellStart[c] as number, end = this.cellStart[c + 1] as number; k < end; k++) {
          const i = this.cellParts[k] as number;
          if (seen.has(i)) continue;
          seen.add(i);
          const part = this.parts[i] as Part;
          const [minX, minY, maxX, maxY] = part.bbox;
          if (lon < minX - rx || lon > maxX + rx || lat < minY - ry || lat > maxY + ry) continue;
          const xy = part.xy;
          const visit = (j: number) => {
            const d2 = segmentDistance2(
              0,
              0,
              ((xy[2 * j] as number) - lon) * kx,
              ((xy[2 * j + 1] as number) - lat) * ky,
              ((xy[2 * j + 2] as number) - lon) * kx,
              ((xy[2 * j + 3] as number) - lat) * ky,
            );
            if (d2 < bestD2) {
              bestD2 = d2;
              best = i;
            }
          };
          const bands = this.bandsOf(i);
          if (!bands) forEachEdge(part, visit);
          else {
            const b0 = Math.max(0, Math.floor((lat - ry - bands.minY) / bands.height));
            const b1 = Math.min(bands.count - 1, Math.floor((lat + ry - bands.minY) / bands.height));
            for (
              let k2 = bands.offsets[b0] as number, end2 = bands.offsets[b1 + 1] as number;
              k2 < end2;
              k2++
            ) {
              visit(bands.edges[k2] as number);
            }
          }
        }
      }
    }
    return best === undefined ? undefined : this.values[best];
  }
}

/** Adds one to a[i] and returns the new value. */
function increment(a: Uint32Array, i: number): number {
  const v = (a[i] ?? 0) + 1;
  a[i] = v;
  return v;
}

/** Squared distance from (px, py) to segment (x1, y1)-(x2, y2), in the caller's plane. */
function segmentDistance2(px: number, py: number, x1: number, y1: number, x2: number, y2: number): number {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / len2));
  const ex = x1 + t * dx - px;
  const ey = y1 + t * dy - py;
  return ex * ex + ey * ey;
}

function cellOf(lon: number, lat: number): number {
  const col = Math.min(COLS - 1, Math.max(0, Math.floor(lon + 180)));
  const row = Math.min(ROWS - 1, Math.max(0, Math.floor(lat + 90)));
  return row * COLS + col;
}

function forEachCell(part: Part, fn: (cell: number) => void): void {
  const [minX, minY, maxX, maxY] = part.bbox;
  const c0 = cellOf(minX, minY);
  const c1 = cellOf(maxX, maxY);
  for (let row = Math.floor(c0 / COLS); row <= Math.floor(c1 / COLS); row++) {
    for (let col = c0 % COLS; col <= c1 % COLS; col++) fn(row * COLS + col);
  }
}

/** Calls fn with the first point index of every edge (edges never span two rings). */
function forEachEdge(part: Part, fn: (j: number) => void): void {
  let start = 0;
  for (const end of part.ringEnds) {
    for (let j = start; j < end - 1; j++) fn(j);
    start = end;
  }
}

function crosses(xy: Float64Array, j: number, x: number, y: number): boolean {
  const x1 = xy[2 * j] as number;
  const y1 = xy[2 * j + 1] as number;
  const x2 = xy[2 * j + 2] as number;
  const y2 = xy[2 * j + 3] as number;
  return y1 > y !== y2 > y && x < ((x2 - x1) * (y - y1)) / (y2 - y1) + x1;
}

function insideAll(part: Part, x: number, y: number): boolean {
  let inside = false;
  let start = 0;
  for (const end of part.ringEnds) {
    for (let j = start; j < end - 1; j++) if (crosses(part.xy, j, x, y)) inside = !inside;
    start = end;
  }
  return inside;
}

function insideBanded(part: Part, b: Bands, x: number, y: number): boolean {
  const band = Math.min(b.count - 1, Math.max(0, Math.floor((y - b.minY) / b.height)));
  let inside = false;
  for (let k = b.offsets[band] as number, end = b.offsets[band + 1] as number; k < end; k++) {
    if (crosses(part.xy, b.edges[k] as number, x, y)) inside = !inside;
  }
  return inside;
}

function buildBands(part: Part): Bands | null {
  const xy = part.xy;
  const points = xy.length / 2;
  const [, minY, , maxY] = part.bbox;
  if (points < BAND_MIN_POINTS || maxY <= minY) return null;
  const count = Math.min(MAX_BANDS, Math.ceil(points / POINTS_PER_BAND));
  const height = (maxY - minY) / count;
  const offsets = new Uint32Array(count + 1);
  // Two passes over the same edges: count per band, then fill (CSR layout).
  for (let pass = 0; pass < 2; pass++) {
    const fill = pass === 0 ? offsets : offsets.slice();
    const edges = pass === 0 ? new Uint32Array(0) : new Uint32Array(offsets[count] as number);
    let start = 0;
    for (const end of part.ringEnds) {
      for (let j = start; j < end - 1; j++) {
        const y1 = xy[2 * j + 1] as number;
        const y2 = xy[2 * j + 3] as number;
        const b0 = Math.min(count - 1, Math.max(0, Math.floor((Math.min(y1, y2) - minY) / height)));
        const b1 = Math.min(count - 1, Math.max(0, Math.floor((Math.max(y1, y2) - minY) / height)));
        for (let b = b0; b <= b1; b++) {
          if (pass === 0) increment(offsets, b + 1);
          else edges[increment(fill, b) - 1] = j;
        }
      }
      start = end;
    }
    if (pass === 0) {
      for (let b = 0; b < count; b++) offsets[b + 1] = (offsets[b + 1] as number) + (offsets[b] as number);
    } else {
      return { minY, height, count, offsets, edges };
    }
  }
  return null;
}
