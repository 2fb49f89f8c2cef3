import type * as GeoJSON from 'geojson';
import { Found, Sweep } from './polygon-sweep.ts';
import type { AreaGeometry } from './types.ts';

/**
 * Self-intersection check of a Polygon or MultiPolygon in O(n log n): a Shamos–Hoey sweep (stop at
 * the first contact) over all rings of the geometry, with exact orientation tests
 * (robust-predicates), so nearly-parallel edges are never misjudged by rounding.
 *
 * What counts, as in @turf/kinks (which compares every pair of edges, O(n²)): two edges of any rings
 * of the geometry (across the polygons of a MultiPolygon too) that cross or touch, other than two
 * consecutive edges of a ring meeting at their shared position. Stricter than kinks: an edge that
 * folds back along its neighbour (a spike), collinear overlaps and a ring that touches itself at a
 * position are reported too; like kinks, repeated consecutive positions are ignored. Rings are taken
 * as closed (the closing position is not an edge of its own).
 *
 * Drop-in for `kinks(g).features`: `selfIntersections(g)` has the same shape (a FeatureCollection of
 * Points, [lon, lat]), holding at most the first contact found (its properties say which edges);
 * kinks lists every crossing, but a caller refusing the geometry needs only one.
 */

/** An edge: the polygon (0 for a Polygon), ring, and index in the ring of its first position. */
export interface SegmentRef {
  readonly polygon: number;
  readonly ring: number;
  readonly vertex: number;
}

export type CrossingKind = 'cross' | 'touch' | 'overlap';

export interface Crossing {
  readonly kind: CrossingKind;
  /** [lon, lat] of the contact: the crossing point, or the position lying on the other edge. */
  readonly point: [number, number];
  readonly a: SegmentRef;
  readonly b: SegmentRef;
}

export function findSelfIntersection(g: AreaGeometry): Crossing | null {
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  try {
    const s = new Sweep(polygons);
    s.prepass();
    s.run();
    return null;
  } catch (e) {
    if (e instanceof Found) return e.crossing;
    throw e;
  }
}

export function selfIntersections(
  g: AreaGeometry,
): GeoJSON.FeatureCollection<GeoJSON.Point, { kind: CrossingKind; a: SegmentRef; b: SegmentRef }> {
  const c = findSelfIntersection(g);
  return {
    type: 'FeatureCollection',
    features: c
      ? [
          {
            type: 'Feature',
            geometry: { type: 'Point', coordinates: c.point },
            properties: { kind: c.kind, a: c.a, b: c.b },
          },
        ]
      : [],
  };
}
