import type { Static } from 'typebox';
import type {
  SignalsOut,
  ThreatReviewOut,
  TrendOut,
} from '../../../src/server/routes/incidents/trends-schema.ts';
import { apiJson } from '../app/api.ts';
import { query } from '../app/util.ts';

// The trends API (src/server/routes/incidents/trends.ts; the statistics are
// src/domain/incidents/trends.ts and stats.ts), typed by its route schemas.

export type Trend = Static<typeof TrendOut>;
/** One rolling 7-day window; weeks come oldest first, the last one ends now. */
export type WeekCount = Trend['weeks'][number];
/** The rising-threat test of one type (or 'all'): last 4 weeks against the 12 before them. */
export type Signal = Trend['signals'][number];
export type TrendSubject = Trend['subject'];
export type Signals = Static<typeof SignalsOut>;
/** One firing signal (a type, or 'all') of a post or region: GET /api/trends/signals lists them. */
export type SignalEntry = Signals['signals'][number];
export type ThreatReview = Static<typeof ThreatReviewOut>;

/** The firing signals of one post or region together. */
export interface SubjectSignals {
  key: string;
  subject: TrendSubject;
  signals: Signal[];
  /** The lowest p-value among them. */
  pValue: number;
}

export const subjectKey = (s: TrendSubject) => (s.kind === 'post' ? `post:${s.id}` : `region:${s.code}`);

/** Groups the flat list by post or region, strongest first. */
export function groupSignals(entries: readonly SignalEntry[]): SubjectSignals[] {
  const out = new Map<string, SubjectSignals>();
  for (const { subject, ...signal } of entries) {
    const key = subjectKey(subject);
    const g = out.get(key);
    if (g) {
      g.signals.push(signal);
      g.pValue = Math.min(g.pValue, signal.pValue);
    } else out.set(key, { key, subject, signals: [signal], pValue: signal.pValue });
  }
  for (const g of out.values())
    g.signals.sort((a, b) => (a.type === 'all' ? -1 : b.type === 'all' ? 1 : a.pValue - b.pValue));
  return [...out.values()].sort(
    (a, b) => a.pValue - b.pValue || a.subject.name.localeCompare(b.subject.name),
  );
}

/** 'YYYY-MM-DD' -> the end of that UTC day (trends count incidents up to and including `at`). */
export function endOfDay(date: string): string {
  return `${date}T23:59:59.999Z`;
}

/** `at`: the moment the 52 weeks end (default now), e.g. to look back at a past crisis. */
export async function fetchPostTrend(
  postId: string,
  at?: string | null,
  signal?: AbortSignal,
): Promise<Trend> {
  const body = await apiJson<{ trend: Trend }>(
    `/api/trends/posts/${encodeURIComponent(postId)}${query({ at })}`,
    { signal },
  );
  return body.trend;
}

export async function fetchRegionTrend(
  code: string,
  at?: string | null,
  signal?: AbortSignal,
): Promise<Trend> {
  const body = await apiJson<{ trend: Trend }>(
    `/api/trends/regions/${encodeURIComponent(code)}${query({ at })}`,
    { signal },
  );
  return body.trend;
}

export async function fetchSignals(
  filter: { kind?: 'post' | 'region'; country?: string; at?: string } = {},
  signal?: AbortSignal,
): Promise<Signals> {
  return apiJson(`/api/trends/signals${query(filter)}`, { signal });
}

/** Opens a threat_review task for the post, or returns the one already open (created: false). */
export async function openThreatReview(postId: string, note?: string): Promise<ThreatReview> {
  return apiJson(`/api/trends/posts/${encodeURIComponent(postId)}/review`, {
    method: 'POST',
    body: note ? { note } : {},
  });
}

/** The signal for all incident types together (the headline one). */
export function overall(trend: { signals: Signal[] }): Signal | undefined {
  return trend.signals.find((s) => s.type === 'all') ?? trend.signals[0];
}
