/**
 * A streaming RFC 4180 reader (push text chunks, take complete records) that never loses a line.
 *
 * Why not csv-parse: it was several times slower than this reader, below the import target before
 * any database work (figures: docs/performance-history.md); and after a malformed quote (`"8"x`)
 * its skip_records_with_error mode swallowed the rest of the file.
 *
 * Recovery: a record with text after a closing quote, or a quote that is never closed (by the end
 * of the input, or within `maxRecordChars`), becomes a `broken` item for the line where the record
 * starts, and reading resumes on the next line, so every later record is still read and every
 * line is accounted for. A quote inside an unquoted field is kept literally and flagged.
 */
export interface CsvRecord {
  readonly kind: 'record';
  readonly fields: string[];
  /** Physical line (1-based) where the record starts. */
  readonly line: number;
  /** Index of the first field holding a stray quote, or -1. */
  readonly strayQuote: number;
}

export interface CsvBroken {
  readonly kind: 'broken';
  readonly line: number;
  readonly reason: string;
}

export type CsvItem = CsvRecord | CsvBroken;

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

type Step =
  | { kind: 'more' }
  | { kind: 'record'; fields: string[]; end: number; lines: number; stray: number }
  | { kind: 'broken'; reason: string };

function countLf(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

export class CsvReader {
  private buf = '';
  private line = 1;
  private first = true;
  /** Skipping to the end of a broken record's first line. */
  private skipping = false;

  constructor(private readonly maxRecordChars = 1_000_000) {}

  push(chunk: string): CsvItem[] {
    if (this.first && chunk.length > 0) {
      this.first = false;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    this.buf = this.buf.length ? this.buf + chunk : chunk;
    return this.drain(false);
  }

  end(): CsvItem[] {
    return this.drain(true);
  }

  private drain(final: boolean): CsvItem[] {
    const out: CsvItem[] = [];
    const s = this.buf;
    let p = 0;
    if (this.skipping) {
      // The rest of a broken record's first line, which arrived in a later chunk.
      const nl = s.indexOf('\n');
      if (nl < 0) {
        this.buf = '';
        return out;
      }
      this.skipping = false;
      this.line += 1;
      p = nl + 1;
    }
    while (p < s.length) {
      const step = this.record(s, p, final);
      if (step.kind === 'more') break;
      if (step.kind === 'record') {
        const blank = step.fields.length === 1 && step.fields[0] === '' && step.end - p <= 2;
        if (!blank)
          out.push({ kind: 'record', fields: step.fields, line: this.line, strayQuote: step.stray });
        this.line += step.lines;
        p = step.end;
        continue;
      }
      out.push({ kind: 'broken', line: this.line, reason: step.reason });
      // Resume on the next physical line: whatever follows is read again as records.
      const nl = s.indexOf('\n', p);
      if (nl < 0) {
        this.skipping = !final;
        p = s.length;
        break;
      }
      this.line += 1;
      p = nl + 1;
    }
    this.buf = s.slice(p);
    return out;
  }

  /** Reads one record starting at p; `more` when the text so far cannot tell where it ends. */
  private record(s: string, p: number, final: boolean): Step {
    const n = s.length;
    const fields: string[] = [];
    let lines = 0;
    let stray = -1;
    let i = p;
    for (;;) {
      if (i < n && s.charCodeAt(i) === QUOTE) {
        let value = '';
        let j = i + 1;
        for (;;) {
          const q = s.indexOf('"', j);
          if (q < 0 || (q + 1 >= n && !final)) {
            if (final || n - p > this.maxRecordChars) {
              return { kind: 'broken', reason: 'a quoted field opened on this line is never closed' };
            }
            return { kind: 'more' };
          }
          if (s.charCodeAt(q + 1) === QUOTE) {
            value += s.slice(j, q + 1);
            j = q + 2;
            continue;
          }
          value += s.slice(j, q);
          i = q + 1;
          break;
        }
        if (value.includes('\n')) lines += countLf(value);
        fields.push(value);
        const c = i < n ? s.charCodeAt(i) : -1;
        if (c !== COMMA && c !== LF && c !== CR && c !== -1) {
          return { kind: 'broken', reason: 'text follows the closing quote of a quoted field' };
        }
      } else {
        let e = i;
        while (e < n) {
          const c = s.charCodeAt(e);
          if (c === COMMA || c === LF || c === CR) break;
          if (c === QUOTE && stray < 0) stray = fields.length;
          e++;
        }
        if (e >= n && !final) return { kind: 'more' };
        fields.push(s.slice(i, e));
        i = e;
      }
      if (i >= n) {
        if (!final) return { kind: 'more' };
        return { kind: 'record', fields, end: n, lines, stray };
      }
      const c = s.charCodeAt(i);
      if (c === COMMA) {
        i++;
        continue;
      }
      if (c === CR) {
        if (i + 1 >= n && !final) return { kind: 'more' };
        i += s.charCodeAt(i + 1) === LF ? 2 : 1;
      } else i++;
      return { kind: 'record', fields, end: i, lines: lines + 1, stray };
    }
  }
}

/**
 * One cell of a CSV that people open in a spreadsheet (issue 11: the CLI's `--errors` file wrote
 * `=HYPERLINK(…)` and `@SUM(…)` verbatim, which a spreadsheet runs as formulas). A value starting
 * with =, +, -, @, tab or CR is prefixed with an apostrophe (OWASP's CSV-injection advice), so it
 * shows as text; then RFC 4180 quoting. Numbers are written as they are (a negative number is data,
 * not a formula). Every CSV Warden writes goes through here.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const s = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A CSV line (with its line break) of cells escaped by csvCell(). */
export const csvLine = (cells: ReadonlyArray<string | number | null | undefined>): string =>
  `${cells.map(csvCell).join(',')}\n`;
