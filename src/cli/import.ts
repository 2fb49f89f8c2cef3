import { createReadStream, statSync, writeFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { WardenError } from '../domain/errors.ts';
import { cliActor } from '../services/audit.ts';
import { type ImportReport, importIncidentsCsv } from '../services/incident-import.ts';
import { out, withContext } from './common.ts';

const SHOWN = 20;

function summary(r: ImportReport): string[] {
  const lines = [
    `${r.dryRun ? 'Dry run: nothing was written. ' : ''}${r.rows} rows read in ${(r.durationMs / 1000).toFixed(1)} s: ` +
      `${r.inserted} new, ${r.updated} updated, ${r.unchanged} unchanged, ${r.failed} not imported` +
      `${r.retracted ? `, ${r.retracted} left retracted` : ''}.`,
    `${r.actorsCreated} actors created; ${r.linked} links to posts written.`,
  ];
  const show = (label: string, list: ImportReport['errors'], count: number) => {
    if (count === 0) return;
    lines.push(`${count} ${label}${count > list.length ? ` (first ${list.length} kept)` : ''}:`);
    for (const i of list.slice(0, SHOWN)) {
      lines.push(
        `  row ${i.row} (line ${i.line})${i.eventId ? ` ${i.eventId}` : ''}${i.field ? ` [${i.field}]` : ''}: ${i.reason}`,
      );
    }
    if (list.length > SHOWN) lines.push(`  ... ${list.length - SHOWN} more (use --report FILE for all)`);
  };
  show('errors', r.errors, r.errorCount);
  show('warnings', r.warnings, r.warningCount);
  return lines;
}

/** `warden import incidents FILE.csv`: an ACLED export, streamed, with a progress bar on a terminal. */
export async function importIncidentsCommand(
  file: string,
  opts: { dryRun?: boolean; report?: string },
): Promise<void> {
  const size = statSync(file).size;
  await withContext(async (ctx) => {
    const tty = process.stderr.isTTY;
    const bar = new cliProgress.SingleBar(
      {
        format: ' {bar} {percentage}% | {rows} rows | {mb}/{totalMb} MB | ETA {eta_formatted}',
        stream: process.stderr,
        hideCursor: true,
        noTTYOutput: false,
        notTTYSchedule: 5000,
      },
      cliProgress.Presets.shades_classic,
    );
    const mb = (b: number) => (b / 1e6).toFixed(1);
    if (tty) bar.start(size, 0, { rows: 0, mb: '0.0', totalMb: mb(size) });
    let report: ImportReport;
    try {
      report = await importIncidentsCsv(ctx, cliActor, createReadStream(file, { highWaterMark: 1 << 20 }), {
        dryRun: opts.dryRun,
        onProgress: ({ bytes, rows }) => {
          if (tty) bar.update(bytes, { rows, mb: mb(bytes) });
        },
      });
    } catch (err) {
      if (tty) bar.stop();
      if (err instanceof WardenError && err.code === 'invalid_csv') {
        const d = err.details as { missing?: string[]; duplicates?: string[]; unknown?: string[] };
        const lines = [`${file}: ${err.message}`];
        if (d.unknown?.length) lines.push(`  columns not in the ACLED format: ${d.unknown.join(', ')}`);
        throw new Error(lines.join('\n'));
      }
      throw err;
    }
    if (tty) {
      bar.update(size, { rows: report.rows, mb: mb(size) });
      bar.stop();
    }
    for (const line of summary(report)) out(line);
    if (opts.report) {
      writeFileSync(opts.report, `${JSON.stringify(report, null, 2)}\n`);
      out(`Full report: ${opts.report}`);
    }
    if (report.failed > 0) process.exitCode = 1;
  });
}
