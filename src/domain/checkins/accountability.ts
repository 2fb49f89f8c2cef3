import type { Answer } from './types.ts';

/*
 * Accountability of one alert: for each targeted person, which bucket they are in now. The
 * buckets are disjoint and add up to `targeted`; `reached` overlaps them (it is a property of
 * delivery, not of the answer) and is counted beside them.
 *
 *   erased      the person erased their data: counted, never listed
 *   need_help   last answer need_help
 *   safe        last answer safe
 *   no_answer   reached on at least one channel, no answer yet
 *   unreachable no channel, or every channel failed for good
 *   pending     not reached yet, some channel still being tried
 *
 * An answer beats delivery facts: whoever answered was reached, whatever the receipts say.
 */

/** The buckets whose people can be listed (the erased never are). */
export const LISTED_BUCKETS = ['need_help', 'safe', 'no_answer', 'unreachable', 'pending'] as const;
export type ListedBucket = (typeof LISTED_BUCKETS)[number];
export const BUCKETS = [...LISTED_BUCKETS, 'erased'] as const;
export type Bucket = (typeof BUCKETS)[number];

/** The delivery state of one channel for one person, as the delivery engine reports it. */
export type ChannelState = 'delivered' | 'sent' | 'queued' | 'failed';

export interface RecipientFacts {
  readonly erased: boolean;
  /** One entry per channel the person was sent the alert on (empty: no usable channel). */
  readonly channels: readonly ChannelState[];
  readonly lastAnswer: Answer | null;
}

/** Delivered on at least one channel (or answered, which proves it). */
export const isReached = (f: RecipientFacts): boolean =>
  f.lastAnswer !== null || f.channels.some((c) => c === 'delivered');

export function classify(f: RecipientFacts): Bucket {
  if (f.erased) return 'erased';
  if (f.lastAnswer !== null) return f.lastAnswer;
  if (isReached(f)) return 'no_answer';
  if (f.channels.every((c) => c === 'failed')) return 'unreachable';
  return 'pending';
}

export type Rollup = Record<Bucket, number> & { readonly targeted: number; readonly reached: number };

export const emptyRollup = (): Rollup => ({
  targeted: 0,
  reached: 0,
  need_help: 0,
  safe: 0,
  no_answer: 0,
  unreachable: 0,
  pending: 0,
  erased: 0,
});

/** Adds one person to a roll-up (mutates and returns it, for folding large lists). */
export function addToRollup(r: Rollup, f: RecipientFacts): Rollup {
  const m = r as { -readonly [K in keyof Rollup]: number };
  m.targeted++;
  const bucket = classify(f);
  m[bucket]++;
  // An erased person's delivery facts are no longer ours to report.
  if (bucket !== 'erased' && isReached(f)) m.reached++;
  return r;
}

export const rollup = (facts: Iterable<RecipientFacts>): Rollup => {
  const r = emptyRollup();
  for (const f of facts) addToRollup(r, f);
  return r;
};
