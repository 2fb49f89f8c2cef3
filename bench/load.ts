import { get } from 'node:http';
import { autocannon, serverThreadCpuMs } from './http.ts';

export { serverThreadCpuMs };

/**
 * One load run of `seconds` with 100 connections: requests/s and latency printed, and the
 * server thread's CPU µs per request returned beside requests/s.
 */
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
