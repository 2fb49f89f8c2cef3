import { BASELINE_WEEKS, type RateTest, RECENT_WEEKS, risingTest } from './stats.ts';
import { INCIDENT_TYPES, type IncidentType } from './taxonomy.ts';

export const TREND_WEEKS = 52;
export const WEEK_MS = 7 * 86_400_000;

/**
 * Weeks are rolling 7-day windows ending at `at`, newest last: week j (0 = newest) holds
 * incidents with at - 7(j+1) days < occurredAt <= at - 7j days. Rolling windows (not calendar
 * weeks) keep the last 4 weeks complete, so the recent rate is never diluted by a partial week.
 */
export interface WeekCount {
  readonly start: string;
  readonly end: string;
  readonly total: number;
  readonly byType: Record<IncidentType, number>;
}

export interface TypedSignal extends RateTest {
  readonly type: IncidentType | 'all';
}

export interface Trend {
  readonly at: string;
  readonly weeks: readonly WeekCount[];
  /** 'all' first, then each type with any incident in the test window. */
  readonly signals: readonly TypedSignal[];
  readonly firing: boolean;
}

export const emptyByType = (): Record<IncidentType, number> =>
  Object.fromEntries(INCIDENT_TYPES.map((t) => [t, 0])) as Record<IncidentType, number>;

/** Start of the window the trend reads (exclusive). */
export const trendSince = (at: Date, weeks = TREND_WEEKS): Date => new Date(at.getTime() - weeks * WEEK_MS);

/** The week index (0 = newest) of a time, or -1 when outside the last `weeks` weeks. */
export function weekIndex(atMs: number, t: string, weeks = TREND_WEEKS): number {
  const d = atMs - Date.parse(t);
  if (!(d >= 0)) return -1;
  const j = Math.floor(d / WEEK_MS);
  return j < weeks ? j : -1;
}

export function buildTrend(at: Date, rows: Iterable<{ occurredAt: string; type: string }>): Trend {
  const atMs = at.getTime();
  const counts = Array.from({ length: TREND_WEEKS }, emptyByType);
  for (const r of rows) {
    const j = weekIndex(atMs, r.occurredAt);
    if (j < 0) continue;
    const byType = counts[j]!;
    const type = (Object.hasOwn(byType, r.type) ? r.type : 'other') as IncidentType;
    byType[type] += 1;
  }
  const weeks: WeekCount[] = [];
  for (let j = TREND_WEEKS - 1; j >= 0; j--) {
    const byType = counts[j]!;
    weeks.push({
      start: new Date(atMs - (j + 1) * WEEK_MS).toISOString(),
      end: new Date(atMs - j * WEEK_MS).toISOString(),
      total: Object.values(byType).reduce((a, b) => a + b, 0),
      byType,
    });
  }
  const signals = signalsOf(counts);
  return { at: at.toISOString(), weeks, signals, firing: signals.some((s) => s.firing) };
}

/** Signals from week counts indexed newest first. */
function signalsOf(counts: readonly Record<IncidentType, number>[]): TypedSignal[] {
  const recent = emptyByType();
  const baseline = emptyByType();
  counts.forEach((byType, j) => {
    const into = j < RECENT_WEEKS ? recent : j < RECENT_WEEKS + BASELINE_WEEKS ? baseline : null;
    if (into) for (const t of INCIDENT_TYPES) into[t] += byType[t];
  });
  return signalsFromCounts(recent, baseline);
}

/** 'all' and each type with incidents in the 16 weeks, from recent/baseline counts by type. */
export function signalsFromCounts(
  recent: Record<IncidentType, number>,
  baseline: Record<IncidentType, number>,
): TypedSignal[] {
  const sum = (o: Record<IncidentType, number>) => Object.values(o).reduce((a, b) => a + b, 0);
  const out: TypedSignal[] = [{ type: 'all', ...risingTest(sum(recent), sum(baseline)) }];
  for (const t of INCIDENT_TYPES) {
    if (recent[t] + baseline[t] > 0) out.push({ type: t, ...risingTest(recent[t], baseline[t]) });
  }
  return out;
}

/** Boundaries of the test windows, as ISO text for the store's range filters. */
export function testWindows(at: Date): { baselineStart: string; recentStart: string; end: string } {
  const atMs = at.getTime();
  return {
    baselineStart: new Date(atMs - (RECENT_WEEKS + BASELINE_WEEKS) * WEEK_MS).toISOString(),
    recentStart: new Date(atMs - RECENT_WEEKS * WEEK_MS).toISOString(),
    end: at.toISOString(),
  };
}
