import { bbox } from '@turf/bbox';
import { intersect } from '@turf/intersect';
import { kinks } from '@turf/kinks';
import type * as GeoJSON from 'geojson';
import { WardenError } from '../errors.ts';
import type { AreaGeometry } from '../geo/index.ts';

/** Enough for a hand-drawn zone; keeps the quadratic self-intersection check fast. */
export const MAX_POSITIONS = 5000;

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
  const positions = polygons.flat().reduce((n, ring) => n + ring.length, 0);
  if (positions > MAX_POSITIONS) {
    fail(field, 'too_many_positions', `The geometry has more than ${MAX_POSITIONS} positions; simplify it.`, {
      max: MAX_POSITIONS,
    });
  }
  const crossings = kinks(geometry).features.slice(0, 5);
  if (crossings.length > 0) {
    fail(field, 'self_intersection', 'The outline crosses itself.', {
      points: crossings.map((f) => f.geometry.coordinates),
    });
  }
  if (polygons.some((rings) => Math.abs(planarArea(rings[0]!)) < 1e-12)) {
    fail(field, 'zero_area', 'An outline encloses no area (its points lie on a line).');
  }
  if (countryGeometry && !overlaps(geometry, countryGeometry)) {
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

function overlaps(a: AreaGeometry, b: AreaGeometry): boolean {
  const [a0, a1, a2, a3] = bbox(a);
  const [b0, b1, b2, b3] = bbox(b);
  if (a2 < b0 || b2 < a0 || a3 < b1 || b3 < a1) return false;
  try {
    const fc: GeoJSON.FeatureCollection<AreaGeometry> = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: {}, geometry: a },
        { type: 'Feature', properties: {}, geometry: b },
      ],
    };
    return intersect(fc) !== null;
  } catch {
    // The clipper can fail on degenerate input; the boxes overlap, so give the drawer the benefit.
    return true;
  }
}
