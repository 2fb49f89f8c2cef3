import type { Geography } from '../../geo/types.ts';
import type { AlertArea } from '../types.ts';
import { distanceToRingKm, inRing, type Ring, ringBoxKm, ringOf } from './area.ts';

/*
 * Which countries an area covers whole and which it touches, for travellers known only by
 * country (issue 13, item 4): they match where the area covers their country, and where it only
 * touches it when the composer includes "travellers whose location in the country is unknown".
 */

export interface CountryReach {
  /** Listed countries, and countries every region of which is listed. */
  readonly covered: string[];
  /** Covered countries, countries of listed regions, and countries a polygon or circle meets. */
  readonly touched: string[];
}

const outlines = new WeakMap<Geography, Map<string, Ring[]>>();

/** Every ring (outer and holes) of a country's boundary, kept per Geography. */
function countryRings(geo: Geography, code: string): Ring[] {
  let cache = outlines.get(geo);
  if (!cache) {
    cache = new Map();
    outlines.set(geo, cache);
  }
  let rings = cache.get(code);
  if (!rings) {
    const g = geo.countryGeometry(code);
    const polys = !g ? [] : g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    rings = polys.flatMap((p) => p.map((ring) => ringOf(ring)));
    cache.set(code, rings);
  }
  return rings;
}

export function countryReach(area: AlertArea, geo: Geography): CountryReach {
  const covered = new Set(area.countries);
  const regions = new Set(area.regions);
  const touched = new Set(covered);
  for (const code of regions) {
    const r = geo.region(code);
    if (r) touched.add(r.country);
  }
  for (const country of new Set([...touched].filter((c) => !covered.has(c)))) {
    const all = geo.regions(country);
    if (all.length > 0 && all.every((r) => regions.has(r.code))) covered.add(country);
  }
  const shapes: Ring[] = [];
  for (const g of area.polygons) {
    for (const p of g.type === 'Polygon' ? [g.coordinates] : g.coordinates) {
      if (p[0]) shapes.push(ringOf(p[0]));
    }
  }
  const countries = geo.countries();
  for (const shape of shapes) {
    const xy = shape.xy;
    for (let i = 0; i < xy.length; i += 2) {
      const c = geo.countryAt(xy[i + 1] as number, xy[i] as number, { toleranceKm: 0 });
      if (c) touched.add(c.code);
    }
    for (const c of countries) {
      if (touched.has(c.code) || !boxesMeet(c.bbox, [shape.minLon, shape.minLat, shape.maxLon, shape.maxLat]))
        continue;
      if (countryRings(geo, c.code).some((r) => ringsMeet(shape, r))) touched.add(c.code);
    }
  }
  for (const circle of area.circles) {
    const c0 = geo.countryAt(circle.lat, circle.lon, { toleranceKm: 0 });
    if (c0) touched.add(c0.code);
    for (const c of countries) {
      if (touched.has(c.code)) continue;
      const near = countryRings(geo, c.code).some((r) => {
        const [w, s, e, n] = ringBoxKm(r, circle.radiusKm);
        if (circle.lat < s || circle.lat > n) return false;
        const lon = circle.lon;
        const inLon =
          (lon >= w && lon <= e) || (lon + 360 >= w && lon + 360 <= e) || (lon - 360 >= w && lon - 360 <= e);
        return inLon && distanceToRingKm(r, circle.lon, circle.lat) <= circle.radiusKm;
      });
      if (near) touched.add(c.code);
    }
  }
  return { covered: [...covered].sort(), touched: [...touched].sort() };
}

const boxesMeet = (a: readonly number[], b: readonly number[]): boolean =>
  (a[0] as number) <= (b[2] as number) &&
  (b[0] as number) <= (a[2] as number) &&
  (a[1] as number) <= (b[3] as number) &&
  (b[1] as number) <= (a[3] as number);

/** Whether a drawn ring and a boundary ring share a point: a vertex inside, or crossing edges. */
function ringsMeet(shape: Ring, boundary: Ring): boolean {
  if (
    boundary.maxLon < shape.minLon ||
    boundary.minLon > shape.maxLon ||
    boundary.maxLat < shape.minLat ||
    boundary.minLat > shape.maxLat
  )
    return false;
  const b = boundary.xy;
  const s = shape.xy;
  for (let i = 0; i + 3 < b.length; i += 2) {
    const x1 = b[i] as number;
    const y1 = b[i + 1] as number;
    const x2 = b[i + 2] as number;
    const y2 = b[i + 3] as number;
    if (
      Math.max(x1, x2) < shape.minLon ||
      Math.min(x1, x2) > shape.maxLon ||
      Math.max(y1, y2) < shape.minLat ||
      Math.min(y1, y2) > shape.maxLat
    )
      continue;
    if (inRing(shape, x1, y1)) return true;
    for (let j = 0; j + 3 < s.length; j += 2) {
      if (
        segmentsCross(
          x1,
          y1,
          x2,
          y2,
          s[j] as number,
          s[j + 1] as number,
          s[j + 2] as number,
          s[j + 3] as number,
        )
      )
        return true;
    }
  }
  return false;
}

function segmentsCross(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
  dx: number,
  dy: number,
): boolean {
  const d1 = orient(cx, cy, dx, dy, ax, ay);
  const d2 = orient(cx, cy, dx, dy, bx, by);
  const d3 = orient(ax, ay, bx, by, cx, cy);
  const d4 = orient(ax, ay, bx, by, dx, dy);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

const orient = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number =>
  (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
