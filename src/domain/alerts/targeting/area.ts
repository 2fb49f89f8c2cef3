import { distanceKm } from '../../incidents/near.ts';
import type { AlertArea } from '../types.ts';

/*
 * An alert's area made ready for matching trips: codes as sets, polygons as flat rings with
 * boxes, circles with their boxes. The rule every way of targeting answers by (brute force, the
 * in-memory index, the SQL baseline) is `tripMatches` below, so they can be compared exactly.
 */

/** How precisely a trip says where the traveller is. */
export const PRECISIONS = ['exact', 'approximate', 'country'] as const;
export type Precision = (typeof PRECISIONS)[number];
/** Precision codes stored by the index: lower is more precise. */
export const EXACT = 0;
export const APPROXIMATE = 1;
export const COUNTRY_ONLY = 2;

/** Default distance within which a place's centroid counts as in a drawn polygon or circle. */
export const DEFAULT_PLACE_TOLERANCE_KM = 10;

/** One ring of a polygon as [lon, lat] pairs back to back (closed), with its box. */
export interface Ring {
  readonly xy: Float64Array;
  readonly minLon: number;
  readonly minLat: number;
  readonly maxLon: number;
  readonly maxLat: number;
}

export interface Circle {
  readonly lat: number;
  readonly lon: number;
  readonly radiusKm: number;
}

export interface PreparedArea {
  readonly countries: ReadonlySet<string>;
  readonly regions: ReadonlySet<string>;
  /** Outer rings of the drawn polygons (validated areas have no holes), each within -180..180. */
  readonly rings: readonly Ring[];
  readonly circles: readonly Circle[];
  /** Countries the area covers whole: country-only travellers there always match. */
  readonly coveredCountries: ReadonlySet<string>;
  /** Countries the area touches: country-only travellers there match with includeUnknownLocation. */
  readonly touchedCountries: ReadonlySet<string>;
  readonly includeUnknownLocation: boolean;
  readonly placeToleranceKm: number;
}

export interface PrepareOptions {
  readonly coveredCountries: Iterable<string>;
  readonly touchedCountries: Iterable<string>;
  readonly includeUnknownLocation: boolean;
  readonly placeToleranceKm?: number;
}

/** `area` must be validated (validateArea): polygons without holes, cut at the antimeridian. */
export function prepareArea(area: AlertArea, o: PrepareOptions): PreparedArea {
  const rings: Ring[] = [];
  for (const g of area.polygons) {
    const parts = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    for (const p of parts) {
      const outer = p[0];
      if (outer) rings.push(ringOf(outer));
    }
  }
  const covered = new Set(o.coveredCountries);
  for (const c of area.countries) covered.add(c);
  const touched = new Set(o.touchedCountries);
  for (const c of covered) touched.add(c);
  return {
    countries: new Set(area.countries),
    regions: new Set(area.regions),
    rings,
    circles: area.circles.map((c) => ({ lat: c.lat, lon: c.lon, radiusKm: c.radiusKm })),
    coveredCountries: covered,
    touchedCountries: touched,
    includeUnknownLocation: o.includeUnknownLocation,
    placeToleranceKm: o.placeToleranceKm ?? DEFAULT_PLACE_TOLERANCE_KM,
  };
}

export function ringOf(positions: readonly (readonly number[])[]): Ring {
  const xy = new Float64Array(positions.length * 2);
  let minLon = Number.POSITIVE_INFINITY;
  let minLat = Number.POSITIVE_INFINITY;
  let maxLon = Number.NEGATIVE_INFINITY;
  let maxLat = Number.NEGATIVE_INFINITY;
  positions.forEach((p, i) => {
    const lon = p[0] as number;
    const lat = p[1] as number;
    xy[2 * i] = lon;
    xy[2 * i + 1] = lat;
    if (lon < minLon) minLon = lon;
    if (lon > maxLon) maxLon = lon;
    if (lat < minLat) minLat = lat;
    if (lat > maxLat) maxLat = lat;
  });
  return { xy, minLon, minLat, maxLon, maxLat };
}

/** Even-odd ray cast in [lon, lat] (RFC 7946: edges are straight lines in lon/lat). */
export function inRing(r: Ring, lon: number, lat: number): boolean {
  if (lon < r.minLon || lon > r.maxLon || lat < r.minLat || lat > r.maxLat) return false;
  const xy = r.xy;
  let inside = false;
  const n = xy.length / 2 - 1;
  for (let i = 0; i < n; i++) {
    const y1 = xy[2 * i + 1] as number;
    const y2 = xy[2 * i + 3] as number;
    if (y1 > lat !== y2 > lat) {
      const x1 = xy[2 * i] as number;
      const x2 = xy[2 * i + 2] as number;
      if (lon < x1 + ((lat - y1) * (x2 - x1)) / (y2 - y1)) inside = !inside;
    }
  }
  return inside;
}

const KM_PER_DEG = 111.195;
const RAD = Math.PI / 180;

/**
 * Distance in km from a point to a ring's outline, on a local equirectangular projection around
 * the point (good to well under 1% at the tens of km a place tolerance spans); longitudes are
 * taken the short way round, so an outline just across the antimeridian is near.
 */
export function distanceToRingKm(r: Ring, lon: number, lat: number): number {
  const kx = KM_PER_DEG * Math.cos(lat * RAD);
  const xy = r.xy;
  let best = Number.POSITIVE_INFINITY;
  const n = xy.length / 2 - 1;
  let ax = wrap((xy[0] as number) - lon) * kx;
  let ay = ((xy[1] as number) - lat) * KM_PER_DEG;
  for (let i = 0; i < n; i++) {
    const bx = wrap((xy[2 * i + 2] as number) - lon) * kx;
    const by = ((xy[2 * i + 3] as number) - lat) * KM_PER_DEG;
    const dx = bx - ax;
    const dy = by - ay;
    const len = dx * dx + dy * dy;
    const t = len > 0 ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len)) : 0;
    const px = ax + t * dx;
    const py = ay + t * dy;
    const d = px * px + py * py;
    if (d < best) best = d;
    ax = bx;
    ay = by;
  }
  return Math.sqrt(best);
}

const wrap = (d: number): number => (d > 180 ? d - 360 : d < -180 ? d + 360 : d);

/** The longitude-latitude box within `km` of a ring (may reach past ±180; callers wrap). */
export function ringBoxKm(r: Ring, km: number): [number, number, number, number] {
  const dLat = km / KM_PER_DEG;
  const maxAbsLat = Math.min(89.9, Math.max(Math.abs(r.minLat), Math.abs(r.maxLat)) + dLat);
  const dLon = km / (KM_PER_DEG * Math.cos(maxAbsLat * RAD));
  return [r.minLon - dLon, r.minLat - dLat, r.maxLon + dLon, r.maxLat + dLat];
}

export const inCircle = (c: Circle, lat: number, lon: number, extraKm = 0): boolean =>
  distanceKm(c.lat, c.lon, lat, lon) <= c.radiusKm + extraKm;

/** A trip as targeting sees it. `lat`/`lon` are NaN for a country-only trip. */
export interface TargetTrip {
  readonly precision: number;
  readonly country: string;
  readonly region: string | null;
  readonly lat: number;
  readonly lon: number;
}

/** Whether a point lies in the drawn part of the area (polygons and circles). */
export function inShapes(a: PreparedArea, lat: number, lon: number): boolean {
  for (const r of a.rings) if (inRing(r, lon, lat)) return true;
  for (const c of a.circles) if (inCircle(c, lat, lon)) return true;
  return false;
}

/** Whether a place's centroid lies in a ring or within `km` of its outline. */
export function nearRing(r: Ring, km: number, lat: number, lon: number): boolean {
  if (inRing(r, lon, lat)) return true;
  if (km <= 0) return false;
  const [w, s, e, n] = ringBoxKm(r, km);
  if (lat < s || lat > n || !lonWithin(lon, w, e)) return false;
  return distanceToRingKm(r, lon, lat) <= km;
}

/** Whether a place's centroid lies within the tolerance of the drawn part of the area. */
export function nearShapes(a: PreparedArea, lat: number, lon: number): boolean {
  const km = a.placeToleranceKm;
  for (const r of a.rings) if (nearRing(r, km, lat, lon)) return true;
  for (const c of a.circles) if (inCircle(c, lat, lon, km)) return true;
  return false;
}

/** lon within [w, e] where the range may run past ±180 (then it wraps). */
export const lonWithin = (lon: number, w: number, e: number): boolean =>
  (lon >= w && lon <= e) || (lon + 360 >= w && lon + 360 <= e) || (lon - 360 >= w && lon - 360 <= e);

/**
 * The targeting rule (issue 13, item 4). A point matches by exact point-in-area; a place by its
 * centroid in the area or within the tolerance of a drawn shape (approximate); a country-only
 * trip when the area covers its country, or touches it and includeUnknownLocation is set. Listed
 * countries and regions match by the trip's stored country and region, which were resolved from
 * the same boundaries when the trip was saved.
 */
export function tripMatches(a: PreparedArea, t: TargetTrip): boolean {
  if (t.precision === COUNTRY_ONLY) {
    return (
      a.coveredCountries.has(t.country) || (a.includeUnknownLocation && a.touchedCountries.has(t.country))
    );
  }
  if (a.countries.has(t.country)) return true;
  if (t.region !== null && a.regions.has(t.region)) return true;
  return t.precision === EXACT ? inShapes(a, t.lat, t.lon) : nearShapes(a, t.lat, t.lon);
}

/** Days since 1970-01-01 of an ISO date or time (its UTC day). */
export const dayNumber = (iso: string): number =>
  Math.floor(Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso) / 86_400_000);

/** [first, last] day of an alert's window [effective, expires]. */
export const windowDays = (effective: string, expires: string): [number, number] => [
  dayNumber(effective),
  dayNumber(expires),
];
