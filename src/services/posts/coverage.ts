import type { Context } from '../../context.ts';
import { WardenError } from '../../domain/errors.ts';
import { loadGeography } from '../../domain/geo/index.ts';
import { type CoverageAnswer, CoverageIndex, type CoveragePost } from '../../domain/posts/coverage-index.ts';
import {
  type DistrictOwner,
  findGaps,
  findOverlaps,
  type Gap,
  RegionShapes,
} from '../../domain/posts/districts.ts';
import type { Db } from '../../store/db.ts';
import { listPosts } from '../../store/posts/posts.ts';
import { findPostureChanges } from '../../store/posts/posture.ts';
import { readRevisions } from '../../store/revisions.ts';
import { POSTS_REVISION } from './posts.ts';

/** Every post as the coverage index needs it (current posture included). */
export async function loadCoveragePosts(db: Db): Promise<CoveragePost[]> {
  const posts = await listPosts(db);
  const changes = await findPostureChanges(
    db,
    posts.flatMap((p) => (p.postureChangeId ? [p.postureChangeId] : [])),
  );
  return posts.map((p) => {
    const c = p.postureChangeId ? changes.get(p.postureChangeId) : undefined;
    return {
      id: p.id,
      kind: p.kind,
      name: p.name,
      city: p.city,
      country: p.country,
      location: p.location,
      contact: p.contact,
      district: p.district,
      state: c?.state ?? 'normal',
      citizenServices: c?.services.citizenServices ?? true,
      coverageDelegateId: p.coverageDelegateId,
    };
  });
}

export interface BuiltIndex {
  readonly index: CoverageIndex;
  readonly rev: number;
  /** When the posts last changed (for Last-Modified). */
  readonly updatedAt: string;
}

interface State {
  current?: BuiltIndex;
  checkedAt: number;
  /** Bumped by in-process change notices: a refresh that started before one is not trusted. */
  generation: number;
  seenGeneration: number;
  pending?: Promise<BuiltIndex>;
}

const RECHECK_MS = 1000;
// One index per store, shared by every request of the process (and dropped with the store).
const states = new WeakMap<object, State>();

function stateOf(ctx: Context): State {
  let s = states.get(ctx.store);
  if (!s) {
    const state: State = { checkedAt: 0, generation: 0, seenGeneration: 0 };
    ctx.changes.subscribe((keys) => {
      if (keys.includes(POSTS_REVISION)) state.generation++;
    });
    states.set(ctx.store, state);
    s = state;
  }
  return s;
}

async function refresh(ctx: Context, s: State): Promise<BuiltIndex> {
  const generation = s.generation;
  const revs = await readRevisions(ctx.store.db, [POSTS_REVISION]);
  const rev = revs.get(POSTS_REVISION)?.rev ?? 0;
  const updatedAt = revs.get(POSTS_REVISION)?.updatedAt ?? new Date(0).toISOString();
  let built = s.current;
  if (!built || built.rev !== rev) {
    built = {
      index: new CoverageIndex(await loadCoveragePosts(ctx.store.db), loadGeography()),
      rev,
      updatedAt,
    };
  }
  s.current = built;
  s.checkedAt = Date.now();
  s.seenGeneration = generation;
  return built;
}

/**
 * The coverage index, rebuilt when posts change: at once for writes in this process (change
 * notices), and within a second for writes of other processes (the 'posts' revision counter is
 * read at most once per second).
 */
export async function coverageIndex(ctx: Context): Promise<BuiltIndex> {
  const s = stateOf(ctx);
  const fresh = s.current && s.seenGeneration === s.generation && Date.now() - s.checkedAt < RECHECK_MS;
  if (fresh && s.current) return s.current;
  s.pending ??= refresh(ctx, s).finally(() => {
    s.pending = undefined;
  });
  const built = await s.pending;
  // A change landed while this refresh was reading: read again rather than serve the old data.
  return s.seenGeneration === s.generation ? built : coverageIndex(ctx);
}

export async function coverageAt(ctx: Context, lat: number, lon: number): Promise<CoverageAnswer> {
  return (await coverageIndex(ctx)).index.lookup(lat, lon);
}

export interface CountryReport {
  readonly country: string;
  readonly name: string;
  readonly posts: number;
  /** true when there is nothing to fix: no overlap, no gap, every district served. */
  readonly ok: boolean;
  readonly overlaps: Array<{
    postIds: [string, string];
    postNames: [string, string];
    regions: string[];
    areaKm2: number;
  }>;
  readonly gaps: Gap[];
  /** Posts whose district nobody serves now (delegating without a serving delegate). */
  readonly unserved: Array<{ postId: string; name: string; problem: 'no_delegate' | 'delegate_not_serving' }>;
}

/**
 * Overlaps and gaps of the districts of one country, or of every country with posts. Writes refuse
 * overlaps, so one found here means data written around the rule (or under the tolerance).
 */
export async function districtReport(ctx: Context, country?: string): Promise<CountryReport[]> {
  const geo = loadGeography();
  const wanted = country ? geo.country(country) : undefined;
  if (country && !wanted)
    throw new WardenError('unknown_country', `Unknown country "${country}".`, { country });
  const posts = await listPosts(ctx.store.db);
  const { index } = await coverageIndex(ctx);
  const shapes = new RegionShapes(geo);
  const owners: DistrictOwner[] = posts.map((p) => ({
    id: p.id,
    name: p.name,
    country: p.country,
    district: p.district,
  }));
  const codes = wanted ? [wanted.code] : [...new Set(posts.map((p) => p.country))].sort();
  return codes.map((code) => {
    const mine = owners.filter((o) => o.country === code);
    const overlaps: CountryReport['overlaps'] = [];
    mine.forEach((o, i) => {
      // Each pair once: later posts of this country, and every post of other countries.
      const others = owners.filter((x) => (x.country === code ? mine.indexOf(x) > i : true));
      for (const ov of findOverlaps(shapes, o, others)) {
        overlaps.push({
          postIds: [o.id, ov.postId],
          postNames: [o.name, ov.postName],
          regions: ov.regions,
          areaKm2: ov.areaKm2,
        });
      }
    });
    const gaps = mine.length > 0 ? findGaps(geo, shapes, code, owners) : [];
    const unserved: CountryReport['unserved'] = [];
    for (const o of mine) {
      const served = index.servedFor(o.id);
      if (served && !served.serving) {
        const problem = served.path.length === 1 ? 'no_delegate' : 'delegate_not_serving';
        unserved.push({ postId: o.id, name: o.name, problem });
      }
    }
    return {
      country: code,
      name: geo.country(code)?.name ?? code,
      posts: mine.length,
      ok: overlaps.length === 0 && gaps.length === 0 && unserved.length === 0,
      overlaps,
      gaps,
      unserved,
    };
  });
}
