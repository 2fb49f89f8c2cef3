/*
 * The index's grid: 0.01° cells (about 1.1 km), numbered row by row from the south-west, so the
 * cells of one row between two longitudes are one range of keys. Keys are not stored: trips are
 * kept sorted by key and a binary search computes the key of the trip it probes.
 */

/** Cells per degree. */
export const K = 100;
export const COLS = 360 * K;
export const ROWS = 180 * K;
/** Longest distance between two points of one cell, in km (a 0.01° square at the equator). */
export const CELL_DIAGONAL_KM = 1.6;

export const rowOf = (lat: number): number => {
  const r = Math.floor((lat + 90) * K);
  return r < 0 ? 0 : r >= ROWS ? ROWS - 1 : r;
};
export const colOf = (lon: number): number => {
  const c = Math.floor((lon + 180) * K);
  return c < 0 ? 0 : c >= COLS ? COLS - 1 : c;
};
export const keyOf = (lat: number, lon: number): number => rowOf(lat) * COLS + colOf(lon);

/** South and north edges of a row, west edge of a column. */
export const rowSouth = (row: number): number => row / K - 90;
export const rowNorth = (row: number): number => (row + 1) / K - 90;
export const colWest = (col: number): number => col / K - 180;

/** First index in [lo, hi) whose key (from lat/lon) is >= key. */
export function lowerBound(
  lat: Float64Array,
  lon: Float64Array,
  lo: number,
  hi: number,
  key: number,
): number {
  let a = lo;
  let b = hi;
  while (a < b) {
    const m = (a + b) >>> 1;
    if (keyOf(lat[m] as number, lon[m] as number) < key) a = m + 1;
    else b = m;
  }
  return a;
}

/**
 * Stable LSD radix sort of `order` (indexes) by 32-bit unsigned `keys[order[i]]`, 16 bits a pass.
 * Returns the sorted order (a new array or the scratch one).
 */
export function radixSortBy(order: Uint32Array, keys: Uint32Array): Uint32Array {
  let src: Uint32Array = order;
  let dst: Uint32Array = new Uint32Array(order.length);
  const counts = new Uint32Array(65_537);
  for (const shift of [0, 16]) {
    counts.fill(0);
    for (let i = 0; i < src.length; i++) {
      const d = ((keys[src[i] as number] as number) >>> shift) & 0xffff;
      counts[d + 1] = (counts[d + 1] as number) + 1;
    }
    for (let d = 0; d < 65_536; d++) counts[d + 1] = (counts[d + 1] as number) + (counts[d] as number);
    for (let i = 0; i < src.length; i++) {
      const s = src[i] as number;
      const d = ((keys[s] as number) >>> shift) & 0xffff;
      const at = counts[d] as number;
      counts[d] = at + 1;
      dst[at] = s;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  return src;
}
