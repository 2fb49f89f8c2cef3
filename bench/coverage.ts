import { performance } from 'node:perf_hooks';
import { loadGeography } from '../src/domain/geo/index.ts';
import type { AreaGeometry, Country } from '../src/domain/geo/types.ts';
import { buildApp } from '../src/server/app.ts';
import { systemActor } from '../src/services/audit/audit.ts';
import { coverageIndex } from '../src/services/posts/coverage.ts';
import { createPost } from '../src/services/posts/posts.ts';
import { compareWithHelloWorld } from './http.ts';
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
 * in 60 other countries. Then 100k lookups of land points in countries with posts, timed one by one
 * on the in-memory index (after a warm-up on other points), and the HTTP route clients use,
 * GET /api/public/coverage, in rounds alternating with a Fastify hello-world (bench/http.ts).
 */
export async function coverageBench(backend: BenchBackend, lookups = 50_000): Promise<void> {
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

    // Land points only (clients ask where they are, not mid-ocean), inside countries with posts;
    // the warm-up has its own points, so the timed lookups do not find their bands already built.
    const random = rng(42);
    const withPosts = [...withRegions, ...others];
    const landPoints = (n: number): Array<[number, number]> => {
      const out: Array<[number, number]> = [];
      while (out.length < n) {
        const c = withPosts[Math.floor(random() * withPosts.length)]!;
        const lat = c.bbox[1] + random() * (c.bbox[3] - c.bbox[1]);
        const lon = c.bbox[0] + random() * (c.bbox[2] - c.bbox[0]);
        if (geo.countryAt(lat, lon, { toleranceKm: 0 })) out.push([lat, lon]);
      }
      return out;
    };
    const warm = landPoints(20_000);
    const points = landPoints(lookups);
    for (const [lat, lon] of warm) index.lookup(lat, lon);
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
    const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
    const tag = `coverage/${backend}`;
    console.log(
      `${tag}: ${index.size} posts (${withRegions.length * 2} by regions, ${others.length} drawn) written in ` +
        `${writeMs.toFixed(0)} ms, index built in ${buildMs.toFixed(0)} ms; ${lookups} lookups of land points ` +
        `(${found} served) in memory: p50 ${us(percentile(sorted, 50))}, p99 ${us(percentile(sorted, 99))}, ` +
        `max ${us(sorted[sorted.length - 1]!)}`,
    );
    // What clients hit: GET /api/public/coverage over HTTP, 2,000 distinct land points cycled.
    const app = await buildApp(ctx);
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const paths = points
        .slice(0, 2000)
        .map(([lat, lon]) => `/api/public/coverage?lat=${lat.toFixed(4)}&lon=${lon.toFixed(4)}`);
      const sample = await fetch(`${base}${paths[0]}`);
      const headerBytes = [...sample.headers].reduce((n, [k, v]) => n + k.length + v.length + 4, 0);
      console.log(
        `${tag}: GET /api/public/coverage answers ${(await sample.arrayBuffer()).byteLength} bytes of JSON with ${headerBytes} bytes of headers`,
      );
      await compareWithHelloWorld(tag, [{ label: 'GET /api/public/coverage (land points)', base, paths }]);
    } finally {
      await app.close();
    }
  } finally {
    await ctx.dispose();
  }
}
