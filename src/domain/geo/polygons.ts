import type * as GeoJSON from 'geojson';
import type { ArcPolygons, GeoData } from './data-file.ts';
import type { AreaGeometry, BBox } from './types.ts';

/**
 * One polygon (outer ring plus holes) with its rings laid out back to back as
 * lon/lat pairs. Typed arrays keep a million vertices at ~16 MB instead of the
 * ~100 MB that nested GeoJSON arrays would cost.
 */
export interface Part {
  xy: Float64Array;
  /** Exclusive end (in points) of each ring; every ring is closed. */
  ringEnds: Uint32Array;
  bbox: BBox;
}

/** Resolves arc references into closed rings, one Part per polygon. */
export function buildParts(data: GeoData, polygons: ArcPolygons): Part[] {
  return polygons.map((rings) => {
    let points = 0;
    for (const ring of rings) points += ringLength(data, ring);
    const xy = new Float64Array(2 * points);
    const ringEnds = new Uint32Array(rings.length);
    let o = 0;
    rings.forEach((ring, r) => {
      ring.forEach((ref, k) => {
        const arc = ref < 0 ? ~ref : ref;
        const start = data.arcStart[arc] as number;
        const end = data.arcStart[arc + 1] as number;
        // Consecutive arcs share their junction point: write it once.
        const skip = k === 0 ? 0 : 1;
        if (ref >= 0) {
          xy.set(data.coords.subarray(2 * (start + skip), 2 * end), 2 * o);
          o += end - start - skip;
        } else {
          for (let i = end - 1 - skip; i >= start; i--) {
            xy[2 * o] = data.coords[2 * i] as number;
            xy[2 * o + 1] = data.coords[2 * i + 1] as number;
            o++;
          }
        }
      });
      ringEnds[r] = o;
    });
    return { xy, ringEnds, bbox: bboxOf(xy, ringEnds[0] ?? 0) };
  });
}

function ringLength(data: GeoData, ring: number[]): number {
  let n = 0;
  for (const ref of ring) {
    const arc = ref < 0 ? ~ref : ref;
    n += (data.arcStart[arc + 1] as number) - (data.arcStart[arc] as number) - 1;
  }
  return n + 1;
}

/** Bounding box of the first `points` points (the outer ring contains the holes). */
function bboxOf(xy: Float64Array, points: number): BBox {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < 2 * points; i += 2) {
    const x = xy[i] as number;
    const y = xy[i + 1] as number;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return [minX, minY, maxX, maxY];
}

export function unionBBox(boxes: BBox[]): BBox {
  const out: BBox = [
    Number.POSITIVE_INFINITY,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
  ];
  for (const b of boxes) {
    out[0] = Math.min(out[0], b[0]);
    out[1] = Math.min(out[1], b[1]);
    out[2] = Math.max(out[2], b[2]);
    out[3] = Math.max(out[3], b[3]);
  }
  return out;
}

/** Fresh GeoJSON for the parts: Polygon for one part, MultiPolygon otherwise. */
export function partsToGeometry(parts: Part[]): AreaGeometry {
  const polygons = parts.map((part) => {
    const rings: GeoJSON.Position[][] = [];
    let start = 0;
    for (const end of part.ringEnds) {
      const ring: GeoJSON.Position[] = [];
      for (let i = start; i < end; i++) ring.push([part.xy[2 * i] as number, part.xy[2 * i + 1] as number]);
      rings.push(ring);
      start = end;
    }
    return rings;
  });
  if (polygons.length === 1 && polygons[0]) return { type: 'Polygon', coordinates: polygons[0] };
  return { type: 'MultiPolygon', coordinates: polygons };
}
