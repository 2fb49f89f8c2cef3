import { describe, expect, it } from 'vitest';
import { validateEditionContent } from '../../src/domain/advisories/edition.ts';
import { validateZoneGeometry } from '../../src/domain/advisories/geometry.ts';
import { AREA_LIMITS } from '../../src/domain/alerts/area.ts';
import { WardenError } from '../../src/domain/errors.ts';
import { loadGeography } from '../../src/domain/geo/index.ts';
import { countPositions, GEOMETRY_LIMITS } from '../../src/domain/geo/limits.ts';
import { areasOverlap } from '../../src/domain/geo/overlap.ts';
import type { AreaGeometry } from '../../src/domain/geo/types.ts';
import { validateDistrict } from '../../src/domain/posts/districts.ts';

const square = (lon: number, lat: number, size = 1): AreaGeometry => ({
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

/** A simple ring of n positions (n - 1 distinct) around (lon, lat). */
const circle = (n: number, lon: number, lat: number, r: number): AreaGeometry => {
  const ring = Array.from({ length: n - 1 }, (_, i) => {
    const t = (2 * Math.PI * i) / (n - 1);
    return [lon + r * Math.cos(t), lat + r * Math.sin(t)];
  });
  return { type: 'Polygon', coordinates: [[...ring, ring[0]!]] };
};

const details = (f: () => unknown): Record<string, unknown> => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(WardenError);
    expect((e as WardenError).code).toBe('invalid_geometry');
    return (e as WardenError).details as Record<string, unknown>;
  }
  throw new Error('accepted');
};

const cpuMs = (f: () => unknown): number => {
  const t = process.cpuUsage();
  try {
    f();
  } catch {
    // timing a refusal
  }
  const u = process.cpuUsage(t);
  return (u.user + u.system) / 1000;
};

describe('geometry limits (issue 11, item 5)', () => {
  const geo = loadGeography();
  const now = new Date('2026-01-01T00:00:00Z');
  const edition = (zones: AreaGeometry[]) => ({
    level: 3,
    summary: 'Limits.',
    changeNote: 'Test.',
    zones: zones.map((geometry, i) => ({ name: `Zone ${i}`, level: 3, geometry })),
  });

  it('declares one table that the alert code reads too', () => {
    expect(AREA_LIMITS.positionsPerRing).toBe(GEOMETRY_LIMITS.alertRingPositions);
    expect(AREA_LIMITS.positionsPerAlert).toBe(GEOMETRY_LIMITS.alertAreaPositions);
    expect(countPositions(circle(10, 0, 0, 1))).toBe(10);
    expect(countPositions({ type: 'MultiPolygon', coordinates: 'x' } as unknown as AreaGeometry)).toBe(0);
  });

  it('refuses the 17 x 5,000-position edition by its total, at once', () => {
    const zones = Array.from({ length: 17 }, (_, i) =>
      circle(5000, 41 + (i % 4) * 2, 30 + Math.floor(i / 4), 0.4),
    );
    const input = edition(zones);
    expect(details(() => validateEditionContent('IQ', input, now, geo))).toMatchObject({
      field: 'zones',
      reason: 'too_many_positions',
      positions: 85_000,
      max: GEOMETRY_LIMITS.editionPositions,
    });
    // It used to take 10.5 s of CPU; refusing it looks at no geometry.
    expect(cpuMs(() => validateEditionContent('IQ', input, now, geo))).toBeLessThan(50);
  });

  it('accepts the largest allowed edition in Iraq, checked by the sweep', () => {
    const n = Math.floor(GEOMETRY_LIMITS.editionPositions / GEOMETRY_LIMITS.zonePositions);
    const zones = Array.from({ length: n }, (_, i) => circle(GEOMETRY_LIMITS.zonePositions, 42 + i, 33, 0.4));
    expect(validateEditionContent('IQ', edition(zones), now, geo).zones).toHaveLength(n);
    // A zone one position over its own limit is named precisely.
    const big = circle(GEOMETRY_LIMITS.zonePositions + 1, 44, 33, 0.4);
    expect(details(() => validateZoneGeometry(big, 'zones[0].geometry'))).toMatchObject({
      field: 'zones[0].geometry',
      reason: 'too_many_positions',
      positions: GEOMETRY_LIMITS.zonePositions + 1,
      max: GEOMETRY_LIMITS.zonePositions,
    });
  });

  it('limits districts and restrictions and finds their crossings with the sweep', () => {
    const big = circle(GEOMETRY_LIMITS.districtPositions + 1, 47.8, 30.5, 0.3);
    expect(details(() => validateDistrict(geo, 'IQ', { regions: [], geometry: big }))).toMatchObject({
      reason: 'too_many_positions',
      at: '/district/geometry/coordinates',
      max: GEOMETRY_LIMITS.districtPositions,
    });
    expect(
      validateDistrict(geo, 'IQ', { regions: [], geometry: circle(5000, 47.8, 30.5, 0.3) }).geometry,
    ).not.toBeNull();
    // A ring that touches itself at a position: kinks let it pass, the sweep does not.
    const touching: AreaGeometry = {
      type: 'Polygon',
      coordinates: [
        [
          [47, 30],
          [48, 30],
          [47.5, 30.5],
          [48, 31],
          [47, 31],
          [47.5, 30.5],
          [47, 30],
        ],
      ],
    };
    expect(details(() => validateDistrict(geo, 'IQ', { regions: [], geometry: touching }))).toMatchObject({
      reason: 'self_intersection',
      kind: 'touch',
    });
  });
});

describe('areasOverlap', () => {
  it('answers inside, around, crossing without a shared position, and apart within the box', () => {
    expect(areasOverlap(square(1, 1), square(0, 0, 5))).toBe(true);
    expect(areasOverlap(square(0, 0, 5), square(1, 1))).toBe(true);
    // A plus sign: neither holds a corner of the other, the edges cross.
    const wide: AreaGeometry = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 1],
          [3, 1],
          [3, 2],
          [0, 2],
          [0, 1],
        ],
      ],
    };
    const tall: AreaGeometry = {
      type: 'Polygon',
      coordinates: [
        [
          [1, 0],
          [2, 0],
          [2, 3],
          [1, 3],
          [1, 0],
        ],
      ],
    };
    expect(areasOverlap(wide, tall)).toBe(true);
    // An L whose box holds the square but whose ground does not.
    const ell: AreaGeometry = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [4, 0],
          [4, 1],
          [1, 1],
          [1, 4],
          [0, 4],
          [0, 0],
        ],
      ],
    };
    expect(areasOverlap(square(2, 2), ell)).toBe(false);
    expect(areasOverlap(square(10, 10), ell)).toBe(false);
    // Holes count: a square in the hole of a frame does not overlap it.
    const frame: AreaGeometry = {
      type: 'Polygon',
      coordinates: [
        square(0, 0, 10).coordinates[0] as number[][],
        (square(2, 2, 6).coordinates[0] as number[][]).slice().reverse(),
      ],
    };
    expect(areasOverlap(square(4, 4), frame)).toBe(false);
    expect(areasOverlap(square(1, 4, 5), frame)).toBe(true);
  });
});
