import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { kinks } from '@turf/kinks';
import type * as GeoJSON from 'geojson';
import { validateEditionContent } from '../src/domain/advisories/edition.ts';
import { validateArea } from '../src/domain/alerts/area.ts';
import type { AlertArea } from '../src/domain/alerts/types.ts';
import { loadGeography } from '../src/domain/geo/index.ts';
import { GEOMETRY_LIMITS } from '../src/domain/geo/limits.ts';
import { findSelfIntersection } from '../src/domain/geo/simple-polygon.ts';
import type { AreaGeometry } from '../src/domain/geo/types.ts';
import { validateDistrict } from '../src/domain/posts/districts.ts';
import { percentile } from './machine.ts';

/** A mulberry32 generator: the same shapes on every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A jagged closed ring of n positions around (lon, lat), simple by construction (star-shaped). */
function jagged(r: () => number, n: number, lon: number, lat: number, radius: number): GeoJSON.Position[] {
  const ring = Array.from({ length: n - 1 }, (_, i) => {
    const t = (2 * Math.PI * i) / (n - 1);
    const d = radius * (0.6 + 0.4 * r());
    return [lon + d * Math.cos(t), lat + d * Math.sin(t)];
  });
  return [...ring, ring[0]!];
}

interface Case {
  readonly name: string;
  readonly positions: number;
  readonly ours: () => unknown;
  readonly turf: () => unknown;
  /** Rounds of the quadratic baseline (it takes seconds on the large case). */
  readonly turfRounds: number;
}

function cases(): Case[] {
  const r = rng(2018);
  // The alert limits: 10 polygons of 1,000 positions around Basrah, through the whole validation.
  const polygons: AreaGeometry[] = Array.from({ length: 10 }, (_, i) => ({
    type: 'Polygon',
    coordinates: [jagged(r, 1000, 47.6 + (i % 5) * 0.1, 30.4 + Math.floor(i / 5) * 0.1, 0.04)],
  }));
  const area: AlertArea = { countries: [], regions: [], polygons, circles: [] };
  const noGeo = { country: () => undefined, region: () => undefined };
  const one: AreaGeometry = { type: 'Polygon', coordinates: [jagged(r, 10_000, 47.8, 30.5, 0.3)] };
  const rings = [jagged(r, 5000, 44, 33, 10)];
  for (let i = 0; i < 16; i++) {
    rings.push(jagged(r, 5000, 41 + (i % 4) * 2, 30 + Math.floor(i / 4) * 2, 0.8).reverse());
  }
  const many: AreaGeometry = { type: 'Polygon', coordinates: rings };
  // The largest advisory edition allowed: its whole position budget in zones of the largest size,
  // inside Iraq, through the full validation (limits, sweep, overlap with the country's shape).
  const geo = loadGeography();
  const L = GEOMETRY_LIMITS;
  const zoneCount = Math.floor(L.editionPositions / L.zonePositions);
  const zones = Array.from({ length: zoneCount }, (_, i) => ({
    name: `Zone ${i + 1}`,
    level: 4,
    geometry: { type: 'Polygon', coordinates: [jagged(r, L.zonePositions, 42 + i, 33, 0.4)] },
  }));
  const edition = { level: 4, summary: 'Largest edition.', changeNote: 'Bench.', zones };
  const now = new Date();
  const district = {
    regions: [],
    geometry: {
      type: 'Polygon',
      coordinates: [jagged(r, L.districtPositions, 47.8, 30.5, 0.3)],
    } as AreaGeometry,
  };
  // The hostile edition of issue 11 (17 zones x 5,000 positions): refused by the edition total.
  const hostile = {
    ...edition,
    zones: Array.from({ length: 17 }, (_, i) => ({
      name: `Zone ${i + 1}`,
      level: 4,
      geometry: {
        type: 'Polygon',
        coordinates: [jagged(r, 5000, 41 + (i % 4) * 2, 30 + Math.floor(i / 4), 0.4)],
      },
    })),
  };
  const refused = (f: () => unknown) => () => {
    try {
      f();
    } catch {
      return;
    }
    throw new Error('the hostile edition was accepted');
  };
  return [
    {
      name: `largest advisory edition, ${zoneCount} zones x ${L.zonePositions} positions in Iraq, validateEditionContent vs kinks per zone`,
      positions: zoneCount * L.zonePositions,
      ours: () => validateEditionContent('IQ', edition, now, geo),
      turf: () => zones.map((z) => kinks(z.geometry as AreaGeometry)),
      turfRounds: 2,
    },
    {
      name: `largest district or restriction, ${L.districtPositions} positions, validateDistrict vs kinks`,
      positions: L.districtPositions,
      ours: () => validateDistrict(geo, 'IQ', district),
      turf: () => kinks(district.geometry),
      turfRounds: 3,
    },
    {
      name: 'hostile edition, 17 zones x 5,000 positions, refused (too_many_positions) vs kinks per zone',
      positions: 85_000,
      ours: refused(() => validateEditionContent('IQ', hostile, now, geo)),
      turf: () => hostile.zones.map((z) => kinks(z.geometry as AreaGeometry)),
      turfRounds: 1,
    },
    {
      name: 'alert area, 10 polygons x 1,000 positions, full validateArea vs kinks per polygon',
      positions: 10_000,
      ours: () => validateArea(area, noGeo),
      turf: () => polygons.map((g) => kinks(g)),
      turfRounds: 5,
    },
    {
      name: 'one ring of 10,000 positions',
      positions: 10_000,
      ours: () => findSelfIntersection(one),
      turf: () => kinks(one),
      turfRounds: 3,
    },
    {
      name: '17 rings x 5,000 positions (one polygon with 16 holes)',
      positions: 85_000,
      ours: () => findSelfIntersection(many),
      turf: () => kinks(many),
      // kinks takes 40 s of CPU on this one (96 s wall on a loaded machine): opt in.
      turfRounds: process.env.WARDEN_BENCH_SLOW ? 1 : 0,
    },
  ];
}

/** Wall and CPU milliseconds of one call (CPU time is what a loaded, shared machine distorts least). */
const time = (f: () => unknown): [number, number] => {
  const cpu = process.cpuUsage();
  const t = performance.now();
  f();
  const wall = performance.now() - t;
  const used = process.cpuUsage(cpu);
  return [wall, (used.user + used.system) / 1000];
};

const p50 = (xs: number[]): number =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

/**
 * Self-intersection and area validation: the sweep (src/domain/geo/simple-polygon.ts) against
 * @turf/kinks, which advisories and posts use today and which compares every pair of edges.
 * Rounds alternate ours and the baseline so that load on the machine hits both alike; the goal is
 * under 100 ms for each case.
 */
export async function geometryValidateBench(rounds = 15): Promise<void> {
  console.log(
    `geometry-validate: load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${os.cpus().length} cores`,
  );
  for (const c of cases()) {
    for (let i = 0; i < 3; i++) c.ours(); // warm the JIT
    const ours: [number, number][] = [];
    const turf: [number, number][] = [];
    for (let i = 0; i < rounds; i++) {
      ours.push(time(c.ours));
      if (i < c.turfRounds) turf.push(time(c.turf));
    }
    const [wall, cpu] = [p50(ours.map((t) => t[0])), p50(ours.map((t) => t[1]))];
    const [tWall, tCpu] = [p50(turf.map((t) => t[0])), p50(turf.map((t) => t[1]))];
    const baseline = turf.length
      ? `@turf/kinks p50 ${tWall.toFixed(0)} ms wall, ${tCpu.toFixed(0)} ms CPU over ${turf.length}; ratio ${(tCpu / cpu).toFixed(0)}x (CPU)`
      : '@turf/kinks not run (WARDEN_BENCH_SLOW=1 runs it)';
    console.log(
      `geometry-validate: ${c.name} (${c.positions} positions): sweep p50 ${wall.toFixed(1)} ms wall, ` +
        `${cpu.toFixed(1)} ms CPU, max ${Math.max(...ours.map((t) => t[0])).toFixed(1)} ms wall over ${rounds} runs; ` +
        `${baseline}; under 100 ms: ${wall < 100 ? 'yes' : 'NO'} wall, ${cpu < 100 ? 'yes' : 'NO'} CPU`,
    );
  }
}
