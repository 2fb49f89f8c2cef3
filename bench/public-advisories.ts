import { readFileSync } from 'node:fs';
import { createServer, get } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { EditionInput } from '../src/domain/advisories/edition.ts';
import { INDICATORS, type Indicator } from '../src/domain/advisories/levels.ts';
import { loadGeography } from '../src/domain/geo/index.ts';
import { buildApp } from '../src/server/app.ts';
import { createDraft, publishEdition } from '../src/services/advisories/editions.ts';
import { systemActor } from '../src/services/audit/audit.ts';
import { type BenchBackend, benchContext } from './stores.ts';

/** The part of autocannon's programmatic API used here (the package ships no types). */
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { average: number; p50: number; p99: number; max: number };
  throughput: { average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  workers?: number;
  headers?: Readonly<Record<string, string>>;
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const CODES = Object.keys(INDICATORS) as Indicator[];

/** A deterministic, plausible advisory for the i-th country: some with a regional zone. */
function advisoryFor(i: number, country: string, name: string): EditionInput {
  const level = ((i * 7) % 4) + 1;
  const indicators = CODES.filter((_, k) => (i + k) % 3 === 0).slice(0, level);
  const regions = loadGeography().regions(country);
  const zoned = i % 4 === 0 && regions.length > 1;
  return {
    level,
    indicators,
    summary: `Level ${level} for ${name}: ${level >= 3 ? 'reconsider or avoid travel' : 'take the usual precautions'} because of ${indicators.length ? indicators.map((c) => INDICATORS[c].toLowerCase()).join(', ') : 'no specific risk'}.`,
    body: `## Safety and security\n\nRead the whole advisory for ${name} before you travel.\n`,
    zones: zoned
      ? [
          {
            name: `${regions[0]!.name} area`,
            level: Math.min(4, level + 1),
            indicators: ['T'],
            regions: [regions[0]!.code],
          },
        ]
      : [],
    changeNote: 'Benchmark edition.',
  };
}

/**
 * CPU time of this process's main thread (the server's event loop), in ms, from Linux's
 * per-thread accounting (USER_HZ ticks); null elsewhere. The load generator runs in a worker
 * thread, so this is the server's own cost, whatever else the machine is doing meanwhile.
 */
export function serverThreadCpuMs(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

export async function load(
  label: string,
  url: string,
  seconds: number,
  headers: Record<string, string> = {},
): Promise<{ rps: number; cpuUs: number | null }> {
  const cpu0 = serverThreadCpuMs();
  const r = await autocannon({ url, connections: 100, duration: seconds, workers: 1, headers });
  const cpu1 = serverThreadCpuMs();
  // Requests per second one dedicated core would serve at this cost: the figure that does not
  // depend on how busy a shared machine was during the run.
  const perRequest =
    cpu0 !== null && cpu1 !== null && r.requests.total > 0 ? ((cpu1 - cpu0) * 1000) / r.requests.total : null;
  console.log(
    `${label}: 100 connections for ${seconds} s: ${r.requests.average.toFixed(0)} req/s ` +
      `(${r.requests.total} requests, ${(r.throughput.average / 2 ** 20).toFixed(1)} MiB/s), ` +
      `latency avg ${r.latency.average.toFixed(1)} ms, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ` +
      `max ${r.latency.max} ms; errors ${r.errors}, timeouts ${r.timeouts}, non-2xx ${r.non2xx}` +
      (perRequest === null
        ? ''
        : `; server CPU ${perRequest.toFixed(0)} µs/request (≈ ${(1e6 / perRequest).toFixed(0)} req/s per core)`),
  );
  return { rps: r.requests.average, cpuUs: perRequest };
}

export function rawBody(url: string, headers: Record<string, string>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks)));
    }).on('error', reject);
  });
}

/**
 * The same bytes from a bare node:http server: what this machine allows at all right now, so a
 * figure from a shared or slow machine can be read as a share of its ceiling.
 */
async function ceiling(
  label: string,
  body: Buffer,
  headers: Record<string, string>,
  seconds: number,
): Promise<void> {
  const server = createServer((_req, res) => {
    res.writeHead(200, headers).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await load(label, `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, seconds);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

/**
 * GET /api/public/advisories under load: ~200 countries' current advisories on a fresh store,
 * the app listening on 127.0.0.1, autocannon (in a worker thread, so it does not share the
 * server's event loop) with 100 connections. Prints requests/s and latency percentiles: for a
 * bare client (whole body), for a browser-like client (compressed), and the bare node:http
 * ceiling for the same bytes on this machine at this moment.
 */
export async function publicAdvisoriesBench(backend: BenchBackend): Promise<void> {
  const seconds = Number(process.env.WARDEN_BENCH_SECONDS ?? 20);
  const ctx = await benchContext(backend);
  try {
    const countries = loadGeography()
      .countries()
      .filter((c) => /^[A-Z]{2}$/.test(c.code))
      .slice(0, 200);
    for (const [i, c] of countries.entries()) {
      const d = await createDraft(ctx, systemActor, c.code, advisoryFor(i, c.code, c.name));
      await publishEdition(ctx, systemActor, d.id);
    }
    const app = await buildApp(ctx);
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const url = `${base}/api/public/advisories`;
      const first = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
      if (first.status !== 200) throw new Error(`warm-up answered ${first.status}`);
      const body = Buffer.from(await first.arrayBuffer());
      // fetch() would decompress: ask node:http for the brotli bytes as they go on the wire.
      const br = await rawBody(url, { 'accept-encoding': 'gzip, deflate, br' });
      const tag = `public-advisories/${backend}`;
      console.log(
        `${tag}: ${countries.length} countries, body ${(body.length / 1024).toFixed(0)} KiB ` +
          `(${(br.length / 1024).toFixed(0)} KiB brotli)`,
      );
      const browser = { 'accept-encoding': 'gzip, deflate, br' };
      await load(`${tag} identity`, url, seconds);
      await load(`${tag} br/gzip`, url, seconds, browser);
      const json = { 'content-type': 'application/json' };
      await ceiling(`${tag} node:http ceiling, identity bytes`, body, json, seconds);
      await ceiling(
        `${tag} node:http ceiling, brotli bytes`,
        br,
        { ...json, 'content-encoding': 'br' },
        seconds,
      );
    } finally {
      await app.close();
    }
  } finally {
    await ctx.dispose();
  }
}
