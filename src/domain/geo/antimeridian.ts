import { intersect } from '@turf/intersect';
import type * as GeoJSON from 'geojson';
import type { AreaGeometry } from './types.ts';

/*
 * Polygons drawn across the antimeridian (RFC 7946, section 3.1.9). A map that lets you draw past
 * 180° gives longitudes such as 170..190; a client that wraps them gives 170..-170. Either way each
 * edge is taken the shorter way round (an edge spanning more than 180° of longitude crosses the
 * antimeridian), which is how every drawing tool means it. The polygon is then cut at ±180° into a
 * MultiPolygon whose parts each stay within -180..180, as the RFC asks.
 */

export type AntimeridianProblem =
  /** The ring goes once round the globe: it encloses a pole, which a lon/lat polygon cannot say. */
  | 'encircles_pole'
  /** 360° of longitude or more, or an edge spanning exactly 180° (either way round). */
  | 'too_wide';

export type NormalizedPolygon =
  | { readonly geometry: AreaGeometry; readonly problem?: undefined }
  | { readonly geometry?: undefined; readonly problem: AntimeridianProblem; readonly ring: number };

/**
 * Longitudes made continuous: each position moved by whole turns to within 180° of the one before
 * (a position needing no move keeps its exact value). null when a step is exactly 180°.
 */
function unwrap(ring: readonly GeoJSON.Position[]): GeoJSON.Position[] | null {
  const out: GeoJSON.Position[] = [];
  let prev = ring[0]![0]!;
  for (const p of ring) {
    const lon = p[0]! + 360 * Math.round((prev - p[0]!) / 360);
    if (Math.abs(lon - prev) === 180) return null;
    out.push([lon, p[1]!]);
    prev = lon;
  }
  return out;
}

const shiftRing = (ring: GeoJSON.Position[], by: number): GeoJSON.Position[] =>
  by === 0 ? ring : ring.map(([x, y]) => [x! + by, y!]);

const lonRange = (ring: readonly GeoJSON.Position[]): [number, number] => {
  let min = Infinity;
  let max = -Infinity;
  for (const p of ring) {
    if (p[0]! < min) min = p[0]!;
    if (p[0]! > max) max = p[0]!;
  }
  return [min, max];
};

const box = (west: number, east: number): GeoJSON.Feature<GeoJSON.Polygon> => ({
  type: 'Feature',
  properties: {},
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [west, -90],
        [east, -90],
        [east, 90],
        [west, 90],
        [west, -90],
      ],
    ],
  },
});

export type UnwrappedPolygon =
  | { readonly rings: GeoJSON.Position[][]; readonly problem?: undefined }
  | { readonly rings?: undefined; readonly problem: AntimeridianProblem; readonly ring: number };

/**
 * One polygon's rings (closed, longitudes within ±360°) with continuous longitudes, the shell
 * starting within -180..180 and each hole next to it: planar, so a self-intersection check on it
 * means what it says. Problems are returned, not thrown, so the caller names the ring its own way.
 */
export function unwrapPolygon(rings: readonly (readonly GeoJSON.Position[])[]): UnwrappedPolygon {
  const unwrapped: GeoJSON.Position[][] = [];
  for (const [i, ring] of rings.entries()) {
    const u = unwrap(ring);
    if (!u) return { problem: 'too_wide', ring: i };
    if (u[u.length - 1]![0] !== u[0]![0]) return { problem: 'encircles_pole', ring: i };
    unwrapped.push(u);
  }
  const [shellMin, shellMax] = lonRange(unwrapped[0]!);
  if (shellMax - shellMin >= 360) return { problem: 'too_wide', ring: 0 };
  const shift = -360 * Math.floor((shellMin + 180) / 360);
  const centre = (shellMin + shellMax) / 2 + shift;
  return {
    rings: unwrapped.map((ring, i) => {
      if (i === 0) return shiftRing(ring, shift);
      const [min, max] = lonRange(ring);
      return shiftRing(ring, 360 * Math.round((centre - (min + max) / 2) / 360));
    }),
  };
}

/** An unwrapped polygon as it stays (within -180..180) or cut at 180° into a MultiPolygon. */
export function cutAtAntimeridian(rings: GeoJSON.Position[][]): AreaGeometry {
  if (lonRange(rings[0]!)[1] <= 180) return { type: 'Polygon', coordinates: rings };
  const whole: GeoJSON.Feature<GeoJSON.Polygon> = {
    type: 'Feature',
    properties: {},
    geometry: { type: 'Polygon', coordinates: rings },
  };
  const parts: GeoJSON.Position[][][] = [];
  for (const [west, east, by] of [
    [-180, 180, 0],
    [180, 540, -360],
  ] as const) {
    const cut = intersect({ type: 'FeatureCollection', features: [whole, box(west, east)] });
    if (!cut) continue;
    const polys = cut.geometry.type === 'Polygon' ? [cut.geometry.coordinates] : cut.geometry.coordinates;
    for (const p of polys) parts.push(p.map((ring) => shiftRing(ring, by)));
  }
  return parts.length === 1
    ? { type: 'Polygon', coordinates: parts[0]! }
    : { type: 'MultiPolygon', coordinates: parts };
}

/** unwrapPolygon then cutAtAntimeridian. */
export function normalizeLongitudes(rings: readonly (readonly GeoJSON.Position[])[]): NormalizedPolygon {
  const u = unwrapPolygon(rings);
  return u.problem ? u : { geometry: cutAtAntimeridian(u.rings) };
}
