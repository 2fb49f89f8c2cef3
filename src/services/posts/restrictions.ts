import type { Context } from '../../context.ts';
import { iso } from '../../domain/clock.ts';
import { WardenError } from '../../domain/errors.ts';
import { loadGeography } from '../../domain/geo/index.ts';
import type { AreaGeometry } from '../../domain/geo/types.ts';
import { newId } from '../../domain/ids.ts';
import { validateDistrict } from '../../domain/posts/districts.ts';
import type { Restriction } from '../../domain/posts/types.ts';
import type { Task } from '../../domain/tasks/types.ts';
import { insertRestriction, listRestrictions } from '../../store/posts/restrictions.ts';
import { type Actor, actorId, recordAudit } from '../audit/audit.ts';
import { openTask } from '../tasks/tasks.ts';
import { requirePost } from './posts.ts';

export interface RestrictionInput {
  readonly regions?: readonly string[];
  readonly geometry?: AreaGeometry | null;
  readonly reason: string;
  readonly validFrom?: string;
  readonly validUntil?: string | null;
}

export interface RestrictionView extends Restriction {
  /** Whether it applies now (validFrom <= now < validUntil). */
  readonly active: boolean;
}

const view = (r: Restriction, now: string): RestrictionView => ({
  ...r,
  active: r.validFrom <= now && (r.validUntil === null || now < r.validUntil),
});

/**
 * Records an area the post's staff must avoid, and opens a public_notice task: what staff are
 * told about their safety, the public should be told too (an alert or advisory edition, or a
 * recorded reason why not).
 */
export async function createRestriction(
  ctx: Context,
  actor: Actor,
  postId: string,
  input: RestrictionInput,
): Promise<{ restriction: RestrictionView; task: Task }> {
  const post = await requirePost(ctx.store.db, postId);
  // Same rules as a district: regions of the post's country, a valid polygon near it.
  const area = validateDistrict(
    loadGeography(),
    post.country,
    { regions: input.regions ?? [], geometry: input.geometry ?? null },
    '',
  );
  if (area.regions.length === 0 && !area.geometry) {
    throw new WardenError('validation_failed', 'A restriction needs regions or a polygon.', {
      field: 'geometry',
    });
  }
  const now = iso(ctx.clock.now());
  const validFrom = input.validFrom ? new Date(input.validFrom).toISOString() : now;
  const validUntil = input.validUntil ? new Date(input.validUntil).toISOString() : null;
  if (validUntil !== null && validUntil <= validFrom) {
    throw new WardenError('validation_failed', 'validUntil must be after validFrom.', {
      field: 'validUntil',
    });
  }
  const reason = input.reason.trim();
  const id = newId();
  const result = await ctx.store.db.transaction().execute(async (trx) => {
    const task = await openTask(ctx, trx, actor, {
      kind: 'public_notice',
      title: `Tell the public what ${post.name} staff were told: ${reason.length > 90 ? `${reason.slice(0, 89)}…` : reason}`,
      country: post.country,
      postId: post.id,
      subject: `restriction:${id}`,
      details: { restrictionId: id, regions: area.regions, polygon: area.geometry !== null },
    });
    const restriction: Restriction = {
      id,
      postId: post.id,
      country: post.country,
      regions: area.regions,
      geometry: area.geometry,
      reason,
      validFrom,
      validUntil,
      taskId: task.id,
      createdAt: now,
      createdBy: actorId(actor),
    };
    await insertRestriction(trx, restriction);
    await recordAudit(ctx, trx, actor, 'restriction.create', `restriction:${id}`, {
      postId: post.id,
      after: {
        regions: area.regions,
        polygon: area.geometry !== null,
        validFrom,
        validUntil,
        taskId: task.id,
      },
    });
    return { restriction: view(restriction, now), task };
  });
  return result;
}

export async function postRestrictions(ctx: Context, postId: string): Promise<RestrictionView[]> {
  await requirePost(ctx.store.db, postId);
  const now = iso(ctx.clock.now());
  return (await listRestrictions(ctx.store.db, postId)).map((r) => view(r, now));
}
