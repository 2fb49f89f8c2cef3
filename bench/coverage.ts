import { performance } from 'node:perf_hooks';
import { loadGeography } from '../src/domain/geo/index.ts';
import type { AreaGeometry, Country } from '../src/domain/geo/types.ts';
import { systemActor } from '../src/services/audit/audit.ts';
import { coverageAt, coverageIndex } from '../src/services/posts/coverage.ts';
import { createPost } from '../src/services/posts/posts.ts';
import { percentile } from './machine.ts';
import { type BenchBackend, benchContext } from './stores.ts';

/** A small mulberry32 generator: the same posts and points on every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function octagon(lon: number, lat: number, r: number): AreaGeometry {
  const ring = Array.from({ length: 8 }, (_, i) => [
    lon + r * Math.cos((i * Math.PI) / 4),
    lat + r * Math.sin((i * Math.PI) / 4),
  ]);
  return { type: 'Polygon', coordinates: [[...ring, ring[0]!]] };
}

const centre = (b: Country['bbox']) => ({ lon: (b[0] + b[2]) / 2, lat: (b[1] + b[3]) / 2 });

/**
 * 300 posts: 240 whose districts split the regions of 120 countries in two, and 60 drawn districts
 * in 60 other countries. Then 100k lookups (half uniform over the globe, mostly sea; half inside
 * countries with posts), timed one by one on the in-memory index, and 10k through the service
 * (which also checks the revision counter at most once per second).
 */
export async function coverageBench(backend: BenchBackend, lookups = 100_000): Promise<void> {
  const ctx = await benchContext(backend);
  try {
    const geo = loadGeography();
    const countries = geo
      .countries()
      .filter((c) => c.bbox[2] - c.bbox[0] < 60)
      .sort((a, b) => a.code.localeCompare(b.code));
    const withRegions = countries.filter((c) => geo.regions(c.code).length >= 4).slice(0, 120);
    const others: Country[] = [];
    const t0 = performance.now();
    for (const c of withRegions) {
      const regions = geo.regions(c.code);
      const half = Math.ceil(regions.length / 2);
      for (const [i, part] of [regions.slice(0, half), regions.slice(half)].entries()) {
        const at = centre(part[0]!.bbox);
        await createPost(ctx, systemActor, {
          kind: i === 0 ? 'embassy' : 'consulate_general',
          name: `${c.name} ${i === 0 ? 'Embassy' : 'Consulate'}`,
          city: part[0]!.name,
          country: c.code,
          location: { lat: at.lat, lon: at.lon },
          district: { regions: part.map((r) => r.code) },
        });
      }
    }
    for (const c of countries.filter((x) => !withRegions.includes(x))) {
      if (others.length === 60) break;
      const at = centre(c.bbox);
      const r = Math.max(0.05, Math.min(0.5, (c.bbox[2] - c.bbox[0]) / 6));
      try {
        await createPost(ctx, systemActor, {
          kind: 'office',
          name: `${c.name} Office`,
          city: c.name,
          country: c.code,
          location: { lat: at.lat, lon: at.lon },
          district: { geometry: octagon(at.lon, at.lat, r) },
        });
        others.push(c);
      } catch (err) {
        // Some territories sit inside a neighbour's regions (the overlap rule refuses them): skip.
        if ((err as { code?: string }).code !== 'district_overlap') throw err;
      }
    }
    const writeMs = performance.now() - t0;
    const t1 = performance.now();
    const { index } = await coverageIndex(ctx);
    const buildMs = performance.now() - t1;

    const random = rng(42);
    const points: Array<[number, number]> = [];
    for (let i = 0; i < lookups; i++) {
      if (i % 2 === 0) {
        points.push([random() * 180 - 90, random() * 360 - 180]);
      } else {
        const c = withRegions[Math.floor(random() * withRegions.length)]!;
        points.push([
          c.bbox[1] + random() * (c.bbox[3] - c.bbox[1]),
          c.bbox[0] + random() * (c.bbox[2] - c.bbox[0]),
        ]);
      }
    }
    for (const [lat, lon] of points.slice(0, 20_000)) index.lookup(lat, lon); // warm the region bands
    const times = new Float64Array(lookups);
    let found = 0;
    for (let i = 0; i < lookups; i++) {
      const [lat, lon] = points[i]!;
      const s = performance.now();
      const a = index.lookup(lat, lon);
      times[i] = performance.now() - s;
      if (a.served) found++;
    }
    const sorted = [...times].sort((a, b) => a - b);
    const svc: number[] = [];
    for (const [lat, lon] of points.slice(0, 10_000)) {
      const s = performance.now();
      await coverageAt(ctx, lat, lon);
      svc.push(performance.now() - s);
    }
    svc.sort((a, b) => a - b);
    const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
    console.log(
      `coverage/${backend}: ${index.size} posts (${withRegions.length * 2} by regions, ${others.length} drawn) written in ` +
        `${writeMs.toFixed(0)} ms, index built in ${buildMs.toFixed(0)} ms; ${lookups} lookups ` +
        `(${found} served): p50 ${us(percentile(sorted, 50))}, p99 ${us(percentile(sorted, 99))}, ` +
        `max ${us(sorted[sorted.length - 1]!)}; via service p50 ${us(percentile(svc, 50))}, p99 ${us(percentile(svc, 99))}`,
    );
  } finally {
    await ctx.dispose();
  }
}
