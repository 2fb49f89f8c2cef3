import type { Context } from '../../context.ts';
import { WardenError } from '../../domain/errors.ts';
import { loadGeography } from '../../domain/geo/index.ts';
import { INCIDENT_TYPES, type IncidentType } from '../../domain/incidents/taxonomy.ts';
import {
  buildTrend,
  emptyByType,
  signalsFromCounts,
  type Trend,
  type TypedSignal,
  testWindows,
  trendSince,
} from '../../domain/incidents/trends.ts';
import type { Post } from '../../domain/posts/types.ts';
import type { Task } from '../../domain/tasks/types.ts';
import {
  postTestCounts,
  postTrendRows,
  regionTestCounts,
  regionTrendRows,
  type TestCountRow,
} from '../../store/incidents/trends.ts';
import { findPost, listPosts } from '../../store/posts/posts.ts';
import { listTasks } from '../../store/tasks/tasks.ts';
import type { Actor } from '../audit/audit.ts';
import { openTask } from '../tasks/tasks.ts';
import { ensurePostLinks } from './incidents.ts';

export type TrendSubject =
  | { readonly kind: 'post'; readonly id: string; readonly name: string; readonly country: string }
  | { readonly kind: 'region'; readonly code: string; readonly name: string; readonly country: string };

export interface SubjectTrend extends Trend {
  readonly subject: TrendSubject;
  /** For posts: the linking radius the counts use. */
  readonly radiusKm: number | null;
}

export interface SignalEntry extends TypedSignal {
  readonly subject: TrendSubject;
}

const postSubject = (p: Post): TrendSubject => ({ kind: 'post', id: p.id, name: p.name, country: p.country });

function regionSubject(code: string): Extract<TrendSubject, { kind: 'region' }> {
  const r = loadGeography().region(code);
  if (!r) throw new WardenError('unknown_region', `Unknown region "${code}".`, { region: code });
  return { kind: 'region', code: r.code, name: r.name, country: r.country };
}

/** Weekly counts by type of incidents near a post over the 52 weeks to `at`, and its signals. */
export async function postTrend(
  ctx: Context,
  postId: string,
  at: Date = ctx.clock.now(),
): Promise<SubjectTrend> {
  const post = await findPost(ctx.store.db, postId);
  if (!post) throw new WardenError('not_found', 'Post not found.', { id: postId });
  await ensurePostLinks(ctx);
  const rows = await postTrendRows(ctx.store.db, {
    postIds: [post.id],
    since: trendSince(at).toISOString(),
    until: at.toISOString(),
  });
  return { subject: postSubject(post), radiusKm: ctx.config.incidentPostRadiusKm, ...buildTrend(at, rows) };
}

export async function regionTrend(
  ctx: Context,
  code: string,
  at: Date = ctx.clock.now(),
): Promise<SubjectTrend> {
  const subject = regionSubject(code);
  const rows = await regionTrendRows(
    ctx.store.db,
    subject.code,
    trendSince(at).toISOString(),
    at.toISOString(),
  );
  return { subject, radiusKm: null, ...buildTrend(at, rows) };
}

/** Every post's trend, in one read of the link table (what a dashboard of all posts needs). */
export async function allPostTrends(ctx: Context, at: Date = ctx.clock.now()): Promise<SubjectTrend[]> {
  await ensurePostLinks(ctx);
  const posts = await listPosts(ctx.store.db);
  const rows = await postTrendRows(ctx.store.db, {
    since: trendSince(at).toISOString(),
    until: at.toISOString(),
  });
  const byPost = new Map<string, { occurredAt: string; type: string }[]>();
  for (const r of rows) {
    const list = byPost.get(r.postId);
    if (list) list.push(r);
    else byPost.set(r.postId, [r]);
  }
  return posts.map((p) => ({
    subject: postSubject(p),
    radiusKm: ctx.config.incidentPostRadiusKm,
    ...buildTrend(at, byPost.get(p.id) ?? []),
  }));
}

function signalsByKey(rows: readonly TestCountRow[]): Map<string, TypedSignal[]> {
  const counts = new Map<
    string,
    { recent: Record<IncidentType, number>; baseline: Record<IncidentType, number> }
  >();
  for (const r of rows) {
    let c = counts.get(r.key);
    if (!c) {
      c = { recent: emptyByType(), baseline: emptyByType() };
      counts.set(r.key, c);
    }
    const type = ((INCIDENT_TYPES as readonly string[]).includes(r.type) ? r.type : 'other') as IncidentType;
    c.recent[type] += r.recent;
    c.baseline[type] += r.total - r.recent;
  }
  return new Map([...counts].map(([k, c]) => [k, signalsFromCounts(c.recent, c.baseline)]));
}

/**
 * Firing rising-threat signals of every post and first-level region at `at`, strongest (lowest
 * p-value) first: two grouped reads, whatever the number of incidents.
 */
export async function firingSignals(
  ctx: Context,
  f: { at?: Date; kind?: 'post' | 'region'; country?: string } = {},
): Promise<SignalEntry[]> {
  const at = f.at ?? ctx.clock.now();
  const w = testWindows(at);
  const geo = loadGeography();
  const country = f.country ? geo.country(f.country)?.code : undefined;
  if (f.country && !country) throw new WardenError('unknown_country', `Unknown country "${f.country}".`, {});
  const out: SignalEntry[] = [];
  if (f.kind !== 'region') {
    await ensurePostLinks(ctx);
    const posts = new Map((await listPosts(ctx.store.db, { country })).map((p) => [p.id, p]));
    for (const [id, signals] of signalsByKey(await postTestCounts(ctx.store.db, w))) {
      const p = posts.get(id);
      if (!p) continue;
      for (const s of signals) if (s.firing) out.push({ subject: postSubject(p), ...s });
    }
  }
  if (f.kind !== 'post') {
    for (const [code, signals] of signalsByKey(await regionTestCounts(ctx.store.db, w, country))) {
      const r = geo.region(code);
      if (!r) continue;
      const subject: TrendSubject = { kind: 'region', code: r.code, name: r.name, country: r.country };
      for (const s of signals) if (s.firing) out.push({ subject, ...s });
    }
  }
  return out.sort((a, b) => a.pValue - b.pValue || a.subject.name.localeCompare(b.subject.name));
}

/**
 * Opens a threat_review task for a post (review its posture and the country's advisory), with
 * the trend's signals attached; while one is open, returns it instead of opening another.
 */
export async function openThreatReview(
  ctx: Context,
  actor: Actor,
  postId: string,
  input: { note?: string; at?: Date },
): Promise<{ task: Task; created: boolean; signals: readonly TypedSignal[] }> {
  const p = await findPost(ctx.store.db, postId);
  if (!p) throw new WardenError('not_found', 'Post not found.', { id: postId });
  const trend = await postTrend(ctx, postId, input.at);
  const post = p;
  return ctx.store.db.transaction().execute(async (trx) => {
    const open = await listTasks(trx, { status: 'open', kind: 'threat_review', postId });
    if (open[0]) return { task: open[0], created: false, signals: trend.signals };
    const all = trend.signals.find((s) => s.type === 'all')!;
    const firing = trend.signals.filter((s) => s.firing).map((s) => s.type);
    const task = await openTask(ctx, trx, actor, {
      kind: 'threat_review',
      title: `Review the posture of ${post.name} and the advisory: ${all.recent} incidents nearby in the last 4 weeks, ${all.baseline} in the 12 before${firing.length ? ` (rising: ${firing.join(', ')})` : ''}`,
      country: post.country,
      postId: post.id,
      subject: `trend:post:${post.id}`,
      details: {
        at: trend.at,
        radiusKm: trend.radiusKm,
        note: input.note?.trim() || null,
        signals: trend.signals.filter((s) => s.firing || s.type === 'all'),
      },
    });
    return { task, created: true, signals: trend.signals };
  });
}
