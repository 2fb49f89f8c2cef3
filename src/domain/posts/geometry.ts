import turfArea from '@turf/area';
import turfDifference from '@turf/difference';
import { featureCollection, feature as turfFeature } from '@turf/helpers';
import turfIntersect from '@turf/intersect';
import turfUnion from '@turf/union';
import type * as GeoJSON from 'geojson';
import { WardenError } from '../errors.ts';
import { countPositions, GEOMETRY_LIMITS } from '../geo/limits.ts';
import { findSelfIntersection } from '../geo/simple-polygon.ts';
import type { AreaGeometry, BBox } from '../geo/types.ts';

/** Overlaps and gaps smaller than this are slivers of simplified borders, not real conflicts. */
export const AREA_TOLERANCE_KM2 = 1;

/** Positions per district (and per restriction, checked as a district): see GEOMETRY_LIMITS. */
export const MAX_POSITIONS = Math.max(
  GEOMETRY_LIMITS.districtPositions,
  GEOMETRY_LIMITS.restrictionPositions,
);

export type GeometryProblem =
  | 'unclosed_ring'
  | 'self_intersection'
  | 'out_of_range'
  | 'too_few_points'
  | 'too_many_positions'
  | 'outside_country';

function invalid(reason: GeometryProblem, at: string, extra: Record<string, unknown> = {}): WardenError {
  const messages: Record<GeometryProblem, string> = {
    unclosed_ring: 'A ring must end where it starts.',
    self_intersection: 'The polygon crosses itself.',
    out_of_range: 'Coordinates are [longitude, latitude] with longitude -180..180 and latitude -90..90.',
    too_few_points: 'A ring needs at least 4 positions (3 corners and the closing point).',
    too_many_positions: `A drawn area may have at most ${MAX_POSITIONS} positions; simplify it.`,
    outside_country: "The polygon lies nowhere near the post's country; were longitude and latitude swapped?",
  };
  return new WardenError('invalid_geometry', messages[reason], { reason, at, ...extra });
}

const samePosition = (a: GeoJSON.Position | undefined, b: GeoJSON.Position | undefined) =>
  !!a && !!b && a[0] === b[0] && a[1] === b[1];

/**
 * Checks a Polygon/MultiPolygon beyond its JSON shape: closed rings of >= 4 positions, coordinates
 * in range, no self-intersection. `at` is the JSON pointer of the geometry in the request body, so
 * the error names the exact ring or position. Optionally the polygon must touch `within` (a bbox).
 */
export function validateAreaGeometry(g: AreaGeometry, at: string, within?: BBox): void {
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  const prefix = `${at}/coordinates`;
  if (polygons.length === 0) throw invalid('too_few_points', prefix);
  const positions = countPositions(g);
  if (positions > MAX_POSITIONS)
    throw invalid('too_many_positions', prefix, { positions, max: MAX_POSITIONS });
  polygons.forEach((rings, p) => {
    const pAt = g.type === 'Polygon' ? prefix : `${prefix}/${p}`;
    if (rings.length === 0) throw invalid('too_few_points', pAt);
    rings.forEach((ring, r) => {
      const rAt = `${pAt}/${r}`;
      ring.forEach((pos, i) => {
        const [lon, lat] = pos;
        if (
          !(lon !== undefined && lon >= -180 && lon <= 180 && lat !== undefined && lat >= -90 && lat <= 90)
        ) {
          throw invalid('out_of_range', `${rAt}/${i}`, { position: pos });
        }
      });
      if (ring.length < 4) throw invalid('too_few_points', rAt);
      if (!samePosition(ring[0], ring[ring.length - 1])) throw invalid('unclosed_ring', rAt);
    });
    // O(n log n) sweep (src/domain/geo/simple-polygon.ts) over the rings of this part.
    const crossing = findSelfIntersection({ type: 'Polygon', coordinates: rings });
    if (crossing) throw invalid('self_intersection', pAt, { point: crossing.point, kind: crossing.kind });
  });
  if (within && !bboxesIntersect(bboxOf(g), within)) throw invalid('outside_country', at);
}

export function bboxOf(g: AreaGeometry): BBox {
  const b: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  for (const rings of polygons) {
    for (const [x, y] of rings[0] ?? []) {
      if (x === undefined || y === undefined) continue;
      if (x < b[0]) b[0] = x;
      if (y < b[1]) b[1] = y;
      if (x > b[2]) b[2] = x;
      if (y > b[3]) b[3] = y;
    }
  }
  return b;
}

export const bboxesIntersect = (a: BBox, b: BBox): boolean =>
  a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

export const expandBBox = (b: BBox, deg: number): BBox => [b[0] - deg, b[1] - deg, b[2] + deg, b[3] + deg];

const asFeature = (g: AreaGeometry) => turfFeature(g);

export const areaKm2 = (g: AreaGeometry): number => turfArea(g) / 1e6;

/** Area shared by two areas, in km² (0 when they only touch). */
export function intersectionKm2(a: AreaGeometry, b: AreaGeometry): number {
  if (!bboxesIntersect(bboxOf(a), bboxOf(b))) return 0;
  const shared = turfIntersect(featureCollection([asFeature(a), asFeature(b)]));
  return shared ? areaKm2(shared.geometry) : 0;
}

/** Area of `base` that none of `covers` covers, in km². */
export function uncoveredKm2(base: AreaGeometry, covers: readonly AreaGeometry[]): number {
  const box = bboxOf(base);
  const relevant = covers.filter((c) => bboxesIntersect(bboxOf(c), box));
  if (relevant.length === 0) return areaKm2(base);
  const cover =
    relevant.length === 1 ? asFeature(relevant[0]!) : turfUnion(featureCollection(relevant.map(asFeature)));
  if (!cover) return areaKm2(base);
  const rest = turfDifference(featureCollection([asFeature(base), cover]));
  return rest ? areaKm2(rest.geometry) : 0;
}

/** Even-odd ray cast over every ring of one polygon (holes included). */
export function polygonContains(rings: readonly GeoJSON.Position[][], lon: number, lat: number): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i] as [number, number];
      const [xj, yj] = ring[j] as [number, number];
      if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

export function areaContains(g: AreaGeometry, lon: number, lat: number): boolean {
  if (g.type === 'Polygon') return polygonContains(g.coordinates, lon, lat);
  return g.coordinates.some((rings) => polygonContains(rings, lon, lat));
}
