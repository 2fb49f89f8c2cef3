import type { Context } from '../../context.ts';
import { iso } from '../../domain/clock.ts';
import { WardenError } from '../../domain/errors.ts';
import { newId, orderedId } from '../../domain/ids.ts';
import { actorKey } from '../../domain/incidents/acled.ts';
import { findPartOfCycle } from '../../domain/incidents/relations.ts';
import type {
  Actor,
  ActorRelation,
  ActorType,
  Confidence,
  RelationKind,
} from '../../domain/incidents/types.ts';
import type { Db } from '../../store/db.ts';
import {
  countActorIncidents,
  deleteRelation,
  findActor,
  findActorByKey,
  findActorsByIds,
  findEdge,
  findRelation,
  insertActor,
  insertRelation,
  listActors,
  lockActorRelations,
  partOfEdges,
  relationsOf,
  updateActorRow,
} from '../../store/incidents/actors.ts';
import { type Actor as AuditActor, actorId, recordAudit } from '../audit/audit.ts';

export interface ActorInput {
  readonly name: string;
  readonly type: ActorType;
  readonly notes?: string | null;
}

export interface RelationView {
  readonly id: string;
  readonly relation: RelationKind;
  readonly confidence: Confidence;
  readonly notes: string | null;
  readonly from: { readonly id: string; readonly name: string; readonly type: ActorType };
  readonly to: { readonly id: string; readonly name: string; readonly type: ActorType };
  readonly createdAt: string;
  readonly createdBy: string;
}

export interface ActorView extends Actor {
  readonly relations: readonly RelationView[];
  readonly incidentCount: number;
}

const cleanName = (s: string) => s.trim().replace(/\s+/g, ' ');

async function requireActor(db: Db, id: string): Promise<Actor> {
  const a = await findActor(db, id);
  if (!a) throw new WardenError('not_found', 'Actor not found.', { id });
  return a;
}

async function refuseTakenName(db: Db, key: string, except?: string): Promise<void> {
  const other = await findActorByKey(db, key);
  if (other && other.id !== except) {
    throw new WardenError('actor_exists', `An actor named "${other.name}" exists already.`, {
      actorId: other.id,
      name: other.name,
    });
  }
}

/** Creates an actor in the caller's transaction (also used when an incident names a new one). */
export async function insertNewActor(
  ctx: Context,
  db: Db,
  by: AuditActor,
  input: ActorInput,
): Promise<Actor> {
  const name = cleanName(input.name);
  const key = actorKey(name);
  await refuseTakenName(db, key);
  const now = iso(ctx.clock.now());
  const actor: Actor = {
    id: newId(),
    name,
    type: input.type,
    notes: input.notes?.trim() || null,
    createdAt: now,
    createdBy: actorId(by),
    updatedAt: now,
  };
  await insertActor(db, actor, key);
  await recordAudit(ctx, db, by, 'actor.create', `actor:${actor.id}`, { name, type: actor.type });
  return actor;
}

export async function createActor(ctx: Context, by: AuditActor, input: ActorInput): Promise<ActorView> {
  const actor = await ctx.store.db.transaction().execute((trx) => insertNewActor(ctx, trx, by, input));
  return { ...actor, relations: [], incidentCount: 0 };
}

export async function updateActor(
  ctx: Context,
  by: AuditActor,
  id: string,
  patch: Partial<ActorInput>,
): Promise<ActorView> {
  await ctx.store.db.transaction().execute(async (trx) => {
    const before = await requireActor(trx, id);
    const name = patch.name !== undefined ? cleanName(patch.name) : before.name;
    const key = actorKey(name);
    if (key !== actorKey(before.name)) await refuseTakenName(trx, key, id);
    const after: Actor = {
      ...before,
      name,
      type: patch.type ?? before.type,
      notes: patch.notes !== undefined ? patch.notes?.trim() || null : before.notes,
      updatedAt: iso(ctx.clock.now()),
    };
    await updateActorRow(trx, after, key);
    await recordAudit(ctx, trx, by, 'actor.update', `actor:${id}`, {
      before: { name: before.name, type: before.type },
      after: { name: after.name, type: after.type },
      notesChanged: before.notes !== after.notes,
    });
  });
  return (await getActorView(ctx, id))!;
}

async function viewRelations(db: Db, relations: readonly ActorRelation[]): Promise<RelationView[]> {
  const ids = [...new Set(relations.flatMap((r) => [r.fromActorId, r.toActorId]))];
  const actors = await findActorsByIds(db, ids);
  const brief = (id: string) => {
    const a = actors.get(id);
    return { id, name: a?.name ?? '', type: a?.type ?? ('unknown' as ActorType) };
  };
  return relations.map((r) => ({
    id: r.id,
    relation: r.relation,
    confidence: r.confidence,
    notes: r.notes,
    from: brief(r.fromActorId),
    to: brief(r.toActorId),
    createdAt: r.createdAt,
    createdBy: r.createdBy,
  }));
}

export async function getActorView(ctx: Context, id: string): Promise<ActorView | undefined> {
  const db = ctx.store.db;
  const actor = await findActor(db, id);
  if (!actor) return undefined;
  const [relations, incidentCount] = await Promise.all([
    relationsOf(db, id).then((r) => viewRelations(db, r)),
    countActorIncidents(db, id),
  ]);
  return { ...actor, relations, incidentCount };
}

export async function listActorViews(
  ctx: Context,
  f: { q?: string; type?: ActorType; limit?: number },
): Promise<Actor[]> {
  return listActors(ctx.store.db, {
    q: f.q ? actorKey(f.q) : undefined,
    type: f.type,
    limit: f.limit ?? 100,
  });
}

export interface RelationInput {
  readonly relation: RelationKind;
  readonly toActorId: string;
  readonly confidence: Confidence;
  readonly notes?: string | null;
}

/**
 * Adds "from <relation> to" (e.g. a militia directed_by a foreign state's forces). part_of may
 * not form a loop (relation_cycle, with the loop); an actor relates to itself in no way.
 */
export async function addRelation(
  ctx: Context,
  by: AuditActor,
  fromId: string,
  input: RelationInput,
): Promise<RelationView> {
  const relation = await ctx.store.db.transaction().execute(async (trx) => {
    await lockActorRelations(trx, ctx.store.backend);
    await requireActor(trx, fromId);
    const to = await findActor(trx, input.toActorId);
    if (!to) {
      throw new WardenError('unknown_actor', 'The related actor does not exist.', {
        field: 'toActorId',
        actorId: input.toActorId,
      });
    }
    if (fromId === to.id) {
      throw new WardenError('relation_cycle', 'An actor cannot be related to itself.', {
        path: [fromId, fromId],
      });
    }
    if (input.relation === 'part_of') {
      const cycle = findPartOfCycle(fromId, to.id, await partOfEdges(trx));
      if (cycle) {
        throw new WardenError('relation_cycle', 'That part_of relation would make an actor part of itself.', {
          path: cycle,
        });
      }
    }
    const existing = await findEdge(trx, fromId, input.relation, to.id);
    if (existing) {
      throw new WardenError('conflict', 'That relation exists already.', { relationId: existing.id });
    }
    const r: ActorRelation = {
      // Time-ordered, so relations made in the same millisecond still list in the order made.
      id: orderedId(),
      fromActorId: fromId,
      relation: input.relation,
      toActorId: to.id,
      confidence: input.confidence,
      notes: input.notes?.trim() || null,
      createdAt: iso(ctx.clock.now()),
      createdBy: actorId(by),
    };
    await insertRelation(trx, r);
    await recordAudit(ctx, trx, by, 'actor.relate', `actor:${fromId}`, {
      relationId: r.id,
      relation: r.relation,
      to: to.id,
      confidence: r.confidence,
    });
    return r;
  });
  return (await viewRelations(ctx.store.db, [relation]))[0]!;
}

export async function removeRelation(
  ctx: Context,
  by: AuditActor,
  fromId: string,
  relationId: string,
): Promise<RelationView> {
  const db = ctx.store.db;
  const r = await findRelation(db, relationId);
  if (!r || (r.fromActorId !== fromId && r.toActorId !== fromId)) {
    throw new WardenError('not_found', 'Relation not found.', { id: relationId });
  }
  const view = (await viewRelations(db, [r]))[0]!;
  await db.transaction().execute(async (trx) => {
    await deleteRelation(trx, relationId);
    await recordAudit(ctx, trx, by, 'actor.unrelate', `actor:${r.fromActorId}`, {
      relationId,
      relation: r.relation,
      to: r.toActorId,
    });
  });
  return view;
}
