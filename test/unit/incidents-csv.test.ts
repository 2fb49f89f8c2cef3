import { describe, expect, it } from 'vitest';
import { type CsvItem, CsvReader } from '../../src/domain/incidents/csv-reader.ts';

const readAll = (text: string, chunk = text.length || 1, max?: number): CsvItem[] => {
  const r = new CsvReader(max);
  const out: CsvItem[] = [];
  for (let i = 0; i < text.length; i += chunk) out.push(...r.push(text.slice(i, i + chunk)));
  return [...out, ...r.end()];
};
const fields = (items: CsvItem[]) => items.map((i) => (i.kind === 'record' ? i.fields : i.reason));

describe('the streaming CSV reader', () => {
  it('reads RFC 4180: quotes, doubled quotes, commas and newlines in quotes, CRLF, a BOM, blank lines', () => {
    const text = '\uFEFFa,b,c\r\n1,"two, 2","say ""hi"""\r\n\r\n"x\ny",,"z"\n4,5,6';
    const items = readAll(text);
    expect(fields(items)).toEqual([
      ['a', 'b', 'c'],
      ['1', 'two, 2', 'say "hi"'],
      ['x\ny', '', 'z'],
      ['4', '5', '6'],
    ]);
    expect(items.map((i) => i.line)).toEqual([1, 2, 4, 6]);
  });

  it('gives the same records whatever the chunk boundaries', () => {
    const text = 'a,b\n"q""uo\nted",2\r\n3,"4"\n"",x\n';
    const whole = readAll(text);
    for (const size of [1, 2, 3, 5, 7]) expect(readAll(text, size), `chunks of ${size}`).toEqual(whole);
    expect(fields(whole)).toEqual([
      ['a', 'b'],
      ['q"uo\nted', '2'],
      ['3', '4'],
      ['', 'x'],
    ]);
  });

  it('reports text after a closing quote and reads on from the next line', () => {
    const items = readAll('a,b\n1,"2"x\n3,4\n');
    expect(items).toEqual([
      { kind: 'record', fields: ['a', 'b'], line: 1, strayQuote: -1 },
      { kind: 'broken', line: 2, reason: 'text follows the closing quote of a quoted field' },
      { kind: 'record', fields: ['3', '4'], line: 3, strayQuote: -1 },
    ]);
  });

  it('reports a quote never closed (at the end, or beyond the record limit) and recovers every later line', () => {
    expect(readAll('a,b\n1,"open\n3,4\n5,6')).toEqual([
      { kind: 'record', fields: ['a', 'b'], line: 1, strayQuote: -1 },
      { kind: 'broken', line: 2, reason: 'a quoted field opened on this line is never closed' },
      { kind: 'record', fields: ['3', '4'], line: 3, strayQuote: -1 },
      { kind: 'record', fields: ['5', '6'], line: 4, strayQuote: -1 },
    ]);
    // Streaming: the limit decides before the end of the input.
    const long = `a\n"${'x'.repeat(50)}\n${Array.from({ length: 20 }, (_, i) => `r${i}`).join('\n')}\n`;
    const items = readAll(long, 8, 40);
    expect(items[1]).toEqual({
      kind: 'broken',
      line: 2,
      reason: 'a quoted field opened on this line is never closed',
    });
    expect(items.filter((i) => i.kind === 'record')).toHaveLength(21);
  });

  it('keeps a quote inside an unquoted field as text and flags it', () => {
    expect(readAll('5" gun,ok\n')).toEqual([
      { kind: 'record', fields: ['5" gun', 'ok'], line: 1, strayQuote: 0 },
    ]);
  });

  it('reads an empty input as nothing and a last line without newline', () => {
    expect(readAll('')).toEqual([]);
    expect(fields(readAll('a,b'))).toEqual([['a', 'b']]);
    expect(fields(readAll('a,'))).toEqual([['a', '']]);
  });
});

describe('csvCell (what Warden writes)', () => {
  it('neutralises formulas and quotes what needs quoting', async () => {
    const { csvCell, csvLine } = await import('../../src/domain/csv.ts');
    expect(csvCell('=HYPERLINK("https://evil.example","x")')).toBe(
      `"'=HYPERLINK(""https://evil.example"",""x"")"`,
    );
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('+33 1 23')).toBe("'+33 1 23");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('plain text')).toBe('plain text');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell(-4)).toBe('-4');
    expect(csvCell(null)).toBe('');
    expect(csvLine([1, 'x', '=1'])).toBe("1,x,'=1\n");
  });
});
