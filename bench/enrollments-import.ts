import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { syntheticEnrollmentCsv } from '../src/demo/enrollments.ts';
import { systemActor } from '../src/services/audit.ts';
import { type EnrollmentImportReport, importEnrollmentsCsv } from '../src/services/enrollment-import.ts';
import { createOrganisation } from '../src/services/organisations.ts';
import { type BenchBackend, benchContext } from './stores.ts';

/** Data rows of the generated file: WARDEN_BENCH_ENROLLMENT_ROWS or WARDEN_BENCH_ROWS (default 1,000,000). */
const ROWS = Number(process.env.WARDEN_BENCH_ENROLLMENT_ROWS || process.env.WARDEN_BENCH_ROWS || 1_000_000);
/** The trips are placed around this day, so that none is refused as past. */
const TODAY = new Date();

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
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function timed(run: () => Promise<EnrollmentImportReport>) {
  const loadBefore = load();
  const t = performance.now();
  const c = cpuSeconds();
  const report = await run();
  return { report, s: (performance.now() - t) / 1000, cpu: cpuSeconds() - c, loadBefore, loadAfter: load() };
}

/**
 * Organisation enrollment import (target >= 20,000 rows/s on SQLite, peak RSS < 1 GiB): a first
 * import of the whole file (people created: checked, sealed with a data key each, written), then
 * the same file again (every person unchanged). Peak RSS is the process's since it started
 * (run this benchmark alone for a figure of its own). CPU counts every thread of the process.
 */
export async function enrollmentsImportBench(backend: BenchBackend): Promise<void> {
  const data = await dataFile();
  const ctx = await benchContext(backend);
  try {
    const org = await createOrganisation(ctx, systemActor, { name: 'Bench Organisation' });
    const file = () => createReadStream(data.file, { highWaterMark: 1 << 16 });
    const first = await timed(() =>
      importEnrollmentsCsv(ctx, systemActor, org.id, file(), {
        via: 'cli',
        maxBytes: Number.MAX_SAFE_INTEGER,
      }),
    );
    const again = await timed(() =>
      importEnrollmentsCsv(ctx, systemActor, org.id, file(), {
        via: 'cli',
        maxBytes: Number.MAX_SAFE_INTEGER,
      }),
    );
    const rss = process.resourceUsage().maxRSS / 1024;
    const r = first.report;
    const rate = r.rows / first.s;
    const ok = (v: boolean) => (v ? 'ok' : 'MISSED');
    console.log(
      [
        `enrollments-import/${backend}: ${r.rows} rows (${r.persons} people, ${r.created} created, ${r.failed} rows failed) ` +
          `in ${first.s.toFixed(1)} s = ${Math.round(rate)} rows/s, ${Math.round(r.persons / first.s)} people/s ` +
          `(CPU ${first.cpu.toFixed(1)} s, all threads; ${ctx.config.importWorkers} workers; load average ${first.loadBefore} -> ${first.loadAfter})` +
          (backend === 'sqlite' ? ` [target >= 20000 rows/s: ${ok(rate >= 20_000)}]` : ''),
        `enrollments-import/${backend}: re-import of the same file: ${again.report.unchanged} unchanged, ` +
          `${again.report.created + again.report.updated} written, in ${again.s.toFixed(1)} s = ${Math.round(again.report.rows / again.s)} rows/s`,
        `enrollments-import/${backend}: peak RSS so far ${rss.toFixed(0)} MiB [target < 1024: ${ok(rss < 1024)}]`,
      ].join('\n'),
    );
  } finally {
    await ctx.dispose();
  }
}
