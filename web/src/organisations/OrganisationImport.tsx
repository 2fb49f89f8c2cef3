import { useId, useState } from 'react';
import { announceChange } from '../app/changes.ts';
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
import { Section } from '../ui/Page.tsx';
import { type EnrollmentImportReport, importEnrollments } from './client.ts';

// The organisation's people from a CSV (one row per trip, rows of one person share an
// external_id). Re-importing the same file changes nothing; a changed row updates its person.

const REQUIRED = ['external_id', 'name', 'country', 'arrival'];
/** The server reads "External ID" as external_id: so does this check. */
const normalise = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

function Report({ report }: { report: EnrollmentImportReport }) {
  const counts: ImportCount[] = [
    ['Rows read', report.rows, 'rows'],
    ['People', report.persons, 'persons'],
    ['Created', report.created, 'created'],
    ['Updated', report.updated, 'updated'],
    ['Unchanged', report.unchanged, 'unchanged'],
    ['People refused', report.failedPersons, 'failed-persons'],
    ['Rows not imported', report.failed, 'failed'],
  ];
  return (
    <div className="import-report" data-testid="import-report">
      <ImportCounts counts={counts} />
      <p className="muted small">
        {formatBytes(report.bytes)} in {(report.durationMs / 1000).toFixed(1)} s · import {report.importId}
      </p>
      {report.errorCount === 0 ? (
        <p className="text-good" data-testid="import-no-errors">
          Every row was imported.
        </p>
      ) : (
        <>
          <h3 className="subheading">
            {report.errorCount} {report.errorCount === 1 ? 'problem' : 'problems'}: a person with a bad row is
            not imported at all
          </h3>
          <IssueTable
            issues={report.errors.map((e) => ({ ...e, id: e.externalId }))}
            idLabel="External id"
            testId="import-errors"
          />
          {report.truncated ? (
            <p className="small text-warn">The list is cut short; the counts are exact.</p>
          ) : null}
        </>
      )}
    </div>
  );
}

export function OrganisationImport({
  organisationId,
  disabled,
  onImported,
}: {
  organisationId: string;
  disabled: boolean;
  onImported: () => void;
}) {
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [report, setReport] = useState<EnrollmentImportReport | null>(null);
  const upload = useUpload();

  const run = async () => {
    if (!file || upload.busy) return;
    setReport(null);
    const wrong = await headerProblem(file, REQUIRED, 'an enrollment CSV', normalise);
    setProblem(wrong);
    if (wrong) return;
    const result = await upload.start(file, (callbacks) =>
      importEnrollments(organisationId, file, callbacks),
    );
    if (!result) return;
    setReport(result);
    onImported();
    announceChange();
  };

  return (
    <Section title="Import people (CSV)" testId="organisation-import">
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
        data-testid="import-form"
      >
        <Field id={`${id}-file`} label="CSV file">
          {(control) => (
            <>
              <input
                {...control}
                type="file"
                accept=".csv,text/csv"
                disabled={upload.busy || disabled}
                onChange={(e) => {
                  setFile(e.target.files?.[0] ?? null);
                  setReport(null);
                  setProblem(null);
                  upload.setError(null);
                }}
                data-testid="import-file"
              />
              <p className="field-hint">
                {file ? (
                  `${file.name} · ${formatBytes(file.size)}`
                ) : (
                  <>
                    One row per trip:{' '}
                    <code>
                      external_id, name, email, phone, language, emergency_name, emergency_phone,
                      emergency_email, country, place_id
                    </code>{' '}
                    or <code>place</code> or <code>lat, lon</code>, <code>arrival, departure</code>. Rows of
                    one person share an external_id.
                  </>
                )}
              </p>
            </>
          )}
        </Field>
        <UploadProgressBar
          progress={upload.progress}
          onCancel={upload.cancel}
          processingText="Checking and enrolling people on the server…"
        />
        {problem ? (
          <div className="form-error" role="alert" data-testid="import-problem">
            <p className="form-error-title">{problem}</p>
            <p className="form-error-detail">Nothing was sent.</p>
          </div>
        ) : null}
        <ErrorNotice error={upload.error} title="Import failed" testId="import-error" />
        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={!file || upload.busy || disabled}
            data-testid="import-submit"
          >
            Import
          </button>
          {disabled ? <span className="muted small">Enable the organisation to import.</span> : null}
        </div>
      </form>
      {report ? <Report report={report} /> : null}
    </Section>
  );
}
