import { type FormEvent, useId, useRef, useState } from 'react';
import { announceChange } from '../client/changes.ts';
import { type ImportIssue, type ImportReport, importAcledCsv } from '../client/incidents.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { Page, Section } from '../components/Page.tsx';
import { Link } from '../router.tsx';
import { isReadOnly, useUser } from '../session.tsx';

// ACLED export -> incidents. The file goes up as text/csv and the server streams it; the browser
// reports upload progress, then the server's report lists every row it could not take.

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** ACLED columns without which the server refuses the whole file (src/domain/incidents/acled.ts). */
const REQUIRED_COLUMNS = [
  'event_id_cnty',
  'event_date',
  'time_precision',
  'event_type',
  'sub_event_type',
  'actor1',
  'actor2',
  'country',
  'latitude',
  'longitude',
  'geo_precision',
  'source',
  'notes',
  'fatalities',
];

/**
 * Reads the header line before anything is sent, so a wrong file is refused at once rather than
 * after uploading it (the server checks the same, and more).
 */
async function headerProblem(file: File): Promise<string | null> {
  const head = await file.slice(0, 64 * 1024).text();
  const line = (head.replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '').trim();
  if (!line) return 'The file is empty.';
  const names = new Set(line.split(',').map((c) => c.trim().replace(/^"|"$/g, '').toLowerCase()));
  const missing = REQUIRED_COLUMNS.filter((c) => !names.has(c));
  if (missing.length === 0) return null;
  if (missing.length === REQUIRED_COLUMNS.length)
    return 'This does not look like an ACLED CSV export: its first line has none of ACLED’s columns.';
  return `The file lacks required ACLED columns: ${missing.join(', ')}.`;
}

type Progress = { phase: 'upload'; sent: number; total: number } | { phase: 'processing' } | null;

function IssueTable({ issues, testId }: { issues: ImportIssue[]; testId: string }) {
  return (
    <div className="table-wrap import-issues">
      <table className="table" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col" className="col-narrow">
              Row
            </th>
            <th scope="col" className="col-narrow">
              Line
            </th>
            <th scope="col">Event</th>
            <th scope="col">Field</th>
            <th scope="col">Problem</th>
          </tr>
        </thead>
        <tbody>
          {issues.map((e) => (
            <tr key={`${e.row}-${e.line}-${e.field}-${e.reason}`} data-row={e.row} data-field={e.field ?? ''}>
              <td>{e.row}</td>
              <td>{e.line ?? '—'}</td>
              <td>{e.eventId ? <code>{e.eventId}</code> : '—'}</td>
              <td>{e.field ? <code>{e.field}</code> : <span className="muted">whole row</span>}</td>
              <td>{e.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ReportView({ report }: { report: ImportReport }) {
  const errorCount = report.errorCount ?? report.errors.length;
  const warningCount = report.warningCount ?? report.warnings.length;
  const counts: [string, number | undefined, string][] = [
    ['Rows read', report.rows, 'rows'],
    [report.dryRun ? 'Would insert' : 'Inserted', report.inserted, 'inserted'],
    [report.dryRun ? 'Would update' : 'Updated', report.updated, 'updated'],
    ['Unchanged', report.unchanged, 'unchanged'],
    ['Not imported', report.failed, 'failed'],
    ['Left retracted', report.retracted, 'retracted'],
    [report.dryRun ? 'New actors' : 'Actors created', report.actorsCreated, 'actors'],
    ['Links to posts', report.linked, 'linked'],
  ];
  return (
    <Section
      title={report.dryRun ? 'Check result (nothing was written)' : 'Import report'}
      testId="import-report"
    >
      <dl className="import-counts">
        {counts
          .filter(([, n]) => n !== undefined)
          .map(([name, n, key]) => (
            <div
              key={key}
              className={`import-count import-count-${key}`}
              data-testid={`import-${key}`}
              data-value={n}
            >
              <dt>{name}</dt>
              <dd>{n}</dd>
            </div>
          ))}
      </dl>
      {report.durationMs !== undefined ? (
        <p className="muted small">
          Took {(report.durationMs / 1000).toFixed(1)} s
          {report.importId ? ` · import ${report.importId}` : ''}.
        </p>
      ) : null}
      {errorCount === 0 ? (
        <p className="text-good" data-testid="import-no-errors">
          Every row was readable.
        </p>
      ) : (
        <>
          <h3 className="subheading">
            {errorCount} {errorCount === 1 ? 'problem' : 'problems'} in rows that were not imported
          </h3>
          <IssueTable issues={report.errors} testId="import-errors" />
        </>
      )}
      {report.truncated ? (
        <p className="small text-warn">The lists are cut short; the counts above are exact.</p>
      ) : null}
      {warningCount > 0 ? (
        <details className="import-warnings">
          <summary>
            {warningCount} {warningCount === 1 ? 'warning' : 'warnings'} (imported, but check)
          </summary>
          <IssueTable issues={report.warnings} testId="import-warnings" />
        </details>
      ) : null}
    </Section>
  );
}

export default function ImportPage() {
  const user = useUser();
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [dryRun, setDryRun] = useState(false);
  const [progress, setProgress] = useState<Progress>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const controllerRef = useRef<AbortController | null>(null);
  const busy = progress !== null;

  const run = async (check: boolean) => {
    if (!file || busy) return;
    setError(null);
    setReport(null);
    const wrong = await headerProblem(file);
    setProblem(wrong);
    if (wrong) return;
    const controller = new AbortController();
    controllerRef.current = controller;
    setProgress({ phase: 'upload', sent: 0, total: file.size });
    try {
      const result = await importAcledCsv(file, {
        dryRun: check,
        signal: controller.signal,
        onProgress: (sent, total) =>
          setProgress(
            sent >= (total || file.size)
              ? { phase: 'processing' }
              : { phase: 'upload', sent, total: total || file.size },
          ),
      });
      setReport(result);
      if (!check) announceChange();
    } catch (err) {
      if (!(err instanceof DOMException && err.name === 'AbortError')) setError(err);
    } finally {
      setProgress(null);
      controllerRef.current = null;
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(dryRun);
  };

  if (isReadOnly(user)) {
    return (
      <Page title="Import incidents" eyebrow={<Link to="/incidents">← Incidents</Link>}>
        <p className="notice notice-warn">Your role can read incidents but not import them.</p>
      </Page>
    );
  }

  const pct =
    progress?.phase === 'upload' && progress.total > 0
      ? Math.round((progress.sent / progress.total) * 100)
      : null;

  return (
    <Page
      title="Import incidents"
      testId="import-page"
      eyebrow={<Link to="/incidents">← Incidents</Link>}
      meta={
        <p className="muted">
          An ACLED export (CSV) becomes incidents. Importing the same file again changes nothing.
        </p>
      }
    >
      <Section title="ACLED file">
        <form className="form" onSubmit={submit} data-testid="import-form">
          <div className="field">
            <label htmlFor={`${id}-file`}>CSV file</label>
            <input
              ref={inputRef}
              id={`${id}-file`}
              type="file"
              accept=".csv,text/csv"
              disabled={busy}
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setReport(null);
                setError(null);
                setProblem(null);
              }}
              data-testid="import-file"
            />
            {file ? (
              <p className="field-hint">
                {file.name} · {bytes(file.size)}
              </p>
            ) : (
              <p className="field-hint">
                Needs ACLED’s columns (event_id_cnty, event_date, event_type, sub_event_type, latitude,
                longitude, country, …). Rows are matched on event_id_cnty: a changed row updates its incident,
                keeping the previous version.
              </p>
            )}
          </div>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={dryRun}
              disabled={busy}
              onChange={(e) => setDryRun(e.target.checked)}
              data-testid="import-dry-run"
            />{' '}
            Check only: report what would happen without writing anything
          </label>
          {progress ? (
            <div className="import-progress" data-testid="import-progress" data-phase={progress.phase}>
              {progress.phase === 'upload' ? (
                <>
                  <progress max={100} value={pct ?? 0} aria-label="Upload progress">
                    {pct ?? 0}%
                  </progress>
                  <span className="small">
                    Sending {bytes(progress.sent)} of {bytes(progress.total)}
                  </span>
                </>
              ) : (
                <>
                  <progress aria-label="The server is reading the file" />
                  <span className="small">Reading and checking rows on the server…</span>
                </>
              )}
              <button
                type="button"
                className="button button-small"
                onClick={() => controllerRef.current?.abort()}
              >
                {progress.phase === 'upload' ? 'Cancel upload' : 'Stop waiting'}
              </button>
              {progress.phase === 'processing' ? (
                <span className="field-hint">The server finishes the import even if you stop waiting.</span>
              ) : null}
            </div>
          ) : null}
          {problem ? (
            <div className="form-error" role="alert" data-testid="import-problem">
              <p className="form-error-title">{problem}</p>
              <p className="form-error-detail">Nothing was sent.</p>
            </div>
          ) : null}
          <ErrorNotice error={error} title="Import failed" testId="import-error" />
          <div className="form-actions">
            <button
              type="submit"
              className="button button-primary"
              disabled={!file || busy}
              data-testid="import-submit"
            >
              {dryRun ? 'Check file' : 'Import'}
            </button>
          </div>
        </form>
      </Section>
      {report ? <ReportView report={report} /> : null}
      {report?.dryRun && file ? (
        <div className="form-actions">
          <button
            type="button"
            className="button button-primary"
            onClick={() => void run(false)}
            disabled={busy}
          >
            Import this file now
          </button>
        </div>
      ) : null}
      {report && !report.dryRun && report.inserted + report.updated > 0 ? (
        <p>
          <Link to="/incidents">See the incidents</Link> · <Link to="/">on the map</Link>
        </p>
      ) : null}
    </Page>
  );
}
