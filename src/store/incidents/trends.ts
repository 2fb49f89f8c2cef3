import type { Db } from '../db.ts';

/** What a trend counts: one incident's time and type (retracted incidents never reach it). */
export interface TrendRow {
  readonly occurredAt: string;
  readonly type: string;
}

export async function postTrendRows(
  db: Db,
  f: { postIds?: readonly string[]; since: string; until: string },
): Promise<Array<TrendRow & { postId: string }>> {
  let q = db
    .selectFrom('incident_posts')
    .select(['post_id', 'occurred_at', 'type'])
    .where('occurred_at', '>', f.since)
    .where('occurred_at', '<=', f.until)
    .where('retracted_at', 'is', null);
  if (f.postIds) q = q.where('post_id', 'in', f.postIds.length ? f.postIds : ['--']);
  const rows = await q.execute();
  return rows.map((r) => ({ postId: r.post_id, occurredAt: r.occurred_at, type: r.type }));
}

export async function regionTrendRows(
  db: Db,
  region: string,
  since: string,
  until: string,
): Promise<TrendRow[]> {
  const rows = await db
    .selectFrom('incidents')
    .select(['occurred_at', 'type'])
    .where('region', '=', region)
    .where('occurred_at', '>', since)
    .where('occurred_at', '<=', until)
    .where('retracted_at', 'is', null)
    .execute();
  return rows.map((r) => ({ occurredAt: r.occurred_at, type: r.type }));
}

export interface TestCountRow {
  readonly key: string;
  readonly type: string;
  readonly total: number;
  readonly recent: number;
}

interface Windows {
  readonly baselineStart: string;
  readonly recentStart: string;
  readonly end: string;
}

/** Incidents per post and type in the 16 test weeks, and how many of them in the last 4. */
export async function postTestCounts(db: Db, w: Windows): Promise<TestCountRow[]> {
  const rows = await db
    .selectFrom('incident_posts')
    .select((eb) => [
      'post_id as key',
      'type',
      eb.fn.countAll<string | number>().as('total'),
      eb.fn
        .sum<string | number | null>(eb.case().when('occurred_at', '>', w.recentStart).then(1).else(0).end())
        .as('recent'),
    ])
    .where('occurred_at', '>', w.baselineStart)
    .where('occurred_at', '<=', w.end)
    .where('retracted_at', 'is', null)
    .groupBy(['post_id', 'type'])
    .execute();
  return rows.map((r) => ({
    key: r.key,
    type: r.type,
    total: Number(r.total),
    recent: Number(r.recent ?? 0),
  }));
}

/** The same per first-level region (offshore incidents, without a region, are left out). */
export async function regionTestCounts(db: Db, w: Windows, country?: string): Promise<TestCountRow[]> {
  let q = db
    .selectFrom('incidents')
    .select((eb) => [
      'region',
      'type',
      eb.fn.countAll<string | number>().as('total'),
      eb.fn
        .sum<string | number | null>(eb.case().when('occurred_at', '>', w.recentStart).then(1).else(0).end())
        .as('recent'),
    ])
    .where('occurred_at', '>', w.baselineStart)
    .where('occurred_at', '<=', w.end)
    .where('retracted_at', 'is', null)
    .where('region', 'is not', null);
  if (country) q = q.where('country', '=', country);
  const rows = await q.groupBy(['region', 'type']).execute();
  return rows.map((r) => ({
    key: r.region ?? '',
    type: r.type,
    total: Number(r.total),
    recent: Number(r.recent ?? 0),
  }));
}
