import type { BBox } from '../../domain/geo/types.ts';
import type { Backend, Db } from '../db.ts';
import { LOCK, lockFor } from '../locks.ts';
import type { IncidentPostTable } from './tables.ts';

export interface LinkState {
  readonly postId: string;
  readonly lat: number;
  readonly lon: number;
  readonly radiusKm: number;
}

/** Serialises relinking across processes (two could otherwise both rewrite one post's links). */
export async function lockPostLinks(db: Db, backend: Backend): Promise<void> {
  await lockFor(db, backend, LOCK.postLinks);
}

export async function linkStates(db: Db): Promise<Map<string, LinkState>> {
  const rows = await db.selectFrom('incident_link_posts').selectAll().execute();
  return new Map(
    rows.map((r) => [
      r.post_id,
      { postId: r.post_id, lat: Number(r.lat), lon: Number(r.lon), radiusKm: Number(r.radius_km) },
    ]),
  );
}

export async function saveLinkState(db: Db, s: LinkState, at: string): Promise<void> {
  await db
    .insertInto('incident_link_posts')
    .values({ post_id: s.postId, lat: s.lat, lon: s.lon, radius_km: s.radiusKm, linked_at: at })
    .onConflict((oc) =>
      oc.column('post_id').doUpdateSet({ lat: s.lat, lon: s.lon, radius_km: s.radiusKm, linked_at: at }),
    )
    .execute();
}

export interface LinkCandidate {
  readonly id: string;
  readonly lat: number;
  readonly lon: number;
  readonly occurredAt: string;
  readonly type: string;
  readonly retractedAt: string | null;
}

/**
 * Incidents whose point lies in the box (in these countries), except those located only to a
 * region: a region's centroid near a post says nothing about the post. West > east crosses the
 * antimeridian.
 */
export async function linkCandidates(
  db: Db,
  countries: readonly string[],
  box: BBox,
): Promise<LinkCandidate[]> {
  if (countries.length === 0) return [];
  const [w, s, e, n] = box;
  const rows = await db
    .selectFrom('incidents')
    .select(['id', 'lat', 'lon', 'occurred_at', 'type', 'retracted_at'])
    .where('country', 'in', countries)
    .where('lat', '>=', s)
    .where('lat', '<=', n)
    .where((eb) =>
      w <= e
        ? eb.and([eb('lon', '>=', w), eb('lon', '<=', e)])
        : eb.or([eb('lon', '>=', w), eb('lon', '<=', e)]),
    )
    .where('geo_precision', '<>', 'region')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    lat: Number(r.lat),
    lon: Number(r.lon),
    occurredAt: r.occurred_at,
    type: r.type,
    retractedAt: r.retracted_at,
  }));
}

export async function replacePostLinks(
  db: Db,
  postId: string,
  rows: readonly IncidentPostTable[],
): Promise<void> {
  await db.deleteFrom('incident_posts').where('post_id', '=', postId).execute();
  for (let i = 0; i < rows.length; i += 5000) {
    await db
      .insertInto('incident_posts')
      .values(rows.slice(i, i + 5000))
      .execute();
  }
}
