import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Fastify from 'fastify';

/** The part of autocannon's programmatic API used here (the package ships no types). */
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { average: number; p50: number; p99: number; max: number };
  throughput: { average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  workers?: number;
  headers?: Readonly<Record<string, string>>;
  requests?: ReadonlyArray<{ method: 'GET'; path: string }>;
}) => Promise<AutocannonResult>;
export const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/**
 * CPU time of this process's main thread (the servers' event loop), in ms, from Linux's
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

export interface Round {
  readonly reqPerSec: number;
  readonly total: number;
  /** Server main-thread CPU per request, µs (NaN where /proc is missing). */
  readonly cpuUs: number;
  readonly p99: number;
  readonly bad: number;
}

export interface Target {
  readonly label: string;
  /** Origin, e.g. http://127.0.0.1:1234 */
  readonly base: string;
  /** Paths cycled through by every connection (one point each, for the coverage route). */
  readonly paths: readonly string[];
  readonly headers?: Readonly<Record<string, string>>;
}

export async function round(t: Target, seconds: number, connections: number): Promise<Round> {
  const cpu0 = serverThreadCpuMs();
  const r = await autocannon({
    url: `${t.base}${t.paths[0]}`,
    connections,
    duration: seconds,
    workers: 1,
    headers: t.headers ?? {},
    ...(t.paths.length > 1 && { requests: t.paths.map((path) => ({ method: 'GET' as const, path })) }),
  });
  const cpu1 = serverThreadCpuMs();
  return {
    reqPerSec: r.requests.average,
    total: r.requests.total,
    cpuUs:
      cpu0 !== null && cpu1 !== null && r.requests.total > 0
        ? ((cpu1 - cpu0) * 1000) / r.requests.total
        : NaN,
    p99: r.latency.p99,
    bad: r.errors + r.timeouts + r.non2xx,
  };
}

/** A Fastify hello-world in this process: the baseline every route is measured against. */
export async function helloWorld(): Promise<{ base: string; close: () => Promise<void> }> {
  const app = Fastify({ logger: false });
  app.get('/', async () => ({ hello: 'world' }));
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  return { base, close: () => app.close() };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN;
};

/**
 * Alternating rounds in one run: hello-world, then each route, `rounds` times, so that load from
 * other users of the machine falls on the baseline and Warden alike. Prints, per route, the
 * median requests/s and server CPU µs per request beside hello-world's, and the CPU ratio
 * (hello-world µs / route µs: 1 = as cheap as hello-world).
 */
export async function compareWithHelloWorld(
  tag: string,
  targets: readonly Target[],
  opts: { rounds?: number; seconds?: number; connections?: number } = {},
): Promise<void> {
  const rounds = opts.rounds ?? Number(process.env.WARDEN_BENCH_ROUNDS ?? 3);
  const seconds = opts.seconds ?? Number(process.env.WARDEN_BENCH_SECONDS ?? 3);
  const connections = opts.connections ?? 10;
  const hello = await helloWorld();
  try {
    const base: Target = { label: 'fastify hello-world', base: hello.base, paths: ['/'] };
    // Warm-up (JIT, caches): one short round each, not counted.
    for (const t of [base, ...targets]) await round(t, 1, connections);
    const results = new Map<Target, Round[]>([
      [base, []],
      ...targets.map((t) => [t, []] as [Target, Round[]]),
    ]);
    for (let i = 0; i < rounds; i++) {
      for (const t of targets) {
        results.get(base)!.push(await round(base, seconds, connections));
        results.get(t)!.push(await round(t, seconds, connections));
      }
    }
    const hb = results.get(base)!;
    const helloCpu = median(hb.map((r) => r.cpuUs));
    console.log(
      `${tag}: ${connections} connections, ${rounds} alternating rounds of ${seconds} s; ` +
        `fastify hello-world median ${median(hb.map((r) => r.reqPerSec)).toFixed(0)} req/s, ${helloCpu.toFixed(0)} µs CPU/request`,
    );
    for (const t of targets) {
      const rs = results.get(t)!;
      const cpu = median(rs.map((r) => r.cpuUs));
      const bad = rs.reduce((n, r) => n + r.bad, 0);
      console.log(
        `${tag} ${t.label}: median ${median(rs.map((r) => r.reqPerSec)).toFixed(0)} req/s, ` +
          `${cpu.toFixed(0)} µs CPU/request (≈ ${(1e6 / cpu).toFixed(0)} req/s per core), ` +
          `p99 ${median(rs.map((r) => r.p99))} ms; CPU ratio to hello-world ${(helloCpu / cpu).toFixed(2)}` +
          (bad ? `; ${bad} errors/non-2xx` : ''),
      );
    }
  } finally {
    await hello.close();
  }
}
