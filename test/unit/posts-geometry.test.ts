import { describe, expect, it } from 'vitest';
import { WardenError } from '../../src/domain/errors.ts';
import { loadGeography } from '../../src/domain/geo/index.ts';
import type { AreaGeometry } from '../../src/domain/geo/types.ts';
import { findGaps, findOverlaps, RegionShapes, validateDistrict } from '../../src/domain/posts/districts.ts';
import {
  areaContains,
  areaKm2,
  intersectionKm2,
  uncoveredKm2,
  validateAreaGeometry,
} from '../../src/domain/posts/geometry.ts';

const square = (lon: number, lat: number, size: number): AreaGeometry => ({
  type: 'Polygon',
  coordinates: [
    [
      [lon, lat],
      [lon + size, lat],
      [lon + size, lat + size],
      [lon, lat + size],
      [lon, lat],
    ],
  ],
});

function problem(g: AreaGeometry, within?: [number, number, number, number]) {
  try {
    validateAreaGeometry(g, '/district/geometry', within);
  } catch (e) {
    expect(e).toBeInstanceOf(WardenError);
    const err = e as WardenError;
    expect(err.code).toBe('invalid_geometry');
    return err.details;
  }
  return null;
}

describe('district geometry', () => {
  it('accepts a simple polygon, a polygon with a hole and a multipolygon', () => {
    expect(problem(square(47, 30, 1))).toBeNull();
    const holed: AreaGeometry = {
      type: 'Polygon',
      coordinates: [
        square(47, 30, 1).coordinates[0] as number[][],
        (square(47.25, 30.25, 0.5) as { coordinates: number[][][] }).coordinates[0]!.slice().reverse(),
      ],
    };
    expect(problem(holed)).toBeNull();
    expect(
      problem({
        type: 'MultiPolygon',
        coordinates: [
          square(40, 30, 1).coordinates as number[][][],
          square(45, 30, 1).coordinates as number[][][],
        ],
      }),
    ).toBeNull();
  });

  it('names the reason and where', () => {
    expect(
      problem({
        type: 'Polygon',
        coordinates: [
          [
            [47, 30],
            [48, 30],
            [48, 31],
            [47, 31],
          ],
        ],
      }),
    ).toEqual({
      reason: 'unclosed_ring',
      at: '/district/geometry/coordinates/0',
    });
    expect(
      problem({
        type: 'Polygon',
        coordinates: [
          [
            [47, 30],
            [48, 30],
            [47, 30],
          ],
        ],
      }),
    ).toMatchObject({
      reason: 'too_few_points',
      at: '/district/geometry/coordinates/0',
    });
    expect(problem({ type: 'Polygon', coordinates: [] })).toMatchObject({ reason: 'too_few_points' });
    // A bow tie: the edges cross in the middle.
    const bowTie = problem({
      type: 'Polygon',
      coordinates: [
        [
          [47, 30],
          [48, 31],
          [48, 30],
          [47, 31],
          [47, 30],
        ],
      ],
    });
    expect(bowTie).toMatchObject({ reason: 'self_intersection', at: '/district/geometry/coordinates' });
    expect(bowTie?.point).toEqual([47.5, 30.5]);
    expect(
      problem({
        type: 'MultiPolygon',
        coordinates: [
          square(40, 30, 1).coordinates as number[][][],
          [
            [
              [0, 0],
              [1, 0],
              [1, 1],
              [0, 0.5],
            ],
          ],
        ],
      }),
    ).toMatchObject({ reason: 'unclosed_ring', at: '/district/geometry/coordinates/1/0' });
  });

  it('catches latitude/longitude swapped: out of range, or far from the country', () => {
    // Jakarta written (lat, lon): latitude 106 is impossible.
    expect(
      problem({
        type: 'Polygon',
        coordinates: [
          [
            [-6.1, 106.8],
            [-6.2, 106.8],
            [-6.2, 106.9],
            [-6.1, 106.8],
          ],
        ],
      }),
    ).toMatchObject({
      reason: 'out_of_range',
      at: '/district/geometry/coordinates/0/0',
      position: [-6.1, 106.8],
    });
    expect(problem(square(179.5, 0, 1))).toMatchObject({
      reason: 'out_of_range',
      at: '/district/geometry/coordinates/0/1',
    });
    // Basrah written (lat, lon) lands in the Black Sea region: in range, but nowhere near Iraq.
    const iraq = loadGeography().country('IQ')!.bbox;
    expect(problem(square(30.5, 47.78, 0.03), iraq)).toMatchObject({ reason: 'outside_country' });
    expect(problem(square(47.78, 30.5, 0.03), iraq)).toBeNull();
  });

  it('measures areas, intersections and what is left uncovered', () => {
    const a = square(47, 30, 1);
    expect(areaKm2(a)).toBeGreaterThan(10_000);
    expect(areaKm2(a)).toBeLessThan(11_000);
    expect(intersectionKm2(a, square(47.5, 30, 1))).toBeCloseTo(areaKm2(a) / 2, -1);
    expect(intersectionKm2(a, square(48, 30, 1))).toBe(0); // touching only
    expect(uncoveredKm2(a, [square(47, 30, 0.5), square(47.5, 30, 0.5)])).toBeCloseTo(areaKm2(a) / 2, -2);
    expect(uncoveredKm2(a, [square(46, 29, 3)])).toBe(0);
    expect(areaContains(a, 47.5, 30.5)).toBe(true);
    expect(areaContains(a, 48.5, 30.5)).toBe(false);
  });
});

describe('districts', () => {
  const geo = loadGeography();
  const shapes = new RegionShapes(geo);
  const owner = (id: string, regions: string[], geometry: AreaGeometry | null = null) => ({
    id,
    name: id,
    country: 'IQ',
    district: { regions, geometry },
  });

  it('normalises regions and refuses those of another country', () => {
    expect(validateDistrict(geo, 'IQ', { regions: ['iq-ba', 'IQ-BA', 'IQ-MA'], geometry: null })).toEqual({
      regions: ['IQ-BA', 'IQ-MA'],
      geometry: null,
    });
    expect(() =>
      validateDistrict(geo, 'IQ', { regions: ['IQ-BA', 'KW-KU', 'IQ-ZZ'], geometry: null }),
    ).toThrow(
      expect.objectContaining({
        code: 'unknown_region',
        details: expect.objectContaining({ invalid: ['IQ-ZZ', 'KW-KU'] }),
      }),
    );
  });

  it('finds shared regions and polygon/region overlaps above the tolerance', () => {
    const basrah = owner('basrah', ['IQ-BA', 'IQ-MA']);
    expect(findOverlaps(shapes, owner('x', ['IQ-MA']), [basrah])).toEqual([
      { postId: 'basrah', postName: 'basrah', regions: ['IQ-MA'], areaKm2: expect.any(Number) },
    ]);
    const inBasrah = owner('y', [], square(47.5, 30.3, 0.2));
    const [o] = findOverlaps(shapes, inBasrah, [basrah]);
    expect(o?.regions).toEqual([]);
    expect(o?.areaKm2).toBeGreaterThan(300);
    // A sliver under 1 km² along the border is tolerated.
    expect(findOverlaps(shapes, owner('z', [], square(47.5, 30.3, 0.005)), [basrah])).toEqual([]);
    expect(findOverlaps(shapes, owner('w', ['IQ-BG']), [basrah])).toEqual([]);
  });

  it('reports uncovered regions, and the part of a region a polygon leaves', () => {
    const all = geo.regions('IQ').map((r) => r.code);
    const rest = all.filter((c) => c !== 'IQ-BA' && c !== 'IQ-MU');
    const gaps = findGaps(geo, shapes, 'IQ', [owner('a', rest), owner('b', [], square(47.1, 30.4, 0.3))]);
    expect(gaps.map((g) => g.region)).toEqual(['IQ-BA', 'IQ-MU']);
    const ba = gaps.find((g) => g.region === 'IQ-BA')!;
    expect(ba.partial).toBe(true);
    expect(ba.areaKm2).toBeLessThan(ba.regionAreaKm2);
    expect(gaps.find((g) => g.region === 'IQ-MU')?.partial).toBe(false);
    expect(findGaps(geo, shapes, 'IQ', [owner('a', all)])).toEqual([]);
  });
});
