import type * as GeoJSON from 'geojson';
import { describe, expect, it } from 'vitest';
import { AREA_LIMITS, validateArea } from '../../src/domain/alerts/area.ts';
import type { AlertArea } from '../../src/domain/alerts/types.ts';
import { validateAlertWindow } from '../../src/domain/alerts/window.ts';
import { WardenError } from '../../src/domain/errors.ts';
import { loadGeography } from '../../src/domain/geo/index.ts';
import { areaContains } from '../../src/domain/posts/geometry.ts';
import { BASRAH_CBD, CBD_POINT } from '../fixtures/alerts/basrah.ts';

const geo = loadGeography();
const none: AlertArea = { countries: [], regions: [], polygons: [], circles: [] };
const area = (over: Partial<AlertArea>): AlertArea => ({ ...none, ...over });
const ring = (wkt: string): number[][] => wkt.split(',').map((p) => p.trim().split(/\s+/).map(Number));
const polygon = (wkt: string): GeoJSON.Polygon => ({ type: 'Polygon', coordinates: [ring(wkt)] });

/** The error a call throws, for its code and details. */
function refusal(f: () => unknown): WardenError {
  try {
    f();
  } catch (e) {
    if (e instanceof WardenError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('alert area validation', () => {
  it('accepts the Basrah CBD polygon as drawn, with the known point inside', () => {
    const out = validateArea(area({ polygons: [BASRAH_CBD] }), geo);
    expect(out.polygons).toEqual([BASRAH_CBD]);
    expect(areaContains(out.polygons[0]!, CBD_POINT.lon, CBD_POINT.lat)).toBe(true);
    // The same numbers the other way round (lat, lon as if it were lon, lat) are far away.
    expect(areaContains(out.polygons[0]!, CBD_POINT.lat, CBD_POINT.lon)).toBe(false);
  });

  it('canonicalizes countries and regions and refuses unknown ones, naming them', () => {
    const out = validateArea(area({ countries: ['irq', 'IQ', 'kw'], regions: ['iq-ba', 'IQ-BA'] }), geo);
    expect(out.countries).toEqual(['IQ', 'KW']);
    expect(out.regions).toEqual(['IQ-BA']);
    expect(refusal(() => validateArea(area({ regions: ['IQ-BA', 'IQ-ZZ'] }), geo))).toMatchObject({
      code: 'unknown_region',
      details: { at: '/area/regions/1', region: 'IQ-ZZ' },
    });
    expect(refusal(() => validateArea(area({ countries: ['XX'] }), geo))).toMatchObject({
      code: 'unknown_country',
      details: { at: '/area/countries/0' },
    });
  });

  it('refuses an empty area but accepts one that may select nobody (a circle at sea)', () => {
    expect(refusal(() => validateArea(none, geo)).details.reason).toBe('empty');
    expect(validateArea(area({ circles: [{ lat: 0, lon: -30, radiusKm: 5 }] }), geo).circles).toHaveLength(1);
  });

  it('names the ring and position of each geometry problem', () => {
    const cases: [GeoJSON.Polygon | GeoJSON.MultiPolygon, string, string][] = [
      [polygon('0 0, 1 0, 1 1, 0 1'), 'unclosed_ring', '/area/polygons/0/coordinates/0'],
      [polygon('0 0, 1 0, 0 0'), 'too_few_positions', '/area/polygons/0/coordinates/0'],
      [polygon('0 0, 1 0, 1 91, 0 0'), 'coordinates_out_of_range', '/area/polygons/0/coordinates/0/2'],
      [polygon('0 0, 1 0, 400 1, 0 0'), 'coordinates_out_of_range', '/area/polygons/0/coordinates/0/2'],
      [
        { type: 'Polygon', coordinates: [ring('0 0, 4 0, 4 4, 0 0'), ring('1 1, 2 1, 2 2, 1 1')] },
        'hole_not_supported',
        '/area/polygons/0/coordinates/1',
      ],
      [
        {
          type: 'MultiPolygon',
          coordinates: [[ring('0 0, 1 0, 1 1, 0 0')], [ring('5 5, 6 5, 6 6, 5 5, 5 6')]],
        },
        'unclosed_ring',
        '/area/polygons/0/coordinates/1/0',
      ],
      [
        {
          type: 'Polygon',
          coordinates: [
            [
              [0, 0],
              [1, 0],
              ['x', 1],
              [0, 0],
            ],
          ],
        } as unknown as GeoJSON.Polygon,
        'malformed',
        '/area/polygons/0/coordinates/0/2',
      ],
    ];
    for (const [g, reason, at] of cases) {
      expect(refusal(() => validateArea(area({ polygons: [g] }), geo))).toMatchObject({
        code: 'invalid_area',
        details: { reason, at },
      });
    }
  });

  it('refuses a self-intersecting outline, naming both edges and the crossing point', () => {
    const e = refusal(() =>
      validateArea(area({ polygons: [BASRAH_CBD, polygon('47 30, 48 31, 48 30, 47 31, 47 30')] }), geo),
    );
    expect(e.details).toMatchObject({
      reason: 'self_intersection',
      at: '/area/polygons/1/coordinates',
      kind: 'cross',
      point: [47.5, 30.5],
    });
    expect((e.details.edges as string[]).sort()).toEqual([
      '/area/polygons/1/coordinates/0/0',
      '/area/polygons/1/coordinates/0/2',
    ]);
  });

  it('counts positions per ring and per alert', () => {
    const big = (n: number, cx: number): GeoJSON.Polygon => {
      const pts = Array.from({ length: n - 1 }, (_, i) => [
        cx + Math.cos((2 * Math.PI * i) / (n - 1)),
        Math.sin((2 * Math.PI * i) / (n - 1)),
      ]);
      return { type: 'Polygon', coordinates: [[...pts, pts[0]!]] };
    };
    expect(
      validateArea(area({ polygons: [big(AREA_LIMITS.positionsPerRing, 0)] }), geo).polygons,
    ).toHaveLength(1);
    expect(refusal(() => validateArea(area({ polygons: [big(1001, 0)] }), geo)).details).toMatchObject({
      reason: 'too_many_positions',
      at: '/area/polygons/0/coordinates/0',
    });
    const eleven = Array.from({ length: 11 }, (_, i) => big(1000, i * 3));
    expect(validateArea(area({ polygons: eleven.slice(0, 10) }), geo).polygons).toHaveLength(10);
    expect(refusal(() => validateArea(area({ polygons: eleven }), geo)).details).toMatchObject({
      reason: 'too_many_positions',
      at: '/area/polygons',
      positions: 11_000,
    });
  });

  it('cuts a polygon across the antimeridian into a MultiPolygon, given either way (RFC 7946)', () => {
    // Fiji-like box from 178°E to 178°W, as a map unwrapping longitudes draws it and as wrapped ones.
    const unwrapped = polygon('178 -17, 182 -17, 182 -16, 178 -16, 178 -17');
    const wrapped = polygon('178 -17, -178 -17, -178 -16, 178 -16, 178 -17');
    for (const g of [unwrapped, wrapped]) {
      const [out] = validateArea(area({ polygons: [g] }), geo).polygons;
      expect(out!.type).toBe('MultiPolygon');
      const parts = (out as GeoJSON.MultiPolygon).coordinates;
      expect(parts).toHaveLength(2);
      for (const p of parts) for (const [lon] of p[0]!) expect(Math.abs(lon!)).toBeLessThanOrEqual(180);
      expect(areaContains(out!, 179.5, -16.5)).toBe(true);
      expect(areaContains(out!, -179.5, -16.5)).toBe(true);
      expect(areaContains(out!, 0, -16.5)).toBe(false);
    }
    // Entirely past 180: moved back, not cut.
    const [east] = validateArea(
      area({ polygons: [polygon('190 10, 191 10, 191 11, 190 10')] }),
      geo,
    ).polygons;
    expect(east).toEqual(polygon('-170 10, -169 10, -169 11, -170 10'));
  });

  it('refuses rings around a pole and ambiguous 180° edges', () => {
    const pole = polygon('0 70, 180 70, 180 71, 0 71, 0 70');
    expect(refusal(() => validateArea(area({ polygons: [pole] }), geo)).details.reason).toBe('too_wide');
    const round = polygon('0 80, 100 80, -160 80, -60 80, 0 80');
    expect(refusal(() => validateArea(area({ polygons: [round] }), geo)).details).toMatchObject({
      reason: 'encircles_pole',
      at: '/area/polygons/0/coordinates/0',
    });
  });

  it('checks circles', () => {
    expect(validateArea(area({ circles: [{ lat: 30.5, lon: 47.8, radiusKm: 2 }] }), geo).circles).toEqual([
      { lat: 30.5, lon: 47.8, radiusKm: 2 },
    ]);
    for (const radiusKm of [0, -1, 1001, Number.NaN]) {
      const e = refusal(() => validateArea(area({ circles: [{ lat: 30.5, lon: 47.8, radiusKm }] }), geo));
      expect(e.details.reason).toBe(Number.isNaN(radiusKm) ? 'malformed' : 'radius_out_of_range');
    }
    expect(
      refusal(() => validateArea(area({ circles: [{ lat: 95, lon: 47.8, radiusKm: 2 }] }), geo)).details,
    ).toMatchObject({ reason: 'coordinates_out_of_range', at: '/area/circles/0' });
  });
});

describe('alert time window', () => {
  const now = new Date('2018-09-08T10:00:00Z');
  it('needs effective before expires, and expires ahead', () => {
    validateAlertWindow({ effective: '2018-09-08T09:00:00Z', expires: '2018-09-09T00:00:00+03:00' }, now);
    expect(
      refusal(() =>
        validateAlertWindow({ effective: '2018-09-09T00:00:00Z', expires: '2018-09-09T00:00:00Z' }, now),
      ).code,
    ).toBe('invalid_dates');
    expect(
      refusal(() =>
        validateAlertWindow({ effective: '2018-09-07T00:00:00Z', expires: '2018-09-08T09:59:59Z' }, now),
      ).code,
    ).toBe('alert_expired');
    expect(
      refusal(() => validateAlertWindow({ effective: '2018-09-08', expires: '2018-09-09T00:00:00Z' }, now))
        .details,
    ).toMatchObject({ path: '/cap/effective' });
  });
});
