import type { ErrorCode } from '../../../src/domain/errors.ts';
import { ApiError } from '../app/api.ts';
import { isRecord } from '../app/util.ts';

/** The server's stable error codes (src/domain/errors.ts), and the console's own for no connection. */
type Code = ErrorCode | 'network_error';

/** Plain-language headings for the error codes a person can act on. */
const HEADINGS: Record<string, string> = {
  self_approval: 'You cannot approve your own request',
  approval_stale: 'The request changed after you opened it',
  request_expired: 'This request has expired',
  invalid_transition: 'This posture change is not allowed',
  forbidden: 'You are not allowed to do this',
  validation_failed: 'Please check the form',
  conflict: 'Someone else changed this first',
  not_found: 'Not found',
  unknown_region: 'Unknown region',
  unknown_country: 'Unknown country',
  network_error: 'No connection to the Warden server',
  district_overlap: 'The district overlaps another post’s district',
  invalid_geometry: 'The drawn area is not valid',
  coverage_loop: 'Coverage would go round in a circle',
  edition_not_draft: 'This edition is no longer a draft',
  no_current_edition: 'There is no published advisory yet',
  unknown_indicator: 'Unknown risk indicator',
  rate_limited: 'Too many attempts',
  incident_retracted: 'This incident has been retracted',
  unknown_actor: 'Unknown actor',
  actor_exists: 'An actor of that name exists already',
  relation_cycle: 'That relation would go round in a circle',
  invalid_csv: 'The file is not an ACLED CSV Warden can read',
  body_too_large: 'The file is too large',
  unsupported_media_type: 'Wrong kind of file',
} satisfies Partial<Record<Code, string>>;

/** What to do next, where the server message alone does not say. */
const NEXT_STEP: Record<string, string> = {
  self_approval: 'A second person must approve it. Ask a colleague to open Pending approvals.',
  approval_stale: 'Reload, read the content and its hash again, then decide.',
  request_expired: 'The requester must submit the change again.',
  invalid_transition: 'Check the current posture of the post; it may have changed.',
  conflict: 'Reload the page to see the latest version before trying again.',
  district_overlap: 'Remove the regions marked “Overlap”, or change the other post’s district first.',
  invalid_geometry: 'Clear the area and draw it again, corner by corner, without crossing its own edges.',
  coverage_loop: 'Choose a delegate that does not (directly or through others) delegate back to this post.',
  edition_not_draft: 'Someone published or discarded it. Open the advisory page to start a new edition.',
  incident_retracted: 'A retracted incident stays on record but can no longer change.',
  actor_exists: 'Open the existing actor instead, or choose a different name.',
  relation_cycle: 'A unit cannot, through any chain, be part of itself.',
  invalid_csv: 'Export the file from ACLED again with its standard columns (event_id_cnty, event_date, …).',
  body_too_large:
    'Split the file into smaller parts, or ask an administrator to raise WARDEN_IMPORT_BODY_LIMIT.',
} satisfies Partial<Record<Code, string>>;

export function errorCode(error: unknown): string | null {
  return error instanceof ApiError ? error.code : null;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The form field the server blamed (details.field, or the first details.errors[].field). */
export function errorField(error: unknown): string | null {
  if (!(error instanceof ApiError) || !isRecord(error.details)) return null;
  const d = error.details;
  if (typeof d.field === 'string') return d.field;
  if (typeof d.path === 'string') return d.path.replace(/^\//, '').replace(/\//g, '.');
  if (Array.isArray(d.errors)) {
    const first = d.errors.find(isRecord);
    if (first && typeof first.field === 'string') return first.field;
    if (first && typeof first.path === 'string') return first.path.replace(/^\//, '').replace(/\//g, '.');
  }
  return null;
}

interface Props {
  error: unknown;
  /** Short context, e.g. "Could not publish". */
  title?: string;
  onRetry?: () => void;
  testId?: string;
}

export function ErrorNotice({ error, title, onRetry, testId = 'error' }: Props) {
  if (!error) return null;
  const code = errorCode(error);
  const heading = (code && HEADINGS[code]) ?? title ?? 'Something went wrong';
  const message = errorMessage(error);
  const next = code ? NEXT_STEP[code] : undefined;
  const field = errorField(error);
  return (
    <div className="form-error" role="alert" data-testid={testId} data-code={code ?? undefined}>
      <p className="form-error-title">
        {title && code && HEADINGS[code] ? `${title}: ` : ''}
        {heading}
      </p>
      {message && message !== heading ? <p className="form-error-detail">{message}</p> : null}
      {field ? (
        <p className="form-error-detail">
          Field: <code>{field}</code>
        </p>
      ) : null}
      {next ? <p className="form-error-detail">{next}</p> : null}
      {code ? (
        <p className="form-error-code">
          Code <code>{code}</code>
        </p>
      ) : null}
      {onRetry ? (
        <button type="button" className="button button-small" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}
