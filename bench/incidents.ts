import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadCities } from '../src/domain/geo/gazetteer.ts';
import { loadGeography } from '../src/domain/geo/index.ts';
import { ACLED_COLUMNS } from '../src/domain/incidents/acled.ts';
import { incidentCollection, pointCollection } from '../src/domain/incidents/geojson.ts';
import { type IncidentType, subTypeLabel, TAXONOMY, typeLabel } from '../src/domain/incidents/taxonomy.ts';
import { importIncidentsCsv } from '../src/imports/incidents/import.ts';
import { systemActor } from '../src/services/audit/audit.ts';
import { searchIncidentMap, searchIncidentPoints } from '../src/services/incidents/incidents.ts';
import { allPostTrends, firingSignals } from '../src/services/incidents/trends.ts';
import { createPost } from '../src/services/posts/posts.ts';
import { percentile } from './machine.ts';
import { type BenchBackend, benchContext } from './stores.ts';

/** Rows of the generated file: WARDEN_BENCH_ROWS (default 1,000,000). */
const ROWS = Number(process.env.WARDEN_BENCH_ROWS || 1_000_000);
/** The generated events span the four years before this moment. */
const END = Date.parse('2024-12-31T00:00:00Z');
const YEARS = 4;
const COUNTRIES = [
  'IQ',
  'SY',
  'YE',
  'AF',
  'PK',
  'IN',
  'NG',
  'CD',
  'SO',
  'SD',
  'ML',
  'BF',
  'MX',
  'BR',
  'CO',
  'UA',
  'MM',
  'PH',
  'ET',
  'KE',
  'CM',
  'LY',
  'LB',
  'TR',
  'IR',
];

function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface City {
  readonly name: string;
  readonly country: string;
  readonly lat: number;
  readonly lon: number;
  readonly weight: number;
}

/** The 150 largest GeoNames places of each bench country, weighted by the root of their population. */
function benchCities(): City[] {
  const wanted = new Set(COUNTRIES);
  const byCountry = new Map<string, City[]>();
  for (const c of loadCities()) {
    if (!wanted.has(c.country)) continue;
    const [lon, lat] = c.loc.coordinates;
    const list = byCountry.get(c.country) ?? [];
    list.push({ name: c.name, country: c.country, lat, lon, weight: Math.sqrt(c.population) });
    byCountry.set(c.country, list);
  }
  return [...byCountry.values()].flatMap((l) => l.sort((a, b) => b.weight - a.weight).slice(0, 150));
}

const csvField = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * Writes an ACLED-shaped CSV of `rows` events (deterministic), returning its size in bytes. As in
 * ACLED's exports, rows are sorted by date (newest first) and each event carries the coordinates
 * of the place it is coded to, so many events share a point.
 */
async function generate(file: string, rows: number, cities: City[]): Promise<number> {
  const geo = loadGeography();
  const random = rng(1997);
  const total = cities.reduce((s, c) => s + c.weight, 0);
  const cumulative: number[] = [];
  let acc = 0;
  for (const c of cities) {
    acc += c.weight / total;
    cumulative.push(acc);
  }
  const pickCity = () => {
    const r = random();
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return cities[lo]!;
  };
  const types = (Object.keys(TAXONOMY) as IncidentType[]).filter((t) => t !== 'other');
  const actors = Array.from({ length: 400 }, (_, i) => `Armed Group ${i} (Bench)`);
  const out = createWriteStream(file);
  out.write(`${ACLED_COLUMNS.join(',')}\n`);
  let lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const city = pickCity();
    const type = types[Math.floor(random() * types.length)]!;
    const subs = Object.keys(TAXONOMY[type].subTypes);
    const sub = subs[Math.floor(random() * subs.length)] as never;
    // Like an ACLED export: newest first, each event at its named place's coordinates.
    const date = new Date(END - Math.floor((i / rows) * YEARS * 365) * 86_400_000).toISOString().slice(0, 10);
    const { lat, lon } = city;
    const country = geo.country(city.country)!;
    const a1 = actors[Math.floor(random() * random() * actors.length)]!;
    const a2 = random() < 0.6 ? `Civilians (${country.name})` : '';
    const v: Record<string, string> = {
      event_id_cnty: `${country.alpha3}${rows - i}`,
      event_date: date,
      year: date.slice(0, 4),
      time_precision: random() < 0.9 ? '1' : '2',
      disorder_type: 'Political violence',
      event_type: typeLabel(type),
      sub_event_type: subTypeLabel(type, sub),
      actor1: a1,
      assoc_actor_1: random() < 0.2 ? `Local Militia (${country.name})` : '',
      inter1: '3',
      actor2: a2,
      inter2: a2 ? '7' : '0',
      interaction: a2 ? '37' : '30',
      iso: String(Number(country.numeric)),
      region: 'Bench',
      country: country.name,
      admin1: '',
      location: city.name,
      latitude: lat.toFixed(4),
      longitude: lon.toFixed(4),
      geo_precision: random() < 0.8 ? '1' : '2',
      source: 'Bench Wire; Local Radio',
      source_scale: 'National',
      notes: `On ${date}, ${a1} was involved in a ${subTypeLabel(type, sub).toLowerCase()} in ${city.name}, according to local sources. No further details were reported.`,
      fatalities: String(Math.floor(random() * random() * 10)),
      tags: '',
      timestamp: '1735600000',
    };
    lines.push(ACLED_COLUMNS.map((c) => csvField(v[c] ?? '')).join(','));
    if (lines.length === 5000) {
      if (!out.write(`${lines.join('\n')}\n`)) await once(out, 'drain');
      lines = [];
    }
  }
  out.end(lines.length ? `${lines.join('\n')}\n` : '');
  await once(out, 'finish');
  return statSync(file).size;
}

/** For profiling the importer on its own: the bench's file, `rows` long. */
export const generateAcledCsv = (file: string, rows: number): Promise<number> =>
  generate(file, rows, benchCities());

let generated: { file: string; bytes: number; ms: number; dir: string; cities: City[] } | undefined;

async function dataFile() {
  if (generated) return generated;
  const dir = mkdtempSync(path.join(tmpdir(), 'warden-bench-acled-'));
  const file = path.join(dir, 'acled.csv');
  const cities = benchCities();
  const t = performance.now();
  const bytes = await generate(file, ROWS, cities);
  generated = { file, bytes, ms: performance.now() - t, dir, cities };
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  console.log(
    `incidents: generated ${ROWS} ACLED rows (${(bytes / 1e6).toFixed(0)} MB, ${COUNTRIES.length} countries) in ${(generated.ms / 1000).toFixed(1)} s`,
  );
  return generated;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * ACLED import (rows/s, target >= 20,000 on SQLite), every post's 52-week trend and the signal
 * dashboard (target < 1 s), and the map query: a viewport and a time window, what the console's
 * map layer asks for (p95 target < 50 ms), and the full GeoJSON export of the same viewports.
 * WARDEN_BENCH_ROWS sets the file's size; WARDEN_BENCH_BACKENDS=sqlite (or postgres) one store.
 */
export async function incidentsBench(backend: BenchBackend): Promise<void> {
  const data = await dataFile();
  const ctx = await benchContext(backend);
  try {
    // Two posts in each country, at its two largest places.
    for (const country of COUNTRIES) {
      const top = data.cities.filter((c) => c.country === country).slice(0, 2);
      for (const [i, c] of top.entries()) {
        await createPost(ctx, systemActor, {
          kind: i === 0 ? 'embassy' : 'consulate_general',
          name: `${c.name} ${i === 0 ? 'Embassy' : 'Consulate'}`,
          city: c.name,
          country,
          location: { lat: c.lat, lon: c.lon },
        });
      }
    }
    // Peak RSS during the import (the process's own maxRSS would include earlier benchmarks).
    const rssBefore = process.memoryUsage.rss() / 2 ** 20;
    let peak = process.memoryUsage.rss();
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss());
    }, 100);
    const t0 = performance.now();
    const c0 = cpuMs();
    const report = await importIncidentsCsv(
      ctx,
      systemActor,
      createReadStream(data.file, { highWaterMark: 1 << 20 }),
    );
    const importMs = performance.now() - t0;
    const importCpu = cpuMs() - c0;
    const rate = report.rows / (importMs / 1000);
    clearInterval(sampler);
    const peakRss = Math.max(peak, process.memoryUsage.rss()) / 2 ** 20;
    const importLoad = os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');

    const at = new Date(END);
    const t1 = performance.now();
    const trends = await allPostTrends(ctx, at);
    const trendsMs = performance.now() - t1;
    const t2 = performance.now();
    const signals = await firingSignals(ctx, { at });
    const signalsMs = performance.now() - t2;

    // The map layer's request (fields=map): the newest 5000 in a viewport and time window, as
    // the console asks; and the full GeoJSON export of the same search (the newest 1000 with
    // actors and post links). Both timed to the JSON text the route sends.
    const mapQuery = async (full: boolean) => {
      const random = rng(7);
      const times: number[] = [];
      let returned = 0;
      for (let i = 0; i < 220; i++) {
        const c = data.cities[Math.floor(random() * Math.min(400, data.cities.length))]!;
        const half = [0.25, 1, 3][i % 3]!;
        const days = [30, 90, 365][Math.floor(random() * 3)]!;
        const end = END - Math.floor(random() * 365) * 86_400_000;
        const search = {
          bbox: [c.lon - half, c.lat - half, c.lon + half, c.lat + half].map((x) => x.toFixed(3)).join(','),
          from: new Date(end - days * 86_400_000).toISOString(),
          to: new Date(end).toISOString(),
        };
        const s = performance.now();
        let n: number;
        if (full) {
          const r = await searchIncidentMap(ctx, { ...search, limit: 1000 });
          JSON.stringify(incidentCollection(r.incidents, r.nextCursor));
          n = r.incidents.length;
        } else {
          const r = await searchIncidentPoints(ctx, { ...search, limit: 5000 });
          JSON.stringify(pointCollection(r.points, r.nextCursor));
          n = r.points.length;
        }
        if (i >= 20) {
          times.push(performance.now() - s);
          returned += n;
        }
      }
      return { times: times.sort((a, b) => a - b), returned };
    };
    const points = await mapQuery(false);
    const full = await mapQuery(true);
    const ws = performance.now();
    await searchIncidentPoints(ctx, {
      bbox: '-180,-90,180,90',
      from: new Date(END - 30 * 86_400_000).toISOString(),
      limit: 5000,
    });
    const worldMs = performance.now() - ws;
    const load = os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');

    const ok = (v: boolean) => (v ? 'ok' : 'MISSED');
    console.log(
      [
        `incidents/${backend}: import ${report.rows} rows in ${(importMs / 1000).toFixed(1)} s = ${Math.round(rate)} rows/s ` +
          `(CPU ${(importCpu / 1000).toFixed(1)} s all threads = ${Math.round((importCpu * 1000) / Math.max(1, report.rows))} µs/row, the figure a busy machine distorts least; peak RSS ${peakRss.toFixed(0)} MB, ${rssBefore.toFixed(0)} MB before the import; ${report.inserted} new, ${report.failed} failed, ${report.warningCount} warnings, ` +
          `${report.actorsCreated} actors, ${report.linked} post links)${backend === 'sqlite' ? ` [target >= 20000: ${ok(rate >= 20_000)}]` : ''}`,
        `incidents/${backend}: 52-week trends of all ${trends.length} posts in ${trendsMs.toFixed(0)} ms [target < 1000: ${ok(trendsMs < 1000)}]; ` +
          `signal dashboard (posts + regions, ${signals.length} firing) in ${signalsMs.toFixed(0)} ms`,
        `incidents/${backend}: map query (viewport + time, the map layer's newest 5000, fields=map; ${points.times.length} queries, ` +
          `${Math.round(points.returned / points.times.length)} incidents each on average): p50 ${percentile(points.times, 50).toFixed(1)} ms, ` +
          `p95 ${percentile(points.times, 95).toFixed(1)} ms, max ${points.times[points.times.length - 1]!.toFixed(1)} ms [target p95 < 50: ${ok(percentile(points.times, 95) < 50)}]; ` +
          `whole world, last 30 days: ${worldMs.toFixed(0)} ms`,
        `incidents/${backend}: GeoJSON export (same viewports, newest 1000 with actors and post links): ` +
          `${Math.round(full.returned / full.times.length)} incidents each on average, p50 ${percentile(full.times, 50).toFixed(1)} ms, ` +
          `p95 ${percentile(full.times, 95).toFixed(1)} ms, max ${full.times[full.times.length - 1]!.toFixed(1)} ms`,
        `incidents/${backend}: load average ${load} (1, 5, 15 min) after the queries; ${importLoad} after the import`,
      ].join('\n'),
    );
  } finally {
    await ctx.dispose();
  }
}
