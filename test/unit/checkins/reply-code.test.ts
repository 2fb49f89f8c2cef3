import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseReply } from '../../../src/domain/checkins/reply-code.ts';
import { allocateReplyCode, neighbours } from '../../../src/domain/checkins/reply-code-allocation.ts';

describe('SMS reply grammar', () => {
  it.each([
    ['SAFE 4821', 'safe'],
    ['safe 4821', 'safe'],
    ['  Safe   4821  ', 'safe'],
    ['safe4821', 'safe'],
    ['SAFE-4821.', 'safe'],
    ['4821 safe', 'safe'],
    ['1 4821', 'safe'],
    ['14821', 'safe'],
    ['OK 4821', 'safe'],
    ['HELP 4821', 'need_help'],
    ['help\n4821', 'need_help'],
    ['2 4821', 'need_help'],
    ['24821', 'need_help'],
    ['4821 2', 'need_help'],
    ['ＨＥＬＰ ４８２１', 'need_help'],
    ['HELP ٤٨٢١', 'need_help'],
    ['SAFE ۴۸۲۱', 'safe'],
  ])('%j -> %s 4821', (text, answer) => {
    expect(parseReply(text)).toEqual({ kind: 'answer', answer, code: '4821' });
  });

  it.each([
    ['SAFE', 'safe'],
    [' help ', 'need_help'],
    ['1', 'safe'],
  ])('%j has no code', (text, answer) => {
    expect(parseReply(text)).toEqual({ kind: 'no_code', answer });
  });

  it.each([
    '',
    '4821',
    'SAFE 482',
    'SAFE 48211',
    'HELP ME 4821',
    '3 4821',
    'SAFE 4821 HELP',
    'I am safe',
    'STOP',
    '1 2',
    `SAFE ${'9'.repeat(200)}`,
  ])('%j is unrecognised', (text) => {
    expect(parseReply(text)).toEqual({ kind: 'unrecognised' });
  });

  it('forgives any case and any separator around any keyword and code (property)', () => {
    const keyword = fc.constantFrom(
      ['safe', 'safe'],
      ['help', 'need_help'],
      ['1', 'safe'],
      ['2', 'need_help'],
    );
    const code = fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0'));
    const sep = fc.stringMatching(/^[ \t.,:;\-_#]{1,4}$/);
    const casing = fc.array(fc.boolean(), { minLength: 4, maxLength: 4 });
    fc.assert(
      fc.property(
        keyword,
        code,
        sep,
        sep,
        sep,
        casing,
        fc.boolean(),
        ([word, answer], c, a, b, z, up, swap) => {
          const cased = [...word].map((ch, i) => (up[i] ? ch.toUpperCase() : ch)).join('');
          const text = swap ? `${a}${c}${b}${cased}${z}` : `${a}${cased}${b}${c}${z}`;
          expect(parseReply(text)).toEqual({ kind: 'answer', answer, code: c });
        },
      ),
    );
  });

  it('never throws and never invents a code that is not in the text (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        const r = parseReply(text);
        if (r.kind === 'answer') expect(text).toContain(r.code);
      }),
    );
  });
});

describe('reply code allocation', () => {
  const seeded = (seed: number) => {
    let s = seed >>> 0;
    return (n: number) => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s % n;
    };
  };

  it('gives codes that are unused and not one digit from an open one (property)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 120 }), (seed, count) => {
        const open = new Set<string>();
        const rnd = seeded(seed);
        for (let i = 0; i < count; i++) {
          const code = allocateReplyCode(open, rnd);
          expect(code).toMatch(/^[0-9]{4}$/);
          expect(open.has(code as string)).toBe(false);
          for (const n of neighbours(code as string)) expect(open.has(n)).toBe(false);
          open.add(code as string);
        }
      }),
      { numRuns: 10 },
    );
  });

  it('falls back to any unused code when the well-separated ones run out, null when all are used', () => {
    const all = new Set(Array.from({ length: 10_000 }, (_, i) => String(i).padStart(4, '0')));
    expect(allocateReplyCode(all, seeded(1))).toBeNull();
    all.delete('0042');
    expect(allocateReplyCode(all, seeded(2))).toBe('0042');
  });

  it('has 36 neighbours per code', () => {
    expect(new Set(neighbours('4821')).size).toBe(36);
    expect(neighbours('4821')).toContain('4829');
    expect(neighbours('4821')).not.toContain('4821');
  });
});
