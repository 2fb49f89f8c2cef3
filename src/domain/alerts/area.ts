import type * as GeoJSON from 'geojson';
import { WardenError } from '../errors.ts';
import { cutAtAntimeridian, unwrapPolygon } from '../geo/antimeridian.ts';
import { countPositions, GEOMETRY_LIMITS } from '../geo/limits.ts';
import { findSelfIntersection } from '../geo/simple-polygon.ts';
import type { AreaGeometry } from '../geo/types.ts';
import type { AlertArea, AlertCircle } from './types.ts';

/**
 * Limits of an alert's area. Positions bound the work of targeting and the size of the CAP
 * message; a circle wider than 1,000 km is a country or more and should be drawn as one.
 */
export const AREA_LIMITS = {
  positionsPerRing: GEOMETRY_LIMITS.alertRingPositions,
  positionsPerAlert: GEOMETRY_LIMITS.alertAreaPositions,
  maxRadiusKm: 1000,
  circles: 100,
  regions: 1000,
  countries: 250,
} as const;

export type AreaProblem =
  | 'empty'
  | 'malformed'
  | 'too_few_positions'
  | 'unclosed_ring'
  | 'coordinates_out_of_range'
  | 'too_many_positions'
  | 'too_many_shapes'
  | 'hole_not_supported'
  | 'self_intersection'
  | 'encircles_pole'
  | 'too_wide'
  | 'radius_out_of_range';

/** What validation needs of the reference geography (Geography fits). */
export interface AreaReference {
  country(code: string): { readonly code: string } | undefined;
  region(code: string): { readonly code: string } | undefined;
}

/** `at` is the JSON pointer of the offending part (polygon, ring or position) in the request. */
const fail = (
  reason: AreaProblem,
  at: string,
  message: string,
  extra: Record<string, unknown> = {},
): never => {
  throw new WardenError('invalid_area', message, { reason, at, ...extra });
};

const isNumber = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);

/** [-180, 180) for messages, whatever turn an unwrapped longitude is on. */
const wrapLon = (lon: number): number => lon - 360 * Math.floor((lon + 180) / 360);

/**
 * Checks and normalizes an alert's area: known countries and regions (canonical codes, sorted,
 * without repeats); closed, simple rings of in-range positions within the limits; polygons across
 * the antimeridian cut into MultiPolygons (RFC 7946); circles of a sane radius. An area that
 * selects nobody is valid (the reach shows it). Throws invalid_area, unknown_country or
 * unknown_region with the JSON pointer of the offending part.
 */
export function validateArea(area: AlertArea, geo: AreaReference, at = '/area'): AlertArea {
  const { countries, regions, polygons, circles } = area;
  if (countries.length + regions.length + polygons.length + circles.length === 0) {
    fail('empty', at, 'An alert needs an area: countries, regions, polygons or circles.');
  }
  for (const [key, max] of [
    ['countries', AREA_LIMITS.countries],
    ['regions', AREA_LIMITS.regions],
    ['circles', AREA_LIMITS.circles],
  ] as const) {
    if (area[key].length > max) fail('too_many_shapes', `${at}/${key}`, `At most ${max} ${key}.`, { max });
  }
  return {
    countries: canonical(countries, (c) => geo.country(c)?.code, 'unknown_country', `${at}/countries`),
    regions: canonical(regions, (r) => geo.region(r)?.code, 'unknown_region', `${at}/regions`),
    polygons: checkPolygons(polygons, `${at}/polygons`),
    circles: circles.map((c, i) => checkCircle(c, `${at}/circles/${i}`)),
  };
}

function canonical(
  codes: readonly string[],
  find: (code: string) => string | undefined,
  code: 'unknown_country' | 'unknown_region',
  at: string,
): string[] {
  const out = codes.map((raw, i) => {
    const found = typeof raw === 'string' ? find(raw) : undefined;
    if (!found) {
      const what = code === 'unknown_country' ? 'country' : 'region';
      throw new WardenError(code, `Unknown ${what} "${String(raw)}".`, { at: `${at}/${i}`, [what]: raw });
    }
    return found;
  });
  return [...new Set(out)].sort();
}

function checkPolygons(polygons: readonly AreaGeometry[], at: string): AreaGeometry[] {
  const total = polygons.reduce((n, g) => n + countPositions(g), 0);
  if (total > AREA_LIMITS.positionsPerAlert) {
    fail(
      'too_many_positions',
      at,
      `An alert's polygons may have ${AREA_LIMITS.positionsPerAlert} positions in all; simplify them.`,
      {
        positions: total,
        max: AREA_LIMITS.positionsPerAlert,
      },
    );
  }
  return polygons.map((g, i) => checkGeometry(g, `${at}/${i}`));
}

/** One drawn geometry, checked; a polygon across the antimeridian comes back as a MultiPolygon. */
function checkGeometry(g: AreaGeometry, at: string): AreaGeometry {
  if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon') || !Array.isArray(g.coordinates)) {
    return fail('malformed', at, 'A drawn area is a GeoJSON Polygon or MultiPolygon.');
  }
  const parts = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  if (parts.length === 0)
    fail('malformed', `${at}/coordinates`, 'A MultiPolygon needs at least one polygon.');
  const out: GeoJSON.Position[][][] = [];
  parts.forEach((rings, p) => {
    const pAt = g.type === 'Polygon' ? `${at}/coordinates` : `${at}/coordinates/${p}`;
    if (!Array.isArray(rings) || rings.length === 0) fail('malformed', pAt, 'A polygon is a list of rings.');
    if (rings.length > 1) {
      fail(
        'hole_not_supported',
        `${pAt}/1`,
        'Alert polygons cannot have holes: CAP 1.2 has no way to publish them.',
      );
    }
    checkRing(rings[0], `${pAt}/0`);
    const u = unwrapPolygon(rings);
    if (u.problem) {
      fail(
        u.problem,
        `${pAt}/${u.ring}`,
        u.problem === 'encircles_pole'
          ? 'The ring goes round a pole; draw the area as polygons that do not.'
          : 'The ring spans 360° of longitude or has an edge 180° long; draw it as smaller polygons.',
      );
    }
    const crossing = findSelfIntersection({ type: 'Polygon', coordinates: u.rings! });
    if (crossing) {
      const [lon, lat] = crossing.point;
      fail('self_intersection', pAt, 'The outline crosses or touches itself.', {
        kind: crossing.kind,
        point: [wrapLon(lon), lat],
        edges: [crossing.a, crossing.b].map((e) => `${pAt}/${e.ring}/${e.vertex}`),
      });
    }
    const cut = cutAtAntimeridian(u.rings!);
    if (cut.type === 'Polygon') out.push(cut.coordinates);
    else out.push(...cut.coordinates);
  });
  return out.length === 1
    ? { type: 'Polygon', coordinates: out[0]! }
    : { type: 'MultiPolygon', coordinates: out };
}

function checkRing(ring: unknown, at: string): asserts ring is GeoJSON.Position[] {
  if (!Array.isArray(ring))
    return fail('malformed', at, 'A ring is a list of [longitude, latitude] positions.');
  if (ring.length < 4)
    fail('too_few_positions', at, 'A ring needs at least 4 positions (3 corners and the first again).');
  if (ring.length > AREA_LIMITS.positionsPerRing) {
    fail(
      'too_many_positions',
      at,
      `A ring may have at most ${AREA_LIMITS.positionsPerRing} positions; simplify it.`,
      {
        positions: ring.length,
        max: AREA_LIMITS.positionsPerRing,
      },
    );
  }
  ring.forEach((p: unknown, i) => {
    if (!Array.isArray(p) || p.length < 2 || p.length > 3 || !p.every(isNumber)) {
      fail('malformed', `${at}/${i}`, 'A position is [longitude, latitude].', { position: p });
    }
    const [lon, lat] = p as number[];
    // Longitudes past ±180 come from maps that let you draw across the antimeridian.
    if (lat! < -90 || lat! > 90 || lon! < -360 || lon! > 360) {
      fail('coordinates_out_of_range', `${at}/${i}`, `[${lon}, ${lat}] is not [longitude, latitude].`, {
        position: p,
      });
    }
  });
  const first = ring[0] as number[];
  const last = ring[ring.length - 1] as number[];
  if (first[0] !== last[0] || first[1] !== last[1]) {
    fail('unclosed_ring', at, 'A ring must end where it starts.');
  }
}

function checkCircle(c: AlertCircle, at: string): AlertCircle {
  if (!c || !isNumber(c.lat) || !isNumber(c.lon) || !isNumber(c.radiusKm)) {
    return fail('malformed', at, 'A circle is { lat, lon, radiusKm }.');
  }
  if (c.lat < -90 || c.lat > 90 || c.lon < -180 || c.lon > 180) {
    fail('coordinates_out_of_range', at, `(${c.lat}, ${c.lon}) is not a latitude and longitude.`);
  }
  if (!(c.radiusKm > 0 && c.radiusKm <= AREA_LIMITS.maxRadiusKm)) {
    fail(
      'radius_out_of_range',
      `${at}/radiusKm`,
      `A radius is more than 0 and at most ${AREA_LIMITS.maxRadiusKm} km.`,
      {
        max: AREA_LIMITS.maxRadiusKm,
      },
    );
  }
  return { lat: c.lat, lon: c.lon, radiusKm: c.radiusKm };
}
