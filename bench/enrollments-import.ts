import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { syntheticEnrollmentCsv } from '../src/demo/enrollments.ts';
import { type EnrollmentImportReport, importEnrollmentsCsv } from '../src/imports/enrollments/import.ts';
import { systemActor } from '../src/services/audit/audit.ts';
import { createOrganisation } from '../src/services/organisations/organisations.ts';
import { machineLine } from './machine.ts';
import { type BenchBackend, benchContext } from './stores.ts';

/** Data rows of the generated file: WARDEN_BENCH_ENROLLMENT_ROWS or WARDEN_BENCH_ROWS (default 1,000,000). */
const ROWS = Number(process.env.WARDEN_BENCH_ENROLLMENT_ROWS || process.env.WARDEN_BENCH_ROWS || 1_000_000);
/** The trips are placed around this day, so that none is refused as past. */
const TODAY = new Date();
/** Set in the child process that measures one store: the file it imports. */
const CHILD_FILE = 'WARDEN_BENCH_ENROLLMENT_FILE';
const CHILD_BACKEND = 'WARDEN_BENCH_ENROLLMENT_BACKEND';

let generated: { file: string; bytes: number; ms: number } | undefined;

/** The demo's traveller generator, ROWS rows long, streamed to a temporary file (once per run). */
async function dataFile() {
  if (generated) return generated;
  const dir = mkdtempSync(path.join(tmpdir(), 'warden-bench-enrollments-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'enrollments.csv');
  const t = performance.now();
  const out = createWriteStream(file);
  for (const chunk of syntheticEnrollmentCsv({ rows: ROWS, today: TODAY })) {
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  generated = { file, bytes: statSync(file).size, ms: performance.now() - t };
  console.log(
    `enrollments-import: generated ${ROWS} rows (${(generated.bytes / 1e6).toFixed(0)} MB) in ${(generated.ms / 1000).toFixed(1)} s`,
  );
  return generated;
}

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
/** CPU seconds of the main thread alone (Linux; NaN elsewhere): it parses and writes, the workers seal. */
const mainCpuSeconds = () => {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return Number.NaN;
  }
};
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function timed(run: () => Promise<EnrollmentImportReport>) {
  const loadBefore = load();
  const t = performance.now();
  const c = cpuSeconds();
  const m = mainCpuSeconds();
  const report = await run();
  return {
    report,
    s: (performance.now() - t) / 1000,
    cpu: cpuSeconds() - c,
    mainCpu: mainCpuSeconds() - m,
    loadBefore,
    loadAfter: load(),
  };
}

/**
 * Organisation enrollment import (target >= 20,000 rows/s on SQLite, peak RSS < 1 GiB): a first
 * import of the whole file (people created: checked, sealed with a data key each, written), then
 * the same file again (every person unchanged). Each store is measured in a child process of its
 * own, so that its peak RSS is its own (the generator and the other store's run are not in it).
 * CPU counts every thread of that process. WARDEN_IMPORT_WORKERS sets the worker threads.
 */
export async function enrollmentsImportBench(backend: BenchBackend): Promise<void> {
  const data = await dataFile();
  const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  const api = pathToFileURL(path.join(path.dirname(cjs), 'index.mjs')).href;
  const self = pathToFileURL(fileURLToPath(import.meta.url)).href;
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(api)}); m.register(); await import(${JSON.stringify(self)});`,
    ],
    { stdio: 'inherit', env: { ...process.env, [CHILD_FILE]: data.file, [CHILD_BACKEND]: backend } },
  );
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`enrollments-import/${backend}: the measuring process exited with ${code}`);
}

async function measure(backend: BenchBackend, file: string): Promise<void> {
  const ctx = await benchContext(backend);
  const workers = process.env.WARDEN_IMPORT_WORKERS ? Number(process.env.WARDEN_IMPORT_WORKERS) : undefined;
  try {
    const org = await createOrganisation(ctx, systemActor, { name: 'Bench Organisation' });
    const input = () => createReadStream(file, { highWaterMark: 1 << 16 });
    const first = await timed(() =>
      importEnrollmentsCsv(ctx, systemActor, org.id, input(), {
        via: 'cli',
        maxBytes: Number.MAX_SAFE_INTEGER,
        ...(workers !== undefined && { workers }),
      }),
    );
    const rssFirst = process.resourceUsage().maxRSS / 1024;
    const again = await timed(() =>
      importEnrollmentsCsv(ctx, systemActor, org.id, input(), {
        via: 'cli',
        maxBytes: Number.MAX_SAFE_INTEGER,
        ...(workers !== undefined && { workers }),
      }),
    );
    const rss = process.resourceUsage().maxRSS / 1024;
    const r = first.report;
    const rate = r.rows / first.s;
    const ok = (v: boolean) => (v ? 'ok' : 'MISSED');
    console.log(
      [
        `enrollments-import/${backend}: ${machineLine()}`,
        `enrollments-import/${backend}: ${r.rows} rows (${r.persons} people, ${r.created} created, ${r.failed} rows failed) ` +
          `in ${first.s.toFixed(1)} s = ${Math.round(rate)} rows/s, ${Math.round(r.persons / first.s)} people/s ` +
          `(CPU ${first.cpu.toFixed(1)} s all threads = ${Math.round((first.cpu / r.rows) * 1e6)} µs/row, ` +
          `main thread ${first.mainCpu.toFixed(1)} s = ${Math.round((first.mainCpu / r.rows) * 1e6)} µs/row; ${r.workers} workers; load average ${first.loadBefore} -> ${first.loadAfter})` +
          (backend === 'sqlite' ? ` [target >= 20000 rows/s: ${ok(rate >= 20_000)}]` : ''),
        `enrollments-import/${backend}: re-import of the same file: ${again.report.unchanged} unchanged, ` +
          `${again.report.created + again.report.updated} written, in ${again.s.toFixed(1)} s = ${Math.round(again.report.rows / again.s)} rows/s ` +
          `(load average ${again.loadBefore} -> ${again.loadAfter})`,
        `enrollments-import/${backend}: peak RSS of this store's process ${rssFirst.toFixed(0)} MiB after the import, ` +
          `${rss.toFixed(0)} MiB after the re-import [target < 1024: ${ok(rss < 1024)}]`,
      ].join('\n'),
    );
  } finally {
    await ctx.dispose();
  }
}

const childFile = process.env[CHILD_FILE];
const childBackend = process.env[CHILD_BACKEND];
if (childFile && (childBackend === 'sqlite' || childBackend === 'postgres')) {
  await measure(childBackend, childFile);
  process.exit(0);
}
