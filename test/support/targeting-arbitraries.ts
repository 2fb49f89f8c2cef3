import fc from 'fast-check';
import type { AreaReference } from '../../src/domain/alerts/area.ts';
import type { AlertArea } from '../../src/domain/alerts/types.ts';

/* Random areas and trips for the targeting property tests (unit and store). */

export const COUNTRIES = ['AA', 'BB', 'CC'];
export const REGIONS = ['AA-1', 'AA-2', 'BB-1', 'CC-1'];
export const geoRef: AreaReference = {
  country: (c) => (COUNTRIES.includes(c) ? { code: c } : undefined),
  region: (r) => (REGIONS.includes(r) ? { code: r } : undefined),
};

/** Centres: anywhere, near the antimeridian, near a pole, and on the 0.01° grid lines. */
export const centre = fc.oneof(
  fc.record({
    lat: fc.double({ min: -60, max: 60, noNaN: true }),
    lon: fc.double({ min: -180, max: 179.99, noNaN: true }),
  }),
  fc.record({
    lat: fc.double({ min: -50, max: 50, noNaN: true }),
    lon: fc.constantFrom(179.95, -179.95, 179.999, 180 - 1e-9),
  }),
  fc.record({
    lat: fc.constantFrom(84.5, -84.5, 30.5),
    lon: fc.integer({ min: -18000, max: 17999 }).map((c) => c / 100),
  }),
);

/** A star-shaped (so simple) polygon around a centre: sorted angles, random radii. */
const polygon = fc
  .record({
    c: centre,
    radii: fc.array(fc.double({ min: 0.01, max: 1.5, noNaN: true }), { minLength: 3, maxLength: 16 }),
    turn: fc.double({ min: 0, max: 6, noNaN: true }),
  })
  .map(({ c, radii, turn }) => {
    const ring = radii.map((r, i) => {
      const a = turn + (2 * Math.PI * i) / radii.length;
      const lat = Math.max(-89, Math.min(89, c.lat + r * Math.sin(a)));
      return [c.lon + r * Math.cos(a) * 1.3, lat];
    });
    ring.push([...(ring[0] as number[])]);
    return { type: 'Polygon' as const, coordinates: [ring] };
  });

const circle = fc.record({
  lat: centre.map((c) => c.lat),
  lon: centre.map((c) => c.lon),
  radiusKm: fc.oneof(
    fc.double({ min: 0.3, max: 30, noNaN: true }),
    fc.double({ min: 30, max: 400, noNaN: true }),
  ),
});

export interface CodeSet {
  readonly countries: readonly string[];
  readonly regions: readonly string[];
}
const TEST_CODES: CodeSet = { countries: COUNTRIES, regions: REGIONS };

export const areaWith = (codes: CodeSet): fc.Arbitrary<AlertArea> =>
  fc
    .record({
      countries: fc.subarray([...codes.countries], { maxLength: 1 }),
      regions: fc.subarray([...codes.regions], { maxLength: 2 }),
      polygons: fc.array(polygon, { maxLength: 2 }),
      circles: fc.array(circle, { maxLength: 2 }),
    })
    .filter((a) => a.countries.length + a.regions.length + a.polygons.length + a.circles.length > 0);
export const area = areaWith(TEST_CODES);

export interface RandomTrip {
  readonly precision: 0 | 1 | 2;
  readonly country: string;
  readonly region: string | null;
  readonly lat: number;
  readonly lon: number;
  /** Days relative to the window's first day. */
  readonly from: number;
  readonly to: number | null;
}

/** Trips near the area's shapes (on their vertices, on grid lines, or around), or anywhere. */
export function trips(a: AlertArea, max = 60, codes: CodeSet = TEST_CODES): fc.Arbitrary<RandomTrip[]> {
  const anchors: Array<[number, number]> = [];
  for (const g of a.polygons) {
    const parts = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    for (const p of parts) for (const pos of p[0] ?? []) anchors.push([pos[1] as number, pos[0] as number]);
  }
  for (const c of a.circles) anchors.push([c.lat, c.lon]);
  if (anchors.length === 0) anchors.push([10, 10]);
  const lats = anchors.map((p) => p[0]);
  const lons = anchors.map((p) => p[1]);
  const box = [Math.min(...lats), Math.max(...lats), Math.min(...lons), Math.max(...lons)] as const;
  const point = fc.oneof(
    // Anywhere in the box of the shapes: notches of concave outlines get points too.
    fc
      .record({
        y: fc.double({ min: 0, max: 1, noNaN: true }),
        x: fc.double({ min: 0, max: 1, noNaN: true }),
      })
      .map(
        ({ y, x }) => [box[0] + y * (box[1] - box[0]), box[2] + x * (box[3] - box[2])] as [number, number],
      ),
    fc.constantFrom(...anchors),
    fc
      .record({
        i: fc.integer({ min: 0, max: anchors.length - 1 }),
        dlat: fc.oneof(
          fc.double({ min: -3, max: 3, noNaN: true }),
          fc.double({ min: -0.3, max: 0.3, noNaN: true }),
        ),
        dlon: fc.oneof(
          fc.double({ min: -3, max: 3, noNaN: true }),
          fc.double({ min: -0.3, max: 0.3, noNaN: true }),
        ),
      })
      .map(({ i, dlat, dlon }) => {
        const [lat, lon] = anchors[i] as [number, number];
        let x = lon + dlon;
        if (x >= 180) x -= 360;
        if (x < -180) x += 360;
        return [Math.max(-90, Math.min(90, lat + dlat)), x] as [number, number];
      }),
    fc
      .record({ i: fc.integer({ min: 0, max: anchors.length - 1 }), r: fc.integer({ min: -200, max: 200 }) })
      .map(({ i, r }) => {
        const [lat, lon] = anchors[i] as [number, number];
        return [Math.max(-90, Math.min(90, Math.round(lat * 100 + r) / 100)), lon] as [number, number];
      }),
  );
  const trip = fc.record({
    precision: fc.constantFrom(0 as const, 1 as const, 2 as const),
    country: fc.constantFrom(...codes.countries),
    region: fc.option(fc.constantFrom(...codes.regions), { nil: null }),
    at: point,
    from: fc.integer({ min: -5, max: 5 }),
    len: fc.option(fc.integer({ min: 0, max: 6 }), { nil: null }),
  });
  return fc.array(
    trip.map((t) => ({
      precision: t.precision,
      country: t.country,
      region: t.precision === 2 ? null : t.region,
      lat: t.precision === 2 ? Number.NaN : t.at[0],
      lon: t.precision === 2 ? Number.NaN : t.at[1],
      from: t.from,
      to: t.len === null ? null : t.from + t.len,
    })),
    { maxLength: max },
  );
}
