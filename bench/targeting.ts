import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { validateArea } from '../src/domain/alerts/area.ts';
import {
  APPROXIMATE,
  COUNTRY_ONLY,
  dayNumber,
  EXACT,
  inShapes,
  nearShapes,
  type PreparedArea,
  prepareArea,
} from '../src/domain/alerts/targeting/area.ts';
import type { Codes, TripColumns } from '../src/domain/alerts/targeting/columns.ts';
import { OPEN_END, type PersonChange, TargetingIndexBuilder } from '../src/domain/alerts/targeting/index.ts';
import { channelFlags } from '../src/domain/alerts/targeting/persons.ts';
import type { AlertArea } from '../src/domain/alerts/types.ts';
import { loadGeography } from '../src/domain/geo/index.ts';
import { currentIndex } from '../src/services/alerts/targeting-index.ts';
import { percentile } from './machine.ts';
import { type BenchBackend, benchContext, pgAvailable } from './stores.ts';

/*
 * Alert targeting (issue 13, Performance): a synthetic world of 10,000,000 active trips (dense
 * cities, one of them a megacity around Basrah, plus a rural spread; 70% points, 20% places,
 * 10% country-only), the index built over it, and timed: live reach for ~50 km² city polygons
 * and for a country-sized polygon and a listed country, the full recipient list of the megacity
 * area, a brute-force scan of the same trips, the same queries in SQL on PostgreSQL (plain
 * bounding box, and exact with PostGIS when installed), bytes per trip, and a refresh after
 * 10,000 new trips. WARDEN_BENCH_TARGETING_TRIPS scales the world.
 */

function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// [lat, lon, country, weight]: Basrah is the megacity an alert of a million people covers.
const CITIES: Array<[number, number, string, number]> = [
  [30.51, 47.81, 'IQ', 12],
  [33.31, 44.37, 'IQ', 2],
  [29.37, 47.98, 'KW', 2],
  [51.51, -0.13, 'GB', 2],
  [48.86, 2.35, 'FR', 2],
  [40.71, -74.01, 'US', 2],
  [35.68, 139.69, 'JP', 2],
  [-33.87, 151.21, 'AU', 1],
  [-18.14, 178.44, 'FJ', 1],
  [19.43, -99.13, 'MX', 2],
  [-23.55, -46.63, 'BR', 2],
  [6.52, 3.38, 'NG', 2],
  [30.04, 31.24, 'EG', 2],
  [28.61, 77.21, 'IN', 2],
  [13.76, 100.5, 'TH', 2],
  [-1.29, 36.82, 'KE', 1],
  [55.75, 37.62, 'RU', 1],
  [64.73, 177.5, 'RU', 1],
];
// Basrah holds ~18% of the city trips (~1.2M of 10M); 200 more towns share the rest equally.
{
  const r = rng(99);
  for (let i = 0; i < 200; i++) CITIES.push([-40 + 100 * r(), -180 + 360 * r(), `T${i}`, 1]);
  const others = CITIES.length - 1;
  for (let i = 1; i < CITIES.length; i++) (CITIES[i] as [number, number, string, number])[3] = 0.815 / others;
  (CITIES[0] as [number, number, string, number])[3] = 0.185;
}
const MEGA_SIGMA_KM = 25;
const CITY_SIGMA_KM = 8;

const KM_PER_DEG = 111.195;

function ring(lat: number, lon: number, km: number, n: number, r: () => number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    const k = km * (0.85 + 0.3 * r());
    out.push([
      lon + (k * Math.cos(a)) / (KM_PER_DEG * Math.cos((lat * Math.PI) / 180)),
      lat + (k * Math.sin(a)) / KM_PER_DEG,
    ]);
  }
  out.push([...(out[0] as number[])]);
  return out;
}

/** Polygon area in km² (planar on a local projection; enough to name the size). */
function areaKm2(rg: number[][]): number {
  const lat0 = (rg[0]?.[1] as number) * (Math.PI / 180);
  let s = 0;
  for (let i = 0; i + 1 < rg.length; i++) {
    const [x1, y1] = rg[i] as [number, number];
    const [x2, y2] = rg[i + 1] as [number, number];
    s +=
      x1 * Math.cos(lat0) * KM_PER_DEG * y2 * KM_PER_DEG - x2 * Math.cos(lat0) * KM_PER_DEG * y1 * KM_PER_DEG;
  }
  return Math.abs(s / 2);
}

interface World {
  builder: TargetingIndexBuilder;
  persons: number;
}

function makeWorld(trips: number, today: number): World {
  const r = rng(42);
  const persons = Math.round(trips * 0.8);
  const builder = new TargetingIndexBuilder(trips);
  const ids = randomBytes(16 * persons);
  for (let p = 0; p < persons; p++) {
    ids[16 * p + 6] = ((ids[16 * p + 6] as number) & 0x0f) | 0x40;
    ids[16 * p + 8] = ((ids[16 * p + 8] as number) & 0x3f) | 0x80;
    const f = r();
    builder.addPersonBytes(ids, 16 * p, channelFlags(f < 0.9 ? 1 : 0, f > 0.6 ? 1 : 0, f > 0.97 ? 1 : 0));
  }
  const weights = CITIES.reduce((s, c) => s + c[3], 0);
  const codes = { countries: builder.countries, regions: builder.regions };
  const cityCountry = CITIES.map((c) => codes.countries.code(c[2]));
  const cityRegion = CITIES.map((c, i) => codes.regions.code(`${c[2]}-C${i}`));
  const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  for (let i = 0; i < trips; i++) {
    // The first 80% of trips give each person one; the rest a second one.
    const person = i < persons ? i : Math.floor(r() * persons);
    const kind = r();
    const precision = kind < 0.7 ? EXACT : kind < 0.9 ? APPROXIMATE : COUNTRY_ONLY;
    let lat: number;
    let lon: number;
    let country: number;
    let region: number;
    if (r() < 0.65) {
      let w = r() * weights;
      let c = 0;
      while (w > (CITIES[c]?.[3] as number)) w -= CITIES[c++]?.[3] as number;
      const [clat, clon] = CITIES[c] as [number, number, string, number];
      const sigma = c === 0 ? MEGA_SIGMA_KM : CITY_SIGMA_KM;
      if (precision === APPROXIMATE) {
        // One of 25 district centroids of the city.
        const d = Math.floor(r() * 25);
        lat = clat + (((d % 5) - 2) * 4) / KM_PER_DEG;
        lon = clon + ((Math.floor(d / 5) - 2) * 4) / (KM_PER_DEG * Math.cos((clat * Math.PI) / 180));
      } else {
        lat = clat + (gauss() * sigma) / KM_PER_DEG;
        lon = clon + (gauss() * sigma) / (KM_PER_DEG * Math.cos((clat * Math.PI) / 180));
      }
      country = cityCountry[c] as number;
      region = cityRegion[c] as number;
    } else {
      lat = -50 + 110 * r();
      lon = -180 + 360 * r();
      if (precision === APPROXIMATE) {
        lat = Math.floor(lat * 4) / 4 + 0.125;
        lon = Math.floor(lon * 4) / 4 + 0.125;
      }
      country = codes.countries.code(`R${Math.floor((lat + 90) / 10)}-${Math.floor((lon + 180) / 10)}`);
      region = 0;
    }
    if (lon >= 180) lon -= 360;
    if (lon < -180) lon += 360;
    if (precision === COUNTRY_ONLY) {
      lat = Number.NaN;
      lon = Number.NaN;
      region = 0;
    }
    const from = today - Math.floor(r() * 60);
    const to = r() < 0.2 ? OPEN_END : today + 1 + Math.floor(r() * 90);
    builder.addCoded(person, precision, country, region, lat, lon, from, to);
  }
  return { builder, persons };
}

/** The brute-force baseline: every trip through the targeting rule, people counted once. */
function bruteForce(
  t: TripColumns,
  codes: { countries: Codes; regions: Codes },
  persons: number,
  a: PreparedArea,
  first: number,
  last: number,
) {
  const mark = new Uint8Array(persons);
  const ct = codes.countries.table(a.countries);
  const rt = codes.regions.table(a.regions);
  const covered = codes.countries.table(a.coveredCountries);
  const touched = codes.countries.table(a.includeUnknownLocation ? a.touchedCountries : []);
  const counts = new Float64Array(3);
  for (let i = 0; i < t.length; i++) {
    if ((t.from[i] as number) > last || (t.to[i] as number) < first) continue;
    const k = t.kind[i] as number;
    const c = t.country[i] as number;
    let hit: boolean;
    if (k === COUNTRY_ONLY) hit = covered[c] === 1 || touched[c] === 1;
    else if (ct[c] === 1 || rt[t.region[i] as number] === 1) hit = true;
    else
      hit =
        k === EXACT
          ? inShapes(a, t.lat[i] as number, t.lon[i] as number)
          : nearShapes(a, t.lat[i] as number, t.lon[i] as number);
    if (!hit) continue;
    const p = t.person[i] as number;
    const m = mark[p] as number;
    if (m === 0) counts[k] = (counts[k] as number) + 1;
    else if (k + 1 < m) {
      counts[m - 1] = (counts[m - 1] as number) - 1;
      counts[k] = (counts[k] as number) + 1;
    }
    if (m === 0 || k + 1 < m) mark[p] = k + 1;
  }
  return { exact: counts[0] as number, approximate: counts[1] as number, countryOnly: counts[2] as number };
}

function timed<T>(fn: () => T): { value: T; wall: number; cpu: number } {
  const c = process.cpuUsage();
  const t = performance.now();
  const value = fn();
  const wall = performance.now() - t;
  const u = process.cpuUsage(c);
  return { value, wall, cpu: (u.user + u.system) / 1000 };
}

const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(0));

function prepared(area: AlertArea, covered: string[] = []): PreparedArea {
  const geo = loadGeography();
  return prepareArea(validateArea(area, geo), {
    coveredCountries: covered,
    touchedCountries: covered,
    includeUnknownLocation: false,
  });
}

export async function targetingBench(): Promise<void> {
  const N = Number(process.env.WARDEN_BENCH_TARGETING_TRIPS || 10_000_000);
  const today = dayNumber(new Date().toISOString());
  const [first, last] = [today, today + 1];
  const none: AlertArea = { countries: [], regions: [], polygons: [], circles: [] };
  console.log(`targeting: synthetic world of ${N.toLocaleString('en')} active trips…`);
  const gen = timed(() => makeWorld(N, today));
  const { builder, persons } = gen.value;
  const built = timed(() => builder.build());
  const index = built.value;
  const stats = index.stats();
  console.log(
    `  world ${ms(gen.wall / 1000)} s; index build ${ms(built.wall / 1000)} s wall, ${ms(built.cpu / 1000)} s CPU; ` +
      `${stats.persons.toLocaleString('en')} people; memory ${(stats.bytes / 2 ** 20).toFixed(0)} MiB = ` +
      `${(stats.bytes / stats.trips).toFixed(1)} bytes/trip (goal ≤ 48)`,
  );
  const codes = { countries: builder.countries, regions: builder.regions };
  const r = rng(7);

  // City polygons of about 50 km² inside the dense cities.
  const cityAreas = Array.from({ length: 200 }, (_, i) => {
    const [lat, lon] = CITIES[i % 5 === 0 ? 0 : 1 + ((i * 7) % (CITIES.length - 1))] as [
      number,
      number,
      string,
      number,
    ];
    const clat = lat + ((r() - 0.5) * 20) / KM_PER_DEG;
    const clon = lon + ((r() - 0.5) * 20) / (KM_PER_DEG * Math.cos((lat * Math.PI) / 180));
    const rg = ring(clat, clon, 4.2, 10, r);
    return { rg, area: prepared({ ...none, polygons: [{ type: 'Polygon', coordinates: [rg] }] }) };
  });
  const cityKm2 = cityAreas.reduce((s, a) => s + areaKm2(a.rg), 0) / cityAreas.length;
  const countryRing = ring(31.0, 46.5, 300, 60, r);
  const countryArea = prepared({ ...none, polygons: [{ type: 'Polygon', coordinates: [countryRing] }] });
  const listed = prepared({ ...none, countries: ['IQ'] }, ['IQ']);

  const series = (areas: PreparedArea[]) => {
    const wall: number[] = [];
    const cpu: number[] = [];
    let people = 0;
    for (const a of areas) {
      const t = timed(() => index.reach(a, first, last));
      wall.push(t.wall);
      cpu.push(t.cpu);
      people += t.value.exact + t.value.approximate + t.value.countryOnly;
    }
    wall.sort((x, y) => x - y);
    cpu.sort((x, y) => x - y);
    return {
      p50: percentile(wall, 50),
      p95: percentile(wall, 95),
      cpu50: percentile(cpu, 50),
      cpu95: percentile(cpu, 95),
      people: people / areas.length,
    };
  };
  const check = (a: PreparedArea) => {
    const b = timed(() => bruteForce(builder.trips, codes, persons, a, first, last));
    const i = index.reach(a, first, last);
    const same =
      b.value.exact === i.exact &&
      b.value.approximate === i.approximate &&
      b.value.countryOnly === i.countryOnly;
    return { brute: b, same, counts: i };
  };

  const city = series(cityAreas.map((a) => a.area));
  const cityBrute = [0, 1, 2].map((k) => check(cityAreas[k]?.area as PreparedArea));
  const bruteCity = cityBrute.reduce((s, x) => s + x.brute.wall, 0) / cityBrute.length;
  console.log(
    `  reach, city polygon ~${cityKm2.toFixed(0)} km² (${cityAreas.length} areas, ~${Math.round(city.people).toLocaleString('en')} people each): ` +
      `p50 ${ms(city.p50)} ms, p95 ${ms(city.p95)} ms wall (goal ≤ 10); CPU p50 ${ms(city.cpu50)} / p95 ${ms(city.cpu95)} ms; ` +
      `brute force ${ms(bruteCity)} ms (${(bruteCity / city.p50).toFixed(0)}× p50); same counts as brute force: ${cityBrute.every((x) => x.same)}`,
  );
  const jitter = Array.from({ length: 20 }, () => {
    const rg = ring(31.0 + (r() - 0.5), 46.5 + (r() - 0.5), 300, 60, r);
    return prepared({ ...none, polygons: [{ type: 'Polygon', coordinates: [rg] }] });
  });
  const country = series(jitter);
  const cb = check(countryArea);
  console.log(
    `  reach, country-sized polygon ~${Math.round(areaKm2(countryRing)).toLocaleString('en')} km² (20 areas, ~${Math.round(country.people).toLocaleString('en')} people): ` +
      `p50 ${ms(country.p50)} ms, p95 ${ms(country.p95)} ms wall (goal ≤ 100); CPU p50 ${ms(country.cpu50)} / p95 ${ms(country.cpu95)} ms; ` +
      `brute force ${ms(cb.brute.wall)} ms (${(cb.brute.wall / country.p50).toFixed(0)}×); same counts: ${cb.same}`,
  );
  const listedSeries = series(Array.from({ length: 10 }, () => listed));
  const lb = check(listed);
  console.log(
    `  reach, listed country IQ (~${Math.round(listedSeries.people).toLocaleString('en')} people): p50 ${ms(listedSeries.p50)} ms, p95 ${ms(listedSeries.p95)} ms wall; ` +
      `CPU p95 ${ms(listedSeries.cpu95)} ms; brute force ${ms(lb.brute.wall)} ms; same counts: ${lb.same}`,
  );
  const lists = [0, 1, 2].map(() => timed(() => index.recipients(countryArea, first, last)));
  const list = lists.sort((a, b) => a.wall - b.wall)[1] as (typeof lists)[number];
  console.log(
    `  full recipient list, country-sized polygon: ${list.value.ids.length.toLocaleString('en')} people in ${ms(list.wall)} ms wall, ` +
      `${ms(list.cpu)} ms CPU (median of 3; goal ≤ 3,000 ms); brute force ${ms(cb.brute.wall)} ms (counts only)`,
  );

  // Refresh: 10,000 new trips of new people, applied to the 10M index.
  const changes: PersonChange[] = Array.from({ length: 10_000 }, (_, i) => ({
    id: `00000000-0000-4000-8000-${(0xf0000000 + i).toString(16).padStart(12, '0')}`,
    flags: channelFlags(1, 0, 0),
    trips: [
      {
        precision: EXACT,
        country: 'IQ',
        region: 'IQ-C0',
        lat: 30.5 + r() * 0.05,
        lon: 47.8 + r() * 0.05,
        from: today,
        to: OPEN_END,
      },
    ],
  }));
  const applied = timed(() => index.apply(changes));
  const moved = timed(() =>
    index.apply(
      changes
        .slice(0, 1000)
        .map((c) => ({ ...c, trips: [{ ...(c.trips[0] as PersonChange['trips'][number]), lat: 30.6 }] })),
    ),
  );
  const after = series(cityAreas.slice(0, 50).map((a) => a.area));
  console.log(
    `  refresh, 10,000 new trips applied: ${ms(applied.wall)} ms wall, ${ms(applied.cpu)} ms CPU (goal ≤ 1,000); ` +
      `1,000 changed people (a scan of the person column): ${ms(moved.wall)} ms; city reach with the delta: p50 ${ms(after.p50)} ms, p95 ${ms(after.p95)} ms wall, CPU p95 ${ms(after.cpu95)} ms`,
  );
  await storeRefresh();
  await postgresBaseline(
    N,
    cityAreas.slice(0, 20).map((a) => a.rg),
    countryRing,
    city.p50,
    country.p50,
    list.wall,
    first,
    last,
  );
}

/** The store side of a refresh: 10,000 trips committed, then the next call reads and applies them. */
async function storeRefresh(): Promise<void> {
  const backends: BenchBackend[] = ['sqlite'];
  if (await pgAvailable()) backends.push('postgres');
  for (const backend of backends) {
    const ctx = await benchContext(backend);
    try {
      await currentIndex(ctx);
      const at = new Date().toISOString();
      const day = at.slice(0, 10);
      await ctx.store.db.transaction().execute(async (trx) => {
        for (let b = 0; b < 10_000; b += 500) {
          const ids = Array.from({ length: 500 }, () => crypto.randomUUID());
          await trx
            .insertInto('enrollments')
            .values(
              ids.map(
                (id) =>
                  ({
                    id,
                    name_enc: 'x',
                    language: 'en',
                    emergency_name_enc: 'x',
                    consent_at: at,
                    created_at: at,
                    updated_at: at,
                  }) as never,
              ),
            )
            .execute();
          await trx
            .insertInto('enrollment_contacts')
            .values(
              ids.map((id) => ({
                id: crypto.randomUUID(),
                person_id: id,
                kind: 'email',
                value_enc: 'x',
                blind_index: id.replace(/-/g, ''),
                owner: 'self',
                verified_at: at,
                verify_version: 1,
                created_at: at,
              })),
            )
            .execute();
          await trx
            .insertInto('enrollment_trips')
            .values(
              ids.map((id, i) => ({
                id: crypto.randomUUID(),
                person_id: id,
                country: 'IQ',
                region: 'IQ-BA',
                lat: 30.5 + i * 1e-4,
                lon: 47.8,
                place_id: null,
                arrival: day,
                departure: null,
                created_at: at,
              })),
            )
            .execute();
        }
      });
      const t = performance.now();
      const c = process.cpuUsage();
      const index = await currentIndex(ctx);
      const u = process.cpuUsage(c);
      console.log(
        `  refresh through the ${backend} store (10,000 people with a trip each committed, next call reads the change log and those people): ` +
          `${ms(performance.now() - t)} ms wall, ${ms((u.user + u.system) / 1000)} ms CPU in this process; index now ${index?.stats().trips} trips`,
      );
    } finally {
      await ctx.dispose();
    }
  }
}

async function postgresBaseline(
  n: number,
  cityRings: number[][][],
  countryRing: number[][],
  indexCity: number,
  indexCountry: number,
  indexList: number,
  first: number,
  last: number,
): Promise<void> {
  if (!(await pgAvailable())) {
    console.log('  PostgreSQL not reachable: SQL baseline skipped');
    return;
  }
  const url =
    process.env.WARDEN_BENCH_PG_URL ||
    process.env.WARDEN_TEST_PG_URL ||
    'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `warden_bench_targeting_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const c = new pg.Client({ connectionString: u.toString() });
  await c.connect();
  try {
    await c.query("SET work_mem = '256MB'");
    const postgis = await c.query('CREATE EXTENSION IF NOT EXISTS postgis').then(
      () => true,
      () => false,
    );
    const t0 = performance.now();
    // The same shape of world, generated in the server (shipping 10M rows would take longer
    // than the whole benchmark): counts differ from the in-memory world, times compare.
    const cities = CITIES.map(([lat, lon, cc, w], i) => `(${i}, ${lat}, ${lon}, '${cc}', ${w})`).join(',');
    await c.query(
      `CREATE UNLOGGED TABLE trips (person int, precision smallint, country text, lat float8, lon float8, arrival int, departure int)`,
    );
    await c.query(`WITH cities(i, lat, lon, cc, w) AS (VALUES ${cities}),
      g AS (SELECT s, random() AS r1, random() AS r2, random() AS u1, random() AS u2, random() AS u3, random() AS u4 FROM generate_series(0, ${n - 1}) s),
      p AS (SELECT g.*, CASE WHEN r1 < 0.12 THEN 0 WHEN r1 < 0.65 THEN 1 + floor(u4 * ${CITIES.length - 1})::int ELSE -1 END AS ci FROM g)
      INSERT INTO trips
      SELECT CASE WHEN s < ${Math.round(n * 0.8)} THEN s ELSE floor(u3 * ${Math.round(n * 0.8)})::int END,
        CASE WHEN r2 < 0.7 THEN 0 WHEN r2 < 0.9 THEN 1 ELSE 2 END,
        COALESCE(c.cc, 'R'),
        CASE WHEN r2 >= 0.9 THEN NULL WHEN c.i IS NULL THEN -50 + 110 * u1
          ELSE c.lat + sqrt(-2 * ln(1 - u1)) * cos(2 * pi() * u2) * (CASE WHEN c.i = 0 THEN ${MEGA_SIGMA_KM} ELSE ${CITY_SIGMA_KM} END) / 111.195 END,
        CASE WHEN r2 >= 0.9 THEN NULL WHEN c.i IS NULL THEN -180 + 360 * u2
          ELSE c.lon + sqrt(-2 * ln(1 - u1)) * sin(2 * pi() * u2) * (CASE WHEN c.i = 0 THEN ${MEGA_SIGMA_KM} ELSE ${CITY_SIGMA_KM} END) / (111.195 * cos(radians(c.lat))) END,
        ${first} - floor(u3 * 60)::int,
        CASE WHEN u4 < 0.2 THEN NULL ELSE ${first} + 1 + floor(u4 * 90)::int END
      FROM p LEFT JOIN cities c ON c.i = p.ci`);
    await c.query('CREATE INDEX trips_lat_lon ON trips (lat, lon)');
    await c.query('ANALYZE trips');
    console.log(
      `  PostgreSQL: ${n.toLocaleString('en')} trips generated and indexed (btree on lat, lon) in ${ms((performance.now() - t0) / 1000)} s; PostGIS: ${postgis ? 'yes' : 'not installed'}`,
    );
    const bbox = (rg: number[][]) => {
      const xs = rg.map((p) => p[0] as number);
      const ys = rg.map((p) => p[1] as number);
      return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
    };
    const plain = `SELECT count(DISTINCT person) AS n FROM trips WHERE lat BETWEEN $2 AND $4 AND lon BETWEEN $1 AND $3
      AND arrival <= ${last} AND (departure IS NULL OR departure >= ${first})`;
    const exact = `${plain} AND ST_Intersects(ST_SetSRID(ST_MakePoint(lon, lat), 4326), ST_SetSRID(ST_GeomFromGeoJSON($5), 4326))`;
    const run = async (sql: string, rg: number[][], withShape: boolean) => {
      const t = performance.now();
      const args: unknown[] = bbox(rg);
      if (withShape) args.push(JSON.stringify({ type: 'Polygon', coordinates: [rg] }));
      const res = await c.query(sql, args);
      return { ms: performance.now() - t, n: Number(res.rows[0]?.n) };
    };
    for (const [label, sql, withShape] of [
      ['plain SQL (bounding box and dates only, not exact)', plain, false],
      ...(postgis ? [['PostGIS (exact ST_Intersects after the bounding box)', exact, true]] : []),
    ] as Array<[string, string, boolean]>) {
      const cityTimes: number[] = [];
      for (const rg of cityRings.slice(0, 10)) cityTimes.push((await run(sql, rg, withShape)).ms);
      cityTimes.sort((a, b) => a - b);
      const country = await run(sql, countryRing, withShape);
      console.log(
        `  PostgreSQL ${label}: city p50 ${ms(percentile(cityTimes, 50))} ms, p95 ${ms(percentile(cityTimes, 95))} ms ` +
          `(p50 ${(percentile(cityTimes, 50) / indexCity).toFixed(0)}× the index's); country-sized ${ms(country.ms)} ms for ${country.n.toLocaleString('en')} people ` +
          `(${(country.ms / indexCountry).toFixed(0)}×)`,
      );
      const listSql = sql.replace('count(DISTINCT person) AS n', 'DISTINCT person');
      const tl = performance.now();
      await c.query("SET statement_timeout = '90s'");
      const listRes = await c
        .query(listSql, [
          ...bbox(countryRing),
          ...(withShape ? [JSON.stringify({ type: 'Polygon', coordinates: [countryRing] })] : []),
        ])
        .catch(() => undefined);
      await c.query('SET statement_timeout = 0');
      const listMs = performance.now() - tl;
      console.log(
        listRes
          ? `  PostgreSQL ${label}: recipient list ${listRes.rowCount?.toLocaleString('en')} rows in ${ms(listMs)} ms (${(listMs / indexList).toFixed(1)}× the index's)`
          : `  PostgreSQL ${label}: recipient list not done within 90 s (stopped)`,
      );
    }
  } finally {
    await c.end();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
