import type * as GeoJSON from 'geojson';
import RBush from 'rbush';
import type { Geography } from '../geo/types.ts';
import { polygonContains } from './geometry.ts';
import { isDelegating } from './posture.ts';
import type { Contact, District, LatLon, PostKind, PostureState } from './types.ts';

/** What the index needs of a post: its district, whether it serves now, and whom it delegates to. */
export interface CoveragePost {
  readonly id: string;
  readonly kind: PostKind;
  readonly name: string;
  readonly city: string;
  readonly country: string;
  readonly location: LatLon;
  readonly contact: Contact;
  readonly district: District;
  readonly state: PostureState;
  readonly citizenServices: boolean;
  readonly coverageDelegateId: string | null;
}

export interface CoverageStep {
  readonly id: string;
  readonly name: string;
  readonly state: PostureState;
  /** true when this post hands its district on to the next step. */
  readonly delegating: boolean;
}

export interface Served {
  /** The post at the end of the delegation chain. */
  readonly post: CoveragePost;
  /** false when the chain ends at a post that cannot serve citizens either (no delegate set). */
  readonly serving: boolean;
  /** From the district's own post to the serving one. */
  readonly path: readonly CoverageStep[];
}

export interface CoverageAnswer {
  readonly country: string | null;
  readonly region: string | null;
  /** How the district was found: a drawn polygon, a region, or (in a gap) the country's embassy. */
  readonly match: 'polygon' | 'region' | 'country' | null;
  readonly districtPostId: string | null;
  readonly served: Served | null;
}

interface PolygonItem {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  post: number;
  rings: GeoJSON.Position[][];
}

const KIND_ORDER: Record<PostKind, number> = { embassy: 0, consulate_general: 1, consulate: 2, office: 3 };

/**
 * Answers "which post serves (lat, lon) now?" in microseconds: drawn districts sit in an R-tree
 * (exact point-in-polygon on the candidates), regions in a map from ISO 3166-2 code to post (the
 * point's region comes from the offline geography), and every post's delegation chain is resolved
 * once when the index is built. Immutable: rebuild it when posts change.
 */
export class CoverageIndex {
  private readonly posts: CoveragePost[];
  private readonly byId = new Map<string, number>();
  private readonly byRegion = new Map<string, number>();
  private readonly fallback = new Map<string, number>();
  private readonly tree = new RBush<PolygonItem>();
  private readonly served: Served[];

  constructor(
    posts: readonly CoveragePost[],
    private readonly geo: Geography,
  ) {
    this.posts = [...posts].sort((a, b) => a.id.localeCompare(b.id));
    const items: PolygonItem[] = [];
    this.posts.forEach((p, i) => {
      this.byId.set(p.id, i);
      for (const code of p.district.regions) if (!this.byRegion.has(code)) this.byRegion.set(code, i);
      const g = p.district.geometry;
      if (g)
        for (const rings of g.type === 'Polygon' ? [g.coordinates] : g.coordinates)
          items.push(polygonItem(i, rings));
      const prev = this.fallback.get(p.country);
      if (prev === undefined || rank(p) < rank(this.posts[prev]!)) this.fallback.set(p.country, i);
    });
    this.tree.load(items);
    this.served = this.posts.map((_, i) => this.follow(i));
  }

  get size(): number {
    return this.posts.length;
  }

  post(id: string): CoveragePost | undefined {
    const i = this.byId.get(id);
    return i === undefined ? undefined : this.posts[i];
  }

  /** Who serves a post's district now. */
  servedFor(postId: string): Served | undefined {
    const i = this.byId.get(postId);
    return i === undefined ? undefined : this.served[i];
  }

  lookup(lat: number, lon: number): CoverageAnswer {
    const region = this.geo.regionAt(lat, lon) ?? null;
    const country = region?.country ?? null;
    const hits = this.tree.search({ minX: lon, minY: lat, maxX: lon, maxY: lat });
    // Deterministic on the (tolerated) slivers where two drawn districts meet.
    let best: number | undefined;
    for (const h of hits)
      if ((best === undefined || h.post < best) && polygonContains(h.rings, lon, lat)) best = h.post;
    if (best !== undefined) return this.answer(country, region?.code ?? null, 'polygon', best);
    if (!region) return { country: null, region: null, match: null, districtPostId: null, served: null };
    const byRegion = this.byRegion.get(region.code);
    if (byRegion !== undefined) return this.answer(country, region.code, 'region', byRegion);
    // A gap in a country with posts: its embassy answers rather than nobody.
    const fb = country === null ? undefined : this.fallback.get(country);
    if (fb !== undefined) return this.answer(country, region.code, 'country', fb);
    return { country, region: region.code, match: null, districtPostId: null, served: null };
  }

  private answer(
    country: string | null,
    region: string | null,
    match: CoverageAnswer['match'],
    i: number,
  ): CoverageAnswer {
    return { country, region, match, districtPostId: this.posts[i]!.id, served: this.served[i]! };
  }

  private follow(start: number): Served {
    const seen = new Set<number>();
    const path: CoverageStep[] = [];
    let i = start;
    for (;;) {
      const p = this.posts[i]!;
      seen.add(i);
      const delegating = isDelegating(p.state, p.citizenServices);
      const next = p.coverageDelegateId === null ? undefined : this.byId.get(p.coverageDelegateId);
      // Loops are refused when written; the guard keeps a racing write from hanging a lookup.
      const moves = delegating && next !== undefined && !seen.has(next);
      path.push({ id: p.id, name: p.name, state: p.state, delegating: moves });
      if (!moves) return { post: p, serving: !delegating, path };
      i = next;
    }
  }
}

const rank = (p: CoveragePost) => KIND_ORDER[p.kind];

function polygonItem(post: number, rings: GeoJSON.Position[][]): PolygonItem {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of rings[0] ?? []) {
    if (x === undefined || y === undefined) continue;
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  return { minX, minY, maxX, maxY, post, rings };
}

/**
 * The delegate chain starting at `delegateId` must not come back to `postId`. `delegates` gives
 * each post's current delegate. Returns the loop (post ids) or null.
 */
export function findCoverageLoop(
  postId: string,
  delegateId: string | null,
  delegates: ReadonlyMap<string, string | null>,
): string[] | null {
  const path = [postId];
  let cur = delegateId;
  while (cur !== null) {
    path.push(cur);
    if (cur === postId) return path;
    if (path.indexOf(cur) !== path.length - 1) return null; // a loop elsewhere, not through this post
    cur = delegates.get(cur) ?? null;
  }
  return null;
}
