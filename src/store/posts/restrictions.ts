import type { AreaGeometry } from '../../domain/geo/types.ts';
import type { Restriction } from '../../domain/posts/types.ts';
import type { Db } from '../db.ts';
import type { StaffRestrictionTable } from './tables.ts';

export const restrictionRowToRestriction = (r: StaffRestrictionTable): Restriction => ({
  id: r.id,
  postId: r.post_id,
  country: r.country,
  regions: JSON.parse(r.regions) as string[],
  geometry: r.geometry ? (JSON.parse(r.geometry) as AreaGeometry) : null,
  reason: r.reason,
  validFrom: r.valid_from,
  validUntil: r.valid_until,
  taskId: r.task_id,
  createdAt: r.created_at,
  createdBy: r.created_by,
});

export async function insertRestriction(db: Db, r: Restriction): Promise<void> {
  await db
    .insertInto('staff_restrictions')
    .values({
      id: r.id,
      post_id: r.postId,
      country: r.country,
      regions: JSON.stringify(r.regions),
      geometry: r.geometry ? JSON.stringify(r.geometry) : null,
      reason: r.reason,
      valid_from: r.validFrom,
      valid_until: r.validUntil,
      task_id: r.taskId,
      created_at: r.createdAt,
      created_by: r.createdBy,
    })
    .execute();
}

export async function listRestrictions(db: Db, postId: string): Promise<Restriction[]> {
  const rows = await db
    .selectFrom('staff_restrictions')
    .selectAll()
    .where('post_id', '=', postId)
    .orderBy('valid_from', 'desc')
    .orderBy('id')
    .execute();
  return rows.map(restrictionRowToRestriction);
}

export async function findRestriction(db: Db, id: string): Promise<Restriction | undefined> {
  const row = await db.selectFrom('staff_restrictions').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? restrictionRowToRestriction(row) : undefined;
}
