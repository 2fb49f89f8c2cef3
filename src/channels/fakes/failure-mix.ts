/**
 * How often a local fake (SMTP sink, SMS provider, webhook receiver) fails on purpose, so the
 * delivery engine's retries can be seen and tested against real protocol errors. Each share is
 * a probability in [0, 1]; they are drawn in this order from one random number.
 */
export interface FailureMix {
  /** A retryable refusal: HTTP 500/503 (SMS, webhook) or SMTP 451. */
  transient?: number;
  /** HTTP 429 with Retry-After (SMS, webhook); SMTP 451 "slow down". */
  rateLimited?: number;
  /** A final refusal: HTTP 400 with a provider error body, webhook 410, SMTP 554. */
  permanent?: number;
  /** The connection is closed without an answer (SMTP: 421 and close). */
  disconnect?: number;
  /** No answer until the sender gives up. */
  timeout?: number;
  /** The random source, for reproducible runs (seededRandom); default Math.random. */
  random?: () => number;
}

export type Failure = 'transient' | 'rateLimited' | 'permanent' | 'disconnect' | 'timeout';

const ORDER: readonly Failure[] = ['transient', 'rateLimited', 'permanent', 'disconnect', 'timeout'];

/** Draws the failure for one request, or null to answer normally. */
export function pickFailure(mix: FailureMix | undefined): Failure | null {
  if (!mix) return null;
  let r = (mix.random ?? Math.random)();
  for (const f of ORDER) {
    const share = mix[f] ?? 0;
    if (r < share) return f;
    r -= share;
  }
  return null;
}

/** A small deterministic generator (mulberry32), so a failure mix repeats run after run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
