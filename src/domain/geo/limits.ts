import type { AreaGeometry } from './types.ts';

/**
 * Positions allowed in drawn geometry, per kind of object, in one table. They bound what one
 * request can make the server spend (self-intersection sweep, overlap with the country, CAP and
 * GeoJSON output): bench/geometry-validate.ts measures the largest input each allows, under 100 ms.
 * A hostile edition of 17 zones of 5,000 positions once took 10.5 s of CPU (issue 11, item 5);
 * the per-edition total is what refuses it now.
 */
export const GEOMETRY_LIMITS = {
  /** One drawn advisory zone (all rings of its Polygon or MultiPolygon). */
  zonePositions: 5000,
  /** All drawn zones of one advisory edition together. */
  editionPositions: 20_000,
  /** A post's district polygon. */
  districtPositions: 5000,
  /** A staff movement restriction's polygon (validated as a district). */
  restrictionPositions: 5000,
  /** One ring of an alert's drawn area (src/domain/alerts/area.ts). */
  alertRingPositions: 1000,
  /** All drawn polygons of one alert's area. */
  alertAreaPositions: 10_000,
} as const;

/**
 * Counts positions without trusting the shape (it runs before the shape is checked): anything
 * that is not an array where an array belongs counts as nothing.
 */
export function countPositions(g: AreaGeometry | null | undefined): number {
  const c: unknown = g?.coordinates;
  if (!Array.isArray(c)) return 0;
  const polygons: unknown[] = g?.type === 'MultiPolygon' ? c : [c];
  let n = 0;
  for (const rings of polygons) {
    if (!Array.isArray(rings)) continue;
    for (const ring of rings) if (Array.isArray(ring)) n += ring.length;
  }
  return n;
}
