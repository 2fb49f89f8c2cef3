import { type FormEvent, useId, useRef, useState } from 'react';
import { REQUIRED_COLUMNS } from '../../../src/domain/incidents/acled.ts';
import { announceChange } from '../app/changes.ts';
import { Link } from '../app/router.tsx';
import { isReadOnly, useUser } from '../app/session.tsx';
import {
  formatBytes,
  headerProblem,
  type ImportCount,
  ImportCounts,
  IssueTable,
  UploadProgressBar,
  useUpload,
} from '../ui/CsvImport.tsx';
import { ErrorNotice } from '../ui/ErrorNotice.tsx';
import { Field } from '../ui/Field.tsx';
import { Page, Section } from '../ui/Page.tsx';
import { type ImportIssue, type ImportReport, importAcledCsv } from './client.ts';

// ACLED export -> incidents. The file goes up as text/csv and the server streams it; the browser
// reports upload progress, then the server's report lists every row it could not take.

const issueRows = (issues: ImportIssue[]) => issues.map((e) => ({ ...e, id: e.eventId }));

function ReportView({ report }: { report: ImportReport }) {
  const errorCount = report.errorCount ?? report.errors.length;
  const warningCount = report.warningCount ?? report.warnings.length;
  const counts: ImportCount[] = [
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
      <ImportCounts counts={counts} />
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
          <IssueTable issues={issueRows(report.errors)} idLabel="Event" testId="import-errors" />
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
          <IssueTable issues={issueRows(report.warnings)} idLabel="Event" testId="import-warnings" />
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
  const [report, setReport] = useState<ImportReport | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const upload = useUpload();
  const { progress, busy, error } = upload;

  const run = async (check: boolean) => {
    if (!file || busy) return;
    upload.setError(null);
    setReport(null);
    const wrong = await headerProblem(file, REQUIRED_COLUMNS, 'an ACLED CSV export');
    setProblem(wrong);
    if (wrong) return;
    const result = await upload.start(file, (callbacks) =>
      importAcledCsv(file, { dryRun: check, ...callbacks }),
    );
    if (!result) return;
    setReport(result);
    if (!check) announceChange();
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
          <Field id={`${id}-file`} label="CSV file">
            {(control) => (
              <>
                <input
                  ref={inputRef}
                  {...control}
                  type="file"
                  accept=".csv,text/csv"
                  disabled={busy}
                  onChange={(e) => {
                    setFile(e.target.files?.[0] ?? null);
                    setReport(null);
                    upload.setError(null);
                    setProblem(null);
                  }}
                  data-testid="import-file"
                />
                {file ? (
                  <p className="field-hint">
                    {file.name} · {formatBytes(file.size)}
                  </p>
                ) : (
                  <p className="field-hint">
                    Needs ACLED’s columns (event_id_cnty, event_date, event_type, sub_event_type, latitude,
                    longitude, country, …). Rows are matched on event_id_cnty: a changed row updates its
                    incident, keeping the previous version.
                  </p>
                )}
              </>
            )}
          </Field>
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
          <UploadProgressBar progress={progress} onCancel={upload.cancel} />
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
