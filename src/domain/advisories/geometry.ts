import type * as GeoJSON from 'geojson';
import { WardenError } from '../errors.ts';
import type { AreaGeometry } from '../geo/index.ts';
import { countPositions, GEOMETRY_LIMITS } from '../geo/limits.ts';
import { areasOverlap } from '../geo/overlap.ts';
import { findSelfIntersection } from '../geo/simple-polygon.ts';

/** Enough for a hand-drawn zone; the edition's total is bounded too (GEOMETRY_LIMITS). */
export const MAX_POSITIONS = GEOMETRY_LIMITS.zonePositions;

export type GeometryProblem =
  | 'malformed'
  | 'unsupported_type'
  | 'too_few_positions'
  | 'unclosed_ring'
  | 'coordinates_out_of_range'
  | 'too_many_positions'
  | 'self_intersection'
  | 'zero_area'
  | 'outside_country';

const fail = (
  field: string,
  reason: GeometryProblem,
  message: string,
  extra: Record<string, unknown> = {},
): never => {
  throw new WardenError('invalid_geometry', message, { field, reason, ...extra });
};

const isPosition = (p: unknown): p is number[] =>
  Array.isArray(p) &&
  (p.length === 2 || p.length === 3) &&
  p.every((n) => typeof n === 'number' && Number.isFinite(n));

function checkRing(ring: unknown, field: string, where: string): GeoJSON.Position[] {
  if (!Array.isArray(ring) || !ring.every(isPosition)) {
    return fail(field, 'malformed', `${where}: a ring is a list of [longitude, latitude] positions.`, {
      at: where,
    });
  }
  for (const [lon, lat] of ring as number[][]) {
    if (!(lon! >= -180 && lon! <= 180 && lat! >= -90 && lat! <= 90)) {
      fail(
        field,
        'coordinates_out_of_range',
        `${where}: [${lon}, ${lat}] is not a longitude/latitude pair.`,
        {
          at: where,
          position: [lon, lat],
        },
      );
    }
  }
  if (ring.length < 4) {
    fail(field, 'too_few_positions', `${where}: a ring needs at least 4 positions (first = last).`, {
      at: where,
    });
  }
  const first = ring[0] as number[];
  const last = ring[ring.length - 1] as number[];
  if (first[0] !== last[0] || first[1] !== last[1]) {
    fail(
      field,
      'unclosed_ring',
      `${where}: the ring is not closed (its last position must repeat the first).`,
      { at: where },
    );
  }
  return ring as GeoJSON.Position[];
}

function checkPolygon(rings: unknown, field: string, where: string): GeoJSON.Position[][] {
  if (!Array.isArray(rings) || rings.length === 0) {
    return fail(field, 'malformed', `${where}: a polygon is a non-empty list of rings.`, { at: where });
  }
  return rings.map((r, i) => checkRing(r, field, `${where}[${i}]`));
}

/**
 * Positions of all drawn zones of an edition together, checked before any zone is: refuses the
 * many-zones flood with one precise error and no geometry work.
 */
export function checkEditionPositions(geometries: readonly unknown[], field: string): void {
  const positions = geometries.reduce<number>((n, g) => n + countPositions(g as AreaGeometry), 0);
  const max = GEOMETRY_LIMITS.editionPositions;
  if (positions > max) {
    fail(field, 'too_many_positions', `The drawn zones have ${positions} positions in all; at most ${max}.`, {
      positions,
      max,
    });
  }
}

/**
 * Validates a drawn zone: GeoJSON Polygon or MultiPolygon with closed rings of in-range
 * positions, no self-intersection, a non-zero area, and some overlap with the country.
 * Returns a clean copy (no foreign members), so stored geometry is exactly what was checked.
 */
export function validateZoneGeometry(
  value: unknown,
  field: string,
  countryGeometry?: AreaGeometry,
): AreaGeometry {
  if (typeof value !== 'object' || value === null)
    return fail(field, 'malformed', 'The geometry must be a GeoJSON object.');
  const g = value as { type?: unknown; coordinates?: unknown };
  // Counted before anything else looks at the positions: the limit is what bounds the work.
  const positions = countPositions(value as AreaGeometry);
  if (positions > MAX_POSITIONS) {
    fail(field, 'too_many_positions', `The geometry has more than ${MAX_POSITIONS} positions; simplify it.`, {
      positions,
      max: MAX_POSITIONS,
    });
  }
  let geometry: AreaGeometry;
  if (g.type === 'Polygon') {
    geometry = { type: 'Polygon', coordinates: checkPolygon(g.coordinates, field, 'coordinates') };
  } else if (g.type === 'MultiPolygon') {
    if (!Array.isArray(g.coordinates) || g.coordinates.length === 0) {
      return fail(field, 'malformed', 'A MultiPolygon is a non-empty list of polygons.');
    }
    geometry = {
      type: 'MultiPolygon',
      coordinates: g.coordinates.map((p, i) => checkPolygon(p, field, `coordinates[${i}]`)),
    };
  } else {
    return fail(field, 'unsupported_type', 'A zone is drawn as a GeoJSON Polygon or MultiPolygon.', {
      type: g.type ?? null,
    });
  }

  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  // O(n log n) sweep over every ring of every part (parts of a MultiPolygon may not cross either).
  const crossing = findSelfIntersection(geometry);
  if (crossing) {
    fail(field, 'self_intersection', 'The outline crosses or touches itself.', {
      kind: crossing.kind,
      points: [crossing.point],
    });
  }
  if (polygons.some((rings) => Math.abs(planarArea(rings[0]!)) < 1e-12)) {
    fail(field, 'zero_area', 'An outline encloses no area (its points lie on a line).');
  }
  if (countryGeometry && !areasOverlap(geometry, countryGeometry)) {
    fail(field, 'outside_country', 'The zone lies entirely outside the country.');
  }
  return geometry;
}

/** Shoelace area in degrees²: exact zero for collinear points, unlike a geodesic area. */
function planarArea(ring: GeoJSON.Position[]): number {
  let sum = 0;
  for (let i = 0; i < ring.length - 1; i++)
    sum += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  return sum / 2;
}
