import type { Context } from '../../context.ts';
import { inScope } from '../../domain/auth/policy.ts';
import { iso } from '../../domain/clock.ts';
import { WardenError } from '../../domain/errors.ts';
import { loadGeography } from '../../domain/geo/index.ts';
import type { AreaGeometry } from '../../domain/geo/types.ts';
import { newId } from '../../domain/ids.ts';
import { findCoverageLoop } from '../../domain/posts/coverage-index.ts';
import {
  type DistrictOwner,
  findOverlaps,
  RegionShapes,
  validateDistrict,
} from '../../domain/posts/districts.ts';
import { bboxesIntersect, expandBBox } from '../../domain/posts/geometry.ts';
import type { Contact, District, LatLon, Post, PostKind, PostureChange } from '../../domain/posts/types.ts';
import type { Db } from '../../store/db.ts';
import {
  findPost,
  insertPost,
  listPosts,
  lockPosts,
  setPostDelegate,
  updatePostRow,
} from '../../store/posts/posts.ts';
import { findPostureChanges, insertPostureChange, listPostureRequests } from '../../store/posts/posture.ts';
import { bumpRevision } from '../../store/revisions.ts';
import { type Actor, actorId, recordAudit } from '../audit/audit.ts';

/** The revision key of everything public about posts (list, coverage, feed). */
export const POSTS_REVISION = 'posts';

export interface PostInput {
  readonly kind: PostKind;
  readonly name: string;
  readonly city: string;
  readonly country: string;
  readonly location: LatLon;
  readonly contact?: Partial<Contact>;
  readonly district?: { regions?: readonly string[]; geometry?: AreaGeometry | null };
}

export type PostPatch = Partial<Omit<PostInput, 'country'>>;

/** A post with its current posture and any request waiting for approval: what staff see. */
export interface PostView extends Post {
  readonly posture: PostureChange | null;
  readonly pendingRequestId: string | null;
}

const EMPTY_CONTACT: Contact = { phone: null, email: null, address: null, hours: null };

function knownCountry(code: string): string {
  const c = loadGeography().country(code);
  if (!c)
    throw new WardenError('unknown_country', `Unknown country "${code}".`, {
      country: code,
      field: 'country',
    });
  return c.code;
}

/** A post stands in its country: catches swapped latitude/longitude before they reach a map. */
function checkLocation(country: string, loc: LatLon): void {
  const c = loadGeography().country(country);
  const box = c && expandBBox(c.bbox, 0.5);
  if (box && !bboxesIntersect(box, [loc.lon, loc.lat, loc.lon, loc.lat])) {
    throw new WardenError(
      'validation_failed',
      `The location is not in ${country}; were latitude and longitude swapped?`,
      {
        field: 'location',
        path: '/location',
        problems: [{ path: 'body/location', message: `must lie in ${country}` }],
      },
    );
  }
}

const cleanContact = (c: Partial<Contact> | undefined, base: Contact = EMPTY_CONTACT): Contact => ({
  phone: c?.phone !== undefined ? c.phone?.trim() || null : base.phone,
  email: c?.email !== undefined ? c.email?.trim() || null : base.email,
  address: c?.address !== undefined ? c.address?.trim() || null : base.address,
  hours: c?.hours !== undefined ? c.hours?.trim() || null : base.hours,
});

const owner = (p: Post): DistrictOwner => ({
  id: p.id,
  name: p.name,
  country: p.country,
  district: p.district,
});

/** Refuses a district that overlaps another post's: nothing is written. */
async function checkNoOverlap(db: Db, candidate: Post): Promise<void> {
  const others = await listPosts(db);
  const overlaps = findOverlaps(new RegionShapes(loadGeography()), owner(candidate), others.map(owner));
  const first = overlaps[0];
  if (first) {
    throw new WardenError('district_overlap', `The district overlaps the district of ${first.postName}.`, {
      postId: first.postId,
      postName: first.postName,
      regions: first.regions,
      areaKm2: first.areaKm2,
      overlaps,
    });
  }
}

const summary = (p: Post) => ({
  kind: p.kind,
  name: p.name,
  city: p.city,
  country: p.country,
  location: p.location,
  regions: p.district.regions,
  polygon: p.district.geometry !== null,
});

export async function createPost(ctx: Context, actor: Actor, input: PostInput): Promise<PostView> {
  const geo = loadGeography();
  const country = knownCountry(input.country);
  checkLocation(country, input.location);
  const district = validateDistrict(geo, country, {
    regions: input.district?.regions ?? [],
    geometry: input.district?.geometry ?? null,
  });
  const now = iso(ctx.clock.now());
  const id = newId();
  // Every post starts with a posture, so "current posture" always has an answer.
  const opening: PostureChange = {
    id: newId(),
    postId: id,
    previousState: null,
    state: 'normal',
    departure: { staff: 'none', family: 'none' },
    services: { citizenServices: true, visas: true, walkIn: true },
    effectiveAt: now,
    reason: 'Post opened in Warden',
    reviewBy: null,
    statement: null,
    coverageDelegateId: null,
    requestId: null,
    createdAt: now,
    createdBy: actorId(actor),
    approvedBy: null,
  };
  const post: Post = {
    id,
    kind: input.kind,
    name: input.name.trim(),
    city: input.city.trim(),
    country,
    location: input.location,
    contact: cleanContact(input.contact),
    district,
    coverageDelegateId: null,
    postureChangeId: opening.id,
    createdAt: now,
    updatedAt: now,
  };
  await ctx.store.db.transaction().execute(async (trx) => {
    await lockPosts(trx, ctx.store.backend);
    await checkNoOverlap(trx, post);
    await insertPost(trx, post);
    await insertPostureChange(trx, opening);
    await bumpRevision(trx, POSTS_REVISION, now);
    await recordAudit(ctx, trx, actor, 'post.create', `post:${id}`, { after: summary(post) });
  });
  ctx.changes.notify([POSTS_REVISION]);
  return { ...post, posture: opening, pendingRequestId: null };
}

export async function updatePost(
  ctx: Context,
  actor: Actor,
  id: string,
  patch: PostPatch,
): Promise<PostView> {
  const geo = loadGeography();
  await ctx.store.db.transaction().execute(async (trx) => {
    await lockPosts(trx, ctx.store.backend);
    const before = await findPost(trx, id);
    if (!before) throw new WardenError('not_found', 'Post not found.', { id });
    const location = patch.location ?? before.location;
    if (patch.location) checkLocation(before.country, location);
    let district: District = before.district;
    if (patch.district) {
      district = validateDistrict(geo, before.country, {
        regions: patch.district.regions ?? before.district.regions,
        geometry: patch.district.geometry !== undefined ? patch.district.geometry : before.district.geometry,
      });
    }
    const after: Post = {
      ...before,
      kind: patch.kind ?? before.kind,
      name: patch.name?.trim() ?? before.name,
      city: patch.city?.trim() ?? before.city,
      location,
      contact: cleanContact(patch.contact, before.contact),
      district,
      updatedAt: iso(ctx.clock.now()),
    };
    if (patch.district) await checkNoOverlap(trx, after);
    const regionsChanged = after.district.regions.join() !== before.district.regions.join();
    await updatePostRow(trx, after, regionsChanged);
    await bumpRevision(trx, POSTS_REVISION, after.updatedAt);
    await recordAudit(ctx, trx, actor, 'post.update', `post:${id}`, {
      before: summary(before),
      after: summary(after),
      contactChanged: JSON.stringify(before.contact) !== JSON.stringify(after.contact),
      geometryChanged: JSON.stringify(before.district.geometry) !== JSON.stringify(after.district.geometry),
    });
  });
  ctx.changes.notify([POSTS_REVISION]);
  return (await getPostView(ctx, id))!;
}

/**
 * Checks a new delegate for `post`: it exists, and following delegates from it never returns to
 * the post (a loop would leave a district with nobody serving it).
 */
/**
 * A delegate must be a known post, not the post itself, form no loop, and — for a scoped officer —
 * lie in the officer's scope (issue 11: an officer could hand its district to any post).
 */
export async function checkDelegate(
  db: Db,
  postId: string,
  delegateId: string | null,
  actor: Actor,
): Promise<void> {
  if (delegateId === null) return;
  if (delegateId === postId) {
    throw new WardenError('coverage_loop', 'A post cannot cover its own district.', {
      path: [postId, postId],
    });
  }
  const all = await listPosts(db);
  if (!all.some((p) => p.id === delegateId)) {
    throw new WardenError('validation_failed', 'The coverage delegate is not a known post.', {
      field: 'coverageDelegateId',
      id: delegateId,
    });
  }
  const delegate = all.find((p) => p.id === delegateId)!;
  if (actor.principal && !inScope(actor.principal, { postIds: [delegate.id], country: delegate.country })) {
    throw new WardenError('forbidden', 'The coverage delegate is outside your scope.', {
      field: 'coverageDelegateId',
      id: delegateId,
    });
  }
  const loop = findCoverageLoop(postId, delegateId, new Map(all.map((p) => [p.id, p.coverageDelegateId])));
  if (loop)
    throw new WardenError('coverage_loop', 'Delegating coverage there would form a loop.', { path: loop });
}

/** Sets (or clears) the post that serves this post's district while it cannot. */
export async function setCoverageDelegate(
  ctx: Context,
  actor: Actor,
  id: string,
  delegateId: string | null,
): Promise<PostView> {
  await ctx.store.db.transaction().execute(async (trx) => {
    await lockPosts(trx, ctx.store.backend);
    const post = await findPost(trx, id);
    if (!post) throw new WardenError('not_found', 'Post not found.', { id });
    await checkDelegate(trx, id, delegateId, actor);
    const now = iso(ctx.clock.now());
    await setPostDelegate(trx, id, delegateId, now);
    await bumpRevision(trx, POSTS_REVISION, now);
    await recordAudit(ctx, trx, actor, 'post.coverage', `post:${id}`, {
      before: { coverageDelegateId: post.coverageDelegateId },
      after: { coverageDelegateId: delegateId },
    });
  });
  ctx.changes.notify([POSTS_REVISION]);
  return (await getPostView(ctx, id))!;
}

async function withPosture(ctx: Context, db: Db, posts: Post[]): Promise<PostView[]> {
  const changes = await findPostureChanges(
    db,
    posts.flatMap((p) => (p.postureChangeId ? [p.postureChangeId] : [])),
  );
  const now = iso(ctx.clock.now());
  const pending = new Map<string, string>();
  for (const q of await listPostureRequests(db, { status: 'pending' })) {
    if (q.expiresAt > now && !pending.has(q.postId)) pending.set(q.postId, q.id);
  }
  return posts.map((p) => ({
    ...p,
    posture: (p.postureChangeId && changes.get(p.postureChangeId)) || null,
    pendingRequestId: pending.get(p.id) ?? null,
  }));
}

export async function listPostViews(ctx: Context, f: { country?: string } = {}): Promise<PostView[]> {
  const country = f.country ? knownCountry(f.country) : undefined;
  return withPosture(ctx, ctx.store.db, await listPosts(ctx.store.db, { country }));
}

export async function getPostView(ctx: Context, id: string): Promise<PostView | undefined> {
  const post = await findPost(ctx.store.db, id);
  return post && (await withPosture(ctx, ctx.store.db, [post]))[0];
}

export async function requirePost(db: Db, id: string): Promise<Post> {
  const post = await findPost(db, id);
  if (!post) throw new WardenError('not_found', 'Post not found.', { id });
  return post;
}
