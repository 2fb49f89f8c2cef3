import { describe, expect, it } from 'vitest';
import { binomialUpperTail, lnGamma, risingTest } from '../../src/domain/incidents/stats.ts';
import { buildTrend, testWindows, WEEK_MS, weekIndex } from '../../src/domain/incidents/trends.ts';

/** P(X >= k), X ~ Binomial(n, 1/4), exactly, with integers: sum C(n,i) 3^(n-i) / 4^n. */
function exactTail(k: number, n: number): number {
  let num = 0n;
  let c = 1n; // C(n, 0)
  for (let i = 0; i <= n; i++) {
    if (i >= k) num += c * 3n ** BigInt(n - i);
    c = (c * BigInt(n - i)) / BigInt(i + 1);
  }
  if (num === 0n) return 0;
  const den = 4n ** BigInt(n);
  // Shift so the integer quotient keeps about 20 significant digits, however small the tail.
  const shift = den.toString().length - num.toString().length + 20;
  return Number((num * 10n ** BigInt(shift)) / den) * 10 ** -shift;
}

describe('the conditional binomial test for two Poisson rates', () => {
  it('computes ln Γ accurately', () => {
    expect(lnGamma(1)).toBeCloseTo(0, 12);
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(lnGamma(101)).toBeCloseTo(363.73937555556347, 9);
    expect(lnGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });

  it('matches the exact binomial tail for every k of small and mid-sized n', () => {
    for (const n of [0, 1, 2, 5, 16, 32, 60, 150]) {
      for (let k = 0; k <= n + 1; k++) {
        const exact = exactTail(k, n);
        const got = binomialUpperTail(k, n, 0.25);
        if (exact > 1e-300) expect(Math.abs(got - exact) / exact, `n=${n} k=${k}`).toBeLessThan(1e-9);
        else expect(got).toBeLessThan(1e-290);
      }
    }
  });

  it('stays finite and monotone for large n', () => {
    const n = 100_000;
    expect(binomialUpperTail(25_000, n, 0.25)).toBeCloseTo(0.5, 1);
    expect(binomialUpperTail(26_000, n, 0.25)).toBeLessThan(1e-10);
    expect(binomialUpperTail(24_000, n, 0.25)).toBeGreaterThan(1 - 1e-10);
    let last = 1;
    for (let k = 24_500; k <= 25_500; k += 50) {
      const p = binomialUpperTail(k, n, 0.25);
      expect(p).toBeLessThanOrEqual(last);
      last = p;
    }
  });

  it('fires when p < 0.01 and at least 3 recent incidents, with the rate ratio', () => {
    // 4 events after a quiet quarter: p = 0.25^4 = 0.0039.
    expect(risingTest(4, 0)).toMatchObject({ recent: 4, baseline: 0, rateRatio: null, firing: true });
    expect(risingTest(4, 0).pValue).toBeCloseTo(0.00390625, 12);
    // 3 events after a quiet quarter: p = 0.25^3 = 0.0156, not enough.
    expect(risingTest(3, 0)).toMatchObject({ firing: false });
    // Even p < 0.01 needs 3 recent events (2 vs 0 gives 0.0625 anyway).
    expect(risingTest(2, 0).firing).toBe(false);
    const flat = risingTest(8, 24);
    expect(flat).toMatchObject({ rateRatio: 1, recentPerWeek: 2, baselinePerWeek: 2, firing: false });
    const rising = risingTest(20, 12);
    expect(rising.rateRatio).toBe(5);
    expect(rising.firing).toBe(true);
    expect(risingTest(0, 0)).toMatchObject({ pValue: 1, firing: false });
    // A fall is never a rise.
    expect(risingTest(1, 30).pValue).toBeGreaterThan(0.99);
  });
});

describe('weekly trend windows', () => {
  const at = new Date('2018-09-28T08:00:00Z');
  const ago = (ms: number) => new Date(at.getTime() - ms).toISOString();

  it('puts a time in the rolling week ending at `at` that holds it: (start, end]', () => {
    const atMs = at.getTime();
    expect(weekIndex(atMs, ago(0))).toBe(0);
    expect(weekIndex(atMs, ago(WEEK_MS - 1))).toBe(0);
    expect(weekIndex(atMs, ago(WEEK_MS))).toBe(1);
    expect(weekIndex(atMs, ago(52 * WEEK_MS - 1))).toBe(51);
    expect(weekIndex(atMs, ago(52 * WEEK_MS))).toBe(-1);
    expect(weekIndex(atMs, ago(-1))).toBe(-1);
  });

  it('builds 52 weeks oldest first and tests the last 4 against the 12 before', () => {
    const rows = [
      ...Array.from({ length: 6 }, (_, i) => ({ occurredAt: ago(i * 3600_000), type: 'riots' })),
      { occurredAt: ago(4 * WEEK_MS + 1), type: 'protests' },
      { occurredAt: ago(16 * WEEK_MS + 1), type: 'protests' }, // outside the test, inside the trend
      { occurredAt: ago(2 * WEEK_MS), type: 'an unknown type' },
    ];
    const t = buildTrend(at, rows);
    expect(t.weeks).toHaveLength(52);
    expect(t.weeks[51]).toMatchObject({ end: at.toISOString(), total: 6, byType: { riots: 6 } });
    expect(t.weeks[49]!.byType.other).toBe(1);
    expect(t.weeks.reduce((s, w) => s + w.total, 0)).toBe(9);
    expect(t.signals.map((s) => [s.type, s.recent, s.baseline])).toEqual([
      ['all', 7, 1],
      ['protests', 0, 1],
      ['riots', 6, 0],
      ['other', 1, 0],
    ]);
    expect(t.firing).toBe(true);
    expect(testWindows(at)).toEqual({
      baselineStart: ago(16 * WEEK_MS),
      recentStart: ago(4 * WEEK_MS),
      end: at.toISOString(),
    });
  });
});
