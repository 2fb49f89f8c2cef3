import { useCallback, useRef, useState } from 'react';

// The parts every CSV import page shares: a header check before anything is sent, the upload's
// progress (bytes from the browser, then "the server is reading"), the counts of the report, and
// the table of rows that were not taken. Used by the incident (ACLED) and enrollment imports.

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** The column names of a CSV's first line, lower-cased, without quotes or a byte-order mark. */
export async function csvHeader(file: Blob): Promise<string[]> {
  const head = await file.slice(0, 64 * 1024).text();
  const line = (head.replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '').trim();
  if (!line) return [];
  return line.split(',').map((c) => c.trim().replace(/^"|"$/g, '').toLowerCase());
}

/**
 * Why a file cannot be the expected CSV, from its header alone (null = it may be); read before
 * anything is uploaded, so a wrong file is refused at once. The server checks the same, and more.
 */
export async function headerProblem(
  file: Blob,
  required: readonly string[],
  what: string,
  normalise: (name: string) => string = (n) => n,
): Promise<string | null> {
  const names = new Set((await csvHeader(file)).map(normalise));
  if (names.size === 0) return 'The file is empty.';
  const missing = required.filter((c) => !names.has(c));
  if (missing.length === 0) return null;
  if (missing.length === required.length)
    return `This does not look like ${what}: its first line has none of the expected columns.`;
  return `The file lacks required columns: ${missing.join(', ')}.`;
}

export type UploadProgress =
  | { phase: 'upload'; sent: number; total: number }
  | { phase: 'processing' }
  | null;

export interface UploadCallbacks {
  signal: AbortSignal;
  onProgress: (sent: number, total: number) => void;
}

/**
 * One upload at a time: progress while the bytes go up, "processing" once they are all sent,
 * cancellable. `start` resolves to the result, or undefined when it failed or was cancelled.
 */
export function useUpload() {
  const [progress, setProgress] = useState<UploadProgress>(null);
  const [error, setError] = useState<unknown>(null);
  const controllerRef = useRef<AbortController | null>(null);

  const start = useCallback(
    async <T,>(file: Blob, send: (callbacks: UploadCallbacks) => Promise<T>): Promise<T | undefined> => {
      if (controllerRef.current) return undefined;
      const controller = new AbortController();
      controllerRef.current = controller;
      setError(null);
      setProgress({ phase: 'upload', sent: 0, total: file.size });
      try {
        return await send({
          signal: controller.signal,
          onProgress: (sent, total) =>
            setProgress(
              sent >= (total || file.size)
                ? { phase: 'processing' }
                : { phase: 'upload', sent, total: total || file.size },
            ),
        });
      } catch (err) {
        if (!(err instanceof DOMException && err.name === 'AbortError')) setError(err);
        return undefined;
      } finally {
        setProgress(null);
        controllerRef.current = null;
      }
    },
    [],
  );
  const cancel = useCallback(() => controllerRef.current?.abort(), []);
  return { progress, busy: progress !== null, error, setError, start, cancel };
}

/** The progress bar of an upload, then of the server's work; with a way out. */
export function UploadProgressBar({
  progress,
  onCancel,
  processingText = 'Reading and checking rows on the server…',
}: {
  progress: UploadProgress;
  onCancel: () => void;
  processingText?: string;
}) {
  if (!progress) return null;
  const pct =
    progress.phase === 'upload' && progress.total > 0
      ? Math.round((progress.sent / progress.total) * 100)
      : 0;
  return (
    <div className="import-progress" data-testid="import-progress" data-phase={progress.phase}>
      {progress.phase === 'upload' ? (
        <>
          <progress max={100} value={pct} aria-label="Upload progress">
            {pct}%
          </progress>
          <span className="small">
            Sending {formatBytes(progress.sent)} of {formatBytes(progress.total)}
          </span>
        </>
      ) : (
        <>
          <progress aria-label="The server is reading the file" />
          <span className="small">{processingText}</span>
        </>
      )}
      <button type="button" className="button button-small" onClick={onCancel}>
        {progress.phase === 'upload' ? 'Cancel upload' : 'Stop waiting'}
      </button>
      {progress.phase === 'processing' ? (
        <span className="field-hint">The server finishes the import even if you stop waiting.</span>
      ) : null}
    </div>
  );
}

/** [label, value, key]: the key names the test id (import-<key>) and a colour class. */
export type ImportCount = [label: string, value: number | undefined, key: string];

export function ImportCounts({ counts }: { counts: ImportCount[] }) {
  return (
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
  );
}

export interface RowIssue {
  row: number;
  line?: number;
  field: string | null;
  reason: string;
  /** The row's own identifier in the file (ACLED event id, external id). */
  id?: string;
}

/** Rows the import could not take (or took with a warning), one line per problem. */
export function IssueTable({
  issues,
  idLabel,
  testId,
}: {
  issues: RowIssue[];
  idLabel: string;
  testId: string;
}) {
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
            <th scope="col">{idLabel}</th>
            <th scope="col">Field</th>
            <th scope="col">Problem</th>
          </tr>
        </thead>
        <tbody>
          {issues.map((e) => (
            <tr key={`${e.row}-${e.line}-${e.field}-${e.reason}`} data-row={e.row} data-field={e.field ?? ''}>
              <td>{e.row}</td>
              <td>{e.line ?? '—'}</td>
              <td>{e.id ? <code>{e.id}</code> : '—'}</td>
              <td>{e.field ? <code>{e.field}</code> : <span className="muted">whole row</span>}</td>
              <td>{e.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
