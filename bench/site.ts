import { performance } from 'node:perf_hooks';
import Fastify from 'fastify';
import { loadDemoAdvisories } from '../src/demo/advisories.ts';
import { loadDemoPosts } from '../src/demo/posts.ts';
import { buildApp } from '../src/server/app.ts';
import { siteCss } from '../src/server/routes/site/assets.ts';
import { ADVISORIES_REVISION } from '../src/services/advisories/editions.ts';
import { cliActor, systemActor } from '../src/services/audit/audit.ts';
import { createUser } from '../src/services/auth/users.ts';
import { load, rawBody, serverThreadCpuMs } from './load.ts';
import { type BenchBackend, benchContext } from './stores.ts';

const PAGE = '/en/countries/iq-iraq';
const BROWSER = { 'accept-encoding': 'gzip, deflate, br', accept: 'text/html' };

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

/**
 * The public country page (the demo's Iraq: Level 4, a zone, two editions, three posts):
 * - its size, HTML and CSS, as sent and compressed (budget: under 100 KB of HTML+CSS);
 * - cached, under load (autocannon, 100 connections, browser-like Accept-Encoding), against a
 *   Fastify hello-world in the same process and run (target: ≥ 0.6 × its requests/s);
 * - uncached: each request after a change notice drops the page, so it is read from the store,
 *   rendered and compressed again (target: p95 under 20 ms).
 */
export async function siteBench(backend: BenchBackend): Promise<void> {
  const seconds = Number(process.env.WARDEN_BENCH_SECONDS ?? 5);
  const tag = `site/${backend}`;
  const ctx = await benchContext(backend);
  try {
    await createUser(ctx, cliActor, { email: 'crisis@warden.local', role: 'crisis_manager' });
    await loadDemoPosts(ctx, cliActor);
    await loadDemoAdvisories(ctx, systemActor);
    const app = await buildApp(ctx);
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const hello = Fastify();
    hello.get('/', async () => ({ hello: 'world' }));
    const helloUrl = await hello.listen({ host: '127.0.0.1', port: 0 });
    try {
      const url = `${base}${PAGE}`;
      const html = await rawBody(url, { accept: 'text/html' });
      const br = await rawBody(url, BROWSER);
      const gz = await rawBody(url, { ...BROWSER, 'accept-encoding': 'gzip' });
      const css = Buffer.byteLength(siteCss.body);
      const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
      console.log(
        `${tag}: country page ${kb(html.length)} HTML + ${kb(css)} CSS = ${kb(html.length + css)} ` +
          `(budget 100 KB: ${html.length + css < 100 * 1024 ? 'met' : 'NOT met'}); on the wire ${kb(br.length)} brotli / ${kb(gz.length)} gzip HTML`,
      );

      // Alternating short rounds, so both see the same moments of a shared machine; the median
      // round's ratio is the figure.
      const rounds = Number(process.env.WARDEN_BENCH_ROUNDS ?? 3);
      const ratios: number[] = [];
      const cpuRatios: number[] = [];
      let lastHello = 0;
      for (let i = 1; i <= rounds; i++) {
        const helloRun = await load(`${tag} round ${i} Fastify hello-world`, helloUrl, seconds);
        const cached = await load(`${tag} round ${i} country page, cached (br)`, url, seconds, BROWSER);
        ratios.push(cached.rps / helloRun.rps);
        lastHello = helloRun.rps;
        if (cached.cpuUs && helloRun.cpuUs) cpuRatios.push(helloRun.cpuUs / cached.cpuUs);
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
      const ratio = median(ratios);
      console.log(
        `${tag}: cached page / hello-world = ${ratio.toFixed(2)} × requests/s (rounds ${ratios.map((r) => r.toFixed(2)).join(', ')})` +
          (cpuRatios.length
            ? `, ${median(cpuRatios).toFixed(2)} × by server CPU per request (rounds ${cpuRatios.map((r) => r.toFixed(2)).join(', ')})`
            : '') +
          ` (target ≥ 0.6: ${ratio >= 0.6 ? 'met' : 'NOT met'})`,
      );

      // The same country's JSON feed through the same cache: what any cached read of this app costs.
      const json = await load(
        `${tag} /api/public/advisories/IQ, cached (br)`,
        `${base}/api/public/advisories/IQ`,
        seconds,
        {
          'accept-encoding': 'gzip, deflate, br',
        },
      );
      console.log(
        `${tag}: JSON feed / last hello-world round = ${(json.rps / (lastHello || 1)).toFixed(2)} × requests/s`,
      );

      // Uncached: drop the page before each request (as a publication would), one at a time.
      const n = Number(process.env.WARDEN_BENCH_RENDERS ?? 200);
      const times: number[] = [];
      const cpu0 = serverThreadCpuMs();
      for (let i = 0; i < n; i++) {
        ctx.changes.notify([ADVISORIES_REVISION]);
        const t = performance.now();
        const res = await app.inject({ method: 'GET', url: PAGE, headers: BROWSER });
        times.push(performance.now() - t);
        if (res.statusCode !== 200) throw new Error(`uncached page answered ${res.statusCode}`);
      }
      const cpu1 = serverThreadCpuMs();
      times.sort((a, b) => a - b);
      const total = times.reduce((a, b) => a + b, 0);
      console.log(
        `${tag} country page, uncached (read, render, compress): ${n} requests, p50 ${pct(times, 0.5).toFixed(1)} ms, ` +
          `p95 ${pct(times, 0.95).toFixed(1)} ms, max ${(times.at(-1) ?? 0).toFixed(1)} ms, ${((n * 1000) / total).toFixed(0)} req/s serially` +
          (cpu0 === null || cpu1 === null
            ? ''
            : `; CPU ${(((cpu1 - cpu0) * 1000) / n).toFixed(0)} µs/request`) +
          ` (target p95 < 20 ms: ${pct(times, 0.95) < 20 ? 'met' : 'NOT met'})`,
      );
    } finally {
      await hello.close();
      await app.close();
    }
  } finally {
    await ctx.dispose();
  }
}
