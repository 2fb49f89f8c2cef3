import { hmacHex } from '../../domain/crypto.ts';
import { WardenError } from '../../domain/errors.ts';

/**
 * The enrollment CSV (docs/enrollment-import.md): one row per trip; the rows of one person share
 * an external_id, come one after another, and repeat (or leave empty) the person's own columns.
 */
export const ENROLLMENT_COLUMNS = [
  'external_id',
  'name',
  'email',
  'phone',
  'language',
  'emergency_name',
  'emergency_phone',
  'emergency_email',
  'webhook_url',
  'country',
  'place_id',
  'place',
  'lat',
  'lon',
  'arrival',
  'departure',
] as const;
export type EnrollmentColumn = (typeof ENROLLMENT_COLUMNS)[number];

/** Index of each column in a row's canonical `values`. */
export const COL = Object.fromEntries(ENROLLMENT_COLUMNS.map((c, i) => [c, i])) as Record<
  EnrollmentColumn,
  number
>;

/** Columns 0..PERSON_END-1 describe the person; the rest one trip. */
export const PERSON_END = COL.country;

export const REQUIRED_COLUMNS: readonly EnrollmentColumn[] = ['external_id', 'name', 'country', 'arrival'];

/** One data row, its values in ENROLLMENT_COLUMNS order ('' for a column the file lacks). */
export interface RawRow {
  /** Spreadsheet row: the header is row 1. */
  readonly row: number;
  /** Physical line where the record starts (differs from `row` after quoted newlines). */
  readonly line: number;
  readonly values: readonly string[];
}

/** A problem with one row; `field` is the CSV column (null = the whole row). */
/** Where a row is: all that is kept of it once its values are sent to be checked. */
export type RowRef = Pick<RawRow, 'row' | 'line'>;

export interface RowIssue {
  readonly row: number;
  readonly line: number;
  readonly field: string | null;
  /** A stable code: a WardenError code (invalid_email, date_out_of_range, ...) or a CSV one. */
  readonly code: string;
  readonly reason: string;
  readonly externalId?: string;
}

export interface EnrollmentHeader {
  /** For each canonical column, its position in the file's rows, or -1. */
  readonly positions: readonly number[];
  readonly width: number;
  /**
   * Position of the optional `re_enroll` column, or -1. It is an instruction about the import,
   * not data of the person: kept out of the canonical values (and so of the person's hash).
   */
  readonly reEnroll: number;
}

/** Columns an import understands besides the person's data. */
export const CONTROL_COLUMNS = ['re_enroll'] as const;

const normalHeader = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

/**
 * Reads the header row. Missing required columns, unknown or repeated columns, or neither an
 * email nor a phone column refuse the whole file (invalid_csv, 400) with every problem listed.
 */
export function readEnrollmentHeader(fields: readonly string[]): EnrollmentHeader {
  const names = fields.map(normalHeader);
  const known = new Set<string>([...ENROLLMENT_COLUMNS, ...CONTROL_COLUMNS]);
  const unknown = names.filter((n) => !known.has(n));
  const duplicates = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  const missing = REQUIRED_COLUMNS.filter((c) => !names.includes(c));
  const noContact = !names.includes('email') && !names.includes('phone');
  if (unknown.length || duplicates.length || missing.length || noContact) {
    const problems = [
      missing.length && `missing columns: ${missing.join(', ')}`,
      noContact && 'an email or a phone column is needed',
      unknown.length && `unknown columns: ${unknown.map((u) => u || '(empty)').join(', ')}`,
      duplicates.length && `repeated columns: ${duplicates.join(', ')}`,
    ].filter(Boolean);
    throw new WardenError(
      'invalid_csv',
      `The header is not an enrollment CSV header: ${problems.join('; ')}.`,
      {
        missing,
        unknown,
        duplicates,
        required: REQUIRED_COLUMNS,
        expected: ENROLLMENT_COLUMNS,
      },
    );
  }
  return {
    positions: ENROLLMENT_COLUMNS.map((c) => names.indexOf(c)),
    width: names.length,
    reEnroll: names.indexOf('re_enroll'),
  };
}

/** Lists every other row of a refused person too, so that no row goes missing from the report. */
export function refuseAll(externalId: string, rows: readonly RowRef[], issues: RowIssue[]): RowIssue[] {
  const listed = new Set(issues.map((i) => i.row));
  const first = issues[0]?.row;
  for (const r of rows) {
    if (listed.has(r.row)) continue;
    issues.push({
      row: r.row,
      line: r.line,
      field: null,
      code: 'person_refused',
      reason: `not imported: row ${first} of the same person has errors`,
      externalId,
    });
  }
  return issues;
}

/** The row's values in canonical order. */
export function canonicalValues(header: EnrollmentHeader, fields: readonly string[]): string[] {
  const out = new Array<string>(ENROLLMENT_COLUMNS.length);
  for (let c = 0; c < out.length; c++) {
    const p = header.positions[c]!;
    out[c] = p < 0 ? '' : fields[p]!;
  }
  return out;
}

/**
 * What an unchanged re-import compares: an HMAC (keyed, because the input is personal data) of
 * the person's rows as sent. Column order does not matter; any other difference, even spacing,
 * counts as a change and rewrites the person once, harmlessly.
 */
export function personHash(key: Buffer, rows: readonly RawRow[]): string {
  let text = 'enrollment-import/v1';
  for (const r of rows) text += `\u001e${r.values.join('\u001f')}`;
  return hmacHex(key, text).slice(0, 32);
}
