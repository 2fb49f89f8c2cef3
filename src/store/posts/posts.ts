import type { AreaGeometry } from '../../domain/geo/types.ts';
import type { Contact, Post, PostKind } from '../../domain/posts/types.ts';
import type { Backend, Db } from '../db.ts';
import { LOCK, lockFor } from '../locks.ts';
import type { PostTable } from './tables.ts';

export const postRowToPost = (r: PostTable): Post => ({
  id: r.id,
  kind: r.kind as PostKind,
  name: r.name,
  city: r.city,
  country: r.country,
  location: { lat: Number(r.lat), lon: Number(r.lon) },
  contact: JSON.parse(r.contact) as Contact,
  district: {
    regions: JSON.parse(r.district_regions) as string[],
    geometry: r.district_geometry ? (JSON.parse(r.district_geometry) as AreaGeometry) : null,
  },
  coverageDelegateId: r.coverage_delegate_id,
  postureChangeId: r.posture_change_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const postToRow = (p: Post): PostTable => ({
  id: p.id,
  kind: p.kind,
  name: p.name,
  city: p.city,
  country: p.country,
  lat: p.location.lat,
  lon: p.location.lon,
  contact: JSON.stringify(p.contact),
  district_regions: JSON.stringify(p.district.regions),
  district_geometry: p.district.geometry ? JSON.stringify(p.district.geometry) : null,
  coverage_delegate_id: p.coverageDelegateId,
  posture_change_id: p.postureChangeId,
  created_at: p.createdAt,
  updated_at: p.updatedAt,
});

/**
 * Serialises district and delegation writes across processes (a district is checked against all
 * others, so two concurrent writers could each pass the check). SQLite serialises writers itself.
 */
export async function lockPosts(db: Db, backend: Backend): Promise<void> {
  await lockFor(db, backend, LOCK.posts);
}

export async function insertPost(db: Db, p: Post): Promise<void> {
  await db.insertInto('posts').values(postToRow(p)).execute();
  await replaceDistrictRegions(db, p.id, p.district.regions);
}

/** Writes every column but id and created_at; rewrites the region claims when they change. */
export async function updatePostRow(db: Db, p: Post, regionsChanged: boolean): Promise<void> {
  const { id: _id, created_at: _c, ...rest } = postToRow(p);
  await db.updateTable('posts').set(rest).where('id', '=', p.id).execute();
  if (regionsChanged) await replaceDistrictRegions(db, p.id, p.district.regions);
}

async function replaceDistrictRegions(db: Db, postId: string, regions: readonly string[]): Promise<void> {
  await db.deleteFrom('post_district_regions').where('post_id', '=', postId).execute();
  if (regions.length > 0) {
    await db
      .insertInto('post_district_regions')
      .values(regions.map((region) => ({ region, post_id: postId })))
      .execute();
  }
}

export async function findPost(db: Db, id: string): Promise<Post | undefined> {
  const r = await db.selectFrom('posts').selectAll().where('id', '=', id).executeTakeFirst();
  return r && postRowToPost(r);
}

export async function listPosts(db: Db, f: { country?: string } = {}): Promise<Post[]> {
  let q = db.selectFrom('posts').selectAll().orderBy('country').orderBy('name').orderBy('id');
  if (f.country) q = q.where('country', '=', f.country);
  return (await q.execute()).map(postRowToPost);
}

export async function setPostDelegate(
  db: Db,
  id: string,
  delegateId: string | null,
  at: string,
): Promise<void> {
  await db
    .updateTable('posts')
    .set({ coverage_delegate_id: delegateId, updated_at: at })
    .where('id', '=', id)
    .execute();
}

export async function setPostPosture(db: Db, id: string, changeId: string, at: string): Promise<void> {
  await db
    .updateTable('posts')
    .set({ posture_change_id: changeId, updated_at: at })
    .where('id', '=', id)
    .execute();
}
