/**
 * Rising-threat test: are incidents near a post (or in a region) more frequent over the last
 * RECENT_WEEKS than over the BASELINE_WEEKS before them?
 *
 * Counts of independent events in a period are modelled as Poisson: recent ~ Poisson(λr · 4),
 * baseline ~ Poisson(λb · 12). Conditional on their total n = recent + baseline, the recent count
 * is Binomial(n, p) with p = 4λr / (4λr + 12λb); under H0 (λr = λb) p0 = 4/16 = 0.25. This is the
 * conditional (exact) binomial test for comparing two Poisson rates (Przyborowski & Wilenski 1940;
 * Lehmann & Romano, Testing Statistical Hypotheses, 4.5). The one-sided p-value of H1 (λr > λb)
 * is P(X >= recent | X ~ Binomial(n, 0.25)). A signal fires when p < ALPHA and recent >= MIN_RECENT
 * (so a single event after a quiet quarter does not alarm). The rate ratio is
 * (recent/4) / (baseline/12), null when the baseline is empty. Each type is tested on its own and
 * together ('all'); no multiple-testing correction is applied, so read a firing per-type signal
 * as a prompt for review, not as proof.
 */
export const RECENT_WEEKS = 4;
export const BASELINE_WEEKS = 12;
export const ALPHA = 0.01;
export const MIN_RECENT = 3;
export const P0 = RECENT_WEEKS / (RECENT_WEEKS + BASELINE_WEEKS);

const LANCZOS = [
  0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406,
  12.507343278686905, -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7; ~15 significant digits). */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

function lnPmf(k: number, n: number, p: number): number {
  return lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

/**
 * P(X >= k) for X ~ Binomial(n, p), summed from the term nearest the mode outwards so it neither
 * overflows nor loses the tail: above the mean directly, below it as 1 - P(X <= k - 1).
 */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const odds = p / (1 - p);
  if (k >= n * p) {
    let term = 1;
    let sum = 1;
    for (let i = k; i < n; i++) {
      term *= ((n - i) / (i + 1)) * odds;
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return Math.min(1, Math.exp(lnPmf(k, n, p) + Math.log(sum)));
  }
  let term = 1;
  let sum = 1;
  for (let i = k - 1; i > 0; i--) {
    term *= i / (n - i + 1) / odds;
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return Math.max(0, 1 - Math.exp(lnPmf(k - 1, n, p) + Math.log(sum)));
}

export interface RateTest {
  readonly recent: number;
  readonly baseline: number;
  readonly recentPerWeek: number;
  readonly baselinePerWeek: number;
  /** (recent / 4 weeks) / (baseline / 12 weeks); null when the baseline is empty. */
  readonly rateRatio: number | null;
  /** One-sided p-value of "the recent rate is higher". */
  readonly pValue: number;
  readonly firing: boolean;
}

export function risingTest(recent: number, baseline: number): RateTest {
  const pValue = binomialUpperTail(recent, recent + baseline, P0);
  const recentPerWeek = recent / RECENT_WEEKS;
  const baselinePerWeek = baseline / BASELINE_WEEKS;
  return {
    recent,
    baseline,
    recentPerWeek,
    baselinePerWeek,
    rateRatio: baseline > 0 ? recentPerWeek / baselinePerWeek : null,
    pValue,
    firing: pValue < ALPHA && recent >= MIN_RECENT,
  };
}
