import { createReadStream, createWriteStream, statSync, writeFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { csvLine } from '../domain/csv.ts';
import { WardenError } from '../domain/errors.ts';
import { type ImportReport, importIncidentsCsv } from '../imports/incidents/import.ts';
import { cliActor } from '../services/audit/audit.ts';
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

/**
 * `warden import enrollments FILE.csv --org ID`: an organisation's people and trips, streamed,
 * with a progress bar on a terminal; every row not imported goes to `--errors FILE` (CSV).
 */
export async function importEnrollmentsCommand(
  file: string,
  opts: { org: string; errors?: string },
): Promise<void> {
  const size = statSync(file).size;
  const { importEnrollmentsCsv } = await import('../imports/enrollments/import.ts');
  const { findOrganisationRef } = await import('../services/organisations/organisations.ts');
  await withContext(async (ctx) => {
    const org = await findOrganisationRef(ctx, opts.org);
    const tty = process.stderr.isTTY;
    const bar = new cliProgress.SingleBar(
      {
        format: ' {bar} {percentage}% | {rows} rows | {mb}/{totalMb} MB | ETA {eta_formatted}',
        stream: process.stderr,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    const mb = (b: number) => (b / 1e6).toFixed(1);
    if (tty) bar.start(size, 0, { rows: 0, mb: '0.0', totalMb: mb(size) });
    const errors = opts.errors ? createWriteStream(opts.errors) : null;
    errors?.write('row,line,external_id,field,code,reason\n');
    try {
      const r = await importEnrollmentsCsv(
        ctx,
        cliActor,
        org.id,
        createReadStream(file, { highWaterMark: 1 << 16 }),
        {
          via: 'cli',
          maxBytes: Number.MAX_SAFE_INTEGER,
          onProgress: ({ bytes, rows }) => {
            if (tty) bar.update(bytes, { rows, mb: mb(bytes) });
          },
          onIssue: (i) => {
            errors?.write(csvLine([i.row, i.line, i.externalId, i.field, i.code, i.reason]));
          },
        },
      );
      if (tty) {
        bar.update(size, { rows: r.rows, mb: mb(size) });
        bar.stop();
      }
      out(
        `${org.name}: ${r.rows} rows (${r.persons} people) read in ${(r.durationMs / 1000).toFixed(1)} s: ` +
          `${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged, ${r.failedPersons} people refused; ` +
          `${r.failed} rows not imported.`,
      );
      for (const i of r.errors.slice(0, SHOWN)) {
        out(
          `  row ${i.row}${i.externalId ? ` ${i.externalId}` : ''}${i.field ? ` [${i.field}]` : ''}: ${i.reason}`,
        );
      }
      if (r.errorCount > SHOWN)
        out(`  ... ${r.errorCount - SHOWN} more${opts.errors ? '' : ' (use --errors FILE for all)'}`);
      if (opts.errors) out(`Every error: ${opts.errors}`);
      if (r.failed > 0) process.exitCode = 1;
    } catch (err) {
      if (tty) bar.stop();
      if (err instanceof WardenError && err.code === 'invalid_csv')
        throw new Error(`${file}: ${err.message}`);
      throw err;
    } finally {
      if (errors) await new Promise((resolve) => errors.end(resolve));
    }
  });
}
